//! The cluster a learner starts with, as `kubeadm init` plus two joined workers leave it.

use super::api::{create, Caller};
use super::Cluster;
use serde_json::json;

pub fn bootstrap(c: &mut Cluster) {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        let _ = create(c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":ns}}), Caller::Controller);
    }
    for n in ["control-plane", "worker-1", "worker-2"] {
        let _ = create(c, json!({"apiVersion":"v1","kind":"Node","metadata":{"name":n}}), Caller::Controller);
    }
    super::network::bootstrap_addons(c);
}
