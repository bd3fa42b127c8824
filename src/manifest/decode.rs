//! Decoding as the API server decodes a request body with `fieldValidation=Strict`
//! (sigs.k8s.io/json over Go's encoding/json): the first type error wins, worded as encoding/json
//! words it (`json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`);
//! otherwise every unknown field is listed in one `strict decoding error`. Quantities, base64 and
//! int-or-string fields fail as their Go `UnmarshalJSON` methods fail.

use super::goparse::{decode_base64, parse_quantity};
use super::schema::{Schema, StructType, Ty};
use crate::value::Value;

/// A decode failure: the message after `X in version "v1" cannot be handled as a X: `.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError {
    pub message: String,
    /// Dotted path (`spec.replica`) of the offending field, to find its line.
    pub path: String,
    /// "did you mean" hints for unknown fields.
    pub hints: Vec<String>,
}

struct Walk<'s> {
    schema: &'s Schema,
    type_error: Option<(String, String)>,
    unknown: Vec<(String, String, Option<String>)>,
}

/// Strictly decodes `obj` as the root type of `kind`. `Ok` when the server would accept the body.
pub fn decode(kind: &str, obj: &Value) -> Result<(), DecodeError> {
    let schema = Schema::get();
    let Some(root) = schema.root_of(kind) else {
        return Ok(());
    };
    let mut w = Walk { schema, type_error: None, unknown: Vec::new() };
    w.strukt(root, obj, "", "", "", 0);
    if let Some((message, path)) = w.type_error {
        return Err(DecodeError { message, path, hints: vec![] });
    }
    if w.unknown.is_empty() {
        return Ok(());
    }
    let message = format!(
        "strict decoding error: {}",
        w.unknown.iter().map(|(k8s, _, _)| format!("unknown field {k8s:?}")).collect::<Vec<_>>().join(", ")
    );
    let path = w.unknown[0].1.clone();
    let hints = w.unknown.iter().filter_map(|(k8s, _, h)| h.as_ref().map(|h| format!("unknown field {k8s:?}: did you mean {h:?}?"))).collect();
    Err(DecodeError { message, path, hints })
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() { b.to_string() } else { format!("{a}.{b}") }
}

impl Walk<'_> {
    /// `go_path`: JSON names without indices (encoding/json's Field); `dotted`: with numeric
    /// segments (LineMap); `k8s`: with `[i]` (strict decoding error paths).
    fn strukt(&mut self, t: &StructType, v: &Value, go_path: &str, dotted: &str, k8s: &str, depth: usize) {
        let Value::Object(m) = v else { return };
        if depth > 100 {
            return;
        }
        for (name, val) in m {
            let gp = join(go_path, name);
            let dp = join(dotted, name);
            let kp = join(k8s, name);
            match t.fields.get(name.as_str()) {
                None => {
                    let hint = suggest(name, t.fields.keys().map(String::as_str));
                    self.unknown.push((kp, dp, hint));
                }
                Some(f) => {
                    let ty = f.ty.clone();
                    let go = f.go.clone();
                    self.value(&ty, &go, t.short(), val, &gp, &dp, &kp, depth + 1);
                }
            }
        }
    }

    fn type_err(&mut self, got: String, owner: &str, go_path: &str, go: &str, dotted: &str) {
        if self.type_error.is_none() {
            let msg = if owner.is_empty() {
                format!("json: cannot unmarshal {got} into Go value of type {go}")
            } else {
                format!("json: cannot unmarshal {got} into Go struct field {owner}.{go_path} of type {go}")
            };
            self.type_error = Some((msg, dotted.to_string()));
        }
    }

    fn plain_err(&mut self, msg: String, dotted: &str) {
        if self.type_error.is_none() {
            self.type_error = Some((msg, dotted.to_string()));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn value(&mut self, ty: &Ty, go: &str, owner: &str, v: &Value, gp: &str, dp: &str, kp: &str, depth: usize) {
        if v.is_null() {
            return;
        }
        let kind = json_kind(v);
        match ty {
            Ty::Any => {}
            Ty::Str => {
                if !v.is_string() {
                    self.type_err(kind.into(), owner, gp, go, dp);
                }
            }
            Ty::Bool => {
                if !v.is_boolean() {
                    self.type_err(kind.into(), owner, gp, go, dp);
                }
            }
            Ty::I32 | Ty::I64 | Ty::F64 => match v {
                Value::Number(n) => {
                    let fits = match ty {
                        Ty::I32 => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) || float_int(n).is_some_and(|f| f.abs() <= i32::MAX as f64),
                        Ty::I64 => n.as_i64().is_some() || float_int(n).is_some_and(|f| f.abs() < 9.2e18),
                        _ => true,
                    };
                    if !fits {
                        self.type_err(format!("number {n}"), owner, gp, go, dp);
                    }
                }
                _ => self.type_err(kind.into(), owner, gp, go, dp),
            },
            Ty::Quantity => {
                // Quantity.UnmarshalJSON: strip quotes, then ParseQuantity on whatever is left.
                let text = match v {
                    Value::String(s) => s.trim().to_string(),
                    other => other.to_string(),
                };
                if let Err(e) = parse_quantity(&text) {
                    self.plain_err(e.to_string(), dp);
                }
            }
            Ty::IntOrString => match v {
                Value::String(_) => {}
                Value::Number(n) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {}
                Value::Number(n) => self.type_err(format!("number {n}"), "", gp, "int32", dp),
                _ => self.type_err(kind.into(), "", gp, "int32", dp),
            },
            Ty::Bytes => match v {
                Value::String(s) => {
                    if let Err(e) = decode_base64(s) {
                        self.plain_err(e, dp);
                    }
                }
                _ => self.type_err(kind.into(), owner, gp, go, dp),
            },
            Ty::Time => match v {
                Value::String(s) => {
                    if !is_rfc3339(s) {
                        self.plain_err(format!("parsing time {s:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse {s:?} as \"2006\""), dp);
                    }
                }
                _ => self.type_err(kind.into(), "", gp, "string", dp),
            },
            Ty::List(elem) => match v {
                Value::Array(items) => {
                    let ego = go.strip_prefix("[]").unwrap_or(go).to_string();
                    for (i, item) in items.iter().enumerate() {
                        self.value(elem, &ego, owner, item, gp, &format!("{dp}.{i}"), &format!("{kp}[{i}]"), depth + 1);
                    }
                }
                _ => self.type_err(kind.into(), owner, gp, go, dp),
            },
            Ty::Map(elem) => match v {
                Value::Object(m) => {
                    let ego = go.strip_prefix("map[string]").unwrap_or(go).to_string();
                    let ego = if ego == "v1.ResourceList" { "resource.Quantity".to_string() } else { ego };
                    for (k, item) in m {
                        self.value(elem, &ego, owner, item, gp, &join(dp, k), &join(kp, k), depth + 1);
                    }
                }
                _ => self.type_err(kind.into(), owner, gp, go, dp),
            },
            Ty::Struct(id) => match (v, self.schema.types.get(id)) {
                (Value::Object(_), Some(t)) => self.strukt(t, v, gp, dp, kp, depth + 1),
                (Value::Object(_), None) => {}
                _ => self.type_err(kind.into(), owner, gp, go, dp),
            },
        }
    }
}

fn float_int(n: &crate::value::Number) -> Option<f64> {
    n.as_f64().filter(|f| f.fract() == 0.0 && !n.is_f64())
}

/// RFC 3339 as Go's time.RFC3339 accepts it: `2006-01-02T15:04:05Z` or with `±hh:mm`, optional fraction.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if b.len() < 20 || !(0..4).all(d) || b[4] != b'-' || !d(5) || !d(6) || b[7] != b'-' || !d(8) || !d(9) {
        return false;
    }
    if !(b[10] == b'T' || b[10] == b't') || !d(11) || !d(12) || b[13] != b':' || !d(14) || !d(15) || b[16] != b':' || !d(17) || !d(18) {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while d(i) {
            i += 1;
        }
    }
    match &s[i..] {
        "Z" | "z" => true,
        tz => tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) && tz.as_bytes()[3] == b':',
    }
}

/// The closest known field to a misspelled one (`replica` → `replicas`, `servicename` →
/// `serviceName`): same letters ignoring case, one a prefix of the other, or edit distance ≤ 2.
pub fn suggest<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> Option<String> {
    let u = unknown.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let kl = k.to_ascii_lowercase();
        let score = if kl == u {
            0
        } else if u.len() >= 4 && (kl.starts_with(&u) || u.starts_with(&kl)) {
            1 + kl.len().abs_diff(u.len()).min(3)
        } else {
            let d = edit_distance(&u, &kl);
            // Short names tolerate one slip (`dta` → `data`), longer ones two.
            let allowed = if u.len() > 4 { 2 } else if u.len() >= 3 { 1 } else { 0 };
            if d <= allowed { 2 + d } else { continue }
        };
        if best.is_none_or(|(s, _)| score < s) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| k.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().take(64).collect(), b.chars().take(64).collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::json;

    #[test]
    fn unknown_fields_are_listed_together() {
        let d = json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"replica":3,"selectr":{}}});
        let e = decode("Deployment", &d).unwrap_err();
        assert_eq!(e.message, "strict decoding error: unknown field \"spec.replica\", unknown field \"spec.selectr\"");
        assert_eq!(e.path, "spec.replica");
        assert_eq!(e.hints[0], "unknown field \"spec.replica\": did you mean \"replicas\"?");
    }

    #[test]
    fn type_errors_win_and_read_like_go() {
        let p = json!({"kind":"Pod","spec":{"containers":[{"name":"a","ports":[{"containerPort":"80"}]}],"bogus":1}});
        let e = decode("Pod", &p).unwrap_err();
        assert_eq!(e.message, "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32");
        assert_eq!(e.path, "spec.containers.0.ports.0.containerPort");
        let pv = json!({"kind":"PersistentVolume","spec":{"accessModes":"ReadWriteOnce"}});
        assert!(decode("PersistentVolume", &pv).unwrap_err().message.ends_with("PersistentVolumeSpec.spec.accessModes of type []v1.PersistentVolumeAccessMode"));
        let q = json!({"kind":"Pod","spec":{"containers":[{"name":"a","resources":{"limits":{"memory":"500MB"}}}]}});
        assert!(decode("Pod", &q).unwrap_err().message.starts_with("quantities must match"));
        let big = json!({"kind":"Deployment","spec":{"replicas": 3000000000u64}});
        assert!(decode("Deployment", &big).unwrap_err().message.contains("unmarshal number 3000000000 into"));
    }
}
