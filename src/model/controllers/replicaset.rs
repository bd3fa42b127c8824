//! The ReplicaSet controller (`pkg/controller/replicaset/replica_set.go`): keeps `spec.replicas`
//! active pods, adopting matching orphans and releasing pods whose labels stop matching, and
//! reports replicas / fullyLabeled / ready / available in status.

use super::workload_util::{self as u, Orphans};
use crate::model::events::EventSpec;
use crate::model::object::{ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Clock, Kind, Propagation, Reconciled};
use serde_json::{json, Map, Value};
use std::collections::HashSet;

const SOURCE: &str = "replicaset-controller";
/// The real controller creates at most `burstReplicas` (500) per sync; in the simulation the
/// batches are invisible (all in one settle), so only the replica cap bounds a sync.
const BURST: usize = 10_000;

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    let mut orphans = Orphans::scan(store, Kind::Pod);
    let mut taken = HashSet::new();
    for rs in store.list(Kind::ReplicaSet) {
        sync(store, clock, rs, &mut orphans, &mut taken, &mut out);
    }
    out
}

fn sync(store: &Store, clock: &Clock, rs: &Object, orphans: &mut Orphans, taken: &mut HashSet<String>, out: &mut Reconciled) {
    let key = match rs.key() {
        Some(k) => k,
        None => return,
    };
    let sel = rs.path("spec.selector");
    let mut pods: Vec<&Object> = Vec::new();
    for p in u::owned(store, rs, Kind::Pod) {
        if u::selects(sel, p) {
            pods.push(p);
        } else if !p.is_deleting() {
            // ReleasePod: labels no longer match, drop our ownerReference.
            out.push(Action::Update(u::without_owner(p, rs.uid())));
        }
    }
    let deleting = rs.is_deleting();
    let mut failure = None;
    if !deleting {
        for p in orphans.adopt(rs.namespace(), sel) {
            out.push(Action::Update(u::with_controller(p, rs)));
            pods.push(p);
        }
    }
    let active: Vec<&Object> = pods.iter().copied().filter(|p| u::pod_active(p)).collect();
    let want = rs.i64_at("spec.replicas").unwrap_or(1).max(0) as usize;
    if !deleting {
        failure = if active.len() < want { u::failed_create_message(store, rs, clock, out) } else { None };
        if active.len() < want && failure.is_none() {
            let n = (want - active.len()).min(BURST);
            let prefix = format!("{}-", rs.name());
            // The pod built once, then copied under each generated name.
            let shape = u::pod_from_template(rs.path("spec.template"), rs, Some(&prefix), "");
            // The salt `<uid>/<i>`, its UID part hashed once.
            let uid_hash = crate::model::clock::fnv32a(rs.uid().as_bytes());
            for i in 0..n {
                let name = u::generate_name_nth(store, Kind::Pod, rs.namespace(), &prefix, uid_hash, i, taken);
                let msg = format!("Created pod: {name}");
                out.push(u::create_reporting(&key, SOURCE, u::renamed(&shape, name), msg));
            }
        }
        if active.len() > want {
            let n = (active.len() - want).min(BURST);
            for p in pods_to_delete(active.clone(), n) {
                if let Some(k) = p.key() {
                    out.push(Action::Delete(k, Propagation::Background));
                    out.push(Action::Event(EventSpec::normal(key.clone(), SOURCE, "SuccessfulDelete", format!("Deleted pod: {}", p.name()))));
                }
            }
        }
    }
    let status = calculate_status(rs, &active, clock, failure.as_deref(), active.len() >= want, out);
    if rs.path("status") != Some(&status) {
        out.push(Action::UpdateStatus(key, status));
    }
}

/// `calculateStatus`: counts over the active pods this sync saw.
fn calculate_status(rs: &Object, active: &[&Object], clock: &Clock, failure: Option<&str>, satisfied: bool, out: &mut Reconciled) -> Value {
    let template_labels = rs.path("spec.template.metadata.labels").and_then(|l| l.as_object());
    let min_ready = rs.i64_at("spec.minReadySeconds").unwrap_or(0);
    let (mut fully, mut ready, mut available) = (0, 0, 0);
    let mut wake = None;
    for p in active {
        let l = p.path("metadata.labels");
        if template_labels.is_none_or(|t| t.iter().all(|(k, v)| l.and_then(|l| l.get(k)) == Some(v))) {
            fully += 1;
        }
        // The Ready condition is read once for both counts (`pod_ready`, `pod_available`).
        if let Some(since) = u::ready_since(p) {
            ready += 1;
            if u::available_since(since, min_ready, clock, &mut wake) {
                available += 1;
            }
        }
    }
    if let Some(w) = wake {
        out.requeue(w);
    }
    let mut m = Map::new();
    m.insert("replicas".into(), json!(active.len()));
    u::put_nonzero(&mut m, "fullyLabeledReplicas", fully);
    u::put_nonzero(&mut m, "readyReplicas", ready);
    u::put_nonzero(&mut m, "availableReplicas", available);
    u::put_nonzero(&mut m, "observedGeneration", rs.i64_at("metadata.generation").unwrap_or(0));
    // ReplicaFailure: set while creates are refused, dropped once the replicas are all there.
    let mut conds: Vec<Value> = rs.arr_at("status.conditions").to_vec();
    if let Some(msg) = failure {
        if !conds.iter().any(|c| c.str_at("type") == Some("ReplicaFailure")) {
            conds.push(json!({"type": "ReplicaFailure", "status": "True", "lastTransitionTime": clock.timestamp(), "reason": "FailedCreate", "message": msg}));
        }
    } else if satisfied {
        conds.retain(|c| c.str_at("type") != Some("ReplicaFailure"));
    }
    if !conds.is_empty() {
        m.insert("conditions".into(), Value::Array(conds));
    }
    Value::Object(m)
}

/// `getPodsToDelete` with `ActivePods` ordering (controller_utils.go): unscheduled before
/// scheduled, Pending before Unknown before Running, not ready before ready, ready for less time
/// first, more restarts first, newer first.
pub fn pods_to_delete(mut pods: Vec<&Object>, n: usize) -> Vec<&Object> {
    pods.sort_by(|a, b| delete_rank(a).cmp(&delete_rank(b)).then_with(|| b.str_at("metadata.creationTimestamp").cmp(&a.str_at("metadata.creationTimestamp"))).then_with(|| b.name().cmp(a.name())));
    pods.truncate(n);
    pods
}

fn delete_rank(p: &Object) -> (bool, u8, bool, i64, i64) {
    let scheduled = p.str_at("spec.nodeName").is_some_and(|n| !n.is_empty());
    let phase = match p.str_at("status.phase") {
        Some("Pending") | None => 0,
        Some("Unknown") => 1,
        _ => 2,
    };
    let ready = u::ready_since(p);
    let restarts: i64 = p.arr_at("status.containerStatuses").iter().filter_map(|c| c.i64_at("restartCount")).sum();
    // Ready longer sorts later: negate the ready-since time so more recent comes first.
    (scheduled, phase, ready.is_some(), -ready.unwrap_or(0), -restarts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::api::{create, Caller};
    use crate::model::object::set_path;
    use crate::model::Cluster;
    use crate::model::controllers::workload_util::testing::{cluster, events, run_all};

    fn rs(replicas: i64) -> Value {
        json!({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web","namespace":"default"},
            "spec":{"replicas":replicas,"selector":{"matchLabels":{"app":"web"}},
            "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}})
    }

    #[test]
    fn creates_adopts_releases_and_replaces() {
        let mut c = cluster();
        create(&mut c, json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"orphan","namespace":"default","labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}), Caller::Controller).unwrap();
        create(&mut c, rs(3), Caller::Controller).unwrap();
        c.settle();
        let rs_uid = c.store.get_by(Kind::ReplicaSet, "default", "web").unwrap().uid().to_string();
        let pods: Vec<_> = c.store.list(Kind::Pod).collect();
        assert_eq!(pods.len(), 3, "orphan adopted plus two new");
        assert!(pods.iter().all(|p| p.controller_uid() == Some(rs_uid.as_str())));
        let orphan = c.store.get_by(Kind::Pod, "default", "orphan").unwrap();
        assert_eq!(orphan.path("metadata.ownerReferences.0.blockOwnerDeletion"), Some(&json!(true)));
        let created: Vec<_> = pods.iter().filter(|p| p.name() != "orphan").collect();
        assert!(created.iter().all(|p| p.name().starts_with("web-") && p.name().len() == 9 && p.str_at("metadata.generateName") == Some("web-")));
        assert_eq!(events(&c).iter().filter(|e| e.starts_with("SuccessfulCreate Created pod: web-")).count(), 2);
        // Relabel the orphan: released, and a replacement is made.
        let mut o = c.store.get_by(Kind::Pod, "default", "orphan").unwrap().clone();
        set_path(&mut o, "metadata.labels", json!({"app":"other"}));
        crate::model::api::update(&mut c, o, Caller::admin()).unwrap();
        c.settle();
        assert!(c.store.get_by(Kind::Pod, "default", "orphan").unwrap().controller_uid().is_none());
        assert_eq!(c.store.list(Kind::Pod).filter(|p| p.controller_uid() == Some(rs_uid.as_str())).count(), 3);
        run_all(&mut c);
        c.settle();
        let st = c.store.get_by(Kind::ReplicaSet, "default", "web").unwrap().path("status").unwrap().clone();
        assert_eq!(st, json!({"replicas":3,"fullyLabeledReplicas":3,"readyReplicas":3,"availableReplicas":3,"observedGeneration":1}));
    }

    #[test]
    fn refused_creates_are_reported_once_per_moment() {
        let mut c = cluster();
        c.limits.max_objects = c.store.len() + 3;
        create(&mut c, rs(5), Caller::Controller).unwrap();
        c.settle();
        // The ReplicaSet, one pod and its event fill the store; the second pod is refused.
        assert_eq!(c.store.list(Kind::Pod).count(), 1);
        let failed: Vec<_> = c.store.list(Kind::Event).filter(|e| e.str_at("reason") == Some("FailedCreate")).collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].str_at("type"), Some("Warning"));
        assert!(failed[0].str_at("message").unwrap().starts_with("Error creating: exceeded quota"));
        // The four refused creates of the one sync fold into one event; no retry storm follows.
        assert_eq!(failed[0].i64_at("count"), Some(4));
        c.settle();
        let count = c.store.list(Kind::Event).find(|e| e.str_at("reason") == Some("FailedCreate")).and_then(|e| e.i64_at("count"));
        assert_eq!(count, Some(4));
        let cond = c.store.get_by(Kind::ReplicaSet, "default", "web").unwrap().path("status.conditions.0").cloned().unwrap();
        assert_eq!((cond.str_at("type"), cond.str_at("reason")), (Some("ReplicaFailure"), Some("FailedCreate")));
        assert!(cond.str_at("message").unwrap().starts_with("exceeded quota"));
        c.limits.max_objects = 1000;
        c.advance(10_000);
        assert!(c.store.get_by(Kind::ReplicaSet, "default", "web").unwrap().path("status.conditions").is_none());
        assert_eq!(c.store.list(Kind::Pod).count(), 5, "retried after the back-off");
    }

    #[test]
    fn scales_down_not_ready_first() {
        let mut c = cluster();
        create(&mut c, rs(3), Caller::Controller).unwrap();
        c.settle();
        run_all(&mut c);
        let mut r = c.store.get_by(Kind::ReplicaSet, "default", "web").unwrap().clone();
        set_path(&mut r, "spec.replicas", json!(5));
        crate::model::api::update(&mut c, r.clone(), Caller::admin()).unwrap();
        c.settle();
        assert_eq!(c.store.list(Kind::Pod).count(), 5);
        set_path(&mut r, "spec.replicas", json!(3));
        crate::model::api::update(&mut c, r, Caller::admin()).unwrap();
        c.settle();
        let pods: Vec<_> = c.store.list(Kind::Pod).collect();
        assert_eq!(pods.len(), 3);
        assert!(pods.iter().all(|p| u::pod_ready(p)), "the two pods that never became ready were deleted");
        assert_eq!(events(&c).iter().filter(|e| e.starts_with("SuccessfulDelete Deleted pod: web-")).count(), 2);
    }

    #[test]
    fn min_ready_seconds_delays_availability() {
        let mut c = cluster();
        let mut r = rs(1);
        set_path(&mut r, "spec.minReadySeconds", json!(10));
        create(&mut c, r, Caller::Controller).unwrap();
        c.settle();
        run_all(&mut c);
        c.settle();
        let get = |c: &Cluster| c.store.get_by(Kind::ReplicaSet, "default", "web").unwrap().i64_at("status.availableReplicas");
        assert_eq!(get(&c), None);
        c.advance(10_000);
        assert_eq!(get(&c), Some(1));
    }
}
