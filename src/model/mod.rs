//! The simulated Kubernetes cluster: pure Rust, no web dependency. The same code runs in the page
//! and in the native `kubelab` command. Data flows one way: API calls change the store, then
//! controllers settle it, level-triggered, until nothing is left to do.

pub mod admission;
pub mod api;
pub mod bootstrap;
pub mod defaults;
pub mod validation;
pub mod clock;
pub mod config;
pub mod controllers;
pub mod event_spam;
pub mod events;
pub mod kinds;
pub mod links;
pub mod logs;
pub mod nodes;
pub mod network;
pub mod object;
pub mod quantity;
pub mod rbac;
pub mod storage;
pub mod store;
pub mod workloads;

pub use api::{ApiError, Propagation};
pub use clock::{Clock, Rng};
pub use kinds::Kind;
pub use object::{Key, ObjExt, Object};
pub use store::Store;

use std::collections::BTreeSet;

/// Hard bounds that keep a learner's tab responsive whatever they type.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most replicas one workload may ask for (`replicas: 1000000000` is refused with a message).
    pub max_replicas: i64,
    /// Most objects the store may hold.
    pub max_objects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_replicas: 10_000, max_objects: 60_000 }
    }
}

/// One change a controller asks for. Applied through the API server, like a real controller's
/// client calls, so defaulting, name generation and events behave the same for everyone.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Create an object (may use `metadata.generateName`).
    Create(Object),
    /// Replace an object's metadata/spec (status is kept from the stored copy unless given).
    Update(Object),
    /// Replace only `status` of the object at `Key`.
    UpdateStatus(Key, crate::value::Value),
    /// Delete an object with the given propagation.
    Delete(Key, Propagation),
    /// Remove an object from the store at once (finalizers done, grace period over).
    Remove(Key),
    /// Record an event about an object.
    Event(events::EventSpec),
    /// Create an object, then record the first event if it was stored, or the second with the
    /// API server's refusal appended to its message (a controller's `FailedCreate`).
    CreateReporting(Object, events::EventSpec, events::EventSpec),
    /// Bind a pod to a node (the `pods/binding` subresource the scheduler calls).
    Bind(Key, String),
}

/// What one reconcile pass returns: the actions, and when it wants to run again (simulated ms),
/// for time-driven work such as a container becoming Ready or a CronJob's next schedule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reconciled {
    pub actions: Vec<Action>,
    pub requeue_at: Option<u64>,
}

impl Reconciled {
    pub fn push(&mut self, a: Action) {
        self.actions.push(a);
    }
    pub fn requeue(&mut self, at_ms: u64) {
        self.requeue_at = Some(self.requeue_at.map_or(at_ms, |t| t.min(at_ms)));
    }
    pub fn merge(&mut self, other: Reconciled) {
        self.actions.extend(other.actions);
        if let Some(t) = other.requeue_at {
            self.requeue(t);
        }
    }
}

/// The whole simulated cluster.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub store: Store,
    pub clock: Clock,
    pub rng: Rng,
    pub limits: Limits,
    /// Simulated times (ms) at which some controller asked to run again.
    wakeups: BTreeSet<u64>,
    /// kubectl's current context namespace (`kubectl config set-context --current --namespace`).
    pub context_namespace: String,
    /// Controllers left out of `settle` (unit tests of one controller stand in for the others).
    pub disabled: Vec<&'static str>,
    /// Which controller passes settle may skip (see `controllers::Watch`).
    memo: controllers::Memo,
    /// Run skipped passes anyway and panic if one asks for something: on in native debug builds,
    /// which is every `cargo test`, so the skipping is checked by the whole suite.
    pub verify_skips: bool,
    /// The event recorders' spam filter, which like theirs lives in memory, not in the store.
    pub event_spam: event_spam::SpamFilter,
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new()
    }
}

impl Cluster {
    /// A fresh kubeadm-style cluster: one control-plane node, two workers, the system namespaces.
    pub fn new() -> Cluster {
        Cluster::with_seed(1)
    }

    pub fn with_seed(seed: u64) -> Cluster {
        let mut c = Cluster::empty(seed);
        bootstrap::bootstrap(&mut c);
        c.settle();
        c
    }

    /// No objects at all (for tests of single controllers).
    pub fn empty(seed: u64) -> Cluster {
        Cluster {
            store: Store::default(),
            clock: Clock::default(),
            rng: Rng::new(seed),
            limits: Limits::default(),
            wakeups: BTreeSet::new(),
            context_namespace: "default".into(),
            disabled: Vec::new(),
            memo: controllers::Memo::default(),
            verify_skips: cfg!(debug_assertions) && !cfg!(target_arch = "wasm32"),
            event_spam: event_spam::SpamFilter::default(),
        }
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms
    }

    /// Runs every controller until none has anything left to do (bounded, so a controller bug
    /// cannot hang the page).
    pub fn settle(&mut self) {
        let n = controllers::CONTROLLERS.len();
        self.memo.quiet.resize(n, None);
        self.memo.keyed.resize(n, controllers::KeyMemo::default());
        for _round in 0..64 {
            let mut changed = false;
            for (i, ctl) in controllers::CONTROLLERS.iter().enumerate() {
                if self.disabled.contains(&ctl.name) {
                    continue;
                }
                let now = self.clock.now_ms;
                let stamp = ctl.watch.stamp(&self.store);
                let memo = self.memo.quiet[i].filter(|&(at, st, _)| (at == now || !ctl.reads_clock) && st == stamp);
                let quiet = memo.is_some();
                if let (Some((_, _, Some(t))), false) = (memo, self.verify_skips) {
                    self.wakeups.insert(t.div_ceil(1000) * 1000);
                }
                if quiet && !self.verify_skips {
                    continue;
                }
                let out = match ctl.keyed {
                    Some(pass) => pass(&self.store, &self.clock, &mut self.memo.keyed[i], self.verify_skips),
                    None => (ctl.reconcile)(&self.store, &self.clock),
                };
                if quiet {
                    assert!(out.actions.is_empty(), "settle skipped {} but its pass asks for {:?}: its Watch misses a kind it reads", ctl.name, out.actions);
                    assert_eq!(memo.map(|m| m.2), Some(out.requeue_at), "settle skipped {} but its pass asks for another wake-up", ctl.name);
                    continue;
                }
                if let Some(t) = out.requeue_at {
                    if t > self.clock.now_ms {
                        // Wake-ups are grouped on whole simulated seconds (timestamps have
                        // second resolution anyway): 100 pods pulling images then cost a few
                        // settles, not one each — advancing 30 s with 100 pods went 1.45 s → see BENCHMARKS.md.
                        self.wakeups.insert(t.div_ceil(1000) * 1000);
                    }
                }
                if out.actions.is_empty() {
                    self.memo.quiet[i] = Some((now, stamp, out.requeue_at));
                } else {
                    self.memo.quiet[i] = None;
                    changed = true;
                    for a in out.actions {
                        self.perform(a);
                    }
                    if let Some(after) = ctl.after {
                        after(&self.store, &mut self.memo.keyed[i]);
                    }
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// Applies one controller action. Errors are dropped (a real controller would retry; the
    /// next settle round sees the same state and decides again).
    pub fn perform(&mut self, a: Action) {
        match a {
            Action::Create(o) => {
                let _ = api::create_key(self, o, api::Caller::Controller);
            }
            Action::Update(o) => {
                let _ = api::update(self, o, api::Caller::Controller);
            }
            Action::UpdateStatus(k, s) => {
                api::update_status(self, &k, s);
            }
            Action::Delete(k, p) => {
                let _ = api::delete(self, &k, p, None);
            }
            Action::Remove(k) => {
                self.store.remove(&k);
            }
            Action::Event(e) => events::record(self, e),
            Action::CreateReporting(o, ok, mut failed) => match api::create_key(self, o, api::Caller::Controller) {
                Ok(_) => events::record(self, ok),
                Err(err) => {
                    failed.message.push_str(&err.message);
                    events::record(self, failed);
                }
            },
            Action::Bind(k, node) => {
                let _ = api::bind(self, &k, &node);
            }
        }
    }

    /// Moves simulated time forward by `ms`, stopping at every requested wake-up on the way so
    /// that timed transitions happen in order, then settles.
    pub fn advance(&mut self, ms: u64) {
        let target = self.clock.now_ms.saturating_add(ms);
        // Bounded: at most this many wake-ups per call, then jump.
        for _ in 0..100_000 {
            if self.clock.now_ms >= target {
                break;
            }
            let next = self.wakeups.range(self.clock.now_ms + 1..=target).next().copied();
            match next {
                Some(t) => {
                    self.wakeups.retain(|&w| w > t);
                    self.clock.now_ms = t;
                    self.settle();
                }
                None => break,
            }
        }
        self.wakeups.retain(|&w| w > target);
        self.clock.now_ms = target;
        self.settle();
    }

    /// The next simulated time anything is scheduled to happen, if any.
    pub fn next_wakeup(&self) -> Option<u64> {
        self.wakeups.iter().next().copied()
    }
}
