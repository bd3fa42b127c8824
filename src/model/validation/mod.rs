//! API validation (`pkg/apis/*/validation`): names, required fields, enums, selectors, immutable
//! fields — the 422 `is invalid` errors, each with the field path that names the manifest line.
//! Runs after static defaulting, as in the real API server. Files: `names` (DNS-1123, labels),
//! `pod` (pod specs and templates), `workloads` (apps/batch), `other` (services, storage, RBAC...).

mod at;
mod names;
mod other;
mod pod;
mod warnings;
mod workloads;

use super::api::{FieldError, FieldErrorKind};
use super::kinds::Kind;
use super::object::{ObjExt, Object};
use crate::value::Value;

pub use names::{dns1035_label, dns1123_label, dns1123_subdomain, label_value, qualified_name};
pub use other::node_port_range;
pub use warnings::warnings;
pub use workloads::selects;

/// Validates an object about to be stored; `old` is the stored copy on update.
pub fn validate(kind: Kind, obj: &Object, old: Option<&Object>) -> Vec<FieldError> {
    let mut v = V::default();
    meta(&mut v, kind, obj);
    match kind {
        Kind::Pod => pod::pod(&mut v, obj),
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet => workloads::controller(&mut v, kind, obj),
        Kind::Job => workloads::job(&mut v, obj),
        Kind::CronJob => workloads::cronjob(&mut v, obj),
        Kind::Service => other::service(&mut v, obj),
        Kind::Ingress => other::ingress(&mut v, obj),
        Kind::PersistentVolumeClaim => other::pvc(&mut v, obj),
        Kind::PersistentVolume => other::pv(&mut v, obj),
        Kind::StorageClass => other::storage_class(&mut v, obj),
        Kind::Role | Kind::ClusterRole => other::rules(&mut v, kind == Kind::Role, obj),
        Kind::RoleBinding | Kind::ClusterRoleBinding => other::binding(&mut v, kind == Kind::RoleBinding, obj),
        Kind::ConfigMap | Kind::Secret => other::config_data(&mut v, kind, obj),
        _ => {}
    }
    if let Some(old) = old {
        update(&mut v, kind, obj, old);
    }
    v.errs
}

/// Collects field errors, with the constructors `field.Required`, `field.Invalid`... of apimachinery.
#[derive(Default)]
pub(crate) struct V {
    pub errs: Vec<FieldError>,
}

impl V {
    pub fn required(&mut self, f: impl Into<String>, detail: &str) {
        self.errs.push(FieldError::required(f, detail));
    }
    pub fn invalid(&mut self, f: impl Into<String>, value: &Value, detail: impl Into<String>) {
        self.errs.push(FieldError::invalid(f, value, detail));
    }
    /// Invalid with a value already rendered in Go syntax (`map[string]string{"app":"web"}`).
    pub fn invalid_raw(&mut self, f: impl Into<String>, rendered: String, detail: impl Into<String>) {
        self.errs.push(FieldError::new(f, FieldErrorKind::Invalid(rendered), detail));
    }
    pub fn unsupported(&mut self, f: impl Into<String>, value: &Value, supported: &[&str]) {
        self.errs.push(FieldError::unsupported(f, value, supported));
    }
    pub fn forbidden(&mut self, f: impl Into<String>, detail: impl Into<String>) {
        self.errs.push(FieldError::new(f, FieldErrorKind::Forbidden, detail));
    }
    pub fn duplicate(&mut self, f: impl Into<String>, value: &Value) {
        self.errs.push(FieldError::new(f, FieldErrorKind::Duplicate(super::api::render_value(value)), ""));
    }
    pub fn not_found(&mut self, f: impl Into<String>, value: &Value) {
        self.errs.push(FieldError::new(f, FieldErrorKind::NotFound(super::api::render_value(value)), ""));
    }
    /// `enum` check of an optional string field: absent/empty passes unless `required`.
    pub fn one_of(&mut self, obj: &Value, path: &str, f: &str, supported: &[&str], required: bool) {
        match obj.path(path) {
            Some(Value::String(s)) if supported.contains(&s.as_str()) => {}
            Some(Value::String(s)) if s.is_empty() && !required => {}
            None | Some(Value::Null) if !required => {}
            None | Some(Value::Null) => self.errs.push(FieldError::new(f, FieldErrorKind::Required, format!("supported values: {}", quoted(supported)))),
            Some(other) => self.unsupported(f, other, supported),
        }
    }
    /// `one_of` for the field `<prefix>.<path>`, its name formatted only for an error (pod
    /// validation checks a dozen such fields per pod a controller creates).
    pub fn one_of_at(&mut self, obj: &Value, path: &str, prefix: impl std::fmt::Display, supported: &[&str], required: bool) {
        match obj.path(path) {
            Some(Value::String(s)) if supported.contains(&s.as_str()) => {}
            Some(Value::String(s)) if s.is_empty() && !required => {}
            None | Some(Value::Null) if !required => {}
            _ => self.one_of(obj, path, &format!("{prefix}.{path}"), supported, required),
        }
    }
    /// `non_negative` for the field `<prefix>.<path>`, its name formatted only for an error.
    pub fn non_negative_at(&mut self, obj: &Value, path: &str, prefix: impl std::fmt::Display) {
        if obj.i64_at(path).is_some_and(|n| n < 0) {
            self.non_negative(obj, path, &format!("{prefix}.{path}"));
        }
    }
    /// `must be greater than or equal to 0` for an optional integer.
    pub fn non_negative(&mut self, obj: &Value, path: &str, f: &str) {
        if let Some(n) = obj.i64_at(path) {
            if n < 0 {
                self.invalid(f, &Value::from(n), "must be greater than or equal to 0");
            }
        }
    }
}

pub(crate) fn quoted(items: &[&str]) -> String {
    items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
}

/// Go's `%#v` of a `map[string]string`, as field errors print label maps.
pub(crate) fn go_string_map(v: Option<&Value>) -> String {
    let entries: Vec<String> = match v {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| format!("{k:?}:{}", super::api::render_value(v))).collect(),
        _ => return "map[string]string(nil)".into(),
    };
    format!("map[string]string{{{}}}", entries.join(", "))
}

/// Which name rule a kind's `metadata.name` follows (each kind's `ValidateXName`).
fn name_rule(kind: Kind) -> fn(&str) -> Vec<String> {
    match kind {
        Kind::Namespace => dns1123_label,
        Kind::Service => dns1035_label,
        Kind::Role | Kind::RoleBinding | Kind::ClusterRole | Kind::ClusterRoleBinding => names::path_segment,
        _ => dns1123_subdomain,
    }
}

/// ValidateObjectMeta: name (or generateName), namespace, labels, annotations.
fn meta(v: &mut V, kind: Kind, obj: &Object) {
    let name = obj.name();
    if name.is_empty() {
        if obj.str_at("metadata.generateName").is_none_or(str::is_empty) {
            v.required("metadata.name", "name or generateName is required");
        }
    } else {
        for msg in name_rule(kind)(name) {
            v.invalid("metadata.name", &Value::from(name), msg);
        }
        if kind == Kind::CronJob && name.len() > 52 {
            v.invalid("metadata.name", &Value::from(name), "must be no more than 52 characters");
        }
    }
    if kind.namespaced() {
        let ns = obj.namespace();
        if ns.is_empty() {
            v.required("metadata.namespace", "");
        } else {
            for msg in dns1123_label(ns) {
                v.invalid("metadata.namespace", &Value::from(ns), msg);
            }
        }
    }
    if kind == Kind::Pod {
        pod::pod_labels(v, obj);
    } else {
        labels(v, obj.path("metadata.labels"), "metadata.labels");
    }
    if let Some(Value::Object(a)) = obj.path("metadata.annotations") {
        let mut total = 0usize;
        for (k, val) in a {
            for msg in qualified_name(&k.to_ascii_lowercase()) {
                v.invalid("metadata.annotations", &Value::from(k.as_str()), msg);
            }
            total += k.len() + val.as_str().map_or(0, str::len);
        }
        if total > 256 * 1024 {
            v.errs.push(FieldError::new("metadata.annotations", FieldErrorKind::TooLong, "may not be more than 262144 bytes"));
        }
    }
}

/// ValidateLabels: qualified-name keys, label values.
pub(crate) fn labels(v: &mut V, l: Option<&Value>, f: &str) {
    let Some(Value::Object(m)) = l else { return };
    for (k, val) in m {
        for msg in qualified_name(k) {
            v.invalid(f, &Value::from(k.as_str()), msg);
        }
        if let Some(s) = val.as_str() {
            for msg in label_value(s) {
                v.invalid(f, val, msg);
            }
        }
    }
}

/// Rules that only apply when an object is replaced.
fn update(v: &mut V, kind: Kind, obj: &Object, old: &Object) {
    let changed = |p: &str| old.path(p).is_some_and(|o| !o.is_null()) && old.path(p) != obj.path(p);
    match kind {
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet | Kind::Job => {
            if changed("spec.selector") {
                v.invalid_raw("spec.selector", selector_go(obj.path("spec.selector")), "field is immutable");
            }
            if kind == Kind::Job && changed("spec.completions") && obj.str_at("spec.completionMode") != Some("Indexed") {
                v.invalid("spec.completions", obj.path("spec.completions").unwrap_or(&Value::Null), "field is immutable");
            }
            // A Job's pod template is immutable (the real message dumps the whole Go struct).
            if kind == Kind::Job && changed("spec.template") {
                v.invalid_raw("spec.template", "core.PodTemplateSpec{...}".into(), "field is immutable");
            }
        }
        Kind::StatefulSet => {
            // Only these may change; anything else is one Forbidden error on `spec`.
            let strip = |o: &Object| {
                let mut s = o.path("spec").cloned().unwrap_or(Value::Null);
                if let Some(m) = s.as_object_mut() {
                    for f in ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"] {
                        m.remove(f);
                    }
                }
                s
            };
            if strip(obj) != strip(old) {
                v.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
            }
        }
        Kind::Pod => pod::update(v, obj, old),
        // Service clusterIP changes: the allocator in model::network answers them.
        Kind::PersistentVolumeClaim => {
            let strip = |o: &Object| {
                let mut s = o.path("spec").cloned().unwrap_or(Value::Null);
                if let Some(m) = s.as_object_mut() {
                    m.remove("resources");
                    m.remove("volumeAttributesClassName");
                    m.remove("volumeName");
                }
                s
            };
            if strip(obj) != strip(old) {
                v.forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
            }
        }
        Kind::ConfigMap | Kind::Secret => {
            if old.bool_at("immutable") == Some(true) {
                if obj.path("data") != old.path("data") {
                    v.forbidden("data", "field is immutable when `immutable` is set");
                }
                if obj.path("binaryData") != old.path("binaryData") && kind == Kind::ConfigMap {
                    v.forbidden("binaryData", "field is immutable when `immutable` is set");
                }
                if obj.bool_at("immutable") != Some(true) {
                    v.forbidden("immutable", "field is immutable when `immutable` is set");
                }
            }
            if kind == Kind::Secret && changed("type") {
                v.invalid("type", obj.path("type").unwrap_or(&Value::Null), "field is immutable");
            }
        }
        Kind::RoleBinding | Kind::ClusterRoleBinding => {
            if changed("roleRef") {
                let r = |f: &str| format!("{:?}", obj.str_at(&format!("roleRef.{f}")).unwrap_or(""));
                v.invalid_raw("roleRef", format!("rbac.RoleRef{{APIGroup:{}, Kind:{}, Name:{}}}", r("apiGroup"), r("kind"), r("name")), "cannot change roleRef");
            }
        }
        Kind::StorageClass => {
            for (f, what) in [("parameters", "parameters"), ("provisioner", "provisioner"), ("reclaimPolicy", "reclaimPolicy"), ("volumeBindingMode", "volumeBindingMode")] {
                if old.path(f) != obj.path(f) {
                    v.forbidden(f, format!("updates to {what} are forbidden."));
                }
            }
        }
        _ => {}
    }
}

/// A label selector as Go prints `*v1.LabelSelector` with `%#v`-like verbs in errors.
pub(crate) fn selector_go(s: Option<&Value>) -> String {
    let ml = s.and_then(|s| s.path("matchLabels")).filter(|v| !v.is_null());
    let me = s.and_then(|s| s.path("matchExpressions")).and_then(Value::as_array).filter(|a| !a.is_empty());
    let exprs = match me {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(a) => format!(
            "[]v1.LabelSelectorRequirement{{{}}}",
            a.iter()
                .map(|e| format!(
                    "v1.LabelSelectorRequirement{{Key:{:?}, Operator:{:?}, Values:[]string{{{}}}}}",
                    e.str_at("key").unwrap_or(""),
                    e.str_at("operator").unwrap_or(""),
                    e.arr_at("values").iter().filter_map(Value::as_str).map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ")
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}", go_string_map(ml), exprs)
}

#[cfg(test)]
mod tests;
