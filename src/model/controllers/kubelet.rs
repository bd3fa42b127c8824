//! The kubelet of every node, as one controller over bound pods: sandbox and pod IP from the node's
//! podCIDR, init containers in order, then the app containers (each driven by `containers::step`),
//! pod phase (`getPhase` in pkg/kubelet/kubelet_pods.go), the five pod conditions with their
//! transition times, graceful termination (Killing, the grace period, removal) and the node's
//! image list. State lives in the pod's status, so the loop stays level-triggered.

use super::containers::{self, ms_of, Ctx};
use super::resources::qos_class;
use super::FxMap;
use crate::model::clock::Clock;
use crate::model::config::pod_config_problem;
use crate::model::events::{name_prefix, EventSpec, Fields};
use crate::model::object::{field_arr, field_str, set_field, Key, ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Kind, Reconciled};
use crate::value::{json, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What the kubelet knows about its node for one pass (its strings borrowed from the stored node).
struct NodeCtx<'a> {
    node: &'a Object,
    ip: &'a str,
    /// `10.244.1.` — pod IPs are this prefix plus 2..=254.
    prefix: &'a str,
    /// The node's image names, read when one of its pods syncs (`images`): most passes sync
    /// the pods of a few nodes and read only the memo inputs of the rest.
    images: Option<HashSet<&'a str>>,
    used: BTreeSet<u32>,
    /// The node's resourceVersion, and a hash of its IP and pod prefix (`address`): one of them is
    /// part of each of its pods' memo inputs (`node_input`).
    rv: u64,
    addr: u64,
}

/// A node's InternalIP and pod IP prefix (`10.244.1.` for podCIDR 10.244.1.0/24: the CIDR up to
/// and with the last dot of its address, borrowed).
fn node_address(n: &Object) -> (&str, &str) {
    let ip = n.arr_at("status.addresses").iter().find(|a| a.str_at("type") == Some("InternalIP")).and_then(|a| a.str_at("address")).unwrap_or("");
    let cidr = n.str_at("spec.podCIDR").unwrap_or("10.244.0.0/24");
    (ip, cidr.split('/').next().unwrap_or("").rsplit_once('.').map(|(p, _)| &cidr[..=p.len()]).unwrap_or_default())
}

/// Each node's context by name (a hash map: every pod a pass visits looks its node up).
fn node_ctx(store: &Store) -> FxMap<&str, NodeCtx<'_>> {
    store
        .list(Kind::Node)
        .map(|n| {
            let (ip, prefix) = node_address(n);
            let addr = address(ip, prefix);
            (n.name(), NodeCtx { node: n, ip, prefix, images: None, used: BTreeSet::new(), rv: resource_version(n), addr })
        })
        .collect()
}

/// The names of the images a node holds.
fn node_images(n: &Object) -> HashSet<&str> {
    n.arr_at("status.images").iter().flat_map(|i| i.arr_at("names").iter().filter_map(Value::as_str)).collect()
}

/// Fills each node's `used` pod IPs from the pods in the store: done once per pass, and only by
/// a pass that gives a pod an IP (most passes give none, and the scan read every pod).
fn scan_used_ips(store: &Store, m: &mut FxMap<&str, NodeCtx<'_>>) {
    for p in store.list(Kind::Pod) {
        let (Some(node), Some(ip)) = (p.str_at("spec.nodeName"), p.str_at("status.podIP")) else { continue };
        if let Some(n) = m.get_mut(node) {
            if let Some(last) = ip.strip_prefix(n.prefix).and_then(|x| x.parse::<u32>().ok()) {
                n.used.insert(last);
            }
        }
    }
}

/// Whether the kubelet already recorded this event about the pod. The recorder names an object's
/// events `<name>.<hex time>` in its namespace (`events::create`), so only the pod's own events
/// are read: a keystroke's settle no longer walks every event of the cluster's history per pass.
fn recorded(store: &Store, key: &Key, uid: &str, reason: &str, msg: &str) -> bool {
    let prefix = name_prefix(&key.name);
    // Newest first (the order does not change whether one is found).
    let mut events = store.list_prefix_rev(Kind::Event, &key.namespace, &prefix);
    // The reason, read first (two keys in the event's map), turns away most of the pod's events.
    events.any(|e| {
        if e.get("reason").and_then(Value::as_str) != Some(reason) {
            return false;
        }
        let f = Fields::of(e);
        f.uid == Some(uid) && f.reason == Some(reason) && f.message == Some(msg) && f.component == Some("kubelet")
    })
}

/// Whether each of these (reason, message) pairs is `recorded`: one walk over the pod's events.
fn all_recorded(store: &Store, key: &Key, uid: &str, events: &[(Cow<'static, str>, String)]) -> bool {
    let mut left: Vec<&(Cow<'static, str>, String)> = events.iter().collect();
    if left.is_empty() {
        return true;
    }
    let prefix = name_prefix(&key.name);
    for e in store.list_prefix_rev(Kind::Event, &key.namespace, &prefix) {
        // As in `recorded`: an event whose reason is none of those sought is passed over unread.
        let Some(reason) = e.get("reason").and_then(Value::as_str) else { continue };
        if !left.iter().any(|(r, _)| r == reason) {
            continue;
        }
        let f = Fields::of(e);
        if f.uid != Some(uid) || f.component != Some("kubelet") {
            continue;
        }
        let (reason, msg) = (f.reason, f.message);
        left.retain(|(r, m)| reason != Some(&**r) || msg != Some(m.as_str()));
        if left.is_empty() {
            return true;
        }
    }
    false
}

/// Moves an array field out of a status being rebuilt (empty when absent or not an array). The
/// field stays, an empty array until `put_array` puts the array back in its slot (removing and
/// inserting it again freed its key and allocated it anew).
fn take_array(st: &mut Value, field: &str) -> Vec<Value> {
    match st.get_mut(field) {
        Some(Value::Array(v)) => std::mem::take(v),
        Some(slot) => {
            *slot = Value::Array(Vec::new());
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Puts an array back in its field (`set_field`, in the slot `take_array` left when there is one).
fn put_array(st: &mut Value, field: &str, v: Vec<Value>) {
    set_field(st, field, Value::Array(v));
}

/// Whether the pod's sandbox is up (PodReadyToStartContainers is True): until then a sync may
/// give the pod an IP.
fn sandbox_ready(pod: &Object) -> bool {
    pod.arr_at("status.conditions").iter().any(|c| cond_type(c) == Some("PodReadyToStartContainers") && field_str(c, "status") == Some("True"))
}

/// `[{"ip": ip}]` (hostIPs, podIPs), built directly (`json!` copied the string once more).
fn ip_list(ip: String) -> Value {
    let mut m = crate::value::Map::new();
    m.insert("ip".into(), Value::String(ip.into()));
    Value::Array(vec![Value::Object(m)])
}

/// Sets a string field unless it already holds that string (no new value built for most syncs).
fn set_str(st: &mut Value, field: &str, value: &str) {
    if st.get(field).and_then(Value::as_str) != Some(value) {
        set_field(st, field, json!(value));
    }
}

fn is_job_pod(pod: &Object) -> bool {
    // The owners read from the metadata's map (`arr_at` split and walked a dotted path).
    let owners = pod.get("metadata").map_or(&[][..], |m| field_arr(m, "ownerReferences"));
    owners.iter().any(|o| field_str(o, "kind") == Some("Job")) || pod.label("batch.kubernetes.io/job-name").is_some()
}

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    reconcile_with(store, clock, &mut PodMemo::default(), false)
}

/// Kinds a pod's sync reads besides the pod itself and its node (which is in each pod's memo
/// inputs, `memo_inputs`): the ConfigMaps, Secrets and claims its volumes and env name. Events
/// are read only to avoid repeating the kubelet's own, which only the kubelet writes while it
/// syncs that pod.
const POD_INPUTS: &[Kind] = &[Kind::ConfigMap, Kind::Secret, Kind::PersistentVolumeClaim, Kind::PersistentVolume, Kind::ServiceAccount, Kind::Namespace, Kind::StorageClass];

/// Pods whose last sync asked for nothing, valid for one stamp of `POD_INPUTS`: a pod whose
/// resourceVersion and node's resourceVersion are still the ones recorded needs no sync until the
/// wake-up that sync asked for (its sync is a pure function of the pod, its node, those kinds and
/// the clock, and every timed transition asks for a wake-up — image pulled, probe passed, back-off
/// over). Settle of 1,000 pods: the kubelet's no-op passes went from ~35 ms to a pass over keys
/// (BENCHMARKS.md). The node is per pod, not in the stamp: a node's image list changes as its
/// first pulls finish, and each change re-synced every pod of the cluster.
/// (A [`super::KeyMemo`] of pod → `memo_inputs`, stamped with `POD_INPUTS`.)
pub type PodMemo = super::KeyMemo;

/// What a pod's memo entry is keyed on: its resourceVersion and what its sync reads of its node.
/// Two rounds of a 64-bit mixer (SplitMix64's finalizer), not SipHash: every pass computes it
/// for each bound pod that has an entry, twice.
fn memo_inputs(pod_rv: u64, node: NodeInput) -> u64 {
    let (tag, v) = match node {
        NodeInput::Any(rv) => (1u64, rv),
        NodeInput::Address(addr) => (2, addr),
    };
    mix(mix(pod_rv ^ (tag << 62)) ^ v)
}

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// What a pod's sync reads of its node (`node_input`): anything (its resourceVersion), or only its
/// IP and pod prefix (their hash, `address`).
#[derive(Clone, Copy, Hash)]
enum NodeInput {
    Any(u64),
    Address(u64),
}

fn address(ip: &str, prefix: &str) -> u64 {
    hash((ip, prefix))
}

fn hash(v: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// What a pod's sync reads of its node: only its IP and pod prefix (`addr`) once the sandbox is up
/// and every container runs (until the wake-up its last sync asked for — a readiness delay or an
/// exit — such a sync pulls nothing, so the image list does not matter), else anything of it (its
/// resourceVersion). A node's first pull of an image re-synced all its running pods for nothing:
/// a third of the kubelet's syncs settling 1,000 pods. Debug builds check every skip (`verify`).
fn node_input(pod: &Object, rv: u64, addr: impl FnOnce() -> u64) -> NodeInput {
    let runs = |st: &Value| {
        let cs = field_arr(st, "containerStatuses");
        !cs.is_empty() && cs.len() == pod.arr_at("spec.containers").len() && cs.iter().all(|c| c.get("state").and_then(|s| s.get("running")).is_some())
    };
    let st = pod.get("status");
    let settled = st.is_some_and(|st| st.get("initContainerStatuses").is_none() && runs(st)) && pod.arr_at("spec.initContainers").is_empty() && sandbox_ready(pod);
    if settled { NodeInput::Address(addr()) } else { NodeInput::Any(rv) }
}

/// A node's name hashed: the hint a quiet pod's memo entry keeps of its node (`KeyMemo::quiet`).
/// Never 0 (no hint).
fn node_hint(name: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = super::FxHasher::default();
    h.write(name.as_bytes());
    h.finish() | 1
}

fn resource_version(o: &Object) -> u64 {
    o.get("metadata").and_then(|m| m.get("resourceVersion")).and_then(Value::as_str).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// The kubelet pass with a memo of quiet pods. With `verify`, quiet pods are synced anyway and a
/// sync that asks for something panics (native debug builds: every test checks the memo).
pub fn reconcile_with(store: &Store, clock: &Clock, memo: &mut PodMemo, verify: bool) -> Reconciled {
    let stamp = super::Watch::Kinds(POD_INPUTS).stamp(store);
    if memo.stamp != Some(stamp) {
        memo.stamp = Some(stamp);
        memo.forget_all();
    }
    let mut out = Reconciled::default();
    let mut nodes = node_ctx(store);
    let by_hint: FxMap<u64, &str> = nodes.keys().map(|&n| (node_hint(n), n)).collect();
    let mut ips_scanned = false;
    let mut new_images: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for (key, pod_rv, pod) in store.versions(Kind::Pod) {
        // A quiet pod is found from its entry alone, at the node the entry's hint names, with
        // the same pod version and node input: its spec is not read. At 10,000 pods reading
        // each one's `spec.nodeName` (memory no other pass had touched) was ~5% of a settle.
        let hinted = memo.skip_hinted(key, clock.now_ms, |f, hint| {
            by_hint.get(&hint).and_then(|n| nodes.get(n)).is_some_and(|n| f == memo_inputs(pod_rv, NodeInput::Address(n.addr)) || f == memo_inputs(pod_rv, NodeInput::Any(n.rv)))
        });
        if let (Some(wake), false) = (hinted, verify) {
            if let Some(w) = wake {
                out.requeue(w);
            }
            continue;
        }
        let Some(node_name) = pod.get("spec").and_then(|s| field_str(s, "nodeName")).filter(|n| !n.is_empty()) else { continue };
        let Some((node_rv, node_addr)) = nodes.get(node_name).map(|n| (n.rv, n.addr)) else { continue };
        // Which of the two inputs a pod's entry holds depends only on the pod (`node_input`), so on
        // its resourceVersion: both are tried, and `node_input` is read only for a pod that syncs.
        let memo_wake = memo.skip_if(key, clock.now_ms, |f| f == memo_inputs(pod_rv, NodeInput::Address(node_addr)) || f == memo_inputs(pod_rv, NodeInput::Any(node_rv)));
        let quiet = memo_wake.is_some();
        assert!(hinted.is_none() || (hinted == memo_wake && memo.quiet[key].2 == node_hint(node_name)), "kubelet memo's hint for pod {} is not its node", key.display());
        if let (Some(wake), false) = (memo_wake, verify) {
            // The pass asks for the earliest wake-up of all pods, so a skipped pod asks again.
            if let Some(w) = wake {
                out.requeue(w);
            }
            continue;
        }
        let (actions, images) = (out.actions.len(), new_images.values().map(Vec::len).sum::<usize>());
        let mut mine = Reconciled { actions: std::mem::take(&mut out.actions), requeue_at: None };
        if pod.is_deleting() {
            terminate(store, pod, key, clock, &mut mine);
        } else if !matches!(pod.get("status").and_then(|s| field_str(s, "phase")), Some("Succeeded" | "Failed")) {
            if !ips_scanned && !sandbox_ready(pod) {
                scan_used_ips(store, &mut nodes);
                ips_scanned = true;
            }
            let node = nodes.get_mut(node_name).expect("looked up above");
            sync_pod(store, pod, key, node_name, node, clock, &mut mine, &mut new_images);
        }
        let wake = mine.requeue_at;
        out.actions = mine.actions;
        if let Some(w) = wake {
            out.requeue(w);
        }
        let asked = out.actions.len() != actions || new_images.values().map(Vec::len).sum::<usize>() != images;
        if quiet {
            assert!(!asked, "kubelet memo skipped pod {} at {} ms but its sync asks for {:?}", key.display(), clock.now_ms, &out.actions[actions..]);
            assert_eq!(memo_wake, Some(wake), "kubelet memo skipped pod {} at {} ms but its sync asks for another wake-up", key.display(), clock.now_ms);
        } else {
            memo.record_hinted(key, memo_inputs(pod_rv, node_input(pod, node_rv, || node_addr)), node_hint(node_name), asked, wake);
            // A sync that pulled an image writes the node's image list too: its pod can still be
            // quiet at the status it wrote if that status no longer reads the list (`node_input`,
            // checked by `after_writes`).
            if asked && !pod.is_deleting() {
                memo.written.extend(Written::of(key, pod_rv, node_name, (node_rv, node_addr), wake, &out.actions[actions..]));
            }
        }
    }
    for (node, imgs) in new_images {
        let Some(n) = store.get_by(Kind::Node, "", &node) else { continue };
        let mut status = n.path("status").cloned().unwrap_or_else(|| json!({}));
        let mut list = status.arr_at("images").to_vec();
        let mut changed = false;
        for (name, size) in imgs {
            if list.iter().any(|i| i.arr_at("names").iter().any(|x| x.as_str() == Some(name.as_str()))) {
                continue;
            }
            let digest = super::runtime::image_id(&name);
            list.push(json!({"names": [digest, name], "sizeBytes": size}));
            changed = true;
        }
        if changed {
            status["images"] = Value::Array(list);
            out.push(Action::UpdateStatus(Key::new(Kind::Node, "", &node), status));
        }
    }
    out
}

/// A sync that asked only to write its pod's status and record kubelet events about the pod.
/// Its next sync, at the status it wrote, asks for nothing: that status is what it computed from
/// the same pod, node and clock, and the events it recorded are found (`recorded`). Settle of
/// 1,000 pods re-synced each pod after each of its two status writes for nothing, 12% of the run
/// under callgrind. So once the writes are done (`after_writes`), the pod is remembered as quiet
/// at its new resourceVersion, with the wake-up the sync asked for — unless what its next sync
/// reads of its node (`node_input`) was written meanwhile (an image list that changes what a pull
/// does). Debug builds sync it anyway (`reconcile_with`'s `verify`), so a write that is not a
/// fixed point fails the suite.
#[derive(Clone, Debug)]
pub struct Written {
    key: Key,
    pod_rv: u64,
    node_name: String,
    /// The node's resourceVersion and address hash at the sync (`NodeCtx`).
    node: (u64, u64),
    wake: Option<u64>,
    events: Vec<(Cow<'static, str>, String)>,
}

impl Written {
    fn of(key: &Key, pod_rv: u64, node_name: &str, node: (u64, u64), wake: Option<u64>, asked: &[Action]) -> Option<Written> {
        let (mut writes, mut events) = (0, Vec::new());
        for a in asked {
            match a {
                // A pod it leaves Succeeded or Failed is not synced again anyway.
                Action::UpdateStatus(k, st) if k == key && !matches!(st.str_at("phase"), Some("Succeeded" | "Failed")) => writes += 1,
                Action::Event(e) if e.regarding == *key && e.source == "kubelet" && !e.warning => events.push((e.reason.clone(), e.message.clone())),
                _ => return None,
            }
        }
        // A sync that asks for a wake-up may have passed states that asked for it on the way (a
        // fixed image pulls and starts at once: its next sync asks for none). Only a sync that
        // began pulls and waits for them is known to ask for the same one again.
        let waits = wake.is_none() || (!events.is_empty() && events.iter().all(|(reason, _)| reason == "Pulling"));
        (writes == 1 && waits).then(|| Written { key: key.clone(), pod_rv, node_name: node_name.to_string(), node, wake, events })
    }
}

/// Settle's hook once the kubelet's actions are performed: the pods of `Written` syncs whose
/// status write went through, on an unwritten node, with their events recorded, become quiet.
pub fn after_writes(store: &Store, memo: &mut PodMemo) {
    if memo.written.is_empty() {
        return;
    }
    let written = std::mem::take(&mut memo.written);
    if memo.stamp != Some(super::Watch::Kinds(POD_INPUTS).stamp(store)) {
        return;
    }
    // Each node's resourceVersion and address, read once (a pass writes many pods of a node).
    let mut nodes: FxMap<&str, Option<(u64, u64)>> = FxMap::default();
    for w in &written {
        let node = *nodes.entry(w.node_name.as_str()).or_insert_with(|| {
            store.get_by(Kind::Node, "", &w.node_name).map(|n| {
                let (ip, prefix) = node_address(n);
                (resource_version(n), address(ip, prefix))
            })
        });
        let (Some((pod_rv, pod)), Some((node_rv, node_addr))) = (store.get_versioned(&w.key), node) else { continue };
        let node_now = node_input(pod, node_rv, || node_addr);
        let changed = match node_now {
            NodeInput::Any(rv) => rv != w.node.0,
            NodeInput::Address(addr) => addr != w.node.1,
        };
        if pod_rv == w.pod_rv || changed || pod.is_deleting() || pod.str_at("spec.nodeName") != Some(w.node_name.as_str()) {
            continue;
        }
        if all_recorded(store, &w.key, pod.uid(), &w.events) {
            memo.record_hinted(&w.key, memo_inputs(pod_rv, node_now), node_hint(&w.node_name), false, w.wake);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn sync_pod(
    store: &Store,
    pod: &Object,
    key: &Key,
    node_name: &str,
    node: &mut NodeCtx<'_>,
    clock: &Clock,
    out: &mut Reconciled,
    new_images: &mut BTreeMap<String, Vec<(String, u64)>>,
) {
    let now = clock.now_ms;
    let now_ts = clock.timestamp();
    let no_status = json!({});
    let old_status = pod.path("status").unwrap_or(&no_status);
    let mut st = old_status.clone();
    if !st.is_object() {
        st = json!({});
    }
    // The spec's fields read from its map (not a dotted path walked from the pod's root each).
    let spec = pod.get("spec");
    let spec_field = |f: &str| spec.and_then(|s| s.get(f));
    let spec_array = |f: &str| spec.map_or(&[][..], |s| field_arr(s, f));
    let host_network = spec_field("hostNetwork").and_then(Value::as_bool) == Some(true);
    // Fields most syncs find already so are compared, not rebuilt (`set_str`).
    if st.get("phase").and_then(Value::as_str).is_none() {
        set_field(&mut st, "phase", json!("Pending"));
    }
    set_str(&mut st, "qosClass", qos_class(pod));
    set_str(&mut st, "hostIP", node.ip);
    let host_ips_same = match st.get("hostIPs") {
        Some(Value::Array(a)) => matches!(&a[..], [Value::Object(m)] if m.len() == 1 && m.get("ip").and_then(Value::as_str) == Some(node.ip)),
        _ => false,
    };
    if !host_ips_same {
        set_field(&mut st, "hostIPs", ip_list(node.ip.to_string()));
    }
    let specs = spec_array("containers");
    let init_specs = spec_array("initContainers");
    // A first sync (no startTime yet) writes one, so its status differs from the stored one.
    let fresh = st.get("startTime").is_none();
    if fresh {
        set_field(&mut st, "startTime", Value::String(now_ts.as_str().into()));
        let init_reason = if init_specs.is_empty() { "ContainerCreating" } else { "PodInitializing" };
        // Init container statuses only for a pod that has init containers.
        if init_specs.is_empty() {
            st.as_object_mut().map(|m| m.remove("initContainerStatuses"));
        } else {
            set_field(&mut st, "initContainerStatuses", Value::Array(init_specs.iter().map(|c| containers::waiting_status(c, "PodInitializing")).collect()));
        }
        set_field(&mut st, "containerStatuses", Value::Array(specs.iter().map(|c| containers::waiting_status(c, init_reason)).collect()));
    }
    let config = pod_config_problem(store, pod);
    // The arrays are taken out of the copy of the status (not copied again) and put back below.
    let mut conds: Vec<Value> = take_array(&mut st, "conditions");
    // Room for the kubelet's five (a first sync adds four to the scheduler's one).
    conds.reserve(5usize.saturating_sub(conds.len()));
    // Sandbox and volumes: PodReadyToStartContainers.
    let sandbox_ready = conds.iter().any(|c| cond_type(c) == Some("PodReadyToStartContainers") && field_str(c, "status") == Some("True"));
    let mut events: Vec<EventSpec> = Vec::new();
    if !sandbox_ready {
        if let Some(p) = config.as_ref().filter(|p| p.reason == "ContainerCreating") {
            set_condition(&mut conds, "PodReadyToStartContainers", false, None, None, &now_ts);
            if !recorded(store, key, pod.uid(), &p.event_reason, &p.event_message) {
                events.push(EventSpec::warning(key.clone(), "kubelet", p.event_reason.clone(), p.event_message.clone()));
            }
            finish_status(key, st, conds, (old_status, fresh), events, None, out);
            return;
        }
        set_condition(&mut conds, "PodReadyToStartContainers", true, None, None, &now_ts);
        let ip = if host_network {
            node.ip.to_string()
        } else {
            let n = (2..=254u32).find(|n| !node.used.contains(n)).unwrap_or(254);
            node.used.insert(n);
            format!("{}{n}", node.prefix)
        };
        set_field(&mut st, "podIP", Value::String(ip.as_str().into()));
        set_field(&mut st, "podIPs", ip_list(ip));
    }
    let anchor = conds
        .iter()
        .find(|c| cond_type(c) == Some("PodReadyToStartContainers"))
        .and_then(|c| ms_of(field_str(c, "lastTransitionTime")))
        .unwrap_or(now);
    let uid = pod.uid();
    let seen_fn = |reason: &str, msg: &str| recorded(store, key, uid, reason, msg);
    let mut ctx = Ctx {
        key,
        uid,
        pod_name: pod.name(),
        pod_namespace: pod.namespace(),
        now,
        restart_policy: spec_field("restartPolicy").and_then(Value::as_str).unwrap_or("Always"),
        in_job: &|| is_job_pod(pod),
        node_images: node.images.get_or_insert_with(|| node_images(node.node)),
        config: config.as_ref(),
        seen: &seen_fn,
        events,
        wake: None,
        pulled: vec![],
    };
    // Init containers, one after another.
    let had_init_statuses = st.get("initContainerStatuses").is_some();
    let mut init_statuses = take_array(&mut st, "initContainerStatuses");
    let mut main_anchor = anchor;
    let mut initialized = true;
    let mut init_failed = false;
    for (i, spec) in init_specs.iter().enumerate() {
        if init_statuses.len() <= i {
            init_statuses.push(containers::waiting_status(spec, "PodInitializing"));
        }
        let done = containers::step(&mut ctx, spec, &mut init_statuses[i], main_anchor, true);
        let s = &init_statuses[i];
        if !done {
            initialized = false;
            if containers::state_kind(s) == "terminated" && s.i64_at("state.terminated.exitCode").unwrap_or(0) != 0 {
                init_failed = ctx.restart_policy == "Never";
            }
            break;
        }
        main_anchor = match containers::state_kind(s) {
            "terminated" => ms_of(s.str_at("state.terminated.finishedAt")).unwrap_or(now),
            _ => ms_of(s.str_at("state.running.startedAt")).unwrap_or(now),
        };
    }
    let mut statuses = take_array(&mut st, "containerStatuses");
    for (i, spec) in specs.iter().enumerate() {
        if statuses.len() <= i {
            statuses.push(containers::waiting_status(spec, "PodInitializing"));
        }
        if !initialized {
            continue;
        }
        if containers::waiting_reason(&statuses[i]) == "PodInitializing" {
            set_field(&mut statuses[i], "state", json!({"waiting": {"reason": "ContainerCreating"}}));
        }
        containers::step(&mut ctx, spec, &mut statuses[i], main_anchor, false);
    }
    // Phase (getPhase).
    let phase = containers::pod_phase(ctx.restart_policy, initialized, init_failed, &statuses);
    set_str(&mut st, "phase", phase);
    let terminal = phase == "Succeeded" || phase == "Failed";
    let unready: Vec<&str> = statuses.iter().filter(|s| s.get("ready").and_then(Value::as_bool) != Some(true)).filter_map(|s| field_str(s, "name")).collect();
    let all_ready = unready.is_empty() && !statuses.is_empty();
    if terminal {
        set_condition(&mut conds, "PodReadyToStartContainers", false, None, None, &now_ts);
        set_condition(&mut conds, "Initialized", true, Some("PodCompleted"), None, &now_ts);
        set_condition(&mut conds, "Ready", false, Some("PodCompleted"), None, &now_ts);
        set_condition(&mut conds, "ContainersReady", false, Some("PodCompleted"), None, &now_ts);
    } else {
        if initialized {
            set_condition(&mut conds, "Initialized", true, None, None, &now_ts);
        } else {
            let pending: Vec<&str> = init_specs.iter().zip(init_statuses.iter()).filter(|(_, s)| !(containers::state_kind(s) == "terminated" && s.i64_at("state.terminated.exitCode") == Some(0))).filter_map(|(c, _)| c.str_at("name")).collect();
            set_condition(&mut conds, "Initialized", false, Some("ContainersNotInitialized"), Some(format!("containers with incomplete status: [{}]", pending.join(" "))), &now_ts);
        }
        if all_ready {
            set_condition(&mut conds, "Ready", true, None, None, &now_ts);
            set_condition(&mut conds, "ContainersReady", true, None, None, &now_ts);
        } else {
            // Written piece by piece (`format!` of a `join` built the names twice).
            let mut msg = String::with_capacity(40 + unready.iter().map(|n| n.len() + 1).sum::<usize>());
            msg.push_str("containers with unready status: [");
            for (i, n) in unready.iter().enumerate() {
                if i > 0 {
                    msg.push(' ');
                }
                msg.push_str(n);
            }
            msg.push(']');
            set_condition(&mut conds, "Ready", false, Some("ContainersNotReady"), Some(msg.clone()), &now_ts);
            set_condition(&mut conds, "ContainersReady", false, Some("ContainersNotReady"), Some(msg), &now_ts);
        }
    }
    if !conds.iter().any(|c| cond_type(c) == Some("PodScheduled")) {
        set_condition(&mut conds, "PodScheduled", true, None, None, &now_ts);
    }
    if !ctx.pulled.is_empty() {
        new_images.entry(node_name.to_string()).or_default().extend(ctx.pulled.iter().cloned());
    }
    if !init_specs.is_empty() || had_init_statuses {
        put_array(&mut st, "initContainerStatuses", init_statuses);
    }
    put_array(&mut st, "containerStatuses", statuses);
    let (events, wake) = (std::mem::take(&mut ctx.events), ctx.wake);
    finish_status(key, st, conds, (old_status, fresh), events, wake, out);
}

#[allow(clippy::too_many_arguments)]
/// Puts the conditions back and asks to write the status if it changed: always when `fresh` (the
/// sync gave it a startTime), else when it differs from the stored one (`old`).
fn finish_status(key: &Key, mut st: Value, conds: Vec<Value>, (old, fresh): (&Value, bool), events: Vec<EventSpec>, wake: Option<u64>, out: &mut Reconciled) {
    put_array(&mut st, "conditions", in_condition_order(conds));
    debug_assert!(!fresh || &st != old, "a first sync's status equals the stored one");
    if fresh || &st != old {
        out.push(Action::UpdateStatus(key.clone(), st));
    }
    for e in events {
        out.push(Action::Event(e));
    }
    if let Some(w) = wake {
        out.requeue(w);
    }
}

/// Graceful deletion: "Stopping container" events, containers stop (at once for servers, after the
/// whole grace period for `sleep` as PID 1, which ignores SIGTERM), then the pod object goes.
fn terminate(store: &Store, pod: &Object, key: &Key, clock: &Clock, out: &mut Reconciled) {
    let now = clock.now_ms;
    let grace = pod.i64_at("metadata.deletionGracePeriodSeconds").unwrap_or(30).max(0) as u64 * 1000;
    let deadline = ms_of(pod.str_at("metadata.deletionTimestamp")).unwrap_or(now);
    let began = deadline.saturating_sub(grace);
    let running: Vec<&Value> = pod.arr_at("status.containerStatuses").iter().filter(|s| containers::state_kind(s) == "running").collect();
    let in_job = is_job_pod(pod);
    let mut stop_at = began;
    for s in &running {
        let name = s.str_at("name").unwrap_or("");
        let msg = format!("Stopping container {name}");
        if !recorded(store, key, pod.uid(), "Killing", &msg) {
            out.push(Action::Event(EventSpec::normal(key.clone(), "kubelet", "Killing", msg)));
        }
        let spec = pod.arr_at("spec.containers").iter().find(|c| c.str_at("name") == Some(name)).cloned().unwrap_or(Value::Null);
        let p = containers::program_for(&spec, in_job);
        let t = if p.ignores_sigterm { deadline } else { began + 1000 };
        stop_at = stop_at.max(t);
    }
    if !pod.arr_at("metadata.finalizers").is_empty() {
        return;
    }
    if now >= stop_at {
        out.push(Action::Remove(key.clone()));
    } else {
        out.requeue(stop_at);
    }
}

#[path = "kubelet_conditions.rs"]
mod conditions;
use conditions::{cond_type, in_condition_order, set_condition};

#[cfg(test)]
#[path = "kubelet_tests.rs"]
mod memo_tests;
