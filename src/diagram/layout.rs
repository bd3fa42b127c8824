//! A hand-written tiered layout. Tiered views: each element sits in its view's column; every
//! element hangs under one "primary parent" (the nearest-column source of an edge into it), so
//! each root and its descendants form a horizontal band, bands stacked top to bottom, parents at
//! the top of their band; many leaf siblings wrap into a grid. Cluster view: the control plane on
//! top, then one lane per node with its pods in rows of `LANE_COLS`, then the Pending lane.
//!
//! Positions stay put as objects come and go: given the previous layout, elements it already had
//! keep their relative order and new ones are appended after them, so adding an unrelated object
//! never moves anything that was drawn before.

use super::{GNode, Graph, NodeKind, View};
use std::collections::{BTreeMap, HashMap};

pub const NODE_W: i32 = 168;
pub const NODE_H: i32 = 44;
pub const COL_GAP: i32 = 88;
pub const ROW_GAP: i32 = 12;
pub const BAND_GAP: i32 = 28;
pub const MARGIN: i32 = 16;
/// Leaf siblings wrap into a grid from this many on.
pub const GRID_MIN: usize = 6;
pub const GRID_COLS: usize = 4;
/// Pods per row in a node lane.
pub const LANE_COLS: usize = 5;
pub const LANE_HEAD: i32 = 176;
pub const LANE_PAD: i32 = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.x + o.w <= self.x + self.w && o.y + o.h <= self.y + self.h
    }
}

/// An edge as an SVG path (`d`) with the point where its label goes.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgePath {
    pub id: String,
    pub d: String,
    pub label_x: i32,
    pub label_y: i32,
}

/// Where everything goes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub view: Option<View>,
    pub rects: BTreeMap<String, Rect>,
    /// Element ids in placement order: the memory that keeps positions stable next time.
    pub order: Vec<String>,
    /// Edge paths by edge id.
    pub edges: BTreeMap<String, EdgePath>,
    pub width: i32,
    pub height: i32,
}

/// Whether an element is drawn as a container behind others.
pub fn is_lane(n: &GNode) -> bool {
    matches!(n.kind, NodeKind::Lane | NodeKind::Object(crate::model::Kind::Node))
}

/// Sorting memory: elements of the previous layout first, in their old order, then new ones by name.
struct Order<'a> {
    rank: HashMap<&'a str, usize>,
}

impl<'a> Order<'a> {
    fn new(prev: Option<&'a Layout>, view: View) -> Self {
        let rank = match prev {
            Some(p) if p.view == Some(view) => p.order.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect(),
            _ => HashMap::new(),
        };
        Order { rank }
    }
    fn key<'n>(&self, n: &'n GNode) -> (usize, &'n str, &'n str, &'n str) {
        (self.rank.get(n.id.as_str()).copied().unwrap_or(usize::MAX), n.namespace.as_str(), n.name.as_str(), n.id.as_str())
    }
}

/// Lays a view's graph out. `prev` is the layout last drawn (for stable positions), if any.
pub fn layout(graph: &Graph, view: View, prev: Option<&Layout>) -> Layout {
    let order = Order::new(prev, view);
    let mut out = Layout { view: Some(view), ..Layout::default() };
    match view {
        View::Cluster => lanes(graph, &order, &mut out),
        _ => tiers(graph, &order, &mut out),
    }
    route(graph, &mut out);
    let (mut w, mut h) = (0, 0);
    for r in out.rects.values() {
        w = w.max(r.x + r.w);
        h = h.max(r.y + r.h);
    }
    out.width = w + MARGIN;
    out.height = h + MARGIN;
    out
}

fn place(out: &mut Layout, id: &str, x: i32, y: i32, w: i32, h: i32) {
    out.rects.insert(id.to_string(), Rect { x, y, w, h });
    out.order.push(id.to_string());
}

fn col_x(tier: u8) -> i32 {
    MARGIN + tier as i32 * (NODE_W + COL_GAP)
}

fn tiers(g: &Graph, order: &Order, out: &mut Layout) {
    let idx: HashMap<&str, usize> = g.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    // Primary parent: the source in the nearest lower column, ties broken by the sorting memory.
    let mut parent: Vec<Option<usize>> = vec![None; g.nodes.len()];
    for e in &g.edges {
        let (Some(&f), Some(&t)) = (idx.get(e.from.as_str()), idx.get(e.to.as_str())) else { continue };
        if g.nodes[f].tier >= g.nodes[t].tier {
            continue;
        }
        let better = match parent[t] {
            None => true,
            Some(p) => {
                let (pt, ft) = (g.nodes[p].tier, g.nodes[f].tier);
                ft > pt || (ft == pt && order.key(&g.nodes[f]) < order.key(&g.nodes[p]))
            }
        };
        if better {
            parent[t] = Some(f);
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); g.nodes.len()];
    let mut roots = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }
    let sort = |v: &mut Vec<usize>| v.sort_by(|&a, &b| order.key(&g.nodes[a]).cmp(&order.key(&g.nodes[b])));
    for c in children.iter_mut() {
        sort(c);
    }
    sort(&mut roots);
    // Bands: a root with its subtree, or a run of childless roots of one column (drawn as a grid).
    let mut y = MARGIN;
    let mut i = 0;
    while i < roots.len() {
        let r = roots[i];
        let mut run = vec![r];
        if children[r].is_empty() {
            while let Some(&n) = roots.get(i + run.len()) {
                if !children[n].is_empty() || g.nodes[n].tier != g.nodes[r].tier {
                    break;
                }
                run.push(n);
            }
        }
        i += run.len();
        // Unconnected elements always fill rows, so where one lands never depends on how many follow.
        let h = if run.len() > 1 { grid(g, &run, GRID_COLS, y, out) } else { subtree(g, &children, r, y, out) };
        y += h + BAND_GAP;
    }
}

/// Leaves in rows of `cols` starting at their column; returns the height used.
fn grid(g: &Graph, ids: &[usize], cols: usize, y: i32, out: &mut Layout) -> i32 {
    let cols = cols.max(1);
    for (k, &i) in ids.iter().enumerate() {
        let x = col_x(g.nodes[i].tier) + (k % cols) as i32 * (NODE_W + ROW_GAP);
        place(out, &g.nodes[i].id, x, y + (k / cols) as i32 * (NODE_H + ROW_GAP), NODE_W, NODE_H);
    }
    let rows = ids.len().div_ceil(cols) as i32;
    rows * (NODE_H + ROW_GAP) - ROW_GAP
}

fn subtree(g: &Graph, children: &[Vec<usize>], i: usize, y: i32, out: &mut Layout) -> i32 {
    place(out, &g.nodes[i].id, col_x(g.nodes[i].tier), y, NODE_W, NODE_H);
    let kids = &children[i];
    if kids.is_empty() {
        return NODE_H;
    }
    let leaves = kids.iter().all(|&k| children[k].is_empty() && g.nodes[k].tier == g.nodes[kids[0]].tier);
    let used = if leaves {
        // A few children stack (their edges stay clear of each other); many wrap into rows.
        grid(g, kids, if kids.len() >= GRID_MIN { GRID_COLS } else { 1 }, y, out)
    } else {
        let mut cy = y;
        for &k in kids {
            cy += subtree(g, children, k, cy, out) + ROW_GAP;
        }
        cy - y - ROW_GAP
    };
    used.max(NODE_H)
}

fn lanes(g: &Graph, order: &Order, out: &mut Layout) {
    let lane_w = LANE_HEAD + LANE_COLS as i32 * (NODE_W + ROW_GAP) + LANE_PAD;
    let mut members: BTreeMap<&str, Vec<&GNode>> = BTreeMap::new();
    for n in g.nodes.iter().filter(|n| !is_lane(n)) {
        if let Some(l) = &n.lane {
            members.entry(l.as_str()).or_default().push(n);
        }
    }
    // Lanes: the control plane, then nodes (memory order, else graph order), the Pending lane last.
    let mut lanes: Vec<(usize, usize, &GNode)> = g
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| is_lane(n))
        .map(|(i, n)| {
            let class = match n.id.as_str() {
                super::views::CONTROL_PLANE_LANE => 0,
                super::views::PENDING_LANE => 2,
                _ => 1,
            };
            (class, order.rank.get(n.id.as_str()).copied().unwrap_or(usize::MAX - g.nodes.len() + i), n)
        })
        .collect();
    lanes.sort_by_key(|(c, r, _)| (*c, *r));
    let mut y = MARGIN;
    for (_, _, lane) in lanes {
        let mut pods = members.remove(lane.id.as_str()).unwrap_or_default();
        pods.sort_by(|a, b| order.key(a).cmp(&order.key(b)));
        let rows = pods.len().div_ceil(LANE_COLS).max(1) as i32;
        let h = rows * (NODE_H + ROW_GAP) - ROW_GAP + 2 * LANE_PAD;
        place(out, &lane.id, MARGIN, y, lane_w, h);
        for (k, p) in pods.iter().enumerate() {
            let x = MARGIN + LANE_HEAD + (k % LANE_COLS) as i32 * (NODE_W + ROW_GAP);
            place(out, &p.id, x, y + LANE_PAD + (k / LANE_COLS) as i32 * (NODE_H + ROW_GAP), NODE_W, NODE_H);
        }
        y += h + ROW_GAP;
    }
}

/// A horizontal S-curve from the right side of the source to the left side of the target.
fn route(g: &Graph, out: &mut Layout) {
    for e in &g.edges {
        let (Some(a), Some(b)) = (out.rects.get(&e.from), out.rects.get(&e.to)) else { continue };
        let (x1, y1) = (a.x + a.w, a.y + a.h / 2);
        let (x2, y2) = (b.x, b.y + b.h / 2);
        let dx = ((x2 - x1).abs() / 2).max(24);
        let d = format!("M{x1} {y1}C{} {y1} {} {y2} {x2} {y2}", x1 + dx, x2 - dx);
        out.edges.insert(e.id.clone(), EdgePath { id: e.id.clone(), d, label_x: (x1 + x2) / 2, label_y: (y1 + y2) / 2 });
    }
}
