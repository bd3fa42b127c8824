//! The edges the diagrams draw, computed by the model with the reason kept: ownership, Service →
//! Pod (selector), Ingress → Service (rule), Pod → ConfigMap/Secret/PVC, PVC → PV → StorageClass,
//! subject → binding → role. Broken references are edges too, marked with why.

use super::kinds::Kind;
use super::object::{Key, ObjExt};
use super::config::pod_references;
use super::controllers::endpoints::pod_ready;
use super::network::ingress::backend_warnings;
use super::network::selector::{describe, LabelIndex};
use super::object::{labels_to_string, string_map};
use super::storage::{claim_class, pod_claims, volume_class};
use super::store::Store;
use crate::value::Value;

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
    service_links(store, &mut out);
    ingress_links(store, &mut out);
    pod_uses_links(store, &mut out);
    storage_links(store, &mut out);
    rbac_links(store, &mut out);
    out
}

fn link(from: &Key, to: Option<Key>, target: String, kind: LinkKind, reason: String) -> Link {
    Link { from: from.clone(), broken: to.is_none(), to, target, kind, reason }
}

/// `kind/name` as kubectl names objects (`configmap/app-config`).
fn target_of(kind: Kind, name: &str) -> String {
    format!("{}/{}", kind.info().singular, name)
}

/// Service → Pod for every pod the selector matches, with the match spelled out.
pub fn service_links(store: &Store, out: &mut Vec<Link>) {
    // Services come namespace by namespace: one label index of each namespace's pods answers
    // every selector there (scanning every pod per Service grew as Services × pods).
    let mut index: Option<(&str, LabelIndex)> = None;
    for svc in store.list(Kind::Service) {
        let Some(sk) = svc.key() else { continue };
        let sel = string_map(svc.path("spec.selector"));
        if sel.is_empty() {
            continue;
        }
        let ns = svc.namespace();
        if index.as_ref().is_none_or(|(n, _)| *n != ns) {
            index = Some((ns, LabelIndex::new(store.list_ns(Kind::Pod, ns))));
        }
        let Some((_, pods)) = index.as_ref() else { continue };
        for p in pods.select(&sel) {
            let labels = p.labels();
            let ready = if pod_ready(p) { "ready" } else { "not ready: listed under notReadyAddresses" };
            let reason = format!("selector {} matches labels {} ({ready})", describe(&sel), labels_to_string(&labels));
            out.push(link(&sk, p.key(), target_of(Kind::Pod, p.name()), LinkKind::Selects, reason));
        }
    }
}

/// Ingress → Service for every rule path and the default backend; missing Services and ports are broken.
pub fn ingress_links(store: &Store, out: &mut Vec<Link>) {
    for ing in store.list(Kind::Ingress) {
        let Some(ik) = ing.key() else { continue };
        let ns = ing.namespace();
        let mut add = |backend: &Value, what: String| {
            let Some(svc) = backend.str_at("service.name") else { return };
            let port = backend.path("service.port.number").and_then(|n| n.as_i64()).map(|n| n.to_string()).or_else(|| backend.str_at("service.port.name").map(str::to_string)).unwrap_or_default();
            let warnings = backend_warnings(store, ns, backend);
            let to = store.get_by(Kind::Service, ns, svc).and_then(|s| s.key());
            let reason = match (to.is_some(), warnings.first()) {
                (false, _) => format!("{what} → {svc}:{port}: services \"{svc}\" not found"),
                (true, Some(w)) => format!("{what} → {svc}:{port}: {w}"),
                (true, None) => format!("{what} → {svc}:{port}"),
            };
            let broken = to.is_none() || !warnings.is_empty();
            out.push(Link { from: ik.clone(), to, target: target_of(Kind::Service, svc), kind: LinkKind::Routes, reason, broken });
        };
        if let Some(b) = ing.path("spec.defaultBackend") {
            add(b, "defaultBackend".into());
        }
        for r in ing.arr_at("spec.rules") {
            let host = r.str_at("host").unwrap_or("*");
            for p in r.arr_at("http.paths") {
                let what = format!("rule {host}{} ({})", p.str_at("path").unwrap_or("/"), p.str_at("pathType").unwrap_or(""));
                if let Some(b) = p.path("backend") {
                    add(b, what);
                }
            }
        }
    }
}

/// Pod → ConfigMap / Secret / PVC / ServiceAccount, resolved or missing (optional ones are not broken).
pub fn pod_uses_links(store: &Store, out: &mut Vec<Link>) {
    for pod in store.list(Kind::Pod) {
        let Some(pk) = pod.key() else { continue };
        let ns = pod.namespace();
        for (kind, name, optional, via) in pod_references(pod) {
            let to = store.get_by(kind, ns, &name).and_then(|o| o.key());
            let reason = match (&to, optional) {
                (Some(_), _) => via,
                (None, true) => format!("{via} (optional): {} \"{name}\" not found", kind.info().singular),
                (None, false) => format!("{via}: {} \"{name}\" not found", kind.info().singular),
            };
            let mut l = link(&pk, to, target_of(kind, &name), LinkKind::Uses, reason);
            l.broken = l.to.is_none() && !optional;
            out.push(l);
        }
        for claim in pod_claims(pod) {
            let c = store.get_by(Kind::PersistentVolumeClaim, ns, &claim);
            let reason = match c {
                None => format!("volume claim: persistentvolumeclaim \"{claim}\" not found"),
                Some(c) if c.str_at("status.phase") != Some("Bound") => format!("volume claim (unbound: {})", c.str_at("status.phase").unwrap_or("Pending")),
                Some(_) => "volume claim".into(),
            };
            out.push(link(&pk, c.and_then(|c| c.key()), target_of(Kind::PersistentVolumeClaim, &claim), LinkKind::Uses, reason));
        }
        if let Some(sa) = pod.str_at("spec.serviceAccountName").filter(|s| !s.is_empty()) {
            let to = store.get_by(Kind::ServiceAccount, ns, sa).and_then(|o| o.key());
            let reason = if to.is_some() { "serviceAccountName".to_string() } else { format!("serviceAccountName: serviceaccount \"{sa}\" not found") };
            out.push(link(&pk, to, target_of(Kind::ServiceAccount, sa), LinkKind::Uses, reason));
        }
    }
}

/// PVC → PV (bound volume), PVC → StorageClass, PV → StorageClass.
pub fn storage_links(store: &Store, out: &mut Vec<Link>) {
    for claim in store.list(Kind::PersistentVolumeClaim) {
        let Some(ck) = claim.key() else { continue };
        if let Some(vn) = claim.str_at("spec.volumeName").filter(|s| !s.is_empty()) {
            let to = store.get_by(Kind::PersistentVolume, "", vn).and_then(|o| o.key());
            let reason = if to.is_some() { format!("bound: spec.volumeName {vn}") } else { format!("persistentvolume \"{vn}\" not found (claim Lost)") };
            out.push(link(&ck, to, target_of(Kind::PersistentVolume, vn), LinkKind::BoundTo, reason));
        }
        class_link(store, &ck, &claim_class(claim), out);
    }
    for pv in store.list(Kind::PersistentVolume) {
        let Some(vk) = pv.key() else { continue };
        class_link(store, &vk, &volume_class(pv), out);
    }
}

fn class_link(store: &Store, from: &Key, class: &str, out: &mut Vec<Link>) {
    if class.is_empty() {
        return;
    }
    let to = store.get_by(Kind::StorageClass, "", class).and_then(|o| o.key());
    let reason = if to.is_some() { format!("storageClassName: {class}") } else { format!("storageclass.storage.k8s.io \"{class}\" not found") };
    out.push(link(from, to, target_of(Kind::StorageClass, class), LinkKind::Class, reason));
}

/// Binding → subjects and Binding → Role/ClusterRole (with the rules it grants).
pub fn rbac_links(store: &Store, out: &mut Vec<Link>) {
    for b in store.list(Kind::ClusterRoleBinding).chain(store.list(Kind::RoleBinding)) {
        let Some(bk) = b.key() else { continue };
        let bns = b.namespace();
        for s in b.arr_at("subjects") {
            let kind = s.str_at("kind").unwrap_or("");
            let name = s.str_at("name").unwrap_or("");
            let (to, target, reason) = if kind == "ServiceAccount" {
                let ns = s.str_at("namespace").filter(|n| !n.is_empty()).unwrap_or(bns);
                let to = store.get_by(Kind::ServiceAccount, ns, name).and_then(|o| o.key());
                let user = crate::model::rbac::service_account_user(ns, name);
                let reason = if to.is_some() { format!("subject {user}") } else { format!("subject {user}: serviceaccount \"{name}\" not found in namespace {ns}") };
                (to, format!("ServiceAccount {ns}/{name}"), reason)
            } else {
                (None, format!("{kind} {name}"), format!("subject {kind} {name}"))
            };
            let broken = kind == "ServiceAccount" && to.is_none();
            out.push(Link { from: bk.clone(), to, target, kind: LinkKind::Subject, reason, broken });
        }
        let rk = b.str_at("roleRef.kind").unwrap_or("");
        let rn = b.str_at("roleRef.name").unwrap_or("");
        let role_kind = if rk == "Role" { Kind::Role } else { Kind::ClusterRole };
        let role = store.get_by(role_kind, bns, rn);
        let reason = match role {
            Some(r) => {
                let rules: Vec<String> = r.arr_at("rules").iter().map(describe_rule).collect();
                let scope = if b.kind_name() == "RoleBinding" { format!(" in namespace {bns}") } else { String::new() };
                format!("roleRef {rk}/{rn}{scope}: {}", if rules.is_empty() { "no rules".into() } else { rules.join("; ") })
            }
            None => format!("roleRef {rk}/{rn}: {} \"{rn}\" not found", role_kind.resource_group()),
        };
        out.push(link(&bk, role.and_then(|r| r.key()), target_of(role_kind, rn), LinkKind::Grants, reason));
    }
}

/// `get,list pods` / `get /healthz` for a rule.
pub fn describe_rule(r: &Value) -> String {
    let j = |f: &str| r.arr_at(f).iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(",");
    if !r.arr_at("nonResourceURLs").is_empty() {
        return format!("{} {}", j("verbs"), j("nonResourceURLs"));
    }
    let groups: Vec<&str> = r.arr_at("apiGroups").iter().filter_map(|v| v.as_str()).filter(|g| !g.is_empty()).collect();
    let res = j("resources");
    let res = if groups.is_empty() { res } else { format!("{res} ({})", groups.join(",")) };
    let names = j("resourceNames");
    if names.is_empty() {
        format!("{} {res}", j("verbs"))
    } else {
        format!("{} {res} named {names}", j("verbs"))
    }
}

/// The two generic edges every object may have: ownerReferences (`Owns`, from owner to dependent)
/// and a pod's `spec.nodeName` (`ScheduledOn`). An ownerReference whose UID is not in the store
/// is a broken edge (the garbage collector would delete the dependent).
pub fn generic_links(store: &Store, out: &mut Vec<Link>) {
    for (key, obj) in store.all_entries() {
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
