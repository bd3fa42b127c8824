//! Native tests of the diagram graph: each view's elements and edges on a mixed cluster, broken
//! references, text rows, status words (the layout's tests are in `layout_tests.rs`).

use super::*;
use crate::model::links::{generic_links, Link, LinkKind};
use crate::model::object::Key;
use crate::value::{json, Value};

pub(super) fn meta(kind: &str, ns: &str, name: &str, uid: &str) -> Value {
    let mut m = json!({"kind": kind, "metadata": {"name": name, "uid": uid}});
    if !ns.is_empty() {
        m["metadata"]["namespace"] = json!(ns);
    }
    m
}

pub(super) fn owned(mut o: Value, kind: &str, name: &str, uid: &str) -> Value {
    o["metadata"]["ownerReferences"] = json!([{"kind": kind, "name": name, "uid": uid, "controller": true}]);
    o
}

pub(super) fn node(name: &str, cp: bool) -> Value {
    let mut n = meta("Node", "", name, &format!("n-{name}"));
    if cp {
        n["metadata"]["labels"] = json!({"node-role.kubernetes.io/control-plane": ""});
    }
    n["status"] = json!({"conditions": [{"type": "Ready", "status": "True"}], "allocatable": {"cpu": "2", "memory": "8Gi"}});
    n
}

pub(super) fn running_pod(ns: &str, name: &str, uid: &str, node: &str) -> Value {
    let mut p = meta("Pod", ns, name, uid);
    p["spec"] = json!({"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]});
    p["status"] = json!({"phase": "Running", "podIP": "10.244.1.5", "containerStatuses": [
        {"name": "c", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": "2026-01-05T09:00:02Z"}}}]});
    p
}

pub(super) fn pending_pod(ns: &str, name: &str, uid: &str) -> Value {
    let mut p = meta("Pod", ns, name, uid);
    p["spec"] = json!({"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "64"}}}]});
    p["status"] = json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
        "message": "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."}]});
    p
}

/// A mixed cluster: nodes, a Deployment with 3 pods (one unschedulable), a StatefulSet with a
/// claim, a CronJob's Job, a crashing pod, a Service + Ingress, config, storage and RBAC objects.
pub(super) fn mixed() -> Store {
    let mut s = Store::default();
    for o in [
        node("control-plane", true),
        node("worker-1", false),
        node("worker-2", false),
        meta("Namespace", "", "default", "ns1"),
        {
            let mut d = meta("Deployment", "default", "web", "d1");
            d["spec"] = json!({"replicas": 3, "selector": {"matchLabels": {"app": "web"}}});
            d["status"] = json!({"readyReplicas": 2});
            d
        },
        {
            let mut r = owned(meta("ReplicaSet", "default", "web-7c5ddbdf54", "r1"), "Deployment", "web", "d1");
            r["spec"] = json!({"replicas": 3});
            r["status"] = json!({"readyReplicas": 2});
            r
        },
        owned(running_pod("default", "web-7c5ddbdf54-abcde", "p1", "worker-1"), "ReplicaSet", "web-7c5ddbdf54", "r1"),
        owned(running_pod("default", "web-7c5ddbdf54-fghij", "p2", "worker-2"), "ReplicaSet", "web-7c5ddbdf54", "r1"),
        owned(pending_pod("default", "web-7c5ddbdf54-klmno", "p3"), "ReplicaSet", "web-7c5ddbdf54", "r1"),
        meta("StatefulSet", "default", "db", "s1"),
        owned(running_pod("default", "db-0", "p4", "worker-1"), "StatefulSet", "db", "s1"),
        {
            let mut c = meta("PersistentVolumeClaim", "default", "data-db-0", "c1");
            c["spec"] = json!({"storageClassName": "standard", "volumeName": "pvc-c1"});
            c["status"] = json!({"phase": "Bound"});
            c
        },
        {
            let mut v = meta("PersistentVolume", "", "pvc-c1", "v1");
            v["status"] = json!({"phase": "Bound"});
            v
        },
        meta("StorageClass", "", "standard", "sc1"),
        meta("CronJob", "default", "report", "cj1"),
        owned(meta("Job", "default", "report-29000000", "j1"), "CronJob", "report", "cj1"),
        {
            let mut p = owned(meta("Pod", "default", "report-29000000-x1y2z", "p5"), "Job", "report-29000000", "j1");
            p["spec"] = json!({"nodeName": "worker-2", "containers": [{"name": "c", "image": "busybox"}]});
            p["status"] = json!({"phase": "Succeeded", "containerStatuses": [{"name": "c", "ready": false,
                "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]});
            p
        },
        {
            let mut p = running_pod("default", "crasher", "p6", "worker-2");
            p["status"]["containerStatuses"][0] = json!({"name": "c", "ready": false, "restartCount": 4,
                "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 1m20s restarting failed container=c pod=crasher_default(p6)"}}});
            p
        },
        {
            let mut v = meta("Service", "default", "web", "svc1");
            v["spec"] = json!({"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}], "clusterIP": "10.96.0.20"});
            v
        },
        {
            let mut i = meta("Ingress", "default", "web", "ing1");
            i["spec"] = json!({"rules": [{"host": "web.example", "http": {"paths": [{"path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]});
            i
        },
        meta("ConfigMap", "default", "app-config", "cm1"),
        meta("ConfigMap", "default", "kube-root-ca.crt", "cm2"),
        meta("Secret", "default", "db-pass", "sec1"),
        {
            let mut r = meta("Role", "default", "pod-reader", "role1");
            r["rules"] = json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}]);
            r
        },
        meta("RoleBinding", "default", "read-pods", "rb1"),
        meta("Pod", "kube-system", "coredns-abc", "sys1"),
    ] {
        s.put(o).expect("fixture objects have kinds and names");
    }
    s
}

pub(super) fn k(kind: Kind, ns: &str, name: &str) -> Key {
    Key::new(kind, ns, name)
}

pub(super) fn link(from: Key, to: Option<Key>, target: &str, kind: LinkKind, reason: &str) -> Link {
    Link { broken: to.is_none(), from, to, target: target.into(), kind, reason: reason.into() }
}

/// The links the model gives this cluster: the generic ones computed by `links.rs`, plus the
/// selector/route/use/bind/class/RBAC edges written the way `Link` documents them.
pub(super) fn mixed_links(s: &Store) -> Vec<Link> {
    let mut l = Vec::new();
    generic_links(s, &mut l);
    let web = k(Kind::Service, "default", "web");
    for p in ["web-7c5ddbdf54-abcde", "web-7c5ddbdf54-fghij"] {
        l.push(link(web.clone(), Some(k(Kind::Pod, "default", p)), "", LinkKind::Selects, "selector app=web matches labels app=web"));
    }
    l.push(link(k(Kind::Ingress, "default", "web"), Some(web.clone()), "service/web", LinkKind::Routes, "rule web.example/ → web:80"));
    l.push(link(k(Kind::Ingress, "default", "web"), None, "service/api", LinkKind::Routes, "services \"api\" not found"));
    l.push(link(k(Kind::Pod, "default", "db-0"), Some(k(Kind::PersistentVolumeClaim, "default", "data-db-0")), "", LinkKind::Uses, "volume data"));
    l.push(link(k(Kind::Pod, "default", "db-0"), Some(k(Kind::Secret, "default", "db-pass")), "", LinkKind::Uses, "env DB_PASS"));
    l.push(link(k(Kind::Pod, "default", "web-7c5ddbdf54-abcde"), Some(k(Kind::ConfigMap, "default", "app-config")), "", LinkKind::Uses, "envFrom"));
    l.push(link(k(Kind::Pod, "default", "crasher"), None, "configmap/missing-cm", LinkKind::Uses, "configmap \"missing-cm\" not found"));
    l.push(link(k(Kind::Pod, "default", "crasher"), Some(k(Kind::ConfigMap, "default", "kube-root-ca.crt")), "", LinkKind::Uses, "projected volume"));
    l.push(link(k(Kind::PersistentVolumeClaim, "default", "data-db-0"), Some(k(Kind::PersistentVolume, "", "pvc-c1")), "", LinkKind::BoundTo, "bound"));
    l.push(link(k(Kind::PersistentVolume, "", "pvc-c1"), Some(k(Kind::StorageClass, "", "standard")), "", LinkKind::Class, "storageClassName"));
    l.push(link(k(Kind::PersistentVolumeClaim, "default", "data-db-0"), Some(k(Kind::StorageClass, "", "standard")), "", LinkKind::Class, "storageClassName"));
    let rb = k(Kind::RoleBinding, "default", "read-pods");
    l.push(Link { from: rb.clone(), to: None, target: "User jane".into(), kind: LinkKind::Subject, reason: "subject".into(), broken: false });
    l.push(link(rb.clone(), None, "ServiceAccount default/ci", LinkKind::Subject, "subject system:serviceaccount:default:ci: serviceaccount \"ci\" not found in namespace default"));
    l.push(link(rb.clone(), Some(k(Kind::Role, "default", "pod-reader")), "", LinkKind::Grants, "roleRef Role/pod-reader"));
    l
}

pub(super) fn g(view: View) -> (Store, Graph) {
    let s = mixed();
    let links = mixed_links(&s);
    let gr = graph_with_links(&s, view, &Options::default(), &links);
    (s, gr)
}

fn has_edge(gr: &Graph, from: &str, to: &str) -> bool {
    gr.edges.iter().any(|e| e.from == from && e.to == to)
}

const WEB_RS: &str = "ReplicaSet/default/web-7c5ddbdf54";

#[test]
fn generic_links_follow_owner_refs_and_node_names() {
    let s = mixed();
    let mut l = Vec::new();
    generic_links(&s, &mut l);
    let owns: Vec<_> = l.iter().filter(|l| l.kind == LinkKind::Owns).collect();
    assert_eq!(owns.len(), 7, "{owns:#?}");
    assert!(owns.iter().all(|l| !l.broken));
    assert!(owns.iter().any(|l| &*l.from.name == "web" && &*l.to.as_ref().unwrap().name == "web-7c5ddbdf54"));
    let sched: Vec<_> = l.iter().filter(|l| l.kind == LinkKind::ScheduledOn).map(|l| l.to.clone().unwrap().name).collect();
    assert_eq!(sched.iter().filter(|n| &***n == "worker-2").count(), 3);
}

#[test]
fn cluster_view_puts_pods_in_node_lanes() {
    let (_, gr) = g(View::Cluster);
    let lane_of = |id: &str| gr.node(id).and_then(|n| n.lane.clone());
    assert_eq!(lane_of("Pod/default/web-7c5ddbdf54-abcde").as_deref(), Some("Node//worker-1"));
    assert_eq!(lane_of("Pod/default/web-7c5ddbdf54-klmno").as_deref(), Some(views::PENDING_LANE));
    for c in views::COMPONENTS {
        assert_eq!(lane_of(&format!("cp/{c}")).as_deref(), Some(views::CONTROL_PLANE_LANE));
    }
    // kube-system pods are hidden by default, shown on request.
    assert!(gr.node("Pod/kube-system/coredns-abc").is_none());
    let all = graph(&mixed(), View::Cluster, &Options { show_system: true });
    assert!(all.node("Pod/kube-system/coredns-abc").is_some());
    let pending = gr.node("Pod/default/web-7c5ddbdf54-klmno").unwrap();
    assert_eq!(pending.status, Status::Pending);
    assert!(pending.why.as_deref().unwrap().starts_with("0/3 nodes are available"));
    let crasher = gr.node("Pod/default/crasher").unwrap();
    assert_eq!((crasher.status, crasher.state.as_str()), (Status::Failed, "CrashLoopBackOff"));
    let job_pod = gr.node("Pod/default/report-29000000-x1y2z").unwrap();
    assert_eq!((job_pod.status, job_pod.state.as_str()), (Status::Completed, "Completed"));
    let l = layout(&gr, View::Cluster, None);
    let cp = l.rects["Node//control-plane"];
    let w1 = l.rects["Node//worker-1"];
    assert!(l.rects[views::CONTROL_PLANE_LANE].y < cp.y && cp.y < w1.y && w1.y < l.rects[views::PENDING_LANE].y);
    assert!(w1.contains(&l.rects["Pod/default/web-7c5ddbdf54-abcde"]));
}

#[test]
fn ownership_view_edges() {
    let (_, gr) = g(View::Ownership);
    assert!(has_edge(&gr, "Deployment/default/web", WEB_RS));
    for p in ["abcde", "fghij", "klmno"] {
        assert!(has_edge(&gr, WEB_RS, &format!("Pod/default/web-7c5ddbdf54-{p}")));
    }
    assert!(has_edge(&gr, "StatefulSet/default/db", "Pod/default/db-0"));
    assert!(has_edge(&gr, "Pod/default/db-0", "PersistentVolumeClaim/default/data-db-0"));
    assert!(has_edge(&gr, "CronJob/default/report", "Job/default/report-29000000"));
    assert!(has_edge(&gr, "Job/default/report-29000000", "Pod/default/report-29000000-x1y2z"));
    assert_eq!(gr.edges.len(), 8);
    assert!(gr.node("Service/default/web").is_none(), "services are not in the ownership view");
    let d = gr.node("Deployment/default/web").unwrap();
    assert_eq!((d.status, d.state.as_str()), (Status::Pending, "2/3"));
}

#[test]
fn networking_view_edges_and_ports() {
    let (_, gr) = g(View::Networking);
    let e = gr.edges.iter().find(|e| e.from == "Ingress/default/web" && e.to == "Service/default/web").unwrap();
    assert_eq!(e.label, "/ → :80");
    let sel: Vec<_> = gr.edges.iter().filter(|e| e.from == "Service/default/web").map(|e| (e.to.as_str(), e.label.as_str())).collect();
    assert_eq!(sel, vec![("Pod/default/web-7c5ddbdf54-abcde", ":8080"), ("Pod/default/web-7c5ddbdf54-fghij", ":8080")]);
    // The broken route ends at a missing Service, dashed, with the reason.
    let broken = gr.edges.iter().find(|e| e.broken).unwrap();
    let missing = gr.node(&broken.to).unwrap();
    assert_eq!((missing.kind.clone(), missing.name.as_str(), missing.state.as_str()), (NodeKind::Missing, "api", "Service"));
    assert_eq!(broken.reason, "services \"api\" not found");
    assert!(gr.node("Pod/default/crasher").is_none(), "only selected pods are shown");
}

#[test]
fn storage_view_edges() {
    let (_, gr) = g(View::Storage);
    let pvc = "PersistentVolumeClaim/default/data-db-0";
    assert!(has_edge(&gr, "Pod/default/db-0", pvc));
    assert!(has_edge(&gr, pvc, "PersistentVolume//pvc-c1"));
    assert!(has_edge(&gr, "PersistentVolume//pvc-c1", "StorageClass//standard"));
    assert!(!has_edge(&gr, pvc, "StorageClass//standard"), "a bound claim reaches its class through the volume");
    assert_eq!(gr.edges.len(), 3);
}

#[test]
fn config_view_edges_point_from_config_to_pods() {
    let (_, gr) = g(View::Config);
    assert!(has_edge(&gr, "ConfigMap/default/app-config", "Pod/default/web-7c5ddbdf54-abcde"));
    assert!(has_edge(&gr, "Secret/default/db-pass", "Pod/default/db-0"));
    let broken = gr.edges.iter().find(|e| e.broken).unwrap();
    assert_eq!((broken.from.as_str(), broken.to.as_str()), ("missing/default/configmap/missing-cm", "Pod/default/crasher"));
    assert!(gr.node("ConfigMap/default/kube-root-ca.crt").is_none());
    assert_eq!(gr.edges.len(), 3);
}

#[test]
fn rbac_view_subject_binding_role_rules() {
    let (_, gr) = g(View::Rbac);
    let rb = "RoleBinding/default/read-pods";
    assert!(has_edge(&gr, "subject/User/jane", rb));
    assert!(has_edge(&gr, rb, "Role/default/pod-reader"));
    let rule = gr.node("rule/Role/default/pod-reader/0").unwrap();
    assert_eq!(rule.name, "get,list,watch pods");
    assert!(has_edge(&gr, "Role/default/pod-reader", &rule.id));
    let tiers: Vec<u8> = ["subject/User/jane", rb, "Role/default/pod-reader", &rule.id].iter().map(|i| gr.node(i).unwrap().tier).collect();
    assert_eq!(tiers, vec![0, 1, 2, 3]);
    let broken = gr.edges.iter().find(|e| e.broken).unwrap();
    let sa = gr.node(&broken.from).unwrap();
    assert_eq!((sa.kind.clone(), sa.name.as_str(), sa.state.as_str(), broken.to.as_str()), (NodeKind::Missing, "default/ci", "ServiceAccount", rb));
}

#[test]
fn broken_owner_reference_is_a_dashed_edge_from_a_missing_owner() {
    let mut s = mixed();
    s.put(owned(running_pod("default", "orphan-x", "p9", "worker-1"), "ReplicaSet", "gone", "r404")).unwrap();
    let gr = graph(&s, View::Ownership, &Options::default());
    let e = gr.edges.iter().find(|e| e.broken).unwrap();
    assert_eq!(e.to, "Pod/default/orphan-x");
    assert!(e.reason.contains("not found"), "{}", e.reason);
    assert!(gr.node(&e.from).unwrap().tier < gr.node(&e.to).unwrap().tier);
}

#[test]
fn text_rows_name_states_and_links() {
    let (_, gr) = g(View::Networking);
    let rows = text::rows(&gr);
    let svc = rows.iter().find(|r| r.id == "Service/default/web").unwrap();
    assert_eq!(svc.kind, "Service");
    assert_eq!(svc.links.iter().filter(|l| l.outgoing).count(), 2);
    assert!(svc.links.iter().any(|l| !l.outgoing && l.other == "Ingress default/web"));
    let ing = rows.iter().find(|r| r.id == "Ingress/default/web").unwrap();
    assert!(ing.links.iter().any(|l| l.broken && l.other == "Missing api (Service)" && l.reason.contains("not found")));
    let (_, cl) = g(View::Cluster);
    let rows = text::rows(&cl);
    let p = rows.iter().find(|r| r.name == "db-0").unwrap();
    assert_eq!((p.lane.as_deref(), p.state.as_str()), (Some("worker-1"), "Running"));
}

#[test]
fn pod_status_words_follow_kubectl() {
    let mut p = pending_pod("default", "p", "u");
    assert_eq!(status::pod_status_word(&p), "Pending");
    p["spec"]["initContainers"] = json!([{"name": "i"}]);
    p["status"]["initContainerStatuses"] = json!([{"name": "i", "state": {"running": {}}}]);
    assert_eq!(status::pod_status_word(&p), "Init:0/1");
    p["status"]["initContainerStatuses"] = json!([{"name": "i", "state": {"terminated": {"exitCode": 2}}}]);
    assert_eq!(status::pod_status_word(&p), "Init:ExitCode:2");
    assert_eq!(status::classify(&p).0, Status::Failed);
    let mut q = running_pod("default", "q", "u", "w");
    q["status"]["containerStatuses"][0]["state"] = json!({"waiting": {"reason": "ContainerCreating"}});
    assert_eq!(status::classify(&q).1, "ContainerCreating");
    q["metadata"]["deletionTimestamp"] = json!("2026-01-05T09:00:00Z");
    assert_eq!(status::classify(&q), (Status::Terminating, "Terminating".into(), None));
}

