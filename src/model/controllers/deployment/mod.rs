//! The Deployment controller (`pkg/controller/deployment/`): owns ReplicaSets named
//! `<deployment>-<pod-template-hash>`, keeps revisions, rolls out by strategy (`rolling.rs`,
//! `recreate.rs`), scales proportionally (`sync.rs`) and reports status and conditions
//! (`progress.rs`).

mod progress;
mod recreate;
mod rolling;
mod sync;

use super::workload_util::{self as u, Orphans};
use crate::model::api::template_hash;
use crate::model::events::EventSpec;
use crate::model::object::{remove_path, set_path, Key, ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Clock, Kind, Propagation, Reconciled};
use crate::value::{json, Map, Value};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

pub const HASH_LABEL: &str = "pod-template-hash";
pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX: &str = "deployment.kubernetes.io/max-replicas";
pub const SOURCE: &str = "deployment-controller";
/// Annotations never copied from a Deployment to its ReplicaSets (`annotationsToSkip`, deployment/util).
const SKIP: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY, DESIRED, MAX, "deprecated.deployment.rollback.to"];

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    reconcile_with(store, clock, &mut DeploymentMemo::default(), false)
}

/// Deployments whose last sync asked for nothing, with a hash of what that sync read: the
/// Deployment's resourceVersion and those of the objects naming it as owner (its ReplicaSets)
/// and, for Recreate, of their pods. Same hash, no sync, until the wake-up it asked for (a
/// progress deadline). A namespace with orphan ReplicaSets always syncs (adoption depends on the
/// pass). Worked example: typing in one Deployment of a 16-Deployment manifest used to sync all
/// 16 in each of the settle's four rounds; now the other 15 are skipped after their first.
pub type DeploymentMemo = super::KeyMemo;

/// The versions are the store's (`Slot`), not read from each object's metadata.
fn inputs(store: &Store, version: u64, d: &Object) -> u64 {
    let mut h = DefaultHasher::new();
    version.hash(&mut h);
    let recreate = d.str_at("spec.strategy.type") == Some("Recreate");
    for (key, v, child) in store.child_versions(d.uid()) {
        (key, v).hash(&mut h);
        if recreate {
            store.child_versions(child.uid()).for_each(|(k, v, _)| (k, v).hash(&mut h));
        }
    }
    h.finish()
}

/// The pass with a memo of quiet Deployments. With `verify`, quiet ones are synced anyway and a
/// sync that asks for something panics (native debug builds: every test checks the memo).
pub fn reconcile_with(store: &Store, clock: &Clock, memo: &mut DeploymentMemo, verify: bool) -> Reconciled {
    let mut out = Reconciled::default();
    let mut orphans = Orphans::scan(store, Kind::ReplicaSet);
    memo.forget_missing(store);
    for (key, version, d) in store.versions(Kind::Deployment) {
        let key = key.clone();
        let fp = (!orphans.any_in(d.namespace())).then(|| inputs(store, version, d));
        let memo_wake = fp.and_then(|fp| memo.skip(&key, fp, clock.now_ms));
        if let (Some(wake), false) = (memo_wake, verify) {
            // The pass asks for the earliest wake-up of all, so a skipped Deployment asks again.
            if let Some(w) = wake {
                out.requeue(w);
            }
            continue;
        }
        let mut mine = Reconciled::default();
        Ctx::new(store, clock, d, key.clone(), &mut mine).sync_deployment(&mut orphans);
        let asked = !mine.actions.is_empty();
        if memo_wake.is_some() {
            assert!(!asked, "deployment memo skipped {} at {} ms but its sync asks for {:?}", key.display(), clock.now_ms, mine.actions);
            assert_eq!(memo_wake, Some(mine.requeue_at), "deployment memo skipped {} but its sync asks for another wake-up", key.display());
        }
        match fp {
            Some(fp) => memo.record(&key, fp, asked, mine.requeue_at),
            None => {
                memo.forget(&key);
            }
        }
        out.merge(mine);
    }
    out
}

/// One ReplicaSet as this pass sees it: the stored object and its (possibly just changed) size.
pub struct Rs<'a> {
    pub obj: &'a Object,
    pub replicas: i64,
}

impl Rs<'_> {
    pub fn available(&self) -> i64 {
        self.obj.i64_at("status.availableReplicas").unwrap_or(0)
    }
    pub fn revision(&self) -> i64 {
        self.obj.annotation(REVISION).and_then(|r| r.parse().ok()).unwrap_or(0)
    }
}

/// The state of one Deployment's sync.
pub struct Ctx<'a, 'o> {
    pub store: &'a Store,
    pub clock: &'a Clock,
    pub d: &'a Object,
    pub key: Key,
    pub out: &'o mut Reconciled,
    /// Owned ReplicaSets, oldest first.
    pub rss: Vec<Rs<'a>>,
    /// Index of the new ReplicaSet (template equal to the Deployment's) in `rss`.
    pub new: Option<usize>,
    pub conditions: Vec<Value>,
    pub collision_count: i64,
    /// The Deployment's annotations to write back (revision), if changed.
    annotations: Option<Map>,
}

impl<'a, 'o> Ctx<'a, 'o> {
    fn new(store: &'a Store, clock: &'a Clock, d: &'a Object, key: Key, out: &'o mut Reconciled) -> Self {
        Ctx {
            store,
            clock,
            d,
            key,
            out,
            rss: vec![],
            new: None,
            conditions: d.arr_at("status.conditions").to_vec(),
            collision_count: d.i64_at("status.collisionCount").unwrap_or(0),
            annotations: None,
        }
    }

    pub fn replicas(&self) -> i64 {
        self.d.i64_at("spec.replicas").unwrap_or(1).max(0)
    }
    pub fn rolling(&self) -> bool {
        self.d.str_at("spec.strategy.type") != Some("Recreate")
    }
    /// `MaxSurge` (rounded up) and `MaxUnavailable` (rounded down), with the fencepost rule that
    /// both cannot be zero (`ResolveFenceposts`). Recreate has neither.
    pub fn surge_unavailable(&self) -> (i64, i64) {
        if !self.rolling() {
            return (0, 0);
        }
        let r = self.replicas();
        let s = u::scaled_value(self.d.path("spec.strategy.rollingUpdate.maxSurge"), "25%", r, true);
        let mut un = u::scaled_value(self.d.path("spec.strategy.rollingUpdate.maxUnavailable"), "25%", r, false);
        if s == 0 && un == 0 {
            un = 1;
        }
        (s, un.min(r))
    }
    pub fn old_indices(&self) -> Vec<usize> {
        (0..self.rss.len()).filter(|i| Some(*i) != self.new).collect()
    }
    pub fn total_replicas(&self) -> i64 {
        self.rss.iter().map(|r| r.replicas).sum()
    }
    pub fn event(&mut self, reason: &'static str, msg: String) {
        self.out.push(Action::Event(EventSpec::normal(self.key.clone(), SOURCE, reason, msg)));
    }

    fn sync_deployment(&mut self, orphans: &mut Orphans<'a>) {
        self.claim(orphans);
        let sel = self.d.path("spec.selector");
        if self.d.is_deleting() {
            return;
        }
        if u::selector_is_empty(sel) {
            self.out.push(Action::Event(EventSpec::warning(self.key.clone(), SOURCE, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")));
            return;
        }
        self.find_new();
        let paused = self.d.bool_at("spec.paused") == Some(true);
        progress::check_paused(self, paused);
        let rollout = if paused || sync::is_scaling_event(self) {
            self.sync_revision();
            sync::scale(self);
            if paused {
                self.cleanup();
            }
            false
        } else if self.rolling() {
            rolling::rollout(self);
            true
        } else {
            recreate::rollout(self);
            true
        };
        self.write_status(rollout);
    }

    /// `ClaimReplicaSets`: owned ones that still match, adopted orphans; releases the others.
    fn claim(&mut self, orphans: &mut Orphans<'a>) {
        let sel = self.d.path("spec.selector");
        let mut rss: Vec<&'a Object> = Vec::new();
        for rs in u::owned(self.store, self.d, Kind::ReplicaSet) {
            if u::selector_matches(sel, &rs.labels()) {
                rss.push(rs);
            } else if !rs.is_deleting() {
                self.out.push(Action::Update(strip_status(u::without_owner(rs, self.d.uid()))));
            }
        }
        if !self.d.is_deleting() && !u::selector_is_empty(sel) {
            for rs in orphans.adopt(self.d.namespace(), sel) {
                self.out.push(Action::Update(strip_status(u::with_controller(rs, self.d))));
                rss.push(rs);
            }
        }
        crate::sort::by(&mut rss, |a, b| a.str_at("metadata.creationTimestamp").cmp(&b.str_at("metadata.creationTimestamp")).then_with(|| a.name().cmp(b.name())));
        self.rss = rss.into_iter().map(|obj| Rs { obj, replicas: obj.i64_at("spec.replicas").unwrap_or(1) }).collect();
    }

    /// `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the Deployment's,
    /// ignoring the hash label.
    fn find_new(&mut self) {
        let want = self.d.path("spec.template");
        self.new = self.rss.iter().position(|r| u::templates_equal(r.obj.path("spec.template"), want, HASH_LABEL));
    }

    fn max_old_revision(&self) -> i64 {
        self.old_indices().iter().map(|&i| self.rss[i].revision()).max().unwrap_or(0)
    }

    /// `getAllReplicaSetsAndSyncRevision` for an existing new ReplicaSet: its revision becomes
    /// max(old)+1 (recording the previous one in revision-history, as after an undo), its
    /// annotations follow the Deployment's, and the Deployment shows the same revision.
    pub fn sync_revision(&mut self) {
        let Some(i) = self.new else { return };
        let rs = self.rss[i].obj;
        let new_rev = self.max_old_revision() + 1;
        let cur = self.rss[i].revision();
        let mut ann = rs.path("metadata.annotations").and_then(|a| a.as_object()).cloned().unwrap_or_default();
        let before = ann.clone();
        copy_annotations(self.d, &mut ann);
        let rev = if cur < new_rev {
            if cur > 0 {
                let hist = ann.get(REVISION_HISTORY).and_then(|h| h.as_str()).map(|h| format!("{h},{cur}")).unwrap_or(cur.to_string());
                ann.insert(REVISION_HISTORY.into(), json!(hist));
            }
            ann.insert(REVISION.into(), json!(new_rev.to_string()));
            new_rev
        } else {
            cur
        };
        if ann != before {
            let mut n = rs.clone();
            set_path(&mut n, "metadata.annotations", Value::Object(ann));
            self.out.push(Action::Update(strip_status(n)));
        }
        self.set_deployment_revision(rev);
        if progress::condition(&self.conditions, "Progressing").is_none() {
            let msg = format!("Found new replica set {:?}", rs.name());
            let now = self.clock.timestamp();
            u::set_condition(&mut self.conditions, "Progressing", "True", "FoundNewReplicaSet", &msg, &now, true);
        }
    }

    fn set_deployment_revision(&mut self, rev: i64) {
        let s = rev.to_string();
        if self.d.annotation(REVISION) != Some(s.as_str()) {
            let mut ann = self.d.path("metadata.annotations").and_then(|a| a.as_object()).cloned().unwrap_or_default();
            ann.insert(REVISION.into(), json!(s));
            self.annotations = Some(ann);
        }
    }

    /// Creates the new ReplicaSet with `replicas` pods (`getNewReplicaSet` with createIfNotExisted).
    pub fn create_new(&mut self, replicas: i64) {
        let hash = template_hash(self.d.path("spec.template").unwrap_or(&Value::Null), self.collision_count);
        let name = format!("{}-{}", self.d.name(), hash);
        let want = self.d.path("spec.template");
        if let Some(existing) = self.store.get_by(Kind::ReplicaSet, self.d.namespace(), &name) {
            // Hash collision with a ReplicaSet of another template: bump collisionCount and retry.
            if !u::templates_equal(existing.path("spec.template"), want, HASH_LABEL) || existing.controller_uid() != Some(self.d.uid()) {
                self.collision_count += 1;
            }
            return;
        }
        let mut template = self.d.path("spec.template").cloned().unwrap_or(json!({}));
        set_path(&mut template, &format!("metadata.labels.{HASH_LABEL}"), json!(hash));
        let mut selector = self.d.path("spec.selector").cloned().unwrap_or(json!({}));
        set_path(&mut selector, &format!("matchLabels.{HASH_LABEL}"), json!(hash));
        let mut labels = template.path("metadata.labels").cloned().unwrap_or(json!({}));
        set_path(&mut labels, HASH_LABEL, json!(hash));
        let rev = self.max_old_revision() + 1;
        let mut ann = Map::new();
        copy_annotations(self.d, &mut ann);
        ann.insert(REVISION.into(), json!(rev.to_string()));
        let (surge, _) = self.surge_unavailable();
        ann.insert(DESIRED.into(), json!(self.replicas().to_string()));
        ann.insert(MAX.into(), json!((self.replicas() + surge).to_string()));
        let mut spec = json!({"replicas": replicas, "selector": selector, "template": template});
        if let Some(m) = self.d.i64_at("spec.minReadySeconds").filter(|m| *m > 0) {
            spec["minReadySeconds"] = json!(m);
        }
        let rs = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": self.d.namespace(), "labels": labels, "annotations": ann, "ownerReferences": [u::controller_ref(self.d)]},
            "spec": spec});
        self.out.push(Action::Create(rs));
        if replicas > 0 {
            self.event("ScalingReplicaSet", format!("Scaled up replica set {name} from 0 to {replicas}"));
        }
        self.set_deployment_revision(rev);
        let now = self.clock.timestamp();
        let msg = format!("Created new replica set {name:?}");
        // The reason changes, so the condition is replaced (keeping lastTransitionTime if still True).
        u::set_condition(&mut self.conditions, "Progressing", "True", "NewReplicaSetCreated", &msg, &now, true);
    }

    /// `scaleReplicaSetAndRecordEvent`: new size plus the desired/max annotations.
    pub fn scale(&mut self, i: usize, to: i64) {
        let to = to.max(0);
        let (surge, _) = self.surge_unavailable();
        let rs = self.rss[i].obj;
        let from = self.rss[i].replicas;
        let desired = self.replicas().to_string();
        let max = (self.replicas() + surge).to_string();
        if from == to && rs.annotation(DESIRED) == Some(desired.as_str()) && rs.annotation(MAX) == Some(max.as_str()) {
            return;
        }
        let mut n = rs.clone();
        set_path(&mut n, "spec.replicas", json!(to));
        u::set_annotation(&mut n, DESIRED, &desired);
        u::set_annotation(&mut n, MAX, &max);
        self.out.push(Action::Update(strip_status(n)));
        self.rss[i].replicas = to;
        if from != to {
            let dir = if to > from { "up" } else { "down" };
            self.event("ScalingReplicaSet", format!("Scaled {dir} replica set {} from {from} to {to}", rs.name()));
        }
    }

    /// `cleanupDeployment`: old, empty ReplicaSets beyond `revisionHistoryLimit` (default 10), oldest revision first.
    pub fn cleanup(&mut self) {
        let limit = self.d.i64_at("spec.revisionHistoryLimit").unwrap_or(10).max(0) as usize;
        let mut empty: Vec<&Rs> = self
            .old_indices()
            .into_iter()
            .map(|i| &self.rss[i])
            .filter(|r| r.replicas == 0 && r.obj.i64_at("status.replicas").unwrap_or(0) == 0 && !r.obj.is_deleting())
            .filter(|r| r.obj.i64_at("status.observedGeneration").unwrap_or(0) >= r.obj.i64_at("metadata.generation").unwrap_or(0))
            .collect();
        if empty.len() <= limit {
            return;
        }
        crate::sort::by_key(&mut empty, |r| r.revision());
        let n = empty.len() - limit;
        let keys: Vec<Key> = empty.iter().take(n).filter_map(|r| r.obj.key()).collect();
        for k in keys {
            self.out.push(Action::Delete(k, Propagation::Background));
        }
    }

    fn write_status(&mut self, rollout: bool) {
        if let Some(ann) = self.annotations.take() {
            let mut n = self.d.clone();
            set_path(&mut n, "metadata.annotations", Value::Object(ann));
            self.out.push(Action::Update(strip_status(n)));
        }
        let status = progress::status(self, rollout);
        if self.d.path("status") != Some(&status) {
            self.out.push(Action::UpdateStatus(self.key.clone(), status));
        }
    }
}

/// Annotations of the Deployment that its new ReplicaSet carries (change-cause among them).
fn copy_annotations(d: &Object, into: &mut Map) {
    if let Some(a) = d.path("metadata.annotations").and_then(|a| a.as_object()) {
        for (k, v) in a {
            if !SKIP.contains(&k.as_str()) {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Updates go through the main resource, which keeps the stored status.
pub fn strip_status(mut o: Object) -> Object {
    let _ = remove_path(&mut o, "status");
    o
}

#[cfg(test)]
mod tests;
