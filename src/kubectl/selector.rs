//! Label selectors (`-l`, as `k8s.io/apimachinery/pkg/labels.Parse`) and the basic field
//! selectors (`--field-selector`) the API server supports.

use crate::model::object::Labels;
use crate::model::{Kind, ObjExt, Object};

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Eq,
    NotEq,
    In,
    NotIn,
    Exists,
    NotExists,
    Gt,
    Lt,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Req {
    pub key: String,
    pub op: Op,
    pub values: Vec<String>,
}

pub type Selector = Vec<Req>;

fn valid_key(k: &str) -> bool {
    !k.is_empty() && k.len() <= 317 && k.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

/// Parses a label selector. Errors read like kubectl's `unable to parse requirement` ones.
pub fn parse(s: &str) -> Result<Selector, String> {
    let mut parts: Vec<String> = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for ch in s.chars() {
        match ch {
            '(' => {
                depth += 1;
                cur.push(ch);
            }
            ')' => {
                depth -= 1;
                cur.push(ch);
            }
            ',' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    parts.push(cur);
    let mut out = Vec::new();
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            if s.trim().is_empty() {
                continue;
            }
            return Err("unable to parse requirement: found ',', expected: !, identifier, or 'end of string'".into());
        }
        out.push(parse_req(p)?);
    }
    Ok(out)
}

fn parse_req(p: &str) -> Result<Req, String> {
    let bad_key = |k: &str| format!("unable to parse requirement: <nil>: Invalid value: \"{k}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    if let Some(k) = p.strip_prefix('!') {
        let k = k.trim();
        if !valid_key(k) {
            return Err(bad_key(k));
        }
        return Ok(Req { key: k.into(), op: Op::NotExists, values: vec![] });
    }
    for (tok, op) in [("!=", Op::NotEq), ("==", Op::Eq), ("=", Op::Eq), (">", Op::Gt), ("<", Op::Lt)] {
        if let Some((k, v)) = p.split_once(tok) {
            let (k, v) = (k.trim(), v.trim());
            if !valid_key(k) {
                return Err(bad_key(k));
            }
            if v.contains(['(', ')', ' ', '=', '!']) {
                return Err(format!("unable to parse requirement: found '{v}', expected: identifier"));
            }
            return Ok(Req { key: k.into(), op, values: vec![v.into()] });
        }
    }
    let words: Vec<&str> = p.splitn(2, char::is_whitespace).collect();
    if words.len() == 2 {
        let k = words[0];
        let rest = words[1].trim();
        let (op, body) = if let Some(b) = rest.strip_prefix("notin") {
            (Op::NotIn, b)
        } else if let Some(b) = rest.strip_prefix("in") {
            (Op::In, b)
        } else {
            return Err(format!("unable to parse requirement: found '{rest}', expected: in, notin, =, ==, !=, gt, lt"));
        };
        let body = body.trim();
        let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) else {
            return Err(format!("unable to parse requirement: found '{body}', expected: '('"));
        };
        if !valid_key(k) {
            return Err(bad_key(k));
        }
        let values: Vec<String> = inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
        return Ok(Req { key: k.into(), op, values });
    }
    if !valid_key(p) {
        return Err(bad_key(p));
    }
    Ok(Req { key: p.into(), op: Op::Exists, values: vec![] })
}

pub fn matches(sel: &Selector, labels: &Labels) -> bool {
    sel.iter().all(|r| {
        let v = labels.get(&r.key);
        match r.op {
            Op::Eq => v.is_some_and(|v| r.values.contains(v)),
            Op::In => v.is_some_and(|v| r.values.contains(v)),
            Op::NotEq | Op::NotIn => v.is_none_or(|v| !r.values.contains(v)),
            Op::Exists => v.is_some(),
            Op::NotExists => v.is_none(),
            Op::Gt | Op::Lt => {
                let (Some(v), Some(w)) = (v.and_then(|v| v.parse::<i64>().ok()), r.values.first().and_then(|w| w.parse::<i64>().ok())) else {
                    return false;
                };
                if r.op == Op::Gt { v > w } else { v < w }
            }
        }
    })
}

/// One `--field-selector` term.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldReq {
    pub field: String,
    pub value: String,
    pub negate: bool,
}

pub fn parse_fields(s: &str) -> Result<Vec<FieldReq>, String> {
    let mut out = Vec::new();
    for term in s.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let (f, v, negate) = if let Some((f, v)) = term.split_once("!=") {
            (f, v, true)
        } else if let Some((f, v)) = term.split_once("==") {
            (f, v, false)
        } else if let Some((f, v)) = term.split_once('=') {
            (f, v, false)
        } else {
            return Err(format!("invalid selector: '{s}'; can't understand '{term}'"));
        };
        out.push(FieldReq { field: f.trim().into(), value: v.trim().into(), negate });
    }
    Ok(out)
}

/// Field labels a kind supports (`AddFieldLabelConversionFunc` in `pkg/apis/*/v1/conversion.go`).
pub fn supported_field(kind: Kind, f: &str) -> bool {
    if f == "metadata.name" || f == "metadata.namespace" {
        return true;
    }
    let list: &[&str] = match kind {
        Kind::Pod => &[
            "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
            "status.podIP", "status.podIPs", "status.nominatedNodeName",
        ],
        Kind::Event => &[
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
        ],
        Kind::Secret => &["type"],
        Kind::Node => &["spec.unschedulable"],
        Kind::Namespace => &["status.phase"],
        Kind::ReplicaSet => &["status.replicas"],
        Kind::Job => &["status.successful"],
        _ => &[],
    };
    list.contains(&f)
}

fn field_value(o: &Object, f: &str) -> String {
    match f {
        "source" => o.str_at("source.component").unwrap_or("").to_string(),
        "status.successful" => o.i64_at("status.succeeded").unwrap_or(0).to_string(),
        "spec.unschedulable" => o.bool_at("spec.unschedulable").unwrap_or(false).to_string(),
        "spec.hostNetwork" => o.bool_at("spec.hostNetwork").unwrap_or(false).to_string(),
        _ => match o.path(f) {
            Some(crate::value::Value::String(s)) => s.to_string(),
            Some(crate::value::Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        },
    }
}

pub fn fields_match(reqs: &[FieldReq], o: &Object) -> bool {
    reqs.iter().all(|r| (field_value(o, &r.field) == r.value) != r.negate)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn l(s: &[(&str, &str)]) -> Labels {
        s.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }
    #[test]
    fn selectors() {
        let lab = l(&[("app", "web"), ("tier", "fe")]);
        for (s, want) in [
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app in (web, db)", true),
            ("app notin (web)", false),
            ("tier", true),
            ("!tier", false),
            ("!missing", true),
            ("missing!=x", true),
            ("app=web,tier=be", false),
            ("app in (a,b),tier", false),
        ] {
            assert_eq!(matches(&parse(s).unwrap(), &lab), want, "{s}");
        }
        assert!(parse("app in (a").is_err());
        assert!(parse("a b c").is_err());
        assert!(parse("=x").is_err());
    }
}
