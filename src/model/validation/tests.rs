//! Validation through the API server: create and update rules with the real messages.

use crate::model::api::{create, update, Caller};
use crate::model::{Cluster, Kind, ObjExt};
use crate::value::{json, Value};

fn deploy(name: &str, replicas: i64) -> Value {
    json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":name,"namespace":"default"},
        "spec":{"replicas":replicas,"selector":{"matchLabels":{"app":name}},
        "template":{"metadata":{"labels":{"app":name}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}})
}

fn err(c: &mut Cluster, o: Value) -> String {
    create(c, o, Caller::admin()).unwrap_err().message
}

#[test]
fn names_and_required_fields() {
    let mut c = Cluster::new();
    let m = err(&mut c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"Prod"}}));
    assert!(m.starts_with("Namespace \"Prod\" is invalid: metadata.name: Invalid value: \"Prod\": a lowercase RFC 1123 label must consist of"), "{m}");
    let m = err(&mut c, json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"1web","namespace":"default"},"spec":{"ports":[{"port":80}]}}));
    assert!(m.contains("a DNS-1035 label must consist of"), "{m}");
    let m = err(&mut c, json!({"apiVersion":"v1","kind":"ConfigMap","metadata":{"namespace":"default"}}));
    assert_eq!(m, "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required");
    let m = err(&mut c, json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","labels":{"app":"-bad"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}));
    assert!(m.contains("metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string"), "{m}");
}

#[test]
fn probes_and_resources() {
    let mut c = Cluster::new();
    let pod = |container: Value| json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[container]}});
    let m = err(&mut c, pod(json!({"name":"c","image":"nginx","livenessProbe":{"periodSeconds":5}})));
    assert_eq!(m, "Pod \"p\" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type");
    let m = err(&mut c, pod(json!({"name":"c","image":"nginx","resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}})));
    assert_eq!(m, "Pod \"p\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1");
    // An extended resource is never overcommitted: its request must equal its limit, which must be set.
    let m = err(&mut c, pod(json!({"name":"c","image":"nginx","resources":{"requests":{"nvidia.com/gpu":"2"},"limits":{"nvidia.com/gpu":"1"}}})));
    assert_eq!(m, "Pod \"p\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2\": must be equal to nvidia.com/gpu limit of 1");
    let m = err(&mut c, pod(json!({"name":"c","image":"nginx","resources":{"requests":{"nvidia.com/gpu":"1"}}})));
    assert_eq!(m, "Pod \"p\" is invalid: spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources");
    let mut ok = pod(json!({"name":"c","image":"nginx","resources":{"requests":{"memory":"1Gi","example.com/dongle":"1"},"limits":{"example.com/dongle":"1"}}}));
    ok["metadata"]["name"] = json!("equal-limit");
    assert!(create(&mut c, ok, Caller::admin()).is_ok());
    let m = err(&mut c, pod(json!({"name":"c","image":"nginx","resources":{"limits":{"memory":"-1Gi"}}})));
    assert!(m.contains("spec.containers[0].resources.limits[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0"), "{m}");
}

#[test]
fn workloads() {
    let mut c = Cluster::new();
    let m = err(&mut c, deploy("web", -1));
    assert_eq!(m, "Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    let m = err(&mut c, deploy("web", 1_000_000_000));
    assert!(m.contains("spec.replicas: Invalid value: 1000000000: must be less than or equal to 10000 in kubelab"), "{m}");
    let mut d = deploy("web", 1);
    d["spec"]["strategy"] = json!({"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":0}});
    assert!(err(&mut c, d).contains("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"));
    let mut d = deploy("web", 1);
    d["spec"]["selector"] = json!({});
    assert!(err(&mut c, d).contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"));
    let mut d = deploy("web", 1);
    d["spec"]["template"]["spec"]["restartPolicy"] = json!("Never");
    assert!(err(&mut c, d).contains("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""));
    let cj = json!({"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c","namespace":"default"},"spec":{"schedule":"61 * * * *",
        "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}}});
    assert_eq!(err(&mut c, cj), "CronJob \"c\" is invalid: spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
}

#[test]
fn immutable_fields_on_update() {
    let mut c = Cluster::new();
    create(&mut c, deploy("web", 1), Caller::admin()).unwrap();
    let mut d = deploy("web", 1);
    d["spec"]["selector"]["matchLabels"] = json!({"app":"web","tier":"x"});
    d["spec"]["template"]["metadata"]["labels"] = json!({"app":"web","tier":"x"});
    let m = update(&mut c, d, Caller::admin()).unwrap_err().message;
    assert!(m.contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"x\"}"), "{m}");
    assert!(m.ends_with("field is immutable"), "{m}");
    // Scaling is an allowed change.
    assert_eq!(update(&mut c, deploy("web", 3), Caller::admin()).unwrap().i64_at("spec.replicas"), Some(3));

    let cm = json!({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default"},"immutable":true,"data":{"a":"1"}});
    create(&mut c, cm.clone(), Caller::admin()).unwrap();
    let mut cm2 = cm;
    cm2["data"]["a"] = json!("2");
    let m = update(&mut c, cm2, Caller::admin()).unwrap_err().message;
    assert_eq!(m, "ConfigMap \"cfg\" is invalid: data: Forbidden: field is immutable when `immutable` is set");

    let pod = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"c","image":"nginx","env":[{"name":"A","value":"1"}]}]}});
    create(&mut c, pod.clone(), Caller::admin()).unwrap();
    // As `kubectl set image` patches it: the stored object with a new image.
    let mut img = c.store.get_by(Kind::Pod, "default", "p").unwrap().clone();
    img["spec"]["containers"][0]["image"] = json!("nginx:1.27");
    assert!(update(&mut c, img, Caller::admin()).is_ok(), "images may change");
    let mut env = pod;
    env["spec"]["containers"][0]["env"][0]["value"] = json!("2");
    let m = update(&mut c, env, Caller::admin()).unwrap_err().message;
    assert!(m.starts_with("Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"), "{m}");

    let job = json!({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","namespace":"default"},
        "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}});
    create(&mut c, job.clone(), Caller::admin()).unwrap();
    assert!(update(&mut c, job.clone(), Caller::admin()).is_ok(), "re-applying the same Job is fine");
    let mut job2 = job;
    job2["spec"]["template"]["spec"]["containers"][0]["image"] = json!("busybox:1.36");
    let m = update(&mut c, job2, Caller::admin()).unwrap_err().message;
    assert!(m.ends_with("spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"), "{m}");

    let rb = |kind: &str| json!({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb","namespace":"default"},
        "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":kind,"name":"view"},"subjects":[{"kind":"User","name":"jane"}]});
    create(&mut c, rb("ClusterRole"), Caller::admin()).unwrap();
    let m = update(&mut c, rb("Role"), Caller::admin()).unwrap_err().message;
    assert!(m.ends_with("roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"view\"}: cannot change roleRef"), "{m}");
}

#[test]
fn storage_rbac_ingress() {
    let mut c = Cluster::new();
    let pvc = json!({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c","namespace":"default"},"spec":{}});
    assert_eq!(
        err(&mut c, pvc),
        "PersistentVolumeClaim \"c\" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]"
    );
    let crb = json!({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"x"},
        "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},"subjects":[{"kind":"ServiceAccount","name":"sa"}]});
    assert_eq!(
        err(&mut c, crb),
        "ClusterRoleBinding \"x\" is invalid: [roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\", subjects[0].namespace: Required value]"
    );
    let ing = json!({"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"i","namespace":"default"},
        "spec":{"rules":[{"http":{"paths":[{"path":"/","pathType":"prefix","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}});
    assert!(err(&mut c, ing).ends_with("spec.rules[0].http.paths[0].pathType: Unsupported value: \"prefix\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""));
    assert!(c.store.get_by(Kind::Ingress, "default", "i").is_none(), "a rejected object changes nothing");
}

#[test]
fn a_remembered_valid_spec_changes_no_verdict() {
    // Controllers' pods with a spec already found valid skip its validation (debug builds still
    // run it and assert it finds nothing); any other spec is validated in full.
    let mut c = Cluster::new();
    let pod = |name: &str, container: Value| {
        json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":name,"namespace":"default",
            "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u-rs","controller":true}]},
            "spec":{"containers":[container]}})
    };
    let good = json!({"name":"c","image":"nginx"});
    create(&mut c, pod("p1", good.clone()), Caller::Controller).unwrap();
    create(&mut c, pod("p2", good.clone()), Caller::Controller).unwrap();
    let m = err(&mut c, pod("p3", json!({"name":"c","image":"nginx","imagePullPolicy":"Sometimes"})));
    assert_eq!(m, "Pod \"p3\" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"");
    // The metadata is still validated for a remembered spec.
    let m = err(&mut c, pod("P4", good.clone()));
    assert!(m.starts_with("Pod \"P4\" is invalid: metadata.name: Invalid value: \"P4\""), "{m}");
    // Labels are remembered alike: equal ones pass, others are checked.
    let labelled = |name: &str, labels: Value| {
        let mut p = pod(name, good.clone());
        p["metadata"]["labels"] = labels;
        p
    };
    create(&mut c, labelled("p5", json!({"app": "web"})), Caller::Controller).unwrap();
    create(&mut c, labelled("p6", json!({"app": "web"})), Caller::Controller).unwrap();
    let m = err(&mut c, labelled("p7", json!({"app": "-web"})));
    assert!(m.starts_with("Pod \"p7\" is invalid: metadata.labels: Invalid value: \"-web\""), "{m}");
}
