//! The ReplicaSet controller (`pkg/controller/replicaset/replica_set.go`): keeps `spec.replicas`
//! active pods, adopting matching orphans and releasing pods whose labels stop matching, and
//! reports replicas / fullyLabeled / ready / available in status.

use super::workload_util::{self as u, Orphans};
use super::{FxHasher, KeyMemo};
use crate::model::events::EventSpec;
use crate::model::object::{ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Clock, Kind, Propagation, Reconciled};
use crate::value::{json, Map, Value};
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

const SOURCE: &str = "replicaset-controller";
/// The real controller creates at most `burstReplicas` (500) per sync; in the simulation the
/// batches are invisible (all in one settle), so only the replica cap bounds a sync.
const BURST: usize = 10_000;

/// What a sync reads of one of its ReplicaSet's children. The same pod at the same
/// resourceVersion, seen by a ReplicaSet with the same UID, selector and template labels, reads
/// the same: the pass keeps these in its memo (`KeyMemo::seen`) and reads a pod's JSON only when
/// it changed. A settle of 10,000 replicas runs the pass some twelve times; reading every pod's
/// owners, labels, phase and conditions each time was a fifth of it, most of that cache misses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seen {
    /// Its controller is this ReplicaSet.
    controlled: bool,
    /// The selector matches its labels.
    selected: bool,
    deleting: bool,
    /// `pod_active`: not Succeeded, not Failed, not being deleted.
    active: bool,
    /// Its labels include the template's (`fullyLabeledReplicas`).
    fully: bool,
    /// `ready_since`.
    ready_since: Option<i64>,
}

impl Seen {
    fn read(p: &Object, rs_uid: &str, sel: Option<&Value>, template_labels: Option<&Map>) -> Seen {
        let l = p.get("metadata").and_then(|m| m.get("labels"));
        Seen {
            controlled: p.controller_uid() == Some(rs_uid),
            selected: u::selects(sel, p),
            deleting: p.is_deleting(),
            active: u::pod_active(p),
            fully: template_labels.is_none_or(|t| t.iter().all(|(k, v)| l.and_then(|l| l.get(k)) == Some(v))),
            ready_since: u::ready_since(p),
        }
    }
}

/// What of a ReplicaSet its children's `Seen` depend on: its UID, selector and template labels.
fn reader(rs: &Object) -> u64 {
    let mut h = FxHasher::default();
    rs.uid().hash(&mut h);
    hash_json(rs.path("spec.selector"), &mut h);
    hash_json(rs.path("spec.template.metadata.labels"), &mut h);
    h.finish()
}

/// Feeds a JSON value into `h` (maps in key order, so equal values hash alike).
fn hash_json(v: Option<&Value>, h: &mut FxHasher) {
    match v {
        None => h.write_u8(0),
        Some(Value::Null) => h.write_u8(1),
        Some(Value::Bool(b)) => h.write_u8(2 + *b as u8),
        Some(Value::Number(n)) => {
            h.write_u8(4);
            n.to_string().hash(h);
        }
        Some(Value::String(s)) => {
            h.write_u8(5);
            s.hash(h);
        }
        Some(Value::Array(a)) => {
            h.write_u8(6);
            h.write_usize(a.len());
            a.iter().for_each(|v| hash_json(Some(v), h));
        }
        Some(Value::Object(m)) => {
            h.write_u8(7);
            h.write_usize(m.len());
            for (k, v) in m {
                k.hash(h);
                hash_json(Some(v), h);
            }
        }
    }
}

/// The pass without a memo (every pod read).
pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    reconcile_with(store, clock, &mut KeyMemo::default(), false)
}

/// The pass with its memo of what each pod read (`Seen`). With `verify`, every pod is read
/// anyway and a memo that disagrees panics (native debug builds: every test checks it).
pub fn reconcile_with(store: &Store, clock: &Clock, memo: &mut KeyMemo, verify: bool) -> Reconciled {
    let mut out = Reconciled::default();
    let mut orphans = Orphans::scan(store, Kind::Pod);
    let mut taken = HashSet::new();
    for rs in store.list(Kind::ReplicaSet) {
        sync(store, clock, rs, &mut orphans, &mut taken, memo, verify, &mut out);
    }
    // Pods gone since (or never again a child): dropped once they are a good part of the memo.
    if memo.seen.len() > 64 + 2 * store.count(Kind::Pod) {
        Arc::make_mut(&mut memo.seen).retain(|k, _| store.contains(k));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn sync(store: &Store, clock: &Clock, rs: &Object, orphans: &mut Orphans, taken: &mut HashSet<String>, memo: &mut KeyMemo, verify: bool, out: &mut Reconciled) {
    let key = match rs.key() {
        Some(k) => k,
        None => return,
    };
    let sel = rs.path("spec.selector");
    let template_labels = rs.path("spec.template.metadata.labels").and_then(|l| l.as_object());
    let mut pods: Vec<(&Object, Seen)> = Vec::new();
    if !rs.uid().is_empty() {
        let read = reader(rs);
        for (k, rv, p) in store.child_versions(rs.uid()) {
            if k.kind != Kind::Pod {
                continue;
            }
            let seen = match memo.seen.get(k) {
                Some(&(at, by, seen)) if at == rv && by == read => {
                    if verify {
                        assert_eq!(seen, Seen::read(p, rs.uid(), sel, template_labels), "the ReplicaSet memo of {} is stale", k.display());
                    }
                    seen
                }
                _ => {
                    let seen = Seen::read(p, rs.uid(), sel, template_labels);
                    Arc::make_mut(&mut memo.seen).insert(k.clone(), (rv, read, seen));
                    seen
                }
            };
            if !seen.controlled {
                continue;
            }
            if seen.selected {
                pods.push((p, seen));
            } else if !seen.deleting {
                // ReleasePod: labels no longer match, drop our ownerReference.
                out.push(Action::Update(u::without_owner(p, rs.uid())));
            }
        }
    }
    let deleting = rs.is_deleting();
    let mut failure = None;
    if !deleting {
        for p in orphans.adopt(rs.namespace(), sel) {
            out.push(Action::Update(u::with_controller(p, rs)));
            pods.push((p, Seen { controlled: true, ..Seen::read(p, rs.uid(), sel, template_labels) }));
        }
    }
    pods.retain(|(_, seen)| seen.active);
    let active = pods;
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
            for p in pods_to_delete(active.iter().map(|(p, _)| *p).collect(), n) {
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
fn calculate_status(rs: &Object, active: &[(&Object, Seen)], clock: &Clock, failure: Option<&str>, satisfied: bool, out: &mut Reconciled) -> Value {
    let min_ready = rs.i64_at("spec.minReadySeconds").unwrap_or(0);
    let (mut fully, mut ready, mut available) = (0, 0, 0);
    let mut wake = None;
    for (_, seen) in active {
        if seen.fully {
            fully += 1;
        }
        // The Ready condition is read once for both counts (`pod_ready`, `pod_available`).
        if let Some(since) = seen.ready_since {
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
    crate::sort::by(&mut pods, |a, b| delete_rank(a).cmp(&delete_rank(b)).then_with(|| b.str_at("metadata.creationTimestamp").cmp(&a.str_at("metadata.creationTimestamp"))).then_with(|| b.name().cmp(a.name())));
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

    /// A settled ReplicaSet of three running pods, its memo filled by a pass, and one pod's key.
    fn settled_with_memo() -> (Cluster, KeyMemo, crate::model::object::Key) {
        let mut c = cluster();
        create(&mut c, rs(3), Caller::Controller).unwrap();
        c.settle();
        run_all(&mut c);
        c.settle();
        let mut memo = KeyMemo::default();
        assert!(reconcile_with(&c.store, &c.clock, &mut memo, true).actions.is_empty());
        let key = c.store.list(Kind::Pod).next().unwrap().key().unwrap();
        (c, memo, key)
    }

    fn ready_in(out: &Reconciled) -> Option<i64> {
        out.actions.iter().find_map(|a| match a {
            Action::UpdateStatus(_, st) => Some(st.i64_at("readyReplicas").unwrap_or(0)),
            _ => None,
        })
    }

    /// An unchanged pod is not read again: a (deliberately) wrong memo entry is believed. Once
    /// the pod is written, or the ReplicaSet's template labels change, it is read again.
    #[test]
    fn the_memo_stands_for_an_unchanged_pod_only() {
        let (mut c, mut memo, key) = settled_with_memo();
        assert_eq!(memo.seen.len(), 3);
        let (rv, read, seen) = memo.seen[&key];
        Arc::make_mut(&mut memo.seen).insert(key.clone(), (rv, read, Seen { ready_since: None, ..seen }));
        assert_eq!(ready_in(&reconcile_with(&c.store, &c.clock, &mut memo.clone(), false)), Some(2));
        // The pod written (a new resourceVersion): read again, all three ready.
        let pod = c.store.get(&key).unwrap().clone();
        c.store.put(pod);
        assert!(reconcile_with(&c.store, &c.clock, &mut memo.clone(), false).actions.is_empty());
        // A new reader: the template's labels gain one the pods lack.
        let (rv, read, seen) = memo.seen[&key];
        Arc::make_mut(&mut memo.seen).insert(key.clone(), (rv, read, Seen { ready_since: None, ..seen }));
        let mut r = c.store.get_by(Kind::ReplicaSet, "default", "web").unwrap().clone();
        set_path(&mut r, "spec.template.metadata.labels.tier", json!("front"));
        c.store.put(r);
        let out = reconcile_with(&c.store, &c.clock, &mut memo, false);
        let status = out.actions.iter().find_map(|a| if let Action::UpdateStatus(_, st) = a { Some(st.clone()) } else { None }).unwrap();
        assert_eq!((status.i64_at("readyReplicas"), status.i64_at("fullyLabeledReplicas")), (Some(3), None));
    }

    #[test]
    #[should_panic(expected = "the ReplicaSet memo of pod/")]
    fn verify_catches_a_stale_memo() {
        let (c, mut memo, key) = settled_with_memo();
        let (rv, read, seen) = memo.seen[&key];
        Arc::make_mut(&mut memo.seen).insert(key, (rv, read, Seen { fully: !seen.fully, ..seen }));
        reconcile_with(&c.store, &c.clock, &mut memo, true);
    }
}
