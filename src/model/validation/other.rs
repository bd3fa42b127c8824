//! Validation of Services, Ingresses, storage (PV, PVC, StorageClass), RBAC, ConfigMaps and
//! Secrets (`pkg/apis/{core,networking,storage,rbac}/validation`).

use super::names::{config_key, dns1123_subdomain, port_name};
use super::V;
use crate::model::kinds::Kind;
use crate::model::object::ObjExt;
use crate::value::Value;
use std::collections::BTreeSet;

const NODE_PORT_RANGE: (i64, i64) = (30000, 32767);

pub fn service(v: &mut V, obj: &Value) {
    let ty = obj.str_at("spec.type").unwrap_or("ClusterIP");
    v.one_of(obj, "spec.type", "spec.type", &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"], true);
    v.one_of(obj, "spec.sessionAffinity", "spec.sessionAffinity", &["ClientIP", "None"], true);
    let ports = obj.arr_at("spec.ports");
    let headless = obj.str_at("spec.clusterIP") == Some("None");
    if ports.is_empty() && ty != "ExternalName" && !headless {
        v.required("spec.ports", "");
    }
    if ty == "ExternalName" && obj.str_at("spec.externalName").is_none_or(str::is_empty) {
        v.required("spec.externalName", "");
    }
    let mut names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let f = format!("spec.ports[{i}]");
        match p.str_at("name").filter(|n| !n.is_empty()) {
            None if ports.len() > 1 => v.required(format!("{f}.name"), ""),
            None => {}
            Some(n) => {
                for msg in super::names::dns1123_label(n) {
                    v.invalid(format!("{f}.name"), &Value::from(n), msg);
                }
                if !names.insert(n.to_string()) {
                    v.duplicate(format!("{f}.name"), &Value::from(n));
                }
            }
        }
        match p.i64_at("port") {
            Some(n) if (1..=65535).contains(&n) => {}
            Some(n) => v.invalid(format!("{f}.port"), &Value::from(n), "must be between 1 and 65535, inclusive"),
            None => v.required(format!("{f}.port"), ""),
        }
        v.one_of(p, "protocol", &format!("{f}.protocol"), &["SCTP", "TCP", "UDP"], true);
        match p.path("targetPort") {
            Some(Value::Number(n)) => {
                let n = n.as_i64().unwrap_or(-1);
                if !(1..=65535).contains(&n) {
                    v.invalid(format!("{f}.targetPort"), &Value::from(n), "must be between 1 and 65535, inclusive");
                }
            }
            Some(Value::String(s)) => {
                for msg in port_name(s) {
                    v.invalid(format!("{f}.targetPort"), &Value::from(s.as_str()), msg);
                }
            }
            _ => {}
        }
        if let Some(np) = p.i64_at("nodePort").filter(|n| *n != 0) {
            if ty == "ClusterIP" || ty == "ExternalName" {
                v.forbidden(format!("{f}.nodePort"), format!("may not be used when `type` is '{ty}'"));
            } else if !(1..=65535).contains(&np) {
                v.invalid(format!("{f}.nodePort"), &Value::from(np), "must be between 1 and 65535, inclusive");
            }
        }
    }
    super::labels(v, obj.path("spec.selector"), "spec.selector");
    if ty == "NodePort" || ty == "LoadBalancer" {
        v.one_of(obj, "spec.externalTrafficPolicy", "spec.externalTrafficPolicy", &["Cluster", "Local"], false);
    }
    v.one_of(obj, "spec.internalTrafficPolicy", "spec.internalTrafficPolicy", &["Cluster", "Local"], false);
}

/// The NodePort allocator's range check (pkg/registry/core/service/portallocator), which runs
/// only after validation passed; the API server's allocator lives in `model::network`, this copy
/// lets the editor's offline check say the same.
pub fn node_port_range(obj: &Value) -> Vec<crate::model::api::FieldError> {
    let mut v = V::default();
    if matches!(obj.str_at("spec.type"), Some("NodePort") | Some("LoadBalancer")) {
        for (i, p) in obj.arr_at("spec.ports").iter().enumerate() {
            if let Some(np) = p.i64_at("nodePort").filter(|n| *n != 0 && !(NODE_PORT_RANGE.0..=NODE_PORT_RANGE.1).contains(n)) {
                v.invalid(
                    format!("spec.ports[{i}].nodePort"),
                    &Value::from(np),
                    format!("provided port is not in the valid range. The range of valid ports is {}-{}", NODE_PORT_RANGE.0, NODE_PORT_RANGE.1),
                );
            }
        }
    }
    v.errs
}

pub fn ingress(v: &mut V, obj: &Value) {
    for (i, r) in obj.arr_at("spec.rules").iter().enumerate() {
        let rf = format!("spec.rules[{i}]");
        if let Some(h) = r.str_at("host").filter(|h| !h.is_empty()) {
            let bare = h.strip_prefix("*.").unwrap_or(h);
            for msg in dns1123_subdomain(bare) {
                v.invalid(format!("{rf}.host"), &Value::from(h), msg);
            }
        }
        if r.path("http").is_some_and(|h| !h.is_null()) && r.arr_at("http.paths").is_empty() {
            v.required(format!("{rf}.http.paths"), "");
        }
        for (j, p) in r.arr_at("http.paths").iter().enumerate() {
            let pf = format!("{rf}.http.paths[{j}]");
            match p.path("pathType") {
                None | Some(Value::Null) => v.required(format!("{pf}.pathType"), "pathType must be specified"),
                Some(t) => {
                    if !matches!(t.as_str(), Some("Exact") | Some("Prefix") | Some("ImplementationSpecific")) {
                        v.unsupported(format!("{pf}.pathType"), t, &["Exact", "ImplementationSpecific", "Prefix"]);
                    }
                }
            }
            if let Some(path) = p.str_at("path") {
                if !path.starts_with('/') && p.str_at("pathType") != Some("ImplementationSpecific") {
                    v.invalid(format!("{pf}.path"), &Value::from(path), "must be an absolute path");
                }
            }
            backend(v, p.path("backend"), &format!("{pf}.backend"));
        }
    }
    if let Some(b) = obj.path("spec.defaultBackend").filter(|b| !b.is_null()) {
        backend(v, Some(b), "spec.defaultBackend");
    }
    if obj.arr_at("spec.rules").is_empty() && obj.path("spec.defaultBackend").is_none_or(Value::is_null) {
        v.invalid_raw("spec", "[]networking.IngressRule(nil)".into(), "either `defaultBackend` or `rules` must be specified");
    }
}

fn backend(v: &mut V, b: Option<&Value>, f: &str) {
    let Some(b) = b.filter(|b| !b.is_null()) else {
        v.required(f, "");
        return;
    };
    let svc = b.path("service").filter(|s| !s.is_null());
    let res = b.path("resource").filter(|s| !s.is_null());
    match (svc, res) {
        (Some(_), Some(_)) => v.invalid_raw(f, "networking.IngressBackend{...}".into(), "cannot set both resource and service backends"),
        (None, None) => v.invalid_raw(f, "networking.IngressBackend{Service:(*networking.IngressServiceBackend)(nil), Resource:(*core.TypedLocalObjectReference)(nil)}".into(), "one backend (`service` or `resource`) must be specified"),
        (Some(s), None) => {
            if s.str_at("name").is_none_or(str::is_empty) {
                v.required(format!("{f}.service.name"), "");
            }
            let num = s.i64_at("port.number").unwrap_or(0);
            let name = s.str_at("port.name").unwrap_or("");
            if num == 0 && name.is_empty() {
                v.required(format!("{f}.service.port"), "port name or number is required");
            } else if num != 0 && !name.is_empty() {
                v.invalid(format!("{f}.service.port"), &Value::from(name), "cannot set both port name & port number");
            } else if num != 0 && !(1..=65535).contains(&num) {
                v.invalid(format!("{f}.service.port.number"), &Value::from(num), "must be between 1 and 65535, inclusive");
            }
        }
        (None, Some(_)) => {}
    }
}

const ACCESS_MODES: &[&str] = &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

fn access_modes(v: &mut V, obj: &Value, required_detail: &str) {
    let modes = obj.arr_at("spec.accessModes");
    if modes.is_empty() {
        v.required("spec.accessModes", required_detail);
    }
    for m in modes {
        if !m.as_str().is_some_and(|s| ACCESS_MODES.contains(&s)) {
            v.unsupported("spec.accessModes", m, ACCESS_MODES);
        }
    }
    let has = |s: &str| modes.iter().any(|m| m.as_str() == Some(s));
    if has("ReadWriteOncePod") && modes.len() > 1 {
        v.forbidden("spec.accessModes", "may not use ReadWriteOncePod with other access modes");
    }
}

pub fn pvc(v: &mut V, obj: &Value) {
    access_modes(v, obj, "at least 1 access mode is required");
    if obj.path("spec.resources.requests.storage").is_none_or(Value::is_null) && obj.path("spec.dataSourceRef").is_none() {
        v.required("spec.resources[storage]", "");
    }
    v.one_of(obj, "spec.volumeMode", "spec.volumeMode", &["Block", "Filesystem"], false);
}

pub fn pv(v: &mut V, obj: &Value) {
    access_modes(v, obj, "");
    if obj.path("spec.capacity.storage").is_none_or(Value::is_null) {
        v.required("spec.capacity", "");
    }
    v.one_of(obj, "spec.persistentVolumeReclaimPolicy", "spec.persistentVolumeReclaimPolicy", &["Delete", "Recycle", "Retain"], false);
    const SOURCES: &[&str] = &[
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "nfs", "rbd", "quobyte", "iscsi", "cephfs", "cinder", "fc", "flocker",
        "flexVolume", "azureFile", "vsphereVolume", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "local", "storageos", "csi",
    ];
    let n = SOURCES.iter().filter(|s| obj.path(&format!("spec.{s}")).is_some_and(|x| !x.is_null())).count();
    if n == 0 {
        v.required("spec", "must specify a volume type");
    } else if n > 1 {
        v.forbidden("spec", "may not specify more than 1 volume type");
    }
    if obj.path("spec.local").is_some_and(|x| !x.is_null()) && obj.path("spec.nodeAffinity").is_none_or(Value::is_null) {
        v.required("spec.nodeAffinity", "Local volume requires node affinity");
    }
}

pub fn storage_class(v: &mut V, obj: &Value) {
    match obj.str_at("provisioner") {
        None | Some("") => v.required("provisioner", ""),
        Some(p) => {
            for msg in super::names::qualified_name(&p.to_ascii_lowercase()) {
                v.invalid("provisioner", &Value::from(p), msg);
            }
        }
    }
    v.one_of(obj, "reclaimPolicy", "reclaimPolicy", &["Delete", "Retain"], false);
    v.one_of(obj, "volumeBindingMode", "volumeBindingMode", &["Immediate", "WaitForFirstConsumer"], false);
}

/// Role and ClusterRole rules (`ValidatePolicyRule`).
pub fn rules(v: &mut V, namespaced: bool, obj: &Value) {
    for (i, r) in obj.arr_at("rules").iter().enumerate() {
        let f = format!("rules[{i}]");
        if r.arr_at("verbs").is_empty() {
            v.required(format!("{f}.verbs"), "verbs must contain at least one value");
        }
        let urls = r.arr_at("nonResourceURLs");
        if !urls.is_empty() {
            let list = format!("[]string{{{}}}", urls.iter().map(|u| super::super::api::render_value(u)).collect::<Vec<_>>().join(", "));
            if namespaced {
                v.invalid_raw(format!("{f}.nonResourceURLs"), list.clone(), "namespaced rules cannot apply to non-resource URLs");
            }
            if !r.arr_at("apiGroups").is_empty() || !r.arr_at("resources").is_empty() || !r.arr_at("resourceNames").is_empty() {
                v.invalid_raw(format!("{f}.nonResourceURLs"), list, "rules cannot apply to both regular resources and non-resource URLs");
            }
            continue;
        }
        if r.arr_at("apiGroups").is_empty() {
            v.required(format!("{f}.apiGroups"), "resource rules must supply at least one api group");
        }
        if r.arr_at("resources").is_empty() {
            v.required(format!("{f}.resources"), "resource rules must supply at least one resource");
        }
    }
}

/// RoleBinding and ClusterRoleBinding: roleRef and subjects.
pub fn binding(v: &mut V, namespaced: bool, obj: &Value) {
    const GROUP: &str = "rbac.authorization.k8s.io";
    if let Some(g) = obj.path("roleRef.apiGroup") {
        if g.as_str() != Some(GROUP) {
            v.unsupported("roleRef.apiGroup", g, &[GROUP]);
        }
    }
    let kinds: &[&str] = if namespaced { &["Role", "ClusterRole"] } else { &["ClusterRole"] };
    match obj.path("roleRef.kind") {
        Some(k) if k.as_str().is_some_and(|s| kinds.contains(&s)) => {}
        Some(k) => v.unsupported("roleRef.kind", k, kinds),
        None => v.unsupported("roleRef.kind", &Value::from(""), kinds),
    }
    match obj.str_at("roleRef.name") {
        None | Some("") => v.required("roleRef.name", ""),
        Some(n) => {
            for msg in super::names::path_segment(n) {
                v.invalid("roleRef.name", &Value::from(n), msg);
            }
        }
    }
    for (i, s) in obj.arr_at("subjects").iter().enumerate() {
        let f = format!("subjects[{i}]");
        let name = s.str_at("name").unwrap_or("");
        if name.is_empty() {
            v.required(format!("{f}.name"), "");
        }
        let group = s.str_at("apiGroup").unwrap_or("");
        match s.str_at("kind") {
            Some("ServiceAccount") => {
                if !name.is_empty() {
                    for msg in dns1123_subdomain(name) {
                        v.invalid(format!("{f}.name"), &Value::from(name), msg);
                    }
                }
                if !group.is_empty() {
                    v.unsupported(format!("{f}.apiGroup"), &Value::from(group), &[""]);
                }
                if !namespaced && s.str_at("namespace").is_none_or(str::is_empty) {
                    v.required(format!("{f}.namespace"), "");
                }
            }
            Some("User") | Some("Group") => {
                if group != GROUP {
                    v.unsupported(format!("{f}.apiGroup"), &Value::from(group), &[GROUP]);
                }
            }
            other => v.unsupported(format!("{f}.kind"), &Value::from(other.unwrap_or("")), &["ServiceAccount", "User", "Group"]),
        }
    }
}

/// ConfigMap and Secret keys, sizes and Secret type requirements.
pub fn config_data(v: &mut V, kind: Kind, obj: &Value) {
    let mut keys = BTreeSet::new();
    let mut total = 0usize;
    for field in ["data", "binaryData"] {
        let Some(Value::Object(m)) = obj.path(field) else { continue };
        for (k, val) in m {
            for msg in config_key(k) {
                v.invalid(format!("{field}[{k}]"), &Value::from(k.as_str()), msg);
            }
            if !keys.insert(k.clone()) {
                v.invalid(format!("{field}[{k}]"), &Value::from(k.as_str()), "duplicate of key present in data");
            }
            total += val.as_str().map_or(0, str::len);
        }
    }
    if total > 1024 * 1024 {
        let f = if kind == Kind::Secret { "data" } else { "[]" };
        v.errs.push(crate::model::api::FieldError::new(f, crate::model::api::FieldErrorKind::TooLong, "must have at most 1048576 bytes"));
    }
    if kind != Kind::Secret {
        return;
    }
    let has = |k: &str| obj.path("data").and_then(|d| d.get(k)).is_some();
    match obj.str_at("type").unwrap_or("Opaque") {
        "kubernetes.io/service-account-token" => {
            if obj.annotation("kubernetes.io/service-account.name").is_none_or(str::is_empty) {
                v.required("metadata.annotations[kubernetes.io/service-account.name]", "");
            }
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => v.required("data[.dockercfg]", ""),
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => v.required("data[.dockerconfigjson]", ""),
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            v.required("data[username]", "");
            v.required("data[password]", "");
        }
        "kubernetes.io/ssh-auth" if !has("ssh-privatekey") => v.required("data[ssh-privatekey]", ""),
        "kubernetes.io/tls" => {
            for k in ["tls.crt", "tls.key"] {
                if !has(k) {
                    v.required(format!("data[{k}]"), "");
                }
            }
        }
        _ => {}
    }
}
