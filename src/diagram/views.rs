//! Which objects and edges each view shows, and in which column. Edges are the model's links
//! (`model::links::links`), oriented left to right by column, with broken ones ending at a
//! "missing" element that names the absent target.

use super::status::{classify, details, rule_line};
use super::{object_id, GEdge, GNode, Graph, NodeKind, Options, Status, View};
use crate::model::kinds::Kind;
use crate::model::links::{links, Link, LinkKind};
use crate::model::{Key, ObjExt, Object, Store};
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet};

const SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public", "kube-node-lease"];
/// Most rules drawn for one role; the rest are summed up in one element.
const MAX_RULES: usize = 8;
/// The control-plane components of a kubeadm cluster, as their static pods label them (`component=`).
pub const COMPONENTS: [&str; 4] = ["kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager"];
pub const PENDING_LANE: &str = "lane/pending";
pub const CONTROL_PLANE_LANE: &str = "lane/control-plane";
/// The cluster view's lane of lesson ghosts (pods the current step asks for).
pub const GOAL_LANE: &str = "lane/goal";

struct Builder<'a> {
    store: &'a Store,
    opts: &'a Options,
    nodes: Vec<GNode>,
    index: BTreeMap<String, usize>,
    edges: Vec<GEdge>,
    edge_ids: BTreeSet<String>,
}

impl<'a> Builder<'a> {
    fn new(store: &'a Store, opts: &'a Options) -> Self {
        Builder { store, opts, nodes: Vec::new(), index: BTreeMap::new(), edges: Vec::new(), edge_ids: BTreeSet::new() }
    }

    fn visible(&self, obj: &Object) -> bool {
        if self.opts.show_system {
            return true;
        }
        if SYSTEM_NAMESPACES.contains(&obj.namespace()) {
            return false;
        }
        match obj.kind() {
            Some(Kind::ConfigMap) => obj.name() != "kube-root-ca.crt",
            Some(Kind::Role | Kind::ClusterRole | Kind::RoleBinding | Kind::ClusterRoleBinding) => {
                let n = obj.name();
                !(n.starts_with("system:")
                    || n.starts_with("kubeadm:")
                    || obj.labels().get("kubernetes.io/bootstrapping").map(String::as_str) == Some("rbac-defaults"))
            }
            _ => true,
        }
    }

    fn has(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    fn push(&mut self, n: GNode) -> String {
        let id = n.id.clone();
        if !self.index.contains_key(&id) {
            self.index.insert(id.clone(), self.nodes.len());
            self.nodes.push(n);
        }
        id
    }

    fn object_node(obj: &Object, key: &Key, tier: u8) -> GNode {
        let (status, state, why) = classify(obj);
        GNode {
            id: object_id(key),
            key: Some(key.clone()),
            kind: NodeKind::Object(key.kind),
            name: key.name.to_string(),
            namespace: key.namespace.to_string(),
            status,
            state,
            details: details(obj),
            why,
            tier,
            lane: None,
        }
    }

    /// Adds a stored object (if it exists and the options show it); returns its id.
    fn add(&mut self, key: &Key, tier: u8) -> Option<String> {
        let id = object_id(key);
        if self.has(&id) {
            return Some(id);
        }
        let obj = self.store.get(key)?;
        if !self.visible(obj) {
            return None;
        }
        Some(self.push(Self::object_node(obj, key, tier)))
    }

    fn add_all(&mut self, kind: Kind, tier: u8) {
        for key in self.store.keys(kind) {
            self.add(&key, tier);
        }
    }

    /// The element standing for a target that does not exist.
    fn add_missing(&mut self, link: &Link, tier: u8) -> String {
        // Targets read `configmap/app-config`, or `ServiceAccount dev/ci` for RBAC subjects.
        let (kind, name) = link.target.split_once(' ').or(link.target.split_once('/')).unwrap_or(("", link.target.as_str()));
        let ns = if link.from.kind.namespaced() { link.from.namespace.to_string() } else { String::new() };
        let label = Kind::from_resource_arg(kind).map(|k| k.name().to_string()).unwrap_or_else(|| kind.to_string());
        self.push(GNode {
            id: format!("missing/{ns}/{}", link.target),
            key: None,
            kind: NodeKind::Missing,
            name: name.to_string(),
            namespace: ns,
            status: Status::Missing,
            state: label,
            details: Vec::new(),
            why: Some(link.reason.clone()),
            tier,
            lane: None,
        })
    }

    /// Adds an edge between two elements already in the graph, oriented by column.
    fn edge(&mut self, a: &str, b: &str, kind: Option<LinkKind>, label: String, reason: &str, broken: bool) {
        let (Some(&ia), Some(&ib)) = (self.index.get(a), self.index.get(b)) else { return };
        let (from, to) = if self.nodes[ia].tier > self.nodes[ib].tier { (b, a) } else { (a, b) };
        let tag = kind.map(|k| format!("{k:?}")).unwrap_or_else(|| "Has".into());
        let id = format!("{tag}:{from}->{to}");
        if self.edge_ids.insert(id.clone()) {
            self.edges.push(GEdge { id, from: from.into(), to: to.into(), kind, label, reason: reason.into(), broken });
        }
    }

    /// Draws a link whose source is in the graph: to its target (added at `tier` when `add_target`),
    /// or to a missing element when broken.
    fn link(&mut self, l: &Link, tier: u8, add_target: bool, label: String) {
        let from = object_id(&l.from);
        if !self.has(&from) {
            return;
        }
        let to = match &l.to {
            Some(k) if add_target => self.add(k, tier),
            Some(k) => Some(object_id(k)).filter(|id| self.has(id)),
            None if l.broken => Some(self.add_missing(l, tier)),
            None => None,
        };
        if let Some(to) = to {
            self.edge(&from, &to, Some(l.kind), label, &l.reason, l.broken);
        }
    }

    fn finish(self) -> Graph {
        Graph { nodes: self.nodes, edges: self.edges }
    }
}

fn target_kind(l: &Link) -> Option<Kind> {
    match &l.to {
        Some(k) => Some(k.kind),
        None => Kind::from_resource_arg(l.target.split_once('/').map_or("", |(k, _)| k)),
    }
}

pub fn build(store: &Store, view: View, opts: &Options) -> Graph {
    // The cluster view draws nodes and pods only: the links (every selector matched, every
    // binding resolved, each with its reason worded) were most of its cost on each keystroke.
    let all = if view == View::Cluster { Vec::new() } else { links(store) };
    build_with(store, view, opts, &all)
}

/// The same, from links already computed (one `links()` call can serve several views).
pub fn build_with(store: &Store, view: View, opts: &Options, all: &[Link]) -> Graph {
    let mut b = Builder::new(store, opts);
    match view {
        View::Cluster => cluster(&mut b),
        View::Ownership => ownership(&mut b, all),
        View::Networking => networking(&mut b, all),
        View::Storage => storage(&mut b, all),
        View::Config => config(&mut b, all),
        View::Rbac => rbac(&mut b, all),
    }
    b.finish()
}

fn lane(id: &str, name: &str, status: Status) -> GNode {
    GNode {
        id: id.into(),
        key: None,
        kind: NodeKind::Lane,
        name: name.into(),
        namespace: String::new(),
        status,
        state: String::new(),
        details: Vec::new(),
        why: None,
        tier: 0,
        lane: None,
    }
}

fn cluster(b: &mut Builder) {
    b.push(lane(CONTROL_PLANE_LANE, "control-plane", Status::Neutral));
    for comp in COMPONENTS {
        // kubeadm's static pods carry `component=<name>` in kube-system (cmd/kubeadm/app/phases/controlplane/manifests.go).
        let pod = b.store.list_ns(Kind::Pod, "kube-system").find(|p| p.labels().get("component").map(String::as_str) == Some(comp));
        let (status, state, why) = pod.map(classify).unwrap_or((Status::Running, "Running".into(), None));
        let mut n = lane(&format!("cp/{comp}"), comp, status);
        n.kind = NodeKind::Component;
        n.state = state;
        n.why = why;
        n.key = pod.and_then(|p| p.key());
        n.namespace = "kube-system".into();
        n.lane = Some(CONTROL_PLANE_LANE.into());
        b.push(n);
    }
    let mut nodes: Vec<(bool, Key)> = b
        .store
        .list(Kind::Node)
        .filter_map(|n| Some((!n.labels().contains_key("node-role.kubernetes.io/control-plane"), n.key()?)))
        .collect();
    crate::sort::ord(&mut nodes);
    for (_, key) in &nodes {
        if let Some(obj) = b.store.get(key) {
            b.push(Builder::object_node(obj, key, 0));
        }
    }
    for key in b.store.keys(Kind::Pod) {
        let Some(obj) = b.store.get(&key) else { continue };
        if !b.visible(obj) {
            continue;
        }
        let node_id = obj.str_at("spec.nodeName").filter(|n| !n.is_empty()).map(|n| object_id(&Key::new(Kind::Node, "", n)));
        let lane_id = match node_id.filter(|id| b.has(id)) {
            Some(id) => id,
            None => {
                if !b.has(PENDING_LANE) {
                    b.push(lane(PENDING_LANE, "Pending", Status::Pending));
                }
                PENDING_LANE.to_string()
            }
        };
        let mut n = Builder::object_node(obj, &key, 1);
        n.lane = Some(lane_id);
        b.push(n);
    }
}

fn ownership(b: &mut Builder, all: &[Link]) {
    for (kind, tier) in [
        (Kind::Deployment, 0),
        (Kind::StatefulSet, 0),
        (Kind::DaemonSet, 0),
        (Kind::CronJob, 0),
        (Kind::ReplicaSet, 1),
        (Kind::Job, 1),
        (Kind::Pod, 2),
    ] {
        b.add_all(kind, tier);
    }
    for l in all {
        match l.kind {
            LinkKind::Owns if l.to.as_ref().is_some_and(|k| k.kind != Kind::PersistentVolumeClaim) => b.link(l, 0, false, String::new()),
            LinkKind::Owns if l.broken => {
                // The dependent is `from`; the missing owner goes one column to its left.
                let tier = b.index.get(&object_id(&l.from)).map(|&i| b.nodes[i].tier.saturating_sub(1));
                if let Some(t) = tier {
                    b.link(l, t, false, String::new());
                }
            }
            LinkKind::Uses if target_kind(l) == Some(Kind::PersistentVolumeClaim) => b.link(l, 3, true, String::new()),
            _ => {}
        }
    }
}

/// `path → :port` for each Ingress path that reaches the Service (the host is in the edge's reason).
fn route_label(ing: &Object, svc: &str) -> String {
    let port = |be: &Value| match be.path("service.port") {
        Some(p) => p.i64_at("number").map(|n| n.to_string()).or(p.str_at("name").map(str::to_string)).unwrap_or_default(),
        None => String::new(),
    };
    let mut out = Vec::new();
    for r in ing.arr_at("spec.rules") {
        for p in r.arr_at("http.paths") {
            if p.str_at("backend.service.name") == Some(svc) {
                out.push(format!("{} → :{}", p.str_at("path").unwrap_or("/"), port(p.path("backend").unwrap_or(&Value::Null))));
            }
        }
    }
    if let Some(d) = ing.path("spec.defaultBackend").filter(|d| d.str_at("service.name") == Some(svc)) {
        out.push(format!("* → :{}", port(d)));
    }
    match out.len() {
        0 => String::new(),
        1 => out.remove(0),
        n => format!("{} (+{})", out[0], n - 1),
    }
}

fn target_ports(svc: &Object) -> String {
    let ps: Vec<String> = svc
        .arr_at("spec.ports")
        .iter()
        .filter_map(|p| match p.path("targetPort").or(p.path("port"))? {
            Value::Number(n) => Some(format!(":{n}")),
            Value::String(s) => Some(format!(":{s}")),
            _ => None,
        })
        .collect();
    ps.join(",")
}

fn networking(b: &mut Builder, all: &[Link]) {
    b.add_all(Kind::Ingress, 0);
    b.add_all(Kind::Service, 1);
    for l in all {
        match l.kind {
            LinkKind::Routes => {
                let label = match (&l.to, b.store.get(&l.from)) {
                    (Some(to), Some(ing)) => route_label(ing, &to.name),
                    (None, Some(ing)) => route_label(ing, l.target.rsplit('/').next().unwrap_or("")),
                    _ => String::new(),
                };
                b.link(l, 1, false, label)
            }
            LinkKind::Selects => {
                let label = b.store.get(&l.from).map(target_ports).unwrap_or_default();
                b.link(l, 2, true, label)
            }
            _ => {}
        }
    }
}

fn storage(b: &mut Builder, all: &[Link]) {
    b.add_all(Kind::PersistentVolumeClaim, 1);
    b.add_all(Kind::PersistentVolume, 2);
    b.add_all(Kind::StorageClass, 3);
    let bound: BTreeSet<Key> = all.iter().filter(|l| l.kind == LinkKind::BoundTo && !l.broken).map(|l| l.from.clone()).collect();
    for l in all {
        match l.kind {
            LinkKind::Uses if target_kind(l) == Some(Kind::PersistentVolumeClaim) => {
                if b.add(&l.from, 0).is_some() {
                    b.link(l, 1, false, String::new());
                }
            }
            LinkKind::BoundTo => b.link(l, 2, false, String::new()),
            // A bound claim reaches its class through the volume; draw claim → class only while unbound.
            LinkKind::Class if !(l.from.kind == Kind::PersistentVolumeClaim && bound.contains(&l.from)) => b.link(l, 3, false, String::new()),
            _ => {}
        }
    }
}

fn config(b: &mut Builder, all: &[Link]) {
    b.add_all(Kind::ConfigMap, 0);
    b.add_all(Kind::Secret, 0);
    for l in all {
        if l.kind == LinkKind::Uses && matches!(target_kind(l), Some(Kind::ConfigMap | Kind::Secret)) {
            let to_shown = l.to.as_ref().is_some_and(|k| b.has(&object_id(k)));
            if (to_shown || l.broken) && b.add(&l.from, 1).is_some() {
                b.link(l, 0, false, String::new());
            }
        }
    }
}

fn rbac(b: &mut Builder, all: &[Link]) {
    b.add_all(Kind::RoleBinding, 1);
    b.add_all(Kind::ClusterRoleBinding, 1);
    b.add_all(Kind::Role, 2);
    b.add_all(Kind::ClusterRole, 2);
    for l in all {
        let from = object_id(&l.from);
        if !b.has(&from) {
            continue;
        }
        match l.kind {
            LinkKind::Grants => {
                // A visible binding shows its role even when the role is a default one.
                if let Some(k) = &l.to {
                    if let Some(obj) = b.store.get(k) {
                        let n = Builder::object_node(obj, k, 2);
                        b.push(n);
                    }
                }
                b.link(l, 2, false, String::new());
            }
            LinkKind::Subject => {
                let to = match &l.to {
                    Some(k) => match b.store.get(k) {
                        Some(obj) => Some(b.push(Builder::object_node(obj, k, 0))),
                        None => None,
                    },
                    None if l.broken => Some(b.add_missing(l, 0)),
                    None => {
                        let (kind, name) = l.target.split_once(' ').unwrap_or(("User", l.target.as_str()));
                        Some(b.push(GNode {
                            id: format!("subject/{kind}/{name}"),
                            key: None,
                            kind: NodeKind::Subject(kind.to_string()),
                            name: name.to_string(),
                            namespace: String::new(),
                            status: Status::Neutral,
                            state: String::new(),
                            details: Vec::new(),
                            why: None,
                            tier: 0,
                            lane: None,
                        }))
                    }
                };
                if let Some(to) = to {
                    b.edge(&from, &to, Some(l.kind), String::new(), &l.reason, l.broken);
                }
            }
            _ => {}
        }
    }
    // The rules of every role shown.
    let roles: Vec<(String, Key)> =
        b.nodes.iter().filter(|n| matches!(n.kind, NodeKind::Object(Kind::Role | Kind::ClusterRole))).filter_map(|n| Some((n.id.clone(), n.key.clone()?))).collect();
    for (rid, key) in roles {
        let Some(role) = b.store.get(&key) else { continue };
        let rules = role.arr_at("rules");
        for (i, r) in rules.iter().enumerate().take(MAX_RULES) {
            let line = rule_line(r);
            let groups = r.arr_at("apiGroups").iter().filter_map(|g| g.as_str()).map(|g| if g.is_empty() { "\"\"" } else { g }).collect::<Vec<_>>();
            let n = GNode {
                id: format!("rule/{rid}/{i}"),
                key: None,
                kind: NodeKind::Rule,
                name: line.clone(),
                namespace: key.namespace.to_string(),
                status: Status::Neutral,
                state: String::new(),
                details: vec![("diagram.detail.apiGroups", groups.join(","))],
                why: None,
                tier: 3,
                lane: None,
            };
            let id = b.push(n);
            b.edge(&rid, &id, None, String::new(), &line, false);
        }
        if rules.len() > MAX_RULES {
            let more = rules.len() - MAX_RULES;
            let mut n = lane(&format!("rule/{rid}/more"), &format!("+{more}"), Status::Neutral);
            n.kind = NodeKind::Rule;
            n.tier = 3;
            let id = b.push(n);
            b.edge(&rid, &id, None, String::new(), &format!("{more} more rules"), false);
        }
    }
}
