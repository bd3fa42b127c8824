//! The binder, provisioner and reclaim against a bootstrapped cluster.

use crate::model::api::{create, delete, Caller};
use crate::model::object::{set_path, Key, ObjExt};
use crate::model::{Cluster, Kind};
use crate::value::{json, Value};

fn pv(name: &str, size: &str, class: &str, policy: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name, "labels": {"type": "local"}}, "spec": {
        "storageClassName": class, "capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"],
        "persistentVolumeReclaimPolicy": policy, "hostPath": {"path": "/mnt/data"}}})
}

fn pvc(name: &str, size: &str, class: Option<&str>) -> Value {
    let mut o = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name, "namespace": "default"}, "spec": {
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}});
    if let Some(c) = class {
        set_path(&mut o, "spec.storageClassName", json!(c));
    }
    o
}

fn get<'a>(c: &'a Cluster, kind: Kind, ns: &str, name: &str) -> &'a Value {
    c.store.get_by(kind, ns, name).unwrap_or_else(|| panic!("{name} missing"))
}

fn events(c: &Cluster, name: &str) -> Vec<(String, String)> {
    c.store
        .list(Kind::Event)
        .filter(|e| e.str_at("involvedObject.name") == Some(name))
        .map(|e| (e.str_at("reason").unwrap_or("").to_string(), e.str_at("message").unwrap_or("").to_string()))
        .collect()
}

#[test]
fn static_binding_picks_smallest_fit_and_retain_releases() {
    let mut c = Cluster::new();
    for (n, s) in [("big", "10Gi"), ("small", "2Gi"), ("tiny", "500Mi")] {
        create(&mut c, pv(n, s, "manual", "Retain"), Caller::admin()).unwrap();
    }
    c.settle();
    assert_eq!(get(&c, Kind::PersistentVolume, "", "tiny").str_at("status.phase"), Some("Available"));
    create(&mut c, pvc("claim", "1Gi", Some("manual")), Caller::admin()).unwrap();
    c.settle();
    let claim = get(&c, Kind::PersistentVolumeClaim, "default", "claim");
    assert_eq!(claim.str_at("status.phase"), Some("Bound"));
    assert_eq!(claim.str_at("spec.volumeName"), Some("small"));
    assert_eq!(claim.str_at("status.capacity.storage"), Some("2Gi"));
    assert_eq!(claim.annotation("pv.kubernetes.io/bind-completed"), Some("yes"));
    let v = get(&c, Kind::PersistentVolume, "", "small");
    assert_eq!((v.str_at("status.phase"), v.str_at("spec.claimRef.name")), (Some("Bound"), Some("claim")));
    delete(&mut c, &Key::new(Kind::PersistentVolumeClaim, "default", "claim"), Default::default(), None).unwrap();
    c.settle();
    assert!(c.store.get_by(Kind::PersistentVolumeClaim, "default", "claim").is_none());
    assert_eq!(get(&c, Kind::PersistentVolume, "", "small").str_at("status.phase"), Some("Released"));
}

#[test]
fn default_class_waits_for_first_consumer_then_provisions() {
    let mut c = Cluster::new();
    let stored = create(&mut c, pvc("data", "1Gi", None), Caller::admin()).unwrap();
    assert_eq!(stored.str_at("spec.storageClassName"), Some("standard"));
    assert_eq!(stored.arr_at("metadata.finalizers"), &[json!("kubernetes.io/pvc-protection")]);
    c.settle();
    c.settle();
    assert_eq!(get(&c, Kind::PersistentVolumeClaim, "default", "data").str_at("status.phase"), Some("Pending"));
    assert_eq!(events(&c, "data"), vec![("WaitForFirstConsumer".into(), "waiting for first consumer to be created before binding".into())]);
    // The scheduler picks a node for the pod that uses it.
    let mut claim = get(&c, Kind::PersistentVolumeClaim, "default", "data").clone();
    claim["metadata"]["annotations"] = json!({"volume.kubernetes.io/selected-node": "worker-1"});
    crate::model::api::update(&mut c, claim, Caller::Controller).unwrap();
    c.settle();
    let claim = get(&c, Kind::PersistentVolumeClaim, "default", "data").clone();
    let pv_name = format!("pvc-{}", claim.uid());
    assert_eq!(claim.str_at("status.phase"), Some("Bound"));
    assert_eq!(claim.str_at("spec.volumeName"), Some(pv_name.as_str()));
    assert_eq!(claim.annotation("volume.kubernetes.io/storage-provisioner"), Some("rancher.io/local-path"));
    let v = get(&c, Kind::PersistentVolume, "", &pv_name);
    assert_eq!(v.annotation("pv.kubernetes.io/provisioned-by"), Some("rancher.io/local-path"));
    assert_eq!(v.str_at("spec.persistentVolumeReclaimPolicy"), Some("Delete"));
    let mut reasons: Vec<String> = events(&c, "data").into_iter().map(|e| e.0).collect();
    reasons.sort();
    assert_eq!(reasons, ["ExternalProvisioning", "Provisioning", "ProvisioningSucceeded", "WaitForFirstConsumer"]);
    delete(&mut c, &Key::new(Kind::PersistentVolumeClaim, "default", "data"), Default::default(), None).unwrap();
    c.settle();
    assert!(c.store.get_by(Kind::PersistentVolume, "", &pv_name).is_none());
}

#[test]
fn missing_class_and_protection() {
    let mut c = Cluster::new();
    create(&mut c, pvc("fast-claim", "1Gi", Some("fast")), Caller::admin()).unwrap();
    c.settle();
    assert_eq!(events(&c, "fast-claim"), vec![("ProvisioningFailed".into(), "storageclass.storage.k8s.io \"fast\" not found".into())]);
    let ev = c.store.list(Kind::Event).find(|e| e.str_at("reason") == Some("ProvisioningFailed")).unwrap();
    assert_eq!(ev.str_at("type"), Some("Warning"));
    // A claim in use by a running pod stays Terminating until the pod goes.
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}, "spec": {
        "containers": [{"name": "c", "image": "nginx"}], "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "fast-claim"}}]}});
    create(&mut c, pod.clone(), Caller::admin()).unwrap();
    assert_eq!(crate::model::storage::unbound_claims(&c.store, &pod), vec!["fast-claim".to_string()]);
    delete(&mut c, &Key::new(Kind::PersistentVolumeClaim, "default", "fast-claim"), Default::default(), None).unwrap();
    c.settle();
    assert!(get(&c, Kind::PersistentVolumeClaim, "default", "fast-claim").is_deleting());
    c.store.remove(&Key::new(Kind::Pod, "default", "p"));
    c.settle();
    assert!(c.store.get_by(Kind::PersistentVolumeClaim, "default", "fast-claim").is_none());
}

#[test]
fn resize_needs_an_expandable_class() {
    let mut c = Cluster::new();
    create(&mut c, json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "grow"},
        "provisioner": "rancher.io/local-path", "volumeBindingMode": "Immediate", "allowVolumeExpansion": true}), Caller::admin()).unwrap();
    create(&mut c, pvc("big", "1Gi", Some("grow")), Caller::admin()).unwrap();
    create(&mut c, pv("fixed", "1Gi", "manual", "Retain"), Caller::admin()).unwrap();
    create(&mut c, pvc("small", "1Gi", Some("manual")), Caller::admin()).unwrap();
    c.settle();
    let mut grow = get(&c, Kind::PersistentVolumeClaim, "default", "big").clone();
    assert_eq!(grow.str_at("status.phase"), Some("Bound"));
    set_path(&mut grow, "spec.resources.requests.storage", json!("5Gi"));
    crate::model::api::update(&mut c, grow, Caller::admin()).unwrap();
    c.settle();
    let grown = get(&c, Kind::PersistentVolumeClaim, "default", "big");
    assert_eq!(grown.str_at("status.capacity.storage"), Some("5Gi"));
    let pv_name = grown.str_at("spec.volumeName").unwrap().to_string();
    assert_eq!(get(&c, Kind::PersistentVolume, "", &pv_name).str_at("spec.capacity.storage"), Some("5Gi"));
    let mut shrink = grown.clone();
    set_path(&mut shrink, "spec.resources.requests.storage", json!("2Gi"));
    let e = crate::model::api::update(&mut c, shrink, Caller::admin()).unwrap_err();
    assert_eq!(e.message, "PersistentVolumeClaim \"big\" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity");
    let mut fixed = get(&c, Kind::PersistentVolumeClaim, "default", "small").clone();
    set_path(&mut fixed, "spec.resources.requests.storage", json!("2Gi"));
    let e = crate::model::api::update(&mut c, fixed, Caller::admin()).unwrap_err();
    assert_eq!(e.message, "persistentvolumeclaims \"small\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
}
