//! Static API defaulting (`pkg/apis/*/v1/defaults.go`): what the real API server fills in from the
//! object alone before it is stored (strategy 25%/25%, imagePullPolicy, targetPort = port, ...).
//! Allocation (ClusterIP, NodePort) and admission (service accounts) live elsewhere.

use super::kinds::Kind;
use super::object::{default_path, path_mut, set_path, ObjExt, Object};
use crate::value::{json, Map, Value};

/// Static defaulting: depends only on the object itself.
pub fn apply(kind: Kind, obj: &mut Object) {
    match kind {
        Kind::Pod => {
            if let Some(spec) = path_mut(obj, "spec") {
                pod_spec(spec);
                pod_only(spec);
            }
        }
        Kind::Deployment => {
            default_path(obj, "spec.replicas", || json!(1));
            if obj.str_at("spec.strategy.type").is_none() {
                default_path(obj, "spec.strategy.type", || json!("RollingUpdate"));
            }
            if obj.str_at("spec.strategy.type") == Some("RollingUpdate") {
                default_path(obj, "spec.strategy.rollingUpdate.maxUnavailable", || json!("25%"));
                default_path(obj, "spec.strategy.rollingUpdate.maxSurge", || json!("25%"));
            }
            default_path(obj, "spec.revisionHistoryLimit", || json!(10));
            default_path(obj, "spec.progressDeadlineSeconds", || json!(600));
            template(obj, "spec.template.spec");
        }
        Kind::ReplicaSet => {
            default_path(obj, "spec.replicas", || json!(1));
            template(obj, "spec.template.spec");
        }
        Kind::StatefulSet => {
            default_path(obj, "spec.replicas", || json!(1));
            default_path(obj, "spec.podManagementPolicy", || json!("OrderedReady"));
            default_path(obj, "spec.updateStrategy.type", || json!("RollingUpdate"));
            if obj.str_at("spec.updateStrategy.type") == Some("RollingUpdate") {
                default_path(obj, "spec.updateStrategy.rollingUpdate.partition", || json!(0));
            }
            default_path(obj, "spec.revisionHistoryLimit", || json!(10));
            default_path(obj, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", || json!("Retain"));
            default_path(obj, "spec.persistentVolumeClaimRetentionPolicy.whenScaled", || json!("Retain"));
            if let Some(Value::Array(ts)) = path_mut(obj, "spec.volumeClaimTemplates") {
                for t in ts.iter_mut() {
                    default_path(t, "spec.volumeMode", || json!("Filesystem"));
                    default_path(t, "status.phase", || json!("Pending"));
                }
            }
            template(obj, "spec.template.spec");
        }
        Kind::DaemonSet => {
            default_path(obj, "spec.updateStrategy.type", || json!("RollingUpdate"));
            if obj.str_at("spec.updateStrategy.type") == Some("RollingUpdate") {
                default_path(obj, "spec.updateStrategy.rollingUpdate.maxUnavailable", || json!(1));
                default_path(obj, "spec.updateStrategy.rollingUpdate.maxSurge", || json!(0));
            }
            default_path(obj, "spec.revisionHistoryLimit", || json!(10));
            template(obj, "spec.template.spec");
        }
        Kind::Job => {
            // batch/v1 SetDefaults_Job: both unset → 1/1; only parallelism unset → 1.
            if obj.path("spec.completions").is_none_or(Value::is_null) && obj.path("spec.parallelism").is_none_or(Value::is_null) {
                default_path(obj, "spec.completions", || json!(1));
            }
            default_path(obj, "spec.parallelism", || json!(1));
            if obj.path("spec.backoffLimitPerIndex").is_some_and(|v| !v.is_null()) {
                default_path(obj, "spec.backoffLimit", || json!(i32::MAX));
            } else {
                default_path(obj, "spec.backoffLimit", || json!(6));
            }
            default_path(obj, "spec.completionMode", || json!("NonIndexed"));
            default_path(obj, "spec.suspend", || json!(false));
            let replacement = if obj.path("spec.podFailurePolicy").is_some_and(|v| !v.is_null()) { "Failed" } else { "TerminatingOrFailed" };
            default_path(obj, "spec.podReplacementPolicy", || json!(replacement));
            template(obj, "spec.template.spec");
        }
        Kind::CronJob => {
            default_path(obj, "spec.concurrencyPolicy", || json!("Allow"));
            default_path(obj, "spec.suspend", || json!(false));
            default_path(obj, "spec.successfulJobsHistoryLimit", || json!(3));
            default_path(obj, "spec.failedJobsHistoryLimit", || json!(1));
            template(obj, "spec.jobTemplate.spec.template.spec");
        }
        Kind::Service => service(obj),
        Kind::PersistentVolumeClaim => {
            default_path(obj, "spec.volumeMode", || json!("Filesystem"));
            default_path(obj, "status.phase", || json!("Pending"));
        }
        Kind::PersistentVolume => {
            default_path(obj, "spec.persistentVolumeReclaimPolicy", || json!("Retain"));
            default_path(obj, "spec.volumeMode", || json!("Filesystem"));
            default_path(obj, "status.phase", || json!("Pending"));
        }
        Kind::StorageClass => {
            default_path(obj, "reclaimPolicy", || json!("Delete"));
            default_path(obj, "volumeBindingMode", || json!("Immediate"));
        }
        Kind::Secret => {
            default_path(obj, "type", || json!("Opaque"));
            merge_string_data(obj);
        }
        Kind::Namespace => {
            default_path(obj, "spec.finalizers", || json!(["kubernetes"]));
            default_path(obj, "status.phase", || json!("Active"));
        }
        Kind::RoleBinding | Kind::ClusterRoleBinding => {
            default_path(obj, "roleRef.apiGroup", || json!("rbac.authorization.k8s.io"));
            if let Some(Value::Array(subjects)) = path_mut(obj, "subjects") {
                for s in subjects.iter_mut() {
                    if matches!(s.str_at("kind"), Some("User") | Some("Group")) {
                        default_path(s, "apiGroup", || json!("rbac.authorization.k8s.io"));
                    }
                }
            }
        }
        Kind::Endpoints => {
            if let Some(Value::Array(subsets)) = path_mut(obj, "subsets") {
                for s in subsets.iter_mut() {
                    each(s, "ports", |p| default_path(p, "protocol", || json!("TCP")));
                }
            }
        }
        _ => {}
    }
}

/// `f` on each item of the array `v.<field>` (one segment, read without a path).
fn each(v: &mut Value, field: &str, mut f: impl FnMut(&mut Value)) {
    if let Some(Value::Array(items)) = v.get_mut(field) {
        items.iter_mut().for_each(&mut f);
    }
}

/// `default_path` of a one-segment path, read without a dotted path: defaulting a pod whose
/// template was defaulted already finds every field set.
fn default_field(v: &mut Value, field: &str, value: impl FnOnce() -> Value) {
    if v.get(field).is_none_or(Value::is_null) {
        set_path(v, field, value());
    }
}

fn template(obj: &mut Object, path: &str) {
    if let Some(spec) = path_mut(obj, path) {
        pod_spec(spec);
    }
}

/// core/v1 SetDefaults_PodSpec and the container, port, probe and volume defaults under it.
pub fn pod_spec(spec: &mut Value) {
    if !spec.is_object() {
        return;
    }
    default_field(spec, "dnsPolicy", || json!("ClusterFirst"));
    default_field(spec, "restartPolicy", || json!("Always"));
    default_field(spec, "securityContext", || json!({}));
    default_field(spec, "terminationGracePeriodSeconds", || json!(30));
    default_field(spec, "schedulerName", || json!("default-scheduler"));
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        each(spec, list, container);
    }
    each(spec, "volumes", |v| {
        const SOURCES: &[&str] = &[
            "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs",
            "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
            "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
            "ephemeral", "image",
        ];
        if v.as_object().is_some_and(|m| !SOURCES.iter().any(|s| m.get(s).is_some_and(|x| !x.is_null()))) {
            default_path(v, "emptyDir", || json!({}));
        }
        for src in ["secret", "configMap", "downwardAPI", "projected"] {
            if v.path(src).is_some_and(Value::is_object) {
                default_path(v, &format!("{src}.defaultMode"), || json!(420));
            }
        }
        if v.path("hostPath").is_some_and(Value::is_object) {
            default_path(v, "hostPath.type", || json!(""));
        }
    });
}

/// SetDefaults_Pod: only for Pod objects, not templates.
fn pod_only(spec: &mut Value) {
    default_field(spec, "enableServiceLinks", || json!(true));
    // Requests default to limits when only limits are given.
    for list in ["initContainers", "containers"] {
        each(spec, list, |c| {
            // A resource name may hold dots (`nvidia.com/gpu`): the key is set whole, not as a path.
            let Some(Value::Object(limits)) = c.path("resources.limits").cloned() else { return };
            // Go makes the map for any non-nil limits, but `omitempty` drops an empty one.
            if limits.is_empty() {
                return;
            }
            let Some(resources) = c.get_mut("resources") else { return };
            if !resources.get("requests").is_some_and(Value::is_object) {
                set_path(resources, "requests", json!({}));
            }
            let Some(Value::Object(requests)) = resources.get_mut("requests") else { return };
            for (res, q) in limits {
                if requests.get(&res).is_none_or(Value::is_null) {
                    requests.insert(res, q);
                }
            }
        });
    }
}

fn container(c: &mut Value) {
    if !c.is_object() {
        return;
    }
    let policy = match c.str_at("image") {
        Some(image) if image_tag(image).is_some_and(|t| t != "latest") || image.contains('@') => "IfNotPresent",
        _ => "Always",
    };
    default_field(c, "imagePullPolicy", || json!(policy));
    default_field(c, "terminationMessagePath", || json!("/dev/termination-log"));
    default_field(c, "terminationMessagePolicy", || json!("File"));
    each(c, "ports", |p| default_field(p, "protocol", || json!("TCP")));
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.get_mut(probe).filter(|p| p.is_object()) {
            default_field(p, "timeoutSeconds", || json!(1));
            default_field(p, "periodSeconds", || json!(10));
            default_field(p, "successThreshold", || json!(1));
            default_field(p, "failureThreshold", || json!(3));
            if p.path("httpGet").is_some_and(Value::is_object) {
                default_path(p, "httpGet.path", || json!("/"));
                default_path(p, "httpGet.scheme", || json!("HTTP"));
            }
        }
    }
    each(c, "env", |e| {
        if e.path("valueFrom.fieldRef").is_some_and(Value::is_object) {
            default_path(e, "valueFrom.fieldRef.apiVersion", || json!("v1"));
        }
    });
}

/// The tag of an image reference (`nginx:1.27` → `1.27`; `localhost:5000/app` → none).
pub fn image_tag(image: &str) -> Option<&str> {
    let name = image.split('@').next().unwrap_or(image);
    let last = name.rsplit('/').next().unwrap_or(name);
    last.split_once(':').map(|(_, t)| t)
}

fn service(obj: &mut Object) {
    default_path(obj, "spec.type", || json!("ClusterIP"));
    default_path(obj, "spec.sessionAffinity", || json!("None"));
    let ty = obj.str_at("spec.type").unwrap_or("ClusterIP").to_string();
    if obj.str_at("spec.sessionAffinity") == Some("ClientIP") {
        default_path(obj, "spec.sessionAffinityConfig.clientIP.timeoutSeconds", || json!(10800));
    }
    if ty != "ExternalName" {
        default_path(obj, "spec.internalTrafficPolicy", || json!("Cluster"));
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        default_path(obj, "spec.externalTrafficPolicy", || json!("Cluster"));
    }
    if ty == "LoadBalancer" {
        default_path(obj, "spec.allocateLoadBalancerNodePorts", || json!(true));
    }
    if let Some(Value::Array(ports)) = path_mut(obj, "spec.ports") {
        for p in ports.iter_mut() {
            default_path(p, "protocol", || json!("TCP"));
            let unset = p.path("targetPort").is_none_or(|t| t.is_null() || t.as_i64() == Some(0) || t.as_str() == Some(""));
            if unset {
                if let Some(port) = p.path("port").cloned() {
                    if let Some(m) = p.as_object_mut() {
                        m.insert("targetPort".into(), port);
                    }
                }
            }
        }
    }
}

/// The server folds `stringData` into `data` (base64) and drops it (core/v1 conversion).
fn merge_string_data(obj: &mut Object) {
    use base64::Engine;
    let Some(Value::Object(sd)) = obj.as_object_mut().and_then(|m| m.remove("stringData")) else { return };
    let mut data: Map = obj.path("data").and_then(Value::as_object).cloned().unwrap_or_default();
    for (k, v) in sd {
        if let Some(s) = v.as_str() {
            data.insert(k, json!(base64::engine::general_purpose::STANDARD.encode(s)));
        }
    }
    if let Some(m) = obj.as_object_mut() {
        m.insert("data".into(), Value::Object(data));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_and_template_defaults() {
        let mut d = json!({"kind":"Deployment","spec":{"template":{"spec":{"containers":[
            {"name":"a","image":"nginx","ports":[{"containerPort":80}]},
            {"name":"b","image":"nginx:1.27"},
            {"name":"c","image":"localhost:5000/app"}]}}}});
        apply(Kind::Deployment, &mut d);
        assert_eq!(d.i64_at("spec.replicas"), Some(1));
        assert_eq!(d.str_at("spec.strategy.rollingUpdate.maxSurge"), Some("25%"));
        assert_eq!(d.i64_at("spec.progressDeadlineSeconds"), Some(600));
        assert_eq!(d.str_at("spec.template.spec.restartPolicy"), Some("Always"));
        assert_eq!(d.str_at("spec.template.spec.containers.0.imagePullPolicy"), Some("Always"));
        assert_eq!(d.str_at("spec.template.spec.containers.1.imagePullPolicy"), Some("IfNotPresent"));
        assert_eq!(d.str_at("spec.template.spec.containers.2.imagePullPolicy"), Some("Always"));
        assert_eq!(d.str_at("spec.template.spec.containers.0.ports.0.protocol"), Some("TCP"));
        assert_eq!(d.path("spec.template.spec.enableServiceLinks"), None, "SetDefaults_Pod is for pods only");
    }

    #[test]
    fn pod_defaults_fill_only_what_is_missing() {
        let mut p = json!({"kind":"Pod","spec":{"dnsPolicy":"Default","restartPolicy":null,"containers":[
            {"name":"a","image":"nginx:1.27","imagePullPolicy":"Always","ports":[{"containerPort":80,"protocol":"UDP"},{"containerPort":81}, 7],
             "readinessProbe":{"periodSeconds":5,"httpGet":{"port":80}}}]}});
        apply(Kind::Pod, &mut p);
        assert_eq!(p.str_at("spec.dnsPolicy"), Some("Default"));
        assert_eq!(p.str_at("spec.restartPolicy"), Some("Always"), "null counts as missing");
        assert_eq!(p.path("spec.enableServiceLinks"), Some(&json!(true)));
        assert_eq!(p.str_at("spec.containers.0.imagePullPolicy"), Some("Always"));
        assert_eq!(p.str_at("spec.containers.0.terminationMessagePolicy"), Some("File"));
        assert_eq!(p.path("spec.containers.0.ports"), Some(&json!([{"containerPort":80,"protocol":"UDP"},{"containerPort":81,"protocol":"TCP"},{"protocol":"TCP"}])));
        assert_eq!(p.path("spec.containers.0.readinessProbe"), Some(&json!({"periodSeconds":5,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3,
            "httpGet":{"port":80,"path":"/","scheme":"HTTP"}})));
    }

    #[test]
    fn requests_default_to_limits_under_the_whole_resource_name() {
        let mut p = json!({"kind":"Pod","spec":{"containers":[
            {"name":"a","image":"cuda","resources":{"limits":{"nvidia.com/gpu":"1","cpu":"500m"},"requests":{"cpu":"250m"}}},
            {"name":"b","image":"cuda","resources":{"limits":{"example.com/foo.bar":"2"}}}]}});
        apply(Kind::Pod, &mut p);
        assert_eq!(p.path("spec.containers.0.resources.requests"), Some(&json!({"cpu":"250m","nvidia.com/gpu":"1"})));
        assert_eq!(p.path("spec.containers.1.resources.requests"), Some(&json!({"example.com/foo.bar":"2"})));
        // Empty limits leave no empty requests behind (`omitempty`).
        let mut q = json!({"kind":"Pod","spec":{"containers":[{"name":"a","image":"x","resources":{"limits":{}}}]}});
        apply(Kind::Pod, &mut q);
        assert_eq!(q.path("spec.containers.0.resources"), Some(&json!({"limits":{}})));
    }

    #[test]
    fn service_job_secret_defaults() {
        let mut s = json!({"kind":"Service","spec":{"type":"NodePort","ports":[{"port":80},{"port":443,"targetPort":"https"}]}});
        apply(Kind::Service, &mut s);
        assert_eq!(s.i64_at("spec.ports.0.targetPort"), Some(80));
        assert_eq!(s.str_at("spec.ports.1.targetPort"), Some("https"));
        assert_eq!(s.str_at("spec.externalTrafficPolicy"), Some("Cluster"));
        let mut j = json!({"kind":"Job","spec":{"parallelism":3,"template":{"spec":{"containers":[]}}}});
        apply(Kind::Job, &mut j);
        assert_eq!(j.path("spec.completions"), None);
        assert_eq!(j.i64_at("spec.backoffLimit"), Some(6));
        let mut sec = json!({"kind":"Secret","stringData":{"user":"admin"}});
        apply(Kind::Secret, &mut sec);
        assert_eq!(sec.str_at("data.user"), Some("YWRtaW4="));
        assert_eq!(sec.str_at("type"), Some("Opaque"));
        assert_eq!(sec.path("stringData"), None);
    }
}
