//! Benchmarks that print numbers (`kubelab bench`): simulator settle times by size, the manifest
//! path (parse → validate → apply → layout), RBAC checks and the share codec. Budgets live in
//! BENCHMARKS.md and are read by people, not asserted by timed tests.

pub mod memory;

use crate::diagram;
use crate::kubectl;
use crate::model::api::{create, update_status, Caller};
use crate::model::{Cluster, Key, Kind};
use crate::value::json;
use std::time::Instant;

/// One measured figure.
#[derive(Clone, Debug)]
pub struct Figure {
    pub name: String,
    pub millis: f64,
    pub note: String,
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed().as_secs_f64() * 1000.0)
}

/// A cluster with `n` extra schedulable worker nodes (4 CPU, 16 GiB, 110 pods each).
pub fn cluster_with_nodes(n: usize) -> Cluster {
    let mut c = Cluster::new();
    for i in 0..n {
        let name = format!("bench-{i:03}");
        let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name,
            "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}}, "spec": {"podCIDR": format!("10.245.{}.0/24", i % 256)}});
        if create(&mut c, node, Caller::Controller).is_ok() {
            let res = json!({"cpu": "4", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi"});
            let status = json!({"capacity": res, "allocatable": res,
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
                "addresses": [{"type": "InternalIP", "address": format!("172.18.{}.{}", 1 + i / 250, 2 + i % 250)}]});
            update_status(&mut c, &Key::new(Kind::Node, "", &name), status);
        }
    }
    c.settle();
    c
}

fn run(c: &mut Cluster, line: &str, stdin: Option<&str>) -> kubectl::CmdOutput {
    kubectl::execute(c, line, stdin, &|_| None)
}

fn deployment(replicas: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        resources:\n          requests:\n            cpu: 10m\n            memory: 16Mi\n"
    )
}

/// Time to apply a Deployment of `replicas` on `nodes` nodes and settle (pods created and bound),
/// then to advance until they run; and the settle again in a warm process (below).
pub fn settle_deployment(replicas: usize, nodes: usize) -> Vec<Figure> {
    let mut c = cluster_with_nodes(nodes);
    let yaml = deployment(replicas);
    let (out, apply_ms) = time(|| run(&mut c, "kubectl apply -f -", Some(&yaml)));
    let pods = c.store.list_ns(Kind::Pod, "default").count();
    let bound = c.store.list_ns(Kind::Pod, "default").filter(|p| p.get("spec").and_then(|s| s.get("nodeName")).is_some()).count();
    let (_, adv_ms) = time(|| c.advance(30_000));
    let running = c
        .store
        .list_ns(Kind::Pod, "default")
        .filter(|p| p.pointer("/status/phase").and_then(|v| v.as_str()) == Some("Running"))
        .count();
    // What every editor keystroke pays before it applies (the workbench applies on a copy).
    // Copy-on-write: the copy is cheap, its first write copies the store's maps (not the objects).
    let n = 20;
    let (copies, clone_ms) = time(|| (0..n).map(|_| c.clone()).collect::<Vec<_>>());
    let objects = copies[0].store.len();
    drop(copies);
    let ns = Key::new(Kind::Namespace, "", "default");
    let (copies, write_ms) = time(|| {
        (0..n)
            .map(|i| {
                let mut copy = c.clone();
                update_status(&mut copy, &ns, json!({"phase": format!("Active{i}")}));
                copy
            })
            .collect::<Vec<_>>()
    });
    drop(copies);
    drop(c);
    // The figure above is the process's first settle of this size, whose allocations take fresh
    // pages from the kernel (18,000 page faults at 1,000 replicas, a quarter of its time on this
    // VM). A page that has run a cluster before reuses the memory it freed: the same apply and
    // settle, each on a fresh cluster after the last one is dropped; the median of the runs.
    let runs = if replicas >= 10_000 { 3 } else { 5 };
    let mut warm: Vec<f64> = (0..runs)
        .map(|_| {
            let mut c = cluster_with_nodes(nodes);
            time(|| run(&mut c, "kubectl apply -f -", Some(&yaml))).1
        })
        .collect();
    warm.sort_by(f64::total_cmp);
    // Once more, untimed, counting the heap (when the binary counts it): what the settled
    // cluster holds more than the bare one.
    let held = {
        let mut c = cluster_with_nodes(nodes);
        let (_, usage) = memory::measure(|| drop(run(&mut c, "kubectl apply -f -", Some(&yaml))));
        usage
    };
    let mut figures = vec![
        Figure {
            name: format!("apply+settle Deployment {replicas} replicas on {nodes} nodes"),
            millis: apply_ms,
            note: format!("exit {}, {pods} pods created, {bound} scheduled", out.exit_code),
        },
        Figure { name: format!("advance 30s with {replicas} pods"), millis: adv_ms, note: format!("{running} Running") },
        Figure { name: format!("Cluster::clone with {replicas} pods"), millis: clone_ms / n as f64, note: format!("{objects} objects") },
        Figure { name: format!("Cluster::clone + first write, {replicas} pods"), millis: write_ms / n as f64, note: "copies the maps, not the objects".into() },
        Figure {
            name: format!("apply+settle Deployment {replicas} replicas, warm"),
            millis: warm[runs / 2],
            note: format!("median of {runs} (min {:.2}, max {:.2}), memory reused", warm[0], warm[runs - 1]),
        },
    ];
    if let Some(u) = held {
        figures.push(Figure { name: format!("memory held after apply+settle, {replicas} replicas"), millis: f64::NAN, note: memory::describe(&u, replicas, "replica") });
    }
    figures
}

pub fn settle_statefulset(replicas: usize) -> Figure {
    let mut c = Cluster::new();
    let yaml = format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector:\n    app: db\n  ports:\n  - port: 5432\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: {replicas}\n  podManagementPolicy: Parallel\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: pg\n        image: postgres:17\n"
    );
    let (_, ms) = time(|| {
        run(&mut c, "kubectl apply -f -", Some(&yaml));
        c.advance(60_000);
    });
    let pods = c.store.list_ns(Kind::Pod, "default").count();
    Figure { name: format!("StatefulSet of {replicas} (Parallel), apply + advance 60s"), millis: ms, note: format!("{pods} pods") }
}

pub fn cronjob_day() -> Figure {
    let mut c = Cluster::new();
    let yaml = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox:1.36\n            command: [\"sh\", \"-c\", \"date\"]\n";
    run(&mut c, "kubectl apply -f -", Some(yaml));
    let (_, ms) = time(|| c.advance(24 * 3600 * 1000));
    let jobs = c.store.list_ns(Kind::Job, "default").count();
    Figure { name: "CronJob */5 over a simulated day".into(), millis: ms, note: format!("{jobs} Jobs kept (history limits)") }
}

pub fn rbac_checks(bindings: usize) -> Figure {
    let mut c = Cluster::new();
    let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\", \"list\"]\n";
    run(&mut c, "kubectl apply -f -", Some(role));
    // A manifest holds at most 500 documents, so the bindings go in batches.
    let mut yaml = String::new();
    for i in 0..bindings {
        if i % 400 == 0 && !yaml.is_empty() {
            run(&mut c, "kubectl apply -f -", Some(&yaml));
            yaml.clear();
        }
        yaml.push_str(&format!(
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b{i}\nsubjects:\n- kind: User\n  name: user{i}\n  apiGroup: rbac.authorization.k8s.io\nroleRef:\n  kind: Role\n  name: reader\n  apiGroup: rbac.authorization.k8s.io\n"
        ));
    }
    run(&mut c, "kubectl apply -f -", Some(&yaml));
    let n = 200;
    let (answers, ms) = time(|| {
        (0..n)
            .map(|i| run(&mut c, &format!("kubectl auth can-i list pods --as user{}", i * (bindings / n).max(1)), None).exit_code)
            .filter(|&e| e == 0)
            .count()
    });
    Figure { name: format!("auth can-i against {bindings} RoleBindings"), millis: ms / n as f64, note: format!("per check; {answers}/{n} yes") }
}

/// A manifest of about `lines` lines: Deployments with Services.
pub fn manifest_of(lines: usize) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.lines().count() < lines {
        s.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  labels:\n    app: app{i}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app{i}\n  template:\n    metadata:\n      labels:\n        app: app{i}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app{i}\nspec:\n  selector:\n    app: app{i}\n  ports:\n  - port: 80\n"
        ));
        i += 1;
    }
    s
}

pub fn manifest_path(lines: usize) -> Vec<Figure> {
    let text = manifest_of(lines);
    let n = text.lines().count();
    let (diags, check_ms) = time(|| crate::manifest::check(&text));
    let mut c = Cluster::new();
    let (out, apply_ms) = time(|| run(&mut c, "kubectl apply -f -", Some(&text)));
    let (g, layout_ms) = time(|| {
        let g = diagram::graph(&c.store, diagram::View::Cluster, &diagram::Options::default());
        diagram::layout::layout(&g, diagram::View::Cluster, None);
        g
    });
    let (_, links_ms) = time(|| crate::model::links::links(&c.store));
    vec![
        Figure { name: format!("{n}-line manifest: parse + validate"), millis: check_ms, note: format!("{} diagnostics", diags.len()) },
        Figure { name: format!("{n}-line manifest: apply + settle"), millis: apply_ms, note: format!("exit {}", out.exit_code) },
        Figure { name: format!("{n}-line manifest: graph + layout (cluster view)"), millis: layout_ms, note: format!("{} diagram nodes", g.nodes.len()) },
        Figure { name: format!("{n}-line manifest: links (the other views)"), millis: links_ms, note: String::new() },
        keystroke(&text),
    ]
}

/// The editor's keystroke on an applied manifest: the last `replicas: 2` becomes 1, then 2 again
/// (`Workbench::set_text` each time: check, apply on a copy, settle). Median of 20 pairs.
fn keystroke(text: &str) -> Figure {
    let at = text.rfind("replicas: 2").map(|i| i + "replicas: ".len()).unwrap_or(0);
    let edited = format!("{}1{}", &text[..at], &text[at + 1..]);
    let mut w = crate::workbench::Workbench::new(text);
    let mut times: Vec<f64> = (0..20)
        .flat_map(|_| [time(|| w.set_text(&edited)).1, time(|| w.set_text(text)).1])
        .collect();
    times.sort_by(f64::total_cmp);
    let pods = w.cluster.store.list(crate::model::Kind::Pod).count();
    let n = text.lines().count();
    Figure { name: format!("{n}-line manifest: keystroke (one replicas edited)"), millis: times[times.len() / 2], note: format!("median of {}; {pods} pods", times.len()) }
}

/// `Cluster::new()`: the bootstrap objects and the settle that brings them up. Every page with a
/// workbench pays it before its first paint (the lesson's start manifest comes on top).
pub fn fresh_cluster() -> Figure {
    let (cs, ms) = time(|| (0..10).map(|_| Cluster::new()).collect::<Vec<_>>());
    let n = cs[0].store.all().count();
    Figure { name: "fresh cluster: bootstrap + settle".into(), millis: ms / 10.0, note: format!("mean of 10; {n} objects") }
}

pub fn share_codec() -> Figure {
    let texts: Vec<String> = crate::lesson::catalog().iter().map(|l| l.start.clone()).filter(|t| !t.trim().is_empty()).collect();
    let (lens, ms) = time(|| {
        texts
            .iter()
            .map(|t| {
                let s = crate::share::SharedState { text: t.clone(), ..Default::default() };
                let enc = crate::share::encode(&s);
                let ok = crate::share::decode(&enc).is_ok();
                (enc.len(), ok)
            })
            .collect::<Vec<_>>()
    });
    let mut l: Vec<usize> = lens.iter().map(|x| x.0).collect();
    l.sort();
    let note = if l.is_empty() { "no lesson manifests".into() } else { format!("fragment chars min {} / median {} / max {} over {} manifests", l[0], l[l.len() / 2], l[l.len() - 1], l.len()) };
    Figure { name: "share encode+decode of every lesson start manifest".into(), millis: ms, note }
}

/// Every benchmark, in order, handing each figure to `out` as soon as it is measured.
/// `quick` skips the 10,000-replica case; `only` keeps one group (`deployment-1000`, `statefulset`,
/// `cronjob`, `rbac`, `manifest-500`, `share`, `fresh`) or a family (`deployment`, `manifest`), for profiling.
pub fn all(quick: bool, only: Option<&str>, out: &mut dyn FnMut(&Figure)) {
    let mut groups: Vec<(String, Box<dyn Fn() -> Vec<Figure>>)> = Vec::new();
    for (r, n) in [(10, 10), (100, 10), (1000, 100), (10_000, 100)] {
        if !(quick && r > 1000) {
            groups.push((format!("deployment-{r}"), Box::new(move || settle_deployment(r, n))));
        }
    }
    groups.push(("statefulset".into(), Box::new(|| vec![settle_statefulset(100)])));
    groups.push(("cronjob".into(), Box::new(|| vec![cronjob_day()])));
    groups.push(("rbac".into(), Box::new(|| vec![rbac_checks(1000)])));
    for lines in [50, 500, 5000] {
        if !(quick && lines > 500) {
            groups.push((format!("manifest-{lines}"), Box::new(move || manifest_path(lines))));
        }
    }
    groups.push(("share".into(), Box::new(|| vec![share_codec()])));
    groups.push(("fresh".into(), Box::new(|| vec![fresh_cluster()])));
    // (replicas, apply+settle ms, advance ms) of each Deployment size run, for the growth line.
    let mut sizes: Vec<(usize, f64, f64)> = Vec::new();
    for (name, run) in groups {
        if only.is_none_or(|o| name == o || name.strip_prefix(o).is_some_and(|rest| rest.starts_with('-'))) {
            let figures = run();
            figures.iter().for_each(&mut *out);
            if let (Some(r), [settle, advance, ..]) = (name.strip_prefix("deployment-").and_then(|r| r.parse().ok()), figures.as_slice()) {
                sizes.push((r, settle.millis, advance.millis));
            }
        }
    }
    if sizes.len() >= 2 {
        out(&growth(&sizes));
    }
}

/// How settle time grows with the Deployment's size: time per replica at each size, and the
/// exponent `k` of `time ∝ replicas^k` between consecutive sizes (1 is linear, 2 quadratic).
/// For example 10 ms at 100 replicas and 120 ms at 1,000 give k = log(12)/log(10) = 1.08.
/// The sizes up to 100 run on 10 nodes, the larger ones on 100, and kube-scheduler (like ours)
/// scores every node for every pod below 100 nodes: from 100 to 1,000 the nodes grow too.
pub fn growth(sizes: &[(usize, f64, f64)]) -> Figure {
    let per = |(r, settle, _): &(usize, f64, f64)| format!("{r}: {:.3}", settle / *r as f64);
    let k = |a: &(usize, f64, f64), b: &(usize, f64, f64), t: fn(&(usize, f64, f64)) -> f64| {
        (t(b) / t(a)).ln() / (b.0 as f64 / a.0 as f64).ln()
    };
    let exps: Vec<String> = sizes
        .windows(2)
        .map(|w| format!("{}→{}: k={:.2} settle, {:.2} advance", w[0].0, w[1].0, k(&w[0], &w[1], |s| s.1), k(&w[0], &w[1], |s| s.2)))
        .collect();
    let last = sizes.last().expect("two sizes or more");
    Figure {
        name: format!("growth: apply+settle per replica at {}", last.0),
        millis: last.1 / last.0 as f64,
        note: format!("ms/replica {}; {}", sizes.iter().map(per).collect::<Vec<_>>().join(", "), exps.join("; ")),
    }
}

/// One figure as a line of the report (a figure of no time, NaN, shows only its note).
pub fn line(f: &Figure) -> String {
    if f.millis.is_nan() {
        return format!("{:<58}  {:>13}   {}", f.name, "", f.note);
    }
    format!("{:<58}  {:>10.2} ms   {}", f.name, f.millis, f.note)
}

#[cfg(test)]
mod tests {
    #[test]
    fn growth_reads_the_exponent_between_sizes() {
        let f = super::growth(&[(100, 10.0, 20.0), (1000, 100.0, 400.0), (10_000, 1500.0, 4000.0)]);
        assert_eq!(f.name, "growth: apply+settle per replica at 10000");
        assert!((f.millis - 0.15).abs() < 1e-9);
        assert_eq!(
            f.note,
            "ms/replica 100: 0.100, 1000: 0.100, 10000: 0.150; 100→1000: k=1.00 settle, 1.30 advance; 1000→10000: k=1.18 settle, 1.00 advance"
        );
    }
}
