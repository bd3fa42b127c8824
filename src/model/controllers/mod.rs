//! The control loops of kube-controller-manager, the scheduler and the kubelet. Each is a pure,
//! level-triggered function of (store, clock) returning actions and a requeue time.

pub mod endpoints;
pub mod ingress_nginx;
pub mod pv_binder;
pub mod serviceaccount;

use super::clock::Clock;
use super::store::Store;
use super::Reconciled;

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

/// Run in this order every settle round.
pub static CONTROLLERS: &[(&str, ReconcileFn)] = &[
    ("cronjob", cronjob::reconcile),
    ("deployment", deployment::reconcile),
    ("replicaset", replicaset::reconcile),
    ("statefulset", statefulset::reconcile),
    ("daemonset", daemonset::reconcile),
    ("job", job::reconcile),
    ("serviceaccount", serviceaccount::reconcile),
    ("endpoints", endpoints::reconcile),
    ("persistentvolume-binder", pv_binder::reconcile),
    ("ingress-nginx", ingress_nginx::reconcile),
    ("namespace", namespace::reconcile),
    ("garbagecollector", gc::reconcile),
    ("node-lifecycle", node::reconcile),
    ("default-scheduler", scheduler::reconcile),
    ("kubelet", kubelet::reconcile),
];

#[cfg(test)]
mod pod_tests;
