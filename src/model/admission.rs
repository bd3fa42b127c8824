//! Admission on create/update: what the API server fills in from cluster state — ClusterIPs and
//! NodePorts, a pod's service account and token volume, Secret `stringData` folding, and so on.
//! Each kind's work lives in its area's module; this file only dispatches.

use super::api::ApiError;
use super::kinds::Kind;
use super::object::Object;
use super::{config, network, rbac, storage, Cluster};

/// Runs on create after validation, before the object is stored. May read and change the cluster.
pub fn admit(c: &mut Cluster, kind: Kind, obj: &mut Object) -> Result<(), ApiError> {
    match kind {
        Kind::Job => {
            super::workloads::admit_job(obj);
            Ok(())
        }
        Kind::Service => network::alloc::admit_service(c, obj),
        Kind::Secret => config::admit::admit_secret(obj, None),
        Kind::ConfigMap => config::admit::admit_configmap(obj, None),
        Kind::Pod => rbac::serviceaccount::admit_pod(c, obj),
        Kind::PersistentVolumeClaim => storage::admit_claim(c, obj),
        Kind::PersistentVolume => storage::admit_volume(obj),
        Kind::Ingress => network::ingress::admit_ingress(c, obj),
        _ => Ok(()),
    }
}

/// On update: keep server-assigned fields the applied manifest does not state (clusterIP, nodePort, ...),
/// and refuse what admission refuses on update (immutable ConfigMaps and Secrets, a changed ClusterIP).
pub fn carry_over(c: &mut Cluster, kind: Kind, old: &Object, new: &mut Object) -> Result<(), ApiError> {
    match kind {
        Kind::Job => {
            super::workloads::carry_over_job(old, new);
            Ok(())
        }
        Kind::Service => network::alloc::update_service(c, old, new),
        Kind::Secret => config::admit::admit_secret(new, Some(old)),
        Kind::ConfigMap => config::admit::admit_configmap(new, Some(old)),
        Kind::PersistentVolumeClaim => {
            storage::carry_over(old, new);
            storage::admit_claim_update(&c.store, old, new)
        }
        Kind::PersistentVolume => {
            storage::carry_over(old, new);
            Ok(())
        }
        Kind::Pod => {
            rbac::serviceaccount::carry_over_pod(old, new);
            Ok(())
        }
        _ => Ok(()),
    }
}
