//! Networking: Service address allocation, label selection, Ingress routing, and the add-ons a
//! local (kind-style) cluster ships with: the `standard` StorageClass and an ingress-nginx class.

pub mod alloc;
pub mod ingress;
pub mod selector;

use super::api::{create, Caller};
use super::Cluster;

/// Cluster add-ons of this area, created once by the bootstrap: default RBAC policy (the API
/// server's bootstrap-roles hook), kind's `standard` StorageClass, and the `nginx` IngressClass
/// that installing ingress-nginx creates.
pub fn bootstrap_addons(c: &mut Cluster) {
    for o in super::rbac::defaults::bootstrap_policy() {
        let _ = create(c, o, Caller::Controller);
    }
    let _ = create(c, super::storage::standard_class(), Caller::Controller);
    let _ = create(c, ingress::nginx_class(), Caller::Controller);
}

#[cfg(test)]
mod tests;
