//! A hand-written, width-aware layout that reads top-down, so it fits a narrow panel.
//!
//! Tiered views draw each root and its descendants as an outline (a band): the owner on top, its
//! children one indent to the right below it, a run of several leaf siblings wrapping into as
//! many columns as the width allows. Every element hangs under one "primary parent" (the
//! nearest-tier source of an edge into it); tree edges run down a spine left of the children, so
//! they never cross a box. The few other edges (a pod that uses a ConfigMap *and* a Secret) leave
//! and enter their ends on the right, through a channel right of every box they pass; their ends
//! are drawn alone in their row so nothing sits in the way. Cluster view: the control plane on
//! top, then one lane per node (a header strip, its pods in rows below), then the Pending lane and
//! the lane of lesson ghosts.
//!
//! Positions stay put as objects come and go: given the previous layout, elements it already had
//! keep their relative order and new ones are appended after them, so adding an unrelated object
//! never moves anything that was drawn before (at the same width).

use super::{GNode, Graph, NodeKind, View};
use std::collections::{BTreeMap, HashMap};

pub const NODE_W: i32 = 176;
pub const NODE_H: i32 = 46;
/// How far children sit right of their parent; the spine runs at half of it.
pub const INDENT: i32 = 20;
pub const SPINE: i32 = 10;
/// Between columns of a wrapped row.
pub const GAP_X: i32 = 12;
/// Between rows of an outline: room for the edge bus and its labels.
pub const GAP_Y: i32 = 24;
pub const BAND_GAP: i32 = 30;
pub const MARGIN: i32 = 16;
/// Between the channels of edges that run right of the boxes.
pub const CHANNEL_GAP: i32 = 10;
/// The width laid out for when the caller does not say (layout pixels).
pub const DEFAULT_WIDTH: i32 = 640;
/// A control-plane component is a compact chip.
pub const CHIP_H: i32 = 30;
/// A lane's header strip (name, state, pod count).
pub const LANE_HEAD: i32 = 32;
pub const LANE_PAD: i32 = 10;
/// Between pods in a lane (no edges run there).
pub const LANE_GAP: i32 = 10;
const CORNER: i32 = 6;

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
    fn right(&self) -> i32 {
        self.x + self.w
    }
    fn mid_y(&self) -> i32 {
        self.y + self.h / 2
    }
}

/// An edge as an SVG path (`d`, orthogonal with rounded corners) with the point where its label
/// starts (text-anchor start, baseline at `label_y`). `points` is the polyline `d` rounds.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgePath {
    pub id: String,
    pub d: String,
    pub label_x: i32,
    pub label_y: i32,
    pub points: Vec<(i32, i32)>,
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

/// Lays a view's graph out for `DEFAULT_WIDTH`. `prev` is the layout last drawn, if any.
pub fn layout(graph: &Graph, view: View, prev: Option<&Layout>) -> Layout {
    layout_in(graph, view, prev, DEFAULT_WIDTH)
}

/// Lays a view's graph out to fit `width` layout pixels where it can: rows wrap to the width;
/// an outline deeper than the width allows, or channels of cross edges, may make it wider.
pub fn layout_in(graph: &Graph, view: View, prev: Option<&Layout>, width: i32) -> Layout {
    let order = Order::new(prev, view);
    let mut out = Layout { view: Some(view), ..Layout::default() };
    let width = width.max(NODE_W + 2 * MARGIN);
    let extra = match view {
        View::Cluster => {
            lanes(graph, &order, width, &mut out);
            0
        }
        _ => tiers(graph, &order, width, &mut out),
    };
    let (mut w, mut h) = (0, 0);
    for r in out.rects.values() {
        w = w.max(r.x + r.w);
        h = h.max(r.y + r.h);
    }
    out.width = w.max(extra) + MARGIN;
    out.height = h + MARGIN;
    out
}

fn place(out: &mut Layout, id: &str, x: i32, y: i32, w: i32, h: i32) {
    out.rects.insert(id.to_string(), Rect { x, y, w, h });
    out.order.push(id.to_string());
}

/// How many boxes of `NODE_W` fit side by side from `x` within `width` (at least one).
fn cols_at(x: i32, width: i32) -> usize {
    ((width - MARGIN - x + GAP_X) / (NODE_W + GAP_X)).max(1) as usize
}

/// How the edge from a primary parent reaches a child.
#[derive(Clone, Copy, PartialEq)]
enum Entry {
    /// Down the parent's spine, then right into the child's left side.
    Side,
    /// Down the spine, along the gap above the child's row, down into its top.
    Top,
}

struct Tree<'g> {
    g: &'g Graph,
    children: Vec<Vec<usize>>,
    /// Ends of cross edges: drawn alone in their row.
    solo: Vec<bool>,
    entry: HashMap<usize, Entry>,
    width: i32,
}

/// Places the tiered views; returns the right edge of the cross-edge channels (0 if none).
fn tiers(g: &Graph, order: &Order, width: i32, out: &mut Layout) -> i32 {
    let idx: HashMap<&str, usize> = g.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    // Primary parent: the source in the nearest lower tier, ties broken by the sorting memory.
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
    let mut tree = Tree { g, children: vec![Vec::new(); g.nodes.len()], solo: vec![false; g.nodes.len()], entry: HashMap::new(), width };
    let mut roots = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => tree.children[*p].push(i),
            None => roots.push(i),
        }
    }
    let mut cross = Vec::new();
    for e in &g.edges {
        let (Some(&f), Some(&t)) = (idx.get(e.from.as_str()), idx.get(e.to.as_str())) else { continue };
        if parent[t] != Some(f) {
            tree.solo[f] = true;
            tree.solo[t] = true;
            cross.push((e, f, t));
        }
    }
    let sort = |v: &mut Vec<usize>| crate::sort::by(v, |&a, &b| order.key(&g.nodes[a]).cmp(&order.key(&g.nodes[b])));
    for c in tree.children.iter_mut() {
        sort(c);
    }
    sort(&mut roots);
    // Bands: a root with its subtree, or a run of childless roots of one tier (a wrapped row).
    let mut y = MARGIN;
    let mut i = 0;
    while i < roots.len() {
        let r = roots[i];
        let mut run = vec![r];
        if tree.leaf(r) {
            while let Some(&n) = roots.get(i + run.len()) {
                if !tree.leaf(n) || g.nodes[n].tier != g.nodes[r].tier {
                    break;
                }
                run.push(n);
            }
        }
        i += run.len();
        // Unconnected elements always fill rows, so where one lands never depends on how many follow.
        let h = if run.len() > 1 { tree.grid(&run, MARGIN, y, out) } else { tree.subtree(r, MARGIN, y, out) };
        y += h + BAND_GAP;
    }
    // Tree edges.
    for e in &g.edges {
        let (Some(&f), Some(&t)) = (idx.get(e.from.as_str()), idx.get(e.to.as_str())) else { continue };
        if parent[t] != Some(f) {
            continue;
        }
        let (a, b) = (out.rects[&g.nodes[f].id], out.rects[&g.nodes[t].id]);
        let sx = a.x + SPINE;
        let (points, label) = match tree.entry.get(&t).copied().unwrap_or(Entry::Side) {
            Entry::Side => (vec![(sx, a.y + a.h), (sx, b.mid_y()), (b.x, b.mid_y())], (b.x + 4, b.y - 6)),
            Entry::Top => {
                let (cx, bus) = (b.x + b.w / 2, b.y - GAP_Y + 7);
                (vec![(sx, a.y + a.h), (sx, bus), (cx, bus), (cx, b.y)], (cx + 5, b.y - 4))
            }
        };
        add_edge(out, &e.id, points, label);
    }
    // Cross edges: right out of the source, down (or up) a channel clear of every box, left in.
    let mut used: Vec<(i32, i32, i32)> = Vec::new();
    let mut right = 0;
    for (e, f, t) in cross {
        let (a, b) = (out.rects[&g.nodes[f].id], out.rects[&g.nodes[t].id]);
        let (top, bottom) = (a.y.min(b.y), (a.y + a.h).max(b.y + b.h));
        let clear = out.rects.values().filter(|r| r.y < bottom && r.y + r.h > top).map(|r| r.right()).max().unwrap_or(0);
        let mut x = clear + 16;
        while used.iter().any(|&(ux, t0, b0)| t0 < bottom && b0 > top && (ux - x).abs() < CHANNEL_GAP) {
            x += CHANNEL_GAP;
        }
        used.push((x, top, bottom));
        right = right.max(x);
        let (ya, yb) = (a.mid_y(), b.mid_y());
        add_edge(out, &e.id, vec![(a.right(), ya), (x, ya), (x, yb), (b.right(), yb)], (x + 4, (ya + yb) / 2 + 4));
    }
    right
}

impl Tree<'_> {
    /// A leaf that may share its row: no children and no cross edge.
    fn leaf(&self, i: usize) -> bool {
        self.children[i].is_empty() && !self.solo[i]
    }

    /// Boxes in rows of as many as fit from `x`; returns the height used.
    fn grid(&mut self, ids: &[usize], x: i32, y: i32, out: &mut Layout) -> i32 {
        let cols = cols_at(x, self.width);
        for (k, &i) in ids.iter().enumerate() {
            let bx = x + (k % cols) as i32 * (NODE_W + GAP_X);
            place(out, &self.g.nodes[i].id, bx, y + (k / cols) as i32 * (NODE_H + GAP_Y), NODE_W, NODE_H);
        }
        let rows = ids.len().div_ceil(cols) as i32;
        rows * (NODE_H + GAP_Y) - GAP_Y
    }

    /// An element with its descendants below it, indented; returns the height used.
    fn subtree(&mut self, i: usize, x: i32, y: i32, out: &mut Layout) -> i32 {
        place(out, &self.g.nodes[i].id, x, y, NODE_W, NODE_H);
        let kids = self.children[i].clone();
        let (cx, mut cy) = (x + INDENT, y + NODE_H + GAP_Y);
        let mut k = 0;
        while k < kids.len() {
            // A run of leaves wraps into rows (entered from above) when more than one fits a row.
            let run = kids[k..].iter().take_while(|&&c| self.leaf(c)).count();
            if run >= 2 && cols_at(cx, self.width) >= 2 {
                for &c in &kids[k..k + run] {
                    self.entry.insert(c, Entry::Top);
                }
                cy += self.grid(&kids[k..k + run], cx, cy, out) + GAP_Y;
                k += run;
            } else {
                let c = kids[k];
                self.entry.insert(c, Entry::Side);
                cy += self.subtree(c, cx, cy, out) + GAP_Y;
                k += 1;
            }
        }
        if kids.is_empty() { NODE_H } else { cy - GAP_Y - y }
    }
}

fn add_edge(out: &mut Layout, id: &str, points: Vec<(i32, i32)>, (label_x, label_y): (i32, i32)) {
    let d = rounded(&points);
    out.edges.insert(id.to_string(), EdgePath { id: id.to_string(), d, label_x, label_y, points });
}

/// SVG path through `points` with each corner rounded (radius at most half the shorter leg).
fn rounded(p: &[(i32, i32)]) -> String {
    let mut d = match p.first() {
        Some((x, y)) => format!("M{x} {y}"),
        None => return String::new(),
    };
    for w in 1..p.len() {
        let (x, y) = p[w];
        if w + 1 == p.len() {
            d.push_str(&format!("L{x} {y}"));
            break;
        }
        let (px, py) = p[w - 1];
        let (nx, ny) = p[w + 1];
        let leg = |ax: i32, ay: i32| (ax - x).abs().max((ay - y).abs());
        let r = CORNER.min(leg(px, py) / 2).min(leg(nx, ny) / 2);
        let toward = |ax: i32, ay: i32| (x + (ax - x).signum() * r, y + (ay - y).signum() * r);
        let (ax, ay) = toward(px, py);
        let (bx, by) = toward(nx, ny);
        d.push_str(&format!("L{ax} {ay}Q{x} {y} {bx} {by}"));
    }
    d
}

fn lanes(g: &Graph, order: &Order, width: i32, out: &mut Layout) {
    let inner = MARGIN + LANE_PAD;
    let cols = cols_at(inner + LANE_PAD, width);
    let lane_w = 2 * LANE_PAD + cols as i32 * (NODE_W + GAP_X) - GAP_X;
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
                super::views::GOAL_LANE => 3,
                _ => 1,
            };
            (class, order.rank.get(n.id.as_str()).copied().unwrap_or(usize::MAX - g.nodes.len() + i), n)
        })
        .collect();
    crate::sort::by_key(&mut lanes, |(c, r, _)| (*c, *r));
    let mut y = MARGIN;
    for (_, _, lane) in lanes {
        let mut pods = members.remove(lane.id.as_str()).unwrap_or_default();
        crate::sort::by(&mut pods, |a, b| order.key(a).cmp(&order.key(b)));
        let item_h = if pods.iter().all(|p| p.kind == NodeKind::Component) { CHIP_H } else { NODE_H };
        let rows = pods.len().div_ceil(cols) as i32;
        let h = LANE_HEAD + if rows > 0 { rows * (item_h + LANE_GAP) - LANE_GAP + LANE_PAD } else { 0 };
        place(out, &lane.id, MARGIN, y, lane_w, h);
        for (k, p) in pods.iter().enumerate() {
            let x = inner + (k % cols) as i32 * (NODE_W + GAP_X);
            place(out, &p.id, x, y + LANE_HEAD + (k / cols) as i32 * (item_h + LANE_GAP), NODE_W, item_h);
        }
        y += h + LANE_GAP;
    }
}
