//! Unit tests of the kubelet: the order of pod conditions, and the memo of quiet pods (skips, what
//! forgets them, and that a wrong skip is caught).
use super::*;
use crate::model::controllers::FxMap;

#[test]
fn conditions_come_in_the_kubelets_order_and_others_keep_theirs() {
    let c = |t: &str, n: i64| json!({"type": t, "n": n});
    let got = in_condition_order(vec![c("Custom", 1), c("PodScheduled", 2), c("Ready", 3), c("Other", 4), c("PodReadyToStartContainers", 5), c("Ready", 6)]);
    let order: Vec<i64> = got.iter().filter_map(|c| c.i64_at("n")).collect();
    assert_eq!(order, vec![5, 3, 6, 2, 1, 4]);
}
use crate::model::api::{self, Caller};
use crate::model::Cluster;

fn unsynced_pod() -> (Cluster, Key) {
    let mut c = Cluster::new();
    c.disabled.push("kubelet");
    let pod = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"nginx"}]}});
    api::create(&mut c, pod, Caller::admin()).unwrap();
    c.settle();
    (c, Key::new(Kind::Pod, "default", "p"))
}

/// The pod's memo inputs: its resourceVersion and what its sync reads of its node.
fn inputs_of(c: &Cluster, key: &Key) -> u64 {
    let pod = c.store.get(key).unwrap();
    let node = c.store.get_by(Kind::Node, "", pod.str_at("spec.nodeName").unwrap()).unwrap();
    let (ip, prefix) = node_address(node);
    memo_inputs(resource_version(pod), node_input(pod, resource_version(node), || address(ip, prefix)))
}

#[test]
fn a_pod_marked_quiet_is_skipped_until_it_changes() {
    let (c, key) = unsynced_pod();
    let rv = inputs_of(&c, &key);
    let stamp = super::super::Watch::Kinds(POD_INPUTS).stamp(&c.store);
    let mut memo = PodMemo { stamp: Some(stamp), quiet: FxMap::from_iter([(key.clone(), (rv, Some(c.clock.now_ms + 1), 0))]).into(), ..Default::default() };
    assert!(reconcile_with(&c.store, &c.clock, &mut memo, false).actions.is_empty());
    // At the wake-up the sync asked for, the pod is synced again.
    let mut later = c.clock.clone();
    later.now_ms += 1;
    assert!(!reconcile_with(&c.store, &later, &mut memo, false).actions.is_empty());
    // A write to the pod's node forgets its entry.
    let mut written = c.clone();
    let node = Key::new(Kind::Node, "", c.store.get(&key).unwrap().str_at("spec.nodeName").unwrap());
    let mut status = written.store.get(&node).unwrap().path("status").cloned().unwrap();
    status["x"] = json!(1);
    assert!(written.store.put_status(&node, status));
    let mut memo = PodMemo { stamp: Some(stamp), quiet: FxMap::from_iter([(key.clone(), (rv, None, 0))]).into(), ..Default::default() };
    assert!(!reconcile_with(&written.store, &written.clock, &mut memo, false).actions.is_empty());
    // A write to a kind the sync reads forgets the memo.
    let mut c = c;
    let mut memo = PodMemo { stamp: Some(stamp), quiet: FxMap::from_iter([(key.clone(), (rv, None, 0))]).into(), ..Default::default() };
    api::create(&mut c, json!({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}), Caller::admin()).unwrap();
    assert!(!reconcile_with(&c.store, &c.clock, &mut memo, false).actions.is_empty());
    assert!(!reconcile(&c.store, &c.clock).actions.is_empty());
}

#[test]
#[should_panic(expected = "kubelet memo skipped pod pod/p at")]
fn verify_catches_a_wrong_skip() {
    let (c, key) = unsynced_pod();
    let rv = inputs_of(&c, &key);
    let stamp = super::super::Watch::Kinds(POD_INPUTS).stamp(&c.store);
    let mut memo = PodMemo { stamp: Some(stamp), quiet: FxMap::from_iter([(key, (rv, None, 0))]).into(), ..Default::default() };
    reconcile_with(&c.store, &c.clock, &mut memo, true);
}

#[test]
fn a_running_pod_stays_quiet_when_only_its_nodes_image_list_changes() {
    let mut c = Cluster::new();
    let pod = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"nginx"}]}});
    api::create(&mut c, pod, Caller::admin()).unwrap();
    c.settle();
    c.advance(10_000);
    let key = Key::new(Kind::Pod, "default", "p");
    let pod = c.store.get(&key).unwrap();
    assert_eq!(pod.str_at("status.phase"), Some("Running"));
    let node = Key::new(Kind::Node, "", pod.str_at("spec.nodeName").unwrap());
    let rv = inputs_of(&c, &key);
    let stamp = super::super::Watch::Kinds(POD_INPUTS).stamp(&c.store);
    let quiet = || PodMemo { stamp: Some(stamp), quiet: FxMap::from_iter([(key.clone(), (rv, None, 0))]).into(), ..Default::default() };
    // Another image on the node: the memo still holds, and syncing it anyway (`verify`) agrees.
    let mut images = c.clone();
    let mut status = images.store.get(&node).unwrap().path("status").cloned().unwrap();
    status["images"].as_array_mut().unwrap().push(json!({"names": ["docker.io/library/redis:latest"], "sizeBytes": 1}));
    assert!(images.store.put_status(&node, status));
    assert_eq!(inputs_of(&images, &key), rv);
    assert!(reconcile_with(&images.store, &images.clock, &mut quiet(), true).actions.is_empty());
    // A new node IP is read (the pod's hostIP): the memo no longer holds.
    let mut moved = c.clone();
    let mut status = moved.store.get(&node).unwrap().path("status").cloned().unwrap();
    status["addresses"] = json!([{"type": "InternalIP", "address": "10.0.0.99"}]);
    assert!(moved.store.put_status(&node, status));
    assert_ne!(inputs_of(&moved, &key), rv);
    assert!(!reconcile_with(&moved.store, &moved.clock, &mut quiet(), false).actions.is_empty());
}

#[test]
fn ip_lists_as_json_builds_them() {
    assert_eq!(ip_list("10.244.1.2".into()), json!([{"ip": "10.244.1.2"}]));
    assert_eq!(ip_list("10.244.1.2".into()).to_string(), json!([{"ip": "10.244.1.2"}]).to_string());
}

/// A memo entry for `key` that believes the pod sits quiet on `node` (its hint and inputs).
fn quiet_on(c: &Cluster, key: &Key, node: &str) -> PodMemo {
    let stamp = super::super::Watch::Kinds(POD_INPUTS).stamp(&c.store);
    let pod_rv = resource_version(c.store.get(key).unwrap());
    let node_rv = resource_version(c.store.get_by(Kind::Node, "", node).unwrap());
    let entry = (memo_inputs(pod_rv, NodeInput::Any(node_rv)), None, node_hint(node));
    PodMemo { stamp: Some(stamp), quiet: FxMap::from_iter([(key.clone(), entry)]).into(), ..Default::default() }
}

/// A quiet pod is skipped on its entry's word, node included, without reading its spec: an entry
/// that (wrongly) names another node is believed, and native debug builds catch it.
#[test]
fn the_hint_names_the_node_a_skip_reads() {
    let (c, key) = unsynced_pod();
    let on = c.store.get(&key).unwrap().str_at("spec.nodeName").unwrap().to_string();
    let other = c.store.list(Kind::Node).map(|n| n.name().to_string()).find(|n| *n != on).expect("a second node");
    assert!(reconcile_with(&c.store, &c.clock, &mut quiet_on(&c, &key, &other), false).actions.is_empty(), "the hint is believed");
    let mut unhinted = quiet_on(&c, &key, &other);
    std::sync::Arc::make_mut(&mut unhinted.quiet).get_mut(&key).unwrap().2 = 0;
    assert!(!reconcile_with(&c.store, &c.clock, &mut unhinted, false).actions.is_empty(), "without one the pod's own node is read");
    let caught = std::panic::catch_unwind(|| reconcile_with(&c.store, &c.clock, &mut quiet_on(&c, &key, &other), true));
    assert!(caught.is_err(), "verify checks the hint");
    // A settle leaves each quiet pod's hint naming its node.
    let mut c = c;
    c.disabled.clear();
    c.settle();
    let i = super::super::CONTROLLERS.iter().position(|k| k.name == "kubelet").unwrap();
    let on = c.store.get(&key).unwrap().str_at("spec.nodeName").unwrap();
    assert_eq!(c.memo.keyed[i].quiet.get(&key).map(|e| e.2), Some(node_hint(on)));
}
