//! DaemonSet controller tests over a three-node store (no scheduler or kubelet running).

use super::*;
use crate::model::api::{create, update, Caller};
use crate::model::controllers::workload_util::testing::{cluster, events, run_all};
use crate::model::Cluster;

fn nodes(c: &mut Cluster) {
    c.store.put(json!({"apiVersion":"v1","kind":"Node","metadata":{"name":"cp","uid":"n0","labels":{"kubernetes.io/hostname":"cp","node-role.kubernetes.io/control-plane":""}},
        "spec":{"taints":[{"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"}]}}));
    for (n, disk) in [("w1", "ssd"), ("w2", "hdd")] {
        c.store.put(json!({"apiVersion":"v1","kind":"Node","metadata":{"name":n,"uid":format!("u-{n}"),"labels":{"kubernetes.io/hostname":n,"disk":disk}},"spec":{}}));
    }
}

fn ds(extra_spec: Value) -> Value {
    let mut d = json!({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","namespace":"default"},
        "spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"a","image":"fluentd:v1"}]}}}});
    if let (Some(s), Some(e)) = (d["spec"]["template"]["spec"].as_object_mut(), extra_spec.as_object()) {
        for (k, v) in e {
            s.insert(k.clone(), v.clone());
        }
    }
    d
}

fn targets(c: &Cluster) -> Vec<String> {
    let mut v: Vec<String> = c.store.list(Kind::Pod).filter(|p| !p.is_deleting()).filter_map(|p| target_node(p).map(str::to_string)).collect();
    v.sort();
    v
}

#[test]
fn one_pod_per_worker_and_control_plane_only_when_tolerated() {
    let mut c = settled_agent();
    assert_eq!(targets(&c), vec!["w1", "w2"]);
    let p = c.store.list(Kind::Pod).next().unwrap();
    assert!(p.name().starts_with("agent-") && p.name().len() == 11);
    assert!(p.path("metadata.labels").and_then(|l| l.get(HASH_LABEL)).is_some());
    assert_eq!(p.path("metadata.labels").and_then(|l| l.get(GENERATION_LABEL)), Some(&json!("1")));
    assert_eq!(p.arr_at("spec.tolerations").len(), 6);
    let st = c.store.get_by(Kind::DaemonSet, "default", "agent").unwrap().path("status").unwrap().clone();
    assert_eq!(st.i64_at("desiredNumberScheduled"), Some(2));
    assert_eq!(st.i64_at("currentNumberScheduled"), Some(2));
    assert_eq!(st.i64_at("numberUnavailable"), Some(2));
    assert!(events(&c).iter().filter(|e| e.starts_with("SuccessfulCreate Created pod: agent-")).count() == 2);
    // Tolerating the control-plane taint adds the third node.
    let mut d = c.store.get_by(Kind::DaemonSet, "default", "agent").unwrap().clone();
    set_path(&mut d, "spec.template.spec.tolerations", json!([{"key":"node-role.kubernetes.io/control-plane","operator":"Exists","effect":"NoSchedule"}]));
    update(&mut c, d, Caller::admin()).unwrap();
    c.settle();
    run_all(&mut c);
    c.settle();
    assert_eq!(targets(&c), vec!["cp", "w1", "w2"]);
}

#[test]
fn node_selector_limits_nodes() {
    let mut c = cluster();
    nodes(&mut c);
    create(&mut c, ds(json!({"nodeSelector":{"disk":"ssd"}})), Caller::admin()).unwrap();
    c.settle();
    assert_eq!(targets(&c), vec!["w1"]);
    let st = c.store.get_by(Kind::DaemonSet, "default", "agent").unwrap().path("status").unwrap().clone();
    assert_eq!(st.i64_at("desiredNumberScheduled"), Some(1));
}

#[test]
fn rolling_update_replaces_one_node_at_a_time() {
    let mut c = cluster();
    nodes(&mut c);
    create(&mut c, ds(json!({})), Caller::admin()).unwrap();
    c.settle();
    run_all(&mut c);
    c.settle();
    let mut d = c.store.get_by(Kind::DaemonSet, "default", "agent").unwrap().clone();
    set_path(&mut d, "spec.template.spec.containers", json!([{"name":"a","image":"fluentd:v2"}]));
    update(&mut c, d, Caller::admin()).unwrap();
    c.settle();
    let imgs: Vec<String> = c.store.list(Kind::Pod).map(|p| p.str_at("spec.containers.0.image").unwrap_or("").to_string()).collect();
    assert_eq!(imgs.iter().filter(|i| *i == "fluentd:v1").count(), 1, "maxUnavailable 1: one node at a time {imgs:?}");
    for _ in 0..4 {
        run_all(&mut c);
        c.settle();
    }
    assert!(c.store.list(Kind::Pod).all(|p| p.str_at("spec.containers.0.image") == Some("fluentd:v2")));
    let k = Key::new(Kind::DaemonSet, "default", "agent");
    assert_eq!(crate::model::workloads::rollout_status(&c, &k).unwrap(), ("daemon set \"agent\" successfully rolled out".to_string(), true));
}

/// A quiet set is skipped until something it reads changes: here a new node, which needs a pod.
#[test]
fn a_quiet_set_syncs_again_when_a_node_joins() {
    let mut c = settled_agent();
    let mut memo = crate::model::controllers::KeyMemo::default();
    assert!(reconcile_with(&c.store, &c.clock, &mut memo, false).actions.is_empty());
    let key = Key::new(Kind::DaemonSet, "default", "agent");
    assert!(memo.skip(&key, fingerprint(&c), c.clock.now_ms).is_some(), "remembered as quiet");
    c.store.put(json!({"apiVersion":"v1","kind":"Node","metadata":{"name":"w3","uid":"u-w3","labels":{"kubernetes.io/hostname":"w3"}},"spec":{}}));
    let out = reconcile_with(&c.store, &c.clock, &mut memo, false);
    assert!(out.actions.iter().any(|a| matches!(a, Action::CreateReporting(p, ..) if target_node(p) == Some("w3"))), "{:?}", out.actions);
}

/// Native debug builds check every skip: a memo that wrongly believes the set is quiet panics.
#[test]
#[should_panic(expected = "daemonset memo skipped daemonset.apps/agent")]
fn verify_catches_a_wrong_daemonset_skip() {
    let mut c = cluster();
    nodes(&mut c);
    create(&mut c, ds(json!({})), Caller::admin()).unwrap();
    let mut memo = crate::model::controllers::KeyMemo::default();
    memo.insert(Key::new(Kind::DaemonSet, "default", "agent"), (fingerprint(&c), None));
    reconcile_with(&c.store, &c.clock, &mut memo, true);
}

/// What the pass's memo keeps of the set `agent` as the cluster stands.
fn fingerprint(c: &Cluster) -> u64 {
    let nodes: Vec<(&Key, u64)> = c.store.versions(Kind::Node).map(|(k, v, _)| (k, v)).collect();
    let (version, ds) = c.store.get_versioned(&Key::new(Kind::DaemonSet, "default", "agent")).expect("the set");
    inputs(&c.store, version, ds, &nodes)
}

/// The plain set `agent` on the three nodes, settled.
fn settled_agent() -> Cluster {
    let mut c = cluster();
    nodes(&mut c);
    create(&mut c, ds(json!({})), Caller::admin()).unwrap();
    c.settle();
    c
}

