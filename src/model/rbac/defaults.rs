//! The default RBAC policy a v1.34 API server creates at start (plugin/pkg/auth/authorizer/rbac/
//! bootstrappolicy/policy.go) plus kubeadm's `kubeadm:cluster-admins` binding: cluster-admin, the
//! aggregated admin/edit/view, discovery and basic-user roles.

use crate::value::{json, Value};

const RW: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const RO: &[&str] = &["get", "list", "watch"];

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Value {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

fn urls(urls: &[&str], verbs: &[&str]) -> Value {
    json!({"nonResourceURLs": urls, "verbs": verbs})
}

fn meta(name: &str, labels: &[(&str, &str)]) -> Value {
    let mut l = crate::value::Map::new();
    l.insert("kubernetes.io/bootstrapping".into(), json!("rbac-defaults"));
    for (k, v) in labels {
        l.insert((*k).into(), json!(v));
    }
    json!({"name": name, "labels": l, "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}})
}

fn cluster_role(name: &str, labels: &[(&str, &str)], rules: Vec<Value>) -> Value {
    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": meta(name, labels), "rules": rules})
}

fn aggregated(name: &str, labels: &[(&str, &str)], selector_label: &str) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": meta(name, labels),
        "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {selector_label: "true"}}]},
        "rules": [],
    })
}

fn binding(name: &str, role: &str, groups: &[&str]) -> Value {
    let subjects: Vec<Value> = groups.iter().map(|g| json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g})).collect();
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": meta(name, &[]),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": subjects,
    })
}

fn user_binding(name: &str, role: &str, user: &str) -> Value {
    let mut b = binding(name, role, &[]);
    b["subjects"] = json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user}]);
    b
}

const AGG_ADMIN: &str = "rbac.authorization.k8s.io/aggregate-to-admin";
const AGG_EDIT: &str = "rbac.authorization.k8s.io/aggregate-to-edit";
const AGG_VIEW: &str = "rbac.authorization.k8s.io/aggregate-to-view";

/// The objects, in creation order.
pub fn bootstrap_policy() -> Vec<Value> {
    let rw_read: Vec<&str> = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"].to_vec();
    let mut out = vec![
        cluster_role("cluster-admin", &[], vec![rule(&["*"], &["*"], &["*"]), urls(&["*"], &["*"])]),
        aggregated("admin", &[], AGG_ADMIN),
        aggregated("edit", &[(AGG_ADMIN, "true")], AGG_EDIT),
        aggregated("view", &[(AGG_EDIT, "true")], AGG_VIEW),
        cluster_role("system:aggregate-to-admin", &[(AGG_ADMIN, "true")], vec![
            rule(&["authorization.k8s.io"], &["localsubjectaccessreviews"], &["create"]),
            rule(&["rbac.authorization.k8s.io"], &["rolebindings", "roles"], &rw_read),
        ]),
        cluster_role("system:aggregate-to-edit", &[(AGG_EDIT, "true")], vec![
            rule(&[""], &["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], RO),
            rule(&[""], &["serviceaccounts"], &["impersonate"]),
            rule(&[""], &["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], RW),
            rule(&[""], &["pods/eviction"], &["create"]),
            rule(&[""], &["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"], RW),
            rule(&[""], &["serviceaccounts/token"], &["create"]),
            rule(&["apps"], &["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"], RW),
            rule(&["autoscaling"], &["horizontalpodautoscalers"], RW),
            rule(&["batch"], &["cronjobs", "jobs"], RW),
            rule(&["extensions"], &["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"], RW),
            rule(&["policy"], &["poddisruptionbudgets"], RW),
            rule(&["networking.k8s.io"], &["ingresses", "networkpolicies"], RW),
            rule(&["coordination.k8s.io"], &["leases"], &rw_read),
        ]),
        cluster_role("system:aggregate-to-view", &[(AGG_VIEW, "true")], vec![
            rule(&[""], &["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"], RO),
            rule(&[""], &["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"], RO),
            rule(&[""], &["namespaces"], RO),
            rule(&["discovery.k8s.io"], &["endpointslices"], RO),
            rule(&["apps"], &["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"], RO),
            rule(&["autoscaling"], &["horizontalpodautoscalers", "horizontalpodautoscalers/status"], RO),
            rule(&["batch"], &["cronjobs", "cronjobs/status", "jobs", "jobs/status"], RO),
            rule(&["extensions"], &["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"], RO),
            rule(&["policy"], &["poddisruptionbudgets", "poddisruptionbudgets/status"], RO),
            rule(&["networking.k8s.io"], &["ingresses", "ingresses/status", "networkpolicies"], RO),
        ]),
        cluster_role("system:basic-user", &[], vec![
            rule(&["authorization.k8s.io"], &["selfsubjectaccessreviews", "selfsubjectrulesreviews"], &["create"]),
            rule(&["authentication.k8s.io"], &["selfsubjectreviews"], &["create"]),
        ]),
        cluster_role("system:discovery", &[], vec![urls(
            &["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"],
            &["get"],
        )]),
        cluster_role("system:public-info-viewer", &[], vec![urls(&["/healthz", "/livez", "/readyz", "/version", "/version/"], &["get"])]),
        cluster_role("system:monitoring", &[], vec![urls(
            &["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"],
            &["get"],
        )]),
        cluster_role("system:auth-delegator", &[], vec![
            rule(&["authentication.k8s.io"], &["tokenreviews"], &["create"]),
            rule(&["authorization.k8s.io"], &["subjectaccessreviews"], &["create"]),
        ]),
        // The scheduler's core rules (events, leases, binding pods, reading what it schedules against).
        cluster_role("system:kube-scheduler", &[], vec![
            rule(&["", "events.k8s.io"], &["events"], &["create", "patch", "update"]),
            rule(&["coordination.k8s.io"], &["leases"], &["create"]),
            json!({"apiGroups": ["coordination.k8s.io"], "resourceNames": ["kube-scheduler"], "resources": ["leases"], "verbs": ["get", "update"]}),
            rule(&[""], &["nodes"], RO),
            rule(&[""], &["pods"], &["delete", "get", "list", "watch"]),
            rule(&[""], &["bindings", "pods/binding"], &["create"]),
            rule(&[""], &["pods/status"], &["patch", "update"]),
            rule(&[""], &["replicationcontrollers", "services"], RO),
            rule(&["apps", "extensions"], &["replicasets"], RO),
            rule(&["apps"], &["statefulsets"], RO),
            rule(&["policy"], &["poddisruptionbudgets"], RO),
            rule(&[""], &["persistentvolumeclaims", "persistentvolumes"], RO),
            rule(&["authentication.k8s.io"], &["tokenreviews"], &["create"]),
            rule(&["authorization.k8s.io"], &["subjectaccessreviews"], &["create"]),
            rule(&["storage.k8s.io"], &["csinodes"], RO),
            rule(&[""], &["namespaces"], RO),
            rule(&["storage.k8s.io"], &["csidrivers"], RO),
            rule(&["storage.k8s.io"], &["csistoragecapacities"], RO),
        ]),
        cluster_role("system:volume-scheduler", &[], vec![
            rule(&[""], &["persistentvolumes"], &["get", "list", "patch", "update", "watch"]),
            rule(&["storage.k8s.io"], &["storageclasses"], RO),
            rule(&[""], &["persistentvolumeclaims"], &["get", "list", "patch", "update", "watch"]),
        ]),
        binding("cluster-admin", "cluster-admin", &["system:masters"]),
        binding("system:basic-user", "system:basic-user", &["system:authenticated"]),
        binding("system:discovery", "system:discovery", &["system:authenticated"]),
        binding("system:public-info-viewer", "system:public-info-viewer", &["system:authenticated", "system:unauthenticated"]),
        binding("system:monitoring", "system:monitoring", &["system:monitoring"]),
        user_binding("system:kube-scheduler", "system:kube-scheduler", "system:kube-scheduler"),
        user_binding("system:volume-scheduler", "system:volume-scheduler", "system:kube-scheduler"),
    ];
    // kubeadm (cmd/kubeadm/app/phases/kubeconfig): admin.conf's group is bound to cluster-admin.
    let mut kubeadm = binding("kubeadm:cluster-admins", "cluster-admin", &["kubeadm:cluster-admins"]);
    kubeadm["metadata"] = json!({"name": "kubeadm:cluster-admins"});
    out.push(kubeadm);
    out
}
