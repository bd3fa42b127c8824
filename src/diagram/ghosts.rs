//! Lesson "ghosts": the objects the current step asks for that do not exist yet, drawn faintly
//! where the view would draw the real object, so a beginner sees what to build. A ghost goes
//! away the moment the object exists (whatever its state).

use super::views::GOAL_LANE;
use super::{GNode, Graph, NodeKind, Status, View};
use crate::model::{Key, Kind, Store};

/// One object a step wants (kind, namespace, name). The namespace defaults to `default` for
/// namespaced kinds and is empty for cluster-scoped ones.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GhostSpec {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl GhostSpec {
    pub fn new(kind: Kind, namespace: Option<&str>, name: &str) -> GhostSpec {
        let namespace = if kind.namespaced() { namespace.filter(|n| !n.is_empty()).unwrap_or("default").to_string() } else { String::new() };
        GhostSpec { kind, namespace, name: name.to_string() }
    }
    pub fn key(&self) -> Key {
        Key::new(self.kind, &self.namespace, &self.name)
    }
    /// The diagram id of the ghost (never the id of a real object).
    pub fn id(&self) -> String {
        format!("ghost/{}/{}/{}", self.kind.name(), self.namespace, self.name)
    }
}

/// The column a view draws a ghost of `kind` in, if it draws that kind (pods appear in the
/// networking, storage and config views through their links; a ghost pod there is the pod to add).
pub fn tier_in(view: View, kind: Kind) -> Option<u8> {
    use Kind::*;
    match (view, kind) {
        (View::Cluster, Pod) => Some(1),
        (View::Ownership, Deployment | StatefulSet | DaemonSet | CronJob) => Some(0),
        (View::Ownership, ReplicaSet | Job) => Some(1),
        (View::Ownership | View::Networking, Pod) => Some(2),
        (View::Storage, Pod) => Some(0),
        (View::Config, Pod) => Some(1),
        (View::Networking, Ingress) => Some(0),
        (View::Networking, Service) => Some(1),
        (View::Storage, PersistentVolumeClaim) => Some(1),
        (View::Storage, PersistentVolume) => Some(2),
        (View::Storage, StorageClass) => Some(3),
        (View::Config, ConfigMap | Secret) => Some(0),
        (View::Rbac, RoleBinding | ClusterRoleBinding) => Some(1),
        (View::Rbac, Role | ClusterRole) => Some(2),
        _ => None,
    }
}

/// Adds the ghosts of `wanted` that `view` draws and `store` does not hold yet. In the cluster
/// view ghost pods sit in a "to create" lane of their own, after every other lane.
pub fn add_ghosts(g: &mut Graph, view: View, store: &Store, wanted: &[GhostSpec]) {
    for w in wanted {
        let Some(tier) = tier_in(view, w.kind) else { continue };
        if store.get(&w.key()).is_some() || g.node(&w.id()).is_some() {
            continue;
        }
        let lane = (view == View::Cluster).then(|| {
            if g.node(GOAL_LANE).is_none() {
                g.nodes.push(GNode { id: GOAL_LANE.into(), kind: NodeKind::Lane, name: "goal".into(), status: Status::Ghost, ..blank() });
            }
            GOAL_LANE.to_string()
        });
        g.nodes.push(GNode { id: w.id(), kind: NodeKind::Object(w.kind), name: w.name.clone(), namespace: w.namespace.clone(), status: Status::Ghost, tier, lane, ..blank() });
    }
}

fn blank() -> GNode {
    GNode {
        id: String::new(),
        key: None,
        kind: NodeKind::Lane,
        name: String::new(),
        namespace: String::new(),
        status: Status::Ghost,
        state: String::new(),
        details: Vec::new(),
        why: None,
        tier: 0,
        lane: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::tests::{g, mixed, mixed_links};
    use crate::diagram::{graph_with_links, layout_in, Options};

    #[test]
    fn ghosts_of_missing_objects_are_drawn_where_their_kind_is() {
        let s = mixed();
        let want = [
            GhostSpec::new(Kind::Pod, None, "hello"),
            GhostSpec::new(Kind::Deployment, None, "web"),
            GhostSpec::new(Kind::ClusterRole, Some("ignored"), "reader"),
            GhostSpec::new(Kind::Namespace, None, "dev"),
        ];
        assert_eq!(want[0].key(), Key::new(Kind::Pod, "default", "hello"));
        assert_eq!(want[2].namespace, "", "cluster-scoped kinds have no namespace");
        let (_, mut cl) = g(View::Cluster);
        add_ghosts(&mut cl, View::Cluster, &s, &want);
        let pod = cl.node("ghost/Pod/default/hello").expect("a ghost pod in the cluster view");
        assert_eq!((pod.status, pod.lane.as_deref(), pod.key.is_none()), (Status::Ghost, Some(GOAL_LANE), true));
        assert!(cl.node(GOAL_LANE).is_some(), "in a lane of its own");
        assert!(cl.node("ghost/Deployment/default/web").is_none(), "the cluster view draws no Deployments");
        let l = layout_in(&cl, View::Cluster, None, 640);
        let lanes: Vec<i32> = cl.nodes.iter().filter(|n| crate::diagram::layout::is_lane(n)).map(|n| l.rects[&n.id].y).collect();
        assert_eq!(l.rects[GOAL_LANE].y, *lanes.iter().max().unwrap(), "the goal lane comes last");
        assert!(l.rects[GOAL_LANE].contains(&l.rects[&pod.id]));
        // The Deployment web exists: no ghost for it; the Pod hello does not: a ghost pod.
        let mut own = graph_with_links(&s, View::Ownership, &Options::default(), &mixed_links(&s));
        add_ghosts(&mut own, View::Ownership, &s, &want);
        assert!(own.node("ghost/Deployment/default/web").is_none());
        assert_eq!(own.node("ghost/Pod/default/hello").map(|n| n.tier), Some(2));
        let mut rbac = graph_with_links(&s, View::Rbac, &Options::default(), &mixed_links(&s));
        add_ghosts(&mut rbac, View::Rbac, &s, &want);
        assert_eq!(rbac.node("ghost/ClusterRole//reader").map(|n| (n.tier, n.status)), Some((2, Status::Ghost)));
        assert!(rbac.nodes.iter().all(|n| !n.id.contains("Namespace")), "no view draws namespaces");
    }
}
