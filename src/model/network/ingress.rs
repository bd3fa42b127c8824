//! Ingress: the default IngressClass admission, the routing decision an ingress-nginx controller
//! makes for a host and path (rules, pathType Prefix/Exact/ImplementationSpecific, default backend;
//! https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types), and the broken
//! references a learner should see as warnings.

use crate::model::api::ApiError;
use crate::model::object::{set_path, Key, ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Cluster, Kind};
use crate::value::{json, Value};

pub const NGINX_CONTROLLER: &str = "k8s.io/ingress-nginx";
pub const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";

/// The IngressClass ingress-nginx installs (marked default, as minikube's ingress add-on does).
pub fn nginx_class() -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
        "metadata": {
            "name": "nginx",
            "annotations": {DEFAULT_CLASS_ANNOTATION: "true"},
            "labels": {
                "app.kubernetes.io/component": "controller",
                "app.kubernetes.io/instance": "ingress-nginx",
                "app.kubernetes.io/name": "ingress-nginx",
            }
        },
        "spec": {"controller": NGINX_CONTROLLER},
    })
}

/// DefaultIngressClass admission plugin: an Ingress naming no class gets the default one.
pub fn admit_ingress(c: &mut Cluster, ing: &mut Object) -> Result<(), ApiError> {
    if ing.str_at("spec.ingressClassName").is_none() && ing.annotation("kubernetes.io/ingress.class").is_none() {
        let default = c.store.list(Kind::IngressClass).find(|ic| ic.annotation(DEFAULT_CLASS_ANNOTATION) == Some("true")).map(|ic| ic.name().to_string());
        if let Some(d) = default {
            set_path(ing, "spec.ingressClassName", json!(d));
        }
    }
    if ing.path("status").is_none() {
        set_path(ing, "status", json!({"loadBalancer": {}}));
    }
    Ok(())
}

/// Whether the simulated ingress-nginx serves this Ingress (its class is handled by nginx).
pub fn served_by_nginx(store: &Store, ing: &Object) -> bool {
    let class = ing.str_at("spec.ingressClassName").or_else(|| ing.annotation("kubernetes.io/ingress.class"));
    match class {
        Some(c) => store.get_by(Kind::IngressClass, "", c).is_some_and(|ic| ic.str_at("spec.controller") == Some(NGINX_CONTROLLER)) || (c == "nginx" && ing.annotation("kubernetes.io/ingress.class").is_some()),
        None => false,
    }
}

/// Where a request ends up.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub ingress: Key,
    /// Index of the rule and of the path within it; None for the default backend.
    pub rule: Option<usize>,
    pub path: Option<usize>,
    pub service: String,
    /// The backend port: a number or a port name.
    pub port: String,
    /// The Service, when it exists.
    pub target: Option<Key>,
    /// Why this backend was chosen, in words.
    pub reason: String,
    /// Problems with this backend (missing Service or port, no ready endpoints).
    pub warnings: Vec<String>,
    /// The ready pods behind the Service port: pod, IP and resolved target port.
    pub pods: Vec<(Key, String, i64)>,
}

/// The ready pods a Service port (number or name) sends traffic to, with the target port each
/// resolves to (a named targetPort can differ per pod).
pub fn service_backends(store: &Store, ns: &str, svc: &str, port: &str) -> Vec<(Key, String, i64)> {
    let Some(s) = store.get_by(Kind::Service, ns, svc) else { return vec![] };
    let Some(sp) = s.arr_at("spec.ports").iter().find(|p| p.i64_at("port").map(|n| n.to_string()).as_deref() == Some(port) || p.str_at("name") == Some(port)) else {
        return vec![];
    };
    crate::model::controllers::endpoints::service_endpoints(store, s)
        .into_iter()
        .filter(|e| e.ready)
        .filter_map(|e| Some((e.pod.key()?, e.ip.clone(), crate::model::controllers::endpoints::resolve_target_port(e.pod, sp)?)))
        .collect()
}

fn with_backends(store: &Store, ns: &str, mut r: Route) -> Route {
    r.pods = service_backends(store, ns, &r.service, &r.port);
    if r.target.is_some() && r.warnings.is_empty() && r.pods.is_empty() {
        r.warnings.push(format!("service \"{ns}/{}\" has no ready endpoints: ingress-nginx answers 503 Service Temporarily Unavailable", r.service));
    }
    r
}

/// `*.foo.com` matches exactly one extra label; other hosts match exactly (case-insensitive).
pub fn host_matches(rule_host: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let rule = rule_host.to_ascii_lowercase();
    match rule.strip_prefix("*.") {
        Some(suffix) => host.strip_suffix(suffix).and_then(|h| h.strip_suffix('.')).is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => rule == host,
    }
}

/// Path matching per pathType. Prefix compares `/`-separated elements (`/foo` matches `/foo/bar`
/// but not `/foobar`); Exact is exact; ingress-nginx treats ImplementationSpecific as a plain
/// string prefix (an nginx `location`). Returns the matched length for longest-match precedence.
pub fn path_matches(path_type: &str, rule_path: &str, path: &str) -> Option<usize> {
    match path_type {
        "Exact" => (rule_path == path).then_some(rule_path.len()),
        "Prefix" => {
            let want: Vec<&str> = rule_path.split('/').filter(|s| !s.is_empty()).collect();
            let got: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            (got.len() >= want.len() && want.iter().zip(&got).all(|(a, b)| a == b)).then_some(rule_path.trim_end_matches('/').len())
        }
        _ => path.starts_with(rule_path).then_some(rule_path.len()),
    }
}

fn backend_of(v: &Value) -> (String, String) {
    let svc = v.str_at("service.name").unwrap_or("").to_string();
    let port = match v.path("service.port.number").and_then(|n| n.as_i64()) {
        Some(n) => n.to_string(),
        None => v.str_at("service.port.name").unwrap_or("").to_string(),
    };
    (svc, port)
}

/// Problems with one backend: a missing Service, or a port it does not have.
pub fn backend_warnings(store: &Store, ns: &str, backend: &Value) -> Vec<String> {
    let (svc, port) = backend_of(backend);
    if svc.is_empty() {
        return if backend.path("resource").is_some() { vec![] } else { vec!["backend names no service".into()] };
    }
    let Some(s) = store.get_by(Kind::Service, ns, &svc) else {
        return vec![format!("service \"{ns}/{svc}\" not found")];
    };
    let has_port = s.arr_at("spec.ports").iter().any(|p| p.i64_at("port").map(|n| n.to_string()) == Some(port.clone()) || p.str_at("name") == Some(&port));
    if has_port || s.str_at("spec.type") == Some("ExternalName") {
        vec![]
    } else {
        vec![format!("service \"{ns}/{svc}\" does not have port {port}")]
    }
}

/// Every warning of one Ingress: broken backends, a missing class, a missing TLS Secret.
pub fn ingress_warnings(store: &Store, ing: &Object) -> Vec<String> {
    let ns = ing.namespace();
    let mut out = Vec::new();
    if let Some(c) = ing.str_at("spec.ingressClassName") {
        if store.get_by(Kind::IngressClass, "", c).is_none() {
            out.push(format!("ingressclass \"{c}\" not found: no controller serves this Ingress"));
        }
    } else if ing.annotation("kubernetes.io/ingress.class").is_none() {
        out.push("no ingressClassName and no default IngressClass: no controller serves this Ingress".into());
    }
    if let Some(b) = ing.path("spec.defaultBackend") {
        out.extend(backend_warnings(store, ns, b).into_iter().map(|w| format!("defaultBackend: {w}")));
    }
    for (i, r) in ing.arr_at("spec.rules").iter().enumerate() {
        for (j, p) in r.arr_at("http.paths").iter().enumerate() {
            if let Some(b) = p.path("backend") {
                out.extend(backend_warnings(store, ns, b).into_iter().map(|w| format!("rules[{i}].http.paths[{j}]: {w}")));
            }
        }
    }
    for t in ing.arr_at("spec.tls") {
        if let Some(sn) = t.str_at("secretName") {
            match store.get_by(Kind::Secret, ns, sn) {
                None => out.push(format!("tls: secret \"{ns}/{sn}\" not found, the controller's default certificate is used")),
                Some(s) if s.str_at("type") != Some("kubernetes.io/tls") => {
                    out.push(format!("tls: secret \"{ns}/{sn}\" is not of type kubernetes.io/tls"))
                }
                _ => {}
            }
        }
    }
    out
}

/// Which Service and port a request for `host` + `path` reaches through the Ingresses of `ns`,
/// and why; Err says why nothing matches (ingress-nginx then answers 404 from its default backend).
pub fn route(store: &Store, ns: &str, host: &str, path: &str) -> Result<Route, String> {
    let path = if path.is_empty() { "/" } else { path };
    let ings: Vec<&Object> = store.list_ns(Kind::Ingress, ns).filter(|i| !i.is_deleting() && served_by_nginx(store, i)).collect();
    // A rule with a matching host wins over host-less rules (those form nginx's catch-all server).
    let exact_host = ings.iter().any(|i| i.arr_at("spec.rules").iter().any(|r| r.str_at("host").is_some_and(|h| !h.starts_with("*.") && host_matches(h, host))));
    let wildcard_host = ings.iter().any(|i| i.arr_at("spec.rules").iter().any(|r| r.str_at("host").is_some_and(|h| h.starts_with("*.") && host_matches(h, host))));
    let mut best: Option<(usize, bool, Route)> = None;
    for ing in &ings {
        for (ri, r) in ing.arr_at("spec.rules").iter().enumerate() {
            let rh = r.str_at("host").unwrap_or("");
            let host_ok = match (rh.is_empty(), exact_host, wildcard_host) {
                (true, false, false) => true,
                (true, _, _) => false,
                (false, true, _) => !rh.starts_with("*.") && host_matches(rh, host),
                (false, false, _) => host_matches(rh, host),
            };
            if !host_ok {
                continue;
            }
            for (pi, p) in r.arr_at("http.paths").iter().enumerate() {
                let pt = p.str_at("pathType").unwrap_or("ImplementationSpecific");
                let rp = p.str_at("path").unwrap_or("/");
                let Some(len) = path_matches(pt, rp, path) else { continue };
                let exact = pt == "Exact";
                let better = best.as_ref().is_none_or(|(l, e, _)| len > *l || (len == *l && exact && !*e));
                if better {
                    let (svc, port) = p.path("backend").map(backend_of).unwrap_or_default();
                    let host_txt = if rh.is_empty() { "any host".to_string() } else { format!("host {rh}") };
                    let reason = format!("ingress {} rule {ri} ({host_txt}) path {rp} ({pt}) matches {path}", ing.name());
                    let warnings = p.path("backend").map(|b| backend_warnings(store, ns, b)).unwrap_or_default();
                    let target = store.get_by(Kind::Service, ns, &svc).and_then(|s| s.key());
                    let ikey = ing.key().unwrap_or_else(|| Key::new(Kind::Ingress, ns, ing.name()));
                    best = Some((len, exact, Route { ingress: ikey, rule: Some(ri), path: Some(pi), service: svc, port, target, reason, warnings, pods: vec![] }));
                }
            }
        }
    }
    if let Some((_, _, r)) = best {
        return Ok(with_backends(store, ns, r));
    }
    for ing in &ings {
        if let Some(b) = ing.path("spec.defaultBackend") {
            let (svc, port) = backend_of(b);
            let target = store.get_by(Kind::Service, ns, &svc).and_then(|s| s.key());
            let ikey = ing.key().unwrap_or_else(|| Key::new(Kind::Ingress, ns, ing.name()));
            return Ok(with_backends(store, ns, Route {
                ingress: ikey,
                rule: None,
                path: None,
                reason: format!("no rule of ingress {} matches {host}{path}; its defaultBackend takes the request", ing.name()),
                warnings: backend_warnings(store, ns, b),
                service: svc,
                port,
                target,
                pods: vec![],
            }));
        }
    }
    if ings.is_empty() {
        Err(format!("no Ingress in namespace {ns} is served by an ingress controller"))
    } else {
        Err(format!("no rule matches {host}{path} and no defaultBackend is set: ingress-nginx answers 404 Not Found"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn path_types() {
        assert!(path_matches("Prefix", "/foo", "/foo/bar").is_some());
        assert!(path_matches("Prefix", "/foo/", "/foo").is_some());
        assert!(path_matches("Prefix", "/foo", "/foobar").is_none());
        assert!(path_matches("Prefix", "/", "/anything").is_some());
        assert!(path_matches("Exact", "/foo", "/foo/").is_none());
        assert!(path_matches("ImplementationSpecific", "/foo", "/foobar").is_some());
        assert!(host_matches("*.foo.com", "bar.foo.com"));
        assert!(!host_matches("*.foo.com", "baz.bar.foo.com"));
        assert!(!host_matches("*.foo.com", "foo.com"));
    }
}
