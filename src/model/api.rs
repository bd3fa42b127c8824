//! The simulated kube-apiserver: create, update, delete with defaulting, validation, name
//! generation, UIDs and resource versions, returning errors worded as the real server words them.

use super::clock::fnv32a;
use super::kinds::Kind;
use super::object::{default_path, set_path, Key, ObjExt, Object};
use super::{admission, defaults, validation, Cluster};
use crate::value::{json, Value};

/// Who makes a request. RBAC applies to users; controllers act as themselves (always allowed).
#[derive(Clone, Debug, PartialEq)]
pub enum Caller {
    Controller,
    User { name: String, groups: Vec<String> },
}

impl Caller {
    /// The default kubeconfig user of a kubeadm cluster (member of `kubeadm:cluster-admins`).
    pub fn admin() -> Caller {
        Caller::User { name: "kubernetes-admin".into(), groups: vec!["kubeadm:cluster-admins".into(), "system:authenticated".into()] }
    }
}

/// Reason of a failed API call, as in `metav1.StatusReason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    BadRequest,
    Invalid,
    NotFound,
    AlreadyExists,
    Forbidden,
    Conflict,
    MethodNotAllowed,
}

/// One field problem, as `k8s.io/apimachinery/pkg/util/validation/field.Error`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// Field path in Kubernetes notation: `spec.containers[0].image`.
    pub field: String,
    pub kind: FieldErrorKind,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FieldErrorKind {
    Required,
    Forbidden,
    TooLong,
    /// Carries the offending value already rendered (`"Always"`, `80`).
    Invalid(String),
    Unsupported(String),
    Duplicate(String),
    NotFound(String),
}

impl FieldError {
    pub fn new(field: impl Into<String>, kind: FieldErrorKind, detail: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), kind, detail: detail.into() }
    }
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError::new(field, FieldErrorKind::Required, detail)
    }
    pub fn invalid(field: impl Into<String>, value: &Value, detail: impl Into<String>) -> FieldError {
        FieldError::new(field, FieldErrorKind::Invalid(render_value(value)), detail)
    }
    /// `spec.type: Unsupported value: "Loadbalancer": supported values: "ClusterIP", ...`
    pub fn unsupported(field: impl Into<String>, value: &Value, supported: &[&str]) -> FieldError {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            format!("supported values: {}", supported.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", "))
        };
        FieldError::new(field, FieldErrorKind::Unsupported(render_value(value)), detail)
    }
    /// The dotted path form used to find the line in the manifest: `spec.containers.0.image`.
    pub fn dotted_path(&self) -> String {
        self.field.replace('[', ".").replace(']', "")
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = match &self.kind {
            FieldErrorKind::Required => "Required value".to_string(),
            FieldErrorKind::Forbidden => "Forbidden".to_string(),
            FieldErrorKind::TooLong => "Too long".to_string(),
            FieldErrorKind::Invalid(v) => format!("Invalid value: {v}"),
            FieldErrorKind::Unsupported(v) => format!("Unsupported value: {v}"),
            FieldErrorKind::Duplicate(v) => format!("Duplicate value: {v}"),
            FieldErrorKind::NotFound(v) => format!("Not found: {v}"),
        };
        if self.detail.is_empty() {
            write!(f, "{}: {}", self.field, body)
        } else {
            write!(f, "{}: {}: {}", self.field, body, self.detail)
        }
    }
}

/// Go's `%#v`-like rendering that field errors use: strings quoted, numbers bare.
pub fn render_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

/// A failed API call.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub reason: Reason,
    /// The status message, e.g. `pods "web" not found`.
    pub message: String,
    /// Field errors for `Invalid` (used to point at manifest lines).
    pub causes: Vec<FieldError>,
}

impl ApiError {
    pub fn new(reason: Reason, message: impl Into<String>) -> ApiError {
        ApiError { reason, message: message.into(), causes: vec![] }
    }
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError::new(Reason::NotFound, format!("{} \"{}\" not found", kind.resource_group(), name))
    }
    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError::new(Reason::AlreadyExists, format!("{} \"{}\" already exists", kind.resource_group(), name))
    }
    /// 422: `The Deployment "web" is invalid: spec.selector: Required value`
    pub fn invalid(kind: &str, name: &str, causes: Vec<FieldError>) -> ApiError {
        let list = if causes.len() == 1 {
            causes[0].to_string()
        } else {
            format!("[{}]", causes.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "))
        };
        ApiError { reason: Reason::Invalid, message: format!("{kind} \"{name}\" is invalid: {list}"), causes }
    }
    /// How kubectl prints it on stderr.
    pub fn kubectl_message(&self) -> String {
        match self.reason {
            Reason::Invalid => format!("The {}", self.message),
            r => format!("Error from server ({:?}): {}", r, self.message),
        }
    }
}

/// How `kubectl delete --cascade` propagates to dependents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

/// `POST`: defaulting, validation, admission, then store. Returns the stored object.
pub fn create(c: &mut Cluster, obj: Object, caller: Caller) -> Result<Object, ApiError> {
    // One copy, of the stored object (it carries the resourceVersion the store gave it).
    let key = create_key(c, obj, caller)?;
    Ok(c.store.get(&key).cloned().expect("just stored"))
}

/// `create` for callers that do not read the stored object back (controllers' creates, through
/// `Cluster::perform`): its key, and no copy of it.
pub fn create_key(c: &mut Cluster, mut obj: Object, caller: Caller) -> Result<Key, ApiError> {
    let kind = obj.kind().ok_or_else(|| ApiError::new(Reason::BadRequest, format!("no kind \"{}\" is registered", obj.kind_name())))?;
    super::quantity::canonicalize(kind, &mut obj); // decoding: quantities in canonical form
    if c.store.len() >= c.limits.max_objects {
        return Err(ApiError::new(Reason::Forbidden, format!("exceeded quota: the simulated cluster holds at most {} objects", c.limits.max_objects)));
    }
    if kind.namespaced() {
        default_path(&mut obj, "metadata.namespace", || json!(c.context_namespace.clone()));
        let ns = obj.namespace().to_string();
        match c.store.get_by(Kind::Namespace, "", &ns) {
            None => return Err(ApiError::new(Reason::NotFound, format!("namespaces \"{ns}\" not found"))),
            Some(n) if n.is_deleting() && caller != Caller::Controller => {
                return Err(ApiError::new(
                    Reason::Forbidden,
                    format!("{} \"{}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", kind.resource_group(), obj.name()),
                ))
            }
            _ => {}
        }
    } else if let Some(m) = obj.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        m.remove("namespace");
    }
    // Name generation: generateName + 5 random characters (names.SimpleNameGenerator).
    if obj.name().is_empty() {
        if let Some(prefix) = obj.str_at("metadata.generateName").map(str::to_string) {
            let prefix = if prefix.len() > 58 { prefix[..58].to_string() } else { prefix };
            let name = format!("{prefix}{}", c.rng.suffix(5));
            set_path(&mut obj, "metadata.name", json!(name));
        }
    }
    defaults::apply(kind, &mut obj);
    if kind == Kind::Pod {
        // PrepareForCreate (pkg/registry/core/pod/strategy.go): whatever status was sent, a new
        // pod's is its phase and QoS class. (The scheduler wrote them a moment later, one more
        // write per pod.)
        let qos = super::controllers::resources::qos_class(&obj);
        set_path(&mut obj, "status", json!({"phase": "Pending", "qosClass": qos}));
    }
    let errs = validation::validate(kind, &obj, None);
    if !errs.is_empty() {
        return Err(ApiError::invalid(kind.name(), obj.name(), errs));
    }
    let key = obj.key().expect("kind known");
    if c.store.contains(&key) {
        return Err(ApiError::already_exists(kind, &key.name));
    }
    let uid = c.rng.uuid();
    set_path(&mut obj, "metadata.uid", json!(uid));
    set_path(&mut obj, "metadata.creationTimestamp", json!(c.clock.timestamp()));
    if has_generation(kind) {
        set_path(&mut obj, "metadata.generation", json!(1));
    }
    admission::admit(c, kind, &mut obj)?;
    // Admission changes neither kind, namespace nor name: the key computed above is the object's.
    Ok(c.store.put_keyed(key, obj))
}

/// Kinds whose spec changes bump `metadata.generation`.
pub fn has_generation(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet | Kind::Job | Kind::CronJob | Kind::Ingress | Kind::Pod
            | Kind::PersistentVolumeClaim
    )
}

/// `PUT`: replaces metadata (labels, annotations, ownerReferences, finalizers) and spec/data of an
/// existing object; server-owned fields and status are kept. Returns the stored object.
pub fn update(c: &mut Cluster, mut obj: Object, _caller: Caller) -> Result<Object, ApiError> {
    let kind = obj.kind().ok_or_else(|| ApiError::new(Reason::BadRequest, "no kind"))?;
    super::quantity::canonicalize(kind, &mut obj); // decoding: quantities in canonical form
    if kind.namespaced() {
        default_path(&mut obj, "metadata.namespace", || json!(c.context_namespace.clone()));
    }
    let key = obj.key().expect("kind known");
    // Shared, not copied: the old object is only read (and returned as is by a no-op update).
    let old = c.store.get_shared(&key).ok_or_else(|| ApiError::not_found(kind, &key.name))?;
    defaults::apply(kind, &mut obj);
    for path in ["metadata.uid", "metadata.creationTimestamp", "metadata.generation", "metadata.deletionTimestamp", "metadata.deletionGracePeriodSeconds"] {
        match old.path(path) {
            Some(v) => set_path(&mut obj, path, v.clone()),
            None => {
                let _ = super::object::remove_path(&mut obj, path);
            }
        }
    }
    // An update never writes status: PrepareForUpdate keeps the stored one (`newPod.Status =
    // oldPod.Status`, pkg/registry/core/pod/strategy.go; the same for every kind with a status
    // subresource), so a manifest copied from `kubectl get -o yaml`, status and all, changes only
    // what it may. Status is written through `update_status`, as controllers write it.
    match old.path("status") {
        Some(s) => set_path(&mut obj, "status", s.clone()),
        None => drop(super::object::remove_path(&mut obj, "status")),
    }
    admission::carry_over(c, kind, &old, &mut obj)?;
    let errs = validation::validate(kind, &obj, Some(&old));
    if !errs.is_empty() {
        return Err(ApiError::invalid(kind.name(), obj.name(), errs));
    }
    if has_generation(kind) && spec_of(&old) != spec_of(&obj) {
        let g = old.i64_at("metadata.generation").unwrap_or(1) + 1;
        set_path(&mut obj, "metadata.generation", json!(g));
    }
    let same = same_but_resource_version(&old, &obj);
    #[cfg(debug_assertions)]
    {
        let strip = |o: &Object| {
            let mut o = o.clone();
            let _ = super::object::remove_path(&mut o, "metadata.resourceVersion");
            o
        };
        debug_assert_eq!(same, strip(&old) == strip(&obj), "same_but_resource_version disagrees with comparing stripped copies");
    }
    if same {
        return Ok(Object::clone(&old));
    }
    c.store.put(obj);
    Ok(c.store.get(&key).cloned().expect("just stored"))
}

/// Whether two objects are equal once `metadata.resourceVersion` is left out of both: compared in
/// place (copying both objects to strip it was a tenth of a keystroke's instructions).
fn same_but_resource_version(a: &Object, b: &Object) -> bool {
    let (Value::Object(x), Value::Object(y)) = (a, b) else { return a == b };
    x.len() == y.len()
        && x.iter().zip(y).all(|((k, v), (l, w))| {
            k == l
                && match (k.as_str(), v, w) {
                    ("metadata", Value::Object(m), Value::Object(n)) => {
                        let kept = |(k, _): &(&crate::value::MapKey, &Value)| k.as_str() != "resourceVersion";
                        m.iter().filter(kept).eq(n.iter().filter(kept))
                    }
                    _ => v == w,
                }
        })
}

fn spec_of(o: &Object) -> Option<&Value> {
    o.path("spec")
}

/// Status subresource: replaces `status` only, no validation (controllers and kubelet).
pub fn update_status(c: &mut Cluster, key: &Key, mut status: Value) {
    super::quantity::canonicalize_status(key.kind, &mut status); // decoding, as for any write
    // An equal status writes nothing (no new resourceVersion), as before.
    c.store.replace_status(key, status);
}

/// `POST pods/NAME/binding`: sets `spec.nodeName` and the PodScheduled condition, as the registry's
/// `setPodNodeAndMetadata` does (pkg/registry/core/pod/storage/storage.go). Refused when already bound.
pub fn bind(c: &mut Cluster, key: &Key, node: &str) -> Result<(), ApiError> {
    let check = |old: &Object| {
        if old.is_deleting() {
            return Err(ApiError::new(Reason::Conflict, format!("pod {} is being deleted, cannot be assigned to a host", key.name)));
        }
        if let Some(n) = old.str_at("spec.nodeName").filter(|n| !n.is_empty()) {
            return Err(ApiError::new(Reason::Conflict, format!("pod {} is already assigned to node \"{n}\"", key.name)));
        }
        Ok(())
    };
    let now = c.clock.timestamp();
    // Written in place (no copy of the pod to change and store, no old copy to free): a binding
    // touches neither the pod's UID, owners nor finalizers. Checked and written in one look-up.
    let found = c.store.put_in_place_checked(key, check, |o| {
        set_path(o, "spec.nodeName", json!(node));
        let mut conds: Vec<Value> = o.arr_at("status.conditions").iter().filter(|c| c.str_at("type") != Some("PodScheduled")).cloned().collect();
        conds.push(json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now}));
        set_path(o, "status.conditions", Value::Array(conds));
    })?;
    if !found {
        return Err(ApiError::not_found(key.kind, &key.name));
    }
    Ok(())
}

/// `DELETE`. Objects with finalizers (or foreground deletion) get a deletionTimestamp and stay until
/// a controller removes them; pods get a grace period handled by the kubelet; the rest go at once
/// and the garbage collector handles dependents.
pub fn delete(c: &mut Cluster, key: &Key, propagation: Propagation, grace_seconds: Option<i64>) -> Result<Object, ApiError> {
    let old = c.store.get(key).cloned().ok_or_else(|| ApiError::not_found(key.kind, &key.name))?;
    if key.kind == Kind::Namespace && matches!(&*key.name, "default" | "kube-system" | "kube-public") {
        // pkg/kubeapiserver/admission/.../namespace/lifecycle: immortal namespaces.
        return Err(ApiError::new(Reason::Forbidden, format!("namespaces \"{}\" is forbidden: this namespace may not be deleted", key.name)));
    }
    let mut o = old.clone();
    if old.is_deleting() {
        // Deleting again with a zero grace period forces removal, as `--force --grace-period=0`.
        if grace_seconds == Some(0) {
            c.store.remove(key);
        }
        return Ok(old);
    }
    let mut finalizers: Vec<Value> = old.arr_at("metadata.finalizers").to_vec();
    match propagation {
        Propagation::Foreground => finalizers.push(json!("foregroundDeletion")),
        Propagation::Orphan => finalizers.push(json!("orphan")),
        Propagation::Background => {}
    }
    let graceful = key.kind == Kind::Pod && grace_seconds != Some(0) && old.str_at("spec.nodeName").is_some();
    if finalizers.is_empty() && !graceful && key.kind != Kind::Namespace {
        c.store.remove(key);
        return Ok(old);
    }
    set_path(&mut o, "metadata.deletionTimestamp", json!(c.clock.timestamp()));
    if key.kind == Kind::Pod {
        let g = grace_seconds.unwrap_or_else(|| old.i64_at("spec.terminationGracePeriodSeconds").unwrap_or(30)).max(0);
        set_path(&mut o, "metadata.deletionGracePeriodSeconds", json!(g));
        // A pod's deletionTimestamp is when the grace period ends (pkg/registry/rest/delete.go).
        let end = super::clock::rfc3339(c.clock.now_secs().saturating_add(g.min(1 << 40)));
        set_path(&mut o, "metadata.deletionTimestamp", json!(end));
    }
    if !finalizers.is_empty() {
        set_path(&mut o, "metadata.finalizers", Value::Array(finalizers));
    }
    if key.kind == Kind::Namespace {
        set_path(&mut o, "status.phase", json!("Terminating"));
    }
    c.store.put(o.clone());
    Ok(o)
}

/// A stable hash of a JSON value, rendered like `pod-template-hash` (e.g. `7c5ddbdf54`).
pub fn template_hash(v: &Value, collision_count: i64) -> String {
    let mut s = v.to_string();
    if collision_count > 0 {
        s.push_str(&collision_count.to_string());
    }
    super::clock::safe_encode(&fnv32a(s.as_bytes()).to_string())
}

#[cfg(test)]
mod tests {
    use super::same_but_resource_version as same;
    use crate::value::json;

    #[test]
    fn equal_but_the_resource_version() {
        let a = json!({"kind": "ConfigMap", "metadata": {"name": "x", "resourceVersion": "7"}, "data": {"k": "v"}});
        assert!(same(&a, &json!({"kind": "ConfigMap", "metadata": {"name": "x", "resourceVersion": "9"}, "data": {"k": "v"}})));
        assert!(same(&a, &json!({"kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"k": "v"}})));
        assert!(!same(&a, &json!({"kind": "ConfigMap", "metadata": {"name": "y", "resourceVersion": "7"}, "data": {"k": "v"}})));
        assert!(!same(&a, &json!({"kind": "ConfigMap", "metadata": {"name": "x", "resourceVersion": "7"}, "data": {"k": "w"}})));
        assert!(!same(&a, &json!({"kind": "ConfigMap", "metadata": {"name": "x", "resourceVersion": "7"}})));
        // Stripping leaves an empty metadata, which is not the same as none.
        assert!(same(&json!({"metadata": {"resourceVersion": "1"}}), &json!({"metadata": {}})));
        assert!(!same(&json!({"metadata": {"resourceVersion": "1"}}), &json!({})));
        assert!(same(&json!([1]), &json!([1])) && !same(&json!("a"), &json!("b")));
    }
}
