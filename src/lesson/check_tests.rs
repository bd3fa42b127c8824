//! Tests of the goal checks: parsing errors, evaluation on small hand-built clusters.

use super::*;
use crate::model::api::{create, Caller};
use crate::value::json;

fn check(yaml: &str) -> Check {
    let v: Value = serde_yaml::from_str(yaml).unwrap();
    parse(&v).unwrap()
}

fn pod(c: &mut Cluster, name: &str, app: &str, phase: &str) {
    let p = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":name,"namespace":"default","labels":{"app":app}},
        "spec":{"containers":[{"name":"c","image":"nginx"}]}});
    let _ = create(c, p, Caller::Controller);
    let key = crate::model::Key::new(Kind::Pod, "default", name);
    crate::model::api::update_status(c, &key, json!({"phase": phase,
        "conditions":[{"type":"Ready","status": if phase == "Running" {"True"} else {"False"}}],
        "containerStatuses":[{"name":"c","state": if phase == "Running" { json!({"running":{}}) } else { json!({"waiting":{"reason":"ImagePullBackOff"}}) }}]}));
}

#[test]
fn count_ignores_generated_names_and_reports_what_is_missing() {
    let mut c = Cluster::empty(1);
    let _ = create(&mut c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}), Caller::Controller);
    let ch = check("{count: {kind: Pod, labels: {app: web}, phase: Running}, min: 2}");
    pod(&mut c, "web-7c5ddbdf54-abcde", "web", "Running");
    pod(&mut c, "db-0", "db", "Running");
    let o = ch.eval(&c);
    assert!(!o.passed);
    assert!(o.detail.en.contains("found 1"), "{}", o.detail.en);
    assert!(o.detail.ko.contains("현재 1개"), "{}", o.detail.ko);
    pod(&mut c, "web-7c5ddbdf54-xyz12", "web", "Running");
    assert!(ch.eval(&c).passed);
    assert!(check("{count: {kind: Pod, waiting: ImagePullBackOff}, min: 1}").eval(&c).passed == false);
    pod(&mut c, "bad", "web", "Pending");
    assert!(check("{count: {kind: Pod, waiting: ImagePullBackOff}, min: 1}").eval(&c).passed);
    assert!(check("{count: {kind: Pod, labels: {app: web}, ready: true}, min: 2, max: 2}").eval(&c).passed);
    assert!(!check("{count: {kind: Pod, labels: {app: web}}, min: 2, max: 2}").eval(&c).passed);
    assert!(check("{field: {kind: Pod, name: bad, path: status.phase}, equals: Pending}").eval(&c).passed);
    assert!(check("{any: [{absent: {kind: Pod, name: bad}}, {exists: {kind: Pod, labels: {app: db}}}]}").eval(&c).passed);
    assert!(!check("{all: [{absent: {kind: Pod, name: bad}}, {exists: {kind: Pod, labels: {app: db}}}]}").eval(&c).passed);
    assert!(check("{not: {exists: {kind: Pod, namespace: kube-system}}}").eval(&c).passed);
    assert!(check("{exists: {kind: Pod, namespace: '*', name: db-0}}").eval(&c).passed);
    assert!(check("{field: {kind: Pod, name: bad, path: status.conditions}, contains: {type: Ready, status: 'False'}}").eval(&c).passed);
    assert!(!check("{field: {kind: Pod, name: bad, path: status.conditions}, contains: {type: Ready, status: 'True'}}").eval(&c).passed);
    assert!(check("{field: {kind: Pod, name: bad, path: spec}, contains: {containers: [{image: nginx}]}}").eval(&c).passed);
    assert!(!check("{field: {kind: Pod, name: bad, path: spec}, contains: {containers: [{image: redis}]}}").eval(&c).passed);
    assert!(check("{field: {kind: Pod, name: bad, path: spec.containers}, contains: [{name: c}, {image: nginx}]}").eval(&c).passed);
    assert!(!check("{field: {kind: Pod, name: bad, path: spec.containers}, contains: [{name: c}, {image: redis}]}").eval(&c).passed);
}

#[test]
fn bad_checks_are_load_errors() {
    for bad in [
        "{count: {kind: Pods}}",
        "{count: {kind: Pod, lables: {app: web}}}",
        "{count: {kind: Pod}, minimum: 3}",
        "{exists: {kind: Pod}, absent: {kind: Pod}}",
        "{field: {kind: Deployment, name: web}, equals: 3}",
        "{field: {kind: Deployment, path: spec.replicas}}",
        "{can_i: {as: bob, verb: get, resource: pods}}",
        "{can_i: {as: 'system:serviceaccount:dev', verb: get, resource: pods}, expect: true}",
        "{can_i: {as: bob, verb: get, resource: pudding}, expect: true}",
        "{all: []}",
        "{selects: {service: web, port: 80}}",
        "{count: {kind: Service, ready: true}}",
        "[1, 2]",
    ] {
        let v: Value = serde_yaml::from_str(bad).unwrap();
        assert!(parse(&v).is_err(), "{bad} should not parse");
    }
}

#[test]
fn can_i_builds_service_account_identity() {
    let ch = check("{can_i: {as: 'system:serviceaccount:dev:bot', verb: list, resource: deployments}, expect: true}");
    let Check::CanI { req, .. } = ch else { panic!("not can_i") };
    assert_eq!(req.api_group, "apps");
    assert_eq!(req.resource, "deployments");
    assert!(req.groups.contains(&"system:serviceaccounts:dev".to_string()));
}

#[test]
fn bound_and_selects_read_status_and_endpoints() {
    let mut c = Cluster::empty(1);
    let _ = create(&mut c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}), Caller::Controller);
    assert!(!check("{bound: {claim: data}}").eval(&c).passed);
    c.store.put(json!({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"default"},"status":{"phase":"Bound"}}));
    assert!(check("{bound: {claim: data}}").eval(&c).passed);
    let sel = check("{selects: {service: web}, min: 2}");
    c.store.put(json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"}}));
    assert!(!sel.eval(&c).passed);
    c.store.put(json!({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"web-abc12","namespace":"default",
        "labels":{"kubernetes.io/service-name":"web"}},"endpoints":[{"conditions":{"ready":true}},{"conditions":{"ready":false}},{"conditions":{"ready":true}}]}));
    let o = sel.eval(&c);
    assert!(o.passed, "{}", o.detail.en);
}

#[test]
fn explanations_read_naturally_in_both_languages() {
    let mut c = Cluster::empty(1);
    let _ = create(&mut c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}), Caller::Controller);
    let o = check("{count: {kind: Pod, labels: {app: web}, phase: Running, ready: true}, min: 3}").eval(&c);
    assert_eq!(o.detail.ko, "default 네임스페이스의 파드 (레이블 app=web, Running, Ready): 3개 이상 필요 (현재 0개)");
    assert_eq!(o.detail.en, "Pods (labelled app=web, Running, Ready) in namespace default: need at least 3, found 0");
    let o = check("{field: {kind: Deployment, name: web, path: status.readyReplicas}, equals: 3}").eval(&c);
    assert_eq!(o.detail.ko, "default 네임스페이스의 디플로이먼트 web의 status.readyReplicas = 3 (대상이 없음)");
}
