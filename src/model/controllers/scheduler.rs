//! `default-scheduler`: filters nodes (unschedulable, taints, node selector/affinity, resources, pod
//! count), scores the rest by least-allocated + balanced allocation, binds, and words failures like
//! `FitError.Error()` in pkg/scheduler/framework/types.go of v1.34, with the preemption post-filter
//! message of pkg/scheduler/framework/preemption. Per-node usage is computed once per pass and
//! updated as pods are placed, so a pass costs O(pods + pending × nodes).

use super::resources::{pod_requests, value_bytes, value_milli, Requests};
use crate::model::clock::Clock;
use crate::model::events::EventSpec;
use crate::model::object::{field_arr, field_str, set_path, Key, ObjExt, Object};
use crate::model::store::Store;
use crate::model::{storage, Action, Kind, Reconciled};
use crate::value::{json, Value};
use std::collections::BTreeMap;

pub const NAME: &str = "default-scheduler";
/// schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what scoring assumes for a pod without requests.
const DEFAULT_MILLI_CPU: i64 = 100;
const DEFAULT_MEMORY: i64 = 200 * 1024 * 1024;

/// A node as the scheduler's cache sees it during one pass.
#[derive(Clone, Debug)]
pub struct NodeInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Value>,
    pub unschedulable: bool,
    pub alloc: Requests,
    pub alloc_pods: i64,
    pub requested: Requests,
    /// Requests with the non-zero defaults, for scoring.
    pub nonzero: Requests,
    pub pods: i64,
}

/// Whether a failure could be fixed by preempting pods (`Unschedulable`) or not (`UnschedulableAndUnresolvable`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolvable {
    ByPreemption,
    No,
}

/// Why one node can or cannot take the pod — for the UI's "why pending / why this node".
#[derive(Clone, Debug, PartialEq)]
pub struct NodeVerdict {
    pub node: String,
    pub fits: bool,
    /// Reasons as the scheduler words them (`Insufficient cpu`, `node(s) had untolerated taint {...}`).
    pub reasons: Vec<String>,
    /// Score among fitting nodes (higher wins), 0 when it does not fit.
    pub score: i64,
}

fn nonzero(r: Requests, pod: &Object) -> Requests {
    let has = |res: &str| {
        fn field<'a>(c: &'a Value, f: &str, res: &str) -> Option<&'a Value> {
            c.get("resources")?.get(f)?.get(res)
        }
        pod.arr_at("spec.containers").iter().any(|c| field(c, "requests", res).or_else(|| field(c, "limits", res)).is_some())
    };
    Requests {
        cpu_milli: if has("cpu") { r.cpu_milli } else { r.cpu_milli.max(DEFAULT_MILLI_CPU) },
        memory: if has("memory") { r.memory } else { r.memory.max(DEFAULT_MEMORY) },
        ephemeral: r.ephemeral,
    }
}

/// Pods that count against a node: bound and not finished.
pub fn occupies_node(p: &Object) -> bool {
    !matches!(p.str_at("status.phase"), Some("Succeeded") | Some("Failed"))
}

/// The scheduler's cache: every node with what is already placed on it. One scan of all pods.
pub fn node_infos(store: &Store) -> Vec<NodeInfo> {
    let mut infos: Vec<NodeInfo> = store
        .list(Kind::Node)
        .map(|n| {
            // `status.allocatable.<r>` (no dots in these names), looked up without a path string.
            let allocatable = n.get("status").and_then(|s| s.get("allocatable"));
            let q = |r: &str, bytes: bool| allocatable.and_then(|a| a.get(r)).and_then(|v| if bytes { value_bytes(v) } else { value_milli(v) });
            NodeInfo {
                name: n.name().to_string(),
                labels: n.labels(),
                taints: n.arr_at("spec.taints").to_vec(),
                unschedulable: n.bool_at("spec.unschedulable") == Some(true),
                alloc: Requests { cpu_milli: q("cpu", false).unwrap_or(0), memory: q("memory", true).unwrap_or(0), ephemeral: q("ephemeral-storage", true).unwrap_or(0) },
                alloc_pods: q("pods", true).unwrap_or(110),
                requested: Requests::default(),
                nonzero: Requests::default(),
                pods: 0,
            }
        })
        .collect();
    let index: BTreeMap<String, usize> = infos.iter().enumerate().map(|(i, n)| (n.name.clone(), i)).collect();
    let mut asks = AsksMemo::default();
    for p in store.list(Kind::Pod) {
        let Some(node) = p.str_at("spec.nodeName") else { continue };
        if !occupies_node(p) {
            continue;
        }
        if let Some(&i) = index.get(node) {
            let Asks { req, nz, .. } = asks.of(p);
            add_pod(&mut infos[i], req, nz);
        }
    }
    infos
}

/// Counts a pod's requests `r` (and `nz`, with the non-zero defaults) against its node.
fn add_pod(n: &mut NodeInfo, r: Requests, nz: Requests) {
    n.requested = Requests { cpu_milli: n.requested.cpu_milli + r.cpu_milli, memory: n.requested.memory + r.memory, ephemeral: n.requested.ephemeral + r.ephemeral };
    n.nonzero = Requests { cpu_milli: n.nonzero.cpu_milli + nz.cpu_milli, memory: n.nonzero.memory + nz.memory, ephemeral: n.nonzero.ephemeral + nz.ephemeral };
    n.pods += 1;
}

/// `v1helper.TolerationsTolerateTaint`.
pub fn tolerates(tolerations: &[Value], taint: &Value) -> bool {
    tolerations.iter().any(|t| {
        let effect_ok = t.str_at("effect").is_none_or(|e| e.is_empty() || Some(e) == taint.str_at("effect"));
        let key = t.str_at("key").unwrap_or("");
        let op = t.str_at("operator").unwrap_or("Equal");
        let key_ok = key.is_empty() && op == "Exists" || Some(key) == taint.str_at("key");
        let value_ok = match op {
            "Exists" => true,
            _ => t.str_at("value").unwrap_or("") == taint.str_at("value").unwrap_or(""),
        };
        effect_ok && key_ok && value_ok
    })
}

/// One `NodeSelectorRequirement` against a node's labels (or fields, for matchFields). The node's
/// value and the requirement's are read in place: a DaemonSet's pods (one `matchFields` term each)
/// are matched against every node.
fn requirement_matches<'n>(req: &Value, get: &dyn Fn(&str) -> Option<&'n str>) -> bool {
    let key = field_str(req, "key").unwrap_or("");
    let vals = || field_arr(req, "values").iter().filter_map(|v| v.as_str());
    let have = get(key);
    match field_str(req, "operator").unwrap_or("") {
        "In" => have.is_some_and(|h| vals().any(|v| v == h)),
        "NotIn" => have.is_none_or(|h| !vals().any(|v| v == h)),
        "Exists" => have.is_some(),
        "DoesNotExist" => have.is_none(),
        "Gt" | "Lt" => {
            let (Some(h), Some(v)) = (have.and_then(|h| h.parse::<i64>().ok()), vals().next().and_then(|v| v.parse::<i64>().ok())) else { return false };
            if field_str(req, "operator") == Some("Gt") { h > v } else { h < v }
        }
        _ => false,
    }
}

fn term_matches(term: &Value, node: &NodeInfo) -> bool {
    let exprs = field_arr(term, "matchExpressions");
    let fields = field_arr(term, "matchFields");
    if exprs.is_empty() && fields.is_empty() {
        return false; // an empty term matches nothing
    }
    exprs.iter().all(|r| requirement_matches(r, &|k| node.labels.get(k).map(String::as_str)))
        && fields.iter().all(|r| requirement_matches(r, &|k| (k == "metadata.name").then_some(node.name.as_str())))
}

/// What the filter and score plugins read from one pod, read once per pod instead of once per
/// node: 1,000 pods on 101 nodes walked the pod's JSON 459,237 times per pass before (a twelfth
/// of a 1,000-replica settle under callgrind). Like the framework's `PreFilter` state
/// (pkg/scheduler/framework/plugins/nodeaffinity: `preFilterState`), computed before the nodes.
#[derive(PartialEq)]
struct PodView<'a> {
    tolerations: &'a [Value],
    node_selector: Vec<(&'a str, &'a str)>,
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, when the pod has them.
    required_terms: Option<&'a [Value]>,
    preferred: &'a [Value],
}

impl<'a> PodView<'a> {
    fn of(pod: &'a Object) -> Self {
        // `spec` found once, its fields read in place (no dotted path walked per field).
        let spec = pod.get("spec").unwrap_or(&Value::Null);
        let node_selector = match spec.get("nodeSelector") {
            Some(Value::Object(m)) => m.iter().filter_map(|(k, v)| Some((k.as_str(), v.as_str()?))).collect(),
            _ => Vec::new(),
        };
        let affinity = spec.get("affinity").and_then(|a| a.get("nodeAffinity"));
        PodView {
            tolerations: field_arr(spec, "tolerations"),
            node_selector,
            required_terms: affinity.and_then(|a| a.path("requiredDuringSchedulingIgnoredDuringExecution")).map(|r| r.arr_at("nodeSelectorTerms")),
            preferred: affinity.map(|a| a.arr_at("preferredDuringSchedulingIgnoredDuringExecution")).unwrap_or(&[]),
        }
    }
}

/// NodeAffinity filter: `spec.nodeSelector` and required node affinity terms (ORed).
fn node_affinity_ok(pod: &PodView, node: &NodeInfo) -> bool {
    if pod.node_selector.iter().any(|(k, v)| node.labels.get(*k).map(String::as_str) != Some(*v)) {
        return false;
    }
    match pod.required_terms {
        Some(terms) => terms.iter().any(|t| term_matches(t, node)),
        None => true,
    }
}

/// The filter plugins in their v1.34 order; the first failing plugin's reasons are the node's.
fn filter(pod: &PodView, req: Requests, node: &NodeInfo) -> Result<(), (Vec<String>, Resolvable)> {
    unfit(pod, req, node).map_err(|u| u.reasons())
}

/// Why a node fails the filters, worded only when asked (`reasons`): a pass that places its pod
/// drops the failures of the other nodes, so most are never worded.
enum Unfit<'n> {
    Unschedulable,
    Taint(&'n Value),
    Affinity,
    /// Too many pods, insufficient cpu, memory, ephemeral-storage.
    Resources([bool; 4]),
}

impl Unfit<'_> {
    fn reasons(&self) -> (Vec<String>, Resolvable) {
        match self {
            Unfit::Unschedulable => (vec!["node(s) were unschedulable".into()], Resolvable::No),
            Unfit::Taint(t) => {
                let msg = format!("node(s) had untolerated taint {{{}: {}}}", t.str_at("key").unwrap_or(""), t.str_at("value").unwrap_or(""));
                (vec![msg], Resolvable::No)
            }
            Unfit::Affinity => (vec!["node(s) didn't match Pod's node affinity/selector".into()], Resolvable::No),
            Unfit::Resources(which) => {
                const WORDS: [&str; 4] = ["Too many pods", "Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage"];
                (WORDS.iter().zip(which).filter(|(_, on)| **on).map(|(w, _)| w.to_string()).collect(), Resolvable::ByPreemption)
            }
        }
    }
}

/// `filter` without the wording.
fn unfit<'n>(pod: &PodView, req: Requests, node: &'n NodeInfo) -> Result<(), Unfit<'n>> {
    if node.unschedulable {
        let tolerated = tolerates(pod.tolerations, &json!({"key":"node.kubernetes.io/unschedulable","effect":"NoSchedule"}));
        if !tolerated {
            return Err(Unfit::Unschedulable);
        }
    }
    let tolerations = pod.tolerations;
    for t in &node.taints {
        let effect = t.str_at("effect").unwrap_or("");
        if (effect == "NoSchedule" || effect == "NoExecute") && !tolerates(tolerations, t) {
            return Err(Unfit::Taint(t));
        }
    }
    if !node_affinity_ok(pod, node) {
        return Err(Unfit::Affinity);
    }
    let which = [
        node.pods + 1 > node.alloc_pods,
        req.cpu_milli > 0 && node.requested.cpu_milli + req.cpu_milli > node.alloc.cpu_milli,
        req.memory > 0 && node.requested.memory + req.memory > node.alloc.memory,
        req.ephemeral > 0 && node.requested.ephemeral + req.ephemeral > node.alloc.ephemeral,
    ];
    if which.contains(&true) { Err(Unfit::Resources(which)) } else { Ok(()) }
}

/// NodeResourcesFit (LeastAllocated) + NodeResourcesBalancedAllocation + preferred node affinity.
fn score(pod: &PodView, nz: Requests, node: &NodeInfo) -> i64 {
    let least = |req: i64, alloc: i64| if alloc <= 0 || req > alloc { 0 } else { (alloc - req) * 100 / alloc };
    let cpu_req = node.nonzero.cpu_milli + nz.cpu_milli;
    let mem_req = node.nonzero.memory + nz.memory;
    let la = (least(cpu_req, node.alloc.cpu_milli) + least(mem_req, node.alloc.memory)) / 2;
    let frac = |r: i64, a: i64| if a <= 0 { 1.0 } else { (r as f64 / a as f64).min(1.0) };
    let (fc, fm) = (frac(cpu_req, node.alloc.cpu_milli), frac(mem_req, node.alloc.memory));
    let balanced = ((1.0 - (fc - fm).abs() / 2.0) * 100.0) as i64;
    let mut pref = 0;
    for t in pod.preferred {
        if t.path("preference").is_some_and(|p| term_matches(p, node)) {
            pref += t.i64_at("weight").unwrap_or(0);
        }
    }
    la + balanced + pref
}

/// Per node: does the pod fit, and if not, why. For the UI.
pub fn explain(store: &Store, pod: &Object) -> Vec<NodeVerdict> {
    let req = pod_requests(pod);
    let nz = nonzero(req, pod);
    let node = pod.str_at("spec.nodeName");
    let view = PodView::of(pod);
    node_infos(store)
        .into_iter()
        .map(|mut n| {
            if node == Some(n.name.as_str()) && occupies_node(pod) {
                // Judge a bound pod against its node without counting it twice.
                n.requested = Requests { cpu_milli: n.requested.cpu_milli - req.cpu_milli, memory: n.requested.memory - req.memory, ephemeral: n.requested.ephemeral - req.ephemeral };
                n.pods -= 1;
            }
            match filter(&view, req, &n) {
                Ok(()) => NodeVerdict { score: score(&view, nz, &n), node: n.name, fits: true, reasons: vec![] },
                Err((r, _)) => NodeVerdict { node: n.name, fits: false, reasons: r, score: 0 },
            }
        })
        .collect()
}

/// `FitError.Error()` plus the preemption post-filter message.
fn fit_error(total: usize, failures: &[(Vec<String>, Resolvable)]) -> String {
    let mut hist: BTreeMap<&str, usize> = BTreeMap::new();
    for (reasons, _) in failures {
        for r in reasons {
            *hist.entry(r.as_str()).or_default() += 1;
        }
    }
    let mut parts: Vec<String> = hist.iter().map(|(r, n)| format!("{n} {r}")).collect();
    crate::sort::ord(&mut parts);
    let not_helpful = failures.iter().filter(|(_, r)| *r == Resolvable::No).count();
    let no_victims = failures.len() - not_helpful;
    let mut pre = Vec::new();
    if not_helpful > 0 {
        pre.push(format!("{not_helpful} Preemption is not helpful for scheduling"));
    }
    if no_victims > 0 {
        pre.push(format!("{no_victims} No preemption victims found for incoming pod"));
    }
    crate::sort::ord(&mut pre);
    let mut msg = format!("0/{total} nodes are available");
    if !parts.is_empty() {
        msg.push_str(&format!(": {}.", parts.join(", ")));
    } else {
        msg.push('.');
    }
    msg.push_str(&format!(" preemption: 0/{total} nodes are available: {}.", pre.join(", ")));
    msg
}

fn prefilter_error(total: usize, reason: &str) -> String {
    format!("0/{total} nodes are available: {reason}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.")
}

fn wants_scheduling(p: &Object) -> bool {
    // `spec` found once (every pod is asked on every pass, and most are bound).
    let spec_str = |f: &str| p.get("spec").and_then(|s| s.get(f)).and_then(Value::as_str);
    spec_str("nodeName").is_none_or(|n| n.is_empty())
        && !p.is_deleting()
        && spec_str("schedulerName").is_none_or(|s| s == NAME)
        && occupies_node(p)
}

/// Claims a pod waits on: Err(prefilter message) when it cannot be scheduled at all;
/// Ok(claims to annotate with the chosen node) for WaitForFirstConsumer claims.
fn volume_check(store: &Store, pod: &Object) -> Result<Vec<Key>, String> {
    let mut delayed = Vec::new();
    // Most pods mount no claim (only the projected API token): no list of claim names to build.
    let volumes = pod.get("spec").and_then(|s| s.get("volumes")).and_then(Value::as_array);
    if !volumes.is_some_and(|vs| vs.iter().any(|v| v.get("persistentVolumeClaim").is_some())) {
        debug_assert!(storage::unbound_claims(store, pod).is_empty());
        return Ok(delayed);
    }
    for claim in storage::unbound_claims(store, pod) {
        let Some(pvc) = store.get_by(Kind::PersistentVolumeClaim, pod.namespace(), &claim) else {
            return Err(format!("persistentvolumeclaim \"{claim}\" not found"));
        };
        if pvc.is_deleting() {
            return Err(format!("persistentvolumeclaim \"{claim}\" is being deleted"));
        }
        let class = pvc.str_at("spec.storageClassName").map(str::to_string).or_else(|| {
            store.list(Kind::StorageClass).find(|s| s.annotation("storageclass.kubernetes.io/is-default-class") == Some("true")).map(|s| s.name().to_string())
        });
        let wffc = class.and_then(|c| store.get_by(Kind::StorageClass, "", &c)).and_then(|s| s.str_at("volumeBindingMode")) == Some("WaitForFirstConsumer");
        if !wffc {
            return Err("pod has unbound immediate PersistentVolumeClaims".into());
        }
        delayed.push(Key::new(Kind::PersistentVolumeClaim, pod.namespace(), &claim));
    }
    Ok(delayed)
}

/// The pod's status as Pending, with its QoS class `qos` if it has none yet, and the PodScheduled
/// condition `message` (reason, message) if given.
fn pending_status(pod: &Object, qos: &str, clock: &Clock, message: Option<(&str, &str)>) -> Value {
    let mut st = pod.path("status").cloned().unwrap_or_else(|| json!({}));
    set_path(&mut st, "phase", json!("Pending"));
    if st.path("qosClass").is_none() {
        set_path(&mut st, "qosClass", json!(qos));
    }
    if let Some((reason, msg)) = message {
        let old = st.arr_at("conditions").iter().find(|c| c.str_at("type") == Some("PodScheduled")).cloned();
        let ltt = match &old {
            Some(o) if o.str_at("status") == Some("False") => o.path("lastTransitionTime").cloned().unwrap_or(json!(clock.timestamp())),
            _ => json!(clock.timestamp()),
        };
        let mut conds: Vec<Value> = st.arr_at("conditions").iter().filter(|c| c.str_at("type") != Some("PodScheduled")).cloned().collect();
        conds.push(json!({"type":"PodScheduled","status":"False","reason":reason,"message":msg,"lastProbeTime":null,"lastTransitionTime":ltt}));
        set_path(&mut st, "conditions", Value::Array(conds));
    }
    st
}

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    // activeQ order: priority, then arrival (each pod's two keys read once, not per comparison;
    // the sort is stable, as before).
    fn field<'p>(p: &'p Object, o: &str, f: &str) -> Option<&'p Value> {
        p.get(o).and_then(|m| m.get(f))
    }
    let mut queue: Vec<(i64, Option<&str>, &Object)> = store
        .list(Kind::Pod)
        .filter(|p| wants_scheduling(p))
        .map(|p| (field(p, "spec", "priority").and_then(Value::as_i64).unwrap_or(0), field(p, "metadata", "creationTimestamp").and_then(Value::as_str), p))
        .collect();
    if queue.is_empty() {
        return out;
    }
    // A status, a binding and an event per pod, at most (the growing vector was copied 22 times).
    out.actions.reserve(queue.len() * 3);
    crate::sort::by(&mut queue, |a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut nodes = node_infos(store);
    let total = nodes.len();
    let mut class: Option<Class> = None;
    let mut asks = AsksMemo::default();
    for (_, _, pod) in queue {
        let Some(key) = pod.key() else { continue };
        let Asks { req, nz, qos } = asks.of(pod);
        let status = pod.get("status");
        if status.and_then(|s| s.get("phase")).is_none() || status.and_then(|s| s.get("qosClass")).is_none() {
            out.push(Action::UpdateStatus(key.clone(), pending_status(pod, qos, clock, None)));
        }
        if pod.get("spec").is_some_and(|s| !field_arr(s, "schedulingGates").is_empty()) {
            let st = pending_status(pod, qos, clock, Some(("SchedulingGated", "Scheduling is blocked due to non-empty scheduling gates")));
            out.push(Action::UpdateStatus(key, st));
            continue;
        }
        let volumes = match volume_check(store, pod) {
            Ok(v) => v,
            Err(reason) => {
                unschedulable(&mut out, pod, qos, key, clock, prefilter_error(total, &reason));
                continue;
            }
        };
        let view = PodView::of(pod);
        if !class.as_ref().is_some_and(|c| c.is(&view, req, nz)) {
            class = Some(Class::judge(view, req, nz, &nodes));
        }
        let class = class.as_mut().expect("just judged");
        #[cfg(debug_assertions)]
        class.check(&nodes);
        let Some(i) = class.best() else {
            let msg = if total == 0 { "no nodes available to schedule pods".to_string() } else { fit_error(total, &class.failures(&nodes)) };
            unschedulable(&mut out, pod, qos, key, clock, msg);
            continue;
        };
        let node = nodes[i].name.clone();
        if !volumes.is_empty() {
            // VolumeBinding PreBind: the chosen node goes on each delayed claim; the pod binds once
            // the claims are bound (pkg/scheduler/framework/plugins/volumebinding).
            for k in volumes {
                if let Some(pvc) = store.get(&k) {
                    if pvc.annotation("volume.kubernetes.io/selected-node").is_none() {
                        let mut p = pvc.clone();
                        set_annotation(&mut p, "volume.kubernetes.io/selected-node", &node);
                        out.push(Action::Update(p));
                    }
                }
            }
            continue;
        }
        add_pod(&mut nodes[i], req, nz);
        class.rejudge(i, &nodes[i]);
        // `Successfully assigned <ns>/<name> to <node>`, built without the formatting machinery.
        let (ns, name) = (pod.namespace(), pod.name());
        let mut msg = String::with_capacity(27 + ns.len() + name.len() + node.len());
        for part in ["Successfully assigned ", ns, "/", name, " to ", &node] {
            msg.push_str(part);
        }
        out.push(Action::Bind(key.clone(), node));
        out.push(Action::Event(EventSpec::normal(key, NAME, "Scheduled", msg)));
    }
    out
}

#[path = "scheduler_memo.rs"]
mod memo;
use memo::{Asks, AsksMemo, Class};

/// Sets one annotation (keys contain dots, so `set_path` cannot be used).
pub fn set_annotation(o: &mut Object, key: &str, value: &str) {
    if !o.path("metadata.annotations").is_some_and(|a| a.is_object()) {
        set_path(o, "metadata.annotations", json!({}));
    }
    if let Some(a) = o.get_mut("metadata").and_then(|m| m.get_mut("annotations")).and_then(|a| a.as_object_mut()) {
        a.insert(key.into(), json!(value));
    }
}

fn unschedulable(out: &mut Reconciled, pod: &Object, qos: &str, key: Key, clock: &Clock, msg: String) {
    let same = pod.arr_at("status.conditions").iter().any(|c| c.str_at("type") == Some("PodScheduled") && c.str_at("message") == Some(msg.as_str()));
    if same {
        return;
    }
    out.push(Action::UpdateStatus(key.clone(), pending_status(pod, qos, clock, Some(("Unschedulable", &msg)))));
    out.push(Action::Event(EventSpec::warning(key, NAME, "FailedScheduling", msg)));
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn fit_error_wording() {
        let f = vec![
            (vec!["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }".to_string()], Resolvable::No),
            (vec!["Insufficient cpu".to_string()], Resolvable::ByPreemption),
            (vec!["Insufficient cpu".to_string()], Resolvable::ByPreemption),
        ];
        assert_eq!(
            fit_error(3, &f),
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
    }
    #[test]
    fn tolerations() {
        let taint = json!({"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"});
        assert!(tolerates(&[json!({"operator":"Exists"})], &taint));
        assert!(tolerates(&[json!({"key":"node-role.kubernetes.io/control-plane","operator":"Exists","effect":"NoSchedule"})], &taint));
        assert!(!tolerates(&[json!({"key":"other","operator":"Exists"})], &taint));
        assert!(!tolerates(&[json!({"key":"node-role.kubernetes.io/control-plane","value":"x"})], &taint));
        assert!(tolerates(&[json!({"key":"node-role.kubernetes.io/control-plane"})], &taint));
    }
}
