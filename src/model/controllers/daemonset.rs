//! The DaemonSet controller (`pkg/controller/daemon/daemon_controller.go`, `update.go`,
//! `util/daemonset_util.go`): one pod per eligible node (nodeSelector, required node affinity,
//! taints vs tolerations), pinned with a `metadata.name` node-affinity term the scheduler honours,
//! rolling updates with maxUnavailable, and the desired/current/ready/... status.

use super::workload_util::{self as u};
use crate::model::api::template_hash;
use crate::model::events::EventSpec;
use crate::model::object::{set_path, Key, Labels, ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Clock, Kind, Propagation, Reconciled};
use crate::value::{json, Map, Value};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};

const SOURCE: &str = "daemonset-controller";
pub const HASH_LABEL: &str = "controller-revision-hash";
pub const GENERATION_LABEL: &str = "pod-template-generation";

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    reconcile_with(store, clock, &mut super::KeyMemo::default(), false)
}

/// A hash of what one set's sync reads: the set, the pods it controls, every node (labels,
/// taints, readiness), its namespace, and the events about it (the `FailedCreate` back-off).
/// The versions are the store's (`Slot`), not read from each object's metadata; every pod naming
/// the set as an owner counts (a superset of those it controls, which the sync tells apart).
fn inputs(store: &Store, version: u64, ds: &Object, nodes: &[(&Key, u64)]) -> u64 {
    fn rv(o: &Object) -> Option<&str> {
        o.str_at("metadata.resourceVersion")
    }
    let mut h = DefaultHasher::new();
    version.hash(&mut h);
    store.child_versions(ds.uid()).for_each(|(k, v, _)| (k, v).hash(&mut h));
    nodes.hash(&mut h);
    store.get_by(Kind::Namespace, "", ds.namespace()).map(rv).hash(&mut h);
    let prefix = crate::model::events::name_prefix(ds.name());
    store.list_prefix(Kind::Event, ds.namespace(), &prefix).for_each(|e| (e.name(), rv(e)).hash(&mut h));
    h.finish()
}

/// The pass with a memo of quiet sets, like the Deployment controller's: the pass watches every
/// pod, so each pod a keystroke creates re-synced kube-proxy's set (a status compare, one pod per
/// node looked at) though nothing it reads had changed. With `verify`, quiet sets are synced
/// anyway and a sync that asks for something panics (native debug builds: every test).
pub fn reconcile_with(store: &Store, clock: &Clock, memo: &mut super::KeyMemo, verify: bool) -> Reconciled {
    let mut out = Reconciled::default();
    let nodes: Vec<&Object> = store.list(Kind::Node).collect();
    let mut taken = HashSet::new();
    memo.forget_missing(store);
    let node_versions: Vec<(&Key, u64)> = store.versions(Kind::Node).map(|(k, v, _)| (k, v)).collect();
    for (key, version, ds) in store.versions(Kind::DaemonSet) {
        let key = key.clone();
        let fp = inputs(store, version, ds, &node_versions);
        let memo_wake = memo.skip(&key, fp, clock.now_ms);
        if let (Some(wake), false) = (memo_wake, verify) {
            if let Some(w) = wake {
                out.requeue(w);
            }
            continue;
        }
        let mut mine = Reconciled::default();
        sync(store, clock, ds, key.clone(), &nodes, &mut taken, &mut mine);
        let asked = !mine.actions.is_empty();
        if memo_wake.is_some() {
            assert!(!asked, "daemonset memo skipped {} at {} ms but its sync asks for {:?}", key.display(), clock.now_ms, mine.actions);
            assert_eq!(memo_wake, Some(mine.requeue_at), "daemonset memo skipped {} but its sync asks for another wake-up", key.display());
        }
        memo.record(&key, fp, asked, mine.requeue_at);
        out.merge(mine);
    }
    out
}

/// The hash the set's pods carry in `controller-revision-hash`.
pub fn revision_hash(ds: &Object) -> String {
    template_hash(ds.path("spec.template").unwrap_or(&Value::Null), ds.i64_at("status.collisionCount").unwrap_or(0))
}

/// Tolerations every daemon pod gets (`AddOrUpdateDaemonPodTolerations`).
fn default_tolerations(host_network: bool) -> Vec<Value> {
    let mut v = vec![
        json!({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}),
        json!({"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}),
        json!({"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"}),
        json!({"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"}),
        json!({"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"}),
        json!({"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}),
    ];
    if host_network {
        v.push(json!({"key": "node.kubernetes.io/network-unavailable", "operator": "Exists", "effect": "NoSchedule"}));
    }
    v
}

fn tolerates(tols: &[Value], taint: &Value) -> bool {
    tols.iter().any(|t| {
        let effect_ok = t.str_at("effect").is_none_or(|e| e.is_empty() || Some(e) == taint.str_at("effect"));
        let key = t.str_at("key").unwrap_or("");
        let exists = t.str_at("operator") == Some("Exists");
        let key_ok = (key.is_empty() && exists) || Some(key) == taint.str_at("key");
        let value_ok = exists || t.str_at("value").unwrap_or("") == taint.str_at("value").unwrap_or("");
        effect_ok && key_ok && value_ok
    })
}

/// One `NodeSelectorRequirement` over node labels.
fn requirement(r: &Value, labels: &Labels) -> bool {
    let key = r.str_at("key").unwrap_or("");
    let vals: Vec<&str> = r.arr_at("values").iter().filter_map(|v| v.as_str()).collect();
    let have = labels.get(key);
    let num = |s: &str| s.parse::<i64>().ok();
    match r.str_at("operator").unwrap_or("") {
        "In" => have.is_some_and(|h| vals.contains(&h.as_str())),
        "NotIn" => have.is_none_or(|h| !vals.contains(&h.as_str())),
        "Exists" => have.is_some(),
        "DoesNotExist" => have.is_none(),
        "Gt" => matches!((have.and_then(|h| num(h)), vals.first().and_then(|v| num(v))), (Some(a), Some(b)) if a > b),
        "Lt" => matches!((have.and_then(|h| num(h)), vals.first().and_then(|v| num(v))), (Some(a), Some(b)) if a < b),
        _ => false,
    }
}

/// `NodeShouldRunDaemonPod`: nodeSelector, required node affinity (labels and metadata.name),
/// NoSchedule/NoExecute taints tolerated.
pub fn should_run(ds: &Object, node: &Object) -> bool {
    let labels = node.labels();
    let spec = ds.path("spec.template.spec");
    let sel = crate::model::object::string_map(spec.and_then(|s| s.path("nodeSelector")));
    if sel.iter().any(|(k, v)| labels.get(k) != Some(v)) {
        return false;
    }
    let terms = spec.map(|s| s.arr_at("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")).unwrap_or(&[]);
    if !terms.is_empty() {
        let mut fields = Labels::new();
        fields.insert("metadata.name".into(), node.name().into());
        let ok = terms.iter().any(|t| {
            let (e, f) = (t.arr_at("matchExpressions"), t.arr_at("matchFields"));
            (!e.is_empty() || !f.is_empty()) && e.iter().all(|r| requirement(r, &labels)) && f.iter().all(|r| requirement(r, &fields))
        });
        if !ok {
            return false;
        }
    }
    let mut taints = node.arr_at("spec.taints").iter().filter(|t| matches!(t.str_at("effect"), Some("NoSchedule") | Some("NoExecute"))).peekable();
    // Most nodes have no such taint: no tolerations to build (every pass asks for every node).
    if taints.peek().is_none() {
        return true;
    }
    let mut tols: Vec<Value> = spec.map(|s| s.arr_at("tolerations").to_vec()).unwrap_or_default();
    tols.extend(default_tolerations(spec.and_then(|s| s.bool_at("hostNetwork")) == Some(true)));
    taints.all(|t| tolerates(&tols, t))
}

/// The node a daemon pod is for: where it runs, or the node its affinity pins it to.
fn target_node(p: &Object) -> Option<&str> {
    if let Some(n) = p.str_at("spec.nodeName").filter(|n| !n.is_empty()) {
        return Some(n);
    }
    for t in p.arr_at("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms") {
        for f in t.arr_at("matchFields") {
            if f.str_at("key") == Some("metadata.name") {
                return f.arr_at("values").first().and_then(|v| v.as_str());
            }
        }
    }
    None
}

fn pod_hash(p: &Object) -> Option<&str> {
    p.path("metadata.labels").and_then(|l| l.get(HASH_LABEL)).and_then(|v| v.as_str())
}

#[allow(clippy::too_many_arguments)]
fn sync(store: &Store, clock: &Clock, ds: &Object, key: Key, nodes: &[&Object], taken: &mut HashSet<String>, out: &mut Reconciled) {
    let hash = revision_hash(ds);
    let mut by_node: BTreeMap<&str, Vec<&Object>> = BTreeMap::new();
    for p in u::owned(store, ds, Kind::Pod) {
        if let Some(n) = target_node(p) {
            by_node.entry(n).or_default().push(p);
        }
    }
    let event = |out: &mut Reconciled, warning: bool, reason: &'static str, msg: String| {
        let e = if warning { EventSpec::warning(key.clone(), SOURCE, reason, msg) } else { EventSpec::normal(key.clone(), SOURCE, reason, msg) };
        out.push(Action::Event(e));
    };
    let min_ready = ds.i64_at("spec.minReadySeconds").unwrap_or(0);
    let mut wake = None;
    let (mut desired, mut current, mut misscheduled, mut ready, mut available, mut updated) = (0i64, 0i64, 0i64, 0i64, 0i64, 0i64);
    let rolling = ds.str_at("spec.updateStrategy.type").unwrap_or("RollingUpdate") == "RollingUpdate";
    let mut old_available: Vec<&Object> = Vec::new();
    let mut unavailable = 0i64;
    let create_failed = u::failed_create_now(store, ds, clock, out);
    for node in nodes {
        let should = should_run(ds, node);
        let pods: Vec<&Object> = by_node.get(node.name()).map(|v| v.iter().copied().filter(|p| !p.is_deleting()).collect()).unwrap_or_default();
        if should {
            desired += 1;
        }
        if !should {
            if !pods.is_empty() {
                misscheduled += 1;
            }
            for p in pods {
                if let (Some(k), false) = (p.key(), ds.is_deleting()) {
                    out.push(Action::Delete(k, Propagation::Background));
                    event(out, false, "SuccessfulDelete", format!("Deleted pod: {}", p.name()));
                }
            }
            continue;
        }
        let pod = pods.first().copied();
        match pod {
            None => {
                let terminating = by_node.get(node.name()).is_some_and(|v| !v.is_empty());
                if !ds.is_deleting() && !terminating && !create_failed {
                    let prefix = format!("{}-", ds.name());
                    let name = u::generate_name(store, Kind::Pod, ds.namespace(), &prefix, &format!("{}/{}", ds.uid(), node.name()), taken);
                    out.push(u::create_reporting(&key, SOURCE, new_pod(ds, node.name(), &hash, &prefix, &name), format!("Created pod: {name}")));
                }
                unavailable += 1;
            }
            Some(p) => {
                current += 1;
                if p.str_at("status.phase") == Some("Failed") && !ds.is_deleting() {
                    if let Some(k) = p.key() {
                        out.push(Action::Delete(k, Propagation::Background));
                        event(out, true, "FailedDaemonPod", format!("Found failed daemon pod {}/{} on node {}, will try to kill it", p.namespace(), p.name(), node.name()));
                    }
                }
                let is_new = pod_hash(p) == Some(hash.as_str());
                if is_new {
                    updated += 1;
                }
                let av = u::pod_ready(p) && u::pod_available(p, min_ready, clock, &mut wake);
                if u::pod_ready(p) {
                    ready += 1;
                }
                if av {
                    available += 1;
                } else {
                    unavailable += 1;
                }
                if !is_new {
                    if av {
                        old_available.push(p);
                    } else if rolling && !ds.is_deleting() {
                        // Old and unavailable: replace at once.
                        if let Some(k) = p.key() {
                            out.push(Action::Delete(k, Propagation::Background));
                            event(out, false, "SuccessfulDelete", format!("Deleted pod: {}", p.name()));
                        }
                    }
                }
                // Extra pods on the same node: keep the oldest.
                for extra in pods.iter().skip(1) {
                    if let Some(k) = extra.key() {
                        out.push(Action::Delete(k, Propagation::Background));
                        event(out, false, "SuccessfulDelete", format!("Deleted pod: {}", extra.name()));
                    }
                }
            }
        }
    }
    // rollingUpdate: replace available old pods while at most maxUnavailable are down.
    if rolling && !ds.is_deleting() {
        let max_unavailable = u::scaled_value(ds.path("spec.updateStrategy.rollingUpdate.maxUnavailable"), "1", desired, false).max(1);
        let budget = (max_unavailable - unavailable).max(0) as usize;
        for p in old_available.into_iter().take(budget) {
            if let Some(k) = p.key() {
                out.push(Action::Delete(k, Propagation::Background));
                event(out, false, "SuccessfulDelete", format!("Deleted pod: {}", p.name()));
            }
        }
    }
    if let Some(w) = wake {
        out.requeue(w);
    }
    let mut m = Map::new();
    m.insert("currentNumberScheduled".into(), json!(current));
    m.insert("desiredNumberScheduled".into(), json!(desired));
    u::put_nonzero(&mut m, "numberAvailable", available);
    m.insert("numberMisscheduled".into(), json!(misscheduled));
    m.insert("numberReady".into(), json!(ready));
    u::put_nonzero(&mut m, "numberUnavailable", (desired - available).max(0));
    u::put_nonzero(&mut m, "observedGeneration", ds.i64_at("metadata.generation").unwrap_or(0));
    u::put_nonzero(&mut m, "updatedNumberScheduled", updated);
    let status = Value::Object(m);
    if ds.path("status") != Some(&status) {
        out.push(Action::UpdateStatus(key.clone(), status));
    }
}

/// A daemon pod for one node: template + revision labels, node pinned by affinity, the default tolerations.
fn new_pod(ds: &Object, node: &str, hash: &str, prefix: &str, name: &str) -> Object {
    let mut pod = u::pod_from_template(ds.path("spec.template"), ds, Some(prefix), name);
    let mut labels = pod.path("metadata.labels").filter(|l| l.is_object()).cloned().unwrap_or(json!({}));
    if let Some(m) = labels.as_object_mut() {
        m.insert(HASH_LABEL.into(), json!(hash));
        m.insert(GENERATION_LABEL.into(), json!(ds.i64_at("metadata.generation").unwrap_or(1).to_string()));
    }
    set_path(&mut pod, "metadata.labels", labels);
    set_path(
        &mut pod,
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
        json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}),
    );
    let mut tols: Vec<Value> = pod.arr_at("spec.tolerations").to_vec();
    for t in default_tolerations(pod.bool_at("spec.hostNetwork") == Some(true)) {
        if !tols.iter().any(|x| x.str_at("key") == t.str_at("key") && x.str_at("effect") == t.str_at("effect")) {
            tols.push(t);
        }
    }
    set_path(&mut pod, "spec.tolerations", Value::Array(tols));
    pod
}

#[cfg(test)]
#[path = "daemonset_tests.rs"]
mod tests;
