//! The StatefulSet controller (`pkg/controller/statefulset/stateful_set_control.go`,
//! `stateful_set_utils.go`): pods `<set>-<ordinal>` with stable names and claims
//! `<template>-<set>-<ordinal>`, OrderedReady (one at a time, each Running and Ready before the
//! next) or Parallel, scale-down from the highest ordinal, rolling update from the highest ordinal
//! down to the partition, revisions in `controller-revision-hash`.

use super::workload_util::{self as u};
use crate::model::api::template_hash;
use crate::model::events::EventSpec;
use crate::model::object::{set_path, Key, ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Clock, Kind, Propagation, Reconciled};
use crate::value::{json, Map, Value};

const SOURCE: &str = "statefulset-controller";
pub const REVISION_LABEL: &str = "controller-revision-hash";
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
/// Bound on ordinals a single set may hold in the simulation.
const MAX_ORDINALS: i64 = 10_000;

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    for set in store.list(Kind::StatefulSet) {
        if let Some(key) = set.key() {
            sync(store, clock, set, key, &mut out);
        }
    }
    out
}

/// The revision name of the set's current template: `<set>-<hash>`.
pub fn revision_name(set: &Object) -> String {
    format!("{}-{}", set.name(), template_hash(set.path("spec.template").unwrap_or(&Value::Null), set.i64_at("status.collisionCount").unwrap_or(0)))
}

fn ordinal_of(set: &Object, pod: &Object) -> Option<i64> {
    let rest = pod.name().strip_prefix(set.name())?.strip_prefix('-')?;
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) || (rest.len() > 1 && rest.starts_with('0')) {
        return None;
    }
    rest.parse().ok()
}

fn running_ready(p: &Object) -> bool {
    p.str_at("status.phase") == Some("Running") && u::pod_ready(p)
}

fn healthy(p: &Object) -> bool {
    running_ready(p) && !p.is_deleting()
}

fn finished(p: &Object) -> bool {
    matches!(p.str_at("status.phase"), Some("Failed") | Some("Succeeded"))
}

fn sync(store: &Store, clock: &Clock, set: &Object, key: Key, out: &mut Reconciled) {
    let pods: Vec<&Object> = u::owned(store, set, Kind::Pod);
    let replicas = set.i64_at("spec.replicas").unwrap_or(1).clamp(0, MAX_ORDINALS);
    let start = set.i64_at("spec.ordinals.start").unwrap_or(0).clamp(0, MAX_ORDINALS);
    let update_rev = revision_name(set);
    let current_rev = set.str_at("status.currentRevision").map(str::to_string).unwrap_or_else(|| update_rev.clone());
    let monotonic = set.str_at("spec.podManagementPolicy") != Some("Parallel");
    let mut slots: Vec<Option<&Object>> = vec![None; replicas as usize];
    let mut condemned: Vec<(i64, &Object)> = Vec::new();
    for p in &pods {
        match ordinal_of(set, p) {
            Some(o) if o >= start && o < start + replicas => slots[(o - start) as usize] = Some(p),
            Some(o) => condemned.push((o, p)),
            None => {}
        }
    }
    crate::sort::by(&mut condemned, |a, b| b.0.cmp(&a.0));
    if !set.is_deleting() {
        manage(store, clock, set, &key, start, &slots, &condemned, monotonic, &update_rev, out);
    }
    // computeReplicaStatus over every pod the set owns.
    let min_ready = set.i64_at("spec.minReadySeconds").unwrap_or(0);
    let (mut created, mut ready, mut available, mut current, mut updated) = (0, 0, 0, 0, 0);
    let mut wake = None;
    for p in &pods {
        created += 1;
        if running_ready(p) {
            ready += 1;
            if u::pod_available(p, min_ready, clock, &mut wake) {
                available += 1;
            }
        }
        if !p.is_deleting() {
            let rev = p.path("metadata.labels").and_then(|l| l.get(REVISION_LABEL)).and_then(|v| v.as_str());
            if rev == Some(current_rev.as_str()) {
                current += 1;
            }
            if rev == Some(update_rev.as_str()) {
                updated += 1;
            }
        }
    }
    if let Some(w) = wake {
        out.requeue(w);
    }
    let (mut cur_rev, mut cur_n) = (current_rev.clone(), current);
    let rolling = set.str_at("spec.updateStrategy.type").unwrap_or("RollingUpdate") == "RollingUpdate";
    if rolling && updated == created && ready == created && created == replicas {
        cur_rev = update_rev.clone();
        cur_n = updated;
    }
    let mut m = Map::new();
    m.insert("availableReplicas".into(), json!(available));
    m.insert("collisionCount".into(), json!(set.i64_at("status.collisionCount").unwrap_or(0)));
    u::put_nonzero(&mut m, "currentReplicas", cur_n);
    m.insert("currentRevision".into(), json!(cur_rev));
    u::put_nonzero(&mut m, "observedGeneration", set.i64_at("metadata.generation").unwrap_or(0));
    u::put_nonzero(&mut m, "readyReplicas", ready);
    m.insert("replicas".into(), json!(created));
    m.insert("updateRevision".into(), json!(update_rev));
    u::put_nonzero(&mut m, "updatedReplicas", updated);
    let status = Value::Object(m);
    if set.path("status") != Some(&status) {
        out.push(Action::UpdateStatus(key, status));
    }
}

#[allow(clippy::too_many_arguments)]
fn manage(store: &Store, clock: &Clock, set: &Object, key: &Key, start: i64, slots: &[Option<&Object>], condemned: &[(i64, &Object)], monotonic: bool, update_rev: &str, out: &mut Reconciled) {
    let event = |out: &mut Reconciled, reason: &'static str, msg: String| out.push(Action::Event(EventSpec::normal(key.clone(), SOURCE, reason, msg)));
    let failed_now = u::failed_create_now(store, set, clock, out);
    // 1. Make every replica exist and be healthy, in ordinal order.
    for (i, slot) in slots.iter().enumerate() {
        let ord = start + i as i64;
        match slot {
            None => {
                if failed_now {
                    return;
                }
                create_claims(store, set, key, ord, out);
                let pod = new_pod(set, ord, update_rev);
                let (name, set_name) = (pod.name().to_string(), set.name());
                out.push(Action::CreateReporting(
                    pod,
                    EventSpec::normal(key.clone(), SOURCE, "SuccessfulCreate", format!("create Pod {name} in StatefulSet {set_name} successful")),
                    EventSpec::warning(key.clone(), SOURCE, "FailedCreate", format!("create Pod {name} in StatefulSet {set_name} failed error: ")),
                ));
                if monotonic {
                    return;
                }
            }
            Some(p) if finished(p) && !p.is_deleting() => {
                // A failed (or exited) pod is deleted and recreated with the same identity.
                if let Some(k) = p.key() {
                    out.push(Action::Delete(k, Propagation::Background));
                    event(out, "SuccessfulDelete", format!("delete Pod {} in StatefulSet {} successful", p.name(), set.name()));
                }
                if monotonic {
                    return;
                }
            }
            Some(p) if monotonic && !healthy(p) => return,
            Some(_) => {}
        }
    }
    // 2. Scale down from the highest ordinal, one at a time when ordered.
    for (_, p) in condemned {
        if p.is_deleting() {
            if monotonic {
                return;
            }
            continue;
        }
        if set.str_at("spec.persistentVolumeClaimRetentionPolicy.whenScaled") == Some("Delete") {
            claims_owned_by_pod(store, set, p, out);
        }
        if let Some(k) = p.key() {
            out.push(Action::Delete(k, Propagation::Background));
            event(out, "SuccessfulDelete", format!("delete Pod {} in StatefulSet {} successful", p.name(), set.name()));
        }
        if monotonic {
            return;
        }
    }
    if !condemned.is_empty() {
        return;
    }
    // 3. Rolling update from the highest ordinal down to the partition.
    if set.str_at("spec.updateStrategy.type").unwrap_or("RollingUpdate") != "RollingUpdate" {
        return;
    }
    let partition = set.i64_at("spec.updateStrategy.rollingUpdate.partition").unwrap_or(0).max(0);
    for (i, slot) in slots.iter().enumerate().rev() {
        let ord = start + i as i64;
        if ord < partition {
            break;
        }
        let Some(p) = slot else { return };
        let rev = p.path("metadata.labels").and_then(|l| l.get(REVISION_LABEL)).and_then(|v| v.as_str());
        if rev != Some(update_rev) && !p.is_deleting() {
            if let Some(k) = p.key() {
                out.push(Action::Delete(k, Propagation::Background));
                event(out, "SuccessfulDelete", format!("delete Pod {} in StatefulSet {} successful", p.name(), set.name()));
            }
            return;
        }
        if !healthy(p) {
            return;
        }
    }
}

/// `newVersionedStatefulSetPod`: identity (name, hostname, subdomain, labels) and claims.
fn new_pod(set: &Object, ord: i64, rev: &str) -> Object {
    let name = format!("{}-{ord}", set.name());
    let mut pod = u::pod_from_template(set.path("spec.template"), set, None, &name);
    let mut labels = pod.path("metadata.labels").filter(|l| l.is_object()).cloned().unwrap_or(json!({}));
    if let Some(m) = labels.as_object_mut() {
        m.insert(REVISION_LABEL.into(), json!(rev));
        m.insert(POD_NAME_LABEL.into(), json!(name));
        m.insert(POD_INDEX_LABEL.into(), json!(ord.to_string()));
    }
    set_path(&mut pod, "metadata.labels", labels);
    set_path(&mut pod, "spec.hostname", json!(name));
    if let Some(svc) = set.str_at("spec.serviceName").filter(|s| !s.is_empty()) {
        set_path(&mut pod, "spec.subdomain", json!(svc));
    }
    let mut volumes: Vec<Value> = pod.arr_at("spec.volumes").to_vec();
    for t in set.arr_at("spec.volumeClaimTemplates") {
        let tname = t.str_at("metadata.name").unwrap_or("");
        volumes.retain(|v| v.str_at("name") != Some(tname));
        volumes.push(json!({"name": tname, "persistentVolumeClaim": {"claimName": claim_name(tname, set, ord)}}));
    }
    if !volumes.is_empty() {
        set_path(&mut pod, "spec.volumes", Value::Array(volumes));
    }
    pod
}

/// whenScaled: Delete — the condemned pod becomes an owner of its claims, so the garbage
/// collector removes them with it (`stateful_pod_control.go` UpdatePodClaimForRetentionPolicy).
fn claims_owned_by_pod(store: &Store, set: &Object, pod: &Object, out: &mut Reconciled) {
    let Some(ord) = ordinal_of(set, pod) else { return };
    for t in set.arr_at("spec.volumeClaimTemplates") {
        let name = claim_name(t.str_at("metadata.name").unwrap_or(""), set, ord);
        let Some(pvc) = store.get_by(Kind::PersistentVolumeClaim, set.namespace(), &name) else { continue };
        if pvc.owner_uids().contains(&pod.uid()) {
            continue;
        }
        let mut n = pvc.clone();
        let mut refs: Vec<Value> = pvc.arr_at("metadata.ownerReferences").to_vec();
        refs.push(json!({"apiVersion": "v1", "kind": "Pod", "name": pod.name(), "uid": pod.uid(), "controller": false, "blockOwnerDeletion": true}));
        set_path(&mut n, "metadata.ownerReferences", Value::Array(refs));
        out.push(Action::Update(n));
    }
}

fn claim_name(template: &str, set: &Object, ord: i64) -> String {
    format!("{template}-{}-{ord}", set.name())
}

/// `createPersistentVolumeClaims`: the claims a pod needs that do not exist yet.
fn create_claims(store: &Store, set: &Object, key: &Key, ord: i64, out: &mut Reconciled) {
    let pod_name = format!("{}-{ord}", set.name());
    for t in set.arr_at("spec.volumeClaimTemplates") {
        let tname = t.str_at("metadata.name").unwrap_or("");
        let name = claim_name(tname, set, ord);
        if store.get_by(Kind::PersistentVolumeClaim, set.namespace(), &name).is_some() {
            continue;
        }
        let mut labels = t.path("metadata.labels").filter(|l| l.is_object()).cloned().unwrap_or(json!({}));
        if let (Some(m), Some(sel)) = (labels.as_object_mut(), set.path("spec.selector.matchLabels").and_then(|s| s.as_object())) {
            for (k, v) in sel {
                m.insert(k.clone(), v.clone());
            }
        }
        let mut meta = json!({"name": name, "namespace": set.namespace(), "labels": labels});
        if let Some(a) = t.path("metadata.annotations").filter(|a| a.is_object()) {
            meta["annotations"] = a.clone();
        }
        let mut pvc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta, "spec": t.path("spec").cloned().unwrap_or(json!({}))});
        // persistentVolumeClaimRetentionPolicy Delete: the set owns the claim.
        if set.str_at("spec.persistentVolumeClaimRetentionPolicy.whenDeleted") == Some("Delete") {
            let mut r = u::controller_ref(set);
            r["controller"] = json!(false);
            set_path(&mut pvc, "metadata.ownerReferences", json!([r]));
        }
        out.push(Action::Create(pvc));
        out.push(Action::Event(EventSpec::normal(key.clone(), SOURCE, "SuccessfulCreate", format!("create Claim {name} Pod {pod_name} in StatefulSet {} success", set.name()))));
    }
}

#[cfg(test)]
#[path = "statefulset_tests.rs"]
mod tests;
