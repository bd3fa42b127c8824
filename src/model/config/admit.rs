//! ConfigMap and Secret admission: `stringData` folded into base64 `data`, key names, Secret types
//! (pkg/apis/core/validation/validation.go ValidateSecret, ValidateConfigMap and their Update forms),
//! and `immutable`.

use crate::model::api::{ApiError, FieldError, FieldErrorKind, Reason};
use crate::model::object::{default_path, remove_path, set_path, ObjExt, Object};
use base64::Engine;
use crate::value::{json, Map, Value};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// `IsConfigMapKey`: `[-._a-zA-Z0-9]+`, at most 253 characters, not `.` or `..`.
pub fn config_key_problem(k: &str) -> Option<String> {
    if k.is_empty() || k.len() > 253 || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.') {
        return Some("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".into());
    }
    if k == "." {
        return Some("must not be '.'".into());
    }
    if k == ".." {
        return Some("must not be '..'".into());
    }
    if k.starts_with("..") {
        return Some("must not start with '..'".into());
    }
    None
}

fn key_errors(obj: &Object, field: &str, errs: &mut Vec<FieldError>) {
    if let Some(Value::Object(m)) = obj.path(field) {
        for k in m.keys() {
            if let Some(why) = config_key_problem(k) {
                errs.push(FieldError::invalid(format!("{field}[{k}]"), &json!(k), why));
            }
        }
    }
}

fn immutable_errors(obj: &Object, old: Option<&Object>, fields: &[&str], errs: &mut Vec<FieldError>) {
    let Some(old) = old else { return };
    if old.bool_at("immutable") != Some(true) {
        return;
    }
    if obj.bool_at("immutable") != Some(true) {
        errs.push(FieldError::new("immutable", FieldErrorKind::Forbidden, "field is immutable when `immutable` is set"));
    }
    for f in fields {
        let empty = Value::Object(Map::new());
        let a = obj.path(f).filter(|v| !v.is_null()).unwrap_or(&empty);
        let b = old.path(f).filter(|v| !v.is_null()).unwrap_or(&empty);
        if a != b {
            errs.push(FieldError::new(*f, FieldErrorKind::Forbidden, "field is immutable when `immutable` is set"));
        }
    }
}

/// ConfigMap create/update: key names, keys in both `data` and `binaryData`, `immutable`.
pub fn admit_configmap(obj: &mut Object, old: Option<&Object>) -> Result<(), ApiError> {
    let mut errs = Vec::new();
    key_errors(obj, "data", &mut errs);
    key_errors(obj, "binaryData", &mut errs);
    if let (Some(Value::Object(d)), Some(Value::Object(b))) = (obj.path("data"), obj.path("binaryData")) {
        for k in d.keys().filter(|k| b.contains_key(k)) {
            errs.push(FieldError::invalid(format!("data[{k}]"), &json!(k), "duplicate of key present in binaryData"));
        }
    }
    immutable_errors(obj, old, &["data", "binaryData"], &mut errs);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid("ConfigMap", obj.name(), errs))
    }
}

/// The decoding error for a bad base64 value, as the API server's JSON decoder reports it.
fn base64_error(v: &str) -> Option<ApiError> {
    let at = match B64.decode(v) {
        Ok(_) => return None,
        Err(base64::DecodeError::InvalidByte(i, _)) => i,
        Err(base64::DecodeError::InvalidLastSymbol(i, _)) => i,
        Err(base64::DecodeError::InvalidLength(n)) => n,
        Err(base64::DecodeError::InvalidPadding) => v.len(),
    };
    Some(ApiError::new(Reason::BadRequest, format!("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte {at}")))
}

/// Secret create/update: base64 check, `stringData` merged into `data` (stringData wins), type rules,
/// immutable `type` and `immutable` data.
pub fn admit_secret(obj: &mut Object, old: Option<&Object>) -> Result<(), ApiError> {
    if let Some(Value::Object(d)) = obj.path("data") {
        for v in d.values() {
            if let Some(e) = v.as_str().and_then(base64_error) {
                return Err(e);
            }
        }
    }
    if let Some(Value::Object(sd)) = remove_path(obj, "stringData") {
        if !obj.path("data").is_some_and(|d| d.is_object()) {
            set_path(obj, "data", Value::Object(Map::new()));
        }
        if let Some(Value::Object(d)) = crate::model::object::path_mut(obj, "data") {
            for (k, v) in sd {
                d.insert(k, json!(B64.encode(v.as_str().unwrap_or_default())));
            }
        }
    }
    default_path(obj, "type", || json!("Opaque"));
    let ty = obj.str_at("type").unwrap_or("Opaque").to_string();
    let mut errs = Vec::new();
    key_errors(obj, "data", &mut errs);
    let has = |k: &str| obj.path("data").and_then(|d| d.get(k)).is_some();
    let decoded = |k: &str| obj.path("data").and_then(|d| d.get(k)).and_then(|v| v.as_str()).and_then(|s| B64.decode(s).ok());
    let req = |k: &str| FieldError::required(format!("data[{k}]"), "");
    match ty.as_str() {
        "kubernetes.io/service-account-token" => {
            if obj.annotation("kubernetes.io/service-account.name").is_none_or(|s| s.is_empty()) {
                errs.push(FieldError::required("metadata.annotations[kubernetes.io/service-account.name]", ""));
            }
        }
        "kubernetes.io/dockercfg" | "kubernetes.io/dockerconfigjson" => {
            let key = if ty == "kubernetes.io/dockercfg" { ".dockercfg" } else { ".dockerconfigjson" };
            match decoded(key) {
                None if !has(key) => errs.push(req(key)),
                Some(bytes) => {
                    if let Err(e) = serde_json::from_slice::<Value>(&bytes) {
                        errs.push(FieldError::invalid(format!("data[{key}]"), &json!("<secret contents redacted>"), go_json_error(&e, &bytes)));
                    }
                }
                None => {}
            }
        }
        "kubernetes.io/basic-auth" => {
            if !has("username") && !has("password") {
                errs.push(req("username"));
                errs.push(req("password"));
            }
        }
        "kubernetes.io/ssh-auth" => {
            if decoded("ssh-privatekey").is_none_or(|b| b.is_empty()) {
                errs.push(req("ssh-privatekey"));
            }
        }
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                errs.push(req("tls.crt"));
            }
            if !has("tls.key") {
                errs.push(req("tls.key"));
            }
        }
        _ => {}
    }
    if let Some(old) = old {
        let old_ty = old.str_at("type").unwrap_or("Opaque");
        if old_ty != ty {
            errs.push(FieldError::invalid("type", &json!(ty), "field is immutable"));
        }
    }
    immutable_errors(obj, old, &["data"], &mut errs);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid("Secret", obj.name(), errs))
    }
}

/// encoding/json's wording for the usual mistakes (`invalid character 'x' looking for beginning of value`).
fn go_json_error(e: &serde_json::Error, input: &[u8]) -> String {
    if e.classify() == serde_json::error::Category::Eof {
        return "unexpected end of JSON input".into();
    }
    // serde_json reports a 1-based line and column; find the offending byte.
    let mut line = 1;
    let mut col = 0;
    let mut at = None;
    for (i, b) in input.iter().enumerate() {
        if *b == b'\n' {
            line += 1;
            col = 0;
            continue;
        }
        col += 1;
        if line == e.line() && col == e.column() {
            at = Some(i);
            break;
        }
    }
    let c = at.and_then(|i| input.get(i)).map(|b| *b as char).unwrap_or('?');
    let msg = e.to_string();
    if msg.starts_with("expected ident") {
        if let Some(i) = at {
            let start = (0..=i).rev().take_while(|j| input.get(*j).is_some_and(|b| b.is_ascii_alphabetic())).last().unwrap_or(i);
            let lit = match input.get(start) {
                Some(b'n') => "null",
                Some(b't') => "true",
                _ => "false",
            };
            if let Some(exp) = lit.as_bytes().get(i - start) {
                return format!("invalid character '{c}' in literal {lit} (expecting '{}')", *exp as char);
            }
        }
    }
    if msg.starts_with("trailing characters") {
        format!("invalid character '{c}' after top-level value")
    } else if msg.starts_with("expected `:`") {
        format!("invalid character '{c}' after object key")
    } else if msg.starts_with("key must be a string") {
        format!("invalid character '{c}' looking for beginning of object key string")
    } else {
        format!("invalid character '{c}' looking for beginning of value")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn string_data_is_folded_and_types_checked() {
        let mut s = json!({"kind":"Secret","metadata":{"name":"t"},"type":"kubernetes.io/tls","stringData":{"tls.crt":"C"}});
        let e = admit_secret(&mut s, None).unwrap_err();
        assert_eq!(e.message, "Secret \"t\" is invalid: data[tls.key]: Required value");
        assert_eq!(s.path("data").and_then(|d| d.get("tls.crt")), Some(&json!("Qw==")));
        assert!(s.path("stringData").is_none());
        let mut bad = json!({"kind":"Secret","metadata":{"name":"b"},"data":{"password":"cGFzc3dvcmQ_"}});
        assert!(admit_secret(&mut bad, None).unwrap_err().message.ends_with("illegal base64 data at input byte 11"));
        let mut ok = json!({"kind":"Secret","metadata":{"name":"o"},"stringData":{"user":"admin"}});
        admit_secret(&mut ok, None).unwrap();
        assert_eq!(ok.str_at("type"), Some("Opaque"));
        assert_eq!(ok.str_at("data.user"), Some("YWRtaW4="));
    }
    #[test]
    fn docker_config_must_be_json() {
        let mut s = json!({"kind":"Secret","metadata":{"name":"reg"},"type":"kubernetes.io/dockerconfigjson","stringData":{".dockerconfigjson":"nope"}});
        let e = admit_secret(&mut s, None).unwrap_err();
        assert_eq!(e.message, "Secret \"reg\" is invalid: data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'o' in literal null (expecting 'u')");
        let mut junk = json!({"kind":"Secret","metadata":{"name":"reg"},"type":"kubernetes.io/dockerconfigjson","stringData":{".dockerconfigjson":"auths"}});
        assert!(admit_secret(&mut junk, None).unwrap_err().message.ends_with("invalid character 'a' looking for beginning of value"));
        let mut ok = json!({"kind":"Secret","metadata":{"name":"reg"},"type":"kubernetes.io/dockerconfigjson","stringData":{".dockerconfigjson":"{\"auths\":{}}"}});
        assert!(admit_secret(&mut ok, None).is_ok());
        let mut none = json!({"kind":"Secret","metadata":{"name":"reg"},"type":"kubernetes.io/dockerconfigjson"});
        assert_eq!(admit_secret(&mut none, None).unwrap_err().message, "Secret \"reg\" is invalid: data[.dockerconfigjson]: Required value");
    }
    #[test]
    fn immutable_refuses_changes() {
        let old = json!({"kind":"ConfigMap","metadata":{"name":"c"},"immutable":true,"data":{"a":"1"}});
        let mut new = json!({"kind":"ConfigMap","metadata":{"name":"c"},"immutable":true,"data":{"a":"2"}});
        let e = admit_configmap(&mut new, Some(&old)).unwrap_err();
        assert_eq!(e.message, "ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set");
        let mut same = old.clone();
        assert!(admit_configmap(&mut same, Some(&old)).is_ok());
    }
}
