//! Machine-readable output: `-o yaml|json|name|jsonpath=…|custom-columns=…` and `--sort-by`,
//! following kubectl's printers (JSON indented four spaces with HTML escaping, YAML with sorted
//! keys, lists wrapped in `kind: List`) and its JSONPath subset.

use crate::model::{ObjExt, Object};
use crate::value::{json, Value};

/// The list wrapper kubectl prints for several objects.
pub fn as_list(items: Vec<Value>) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

/// `json.MarshalIndent(obj, "", "    ")` with Go's HTML escaping, plus a newline.
pub fn to_json(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(v, &mut ser).is_err() {
        return String::new();
    }
    let s = String::from_utf8(buf).unwrap_or_default();
    s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026") + "\n"
}

pub fn to_yaml(v: &Value) -> String {
    super::yaml::to_yaml(v)
}

/// `kind.group/name` as `-o name` prints it.
pub fn name_of(o: &Object) -> String {
    o.key().map(|k| k.display()).unwrap_or_else(|| format!("{}/{}", o.kind_name().to_ascii_lowercase(), o.name()))
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(String),
    Index(i64),
    Wild,
    Recursive(String),
    Filter(Vec<Step>, Option<String>),
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Text(String),
    Expr(Vec<Step>),
    Range(Vec<Step>),
    End,
}

/// Accepts `.a.b`, `{.a.b}`, `a.b` (kubectl's RelaxedJSONPathExpression).
pub fn relaxed(expr: &str) -> String {
    let e = expr.trim();
    if e.starts_with('{') && e.ends_with('}') {
        return e.to_string();
    }
    let e = e.strip_prefix('.').unwrap_or(e);
    format!("{{.{e}}}")
}

fn parse_path(p: &str) -> Result<Vec<Step>, String> {
    let p = p.trim();
    let p = p.strip_prefix('$').unwrap_or(p);
    let b: Vec<char> = p.chars().collect();
    let mut i = 0;
    let mut steps = Vec::new();
    let mut guard = 0;
    while i < b.len() {
        guard += 1;
        if guard > 1000 {
            return Err("path too long".into());
        }
        match b[i] {
            '.' if b.get(i + 1) == Some(&'.') => {
                i += 2;
                let start = i;
                while i < b.len() && b[i] != '.' && b[i] != '[' {
                    i += 1;
                }
                steps.push(Step::Recursive(b[start..i].iter().collect()));
            }
            '.' => {
                i += 1;
                let start = i;
                i = field_end(&b, i);
                let f = unescape(&b[start..i]);
                if f == "*" {
                    steps.push(Step::Wild);
                } else if !f.is_empty() {
                    steps.push(Step::Field(f));
                }
            }
            '[' => {
                let mut depth = 0;
                let start = i + 1;
                let mut end = None;
                for (j, ch) in b.iter().enumerate().skip(i) {
                    if *ch == '[' {
                        depth += 1;
                    } else if *ch == ']' {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(j);
                            break;
                        }
                    }
                }
                let Some(end) = end else { return Err(format!("unterminated array notation in {p:?}")) };
                let inner: String = b[start..end].iter().collect();
                i = end + 1;
                let inner = inner.trim();
                if inner == "*" {
                    steps.push(Step::Wild);
                } else if let Some(f) = inner.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
                    let (lhs, rhs) = match f.split_once("==") {
                        Some((l, r)) => (l.trim(), Some(r.trim().trim_matches(|c| c == '"' || c == '\'').to_string())),
                        None => (f.trim(), None),
                    };
                    let lhs = lhs.strip_prefix('@').unwrap_or(lhs);
                    steps.push(Step::Filter(parse_path(lhs)?, rhs));
                } else if inner.starts_with('\'') || inner.starts_with('"') {
                    steps.push(Step::Field(inner.trim_matches(|c| c == '\'' || c == '"').to_string()));
                } else if let Ok(n) = inner.parse::<i64>() {
                    steps.push(Step::Index(n));
                } else if inner.contains(':') {
                    steps.push(Step::Wild);
                } else {
                    return Err(format!("invalid array index {inner}"));
                }
            }
            _ => {
                let start = i;
                i = field_end(&b, i);
                steps.push(Step::Field(unescape(&b[start..i])));
            }
        }
    }
    Ok(steps)
}

/// Where a field name starting at `i` ends: at a `.` or `[`, except one escaped with a backslash
/// (`{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}`), as client-go's
/// jsonpath parser reads it (`parseField` in staging/src/k8s.io/client-go/util/jsonpath/parser.go).
fn field_end(b: &[char], mut i: usize) -> usize {
    while i < b.len() && b[i] != '.' && b[i] != '[' {
        i += if b[i] == '\\' && i + 1 < b.len() { 2 } else { 1 };
    }
    i
}

/// A field name with its escaping backslashes removed (`parseField` removes every backslash).
fn unescape(f: &[char]) -> String {
    f.iter().filter(|&&c| c != '\\').collect()
}

fn parse_template(t: &str) -> Result<Vec<Node>, String> {
    let mut nodes = Vec::new();
    let mut rest = t;
    let mut guard = 0;
    while !rest.is_empty() {
        guard += 1;
        if guard > 10_000 {
            break;
        }
        match rest.find('{') {
            None => {
                nodes.push(Node::Text(rest.to_string()));
                break;
            }
            Some(pos) => {
                if pos > 0 {
                    nodes.push(Node::Text(rest[..pos].to_string()));
                }
                let after = &rest[pos + 1..];
                let Some(close) = after.find('}') else { return Err("unclosed action".into()) };
                let inner = after[..close].trim();
                rest = &after[close + 1..];
                if inner == "end" {
                    nodes.push(Node::End);
                } else if let Some(p) = inner.strip_prefix("range ") {
                    nodes.push(Node::Range(parse_path(p)?));
                } else if inner.starts_with('"') || inner.starts_with('\'') {
                    let s = inner.trim_matches(|c| c == '"' || c == '\'');
                    nodes.push(Node::Text(s.replace("\\n", "\n").replace("\\t", "\t")));
                } else {
                    nodes.push(Node::Expr(parse_path(inner)?));
                }
            }
        }
    }
    Ok(nodes)
}

fn eval<'a>(v: &'a Value, steps: &[Step]) -> Vec<&'a Value> {
    let mut cur = vec![v];
    for s in steps {
        let mut next = Vec::new();
        for c in cur {
            match s {
                Step::Field(f) => {
                    if let Some(x) = c.get(f.as_str()) {
                        next.push(x);
                    }
                }
                Step::Index(n) => {
                    if let Some(a) = c.as_array() {
                        let i = if *n < 0 { a.len() as i64 + n } else { *n };
                        if let Some(x) = usize::try_from(i).ok().and_then(|i| a.get(i)) {
                            next.push(x);
                        }
                    }
                }
                Step::Wild => match c {
                    Value::Array(a) => next.extend(a.iter()),
                    Value::Object(m) => next.extend(m.values()),
                    _ => {}
                },
                Step::Recursive(f) => collect_recursive(c, f, &mut next, 0),
                Step::Filter(p, want) => {
                    if let Some(a) = c.as_array() {
                        for item in a {
                            let got = eval(item, p);
                            let ok = match want {
                                Some(w) => got.iter().any(|g| scalar(g) == *w),
                                None => !got.is_empty(),
                            };
                            if ok {
                                next.push(item);
                            }
                        }
                    }
                }
            }
        }
        cur = next;
    }
    cur
}

fn collect_recursive<'a>(v: &'a Value, f: &str, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(x) = m.get(f) {
                out.push(x);
            }
            for x in m.values() {
                collect_recursive(x, f, out, depth + 1);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_recursive(x, f, out, depth + 1)),
        _ => {}
    }
}

/// How JSONPath prints one value: strings bare, the rest as JSON.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// Runs a JSONPath template (`{.items[*].metadata.name}`, `{range …}{end}`).
pub fn jsonpath(template: &str, data: &Value) -> Result<String, String> {
    let nodes = parse_template(template).map_err(|e| format!("error: error parsing jsonpath {template}, {e}"))?;
    let mut out = String::new();
    run(&nodes, data, &mut out, template, 0)?;
    Ok(out)
}

fn run(nodes: &[Node], data: &Value, out: &mut String, tpl: &str, depth: usize) -> Result<(), String> {
    if depth > 16 || out.len() > 4_000_000 {
        return Ok(());
    }
    let mut i = 0;
    while i < nodes.len() {
        match &nodes[i] {
            Node::Text(t) => out.push_str(t),
            Node::Expr(p) => {
                let vals = eval(data, p);
                if vals.is_empty() && !p.iter().any(|s| matches!(s, Step::Wild | Step::Filter(..) | Step::Recursive(_))) {
                    let last = p.iter().rev().find_map(|s| if let Step::Field(f) = s { Some(f.clone()) } else { None }).unwrap_or_default();
                    return Err(format!("error: error executing jsonpath {tpl:?}: Error executing template: {last} is not found. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{tpl}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n", data));
                }
                out.push_str(&vals.iter().map(|v| scalar(v)).collect::<Vec<_>>().join(" "));
            }
            Node::Range(p) => {
                let mut depth_n = 0;
                let mut j = i + 1;
                while j < nodes.len() {
                    match nodes[j] {
                        Node::Range(_) => depth_n += 1,
                        Node::End if depth_n == 0 => break,
                        Node::End => depth_n -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                let body = &nodes[i + 1..j.min(nodes.len())];
                let vals = eval(data, p);
                let items: Vec<&Value> = if vals.len() == 1 && vals[0].is_array() { vals[0].as_array().map(|a| a.iter().collect()).unwrap_or_default() } else { vals };
                for it in items {
                    run(body, it, out, tpl, depth + 1)?;
                }
                i = j;
            }
            Node::End => {}
        }
        i += 1;
    }
    Ok(())
}

/// Values of a relaxed path for custom columns and sorting (joined with commas).
pub fn column_value(expr: &str, o: &Value) -> Option<String> {
    let e = relaxed(expr);
    let inner = e.trim_start_matches('{').trim_end_matches('}');
    let p = parse_path(inner).ok()?;
    let v = eval(o, &p);
    if v.is_empty() {
        None
    } else {
        Some(v.iter().map(|x| scalar(x)).collect::<Vec<_>>().join(","))
    }
}

/// Sort key for `--sort-by`: numbers compare as numbers, the rest as strings.
pub fn sort_key(expr: &str, o: &Value) -> (i32, f64, String) {
    let e = relaxed(expr);
    let inner = e.trim_start_matches('{').trim_end_matches('}');
    let Ok(p) = parse_path(inner) else { return (0, 0.0, String::new()) };
    match eval(o, &p).first() {
        None => (0, 0.0, String::new()),
        Some(Value::Number(n)) => (1, n.as_f64().unwrap_or(0.0), String::new()),
        Some(v) => (2, 0.0, scalar(v)),
    }
}

/// `-o custom-columns=NAME:.metadata.name,...`: (headers, per-object cells).
pub fn custom_columns(spec: &str, items: &[Value]) -> Result<Vec<Vec<String>>, String> {
    let mut cols = Vec::new();
    for part in spec.split(',') {
        let Some((h, p)) = part.split_once(':') else {
            return Err(format!("error: expected <header>:<json-path-expr>, got {part}"));
        };
        cols.push((h.to_string(), p.to_string()));
    }
    let mut rows = vec![cols.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>()];
    for o in items {
        rows.push(cols.iter().map(|(_, p)| column_value(p, o).unwrap_or_else(|| "<none>".into())).collect());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn jsonpath_subset() {
        let v = json!({"items":[{"metadata":{"name":"a"},"status":{"conditions":[{"type":"Ready","status":"True"}]}},{"metadata":{"name":"b"}}]});
        assert_eq!(jsonpath("{.items[*].metadata.name}", &v).unwrap(), "a b");
        assert_eq!(jsonpath("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", &v).unwrap(), "a\nb\n");
        assert_eq!(jsonpath("{.items[0].status.conditions[?(@.type==\"Ready\")].status}", &v).unwrap(), "True");
        assert!(jsonpath("{.nope}", &v).is_err());
        // Escaped dots belong to the field name (annotation and label keys).
        let o = json!({"metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "kubectl": "no"}}});
        assert_eq!(jsonpath(r"{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}", &o).unwrap(), "{}");
        assert_eq!(jsonpath(r"{.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']}", &o).unwrap(), "{}");
        assert_eq!(column_value(".metadata.name", &v["items"][1]).as_deref(), Some("b"));
        assert_eq!(to_json(&json!({"a":"<x>"})), "{\n    \"a\": \"\\u003cx\\u003e\"\n}\n");
    }
}
