//! `kubectl apply` for the editor: create what is new, three-way merge what exists (last applied
//! configuration, live object, new manifest), so fields set by others (a `kubectl scale`, a
//! controller's defaults) survive unless the manifest itself changed them.
//!
//! Like kubectl, the manifest as applied is stored in the annotation
//! `kubectl.kubernetes.io/last-applied-configuration`
//! (staging/src/k8s.io/kubectl/pkg/util/apply.go, `SetOriginalConfiguration`). Lists are replaced
//! whole (JSON merge patch), a simplification of strategic merge patch for built-in kinds.

use crate::model::api::{self, ApiError, Caller, Reason};
use crate::model::object::{default_path, set_path};
use crate::model::{Cluster, Key, ObjExt, Object};
use crate::value::{json, Value};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// What `kubectl apply` prints after the object: `created`, `configured`, `unchanged`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Configured,
    Unchanged,
}

/// The key an object will be stored under (namespace defaulted from the context).
pub fn key_for(c: &Cluster, obj: &Object) -> Result<Key, ApiError> {
    let kind = crate::model::kinds::served(obj.str_at("apiVersion").unwrap_or(""), obj.kind_name())
        .ok_or_else(|| ApiError::new(Reason::BadRequest, format!("no matches for kind {:?} in version {:?}", obj.kind_name(), obj.str_at("apiVersion").unwrap_or(""))))?;
    if obj.name().is_empty() {
        return Err(ApiError::new(Reason::Invalid, format!("error when retrieving current configuration of {}: resource name may not be empty", kind.name())));
    }
    let ns = match obj.str_at("metadata.namespace") {
        Some(ns) if !ns.is_empty() => ns.to_string(),
        _ => c.context_namespace.clone(),
    };
    Ok(Key::new(kind, &ns, obj.name()))
}

/// Applies one object as the cluster admin.
pub fn apply_object(c: &mut Cluster, mut obj: Object) -> Result<(Key, Outcome), ApiError> {
    let key = key_for(c, &obj)?;
    if key.kind.namespaced() {
        default_path(&mut obj, "metadata.namespace", || json!(&*key.namespace));
    }
    let mut applied = obj.clone();
    if let Some(a) = applied.get_mut("metadata").and_then(|m| m.get_mut("annotations")).and_then(Value::as_object_mut) {
        a.remove(LAST_APPLIED);
    }
    let config = format!("{}\n", serde_json::to_string(&applied).unwrap_or_default());
    // The key has dots, so no dotted-path helper: walk the maps.
    if obj.path("metadata.annotations").is_none_or(|a| !a.is_object()) {
        set_path(&mut obj, "metadata.annotations", json!({}));
    }
    if let Some(a) = obj.get_mut("metadata").and_then(|m| m.get_mut("annotations")).and_then(Value::as_object_mut) {
        a.insert(LAST_APPLIED.into(), json!(config));
    }
    let Some(live) = c.store.get(&key).cloned() else {
        api::create(c, obj, Caller::admin())?;
        return Ok((key, Outcome::Created));
    };
    let original: Option<Value> = live.annotation(LAST_APPLIED).and_then(|s| serde_json::from_str(s).ok());
    let mut merged = live.clone();
    merge(&mut merged, original.as_ref(), &obj, 0);
    let rv_before = live.path("metadata.resourceVersion").cloned();
    let stored = api::update(c, merged, Caller::admin())?;
    let outcome = if stored.path("metadata.resourceVersion").cloned() == rv_before { Outcome::Unchanged } else { Outcome::Configured };
    Ok((key, outcome))
}

/// Three-way merge into `live`: fields in `new` win; fields that were in `original` (the last
/// applied manifest) but are gone from `new` are removed; everything else in `live` stays.
fn merge(live: &mut Value, original: Option<&Value>, new: &Value, depth: usize) {
    let (Value::Object(l), Value::Object(n)) = (&mut *live, new) else {
        *live = new.clone();
        return;
    };
    if depth > 64 {
        *live = new.clone();
        return;
    }
    if let Some(Value::Object(o)) = original {
        for k in o.keys() {
            if !n.contains_key(k) {
                l.remove(k);
            }
        }
    }
    for (k, nv) in n {
        let ov = original.and_then(|o| o.get(k));
        match l.get_mut(k) {
            Some(lv) if lv.is_object() && nv.is_object() => merge(lv, ov, nv, depth + 1),
            _ => {
                l.insert(k.clone(), nv.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_fields_others_set_and_drops_removed_ones() {
        let mut live = json!({"spec": {"replicas": 5, "paused": true, "x": 1}, "status": {"a": 1}});
        let original = json!({"spec": {"paused": true, "x": 1}});
        let new = json!({"spec": {"x": 2}});
        merge(&mut live, Some(&original), &new, 0);
        assert_eq!(live, json!({"spec": {"replicas": 5, "x": 2}, "status": {"a": 1}}));
    }

    #[test]
    fn apply_creates_then_configures_then_is_unchanged() {
        let mut c = Cluster::new();
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"}, "data": {"a": "1"}});
        let (key, o) = apply_object(&mut c, cm.clone()).expect("create");
        assert_eq!(o, Outcome::Created);
        assert_eq!(&*key.namespace, "default");
        let stored = c.store.get(&key).expect("stored");
        assert!(stored.annotation(LAST_APPLIED).is_some_and(|s| s.ends_with("}\n") && !s.contains(LAST_APPLIED)));
        assert_eq!(apply_object(&mut c, cm.clone()).expect("again").1, Outcome::Unchanged);
        let cm2 = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"}, "data": {"b": "2"}});
        assert_eq!(apply_object(&mut c, cm2).expect("update").1, Outcome::Configured);
        assert_eq!(c.store.get(&key).and_then(|o| o.path("data")).cloned(), Some(json!({"b": "2"})));
    }

    #[test]
    fn unknown_kind_and_missing_name_are_errors_not_panics() {
        let mut c = Cluster::new();
        assert!(apply_object(&mut c, json!({"apiVersion": "v1", "kind": "Nope", "metadata": {"name": "x"}})).is_err());
        assert!(apply_object(&mut c, json!({"apiVersion": "v1", "kind": "ConfigMap"})).is_err());
        assert!(apply_object(&mut c, json!([1, 2])).is_err());
    }
}
