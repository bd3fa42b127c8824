//! API defaulting (`pkg/apis/*/v1/defaults.go`) and admission (service accounts, ClusterIPs):
//! what the real API server fills in before an object is stored.

use super::api::ApiError;
use super::kinds::Kind;
use super::object::{Object};
use super::Cluster;

/// Static defaulting: depends only on the object itself.
pub fn apply(kind: Kind, obj: &mut Object) {
    let _ = (kind, obj);
}

/// Admission on create: may read the cluster (allocate IPs, ports, attach service account tokens).
pub fn admit(c: &mut Cluster, kind: Kind, obj: &mut Object) -> Result<(), ApiError> {
    let _ = (c, kind, obj);
    Ok(())
}

/// On update: keep server-assigned fields the applied manifest does not state (clusterIP, nodePort, ...).
pub fn carry_over(kind: Kind, old: &Object, new: &mut Object) {
    let _ = (kind, old, new);
}
