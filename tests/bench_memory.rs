//! `kubelab bench`'s heap counting, with its allocator installed as the native binary installs
//! it. One test: the counters are global, and tests in one binary run in parallel.

use kubelab::bench::{cluster_with_nodes, memory::{measure, Counting}};
use serde_json::json;

#[global_allocator]
static ALLOC: Counting = Counting;

#[test]
fn counts_what_a_run_holds_and_its_map_nodes_apart() {
    // A plain block, held.
    let (v, u) = measure(|| vec![7u8; 10_000]);
    let u = u.expect("Counting is the allocator here");
    assert!(u.held_bytes >= 10_000 && u.held_blocks >= 1, "{u:?}");
    assert_eq!(u.held_map_bytes, 0, "{u:?}");
    drop(v);

    // A map of one entry: its key's one byte and one map node, counted apart.
    let (m, u) = measure(|| json!({"a": 1}));
    let u = u.expect("counted");
    assert_eq!(u.held_bytes - u.held_map_bytes, 1, "{u:?}");
    assert!(u.held_map_bytes >= 100, "a B-tree leaf has room for eleven entries: {u:?}");
    let leaf = u.held_map_bytes;
    // Made and freed within the run: allocated, not held.
    let (_, u) = measure(move || drop(m));
    assert_eq!((u.expect("counted").held_bytes, u.expect("counted").held_map_bytes), (-1 - leaf, -leaf));

    // A settle: the cluster holds its new pods and events, a pod alone some thirty maps.
    let mut c = cluster_with_nodes(2);
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 10\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n";
    let (out, u) = measure(|| kubelab::kubectl::execute(&mut c, "kubectl apply -f -", Some(yaml), &|_| None));
    assert_eq!(out.exit_code, 0);
    let u = u.expect("counted");
    assert!(u.allocated_bytes > u.held_bytes && u.held_bytes > 10 * 10_000, "{u:?}");
    assert!(u.held_map_bytes >= 10 * 20 * leaf, "ten pods hold over 200 map nodes: {u:?}");
}
