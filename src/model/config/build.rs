//! Objects `kubectl create configmap|secret generic|tls` build from `--from-literal`, `--from-file`
//! and `--from-env-file` (staging/src/k8s.io/kubectl/pkg/cmd/create/create_configmap.go,
//! create_secret.go, create_secret_tls.go), with kubectl's error wording. The kubectl interpreter
//! reads the files and passes their contents here.

use base64::Engine;
use serde_json::{json, Map, Value};

/// One `--from-file` source after kubectl read it: the key (basename or `key=` prefix) and content.
#[derive(Clone, Debug, PartialEq)]
pub struct FileSource {
    pub key: String,
    pub content: String,
}

/// `--from-literal=key=value`.
pub fn parse_literal(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("error: invalid literal source {s}, expected key=value")),
    }
}

/// `--from-file=[key=]path`: the key kubectl uses (the path's basename unless given).
pub fn file_key(spec: &str) -> (String, String) {
    match spec.split_once('=') {
        Some((k, p)) => (k.to_string(), p.to_string()),
        None => (spec.rsplit('/').next().unwrap_or(spec).to_string(), spec.to_string()),
    }
}

/// `--from-env-file`: `KEY=value` lines, `#` comments and blank lines skipped.
pub fn parse_env_file(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim_start();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        match l.split_once('=') {
            Some((k, v)) if !k.is_empty() => out.push((k.to_string(), v.to_string())),
            _ => return Err(format!("error: {:?} is not a valid key name: line {}", l, i + 1)),
        }
    }
    Ok(out)
}

fn insert(map: &mut Map<String, Value>, kind: &str, name: &str, key: &str, val: Value) -> Result<(), String> {
    if let Some(why) = super::admit::config_key_problem(key) {
        return Err(format!("error: {key:?} is not a valid key name for a {kind}: {why}"));
    }
    if map.contains_key(key) {
        return Err(format!("error: cannot add key {key}, another key by that name already exists in Data for {kind} {name:?}"));
    }
    map.insert(key.to_string(), val);
    Ok(())
}

/// `kubectl create configmap NAME --from-literal … --from-file …`. Non-UTF-8 content would go to
/// `binaryData`; files here are text.
pub fn configmap(name: &str, namespace: &str, literals: &[String], files: &[FileSource], env: &[(String, String)]) -> Result<Value, String> {
    let mut data = Map::new();
    for l in literals {
        let (k, v) = parse_literal(l)?;
        insert(&mut data, "ConfigMap", name, &k, json!(v))?;
    }
    for f in files {
        insert(&mut data, "ConfigMap", name, &f.key, json!(f.content))?;
    }
    for (k, v) in env {
        insert(&mut data, "ConfigMap", name, k, json!(v))?;
    }
    let mut o = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}});
    if !data.is_empty() {
        o["data"] = Value::Object(data);
    }
    Ok(o)
}

/// `kubectl create secret generic NAME [--type=T] --from-literal … --from-file …`.
pub fn secret_generic(name: &str, namespace: &str, ty: Option<&str>, literals: &[String], files: &[FileSource], env: &[(String, String)]) -> Result<Value, String> {
    let b64 = |s: &str| json!(base64::engine::general_purpose::STANDARD.encode(s));
    let mut data = Map::new();
    for l in literals {
        let (k, v) = parse_literal(l)?;
        insert(&mut data, "Secret", name, &k, b64(&v))?;
    }
    for f in files {
        insert(&mut data, "Secret", name, &f.key, b64(&f.content))?;
    }
    for (k, v) in env {
        insert(&mut data, "Secret", name, k, b64(v))?;
    }
    let mut o = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": namespace}});
    if !data.is_empty() {
        o["data"] = Value::Object(data);
    }
    if let Some(t) = ty.filter(|t| !t.is_empty()) {
        o["type"] = json!(t);
    }
    Ok(o)
}

/// `kubectl create secret tls NAME --cert=FILE --key=FILE`. kubectl checks the pair with
/// `tls.X509KeyPair`; this checks that both hold PEM blocks of the right kind.
pub fn secret_tls(name: &str, namespace: &str, cert: &str, key: &str) -> Result<Value, String> {
    if !cert.contains("-----BEGIN CERTIFICATE-----") {
        return Err("error: tls: failed to find any PEM data in certificate input".into());
    }
    if !key.contains("-----BEGIN") || !key.contains("PRIVATE KEY-----") {
        return Err("error: tls: failed to find any PEM data in key input".into());
    }
    let e = base64::engine::general_purpose::STANDARD;
    Ok(json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": name, "namespace": namespace},
        "type": "kubernetes.io/tls",
        "data": {"tls.crt": e.encode(cert), "tls.key": e.encode(key)},
    }))
}

/// `kubectl create secret docker-registry NAME --docker-server --docker-username --docker-password [--docker-email]`.
pub fn secret_docker_registry(name: &str, namespace: &str, server: &str, user: &str, password: &str, email: &str) -> Value {
    let e = base64::engine::general_purpose::STANDARD;
    let auth = e.encode(format!("{user}:{password}"));
    let mut entry = json!({"username": user, "password": password, "auth": auth});
    if !email.is_empty() {
        entry["email"] = json!(email);
    }
    let cfg = json!({"auths": {server: entry}});
    json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": name, "namespace": namespace},
        "type": "kubernetes.io/dockerconfigjson",
        "data": {".dockerconfigjson": e.encode(cfg.to_string())},
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn builders() {
        let cm = configmap("c", "default", &["a=1".into(), "b=x=y".into()], &[FileSource { key: "app.conf".into(), content: "k=v\n".into() }], &[]).unwrap();
        assert_eq!(cm["data"], json!({"a":"1","b":"x=y","app.conf":"k=v\n"}));
        assert_eq!(configmap("c", "d", &["a=1".into(), "a=2".into()], &[], &[]).unwrap_err(), "error: cannot add key a, another key by that name already exists in Data for ConfigMap \"c\"");
        assert_eq!(parse_literal("novalue").unwrap_err(), "error: invalid literal source novalue, expected key=value");
        let s = secret_generic("s", "default", None, &["password=S!B\\*d$zDsb=".into()], &[], &[]).unwrap();
        assert_eq!(s["data"]["password"], json!("UyFCXCpkJHpEc2I9"));
        assert_eq!(file_key("/tmp/x/app.properties"), ("app.properties".into(), "/tmp/x/app.properties".into()));
        assert!(secret_tls("t", "d", "nope", "nope").is_err());
    }
}
