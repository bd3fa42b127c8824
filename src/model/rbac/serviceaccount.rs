//! The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go): a pod
//! gets `serviceAccountName: default`, and unless automounting is off, the projected token volume
//! `kube-api-access-<5>` mounted read-only in every container.

use crate::model::api::{ApiError, Reason};
use crate::model::object::{set_path, ObjExt, Object};
use crate::model::{Cluster, Kind};
use serde_json::{json, Value};

pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The volume the plugin adds (same shape as `kubectl get pod -o yaml` shows on v1.34).
pub fn token_volume(name: &str) -> Value {
    json!({
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]
        }
    })
}

/// Pod create: service account name, existence check, token volume and mounts.
pub fn admit_pod(c: &mut Cluster, pod: &mut Object) -> Result<(), ApiError> {
    let ns = pod.namespace().to_string();
    let sa_name = pod
        .str_at("spec.serviceAccountName")
        .filter(|s| !s.is_empty())
        .or_else(|| pod.str_at("spec.serviceAccount").filter(|s| !s.is_empty()))
        .unwrap_or("default")
        .to_string();
    set_path(pod, "spec.serviceAccountName", json!(sa_name));
    // The deprecated alias, which the API server keeps equal to serviceAccountName.
    set_path(pod, "spec.serviceAccount", json!(sa_name));
    let sa = c.store.get_by(Kind::ServiceAccount, &ns, &sa_name).cloned();
    // `default` is created by the serviceaccount controller a moment after the namespace; the
    // simulator settles before any user request, so only named accounts can be missing here.
    if sa.is_none() && sa_name != "default" {
        return Err(ApiError::new(
            Reason::Forbidden,
            format!("pods \"{}\" is forbidden: error looking up service account {ns}/{sa_name}: serviceaccount \"{sa_name}\" not found", pod.name()),
        ));
    }
    if pod.arr_at("spec.imagePullSecrets").is_empty() {
        if let Some(ips) = sa.as_ref().map(|s| s.arr_at("imagePullSecrets").to_vec()).filter(|v| !v.is_empty()) {
            set_path(pod, "spec.imagePullSecrets", Value::Array(ips));
        }
    }
    let automount = pod
        .bool_at("spec.automountServiceAccountToken")
        .or_else(|| sa.as_ref().and_then(|s| s.bool_at("automountServiceAccountToken")))
        .unwrap_or(true);
    if !automount {
        return Ok(());
    }
    let already = |c: &Value| c.arr_at("volumeMounts").iter().any(|m| m.str_at("mountPath") == Some(TOKEN_MOUNT_PATH));
    let has_target = pod.arr_at("spec.containers").iter().chain(pod.arr_at("spec.initContainers")).any(|c| !already(c));
    if !has_target {
        return Ok(());
    }
    let vol = format!("kube-api-access-{}", c.rng.suffix(5));
    let mut volumes = pod.arr_at("spec.volumes").to_vec();
    volumes.push(token_volume(&vol));
    set_path(pod, "spec.volumes", Value::Array(volumes));
    let mount = json!({"mountPath": TOKEN_MOUNT_PATH, "name": vol, "readOnly": true});
    for field in ["spec.initContainers", "spec.containers"] {
        if let Some(Value::Array(cs)) = crate::model::object::path_mut(pod, field) {
            for ctr in cs.iter_mut() {
                if already(ctr) {
                    continue;
                }
                let mut mounts = ctr.arr_at("volumeMounts").to_vec();
                mounts.push(mount.clone());
                set_path(ctr, "volumeMounts", Value::Array(mounts));
            }
        }
    }
    Ok(())
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
    use serde_json::json;

    fn pod(extra: serde_json::Value) -> serde_json::Value {
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
