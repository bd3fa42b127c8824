//! The API resources the simulated API server serves: names, groups, scopes and short names,
//! as `kubectl api-resources` prints them for Kubernetes v1.34.

use serde::{Deserialize, Serialize};

/// Every kind the simulated cluster stores. Order is the order of `kubectl api-resources` groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    ConfigMap,
    Secret,
    ServiceAccount,
    PersistentVolume,
    PersistentVolumeClaim,
    Event,
    ReplicaSet,
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    Ingress,
    IngressClass,
    StorageClass,
    Role,
    RoleBinding,
    ClusterRole,
    ClusterRoleBinding,
    EndpointSlice,
    Lease,
}

/// How many kinds there are (`kind as usize` indexes per-kind arrays such as the store's change stamps).
pub const KIND_COUNT: usize = Kind::Lease as usize + 1;

/// Static facts about one resource type.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: Kind,
    pub name: &'static str,
    /// API group; "" is the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short: &'static [&'static str],
    pub namespaced: bool,
    pub verbs: &'static str,
}

macro_rules! kinds {
    ($( $k:ident, $g:expr, $v:expr, $pl:expr, $sg:expr, [$($sh:expr),*], $ns:expr, $verbs:expr; )*) => {
        pub static KINDS: &[KindInfo] = &[ $( KindInfo {
            kind: Kind::$k, name: stringify!($k), group: $g, version: $v, plural: $pl, singular: $sg,
            short: &[$($sh),*], namespaced: $ns, verbs: $verbs,
        }, )* ];
    };
}

const ALL: &str = "create,delete,deletecollection,get,list,patch,update,watch";

kinds! {
    Namespace, "", "v1", "namespaces", "namespace", ["ns"], false, "create,delete,get,list,patch,update,watch";
    Node, "", "v1", "nodes", "node", ["no"], false, ALL;
    Pod, "", "v1", "pods", "pod", ["po"], true, ALL;
    Service, "", "v1", "services", "service", ["svc"], true, "create,delete,deletecollection,get,list,patch,update,watch";
    Endpoints, "", "v1", "endpoints", "endpoints", ["ep"], true, ALL;
    ConfigMap, "", "v1", "configmaps", "configmap", ["cm"], true, ALL;
    Secret, "", "v1", "secrets", "secret", [], true, ALL;
    ServiceAccount, "", "v1", "serviceaccounts", "serviceaccount", ["sa"], true, ALL;
    PersistentVolume, "", "v1", "persistentvolumes", "persistentvolume", ["pv"], false, ALL;
    PersistentVolumeClaim, "", "v1", "persistentvolumeclaims", "persistentvolumeclaim", ["pvc"], true, ALL;
    Event, "", "v1", "events", "event", ["ev"], true, ALL;
    ReplicaSet, "apps", "v1", "replicasets", "replicaset", ["rs"], true, ALL;
    Deployment, "apps", "v1", "deployments", "deployment", ["deploy"], true, ALL;
    StatefulSet, "apps", "v1", "statefulsets", "statefulset", ["sts"], true, ALL;
    DaemonSet, "apps", "v1", "daemonsets", "daemonset", ["ds"], true, ALL;
    Job, "batch", "v1", "jobs", "job", [], true, ALL;
    CronJob, "batch", "v1", "cronjobs", "cronjob", ["cj"], true, ALL;
    Ingress, "networking.k8s.io", "v1", "ingresses", "ingress", ["ing"], true, ALL;
    IngressClass, "networking.k8s.io", "v1", "ingressclasses", "ingressclass", [], false, ALL;
    StorageClass, "storage.k8s.io", "v1", "storageclasses", "storageclass", ["sc"], false, ALL;
    Role, "rbac.authorization.k8s.io", "v1", "roles", "role", [], true, ALL;
    RoleBinding, "rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", [], true, ALL;
    ClusterRole, "rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", [], false, ALL;
    ClusterRoleBinding, "rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", [], false, ALL;
    EndpointSlice, "discovery.k8s.io", "v1", "endpointslices", "endpointslice", [], true, ALL;
    Lease, "coordination.k8s.io", "v1", "leases", "lease", [], true, ALL;
}

impl Kind {
    pub fn info(self) -> &'static KindInfo {
        KINDS.iter().find(|k| k.kind == self).expect("every Kind has a row in KINDS")
    }
    pub fn name(self) -> &'static str {
        self.info().name
    }
    pub fn namespaced(self) -> bool {
        self.info().namespaced
    }
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(self) -> String {
        let i = self.info();
        if i.group.is_empty() { i.version.to_string() } else { format!("{}/{}", i.group, i.version) }
    }
    /// `deployments.apps`, the name kubectl uses in messages such as `deployments.apps "web" not found`.
    pub fn resource_group(self) -> String {
        let i = self.info();
        if i.group.is_empty() { i.plural.to_string() } else { format!("{}.{}", i.plural, i.group) }
    }
    /// Looks a kind up by its `kind:` field value (exact, case-sensitive, as the API server does).
    pub fn from_kind_name(name: &str) -> Option<Kind> {
        KINDS.iter().find(|k| k.name == name).map(|k| k.kind)
    }
    /// Looks a kind up the way `kubectl get X` does: plural, singular, short name, or `Kind`,
    /// case-insensitively, optionally qualified with the group (`deployments.apps`).
    pub fn from_resource_arg(arg: &str) -> Option<Kind> {
        let lower = arg.to_ascii_lowercase();
        let (res, group) = match lower.split_once('.') {
            Some((r, g)) => (r.to_string(), Some(g.to_string())),
            None => (lower.clone(), None),
        };
        KINDS
            .iter()
            .find(|k| {
                (k.plural == res || k.singular == res || k.short.contains(&res.as_str()) || k.name.to_ascii_lowercase() == res)
                    && group.as_deref().is_none_or(|g| g == k.group || (g == "" && k.group.is_empty()))
            })
            .map(|k| k.kind)
    }
    pub fn all() -> impl Iterator<Item = Kind> {
        KINDS.iter().map(|k| k.kind)
    }
}

/// Group/versions that once served a kind but no longer do (for `no matches for kind` messages,
/// the only answer a v1.34 server gives them).
pub fn served(api_version: &str, kind: &str) -> Option<Kind> {
    let k = Kind::from_kind_name(kind)?;
    (k.api_version() == api_version).then_some(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn lookups() {
        assert_eq!(Kind::from_resource_arg("deploy"), Some(Kind::Deployment));
        assert_eq!(Kind::from_resource_arg("Deployments.apps"), Some(Kind::Deployment));
        assert_eq!(Kind::from_resource_arg("po"), Some(Kind::Pod));
        assert_eq!(Kind::from_resource_arg("pvc"), Some(Kind::PersistentVolumeClaim));
        assert_eq!(Kind::from_resource_arg("nope"), None);
        assert_eq!(Kind::CronJob.api_version(), "batch/v1");
        assert_eq!(served("batch/v1beta1", "CronJob"), None);
        assert_eq!(served("v1", "Pod"), Some(Kind::Pod));
        for k in Kind::all() {
            assert_eq!(k.info().kind, k);
        }
    }
}
