//! Helpers the workload controllers share: label selectors, controller references, pods from
//! templates, pod readiness/availability (`pkg/controller/controller_utils.go`,
//! `pkg/api/v1/pod/util.go`), conditions, and names generated without touching the cluster's Rng.

use crate::model::clock::{fnv32a, parse_rfc3339, Clock, EPOCH_SECS, NAME_ALPHABET};
use crate::model::object::{field_str, set_field, set_path, Labels, ObjExt, Object};
use crate::model::events::EventSpec;
use crate::model::object::Key;
use crate::model::store::Store;
use crate::model::{Action, Kind};
use crate::value::{json, Value};
use std::collections::{BTreeMap, HashSet};

/// Does a `metav1.LabelSelector` select these labels? A missing (null) selector selects nothing;
/// an empty one (`{}`) selects everything, as `metav1.LabelSelectorAsSelector` does.
pub fn selector_matches(sel: Option<&Value>, labels: &Labels) -> bool {
    let Some(sel) = sel.filter(|s| s.is_object()) else { return false };
    for (k, v) in crate::model::object::string_map(sel.path("matchLabels")) {
        if labels.get(&k) != Some(&v) {
            return false;
        }
    }
    for e in sel.arr_at("matchExpressions") {
        let key = e.str_at("key").unwrap_or("");
        let values: Vec<&str> = e.arr_at("values").iter().filter_map(|v| v.as_str()).collect();
        let have = labels.get(key);
        let ok = match e.str_at("operator").unwrap_or("") {
            "In" => have.is_some_and(|h| values.contains(&h.as_str())),
            "NotIn" => have.is_none_or(|h| !values.contains(&h.as_str())),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// `selector_matches` over an object's `metadata.labels` as stored (no map is built: hot path).
pub fn selects(sel: Option<&Value>, obj: &Object) -> bool {
    let Some(sel) = sel.filter(|s| s.is_object()) else { return false };
    let labels = obj.path("metadata.labels");
    let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(|v| v.as_str());
    if let Some(m) = sel.path("matchLabels").and_then(|m| m.as_object()) {
        if m.iter().any(|(k, v)| v.as_str().is_none_or(|v| get(k) != Some(v))) {
            return false;
        }
    }
    if sel.arr_at("matchExpressions").is_empty() {
        return true;
    }
    selector_matches(Some(sel), &obj.labels())
}

/// True when the selector has neither matchLabels nor matchExpressions (selects everything).
pub fn selector_is_empty(sel: Option<&Value>) -> bool {
    match sel {
        Some(s) => s.path("matchLabels").and_then(|m| m.as_object()).is_none_or(|m| m.is_empty()) && s.arr_at("matchExpressions").is_empty(),
        None => false,
    }
}

/// An ownerReference naming `owner` as the managing controller.
pub fn controller_ref(owner: &Object) -> Value {
    // Built directly (each pod a ReplicaSet creates gets one): `json!` copies every string once
    // more through serde's serializer.
    let s = |v: &str| Value::String(v.into());
    let mut r = crate::value::Map::new();
    r.insert("apiVersion".into(), Value::String(owner.kind().map(|k| k.api_version()).unwrap_or_default().into()));
    r.insert("blockOwnerDeletion".into(), Value::Bool(true));
    r.insert("controller".into(), Value::Bool(true));
    r.insert("kind".into(), s(owner.kind_name()));
    r.insert("name".into(), s(owner.name()));
    r.insert("uid".into(), s(owner.uid()));
    Value::Object(r)
}

/// The objects of `kind` whose controller is `owner` (through the store's owner index).
pub fn owned<'a>(store: &'a Store, owner: &Object, kind: Kind) -> Vec<&'a Object> {
    let uid = owner.uid();
    if uid.is_empty() {
        return vec![];
    }
    // The index's keys give the kind without reading (and looking up) each object's `kind`.
    store.child_entries(uid).filter(|(k, _)| k.kind == kind).map(|(_, o)| o).filter(|o| o.controller_uid() == Some(uid)).collect()
}

/// Orphans of one kind (no controller reference, not being deleted), by namespace, found with one
/// scan per reconcile pass; `claimed` remembers what was adopted during the pass.
pub struct Orphans<'a> {
    by_ns: BTreeMap<&'a str, Vec<&'a Object>>,
    pub claimed: HashSet<String>,
}

impl<'a> Orphans<'a> {
    pub fn scan(store: &'a Store, kind: Kind) -> Orphans<'a> {
        let mut by_ns: BTreeMap<&str, Vec<&Object>> = BTreeMap::new();
        // The store's index of objects without a controller, not a read of every object's owners.
        for o in store.uncontrolled(kind) {
            if !o.is_deleting() {
                by_ns.entry(o.namespace()).or_default().push(o);
            }
        }
        if cfg!(debug_assertions) {
            let scanned: Vec<&Object> = store.list(kind).filter(|o| o.controller_uid().is_none() && !o.is_deleting()).collect();
            let indexed: Vec<&Object> = by_ns.values().flatten().copied().collect();
            assert!(scanned.len() == indexed.len() && scanned.iter().zip(&indexed).all(|(a, b)| std::ptr::eq(*a, *b)), "the store's index of uncontrolled {kind:?}s disagrees with a scan");
        }
        Orphans { by_ns, claimed: HashSet::new() }
    }
    /// Whether `ns` has orphans at all (adopted this pass or not).
    pub fn any_in(&self, ns: &str) -> bool {
        self.by_ns.get(ns).is_some_and(|l| !l.is_empty())
    }
    /// Orphans in `ns` that `sel` matches and nobody adopted yet in this pass; marks them claimed.
    pub fn adopt(&mut self, ns: &str, sel: Option<&Value>) -> Vec<&'a Object> {
        let mut out = Vec::new();
        if let Some(list) = self.by_ns.get(ns) {
            for o in list {
                if !self.claimed.contains(o.uid()) && selects(sel, o) {
                    self.claimed.insert(o.uid().to_string());
                    out.push(*o);
                }
            }
        }
        out
    }
}

/// `o` with `owner` added as controller (adoption, `ClaimObject`).
pub fn with_controller(o: &Object, owner: &Object) -> Object {
    let mut n = o.clone();
    let mut refs: Vec<Value> = o.arr_at("metadata.ownerReferences").to_vec();
    refs.push(controller_ref(owner));
    set_path(&mut n, "metadata.ownerReferences", Value::Array(refs));
    n
}

/// `o` without its reference to `owner_uid` (release).
pub fn without_owner(o: &Object, owner_uid: &str) -> Object {
    let mut n = o.clone();
    let refs: Vec<Value> = o.arr_at("metadata.ownerReferences").iter().filter(|r| r.str_at("uid") != Some(owner_uid)).cloned().collect();
    if refs.is_empty() {
        let _ = crate::model::object::remove_path(&mut n, "metadata.ownerReferences");
    } else {
        set_path(&mut n, "metadata.ownerReferences", Value::Array(refs));
    }
    n
}

/// A pod built from a template the way `GetPodFromTemplate` does: template labels, annotations
/// and spec, the owner as controller, and the given name (the name generator's result).
pub fn pod_from_template(template: Option<&Value>, owner: &Object, generate_name: Option<&str>, name: &str) -> Object {
    let empty = json!({});
    let t = template.unwrap_or(&empty);
    // Maps built directly: `json!` would copy the metadata and the spec once more through
    // serde's serializer (a ReplicaSet scaled to 1,000 builds 1,000 pods).
    let mut meta = crate::value::Map::new();
    meta.insert("name".into(), Value::String(name.into()));
    meta.insert("namespace".into(), Value::String(owner.namespace().into()));
    meta.insert("ownerReferences".into(), Value::Array(vec![controller_ref(owner)]));
    if let Some(g) = generate_name {
        meta.insert("generateName".into(), Value::String(g.into()));
    }
    let tmeta = t.get("metadata");
    for f in ["labels", "annotations", "finalizers"] {
        if let Some(v) = tmeta.and_then(|m| m.get(f)).filter(|v| !v.is_null()) {
            meta.insert(f.into(), v.clone());
        }
    }
    let mut pod = crate::value::Map::new();
    pod.insert("apiVersion".into(), Value::String("v1".into()));
    pod.insert("kind".into(), Value::String("Pod".into()));
    pod.insert("metadata".into(), Value::Object(meta));
    pod.insert("spec".into(), t.get("spec").cloned().unwrap_or(json!({})));
    Value::Object(pod)
}

/// A copy of `shape` (a `pod_from_template` result) under another name: a controller creating
/// many pods from one template builds it once and copies it, which neither compares keys nor
/// looks the owner's kind up again.
pub fn renamed(shape: &Object, name: impl Into<crate::value::Str>) -> Object {
    let mut pod = shape.clone();
    if let Some(meta) = pod.get_mut("metadata") {
        set_field(meta, "name", Value::String(name.into()));
    }
    pod
}

/// FNV-1a carried on over more bytes: `fnv_more(fnv32a(a), b) == fnv32a(a ++ b)`.
pub fn fnv_more(mut h: u32, data: &[u8]) -> u32 {
    for b in data {
        h ^= *b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// `fnv_more` over the decimal digits of `n` (as `n.to_string()` spells them), with no string made.
fn fnv_decimal(h: u32, mut n: u64) -> u32 {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return fnv_more(h, &digits[i..]);
        }
    }
}

/// `<prefix><5 chars>` from the name alphabet, stable for the same inputs and different from
/// every existing pod (the API server's generator would use its Rng; controllers are pure).
pub fn generate_name(store: &Store, kind: Kind, ns: &str, prefix: &str, salt: &str, taken: &mut HashSet<String>) -> String {
    generate_name_hashed(store, kind, ns, prefix, fnv32a(salt.as_bytes()), taken)
}

/// `generate_name` with the salt `<owner>/<i>`, given as `fnv32a(owner)` and `i`: a controller
/// creating many pods hashes the owner part once and formats no salt per pod.
pub fn generate_name_nth(store: &Store, kind: Kind, ns: &str, prefix: &str, owner_hash: u32, i: usize, taken: &mut HashSet<String>) -> String {
    generate_name_hashed(store, kind, ns, prefix, fnv_decimal(fnv_more(owner_hash, b"/"), i as u64), taken)
}

/// `generate_name` from the FNV-1a state after the salt: the seed is the hash of
/// `<salt>/<resourceVersion>`, carried on from there.
fn generate_name_hashed(store: &Store, kind: Kind, ns: &str, prefix: &str, salt_hash: u32, taken: &mut HashSet<String>) -> String {
    let prefix = if prefix.len() > 58 { &prefix[..58] } else { prefix };
    let mut seed = fnv_decimal(fnv_more(salt_hash, b"/"), store.resource_version()) as u64;
    for attempt in 0..64u64 {
        let mut s = String::with_capacity(prefix.len() + 5);
        s.push_str(prefix);
        let mut x = seed ^ (attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        for _ in 0..5 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            s.push(NAME_ALPHABET[((x >> 33) % NAME_ALPHABET.len() as u64) as usize] as char);
        }
        if !taken.contains(&s) && store.get_by(kind, ns, &s).is_none() {
            taken.insert(s.clone());
            return s;
        }
        seed = seed.wrapping_add(attempt + 1);
    }
    let s = format!("{prefix}{}", taken.len());
    taken.insert(s.clone());
    s
}

/// Creates `obj` reporting the outcome on `owner`: `ok_msg` as a Normal `SuccessfulCreate`, or a
/// Warning `FailedCreate` `Error creating: <refusal>` (controller_utils.go CreatePods).
pub fn create_reporting(owner: &Key, source: &'static str, obj: Object, ok_msg: String) -> Action {
    Action::CreateReporting(obj, EventSpec::normal(owner.clone(), source, "SuccessfulCreate", ok_msg), EventSpec::warning(owner.clone(), source, "FailedCreate", "Error creating: "))
}

/// Did a create for `owner` fail at this very moment? Then the controller waits (`requeue`)
/// instead of retrying in every settle round, as the real one backs off.
pub fn failed_create_now(store: &Store, owner: &Object, clock: &Clock, out: &mut crate::model::Reconciled) -> bool {
    failed_create_message(store, owner, clock, out).is_some()
}

/// The refusal behind a `FailedCreate` recorded at this moment, if any (see `failed_create_now`).
pub fn failed_create_message(store: &Store, owner: &Object, clock: &Clock, out: &mut crate::model::Reconciled) -> Option<String> {
    let now = clock.timestamp();
    let prefix = format!("{}.", owner.name());
    let failed = store.list_prefix(Kind::Event, owner.namespace(), &prefix).rev().take(64).find(|e| {
        e.str_at("involvedObject.uid") == Some(owner.uid()) && e.str_at("reason") == Some("FailedCreate") && e.str_at("lastTimestamp") == Some(now.as_str())
    });
    let msg = failed.map(|e| e.str_at("message").unwrap_or("").trim_start_matches("Error creating: ").to_string());
    if msg.is_some() {
        out.requeue(clock.now_ms + 10_000);
    }
    msg
}

/// `IsPodActive`: not Succeeded, not Failed, not being deleted.
pub fn pod_active(p: &Object) -> bool {
    !matches!(p.get("status").and_then(|s| s.get("phase")).and_then(Value::as_str), Some("Succeeded") | Some("Failed")) && !p.is_deleting()
}

/// The Ready condition is True.
pub fn pod_ready(p: &Object) -> bool {
    ready_since(p).is_some()
}

/// Unix seconds since which the pod has been Ready, if it is.
pub fn ready_since(p: &Object) -> Option<i64> {
    let conds = p.get("status").and_then(|s| s.get("conditions")).and_then(Value::as_array)?;
    let c = conds.iter().find(|c| field_str(c, "type") == Some("Ready"))?;
    if field_str(c, "status") != Some("True") {
        return None;
    }
    Some(field_str(c, "lastTransitionTime").and_then(parse_rfc3339).unwrap_or(EPOCH_SECS))
}

/// `IsPodAvailable`: Ready for at least `min_ready` seconds. When Ready but not yet available,
/// `wake` learns the simulated ms at which it will be.
pub fn pod_available(p: &Object, min_ready: i64, clock: &Clock, wake: &mut Option<u64>) -> bool {
    ready_since(p).is_some_and(|since| available_since(since, min_ready, clock, wake))
}

/// `pod_available` for a pod Ready since `since` (Unix seconds).
pub fn available_since(since: i64, min_ready: i64, clock: &Clock, wake: &mut Option<u64>) -> bool {
    if min_ready <= 0 {
        return true;
    }
    let at = since.saturating_add(min_ready);
    if at <= clock.now_secs() {
        return true;
    }
    let ms = secs_to_ms(at);
    *wake = Some(wake.map_or(ms, |w| w.min(ms)));
    false
}

/// Unix seconds → the simulated clock's ms.
pub fn secs_to_ms(secs: i64) -> u64 {
    (secs.saturating_sub(EPOCH_SECS).max(0) as u64).saturating_mul(1000)
}

/// Sets a condition like `SetDeploymentCondition`: unchanged when status and reason are the same;
/// `lastTransitionTime` kept when only the reason changes; the new one goes last.
pub fn set_condition(conds: &mut Vec<Value>, ctype: &str, status: &str, reason: &str, message: &str, now: &str, with_update_time: bool) {
    let cur = conds.iter().find(|c| c.str_at("type") == Some(ctype)).cloned();
    if let Some(c) = &cur {
        if c.str_at("status") == Some(status) && c.str_at("reason") == Some(reason) {
            return;
        }
    }
    let transition = match &cur {
        Some(c) if c.str_at("status") == Some(status) => c.str_at("lastTransitionTime").unwrap_or(now).to_string(),
        _ => now.to_string(),
    };
    let mut n = json!({"type": ctype, "status": status, "lastTransitionTime": transition, "reason": reason, "message": message});
    if with_update_time {
        n["lastUpdateTime"] = json!(now);
    }
    conds.retain(|c| c.str_at("type") != Some(ctype));
    conds.push(n);
}

/// An `int-or-string` such as `maxSurge: 25%` resolved against `total` (`intstr.GetScaledValueFromIntOrPercent`).
pub fn scaled_value(v: Option<&Value>, default: &str, total: i64, round_up: bool) -> i64 {
    let owned;
    let v = match v {
        Some(v) if !v.is_null() => v,
        _ => {
            owned = json!(default);
            &owned
        }
    };
    if let Some(n) = v.as_i64() {
        return n.max(0);
    }
    let s = v.as_str().unwrap_or("0");
    match s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
        Some(p) => {
            let x = p.max(0).saturating_mul(total.max(0));
            if round_up { (x + 99) / 100 } else { x / 100 }
        }
        None => s.parse::<i64>().unwrap_or(0).max(0),
    }
}

/// The template as a hashable value: labels sorted by the JSON map, the hash label removed.
/// `template_without_hash(a, label) == template_without_hash(b, label)` without copying either
/// template: the Deployment controller asks it of every ReplicaSet on every pass.
pub fn templates_equal(a: Option<&Value>, b: Option<&Value>, label: &str) -> bool {
    let empty = Value::Object(crate::value::Map::new());
    eq_ignoring(a.unwrap_or(&empty), b.unwrap_or(&empty), &["metadata", "labels"], label)
}

/// `a == b` when the map at `path` (in both) has `label` removed.
fn eq_ignoring(a: &Value, b: &Value, path: &[&str], label: &str) -> bool {
    let (Some(am), Some(bm)) = (a.as_object(), b.as_object()) else { return a == b };
    let (head, rest) = match path.split_first() {
        Some((h, r)) => (Some(*h), r),
        None => (None, path),
    };
    let skip = |k: &crate::value::MapKey| head.is_none() && k == label;
    am.keys().filter(|k| !skip(k)).count() == bm.keys().filter(|k| !skip(k)).count()
        && am.iter().filter(|(k, _)| !skip(k)).all(|(k, v)| match bm.get(k) {
            None => false,
            Some(w) if Some(k.as_str()) == head => eq_ignoring(v, w, rest, label),
            Some(w) => v == w,
        })
}

pub fn template_without_hash(t: Option<&Value>, label: &str) -> Value {
    let mut t = t.cloned().unwrap_or(json!({}));
    if let Some(l) = crate::model::object::path_mut(&mut t, "metadata.labels").and_then(|l| l.as_object_mut()) {
        l.remove(label);
    }
    t
}

/// Sets one annotation (keys contain dots, so not through `set_path`).
pub fn set_annotation(o: &mut Object, key: &str, value: &str) {
    if !o.path("metadata.annotations").is_some_and(|a| a.is_object()) {
        set_path(o, "metadata.annotations", json!({}));
    }
    if let Some(m) = crate::model::object::path_mut(o, "metadata.annotations").and_then(|a| a.as_object_mut()) {
        m.insert(key.into(), json!(value));
    }
}

/// Status fields the API omits when zero (`omitempty`).
pub fn put_nonzero(m: &mut crate::value::Map, key: &str, n: i64) {
    if n != 0 {
        m.insert(key.into(), json!(n));
    }
}

/// Test support shared by the workload controllers' tests.
#[cfg(test)]
pub mod testing {
    use crate::model::api::{create, Caller};
    use crate::model::object::{set_path, ObjExt, Object};
    use crate::model::{Cluster, Kind};
    use crate::value::json;

    /// An empty cluster with the default namespace and nothing else (no kubelet, no scheduler).
    pub fn cluster() -> Cluster {
        let mut c = Cluster::empty(3);
        // `run_all` stands in for the scheduler and the kubelet.
        c.disabled = vec!["default-scheduler", "kubelet"];
        create(&mut c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}), Caller::Controller).unwrap();
        c
    }

    /// Stands in for the kubelet: every Pending pod (as created) becomes Running and Ready now.
    pub fn run_all(c: &mut Cluster) {
        let ts = c.clock.timestamp();
        let pods: Vec<Object> = c.store.list(Kind::Pod).filter(|p| matches!(p.str_at("status.phase"), None | Some("Pending"))).cloned().collect();
        for mut p in pods {
            set_path(&mut p, "status", json!({"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":ts}]}));
            c.store.put(p);
        }
    }

    /// Reason and message of every event, sorted.
    pub fn events(c: &Cluster) -> Vec<String> {
        let mut v: Vec<_> = c.store.list(Kind::Event).map(|e| format!("{} {}", e.str_at("reason").unwrap_or(""), e.str_at("message").unwrap_or(""))).collect();
        crate::sort::ord(&mut v);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn pod_from_template_owner_and_fields() {
        let rs = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-1", "namespace": "ns", "uid": "u-1"}});
        let t = json!({"metadata": {"labels": {"app": "web"}, "annotations": null}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        let shape = pod_from_template(Some(&t), &rs, Some("web-1-"), "");
        assert_eq!(renamed(&shape, "web-1-abcde"), pod_from_template(Some(&t), &rs, Some("web-1-"), "web-1-abcde"));
        let p = pod_from_template(Some(&t), &rs, Some("web-1-"), "web-1-abcde");
        assert_eq!(p, json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web-1-abcde", "generateName": "web-1-", "namespace": "ns", "labels": {"app": "web"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "u-1", "controller": true, "blockOwnerDeletion": true}]},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}}));
    }

    #[test]
    fn templates_equal_ignores_only_the_hash_label() {
        let cases = [
            (json!({"metadata": {"labels": {"app": "a", "h": "1"}}, "spec": {"x": 1}}), json!({"metadata": {"labels": {"app": "a", "h": "2"}}, "spec": {"x": 1}})),
            (json!({"metadata": {"labels": {"app": "a", "h": "1"}}}), json!({"metadata": {"labels": {"app": "a"}}})),
            (json!({"metadata": {"labels": {"app": "a"}}}), json!({"metadata": {"labels": {"app": "b"}}})),
            (json!({"metadata": {"labels": {"h": "1"}}, "spec": {"x": 1}}), json!({"metadata": {"labels": {"h": "1"}}, "spec": {"x": 2}})),
            (json!({"metadata": {"labels": {"h": "1"}}}), json!({"metadata": {"labels": {}}})),
            (json!({"metadata": {"labels": {"h": "1"}}}), json!({"metadata": {}})),
            (json!({"metadata": {"h": "1"}}), json!({"metadata": {}})),
            (json!({}), json!({"spec": {}})),
            (json!({"metadata": {"labels": "h"}}), json!({"metadata": {"labels": "h"}})),
        ];
        for (a, b) in &cases {
            let want = template_without_hash(Some(a), "h") == template_without_hash(Some(b), "h");
            assert_eq!(templates_equal(Some(a), Some(b), "h"), want, "{a} vs {b}");
            assert_eq!(templates_equal(Some(b), Some(a), "h"), want, "{b} vs {a}");
        }
        assert!(templates_equal(None, Some(&json!({})), "h"));
        assert!(!templates_equal(None, Some(&json!({"spec": 1})), "h"));
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }
    #[test]
    fn selectors() {
        let l = labels(&[("app", "web"), ("tier", "fe")]);
        assert!(selector_matches(Some(&json!({"matchLabels": {"app": "web"}})), &l));
        assert!(!selector_matches(Some(&json!({"matchLabels": {"app": "db"}})), &l));
        assert!(selector_matches(Some(&json!({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe", "be"]}]})), &l));
        assert!(!selector_matches(Some(&json!({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["fe"]}]})), &l));
        assert!(selector_matches(Some(&json!({"matchExpressions": [{"key": "x", "operator": "DoesNotExist"}]})), &l));
        assert!(selector_matches(Some(&json!({})), &l));
        assert!(!selector_matches(None, &l));
    }
    #[test]
    fn int_or_percent_rounding() {
        // 25% of 10: surge rounds up to 3, unavailable down to 2 (deployment/util.ResolveFenceposts).
        assert_eq!(scaled_value(None, "25%", 10, true), 3);
        assert_eq!(scaled_value(None, "25%", 10, false), 2);
        assert_eq!(scaled_value(Some(&json!(1)), "25%", 10, false), 1);
        assert_eq!(scaled_value(Some(&json!("50%")), "25%", 3, true), 2);
    }
    #[test]
    fn generated_names_are_unique_and_well_formed() {
        let s = Store::default();
        let mut taken = HashSet::new();
        let a = generate_name(&s, Kind::Pod, "default", "web-", "x", &mut taken);
        let b = generate_name(&s, Kind::Pod, "default", "web-", "x", &mut taken);
        assert_ne!(a, b);
        assert_eq!(a.len(), 9);
        assert!(a[4..].bytes().all(|c| NAME_ALPHABET.contains(&c)));
    }
    #[test]
    fn hashed_salts_are_the_formatted_ones() {
        // The seed `generate_name` used to format and hash whole: `<salt>/<resourceVersion>`.
        for (salt, rv) in [("", 0u64), ("x", 7), ("u-1/0", 10), ("1f0e-uid/999", 1234567890123), ("a", u64::MAX)] {
            assert_eq!(fnv_decimal(fnv_more(fnv32a(salt.as_bytes()), b"/"), rv), fnv32a(format!("{salt}/{rv}").as_bytes()), "{salt} {rv}");
        }
        let mut s = Store::default();
        s.put(json!({"kind": "Pod", "metadata": {"name": "web-other", "namespace": "default"}}));
        let (mut t1, mut t2) = (HashSet::new(), HashSet::new());
        for i in [0, 1, 9, 10, 99, 1000, 123456] {
            let formatted = generate_name(&s, Kind::Pod, "default", "web-", &format!("uid-7/{i}"), &mut t1);
            assert_eq!(generate_name_nth(&s, Kind::Pod, "default", "web-", fnv32a(b"uid-7"), i, &mut t2), formatted);
        }
    }
}
