//! Scenario tests for the scheduler, kubelet, GC and namespace controllers, on the store (the
//! kubectl transcripts cover the same ground end to end).

use crate::model::api::{self, Caller};
use crate::model::object::{ObjExt, Object};
use crate::model::{events, Cluster, Kind, Propagation};
use crate::value::{json, Value};

fn pod(c: &mut Cluster, spec: Value) -> Object {
    let mut o = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":spec});
    if let Some(n) = spec.get("name") {
        o["metadata"]["name"] = n.clone();
        o["spec"].as_object_mut().unwrap().remove("name");
    }
    let p = api::create(c, o, Caller::admin()).expect("created");
    c.settle();
    p
}
fn get(c: &Cluster, name: &str) -> Object {
    c.store.get_by(Kind::Pod, "default", name).cloned().unwrap_or(Value::Null)
}
fn reasons(c: &Cluster, name: &str) -> Vec<String> {
    let uid = get(c, name).uid().to_string();
    events::events_for(c, &uid).iter().map(|e| format!("{} {}", e.str_at("reason").unwrap_or(""), e.str_at("message").unwrap_or(""))).collect()
}

#[test]
fn nginx_pod_runs_and_becomes_ready() {
    let mut c = Cluster::new();
    pod(&mut c, json!({"containers":[{"name":"web","image":"nginx"}]}));
    let p = get(&c, "p");
    assert_eq!(p.str_at("spec.nodeName"), Some("node01"));
    assert_eq!(p.str_at("status.phase"), Some("Pending"));
    assert_eq!(p.str_at("status.containerStatuses.0.state.waiting.reason"), Some("ContainerCreating"));
    assert!(p.str_at("status.podIP").unwrap().starts_with("10.244.1."));
    let ev = reasons(&c, "p");
    assert_eq!(ev[0], "Scheduled Successfully assigned default/p to node01");
    assert_eq!(ev[1], "Pulling Pulling image \"nginx\"");
    c.advance(3000);
    let p = get(&c, "p");
    assert_eq!(p.str_at("status.phase"), Some("Running"), "{p:#}");
    assert_eq!(p.bool_at("status.containerStatuses.0.ready"), Some(true));
    assert!(p.str_at("status.containerStatuses.0.containerID").unwrap().starts_with("containerd://"));
    assert_eq!(p.str_at("status.qosClass"), Some("BestEffort"));
    let ev = reasons(&c, "p");
    assert!(ev[2].starts_with("Pulled Successfully pulled image \"nginx\" in "), "{ev:?}");
    assert_eq!(&ev[3..], ["Created Created container: web", "Started Started container web"]);
    let ready = p.arr_at("status.conditions").iter().map(|c| c.str_at("type").unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(ready, ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);
}

#[test]
fn spreading_over_workers_and_taints() {
    let mut c = Cluster::new();
    for i in 0..4 {
        pod(&mut c, json!({"name": format!("p{i}"), "containers":[{"name":"c","image":"nginx"}]}));
    }
    let nodes: Vec<String> = (0..4).map(|i| get(&c, &format!("p{i}")).str_at("spec.nodeName").unwrap_or("").to_string()).collect();
    assert_eq!(nodes.iter().filter(|n| *n == "node01").count(), 2, "{nodes:?}");
    assert_eq!(nodes.iter().filter(|n| *n == "node02").count(), 2, "{nodes:?}");
}

/// Pods alike are judged once per node per pass, then only the node a pod went to is judged again
/// (the scheduler's memo): in one pass, the second 1200m pod must see the first on its node and
/// take the other worker, the third must find neither, and different pods after them must be
/// judged as themselves.
#[test]
fn one_pass_sees_its_own_placements() {
    let mut c = Cluster::new();
    let big = |n: &str| json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":n,"namespace":"default"},
        "spec":{"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"1200m"}}}]}});
    let small = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"small","namespace":"default"},
        "spec":{"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"100m"}}}]}});
    let plain = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"z","namespace":"default"},"spec":{"containers":[{"name":"c","image":"nginx"}]}});
    for o in [big("a"), small, big("b"), big("c"), plain] {
        api::create(&mut c, o, Caller::admin()).expect("created");
    }
    c.settle();
    let node = |n: &str| get(&c, n).str_at("spec.nodeName").map(str::to_string);
    let (a, b) = (node("a").expect("a bound"), node("b").expect("b bound"));
    assert_ne!(a, b, "b saw a's request");
    assert!(node("small").is_some());
    assert_eq!(node("c"), None);
    let msg = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
    assert_eq!(get(&c, "c").str_at("status.conditions.0.message"), Some(msg));
    // What each pod asks for is read again when it differs from the pod before (queue order: c,
    // small, z): small is no 1200m pod, z no Burstable one.
    assert_eq!(get(&c, "small").str_at("status.qosClass"), Some("Burstable"));
    assert_eq!(get(&c, "z").str_at("status.qosClass"), Some("BestEffort"));
}

#[test]
fn insufficient_cpu_is_worded_like_v1_34() {
    let mut c = Cluster::new();
    pod(&mut c, json!({"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"3"}}}]}));
    let p = get(&c, "p");
    assert_eq!(p.str_at("status.phase"), Some("Pending"));
    let msg = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
    assert_eq!(p.str_at("status.conditions.0.message"), Some(msg));
    assert_eq!(reasons(&c, "p"), vec![format!("FailedScheduling {msg}")]);
    c.settle();
    assert_eq!(reasons(&c, "p").len(), 1);
    let v = crate::model::controllers::scheduler::explain(&c.store, &p);
    assert_eq!(v.len(), 3);
    assert!(v.iter().all(|v| !v.fits));
}

#[test]
fn node_selector_and_cordon() {
    let mut c = Cluster::new();
    crate::model::nodes::cordon(&mut c, "node01").unwrap();
    pod(&mut c, json!({"containers":[{"name":"c","image":"nginx"}]}));
    assert_eq!(get(&c, "p").str_at("spec.nodeName"), Some("node02"));
    pod(&mut c, json!({"name":"sel","nodeSelector":{"disk":"ssd"},"containers":[{"name":"c","image":"nginx"}]}));
    assert_eq!(
        get(&c, "sel").str_at("status.conditions.0.message"),
        Some("0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    );
}

#[test]
fn image_typo_backs_off() {
    let mut c = Cluster::new();
    pod(&mut c, json!({"containers":[{"name":"c","image":"ngnix"}]}));
    c.advance(3000);
    let p = get(&c, "p");
    assert_eq!(p.str_at("status.containerStatuses.0.state.waiting.reason"), Some("ImagePullBackOff"), "{p:#}");
    assert!(p.str_at("status.containerStatuses.0.state.waiting.message").unwrap().starts_with("Back-off pulling image \"ngnix\": ErrImagePull: failed to pull and unpack image \"docker.io/library/ngnix:latest\""));
    c.advance(60_000);
    let ev = reasons(&c, "p");
    assert!(ev.iter().any(|e| e == "Failed Error: ImagePullBackOff"));
    let failed = c.store.list(Kind::Event).find(|e| e.str_at("message") == Some("Error: ErrImagePull")).unwrap();
    assert!(failed.i64_at("count").unwrap() >= 3, "{failed}");
}

#[test]
fn crash_loop_back_off_timing() {
    let mut c = Cluster::new();
    pod(&mut c, json!({"containers":[{"name":"c","image":"busybox","command":["sh","-c","echo boom; exit 1"]}]}));
    c.advance(5000);
    let p = get(&c, "p");
    assert_eq!(p.i64_at("status.containerStatuses.0.restartCount"), Some(1), "{p:#}");
    assert_eq!(p.str_at("status.containerStatuses.0.state.waiting.reason"), Some("CrashLoopBackOff"));
    assert_eq!(p.str_at("status.phase"), Some("Running"));
    c.advance(60_000);
    let p = get(&c, "p");
    // restarts at ~2s, +10s, +20s: three restarts by a minute.
    assert_eq!(p.i64_at("status.containerStatuses.0.restartCount"), Some(3), "{p:#}");
    assert_eq!(crate::model::logs::logs(&c.store, "default", "p", None, true), Ok("boom\n".into()));
}

#[test]
fn jobs_style_pods_complete_and_fail() {
    let mut c = Cluster::new();
    pod(&mut c, json!({"name":"ok","restartPolicy":"Never","containers":[{"name":"c","image":"busybox","command":["sleep","5"]}]}));
    pod(&mut c, json!({"name":"bad","restartPolicy":"Never","containers":[{"name":"c","image":"busybox","command":["false"]}]}));
    c.advance(4000);
    assert_eq!(get(&c, "ok").str_at("status.phase"), Some("Running"));
    c.advance(5000);
    assert_eq!(get(&c, "ok").str_at("status.phase"), Some("Succeeded"));
    assert_eq!(get(&c, "ok").str_at("status.containerStatuses.0.state.terminated.reason"), Some("Completed"));
    assert_eq!(get(&c, "bad").str_at("status.phase"), Some("Failed"));
    assert_eq!(get(&c, "bad").i64_at("status.containerStatuses.0.state.terminated.exitCode"), Some(1));
}

#[test]
fn init_containers_run_first() {
    let mut c = Cluster::new();
    pod(&mut c, json!({"initContainers":[{"name":"init","image":"busybox","command":["sleep","10"]}],"containers":[{"name":"c","image":"nginx"}]}));
    c.advance(5000);
    let p = get(&c, "p");
    assert_eq!(p.str_at("status.containerStatuses.0.state.waiting.reason"), Some("PodInitializing"));
    assert_eq!(p.str_at("status.initContainerStatuses.0.state.running.startedAt").is_some(), true, "{p:#}");
    c.advance(20_000);
    let p = get(&c, "p");
    assert_eq!(p.str_at("status.phase"), Some("Running"), "{p:#}");
    assert_eq!(p.str_at("status.initContainerStatuses.0.state.terminated.reason"), Some("Completed"));
}

#[test]
fn graceful_deletion() {
    let mut c = Cluster::new();
    pod(&mut c, json!({"name":"web","containers":[{"name":"c","image":"nginx"}]}));
    pod(&mut c, json!({"name":"sleeper","containers":[{"name":"c","image":"busybox","command":["sleep","3600"]}]}));
    c.advance(5000);
    for n in ["web", "sleeper"] {
        let k = get(&c, n).key().unwrap();
        api::delete(&mut c, &k, Propagation::Background, None).unwrap();
    }
    c.settle();
    assert!(get(&c, "web").is_deleting());
    c.advance(2000);
    assert!(get(&c, "web").is_null());
    assert!(get(&c, "sleeper").is_deleting());
    c.advance(30_000);
    assert!(get(&c, "sleeper").is_null());
}

#[test]
fn gc_background_foreground_orphan() {
    let mut c = Cluster::new();
    let mk = |c: &mut Cluster, name: &str, owner: Option<&Object>| {
        let mut o = json!({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":name,"namespace":"default"}});
        if let Some(ow) = owner {
            o["metadata"]["ownerReferences"] = json!([{"apiVersion":"v1","kind":"ConfigMap","name":ow.name(),"uid":ow.uid(),"controller":true,"blockOwnerDeletion":true}]);
        }
        api::create(c, o, Caller::admin()).unwrap()
    };
    let cm = |c: &Cluster, n: &str| c.store.get_by(Kind::ConfigMap, "default", n).cloned();
    let a = mk(&mut c, "a", None);
    mk(&mut c, "a1", Some(&a));
    api::delete(&mut c, &a.key().unwrap(), Propagation::Background, None).unwrap();
    c.settle();
    assert!(cm(&c, "a1").is_none());
    let b = mk(&mut c, "b", None);
    mk(&mut c, "b1", Some(&b));
    api::delete(&mut c, &b.key().unwrap(), Propagation::Orphan, None).unwrap();
    c.settle();
    assert!(cm(&c, "b").is_none());
    assert!(cm(&c, "b1").unwrap().arr_at("metadata.ownerReferences").is_empty());
    let f = mk(&mut c, "f", None);
    mk(&mut c, "f1", Some(&f));
    api::delete(&mut c, &f.key().unwrap(), Propagation::Foreground, None).unwrap();
    c.settle();
    assert!(cm(&c, "f").is_none() && cm(&c, "f1").is_none());
}

#[test]
fn namespace_deletion_waits_for_content() {
    let mut c = Cluster::new();
    api::create(&mut c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"}}), Caller::admin()).unwrap();
    c.settle();
    assert_eq!(c.store.get_by(Kind::Namespace, "", "dev").unwrap().str_at("status.phase"), Some("Active"));
    api::create(&mut c, json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"s","namespace":"dev"},"spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","3600"]}]}}), Caller::admin()).unwrap();
    c.settle();
    c.advance(5000);
    api::delete(&mut c, &crate::model::Key::new(Kind::Namespace, "", "dev"), Propagation::Background, None).unwrap();
    c.settle();
    let ns = c.store.get_by(Kind::Namespace, "", "dev").unwrap();
    assert_eq!(ns.str_at("status.phase"), Some("Terminating"));
    assert!(ns.arr_at("status.conditions").iter().any(|c| c.str_at("message") == Some("Some resources are remaining: pods. has 1 resource instances")), "{ns:#}");
    c.advance(31_000);
    assert!(c.store.get_by(Kind::Namespace, "", "dev").is_none());
    assert!(api::delete(&mut c, &crate::model::Key::new(Kind::Namespace, "", "default"), Propagation::Background, None).is_err());
}

#[test]
fn bootstrap_cluster_shape() {
    let c = Cluster::new();
    let names: Vec<&str> = c.store.list(Kind::Node).map(|n| n.name()).collect();
    assert_eq!(names, ["controlplane", "node01", "node02"]);
    let sys: Vec<String> = c.store.list_ns(Kind::Pod, "kube-system").map(|p| format!("{} {}", p.name(), p.str_at("status.phase").unwrap_or(""))).collect();
    for n in ["etcd-controlplane Running", "kube-apiserver-controlplane Running", "kube-controller-manager-controlplane Running", "kube-scheduler-controlplane Running"] {
        assert!(sys.iter().any(|s| s == n), "{sys:?}");
    }
    let api = c.store.get_by(Kind::Pod, "kube-system", "kube-apiserver-controlplane").unwrap();
    assert_eq!(api.str_at("status.podIP"), Some("172.30.1.2"));
    assert_eq!(c.store.get_by(Kind::Service, "default", "kubernetes").unwrap().str_at("spec.clusterIP"), Some("10.96.0.1"));
}

/// Issue 8: 1,000 pods of a Deployment on 100 nodes. Prints the time per controller; the bound
/// here is loose because test builds are unoptimised (release numbers go in the report).
#[test]
fn thousand_pods_on_a_hundred_nodes() {
    thousand(Cluster::new(), 100);
}

#[test]
fn thousand_pods_without_nodes() {
    let mut c = Cluster::empty(3);
    api::create(&mut c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}), Caller::Controller).unwrap();
    thousand(c, 0);
}

fn thousand(mut c: Cluster, nodes: usize) {
    for i in 3..nodes {
        crate::model::nodes::add_node(&mut c, &format!("node{i:02}"), "8", "32Gi").unwrap();
    }
    api::create(&mut c, json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
        "spec":{"replicas":1000,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","resources":{"requests":{"cpu":"10m"}}}]}}}}), Caller::admin()).unwrap();
    let mut per: std::collections::BTreeMap<&str, u128> = Default::default();
    let t = std::time::Instant::now();
    for _ in 0..64 {
        let mut changed = false;
        for ctl in crate::model::controllers::CONTROLLERS {
            let name = ctl.name;
            let t0 = std::time::Instant::now();
            let out = (ctl.reconcile)(&c.store, &c.clock);
            *per.entry(name).or_default() += t0.elapsed().as_micros();
            let t1 = std::time::Instant::now();
            changed |= !out.actions.is_empty();
            for a in out.actions {
                let k = match &a { crate::model::Action::Create(_) => "create", crate::model::Action::Update(_) => "update", crate::model::Action::UpdateStatus(..) => "status", crate::model::Action::Event(_) => "event", crate::model::Action::Bind(..) => "bind", _ => "other" };
                let t2 = std::time::Instant::now();
                c.perform(a);
                *per.entry(k).or_default() += t2.elapsed().as_micros();
            }
            *per.entry("perform").or_default() += t1.elapsed().as_micros();
        }
        if !changed {
            break;
        }
    }
    let ms = t.elapsed().as_millis();
    eprintln!("settle: {ms} ms; per controller (µs): {per:?}");
    let bound = c.store.list(Kind::Pod).filter(|p| p.namespace() == "default" && p.str_at("spec.nodeName").is_some()).count();
    if nodes == 0 {
        assert_eq!(bound, 0);
        return;
    }
    assert_eq!(bound, 1000);
    let on_one = c.store.list(Kind::Pod).filter(|p| p.str_at("spec.nodeName") == Some("node50")).count();
    assert!((8..=14).contains(&on_one), "spread evenly: {on_one} on node50");
}

/// PrepareForCreate: a status sent with a new pod is dropped; the stored pod has its phase and QoS
/// class from the start, so the scheduler's only writes for it are the binding and its event.
#[test]
fn a_new_pod_starts_pending_with_its_qos_class() {
    let mut c = Cluster::new();
    let sent = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},
        "spec":{"containers":[{"name":"web","image":"nginx","resources":{"requests":{"cpu":"1"},"limits":{"cpu":"1"}}}]},
        "status":{"phase":"Running","podIP":"1.2.3.4"}});
    let p = api::create(&mut c, sent, Caller::admin()).expect("created");
    assert_eq!(p.path("status"), Some(&json!({"phase":"Pending","qosClass":"Burstable"})));
    let asked = crate::model::controllers::scheduler::reconcile(&c.store, &c.clock).actions;
    let kinds: Vec<&str> = asked.iter().map(|a| match a {
        crate::model::Action::Bind(..) => "bind",
        crate::model::Action::Event(..) => "event",
        _ => "other",
    }).collect();
    assert_eq!(kinds, ["bind", "event"]);
}
