//! `kubelab bench`'s heap counting, with its allocator installed as the native binary installs
//! it. One test: the counters are global, and tests in one binary run in parallel.

use kubelab::bench::{cluster_with_nodes, memory::{measure, Counting}};
use kubelab::value::json;

#[global_allocator]
static ALLOC: Counting = Counting;

#[test]
fn counts_what_a_run_holds() {
    // A plain block, held.
    let (v, u) = measure(|| vec![7u8; 10_000]);
    let u = u.expect("Counting is the allocator here");
    assert!(u.held_bytes >= 10_000 && u.held_blocks >= 1, "{u:?}");
    drop(v);

    // A map of one entry is one block of one entry: its short key is kept inline.
    let entry = std::mem::size_of::<(kubelab::value::MapKey, kubelab::value::Value)>() as i64;
    let (m, u) = measure(|| json!({"a": 1}));
    let u = u.expect("counted");
    assert_eq!((u.held_blocks, u.held_bytes), (1, entry), "{u:?}");
    // Made and freed within the run: allocated, not held.
    let (_, u) = measure(move || drop(m));
    assert_eq!(u.map(|u| (u.held_blocks, u.held_bytes)), Some((-1, -entry)));

    // A settle: the cluster holds its new pods and events, a pod alone some thirty maps.
    let mut c = cluster_with_nodes(2);
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 10\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n";
    let (out, u) = measure(|| kubelab::kubectl::execute(&mut c, "kubectl apply -f -", Some(yaml), &|_| None));
    assert_eq!(out.exit_code, 0);
    let u = u.expect("counted");
    assert!(u.allocated_bytes > u.held_bytes && u.held_bytes > 10 * 5_000, "{u:?}");
    assert!(u.held_blocks > 10 * 30, "ten pods hold over 300 blocks: {u:?}");
}
