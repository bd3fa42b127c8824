//! Cluster state → graph → layout, pure and deterministic, for the live diagrams.
//!
//! `graph(store, view, opts)` picks the objects and edges one view shows (edges come from
//! `model::links`, so every edge keeps the reason the model gave it); `layout::layout` places
//! them; `text::rows` is the screen-reader table made from the same graph.

pub mod ghosts;
pub mod layout;
pub mod status;
pub mod text;
mod views;

#[cfg(test)]
mod layout_tests;
#[cfg(test)]
mod tests;

pub use ghosts::{add_ghosts, GhostSpec};
pub use layout::{layout, layout_in, EdgePath, Layout, Rect};
pub use status::Status;
pub use views::{COMPONENTS, CONTROL_PLANE_LANE, GOAL_LANE, PENDING_LANE};

use crate::model::kinds::Kind;
use crate::model::links::LinkKind;
use crate::model::{Key, Store};

/// The diagrams a learner can switch between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum View {
    /// Control plane, worker nodes as lanes holding their pods, unscheduled pods in a Pending lane.
    Cluster,
    /// Deployment → ReplicaSet → Pods, StatefulSet → Pods → PVCs, CronJob → Job → Pods, DaemonSet → Pods.
    Ownership,
    /// Ingress → Service → Pods, with ports.
    Networking,
    /// Pod → PVC → PV → StorageClass.
    Storage,
    /// ConfigMap/Secret → Pods that use them.
    Config,
    /// Subject → Binding → Role → rules.
    Rbac,
}

impl View {
    pub const ALL: [View; 6] = [View::Cluster, View::Ownership, View::Networking, View::Storage, View::Config, View::Rbac];
    /// Stable identifier (CSS class, i18n key suffix, URL value).
    pub fn id(self) -> &'static str {
        match self {
            View::Cluster => "cluster",
            View::Ownership => "ownership",
            View::Networking => "networking",
            View::Storage => "storage",
            View::Config => "config",
            View::Rbac => "rbac",
        }
    }
    pub fn from_id(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.id() == s)
    }
    /// The view that is about `kind` (None for kinds no view is about: Namespace, ServiceAccount…).
    pub fn about(kind: Kind) -> Option<View> {
        use Kind::*;
        match kind {
            Pod | Node => Some(View::Cluster),
            Deployment | ReplicaSet | StatefulSet | DaemonSet | Job | CronJob => Some(View::Ownership),
            Service | Ingress => Some(View::Networking),
            PersistentVolumeClaim | PersistentVolume | StorageClass => Some(View::Storage),
            ConfigMap | Secret => Some(View::Config),
            Role | ClusterRole | RoleBinding | ClusterRoleBinding => Some(View::Rbac),
            _ => None,
        }
    }
    /// The view a lesson about `concepts` (most important first) opens on: the first concept's
    /// view, skipping kinds no view is about; the cluster view if none has one.
    pub fn for_concepts(concepts: &[Kind]) -> View {
        concepts.iter().find_map(|k| View::about(*k)).unwrap_or(View::Cluster)
    }
}

/// What a diagram element stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A stored API object.
    Object(Kind),
    /// A control-plane component (kube-apiserver, etcd, ...).
    Component,
    /// An RBAC subject that is not an object (User, Group); the string is its kind.
    Subject(String),
    /// One rule of a Role/ClusterRole.
    Rule,
    /// The target of a broken reference (it does not exist).
    Missing,
    /// A container drawn behind other elements: a node lane, the Pending lane, the control plane.
    Lane,
}

/// One detail line: an i18n key for the label and the value as kubectl would print it.
pub type Detail = (&'static str, String);

/// One element of a diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct GNode {
    /// Unique and stable across updates (`Pod/default/web-1`, `lane/worker-1`, ...).
    pub id: String,
    pub key: Option<Key>,
    pub kind: NodeKind,
    pub name: String,
    pub namespace: String,
    pub status: Status,
    /// Short state as kubectl prints it (`Running`, `CrashLoopBackOff`, `3/3`, `Bound`), may be empty.
    pub state: String,
    pub details: Vec<Detail>,
    /// Why the element is in this state, when it is not fine (scheduler message, container message).
    pub why: Option<String>,
    /// Column in tiered views.
    pub tier: u8,
    /// The lane that holds it (cluster view).
    pub lane: Option<String>,
}

impl GNode {
    /// The kind as drawn inside a box: the long storage kinds by kubectl's short names.
    pub fn kind_short(&self) -> &str {
        match &self.kind {
            NodeKind::Object(Kind::PersistentVolumeClaim) => "PVC",
            NodeKind::Object(Kind::PersistentVolume) => "PV",
            _ => self.kind_label(),
        }
    }
    /// `Pod`, `Deployment`, `User`, ... (the kind a learner reads).
    pub fn kind_label(&self) -> &str {
        match &self.kind {
            NodeKind::Object(k) => k.name(),
            NodeKind::Component => "Component",
            NodeKind::Subject(s) => s,
            NodeKind::Rule => "Rule",
            NodeKind::Missing => "Missing",
            NodeKind::Lane => "Lane",
        }
    }
}

/// One edge of a diagram, oriented the way the view reads (left to right).
#[derive(Clone, Debug, PartialEq)]
pub struct GEdge {
    pub id: String,
    pub from: String,
    pub to: String,
    /// None for edges the diagram adds itself (role → rule).
    pub kind: Option<LinkKind>,
    /// Short text drawn on the edge (a port, a path), may be empty.
    pub label: String,
    /// Why this edge exists, or why it is broken.
    pub reason: String,
    pub broken: bool,
}

/// What a view shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<GNode>,
    pub edges: Vec<GEdge>,
}

impl Graph {
    pub fn node(&self, id: &str) -> Option<&GNode> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// Choices that change what a view includes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// Show kube-system & co., default RBAC roles and `kube-root-ca.crt`.
    pub show_system: bool,
}

/// The diagram id of a stored object.
pub fn object_id(key: &Key) -> String {
    format!("{}/{}/{}", key.kind.name(), key.namespace, key.name)
}

/// The graph one view shows.
pub fn graph(store: &Store, view: View, opts: &Options) -> Graph {
    views::build(store, view, opts)
}

/// The graph one view shows, from links already computed with `model::links::links`.
pub fn graph_with_links(store: &Store, view: View, opts: &Options, links: &[crate::model::links::Link]) -> Graph {
    views::build_with(store, view, opts, links)
}
