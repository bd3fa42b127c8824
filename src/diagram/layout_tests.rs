//! Native tests of the layout: no overlaps, every element and edge inside the bounds, no edge
//! through a box, owners above their children, a Deployment of 3 fitting a lesson's panel, the
//! narrow (phone) width, stable positions at every width, and layout timings.

use super::tests::{g, meta, mixed, mixed_links, node, owned, pending_pod, running_pod};
use super::*;
use crate::model::links::{generic_links, Link, LinkKind};
use crate::model::Key;
use crate::value::json;

/// Panel widths the page lays out for: a phone, the lesson page's diagram column, a wide playground.
const WIDTHS: [i32; 3] = [340, 640, 1000];

fn assert_no_overlaps(gr: &Graph, l: &Layout) {
    assert_eq!(l.rects.len(), gr.nodes.len(), "every element is placed");
    let items: Vec<(&String, &Rect)> = l.rects.iter().filter(|(id, _)| gr.node(id).is_some_and(|n| !layout::is_lane(n))).collect();
    for (i, (a, ra)) in items.iter().enumerate() {
        for (b, rb) in &items[i + 1..] {
            assert!(!ra.overlaps(rb), "{a} {ra:?} overlaps {b} {rb:?}");
        }
    }
    let lanes: Vec<&GNode> = gr.nodes.iter().filter(|n| layout::is_lane(n)).collect();
    for (i, a) in lanes.iter().enumerate() {
        for b in &lanes[i + 1..] {
            assert!(!l.rects[&a.id].overlaps(&l.rects[&b.id]), "lanes {} and {} overlap", a.id, b.id);
        }
    }
    for n in &gr.nodes {
        if let Some(lane) = &n.lane {
            assert!(l.rects[lane].contains(&l.rects[&n.id]), "{} sticks out of {lane}", n.id);
        }
    }
}

/// `n` pods across two Deployments, a few standalone and pending ones, on `nodes` workers.
fn big(n: usize, nodes: usize) -> Store {
    let mut s = Store::default();
    for i in 0..nodes {
        s.put(node(&format!("worker-{i}"), false));
    }
    for d in ["api", "web"] {
        s.put(meta("Deployment", "default", d, &format!("d-{d}")));
        s.put(owned(meta("ReplicaSet", "default", &format!("{d}-5f7b"), &format!("r-{d}")), "Deployment", d, &format!("d-{d}")));
    }
    for i in 0..n {
        let p = if i % 10 == 9 { pending_pod("default", &format!("solo-{i:04}"), &format!("u{i}")) } else {
            let d = if i % 2 == 0 { "api" } else { "web" };
            let pod = running_pod("default", &format!("{d}-5f7b-{i:05}"), &format!("u{i}"), &format!("worker-{}", i % nodes.max(1)));
            owned(pod, "ReplicaSet", &format!("{d}-5f7b"), &format!("r-{d}"))
        };
        s.put(p);
    }
    s
}

/// Every element and every edge point lies inside the drawing (`0..width`, `0..height`).
fn assert_inside(l: &Layout, what: &str) {
    for (id, r) in &l.rects {
        assert!(r.x >= 0 && r.y >= 0 && r.x + r.w <= l.width && r.y + r.h <= l.height, "{what}: {id} {r:?} outside {}x{}", l.width, l.height);
    }
    for (id, e) in &l.edges {
        for &(x, y) in &e.points {
            assert!((0..=l.width).contains(&x) && (0..=l.height).contains(&y), "{what}: edge {id} point ({x},{y}) outside");
        }
        assert!(e.label_x >= 0 && e.label_x < l.width && e.label_y > 0 && e.label_y <= l.height, "{what}: label of {id} outside");
    }
}

/// No edge segment runs through the inside of any box (its ends touch their boxes' borders only).
fn assert_edges_clear(gr: &Graph, l: &Layout, what: &str) {
    let boxes: Vec<(&String, &Rect)> = l.rects.iter().filter(|(id, _)| gr.node(id).is_some_and(|n| !layout::is_lane(n))).collect();
    for (eid, e) in &l.edges {
        assert!(e.points.len() >= 2, "{what}: edge {eid} has a path");
        for w in e.points.windows(2) {
            let ((x1, y1), (x2, y2)) = (w[0], w[1]);
            assert!(x1 == x2 || y1 == y2, "{what}: edge {eid} segments are horizontal or vertical");
            for (bid, r) in &boxes {
                let crosses = if y1 == y2 {
                    r.y < y1 && y1 < r.y + r.h && x1.max(x2) > r.x && x1.min(x2) < r.x + r.w
                } else {
                    r.x < x1 && x1 < r.x + r.w && y1.max(y2) > r.y && y1.min(y2) < r.y + r.h
                };
                assert!(!crosses, "{what}: edge {eid} runs through {bid} {r:?} ({x1},{y1})-({x2},{y2})");
            }
        }
    }
}

fn assert_sound(gr: &Graph, l: &Layout, what: &str) {
    assert_no_overlaps(gr, l);
    assert_inside(l, what);
    assert_edges_clear(gr, l, what);
    assert_eq!(l.edges.len(), gr.edges.len(), "{what}: every edge is drawn");
}

#[test]
fn no_overlaps_every_element_inside_no_edge_through_a_box() {
    for width in WIDTHS {
        for view in View::ALL {
            let (_, gr) = g(view);
            assert!(!gr.nodes.is_empty(), "{view:?} shows something");
            assert_sound(&gr, &layout_in(&gr, view, None, width), &format!("{view:?} at {width}"));
        }
    }
    let s = big(100, 3);
    for view in [View::Cluster, View::Ownership] {
        let gr = graph(&s, view, &Options::default());
        assert_eq!(gr.nodes.iter().filter(|n| n.kind == NodeKind::Object(Kind::Pod)).count(), 100);
        for width in WIDTHS {
            assert_sound(&gr, &layout_in(&gr, view, None, width), &format!("100 pods, {view:?} at {width}"));
        }
        // Readable at 100 pods on a wide screen: pods wrap into rows instead of one very long column.
        let l = layout_in(&gr, view, None, 1000);
        assert!(l.height < 2600, "{view:?} is {}px tall", l.height);
    }
}

/// The graph of lesson 05 after its first step: a Deployment, its ReplicaSet, three pods.
fn deployment_of_3() -> Graph {
    let mut s = Store::default();
    for o in [
        node("node01", false),
        node("node02", false),
        meta("Deployment", "default", "web", "d1"),
        owned(meta("ReplicaSet", "default", "web-c68c68797", "r1"), "Deployment", "web", "d1"),
    ] {
        s.put(o).unwrap();
    }
    for (i, p) in ["4qv7q", "dwtvw", "q8tfv"].iter().enumerate() {
        let pod = running_pod("default", &format!("web-c68c68797-{p}"), &format!("p{i}"), if i == 1 { "node02" } else { "node01" });
        s.put(owned(pod, "ReplicaSet", "web-c68c68797", "r1")).unwrap();
    }
    graph(&s, View::Ownership, &Options::default())
}

#[test]
fn a_deployment_of_3_reads_top_down_and_fits_a_lesson_panel() {
    let gr = deployment_of_3();
    let l = layout_in(&gr, View::Ownership, None, 640);
    assert_sound(&gr, &l, "deployment of 3");
    let pods: Vec<Rect> = gr.nodes.iter().filter(|n| n.kind == NodeKind::Object(Kind::Pod)).map(|n| l.rects[&n.id]).collect();
    assert_eq!(pods.len(), 3);
    // The whole picture fits 640 layout px (a 550 px panel drawn at 86 %), the pods in one row.
    assert!(l.width <= 640, "{} px wide", l.width);
    assert!(pods.iter().all(|p| p.y == pods[0].y), "the three pods share a row: {pods:?}");
    let (d, rs) = (l.rects["Deployment/default/web"], l.rects["ReplicaSet/default/web-c68c68797"]);
    assert!(d.y + d.h < rs.y && rs.y + rs.h < pods[0].y, "Deployment above ReplicaSet above Pods");
    assert!(d.x < rs.x && rs.x < pods[0].x, "each level indented");
    // On a phone the same picture fits 340 px: the pods wrap one under another.
    let narrow = layout_in(&gr, View::Ownership, None, 340);
    assert_sound(&gr, &narrow, "deployment of 3 on a phone");
    assert!(narrow.width <= 340, "{} px wide on a phone", narrow.width);
}

#[test]
fn owners_sit_above_their_children_in_every_view() {
    for width in WIDTHS {
        for view in View::ALL.into_iter().filter(|v| *v != View::Cluster) {
            let (_, gr) = g(view);
            let l = layout_in(&gr, view, None, width);
            for e in &gr.edges {
                let (a, b) = (l.rects[&e.from], l.rects[&e.to]);
                let p = &l.edges[&e.id].points;
                // Tree edges leave the owner's bottom; cross edges leave its right side.
                if p[0].1 == a.y + a.h {
                    assert!(b.y > a.y + a.h && b.x > a.x, "{view:?} at {width}: {} is not below and right of {}", e.to, e.from);
                } else {
                    assert_eq!(p[0], (a.x + a.w, a.y + a.h / 2), "{view:?}: {} leaves from the right", e.id);
                }
            }
        }
    }
}

#[test]
fn narrow_panels_fit_every_lesson_sized_view() {
    // The mixed cluster is what a lesson shows at most: at phone width everything but cross-edge
    // channels fits; the cluster view's lanes hold one pod per row.
    for view in View::ALL {
        let (_, gr) = g(view);
        let l = layout_in(&gr, view, None, 340);
        let boxes = l.rects.values().map(|r| r.x + r.w).max().unwrap_or(0);
        assert!(boxes + layout::MARGIN <= 340, "{view:?}: boxes reach {boxes}");
    }
    let (_, gr) = g(View::Cluster);
    let wide = layout_in(&gr, View::Cluster, None, 1000);
    let lane = wide.rects["Node//worker-2"];
    assert!(lane.w <= 1000 - 2 * layout::MARGIN && lane.w > 3 * layout::NODE_W, "lanes use the width: {lane:?}");
}

#[test]
fn positions_stay_when_an_unrelated_object_is_added() {
    for (view, width) in View::ALL.into_iter().flat_map(|v| WIDTHS.map(|w| (v, w))) {
        let mut s = mixed();
        let links = mixed_links(&s);
        let g1 = graph_with_links(&s, view, &Options::default(), &links);
        let l1 = layout_in(&g1, view, None, width);
        // A Deployment that sorts before everything, with its ReplicaSet and two pods (one Pending),
        // plus a ConfigMap and a PVC nothing uses.
        s.put({
            let mut d = meta("Deployment", "default", "aaa", "dA");
            d["spec"] = json!({"replicas": 2});
            d
        });
        s.put(owned(meta("ReplicaSet", "default", "aaa-1", "rA"), "Deployment", "aaa", "dA"));
        s.put(owned(running_pod("default", "aaa-1-x", "pA", "worker-1"), "ReplicaSet", "aaa-1", "rA"));
        s.put(owned(pending_pod("default", "aaa-1-y", "pB"), "ReplicaSet", "aaa-1", "rA"));
        s.put(meta("ConfigMap", "default", "aaa-unused", "cmA"));
        s.put(meta("PersistentVolumeClaim", "default", "aaa-claim", "cA"));
        let mut links2 = links.clone();
        links2.retain(|l| l.kind != LinkKind::Owns && l.kind != LinkKind::ScheduledOn);
        generic_links(&s, &mut links2);
        let g2 = graph_with_links(&s, view, &Options::default(), &links2);
        assert!(g2.nodes.len() > g1.nodes.len() || view == View::Networking || view == View::Rbac, "{view:?} grew");
        let l2 = layout_in(&g2, view, Some(&l1), width);
        assert_sound(&g2, &l2, &format!("{view:?} at {width} after adding"));
        // A lane grows downwards to hold a new pod (pushing the lanes below it down): in the
        // cluster view every lane keeps its order and x, and every pod its place in its lane.
        let lane_top = |l: &Layout, gr: &Graph, id: &str| gr.node(id).and_then(|n| n.lane.clone()).map_or(0, |lane| l.rects[&lane].y);
        for (id, r) in &l1.rects {
            let r2 = l2.rects[id];
            if g1.node(id).is_some_and(layout::is_lane) {
                assert_eq!((r.x, r.w), (r2.x, r2.w), "{view:?} at {width}: lane {id} moved");
            } else if view == View::Cluster {
                let (y1, y2) = (r.y - lane_top(&l1, &g1, id), r2.y - lane_top(&l2, &g2, id));
                assert_eq!((r.x, y1, r.w, r.h), (r2.x, y2, r2.w, r2.h), "{view:?} at {width}: {id} moved in its lane");
            } else {
                assert_eq!(*r, r2, "{view:?} at {width}: {id} moved");
            }
        }
        let lanes = |l: &Layout, gr: &Graph| {
            let mut v: Vec<(i32, String)> = gr.nodes.iter().filter(|n| layout::is_lane(n) && g1.node(&n.id).is_some()).map(|n| (l.rects[&n.id].y, n.id.clone())).collect();
            v.sort();
            v.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        };
        assert_eq!(lanes(&l1, &g1), lanes(&l2, &g2), "{view:?} at {width}: lanes keep their order");
        // Without the memory the layout is still a pure function of the graph.
        assert_eq!(layout_in(&g2, view, None, width), layout_in(&g2, view, None, width));
    }
}

/// Layout timings for 10/100/1,000 pods (printed, not asserted: run with `--nocapture`).
#[test]
fn layout_timings() {
    for (pods, nodes) in [(10, 2), (100, 3), (1000, 100)] {
        let s = big(pods, nodes);
        for view in [View::Cluster, View::Ownership] {
            let runs = 5;
            let (mut tg, mut tl, mut size) = (std::time::Duration::ZERO, std::time::Duration::ZERO, 0);
            for _ in 0..runs {
                let t = std::time::Instant::now();
                let gr = graph(&s, view, &Options::default());
                tg += t.elapsed();
                let t = std::time::Instant::now();
                let l = layout(&gr, view, None);
                tl += t.elapsed();
                size = l.rects.len() + l.edges.len();
            }
            println!("diagram {view:?}: {pods} pods on {nodes} nodes → {size} shapes; graph {:?}, layout {:?}", tg / runs, tl / runs);
        }
    }
}

#[test]
fn cross_edges_run_right_of_every_box_and_their_ends_sit_alone() {
    // A pod that uses a ConfigMap and a Secret, and two Services that select the same pods.
    let mut s = mixed();
    s.put({
        let mut v = meta("Service", "default", "web-canary", "svc2");
        v["spec"] = json!({"selector": {"app": "web"}, "ports": [{"port": 81, "targetPort": 8081}]});
        v
    })
    .unwrap();
    let mut links = mixed_links(&s);
    let web = |p: &str| Key::new(Kind::Pod, "default", &format!("web-7c5ddbdf54-{p}"));
    let uses = Link { from: web("abcde"), to: Some(Key::new(Kind::Secret, "default", "db-pass")), target: String::new(), kind: LinkKind::Uses, reason: "env".into(), broken: false };
    links.push(uses);
    for p in ["abcde", "fghij"] {
        let sel = Link { from: Key::new(Kind::Service, "default", "web-canary"), to: Some(web(p)), target: String::new(), kind: LinkKind::Selects, reason: "selector".into(), broken: false };
        links.push(sel);
    }
    for view in [View::Config, View::Networking] {
        let gr = graph_with_links(&s, view, &Options::default(), &links);
        for width in WIDTHS {
            let l = layout_in(&gr, view, None, width);
            let what = format!("{view:?} at {width}");
            assert_sound(&gr, &l, &what);
            let cross: Vec<&EdgePath> = l.edges.values().filter(|e| e.points[0].1 != l.rects[&gr.edges.iter().find(|g| g.id == e.id).unwrap().from].y + layout::NODE_H).collect();
            assert!(!cross.is_empty(), "{what}: some edge is a cross edge");
            // Channels of cross edges that overlap vertically never share an x.
            for (i, a) in cross.iter().enumerate() {
                for b in &cross[i + 1..] {
                    let span = |e: &EdgePath| (e.points[1].1.min(e.points[2].1), e.points[1].1.max(e.points[2].1));
                    let ((a0, a1), (b0, b1)) = (span(a), span(b));
                    if a0 < b1 && b0 < a1 {
                        assert_ne!(a.points[1].0, b.points[1].0, "{what}: {} and {} share a channel", a.id, b.id);
                    }
                }
            }
        }
    }
}
