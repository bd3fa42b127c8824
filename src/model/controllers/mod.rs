//! The control loops of kube-controller-manager, the scheduler and the kubelet. Each is a pure,
//! level-triggered function of (store, clock) returning actions and a requeue time.

pub mod endpoints;
pub mod ingress_nginx;
pub mod pv_binder;
pub mod serviceaccount;

use super::clock::Clock;
use super::store::Store;
use super::kinds::{Kind, KINDS};
use super::object::Key;
use super::Reconciled;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

pub mod cron;
pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod job;
pub mod replicaset;
pub mod statefulset;
pub mod workload_util;
pub mod containers;
pub mod gc;
pub mod kubelet;
pub mod namespace;
pub mod node;
pub mod resources;
pub mod runtime;
pub mod scheduler;

pub type ReconcileFn = fn(&Store, &Clock) -> Reconciled;
/// A pass with a memo of quiet objects: (store, clock, memo, verify). With `verify`, objects
/// the memo would skip are synced anyway and a sync that asks for something panics.
pub type KeyedFn = fn(&Store, &Clock, &mut KeyMemo, bool) -> Reconciled;
/// Run by settle once a keyed pass's actions are performed, with the store they produced.
pub type AfterFn = fn(&Store, &mut KeyMemo);

/// Per object (a pod, a Deployment, a Service): a hash (or resourceVersion) of what its last
/// sync read when that sync asked for nothing, and the wake-up it asked for. Same inputs, no
/// sync, until then: the level-triggered form of an informer's work queue. `stamp` lets a
/// controller forget everything at once when a kind every object reads is written.
///
/// The map is shared copy-on-write like the store's: `Cluster::clone` (every editor keystroke)
/// copied and later freed an entry per pod, with its key's strings, for copies that mostly never
/// settle; now the first write to a copy's memo copies it.
#[derive(Clone, Debug, Default)]
pub struct KeyMemo {
    pub(crate) stamp: Option<u64>,
    /// Per object: (inputs, wake-up, a hint of the controller's own). The kubelet's hint is its
    /// pod's node name, hashed (`node_hint`), so a quiet pod's node is found without reading the
    /// pod's spec; the other controllers leave it 0.
    pub(crate) quiet: Arc<FxMap<Key, (u64, Option<u64>, u64)>>,
    /// Syncs that asked only to write their object's status (and record events), for the
    /// controller's `after` hook; empty between passes.
    pub(crate) written: Vec<kubelet::Written>,
    /// Per pod: the resourceVersion and reader it was read at, and what the ReplicaSet pass
    /// read of it (`replicaset::Seen`).
    pub(crate) seen: Arc<FxMap<Key, (u64, u64, replicaset::Seen)>>,
}

impl KeyMemo {
    /// `Some(wake-up)` when `key`'s last sync read the same `inputs`, asked for nothing, and the
    /// wake-up it asked for is still ahead of `now`: the object may be skipped.
    pub(crate) fn skip(&self, key: &Key, inputs: u64, now: u64) -> Option<Option<u64>> {
        self.quiet.get(key).filter(|&&(f, w, _)| f == inputs && w.is_none_or(|w| now < w)).map(|&(_, w, _)| w)
    }
    /// `skip` with the inputs compared by `same` (called only when there is an entry whose
    /// wake-up is still ahead, so inputs that cost a hash are computed only then).
    pub(crate) fn skip_if(&self, key: &Key, now: u64, same: impl FnOnce(u64) -> bool) -> Option<Option<u64>> {
        self.skip_hinted(key, now, |f, _| same(f))
    }
    /// `skip_if`, `same` also given the entry's hint.
    pub(crate) fn skip_hinted(&self, key: &Key, now: u64, same: impl FnOnce(u64, u64) -> bool) -> Option<Option<u64>> {
        self.quiet.get(key).filter(|&&(_, w, _)| w.is_none_or(|w| now < w)).filter(|&&(f, _, hint)| same(f, hint)).map(|&(_, w, _)| w)
    }
    /// A sync of `key` that read `inputs`: remembered if it asked for nothing, else forgotten.
    pub(crate) fn record(&mut self, key: &Key, inputs: u64, asked: bool, wake: Option<u64>) {
        self.record_hinted(key, inputs, 0, asked, wake);
    }
    /// `record` with a hint (see `quiet`).
    pub(crate) fn record_hinted(&mut self, key: &Key, inputs: u64, hint: u64, asked: bool, wake: Option<u64>) {
        if asked {
            self.forget(key);
        } else if self.quiet.get(key) != Some(&(inputs, wake, hint)) {
            Arc::make_mut(&mut self.quiet).insert(key.clone(), (inputs, wake, hint));
        }
    }
    /// Remembers `key` as quiet with these inputs and wake-up (tests set up wrong memos with it).
    #[cfg(test)]
    pub(crate) fn insert(&mut self, key: Key, (inputs, wake): (u64, Option<u64>)) {
        Arc::make_mut(&mut self.quiet).insert(key, (inputs, wake, 0));
    }
    /// Forgets `key`.
    pub(crate) fn forget(&mut self, key: &Key) {
        if self.quiet.contains_key(key) {
            Arc::make_mut(&mut self.quiet).remove(key);
        }
    }
    /// Forgets everything.
    pub(crate) fn forget_all(&mut self) {
        self.quiet = Arc::default();
    }
    /// Forgets the objects the store no longer holds.
    pub(crate) fn forget_missing(&mut self, store: &Store) {
        if self.quiet.keys().any(|k| !store.contains(k)) {
            Arc::make_mut(&mut self.quiet).retain(|k, _| store.contains(k));
        }
    }
}

/// A map hashed with `FxHasher`: the memo's keys are looked up once per object per pass (a
/// settle of 1,000 pods: ~17,000 times in the kubelet alone), and SipHash cost more than the
/// rest of such a lookup. Nothing iterates these maps in an order that matters.
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// rustc's FxHash: a rotate, xor and multiply per 8 bytes. Not resistant to chosen keys, which
/// a single-user simulation does not meet.
#[derive(Clone, Copy, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, mut bytes: &[u8]) {
        while let Some((word, rest)) = bytes.split_first_chunk::<8>() {
            self.add(u64::from_le_bytes(*word));
            bytes = rest;
        }
        if let Some((word, rest)) = bytes.split_first_chunk::<4>() {
            self.add(u32::from_le_bytes(*word) as u64);
            bytes = rest;
        }
        for &b in bytes {
            self.add(b as u64);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// What a controller reads. A settle round skips a controller when, at the same simulated
/// instant, nothing it reads was written since a pass of it that asked for nothing: the pass
/// would be a pure function of unchanged inputs, so it would ask for nothing again (the informer
/// and work queue of a real controller give the same economy). Native debug builds — every
/// `cargo test` — run the skipped pass anyway and panic if it asks for something, so a watch
/// list that misses a kind fails the suite instead of hiding a reconcile.
#[derive(Clone, Copy, Debug)]
pub enum Watch {
    /// Reads anything (or has not been audited): runs every round.
    All,
    /// Reads only these kinds (owners found through them included).
    Kinds(&'static [Kind]),
    /// Reads every kind but these.
    AllBut(&'static [Kind]),
    /// Reads only which objects exist, their UIDs, ownerReferences and finalizers, and objects
    /// being deleted (the garbage collector): `Store::ownership_version`.
    Ownership,
}

impl Watch {
    /// A stamp that moves whenever a watched kind is written: the newest write among them
    /// (resourceVersions only grow, so any write raises it).
    pub fn stamp(self, store: &Store) -> u64 {
        match self {
            Watch::All => store.resource_version(),
            Watch::Kinds(ks) => ks.iter().map(|&k| store.kind_version(k)).max().unwrap_or(0),
            Watch::AllBut(ks) => KINDS.iter().map(|i| i.kind).filter(|k| !ks.contains(k)).map(|k| store.kind_version(k)).max().unwrap_or(0),
            Watch::Ownership => store.ownership_version(),
        }
    }
}

pub struct Controller {
    pub name: &'static str,
    pub reconcile: ReconcileFn,
    /// The same pass with a per-object memo, which settle runs instead when there is one.
    pub keyed: Option<KeyedFn>,
    /// Run once the keyed pass's actions are performed (see `KeyMemo::written`).
    pub after: Option<AfterFn>,
    pub watch: Watch,
    /// The pass reads the clock. One that does not stays quiet at later instants too, until a
    /// watched write (settle skips it across wake-ups, not only within one instant).
    pub reads_clock: bool,
}

const fn c(name: &'static str, reconcile: ReconcileFn, watch: Watch) -> Controller {
    Controller { name, reconcile, keyed: None, after: None, watch, reads_clock: true }
}

const fn timeless(name: &'static str, reconcile: ReconcileFn, watch: Watch) -> Controller {
    Controller { name, reconcile, keyed: None, after: None, watch, reads_clock: false }
}

const fn keyed(name: &'static str, reconcile: ReconcileFn, keyed: KeyedFn, watch: Watch) -> Controller {
    Controller { name, reconcile, keyed: Some(keyed), after: None, watch, reads_clock: true }
}

use Kind::*;

/// Run in this order every settle round; settle runs a `keyed` controller with its memo.
pub static CONTROLLERS: &[Controller] = &[
    c("cronjob", cronjob::reconcile, Watch::Kinds(&[CronJob, Job, Event, Namespace])),
    keyed("deployment", deployment::reconcile, deployment::reconcile_with, Watch::All),
    // Event: FailedCreate back-off (workload_util::create_backoff).
    keyed("replicaset", replicaset::reconcile, replicaset::reconcile_with, Watch::Kinds(&[ReplicaSet, Pod, Event, Namespace])),
    c("statefulset", statefulset::reconcile, Watch::All),
    keyed("daemonset", daemonset::reconcile, daemonset::reconcile_with, Watch::Kinds(&[DaemonSet, Node, Pod, Event, Namespace])),
    c("job", job::reconcile, Watch::All),
    c("serviceaccount", serviceaccount::reconcile, Watch::Kinds(&[Namespace, ServiceAccount, ConfigMap, Secret, ClusterRole])),
    keyed("endpoints", endpoints::reconcile, endpoints::reconcile_with, Watch::Kinds(&[Service, Pod, Endpoints, EndpointSlice, Namespace, Node])),
    c("persistentvolume-binder", pv_binder::reconcile, Watch::All),
    c("ingress-nginx", ingress_nginx::reconcile, Watch::Kinds(&[Ingress, IngressClass])),
    c("namespace", namespace::reconcile, Watch::All),
    // Reads no clock and no status: runs again only after a write that changes ownership.
    timeless("garbagecollector", gc::reconcile, Watch::Ownership),
    c("node-lifecycle", node::reconcile, Watch::Kinds(&[Node])),
    c("default-scheduler", scheduler::reconcile, Watch::Kinds(&[Pod, Node, PersistentVolumeClaim, PersistentVolume, StorageClass, Namespace, Event])),
    Controller { after: Some(kubelet::after_writes), ..keyed("kubelet", kubelet::reconcile, kubelet::reconcile_with, Watch::All) },
];

/// What settle remembers between rounds to skip work (never part of the cluster's state). It
/// describes the store it was built on, field for field, so a copy of the cluster copies it: the
/// editor applies every keystroke to a copy, and an empty memo there meant a full pass of every
/// controller and every pod per keystroke. Both copies then stamp their own writes.
#[derive(Clone, Debug, Default)]
pub struct Memo {
    /// Per controller (index in CONTROLLERS): the instant, watch stamp and wake-up of its last
    /// pass that asked for nothing (the instant is not compared for a `timeless` one).
    pub quiet: Vec<Option<(u64, u64, Option<u64>)>>,
    /// Per controller: the memo of a `keyed` one (empty for the others).
    pub keyed: Vec<KeyMemo>,
}

#[cfg(test)]
mod pod_tests;
