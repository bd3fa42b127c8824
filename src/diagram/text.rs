//! The diagram as table rows for screen readers (and for tests): one row per element with its
//! kind, name, namespace, state and its links, made from the same graph the picture is drawn from.

use super::{Graph, NodeKind};

/// One link as the table shows it: direction, the other end, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RowLink {
    /// true when this element is the source.
    pub outgoing: bool,
    /// `Service default/web` or `Missing configmap/app-config`.
    pub other: String,
    pub reason: String,
    pub broken: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub status: super::Status,
    pub state: String,
    /// The lane (node) holding the element, in the cluster view.
    pub lane: Option<String>,
    pub links: Vec<RowLink>,
}

/// Rows in graph order (lanes and the elements they hold are listed like any other element).
pub fn rows(g: &Graph) -> Vec<Row> {
    let name_of = |id: &str| -> String {
        match g.node(id) {
            Some(n) if matches!(n.kind, NodeKind::Missing) => format!("{} {} ({})", n.kind_label(), n.name, n.state),
            Some(n) if n.namespace.is_empty() => format!("{} {}", n.kind_label(), n.name),
            Some(n) => format!("{} {}/{}", n.kind_label(), n.namespace, n.name),
            None => id.to_string(),
        }
    };
    g.nodes
        .iter()
        .map(|n| Row {
            id: n.id.clone(),
            kind: n.kind_label().to_string(),
            name: n.name.clone(),
            namespace: n.namespace.clone(),
            status: n.status,
            state: n.state.clone(),
            lane: n.lane.as_ref().and_then(|l| g.node(l)).map(|l| l.name.clone()),
            links: g
                .edges
                .iter()
                .filter(|e| e.from == n.id || e.to == n.id)
                .map(|e| {
                    let outgoing = e.from == n.id;
                    RowLink { outgoing, other: name_of(if outgoing { &e.to } else { &e.from }), reason: e.reason.clone(), broken: e.broken }
                })
                .collect(),
        })
        .collect()
}
