//! Service allocation, Endpoints/EndpointSlices and Ingress routing against a bootstrapped cluster.

use crate::model::api::{create, update, update_status, Caller};
use crate::model::object::{Key, ObjExt};
use crate::model::{Cluster, Kind};
use crate::value::{json, Value};

fn svc(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default"}, "spec": spec})
}

fn pod(c: &mut Cluster, name: &str, ip: &str, ready: bool) {
    let p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
        "spec": {"nodeName": "worker-1", "containers": [{"name": "c", "image": "nginx", "ports": [{"name": "http", "containerPort": 8080}]}]}});
    create(c, p, Caller::Controller).unwrap();
    let st = json!({"phase": "Running", "podIP": ip, "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]});
    update_status(c, &Key::new(Kind::Pod, "default", name), st);
}

#[test]
fn cluster_ips_and_node_ports() {
    let mut c = Cluster::new();
    let a = create(&mut c, svc("a", json!({"selector": {"app": "web"}, "ports": [{"port": 80}]})), Caller::admin()).unwrap();
    let ip = a.str_at("spec.clusterIP").unwrap().to_string();
    assert!(ip.starts_with("10.") && ip != "10.96.0.1", "{ip}");
    assert_eq!(a.path("spec.clusterIPs"), Some(&json!([ip])));
    assert_eq!(a.str_at("spec.ports.0.protocol"), Some("TCP"));
    assert_eq!(a.i64_at("spec.ports.0.targetPort"), Some(80));
    assert!(a.path("spec.ports.0.nodePort").is_none());
    let fixed = create(&mut c, svc("b", json!({"clusterIP": "10.96.0.50", "ports": [{"port": 80}]})), Caller::admin()).unwrap();
    assert_eq!(fixed.str_at("spec.clusterIP"), Some("10.96.0.50"));
    let e = create(&mut c, svc("b2", json!({"clusterIP": "10.96.0.50", "ports": [{"port": 80}]})), Caller::admin()).unwrap_err();
    assert_eq!(e.message, "Service \"b2\" is invalid: spec.clusterIPs: Invalid value: [\"10.96.0.50\"]: failed to allocate IP 10.96.0.50: provided IP is already allocated");
    let e = create(&mut c, svc("b3", json!({"clusterIP": "192.168.0.1", "ports": [{"port": 80}]})), Caller::admin()).unwrap_err();
    assert!(e.message.ends_with("the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12"), "{}", e.message);
    let np = create(&mut c, svc("np", json!({"type": "NodePort", "ports": [{"name": "a", "port": 80, "nodePort": 30080}, {"name": "b", "port": 81}]})), Caller::admin()).unwrap();
    assert_eq!(np.i64_at("spec.ports.0.nodePort"), Some(30080));
    let auto = np.i64_at("spec.ports.1.nodePort").unwrap();
    assert!((30000..=32767).contains(&auto));
    let e = create(&mut c, svc("np2", json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]})), Caller::admin()).unwrap_err();
    assert_eq!(e.message, "Service \"np2\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
    let e = create(&mut c, svc("np3", json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]})), Caller::admin()).unwrap_err();
    assert_eq!(e.message, "Service \"np3\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767");
    let lb = create(&mut c, svc("lb", json!({"type": "LoadBalancer", "ports": [{"port": 80}]})), Caller::admin()).unwrap();
    assert!(lb.i64_at("spec.ports.0.nodePort").is_some());
    let h = create(&mut c, svc("h", json!({"clusterIP": "None", "ports": [{"port": 80}]})), Caller::admin()).unwrap();
    assert_eq!(h.path("spec.clusterIPs"), Some(&json!(["None"])));
    let x = create(&mut c, svc("x", json!({"type": "ExternalName", "externalName": "example.com"})), Caller::admin()).unwrap();
    assert!(x.path("spec.clusterIP").is_none());
    // Re-applying without the allocated fields keeps them; changing the IP is refused.
    let again = update(&mut c, svc("np", json!({"type": "NodePort", "ports": [{"name": "a", "port": 80, "nodePort": 30080}, {"name": "b", "port": 81}]})), Caller::admin()).unwrap();
    assert_eq!(again.i64_at("spec.ports.1.nodePort"), Some(auto));
    assert_eq!(again.str_at("spec.clusterIP"), np.str_at("spec.clusterIP"));
    let e = update(&mut c, svc("a", json!({"clusterIP": "10.96.0.77", "ports": [{"port": 80}]})), Caller::admin()).unwrap_err();
    assert_eq!(e.message, "Service \"a\" is invalid: spec.clusterIPs[0]: Invalid value: [\"10.96.0.77\"]: may not change once set");
}

#[test]
fn endpoints_follow_pods() {
    let mut c = Cluster::new();
    create(&mut c, svc("web", json!({"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]})), Caller::admin()).unwrap();
    pod(&mut c, "p1", "10.244.1.5", true);
    pod(&mut c, "p2", "10.244.1.4", false);
    c.settle();
    let ep = c.store.get_by(Kind::Endpoints, "default", "web").unwrap().clone();
    assert_eq!(ep.str_at("subsets.0.addresses.0.ip"), Some("10.244.1.5"));
    assert_eq!(ep.str_at("subsets.0.notReadyAddresses.0.ip"), Some("10.244.1.4"));
    assert_eq!(ep.i64_at("subsets.0.ports.0.port"), Some(8080));
    let slices: Vec<_> = c.store.list(Kind::EndpointSlice).filter(|s| s.labels().get("kubernetes.io/service-name").map(String::as_str) == Some("web")).cloned().collect();
    assert_eq!(slices.len(), 1);
    assert!(slices[0].name().starts_with("web-") && slices[0].name().len() == 9);
    assert_eq!(slices[0].arr_at("endpoints").len(), 2);
    assert_eq!(slices[0].bool_at("endpoints.0.conditions.ready"), Some(false));
    c.store.remove(&Key::new(Kind::Pod, "default", "p1"));
    c.settle();
    let ep = c.store.get_by(Kind::Endpoints, "default", "web").unwrap();
    assert!(ep.path("subsets.0.addresses").is_none());
    crate::model::api::delete(&mut c, &Key::new(Kind::Service, "default", "web"), Default::default(), None).unwrap();
    c.settle();
    assert!(c.store.get_by(Kind::Endpoints, "default", "web").is_none());
    assert_eq!(c.store.list(Kind::EndpointSlice).filter(|s| s.name().starts_with("web-")).count(), 0);
}

#[test]
fn ingress_routes_by_host_and_path() {
    let mut c = Cluster::new();
    create(&mut c, svc("api", json!({"selector": {"app": "api"}, "ports": [{"port": 80}]})), Caller::admin()).unwrap();
    create(&mut c, svc("web", json!({"selector": {"app": "web"}, "ports": [{"port": 80}]})), Caller::admin()).unwrap();
    let ing = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "site", "namespace": "default"}, "spec": {
        "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}},
        "rules": [{"host": "shop.example.com", "http": {"paths": [
            {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 80}}}},
            {"path": "/api/v2", "pathType": "Exact", "backend": {"service": {"name": "missing", "port": {"number": 80}}}},
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 8080}}}}]}}]}});
    let stored = create(&mut c, ing, Caller::admin()).unwrap();
    assert_eq!(stored.str_at("spec.ingressClassName"), Some("nginx"));
    c.settle();
    let ing = c.store.get_by(Kind::Ingress, "default", "site").unwrap().clone();
    assert_eq!(ing.str_at("status.loadBalancer.ingress.0.hostname"), Some("localhost"));
    let r = super::ingress::route(&c.store, "default", "shop.example.com", "/api/users").unwrap();
    assert_eq!((r.service.as_str(), r.port.as_str(), r.path), ("api", "80", Some(0)));
    assert!(r.pods.is_empty());
    assert_eq!(r.warnings, vec!["service \"default/api\" has no ready endpoints: ingress-nginx answers 503 Service Temporarily Unavailable".to_string()]);
    let r = super::ingress::route(&c.store, "default", "shop.example.com", "/apiary").unwrap();
    assert_eq!(r.service, "web");
    assert_eq!(r.warnings, vec!["service \"default/web\" does not have port 8080".to_string()]);
    let r = super::ingress::route(&c.store, "default", "shop.example.com", "/api/v2").unwrap();
    assert_eq!(r.service, "missing");
    assert!(r.target.is_none());
    pod(&mut c, "w1", "10.244.1.7", true);
    let r = super::ingress::route(&c.store, "default", "other.example.com", "/").unwrap();
    assert_eq!((r.service.as_str(), r.rule), ("web", None));
    assert_eq!(r.pods, vec![(Key::new(Kind::Pod, "default", "w1"), "10.244.1.7".to_string(), 80)]);
    let w = super::ingress::ingress_warnings(&c.store, &ing);
    assert_eq!(w.len(), 2, "{w:?}");
}

#[test]
fn type_changes_allocate_and_drop_fields() {
    let mut c = Cluster::new();
    let s = create(&mut c, svc("t", json!({"selector": {"app": "web"}, "ports": [{"port": 80}]})), Caller::admin()).unwrap();
    let ip = s.str_at("spec.clusterIP").unwrap().to_string();
    // ClusterIP → NodePort (as `kubectl patch` sends it: the stored object with a new type).
    let mut np = s.clone();
    np["spec"]["type"] = json!("NodePort");
    let np = update(&mut c, np, Caller::admin()).unwrap();
    assert_eq!(np.str_at("spec.clusterIP"), Some(ip.as_str()));
    assert!(np.i64_at("spec.ports.0.nodePort").is_some_and(|n| (30000..=32767).contains(&n)));
    assert_eq!(np.str_at("spec.externalTrafficPolicy"), Some("Cluster"));
    // NodePort → ClusterIP with the allocated nodePort still in the object: it is dropped.
    let mut back = np.clone();
    back["spec"]["type"] = json!("ClusterIP");
    let back = update(&mut c, back, Caller::admin()).unwrap();
    assert!(back.path("spec.ports.0.nodePort").is_none());
    assert!(back.path("spec.externalTrafficPolicy").is_none());
    // ClusterIP → ExternalName: the address goes.
    let mut ext = back.clone();
    ext["spec"]["type"] = json!("ExternalName");
    ext["spec"]["externalName"] = json!("db.example.com");
    let ext = update(&mut c, ext, Caller::admin()).unwrap();
    assert!(ext.path("spec.clusterIP").is_none() && ext.path("spec.clusterIPs").is_none());
}
