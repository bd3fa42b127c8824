//! ConfigMaps and Secrets as pods consume them: env, envFrom and volumes, and what a missing
//! object or key does to a container (CreateContainerConfigError, ContainerCreating).

pub mod admit;

use super::kinds::Kind;
use super::object::{ObjExt, Object};
use super::store::Store;
use crate::value::Value;

/// Why a pod's containers cannot start yet because of configuration, if they cannot.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigProblem {
    /// Container waiting reason: `CreateContainerConfigError` or `ContainerCreating`.
    pub reason: String,
    /// As the kubelet words it, e.g. `configmap "app-config" not found`.
    pub message: String,
    /// Event reason and message (`Failed` / `FailedMount`).
    pub event_reason: String,
    pub event_message: String,
}

/// Which object a reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Src {
    ConfigMap,
    Secret,
}

impl Src {
    fn kind(self) -> Kind {
        match self {
            Src::ConfigMap => Kind::ConfigMap,
            Src::Secret => Kind::Secret,
        }
    }
    /// The resource word the kubelet's object cache uses in NotFound errors.
    fn word(self) -> &'static str {
        match self {
            Src::ConfigMap => "configmap",
            Src::Secret => "secret",
        }
    }
    fn title(self) -> &'static str {
        match self {
            Src::ConfigMap => "ConfigMap",
            Src::Secret => "Secret",
        }
    }
}

/// Whether `key` is present in a ConfigMap (data or binaryData) or Secret (data).
fn has_key(obj: &Object, key: &str) -> bool {
    ["data", "binaryData"].iter().any(|f| obj.path(f).and_then(|d| d.get(key)).is_some())
}

/// The kubelet's volume setup (pkg/volume/configmap, secret, projected): a missing object or item
/// key fails MountVolume.SetUp and the pod stays ContainerCreating.
fn volume_problem(store: &Store, ns: &str, vol: &Value) -> Option<String> {
    let check = |src: Src, name: &str, optional: bool, items: &[Value]| -> Option<String> {
        match store.get_by(src.kind(), ns, name) {
            None if optional => None,
            None => Some(format!("{} \"{}\" not found", src.word(), name)),
            Some(obj) => items.iter().filter_map(|i| i.str_at("key")).find(|k| !has_key(obj, k)).filter(|_| !optional).map(|k| match src {
                Src::ConfigMap => format!("configmap references non-existent config key: {k}"),
                Src::Secret => format!("references non-existent secret key: {k}"),
            }),
        }
    };
    if let Some(cm) = vol.path("configMap") {
        return check(Src::ConfigMap, cm.str_at("name").unwrap_or(""), cm.bool_at("optional") == Some(true), cm.arr_at("items"));
    }
    if let Some(s) = vol.path("secret") {
        return check(Src::Secret, s.str_at("secretName").unwrap_or(""), s.bool_at("optional") == Some(true), s.arr_at("items"));
    }
    for source in vol.arr_at("projected.sources") {
        let p = if let Some(cm) = source.path("configMap") {
            check(Src::ConfigMap, cm.str_at("name").unwrap_or(""), cm.bool_at("optional") == Some(true), cm.arr_at("items"))
        } else if let Some(s) = source.path("secret") {
            check(Src::Secret, s.str_at("name").unwrap_or(""), s.bool_at("optional") == Some(true), s.arr_at("items"))
        } else {
            None
        };
        if p.is_some() {
            return p;
        }
    }
    None
}

/// The kubelet's makeEnvironmentVariables (pkg/kubelet/kubelet_pods.go): envFrom first, then env.
fn env_problem(store: &Store, ns: &str, container: &Value) -> Option<String> {
    for ef in container.arr_at("envFrom") {
        for (field, src) in [("configMapRef", Src::ConfigMap), ("secretRef", Src::Secret)] {
            if let Some(r) = ef.path(field) {
                let name = r.str_at("name").unwrap_or("");
                if store.get_by(src.kind(), ns, name).is_none() && r.bool_at("optional") != Some(true) {
                    return Some(format!("{} \"{}\" not found", src.word(), name));
                }
            }
        }
    }
    for e in container.arr_at("env") {
        for (field, src) in [("valueFrom.configMapKeyRef", Src::ConfigMap), ("valueFrom.secretKeyRef", Src::Secret)] {
            let Some(r) = e.path(field) else { continue };
            let name = r.str_at("name").unwrap_or("");
            let key = r.str_at("key").unwrap_or("");
            let optional = r.bool_at("optional") == Some(true);
            match store.get_by(src.kind(), ns, name) {
                None if optional => {}
                None => return Some(format!("{} \"{}\" not found", src.word(), name)),
                Some(o) => {
                    let present = match src {
                        Src::ConfigMap => o.path("data").and_then(|d| d.get(key)).is_some(),
                        Src::Secret => o.path("data").and_then(|d| d.get(key)).is_some(),
                    };
                    if !present && !optional {
                        return Some(format!("couldn't find key {key} in {} {ns}/{name}", src.title()));
                    }
                }
            }
        }
    }
    None
}

/// The kubelet asks this before starting a pod's containers.
pub fn pod_config_problem(store: &Store, pod: &Object) -> Option<ConfigProblem> {
    let ns = pod.namespace();
    for vol in pod.arr_at("spec.volumes") {
        if let Some(why) = volume_problem(store, ns, vol) {
            let name = vol.str_at("name").unwrap_or("");
            return Some(ConfigProblem {
                reason: "ContainerCreating".into(),
                message: String::new(),
                event_reason: "FailedMount".into(),
                event_message: format!("MountVolume.SetUp failed for volume \"{name}\" : {why}"),
            });
        }
    }
    let containers = pod.arr_at("spec.initContainers").iter().chain(pod.arr_at("spec.containers"));
    for c in containers {
        if let Some(why) = env_problem(store, ns, c) {
            return Some(ConfigProblem {
                reason: "CreateContainerConfigError".into(),
                message: why.clone(),
                event_reason: "Failed".into(),
                event_message: format!("Error: {why}"),
            });
        }
    }
    None
}

/// Every ConfigMap or Secret a pod names, with where (for the diagrams): (kind, name, optional, via).
pub fn pod_references(pod: &Object) -> Vec<(Kind, String, bool, String)> {
    let mut out = Vec::new();
    for v in pod.arr_at("spec.volumes") {
        let vname = v.str_at("name").unwrap_or("");
        if let Some(cm) = v.path("configMap") {
            out.push((Kind::ConfigMap, cm.str_at("name").unwrap_or("").to_string(), cm.bool_at("optional") == Some(true), format!("volume {vname}")));
        }
        if let Some(s) = v.path("secret") {
            out.push((Kind::Secret, s.str_at("secretName").unwrap_or("").to_string(), s.bool_at("optional") == Some(true), format!("volume {vname}")));
        }
        for src in v.arr_at("projected.sources") {
            if let Some(cm) = src.path("configMap") {
                out.push((Kind::ConfigMap, cm.str_at("name").unwrap_or("").to_string(), cm.bool_at("optional") == Some(true), format!("volume {vname}")));
            }
            if let Some(s) = src.path("secret") {
                out.push((Kind::Secret, s.str_at("name").unwrap_or("").to_string(), s.bool_at("optional") == Some(true), format!("volume {vname}")));
            }
        }
    }
    for c in pod.arr_at("spec.initContainers").iter().chain(pod.arr_at("spec.containers")) {
        let cname = c.str_at("name").unwrap_or("");
        for ef in c.arr_at("envFrom") {
            if let Some(r) = ef.path("configMapRef") {
                out.push((Kind::ConfigMap, r.str_at("name").unwrap_or("").to_string(), r.bool_at("optional") == Some(true), format!("envFrom in container {cname}")));
            }
            if let Some(r) = ef.path("secretRef") {
                out.push((Kind::Secret, r.str_at("name").unwrap_or("").to_string(), r.bool_at("optional") == Some(true), format!("envFrom in container {cname}")));
            }
        }
        for e in c.arr_at("env") {
            let ename = e.str_at("name").unwrap_or("");
            if let Some(r) = e.path("valueFrom.configMapKeyRef") {
                out.push((Kind::ConfigMap, r.str_at("name").unwrap_or("").to_string(), r.bool_at("optional") == Some(true), format!("env {ename} in container {cname}")));
            }
            if let Some(r) = e.path("valueFrom.secretKeyRef") {
                out.push((Kind::Secret, r.str_at("name").unwrap_or("").to_string(), r.bool_at("optional") == Some(true), format!("env {ename} in container {cname}")));
            }
        }
    }
    for s in pod.arr_at("spec.imagePullSecrets") {
        out.push((Kind::Secret, s.str_at("name").unwrap_or("").to_string(), false, "imagePullSecrets".into()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::json;
    #[test]
    fn missing_objects_and_keys() {
        let mut s = Store::default();
        let pod = json!({"kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","env":[
            {"name":"A","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"k"}}}]}]}});
        let p = pod_config_problem(&s, &pod).unwrap();
        assert_eq!((p.reason.as_str(), p.message.as_str()), ("CreateContainerConfigError", "configmap \"cfg\" not found"));
        s.put(json!({"kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default"},"data":{"other":"1"}}));
        assert_eq!(pod_config_problem(&s, &pod).unwrap().message, "couldn't find key k in ConfigMap default/cfg");
        s.put(json!({"kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default"},"data":{"k":"1"}}));
        assert_eq!(pod_config_problem(&s, &pod), None);
        let vol = json!({"kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"volumes":[{"name":"v","secret":{"secretName":"s"}}],"containers":[{"name":"c"}]}});
        let p = pod_config_problem(&s, &vol).unwrap();
        assert_eq!(p.event_message, "MountVolume.SetUp failed for volume \"v\" : secret \"s\" not found");
        let opt = json!({"kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"volumes":[{"name":"v","secret":{"secretName":"s","optional":true}}],"containers":[{"name":"c"}]}});
        assert_eq!(pod_config_problem(&s, &opt), None);
    }
}
