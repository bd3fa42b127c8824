//! Storage: StorageClasses, PersistentVolumes and claims — binding, dynamic provisioning, reclaim —
//! and what an unbound claim does to the pods that use it. The binder itself is the controller in
//! `controllers/pv_binder.rs`; this module holds admission and the matching rules.

use super::api::ApiError;
use super::kinds::Kind;
use super::object::{default_path, set_path, ObjExt, Object};
use super::store::Store;
use super::Cluster;
use crate::value::{json, Value};

/// A storage quantity (`10Gi`, `500M`) in bytes, read as `resource.ParseQuantity` reads it.
pub fn quantity(s: &str) -> Option<f64> {
    crate::manifest::goparse::parse_quantity(s).ok()
}

pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
pub const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
pub const PROVISIONER_ANNOTATION: &str = "volume.kubernetes.io/storage-provisioner";

/// Provisioners the simulated cluster runs (kind's local-path, minikube's hostpath, the CSI hostpath
/// driver). Claims of classes naming any other provisioner wait, as they would with no provisioner pod.
pub const KNOWN_PROVISIONERS: &[&str] = &["rancher.io/local-path", "k8s.io/minikube-hostpath", "hostpath.csi.k8s.io"];

/// The class a kind cluster ships (kind's `standard`), the default for claims that name none.
pub fn standard_class() -> Value {
    json!({
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "standard", "annotations": {DEFAULT_CLASS_ANNOTATION: "true"}},
        "provisioner": "rancher.io/local-path",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    })
}

/// The class of a claim: `spec.storageClassName`, or the beta annotation; "" means no class.
pub fn claim_class(claim: &Object) -> String {
    claim
        .str_at("spec.storageClassName")
        .or_else(|| claim.annotation("volume.beta.kubernetes.io/storage-class"))
        .unwrap_or("")
        .to_string()
}

pub fn volume_class(pv: &Object) -> String {
    pv.str_at("spec.storageClassName").or_else(|| pv.annotation("volume.beta.kubernetes.io/storage-class")).unwrap_or("").to_string()
}

/// The default StorageClass (newest wins when several are marked, as since v1.26).
pub fn default_class(store: &Store) -> Option<&Object> {
    store
        .list(Kind::StorageClass)
        .filter(|sc| sc.annotation(DEFAULT_CLASS_ANNOTATION) == Some("true") || sc.annotation("storageclass.beta.kubernetes.io/is-default-class") == Some("true"))
        .max_by(|a, b| a.str_at("metadata.creationTimestamp").cmp(&b.str_at("metadata.creationTimestamp")).then(b.name().cmp(a.name())))
}

fn add_finalizer(obj: &mut Object, f: &str) {
    let mut fs = obj.arr_at("metadata.finalizers").to_vec();
    if !fs.iter().any(|x| x.as_str() == Some(f)) {
        fs.push(json!(f));
        set_path(obj, "metadata.finalizers", Value::Array(fs));
    }
}

/// PVC create: DefaultStorageClass and StorageObjectInUseProtection admission plugins.
pub fn admit_claim(c: &mut Cluster, claim: &mut Object) -> Result<(), ApiError> {
    if claim.path("spec.storageClassName").is_none_or(|v| v.is_null()) && claim.annotation("volume.beta.kubernetes.io/storage-class").is_none() {
        if let Some(dc) = default_class(&c.store) {
            let name = dc.name().to_string();
            set_path(claim, "spec.storageClassName", json!(name));
        }
    }
    default_path(claim, "spec.volumeMode", || json!("Filesystem"));
    add_finalizer(claim, PVC_PROTECTION);
    set_path(claim, "status", json!({"phase": "Pending"}));
    Ok(())
}

/// PV create: default reclaim policy and volume mode, pv-protection finalizer.
pub fn admit_volume(pv: &mut Object) -> Result<(), ApiError> {
    default_path(pv, "spec.persistentVolumeReclaimPolicy", || json!("Retain"));
    default_path(pv, "spec.volumeMode", || json!("Filesystem"));
    add_finalizer(pv, PV_PROTECTION);
    if pv.path("status.phase").is_none() {
        set_path(pv, "status", json!({"phase": "Pending"}));
    }
    Ok(())
}

/// PVC update: a bigger request is a resize, which the PersistentVolumeClaimResize admission plugin
/// allows only for bound claims of a class with `allowVolumeExpansion: true`; a smaller one is refused
/// by validation (ValidatePersistentVolumeClaimUpdate).
pub fn admit_claim_update(store: &Store, old: &Object, new: &Object) -> Result<(), ApiError> {
    let size = |o: &Object, p: &str| o.str_at(p).and_then(quantity);
    let (Some(want), Some(was)) = (size(new, "spec.resources.requests.storage"), size(old, "spec.resources.requests.storage")) else { return Ok(()) };
    if want < was {
        let have = size(old, "status.capacity.storage").unwrap_or(was);
        if want < have {
            return Err(ApiError::invalid(
                "PersistentVolumeClaim",
                new.name(),
                vec![super::api::FieldError::new("spec.resources.requests.storage", super::api::FieldErrorKind::Forbidden, "field can not be less than status.capacity")],
            ));
        }
        return Ok(());
    }
    if want == was {
        return Ok(());
    }
    let class = claim_class(old);
    let expandable = old.str_at("status.phase") == Some("Bound")
        && store.get_by(Kind::StorageClass, "", &class).is_some_and(|sc| sc.bool_at("allowVolumeExpansion") == Some(true));
    if !expandable {
        return Err(ApiError::new(
            super::api::Reason::Forbidden,
            format!("persistentvolumeclaims \"{}\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize", new.name()),
        ));
    }
    Ok(())
}

/// Update: the binder's fields (volumeName, claimRef, bind annotations, finalizers) survive an
/// apply that does not restate them, as a three-way merge keeps them.
pub fn carry_over(old: &Object, new: &mut Object) {
    for f in ["spec.volumeName", "spec.claimRef", "spec.storageClassName", "spec.volumeMode", "spec.persistentVolumeReclaimPolicy"] {
        if new.path(f).is_none() {
            if let Some(v) = old.path(f).cloned() {
                set_path(new, f, v);
            }
        }
    }
    if let Some(Value::Object(anns)) = old.path("metadata.annotations") {
        for (k, v) in anns {
            let server_set = k.starts_with("pv.kubernetes.io/") || k.starts_with("volume.kubernetes.io/") || k.starts_with("volume.beta.kubernetes.io/storage-provisioner");
            if server_set && new.annotation(k).is_none() {
                if !new.path("metadata.annotations").is_some_and(|a| a.is_object()) {
                    set_path(new, "metadata.annotations", json!({}));
                }
                if let Some(Value::Object(m)) = super::object::path_mut(new, "metadata.annotations") {
                    m.insert(k.clone(), v.clone());
                }
            }
        }
    }
    for f in [PVC_PROTECTION, PV_PROTECTION] {
        if old.arr_at("metadata.finalizers").iter().any(|x| x.as_str() == Some(f)) {
            add_finalizer(new, f);
        }
    }
}

/// Claim names a pod's volumes use.
pub fn pod_claims(pod: &Object) -> Vec<String> {
    pod.arr_at("spec.volumes").iter().filter_map(|v| v.str_at("persistentVolumeClaim.claimName")).map(str::to_string).collect()
}

/// Names of the claims a pod uses that are missing or not yet Bound (the scheduler waits on them).
pub fn unbound_claims(store: &Store, pod: &Object) -> Vec<String> {
    pod_claims(pod)
        .into_iter()
        .filter(|n| store.get_by(Kind::PersistentVolumeClaim, pod.namespace(), n).is_none_or(|c| c.str_at("status.phase") != Some("Bound")))
        .collect()
}

/// Whether an unbound claim waits for the scheduler (its class binds WaitForFirstConsumer and no
/// node is selected yet). The scheduler annotates such claims with `volume.kubernetes.io/selected-node`.
pub fn waits_for_first_consumer(store: &Store, claim: &Object) -> bool {
    if claim.str_at("status.phase") == Some("Bound") || claim.annotation(SELECTED_NODE).is_some() {
        return false;
    }
    let class = claim_class(claim);
    !class.is_empty()
        && store.get_by(Kind::StorageClass, "", &class).is_some_and(|sc| sc.str_at("volumeBindingMode") == Some("WaitForFirstConsumer"))
}

/// Whether a PV satisfies a claim: class, access modes, capacity, selector, volume mode, and a
/// claimRef/volumeName that does not point elsewhere (pkg/controller/volume/persistentvolume/index.go).
pub fn volume_fits(pv: &Object, claim: &Object) -> bool {
    if let Some(cr) = pv.path("spec.claimRef") {
        let same = cr.str_at("name") == Some(claim.name()) && cr.str_at("namespace") == Some(claim.namespace());
        if !same || cr.str_at("uid").is_some_and(|u| !u.is_empty() && u != claim.uid()) {
            return false;
        }
    } else if pv.str_at("status.phase").is_some_and(|p| p != "Available" && p != "Pending") {
        return false;
    }
    if pv.is_deleting() || volume_class(pv) != claim_class(claim) {
        return false;
    }
    if pv.str_at("spec.volumeMode").unwrap_or("Filesystem") != claim.str_at("spec.volumeMode").unwrap_or("Filesystem") {
        return false;
    }
    let pv_modes: Vec<&str> = pv.arr_at("spec.accessModes").iter().filter_map(|m| m.as_str()).collect();
    if !claim.arr_at("spec.accessModes").iter().filter_map(|m| m.as_str()).all(|m| pv_modes.contains(&m)) {
        return false;
    }
    let want = claim.str_at("spec.resources.requests.storage").and_then(quantity).unwrap_or(0.0);
    let have = pv.str_at("spec.capacity.storage").and_then(quantity).unwrap_or(0.0);
    if have < want {
        return false;
    }
    if let Some(sel) = claim.path("spec.selector") {
        if !super::network::selector::matches_label_selector(sel, &pv.labels()) {
            return false;
        }
    }
    true
}

/// The smallest fitting PV for a claim (a PV pre-bound to it wins; `spec.volumeName` restricts).
pub fn best_volume<'a>(store: &'a Store, claim: &Object) -> Option<&'a Object> {
    if let Some(vn) = claim.str_at("spec.volumeName").filter(|s| !s.is_empty()) {
        return store.get_by(Kind::PersistentVolume, "", vn).filter(|pv| volume_fits(pv, claim));
    }
    let fits: Vec<&Object> = store.list(Kind::PersistentVolume).filter(|pv| volume_fits(pv, claim)).collect();
    if let Some(pre) = fits.iter().find(|pv| pv.path("spec.claimRef").is_some()) {
        return Some(pre);
    }
    let size = |pv: &Object| pv.str_at("spec.capacity.storage").and_then(quantity).unwrap_or(0.0);
    fits.into_iter().min_by(|a, b| size(a).partial_cmp(&size(b)).unwrap_or(std::cmp::Ordering::Equal))
}

#[cfg(test)]
mod tests;
