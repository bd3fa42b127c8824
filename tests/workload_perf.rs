//! Issue 8 timings for workloads: a Deployment of 1,000 (≤ 50 ms) and 10,000 (≤ 1 s) replicas on
//! 100 nodes must settle fast. Meaningful only optimised:
//! `cargo test --release --no-default-features --test workload_perf -- --ignored --nocapture`.

use kubelab::model::api::{create, Caller};
use kubelab::model::{Cluster, Kind};
use kubelab::value::json;
use std::time::Instant;

fn run(replicas: i64) -> u128 {
    let mut c = Cluster::new();
    for i in 0..100 {
        let n = json!({"apiVersion":"v1","kind":"Node","metadata":{"name":format!("node-{i:03}"),"labels":{"kubernetes.io/hostname":format!("node-{i:03}")}},
            "status":{"allocatable":{"cpu":"64","memory":"256Gi","pods":"500"},"capacity":{"cpu":"64","memory":"256Gi","pods":"500"}}});
        let _ = create(&mut c, n, Caller::Controller);
    }
    c.settle();
    let d = json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
        "spec":{"replicas":replicas,"selector":{"matchLabels":{"app":"web"}},
        "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}});
    create(&mut c, d, Caller::admin()).unwrap();
    let t = Instant::now();
    c.settle();
    let ms = t.elapsed().as_millis();
    let pods = c.store.list(Kind::Pod).filter(|p| p.pointer("/metadata/labels/app") == Some(&json!("web"))).count();
    assert_eq!(pods as i64, replicas);
    println!("{replicas} replicas on 100 nodes: settle {ms} ms");
    ms
}

#[test]
#[ignore]
fn thousand_replicas_within_50ms() {
    run(200); // warm-up
    let ms = run(1000);
    assert!(ms <= 50, "{ms} ms");
}

#[test]
#[ignore]
fn ten_thousand_replicas_within_1s() {
    let ms = run(10_000);
    assert!(ms <= 1000, "{ms} ms");
}
