//! The objects table beside the diagram (kind, name, status, node): a text alternative to the
//! picture, built from the same cluster. Which objects are the learner's is a Kubernetes question,
//! so it is answered here, not in the page's components.

use crate::model::{Cluster, Kind, ObjExt};

/// One object in the table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Row {
    pub key: String,
    pub kind: &'static str,
    pub name: String,
    pub namespace: String,
    pub status: String,
    pub node: String,
}

/// Namespaces the learner did not make (shown only when asked with kubectl).
fn system_ns(ns: &str) -> bool {
    ns.starts_with("kube-")
}

/// A short status for the table: a pod's phase (or Terminating), a workload's ready count.
fn status(kind: Kind, o: &crate::value::Value) -> String {
    if o.is_deleting() {
        return "Terminating".into();
    }
    match kind {
        Kind::Pod => o.str_at("status.phase").unwrap_or("Pending").to_string(),
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet => {
            format!("{}/{}", o.i64_at("status.readyReplicas").unwrap_or(0), o.i64_at("spec.replicas").unwrap_or(1))
        }
        Kind::PersistentVolumeClaim | Kind::PersistentVolume | Kind::Namespace => o.str_at("status.phase").unwrap_or("").to_string(),
        Kind::Service => o.str_at("spec.clusterIP").unwrap_or("").to_string(),
        _ => String::new(),
    }
}

/// The learner's objects in the store's order (system objects and bookkeeping kinds left out), at most 2,000.
pub fn rows(c: &Cluster) -> Vec<Row> {
    c.store
        .all_entries()
        .filter_map(|(key, o)| {
            // The key's kind, not the object's: the events (most of a busy store) are skipped
            // without reading them.
            let kind = key.kind;
            if matches!(kind, Kind::Event | Kind::Endpoints | Kind::EndpointSlice | Kind::Lease | Kind::Node | Kind::ServiceAccount)
                || (kind == Kind::ConfigMap && &*key.name == "kube-root-ca.crt")
            {
                return None;
            }
            if system_ns(&key.namespace) || (!kind.namespaced() && kind != Kind::PersistentVolume && kind != Kind::Namespace) {
                return None;
            }
            if kind == Kind::Namespace && (system_ns(&key.name) || &*key.name == "default") {
                return None;
            }
            if kind == Kind::Service && &*key.name == "kubernetes" && &*key.namespace == "default" {
                return None;
            }
            Some(Row {
                key: format!("{kind:?}/{}/{}", key.namespace, key.name),
                kind: kind.name(),
                name: key.name.to_string(),
                namespace: key.namespace.to_string(),
                status: status(kind, o),
                node: o.str_at("spec.nodeName").unwrap_or("").to_string(),
            })
        })
        .take(2000)
        .collect()
}

