//! StatefulSet controller tests (the kubelet is stood in for by `run_all`).

use super::*;
use crate::model::api::{create, update, Caller};
use crate::model::controllers::workload_util::testing::{cluster, events, run_all};
use crate::model::Cluster;

fn sts(replicas: i64, policy: &str) -> Value {
    json!({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"web","namespace":"default"},
        "spec":{"replicas":replicas,"serviceName":"nginx","podManagementPolicy":policy,"selector":{"matchLabels":{"app":"nginx"}},
        "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.25","volumeMounts":[{"name":"www","mountPath":"/usr/share/nginx/html"}]}]}},
        "volumeClaimTemplates":[{"metadata":{"name":"www"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}})
}

fn pod_names(c: &Cluster) -> Vec<String> {
    c.store.list(Kind::Pod).map(|p| p.name().to_string()).collect()
}

fn set_field(c: &mut Cluster, path: &str, v: Value) {
    let mut s = c.store.get_by(Kind::StatefulSet, "default", "web").unwrap().clone();
    set_path(&mut s, path, v);
    if path == "spec.podManagementPolicy" {
        // The API refuses this change (only replicas, template, updateStrategy... may change), so
        // the tests write it straight into the store.
        c.store.put(s);
        return;
    }
    let _ = crate::model::object::remove_path(&mut s, "status");
    update(c, s, Caller::admin()).unwrap();
}

#[test]
fn ordered_ready_creates_one_at_a_time_with_claims() {
    let mut c = cluster();
    create(&mut c, sts(3, "OrderedReady"), Caller::admin()).unwrap();
    c.settle();
    assert_eq!(pod_names(&c), vec!["web-0"]);
    let p = c.store.get_by(Kind::Pod, "default", "web-0").unwrap();
    assert_eq!(p.str_at("spec.hostname"), Some("web-0"));
    assert_eq!(p.str_at("spec.subdomain"), Some("nginx"));
    let l = p.path("metadata.labels").unwrap();
    assert_eq!(l.get(POD_NAME_LABEL), Some(&json!("web-0")));
    assert_eq!(l.get(POD_INDEX_LABEL), Some(&json!("0")));
    assert!(l.get(REVISION_LABEL).and_then(|v| v.as_str()).unwrap().starts_with("web-"));
    assert_eq!(p.path("spec.volumes.0"), Some(&json!({"name":"www","persistentVolumeClaim":{"claimName":"www-web-0"}})));
    let pvc = c.store.get_by(Kind::PersistentVolumeClaim, "default", "www-web-0").unwrap();
    assert_eq!(pvc.str_at("metadata.labels.app"), Some("nginx"));
    run_all(&mut c);
    c.settle();
    assert_eq!(pod_names(&c), vec!["web-0", "web-1"]);
    run_all(&mut c);
    c.settle();
    run_all(&mut c);
    c.settle();
    assert_eq!(pod_names(&c), vec!["web-0", "web-1", "web-2"]);
    let st = c.store.get_by(Kind::StatefulSet, "default", "web").unwrap().path("status").unwrap().clone();
    assert_eq!(st.i64_at("readyReplicas"), Some(3));
    assert_eq!(st.i64_at("currentReplicas"), Some(3));
    assert_eq!(st.str_at("currentRevision"), st.str_at("updateRevision"));
    let ev = events(&c);
    assert!(ev.contains(&"SuccessfulCreate create Pod web-1 in StatefulSet web successful".to_string()));
    assert!(ev.contains(&"SuccessfulCreate create Claim www-web-2 Pod web-2 in StatefulSet web success".to_string()));
}

#[test]
fn parallel_creates_all_and_scale_down_goes_from_the_top() {
    let mut c = cluster();
    create(&mut c, sts(3, "Parallel"), Caller::admin()).unwrap();
    c.settle();
    assert_eq!(pod_names(&c), vec!["web-0", "web-1", "web-2"]);
    run_all(&mut c);
    set_field(&mut c, "spec.podManagementPolicy", json!("OrderedReady"));
    set_field(&mut c, "spec.replicas", json!(1));
    c.settle();
    assert_eq!(pod_names(&c), vec!["web-0"]);
    let ev = events(&c);
    assert!(ev.contains(&"SuccessfulDelete delete Pod web-2 in StatefulSet web successful".to_string()));
    assert!(c.store.get_by(Kind::PersistentVolumeClaim, "default", "www-web-2").is_some(), "claims are retained");
}

#[test]
fn ordered_scale_down_waits_for_termination() {
    let mut c = cluster();
    create(&mut c, sts(3, "Parallel"), Caller::admin()).unwrap();
    c.settle();
    // On a node, deletion is graceful: the pod stays Terminating until the kubelet removes it.
    for p in c.store.list(Kind::Pod).cloned().collect::<Vec<_>>() {
        let mut p = p;
        set_path(&mut p, "spec.nodeName", json!("worker-1"));
        c.store.put(p);
    }
    run_all(&mut c);
    set_field(&mut c, "spec.podManagementPolicy", json!("OrderedReady"));
    set_field(&mut c, "spec.replicas", json!(1));
    c.settle();
    let deleting: Vec<_> = c.store.list(Kind::Pod).filter(|p| p.is_deleting()).map(|p| p.name().to_string()).collect();
    assert_eq!(deleting, vec!["web-2"], "one at a time, highest first");
    c.store.remove(&Key::new(Kind::Pod, "default", "web-2"));
    c.settle();
    let deleting: Vec<_> = c.store.list(Kind::Pod).filter(|p| p.is_deleting()).map(|p| p.name().to_string()).collect();
    assert_eq!(deleting, vec!["web-1"]);
}

#[test]
fn rolling_update_from_highest_ordinal_respects_partition() {
    let mut c = cluster();
    create(&mut c, sts(3, "Parallel"), Caller::admin()).unwrap();
    c.settle();
    run_all(&mut c);
    c.settle();
    let old = c.store.get_by(Kind::StatefulSet, "default", "web").unwrap().str_at("status.currentRevision").unwrap().to_string();
    set_field(&mut c, "spec.updateStrategy", json!({"type":"RollingUpdate","rollingUpdate":{"partition":1}}));
    set_field(&mut c, "spec.template.spec.containers", json!([{"name":"nginx","image":"nginx:1.26"}]));
    for _ in 0..6 {
        c.settle();
        run_all(&mut c);
    }
    c.settle();
    let img = |c: &Cluster, n: &str| c.store.get_by(Kind::Pod, "default", n).unwrap().str_at("spec.containers.0.image").unwrap().to_string();
    assert_eq!(img(&c, "web-0"), "nginx:1.25", "below the partition");
    assert_eq!(img(&c, "web-1"), "nginx:1.26");
    assert_eq!(img(&c, "web-2"), "nginx:1.26");
    let st = c.store.get_by(Kind::StatefulSet, "default", "web").unwrap().path("status").unwrap().clone();
    assert_eq!(st.str_at("currentRevision"), Some(old.as_str()));
    assert_eq!(st.i64_at("updatedReplicas"), Some(2));
    let k = Key::new(Kind::StatefulSet, "default", "web");
    assert_eq!(crate::model::workloads::rollout_status(&c, &k).unwrap(), ("partitioned roll out complete: 2 new pods have been updated...".to_string(), true));
}

#[test]
fn when_scaled_delete_hands_claims_to_the_condemned_pod() {
    let mut c = cluster();
    let mut s = sts(2, "Parallel");
    set_path(&mut s, "spec.persistentVolumeClaimRetentionPolicy", json!({"whenDeleted":"Retain","whenScaled":"Delete"}));
    create(&mut c, s, Caller::admin()).unwrap();
    c.settle();
    // On a node, so the deletion is graceful and the claim's new owner is still there to check.
    for mut p in c.store.list(Kind::Pod).cloned().collect::<Vec<_>>() {
        set_path(&mut p, "spec.nodeName", json!("worker-1"));
        c.store.put(p);
    }
    run_all(&mut c);
    let uid = c.store.get_by(Kind::Pod, "default", "web-1").unwrap().uid().to_string();
    set_field(&mut c, "spec.replicas", json!(1));
    c.settle();
    let pvc = c.store.get_by(Kind::PersistentVolumeClaim, "default", "www-web-1").unwrap();
    assert_eq!(pvc.str_at("metadata.ownerReferences.0.uid"), Some(uid.as_str()));
    assert_eq!(pvc.str_at("metadata.ownerReferences.0.kind"), Some("Pod"));
    assert!(c.store.get_by(Kind::PersistentVolumeClaim, "default", "www-web-0").unwrap().path("metadata.ownerReferences").is_none());
}
