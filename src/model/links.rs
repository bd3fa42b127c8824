//! The edges the diagrams draw, computed by the model with the reason kept: ownership, Service →
//! Pod (selector), Ingress → Service (rule), Pod → ConfigMap/Secret/PVC, PVC → PV → StorageClass,
//! subject → binding → role. Broken references are edges too, marked with why.

use super::kinds::Kind;
use super::object::{Key, ObjExt};
use super::store::Store;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkKind {
    /// ownerReferences (Deployment → ReplicaSet → Pod, Job → Pod, ...).
    Owns,
    /// Service → Pod by selector.
    Selects,
    /// Ingress → Service by a rule or the default backend.
    Routes,
    /// Pod → ConfigMap / Secret / PVC / ServiceAccount.
    Uses,
    /// PVC → PV.
    BoundTo,
    /// PV or PVC → StorageClass.
    Class,
    /// Binding → subject (User/Group/ServiceAccount).
    Subject,
    /// Binding → Role/ClusterRole.
    Grants,
    /// Pod → Node.
    ScheduledOn,
}

/// One edge. `to` is None when the target does not exist; `target` then names it.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub from: Key,
    pub to: Option<Key>,
    /// Human-readable target, e.g. `configmap/app-config` or `User jane`.
    pub target: String,
    pub kind: LinkKind,
    /// Why this edge exists, e.g. `selector app=web matches labels app=web,tier=fe`, or why it is broken.
    pub reason: String,
    pub broken: bool,
}

/// Every link in the cluster, in a stable order.
pub fn links(store: &Store) -> Vec<Link> {
    let mut out = Vec::new();
    generic_links(store, &mut out);
    out
}

/// The two generic edges every object may have: ownerReferences (`Owns`, from owner to dependent)
/// and a pod's `spec.nodeName` (`ScheduledOn`). An ownerReference whose UID is not in the store
/// is a broken edge (the garbage collector would delete the dependent).
pub fn generic_links(store: &Store, out: &mut Vec<Link>) {
    for obj in store.all() {
        let Some(key) = obj.key() else { continue };
        for r in obj.arr_at("metadata.ownerReferences") {
            let kind = r.str_at("kind").unwrap_or("");
            let name = r.str_at("name").unwrap_or("");
            let uid = r.str_at("uid").unwrap_or("");
            let target = format!("{}/{}", kind.to_ascii_lowercase(), name);
            let controller = if r.bool_at("controller") == Some(true) { " controller=true" } else { "" };
            match store.key_of_uid(uid) {
                Some(owner) => out.push(Link {
                    from: owner.clone(),
                    to: Some(key.clone()),
                    target: key.display(),
                    kind: LinkKind::Owns,
                    reason: format!("ownerReference {target}{controller}"),
                    broken: false,
                }),
                None => out.push(Link {
                    from: key.clone(),
                    to: None,
                    target,
                    kind: LinkKind::Owns,
                    reason: format!("owner {kind} \"{name}\" (uid {uid}) not found"),
                    broken: true,
                }),
            }
        }
        if key.kind == Kind::Pod {
            if let Some(node) = obj.str_at("spec.nodeName").filter(|n| !n.is_empty()) {
                let nk = Key::new(Kind::Node, "", node);
                let found = store.contains(&nk);
                out.push(Link {
                    from: key.clone(),
                    to: found.then(|| nk.clone()),
                    target: format!("node/{node}"),
                    kind: LinkKind::ScheduledOn,
                    reason: if found { format!("spec.nodeName: {node}") } else { format!("nodes \"{node}\" not found") },
                    broken: !found,
                });
            }
        }
    }
}
