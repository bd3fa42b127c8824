//! The persistent volume controller (pkg/controller/volume/persistentvolume/pv_controller.go), the
//! external provisioner a local cluster runs, and the pvc/pv-protection controllers: binds claims
//! to the smallest fitting PV, provisions `pvc-<uid>` volumes for known provisioners, waits for the
//! first consumer, reclaims released volumes (Retain → Released, Delete → removed), and lets
//! protected claims and volumes go once nothing uses them.

use crate::model::clock::Clock;
use crate::model::events::EventSpec;
use crate::model::object::{set_path, Key, ObjExt, Object};
use crate::model::storage::{self, best_volume, claim_class, pod_claims, KNOWN_PROVISIONERS, PROVISIONER_ANNOTATION, SELECTED_NODE};
use crate::model::store::Store;
use crate::model::{Action, Kind, Propagation, Reconciled};
use crate::value::{json, Value};

const SOURCE: &str = "persistentvolume-controller";

fn set_annotation(o: &mut Object, k: &str, v: &str) {
    if !o.path("metadata.annotations").is_some_and(|a| a.is_object()) {
        set_path(o, "metadata.annotations", json!({}));
    }
    if let Some(Value::Object(m)) = crate::model::object::path_mut(o, "metadata.annotations") {
        m.insert(k.into(), json!(v));
    }
}

/// Whether an event with this reason was already recorded for the object (the simulator emits
/// each waiting event once instead of on every resync).
fn has_event(store: &Store, obj: &Object, reason: &str) -> bool {
    store.list_ns(Kind::Event, obj.namespace()).any(|e| e.str_at("involvedObject.uid") == Some(obj.uid()) && e.str_at("reason") == Some(reason))
}

fn event_once(out: &mut Reconciled, store: &Store, obj: &Object, warning: bool, source: &str, reason: &'static str, msg: String) {
    if has_event(store, obj, reason) {
        return;
    }
    let Some(key) = obj.key() else { return };
    let source = source.to_string();
    let e = if warning { EventSpec::warning(key, source, reason, msg) } else { EventSpec::normal(key, source, reason, msg) };
    out.push(Action::Event(e));
}

fn claim_ref(claim: &Object) -> Value {
    json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "name": claim.name(), "namespace": claim.namespace(), "uid": claim.uid(),
        "resourceVersion": claim.str_at("metadata.resourceVersion").unwrap_or(""),
    })
}

fn claim_in_use(store: &Store, claim: &Object) -> bool {
    store
        .list_ns(Kind::Pod, claim.namespace())
        .filter(|p| !matches!(p.str_at("status.phase"), Some("Succeeded") | Some("Failed")))
        .any(|p| pod_claims(p).iter().any(|c| c == claim.name()))
}

fn bind(out: &mut Reconciled, pv: &Object, claim: &Object) {
    let mut v = pv.clone();
    if pv.path("spec.claimRef").is_none() {
        set_annotation(&mut v, "pv.kubernetes.io/bound-by-controller", "yes");
    }
    set_path(&mut v, "spec.claimRef", claim_ref(claim));
    let _ = crate::model::object::remove_path(&mut v, "status");
    out.push(Action::Update(v));
    if let Some(k) = pv.key() {
        out.push(Action::UpdateStatus(k, json!({"phase": "Bound"})));
    }
    let mut c = claim.clone();
    if claim.str_at("spec.volumeName").is_none_or(|s| s.is_empty()) {
        set_annotation(&mut c, "pv.kubernetes.io/bound-by-controller", "yes");
    }
    set_annotation(&mut c, "pv.kubernetes.io/bind-completed", "yes");
    set_path(&mut c, "spec.volumeName", json!(pv.name()));
    out.push(Action::Update(c));
    if let Some(k) = claim.key() {
        out.push(Action::UpdateStatus(
            k,
            json!({"phase": "Bound", "accessModes": pv.path("spec.accessModes").cloned().unwrap_or(json!([])), "capacity": pv.path("spec.capacity").cloned().unwrap_or(json!({}))}),
        ));
    }
}

/// The volume a known provisioner creates for a claim.
fn provisioned_volume(claim: &Object, class: &Object) -> Value {
    let name = format!("pvc-{}", claim.uid());
    let provisioner = class.str_at("provisioner").unwrap_or("");
    let node = claim.annotation(SELECTED_NODE).map(str::to_string);
    let mut pv = json!({
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": name, "annotations": {"pv.kubernetes.io/provisioned-by": provisioner}},
        "spec": {
            "accessModes": claim.path("spec.accessModes").cloned().unwrap_or(json!(["ReadWriteOnce"])),
            "capacity": {"storage": claim.str_at("spec.resources.requests.storage").unwrap_or("1Gi")},
            "claimRef": claim_ref(claim),
            "hostPath": {"path": format!("/var/local-path-provisioner/{name}_{}_{}", claim.namespace(), claim.name()), "type": "DirectoryOrCreate"},
            "persistentVolumeReclaimPolicy": class.str_at("reclaimPolicy").unwrap_or("Delete"),
            "storageClassName": class.name(),
            "volumeMode": claim.str_at("spec.volumeMode").unwrap_or("Filesystem"),
        },
    });
    if let Some(n) = node {
        set_annotation(&mut pv, "local.path.provisioner/selected-node", &n);
        pv["spec"]["nodeAffinity"] = json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [n]}]}]}});
    }
    pv
}

fn sync_unbound_claim(out: &mut Reconciled, store: &Store, claim: &Object) {
    let class_name = claim_class(claim);
    let class = (!class_name.is_empty()).then(|| store.get_by(Kind::StorageClass, "", &class_name)).flatten();
    let delay = class.is_some_and(|c| c.str_at("volumeBindingMode") == Some("WaitForFirstConsumer")) && claim.annotation(SELECTED_NODE).is_none();
    let found = best_volume(store, claim).filter(|pv| !delay || pv.path("spec.claimRef").is_some());
    if let Some(pv) = found {
        bind(out, pv, claim);
        return;
    }
    if delay {
        event_once(out, store, claim, false, SOURCE, "WaitForFirstConsumer", "waiting for first consumer to be created before binding".into());
        return;
    }
    if class_name.is_empty() {
        event_once(out, store, claim, false, SOURCE, "FailedBinding", "no persistent volumes available for this claim and no storage class is set".into());
        return;
    }
    let Some(class) = class else {
        event_once(out, store, claim, true, SOURCE, "ProvisioningFailed", format!("storageclass.storage.k8s.io \"{class_name}\" not found"));
        return;
    };
    let provisioner = class.str_at("provisioner").unwrap_or("").to_string();
    if claim.annotation(PROVISIONER_ANNOTATION).is_none() {
        let mut c = claim.clone();
        set_annotation(&mut c, PROVISIONER_ANNOTATION, &provisioner);
        set_annotation(&mut c, "volume.beta.kubernetes.io/storage-provisioner", &provisioner);
        out.push(Action::Update(c));
    }
    event_once(
        out,
        store,
        claim,
        false,
        SOURCE,
        "ExternalProvisioning",
        format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."),
    );
    if !KNOWN_PROVISIONERS.contains(&provisioner.as_str()) {
        return;
    }
    let pv_name = format!("pvc-{}", claim.uid());
    if store.get_by(Kind::PersistentVolume, "", &pv_name).is_some() {
        return;
    }
    // External provisioners report as `<provisioner>_<their pod>_<uuid>`, e.g. local-path's.
    let source = match provisioner.as_str() {
        "rancher.io/local-path" => "rancher.io/local-path_local-path-provisioner-7577fdbbfb-4pzpl_6e8a1f0c-2b4d-4d5e-9c3a-1f7b2e9d8c4a".to_string(),
        p => format!("{p}_{}-provisioner-0_0b1c2d3e-4f50-4617-8a9b-acbdcedf1011", p.rsplit('/').next().unwrap_or("csi")),
    };
    event_once(out, store, claim, false, &source, "Provisioning", format!("External provisioner is provisioning volume for claim \"{}/{}\"", claim.namespace(), claim.name()));
    out.push(Action::Create(provisioned_volume(claim, class)));
    event_once(out, store, claim, false, &source, "ProvisioningSucceeded", format!("Successfully provisioned volume {pv_name}"));
}

/// The external resizer: a bound claim asking for more than its capacity grows its volume
/// (admission already checked that the class allows expansion).
fn resize(out: &mut Reconciled, store: &Store, claim: &Object) {
    let want = claim.str_at("spec.resources.requests.storage").unwrap_or("");
    let have = claim.str_at("status.capacity.storage").unwrap_or("");
    let (Some(w), Some(h)) = (storage::quantity(want), storage::quantity(have)) else { return };
    if w <= h {
        return;
    }
    let Some(pv) = claim.str_at("spec.volumeName").and_then(|v| store.get_by(Kind::PersistentVolume, "", v)) else { return };
    let resizer = pv.annotation("pv.kubernetes.io/provisioned-by").unwrap_or("external-resizer").to_string();
    event_once(out, store, claim, false, SOURCE, "ExternalExpanding", "waiting for an external controller to expand this PVC".into());
    event_once(out, store, claim, false, &format!("external-resizer {resizer}"), "Resizing", format!("External resizer is resizing volume {}", pv.name()));
    let mut v = pv.clone();
    set_path(&mut v, "spec.capacity.storage", json!(want));
    let _ = crate::model::object::remove_path(&mut v, "status");
    out.push(Action::Update(v));
    if let Some(k) = claim.key() {
        let mut st = claim.path("status").cloned().unwrap_or(json!({}));
        set_path(&mut st, "capacity.storage", json!(want));
        out.push(Action::UpdateStatus(k, st));
    }
    event_once(out, store, claim, false, "kubelet", "FileSystemResizeSuccessful", format!("MountVolume.NodeExpandVolume succeeded for volume \"{}\"", pv.name()));
}

fn sync_volume(out: &mut Reconciled, store: &Store, pv: &Object) {
    let key = match pv.key() {
        Some(k) => k,
        None => return,
    };
    let phase = pv.str_at("status.phase").unwrap_or("");
    if pv.is_deleting() {
        let bound = phase == "Bound" && pv.str_at("spec.claimRef.name").is_some_and(|n| store.get_by(Kind::PersistentVolumeClaim, pv.str_at("spec.claimRef.namespace").unwrap_or(""), n).is_some());
        if !bound {
            out.push(Action::Remove(key));
        }
        return;
    }
    let Some(cr) = pv.path("spec.claimRef") else {
        if phase != "Available" {
            out.push(Action::UpdateStatus(key, json!({"phase": "Available"})));
        }
        return;
    };
    let claim = store.get_by(Kind::PersistentVolumeClaim, cr.str_at("namespace").unwrap_or(""), cr.str_at("name").unwrap_or(""));
    let uid = cr.str_at("uid").unwrap_or("");
    match claim {
        Some(c) if uid.is_empty() || uid == c.uid() => {
            if c.str_at("spec.volumeName") == Some(pv.name()) && phase != "Bound" {
                out.push(Action::UpdateStatus(key, json!({"phase": "Bound"})));
            } else if phase.is_empty() || phase == "Pending" {
                out.push(Action::UpdateStatus(key, json!({"phase": "Available"})));
            }
        }
        _ if uid.is_empty() => {
            // Pre-bound to a claim that does not exist yet: the volume waits for it.
            if phase != "Available" {
                out.push(Action::UpdateStatus(key, json!({"phase": "Available"})));
            }
        }
        _ => reclaim(out, store, pv, key, phase),
    }
}

fn reclaim(out: &mut Reconciled, store: &Store, pv: &Object, key: Key, phase: &str) {
    match pv.str_at("spec.persistentVolumeReclaimPolicy").unwrap_or("Retain") {
        "Delete" if pv.annotation("pv.kubernetes.io/provisioned-by").is_some_and(|p| KNOWN_PROVISIONERS.contains(&p)) => {
            out.push(Action::Delete(key, Propagation::Background));
        }
        "Delete" => {
            if phase != "Failed" {
                let msg = format!("error getting deleter volume plugin for volume \"{}\": no deletable volume plugin matched", pv.name());
                event_once(out, store, pv, true, SOURCE, "VolumeFailedDelete", msg.clone());
                out.push(Action::UpdateStatus(key, json!({"phase": "Failed", "message": msg})));
            }
        }
        _ => {
            if phase != "Released" && phase != "Failed" {
                out.push(Action::UpdateStatus(key, json!({"phase": "Released"})));
            }
        }
    }
}

pub fn reconcile(store: &Store, _clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    for claim in store.list(Kind::PersistentVolumeClaim) {
        if claim.is_deleting() {
            // pvc-protection: the finalizer goes once no pod uses the claim.
            if !claim_in_use(store, claim) {
                if let Some(k) = claim.key() {
                    out.push(Action::Remove(k));
                }
            }
            continue;
        }
        let phase = claim.str_at("status.phase").unwrap_or("Pending");
        let vn = claim.str_at("spec.volumeName").unwrap_or("");
        if phase == "Bound" {
            resize(&mut out, store, claim);
        }
        if phase == "Bound" || phase == "Lost" {
            if phase == "Bound" && !vn.is_empty() && store.get_by(Kind::PersistentVolume, "", vn).is_none() {
                if let Some(k) = claim.key() {
                    out.push(Action::UpdateStatus(k, json!({"phase": "Lost"})));
                }
                event_once(&mut out, store, claim, true, SOURCE, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!".into());
            }
            continue;
        }
        sync_unbound_claim(&mut out, store, claim);
    }
    for pv in store.list(Kind::PersistentVolume) {
        sync_volume(&mut out, store, pv);
    }
    out
}
