//! The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go): a pod
//! gets `serviceAccountName: default`, and unless automounting is off, the projected token volume
//! `kube-api-access-<5>` mounted read-only in every container.

use crate::model::api::{ApiError, Reason};
use crate::model::object::{field_arr, field_str, set_field, set_path, ObjExt, Object};
use crate::model::{Cluster, Kind};
use crate::value::{json, Value};
use std::sync::OnceLock;

pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The volume the plugin adds (same shape as `kubectl get pod -o yaml` shows on v1.34).
pub fn token_volume(name: &str) -> Value {
    // Built once and copied per pod: a copy builds the maps without comparing keys.
    static SHAPE: OnceLock<Value> = OnceLock::new();
    let mut v = SHAPE
        .get_or_init(|| {
            json!({
                "name": "",
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                    ]
                }
            })
        })
        .clone();
    v["name"] = Value::String(name.into());
    v
}

/// The mount of the token volume `name` in a container (a copy of one built once, as above).
fn token_mount(name: String) -> Value {
    static SHAPE: OnceLock<Value> = OnceLock::new();
    let mut m = SHAPE.get_or_init(|| json!({"mountPath": TOKEN_MOUNT_PATH, "name": "", "readOnly": true})).clone();
    m["name"] = Value::String(name.into());
    m
}

/// Pod create: service account name, existence check, token volume and mounts. The pod is
/// changed in place (its arrays grow, nothing is copied to be set back) and the account is read
/// where it is stored.
pub fn admit_pod(c: &mut Cluster, pod: &mut Object) -> Result<(), ApiError> {
    if !pod.get("spec").is_some_and(Value::is_object) {
        set_path(pod, "spec", json!({}));
    }
    let spec_str = |pod: &Object, f: &str| field_str(&pod["spec"], f).filter(|s| !s.is_empty()).map(str::to_string);
    let sa_name = spec_str(pod, "serviceAccountName").or_else(|| spec_str(pod, "serviceAccount")).unwrap_or_else(|| "default".to_string());
    let sa = c.store.get_by(Kind::ServiceAccount, pod.namespace(), &sa_name);
    // `default` is created by the serviceaccount controller a moment after the namespace; the
    // simulator settles before any user request, so only named accounts can be missing here.
    // (Refused before the fields below are set: a refused pod is dropped, so nobody sees them.)
    if sa.is_none() && sa_name != "default" {
        let ns = pod.namespace();
        return Err(ApiError::new(
            Reason::Forbidden,
            format!("pods \"{}\" is forbidden: error looking up service account {ns}/{sa_name}: serviceaccount \"{sa_name}\" not found", pod.name()),
        ));
    }
    let spec = pod.get_mut("spec").expect("made above");
    set_field(spec, "serviceAccountName", Value::String(sa_name.as_str().into()));
    // The deprecated alias, which the API server keeps equal to serviceAccountName.
    set_field(spec, "serviceAccount", Value::String(sa_name.into()));
    if field_arr(spec, "imagePullSecrets").is_empty() {
        if let Some(ips) = sa.map(|s| field_arr(s, "imagePullSecrets")).filter(|v| !v.is_empty()) {
            set_field(spec, "imagePullSecrets", Value::Array(ips.to_vec()));
        }
    }
    let automount = spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        .or_else(|| sa.and_then(|s| s.get("automountServiceAccountToken")).and_then(Value::as_bool))
        .unwrap_or(true);
    if !automount {
        return Ok(());
    }
    let already = |c: &Value| field_arr(c, "volumeMounts").iter().any(|m| field_str(m, "mountPath") == Some(TOKEN_MOUNT_PATH));
    let mut targets = field_arr(spec, "containers").iter().chain(field_arr(spec, "initContainers")).filter(|c| !already(c)).count();
    if targets == 0 {
        return Ok(());
    }
    let vol = format!("kube-api-access-{}", c.rng.suffix(5));
    push_or_set(spec, "volumes", token_volume(&vol));
    // The mount is copied for every target but the last, which takes it (most pods have one
    // container: no copy, and none to free).
    let mut mount = Some(token_mount(vol));
    for field in ["initContainers", "containers"] {
        if let Some(Value::Array(cs)) = spec.get_mut(field) {
            for ctr in cs.iter_mut().filter(|c| !already(c)) {
                targets -= 1;
                let m = if targets == 0 { mount.take() } else { mount.clone() };
                push_or_set(ctr, "volumeMounts", m.expect("taken by the last target only"));
            }
        }
    }
    Ok(())
}

/// Appends to the array `v.<field>` in place; when it is not an array, sets it to `[item]` (what
/// copying `arr_at` plus the item and `set_path` gave).
fn push_or_set(v: &mut Value, field: &str, item: Value) {
    match v.get_mut(field) {
        Some(Value::Array(a)) => a.push(item),
        _ => set_path(v, field, Value::Array(vec![item])),
    }
}

/// Pod update: the service account and token volume the manifest does not restate are kept.
pub fn carry_over_pod(old: &Object, new: &mut Object) {
    for f in ["spec.serviceAccountName", "spec.serviceAccount"] {
        if new.path(f).is_none() {
            if let Some(v) = old.path(f).cloned() {
                set_path(new, f, v);
            }
        }
    }
    let token = old.arr_at("spec.volumes").iter().find(|v| v.str_at("name").is_some_and(|n| n.starts_with("kube-api-access-"))).cloned();
    if let Some(tv) = token {
        let name = tv.str_at("name").unwrap_or("").to_string();
        if !new.arr_at("spec.volumes").iter().any(|v| v.str_at("name") == Some(&name)) {
            let mut vols = new.arr_at("spec.volumes").to_vec();
            vols.push(tv);
            set_path(new, "spec.volumes", Value::Array(vols));
        }
        for field in ["spec.initContainers", "spec.containers"] {
            let old_cs = old.arr_at(field).to_vec();
            if let Some(Value::Array(cs)) = crate::model::object::path_mut(new, field) {
                for ctr in cs.iter_mut() {
                    let had = old_cs.iter().find(|o| o.str_at("name") == ctr.str_at("name")).and_then(|o| {
                        o.arr_at("volumeMounts").iter().find(|m| m.str_at("name") == Some(&name)).cloned()
                    });
                    if let Some(m) = had {
                        if !ctr.arr_at("volumeMounts").iter().any(|x| x.str_at("name") == Some(&name)) {
                            let mut mounts = ctr.arr_at("volumeMounts").to_vec();
                            mounts.push(m);
                            set_path(ctr, "volumeMounts", Value::Array(mounts));
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::api::{create, Caller};
    use crate::model::object::ObjExt;
    use crate::model::Cluster;
    use crate::value::json;

    fn pod(extra: crate::value::Value) -> crate::value::Value {
        let mut p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        if let (Some(spec), Some(m)) = (p["spec"].as_object_mut(), extra.as_object()) {
            spec.extend(m.clone());
        }
        p
    }

    #[test]
    fn default_account_and_token_volume() {
        let mut c = Cluster::new();
        let p = create(&mut c, pod(json!({})), Caller::admin()).unwrap();
        assert_eq!(p.str_at("spec.serviceAccountName"), Some("default"));
        let vol = p.str_at("spec.volumes.0.name").unwrap().to_string();
        assert!(vol.starts_with("kube-api-access-") && vol.len() == 21, "{vol}");
        assert_eq!(p.str_at("spec.volumes.0.projected.sources.1.configMap.name"), Some("kube-root-ca.crt"));
        assert_eq!(p.path("spec.containers.0.volumeMounts.0"), Some(&json!({"mountPath": super::TOKEN_MOUNT_PATH, "name": vol, "readOnly": true})));
    }

    #[test]
    fn token_appended_to_stated_volumes_and_mounts() {
        let mut c = Cluster::new();
        let spec = json!({
            "volumes": [{"name": "data", "emptyDir": {}}],
            "initContainers": [{"name": "i", "image": "busybox", "volumeMounts": [{"name": "data", "mountPath": super::TOKEN_MOUNT_PATH}]}],
            "containers": [{"name": "c", "image": "nginx", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}, {"name": "d", "image": "nginx"}]
        });
        let p = create(&mut c, pod(spec), Caller::admin()).unwrap();
        let vol = p.str_at("spec.volumes.1.name").unwrap().to_string();
        assert!(vol.starts_with("kube-api-access-") && p.str_at("spec.volumes.0.name") == Some("data"), "{vol}");
        assert_eq!(p.path("spec.volumes.1.projected.sources.0.serviceAccountToken.expirationSeconds"), Some(&json!(3607)));
        assert_eq!(p.arr_at("spec.initContainers.0.volumeMounts").len(), 1, "already mounts the token path");
        let mount = json!({"mountPath": super::TOKEN_MOUNT_PATH, "name": vol, "readOnly": true});
        assert_eq!(p.path("spec.containers.0.volumeMounts"), Some(&json!([{"name": "data", "mountPath": "/data"}, mount])));
        assert_eq!(p.path("spec.containers.1.volumeMounts"), Some(&json!([mount])));
        assert_eq!(p.str_at("spec.serviceAccount"), Some("default"));
    }

    #[test]
    fn automount_off_and_missing_account() {
        let mut c = Cluster::new();
        create(&mut c, json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "quiet", "namespace": "default"}, "automountServiceAccountToken": false}), Caller::admin()).unwrap();
        let p = create(&mut c, pod(json!({"serviceAccountName": "quiet"})), Caller::admin()).unwrap();
        assert!(p.path("spec.volumes").is_none());
        let mut other = pod(json!({"serviceAccountName": "quiet", "automountServiceAccountToken": true}));
        other["metadata"]["name"] = json!("p2");
        assert!(create(&mut c, other, Caller::admin()).unwrap().path("spec.volumes.0.projected").is_some());
        let mut ghost = pod(json!({"serviceAccountName": "ghost"}));
        ghost["metadata"]["name"] = json!("p3");
        let e = create(&mut c, ghost, Caller::admin()).unwrap_err();
        assert_eq!(e.message, "pods \"p3\" is forbidden: error looking up service account default/ghost: serviceaccount \"ghost\" not found");
    }

    #[test]
    fn legacy_token_secret_is_filled() {
        let mut c = Cluster::new();
        create(&mut c, json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
            "metadata": {"name": "default-token", "namespace": "default", "annotations": {"kubernetes.io/service-account.name": "default"}}}), Caller::admin()).unwrap();
        c.settle();
        let s = c.store.get_by(crate::model::Kind::Secret, "default", "default-token").unwrap();
        assert_eq!(s.str_at("data.namespace"), Some("ZGVmYXVsdA=="));
        assert!(s.str_at("data.token").is_some() && s.path("data").and_then(|d| d.get("ca.crt")).is_some());
        let e = create(&mut c, json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token", "metadata": {"name": "t2", "namespace": "default"}}), Caller::admin()).unwrap_err();
        assert_eq!(e.message, "Secret \"t2\" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value");
    }
}
