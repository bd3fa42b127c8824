//! A YAML writer that prints JSON values the way kubectl does (sigs.k8s.io/yaml over go-yaml v2):
//! sorted keys, unindented sequences, strings that would read as another type double-quoted
//! (`"80"`, `"2026-01-05T09:00:00Z"`, `""`), indicator-heavy strings single-quoted, multi-line
//! strings as literal blocks, and long plain strings folded after column 80.

use crate::value::Value;

pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, m: &crate::value::Map, indent: usize) {
    let mut first = true;
    for (k, v) in m {
        if !first || !out.ends_with("- ") {
            if !first {
                pad(out, indent);
            } else if !out.ends_with("- ") && !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
                pad(out, indent);
            } else {
                pad(out, indent);
            }
        }
        first = false;
        out.push_str(&string_scalar(k, indent, false));
        out.push(':');
        write_value(out, v, indent, true);
    }
}

fn write_value(out: &mut String, v: &Value, indent: usize, in_map: bool) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            // go-yaml v2 does not indent a sequence under a mapping key.
            write_seq(out, a, if in_map { indent } else { indent + 2 });
        }
        Value::String(s) if s.contains('\n') && literal_ok(s) => {
            out.push_str(" |");
            let trailing = s.len() - s.trim_end_matches('\n').len();
            if trailing == 0 {
                out.push('-');
            } else if trailing > 1 {
                out.push('+');
            }
            if s.starts_with(' ') {
                out.push('2');
            }
            out.push('\n');
            let body = s.strip_suffix('\n').unwrap_or(s);
            for line in body.split('\n') {
                if !line.is_empty() {
                    pad(out, indent + 2);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            out.push_str(&scalar_at(other, indent + 2, out_column(out)));
            out.push('\n');
        }
    }
}

fn out_column(out: &str) -> usize {
    out.len() - out.rfind('\n').map_or(0, |i| i + 1)
}

fn write_seq(out: &mut String, a: &[Value], indent: usize) {
    for v in a {
        pad(out, indent);
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => {
                let mut first = true;
                for (k, val) in m {
                    if !first {
                        pad(out, indent + 2);
                    }
                    first = false;
                    out.push_str(&string_scalar(k, indent + 2, false));
                    out.push(':');
                    write_value(out, val, indent + 2, true);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                // "- - a": nested sequences continue on the same line.
                let mut s = String::new();
                write_seq(&mut s, inner, indent + 2);
                out.push_str(s.trim_start());
            }
            Value::String(s) if s.contains('\n') && literal_ok(s) => {
                out.pop();
                write_value(out, v, indent, false);
                let _ = s;
            }
            other => {
                let col = out_column(out);
                out.push_str(&scalar_at(other, indent + 2, col));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value, indent: usize) -> String {
    scalar_at(v, indent, 0)
}

fn scalar_at(v: &Value, indent: usize, col: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let plain = string_scalar(s, indent, true);
            if plain.starts_with('"') || plain.starts_with('\'') {
                plain
            } else {
                fold(&plain, indent, col)
            }
        }
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// libyaml's plain-scalar line breaking: at a single space once the column passes 80.
fn fold(s: &str, indent: usize, start_col: usize) -> String {
    let mut out = String::new();
    let mut col = start_col;
    let chars: Vec<char> = s.chars().collect();
    let mut prev_space = false;
    for (i, &ch) in chars.iter().enumerate() {
        if ch == ' ' {
            let next_space = chars.get(i + 1) == Some(&' ');
            if !prev_space && col > 80 && !next_space && i + 1 < chars.len() {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', indent));
                col = indent;
                prev_space = true;
                continue;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
        out.push(ch);
        col += 1;
    }
    out
}

fn literal_ok(s: &str) -> bool {
    !s.split('\n').any(|l| l.ends_with(' ') || l.ends_with('\t')) && !s.chars().any(|c| c.is_control() && c != '\n')
}

/// Would go-yaml v2 read this unquoted string back as something other than a string?
fn resolves_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
        "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
        ".NaN", ".NAN", "<<",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if !(first.is_ascii_digit() || "+-.".contains(first)) {
        return false;
    }
    let plain = s.replace('_', "");
    if plain.parse::<i64>().is_ok() || plain.parse::<u64>().is_ok() {
        return true;
    }
    let body = plain.trim_start_matches(['+', '-']);
    if let Some(h) = body.strip_prefix("0x") {
        if !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()) {
            return true;
        }
    }
    if let Some(b) = body.strip_prefix("0b") {
        if !b.is_empty() && b.chars().all(|c| c == '0' || c == '1') {
            return true;
        }
    }
    if plain.parse::<f64>().is_ok() && !plain.eq_ignore_ascii_case("inf") && !plain.to_ascii_lowercase().contains("nan") && !plain.to_ascii_lowercase().contains("inf") {
        return true;
    }
    // Timestamps: 2006-01-02, 2006-01-02T15:04:05Z, ...
    let b = s.as_bytes();
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit() {
        return true;
    }
    // Base 60 floats such as 1:20.
    if s.contains(':') && s.split(':').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '.')) && first.is_ascii_digit() {
        return true;
    }
    false
}

fn plain_allowed(s: &str) -> bool {
    if s.is_empty() || s.starts_with(' ') || s.ends_with(' ') || s.starts_with('\t') || s.ends_with('\t') {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    let c0 = chars[0];
    let next_ws = chars.get(1).is_none_or(|c| c.is_whitespace());
    if "#,[]{}&*!|>'\"%@`".contains(c0) {
        return false;
    }
    if "-?:".contains(c0) && next_ws {
        return false;
    }
    if s == "---" || s == "..." || s.starts_with("--- ") || s.starts_with("... ") {
        return false;
    }
    for (i, &ch) in chars.iter().enumerate() {
        if ch.is_control() || ch == '\u{feff}' {
            return false;
        }
        if ch == ':' && chars.get(i + 1).is_none_or(|c| c.is_whitespace()) {
            return false;
        }
        if ch == '#' && i > 0 && chars[i - 1].is_whitespace() {
            return false;
        }
    }
    true
}

fn string_scalar(s: &str, _indent: usize, _value: bool) -> String {
    if resolves_non_string(s) {
        return double_quoted(s);
    }
    if s.contains('\n') || s.chars().any(|c| c.is_control()) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}

fn double_quoted(s: &str) -> String {
    let mut o = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            '\r' => o.push_str("\\r"),
            c if c.is_control() => o.push_str(&format!("\\x{:02X}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::json;
    #[test]
    fn kubectl_style() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "resourceVersion": "42", "creationTimestamp": "2026-01-05T09:00:00Z", "labels": {"app": "web"}, "annotations": {"a": "{\"x\":1}\n"}},
            "spec": {"containers": [{"name": "c", "image": "nginx", "args": ["sleep", "3600"], "ports": [{"containerPort": 80}]}], "empty": {}, "list": []},
            "status": {"phase": "", "ok": true, "msg": "a: b"}
        });
        let want = "apiVersion: v1
kind: Pod
metadata:
  annotations:
    a: |
      {\"x\":1}
  creationTimestamp: \"2026-01-05T09:00:00Z\"
  labels:
    app: web
  name: web
  resourceVersion: \"42\"
spec:
  containers:
  - args:
    - sleep
    - \"3600\"
    image: nginx
    name: c
    ports:
    - containerPort: 80
  empty: {}
  list: []
status:
  msg: 'a: b'
  ok: true
  phase: \"\"
";
        assert_eq!(to_yaml(&v), want);
    }
    #[test]
    fn folds_long_plain_strings() {
        let long = "word ".repeat(30).trim().to_string();
        let y = to_yaml(&json!({"status": {"message": long}}));
        let lines: Vec<&str> = y.lines().collect();
        assert_eq!(lines.len(), 3, "{y}");
        assert!(lines[1].len() > 80 && lines[1].len() < 90, "{y}");
        assert!(lines[2].starts_with("    word"), "{y}");
    }
}
