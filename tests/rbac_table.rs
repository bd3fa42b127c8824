//! Table-driven RBAC: `kubectl auth can-i` questions over roles with wildcards, resourceNames,
//! subresources, aggregated roles, ClusterRoles bound per namespace, service-account groups and the
//! default policy, each with the answer a v1.34 API server gives (plugin/pkg/auth/authorizer/rbac).

use kubelab::model::api::{create, Caller};
use kubelab::model::rbac::{authorize, can_i_list, forbidden_message, Request};
use kubelab::model::Cluster;
use kubelab::value::{json, Value};

fn role(kind: &str, ns: &str, name: &str, rules: Value) -> Value {
    let mut o = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": name}, "rules": rules});
    if !ns.is_empty() {
        o["metadata"]["namespace"] = json!(ns);
    }
    o
}

fn binding(kind: &str, ns: &str, name: &str, subjects: Value, role_kind: &str, role: &str) -> Value {
    let mut o = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": name}, "subjects": subjects,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role}});
    if !ns.is_empty() {
        o["metadata"]["namespace"] = json!(ns);
    }
    o
}

fn user(n: &str) -> Value {
    json!([{"kind": "User", "name": n, "apiGroup": "rbac.authorization.k8s.io"}])
}

fn cluster() -> Cluster {
    let mut c = Cluster::new();
    let objs = vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}),
        role("Role", "dev", "pod-reader", json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}])),
        role("Role", "dev", "log-reader", json!([{"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]}])),
        role("Role", "dev", "cm-one", json!([{"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["app-config"], "verbs": ["get", "update"]}])),
        role("Role", "dev", "all-in-apps", json!([{"apiGroups": ["apps"], "resources": ["*"], "verbs": ["*"]}])),
        role("Role", "dev", "scaler", json!([{"apiGroups": ["apps"], "resources": ["*/scale"], "verbs": ["update"]}])),
        role("ClusterRole", "", "secret-reader", json!([{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}])),
        role("ClusterRole", "", "health", json!([{"nonResourceURLs": ["/healthz", "/logs/*"], "verbs": ["get"]}])),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "monitoring"},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate-to-monitoring": "true"}}]}, "rules": []}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "monitoring-endpoints", "labels": {"rbac.example.com/aggregate-to-monitoring": "true"}},
            "rules": [{"apiGroups": [""], "resources": ["services", "endpoints", "pods"], "verbs": ["get", "list", "watch"]}]}),
        binding("RoleBinding", "dev", "jane-pods", user("jane"), "Role", "pod-reader"),
        binding("RoleBinding", "dev", "jane-logs", user("jane"), "Role", "log-reader"),
        binding("RoleBinding", "dev", "jane-secrets", user("jane"), "ClusterRole", "secret-reader"),
        binding("RoleBinding", "dev", "bob-cm", user("bob"), "Role", "cm-one"),
        binding("RoleBinding", "dev", "team-apps", json!([{"kind": "Group", "name": "dev-team", "apiGroup": "rbac.authorization.k8s.io"}]), "Role", "all-in-apps"),
        binding("RoleBinding", "dev", "scaler", user("scaler"), "Role", "scaler"),
        binding("ClusterRoleBinding", "", "carol-health", user("carol"), "ClusterRole", "health"),
        binding("ClusterRoleBinding", "", "mon", user("mon"), "ClusterRole", "monitoring"),
        binding("RoleBinding", "dev", "builder-edit", json!([{"kind": "ServiceAccount", "name": "builder"}]), "ClusterRole", "edit"),
        binding("RoleBinding", "dev", "all-sa-view", json!([{"kind": "Group", "name": "system:serviceaccounts:dev", "apiGroup": "rbac.authorization.k8s.io"}]), "ClusterRole", "view"),
        binding("ClusterRoleBinding", "", "auditor-view", user("auditor"), "ClusterRole", "view"),
        binding("RoleBinding", "dev", "lead-admin", user("lead"), "ClusterRole", "admin"),
    ];
    for o in objs {
        create(&mut c, o, Caller::admin()).unwrap_or_else(|e| panic!("{}", e.message));
    }
    c.settle();
    c
}

/// `verb resource[/sub] [name]` in `ns` (or a `/path`), as `user` with extra groups.
fn ask(c: &Cluster, who: &str, groups: &[&str], verb: &str, what: &str, ns: &str) -> bool {
    let mut r = Request { user: who.into(), groups: groups.iter().map(|g| g.to_string()).collect(), verb: verb.into(), namespace: ns.into(), ..Default::default() };
    if what.starts_with('/') {
        r.non_resource_url = what.into();
        r.namespace.clear();
    } else {
        let (res, name) = what.split_once(' ').unwrap_or((what, ""));
        let (res, sub) = res.split_once('/').unwrap_or((res, ""));
        let (res, group) = res.split_once('.').unwrap_or((res, ""));
        r.resource = res.into();
        r.subresource = sub.into();
        r.api_group = group.into();
        r.name = name.into();
    }
    authorize(&c.store, &r).allowed
}

#[test]
fn can_i_table() {
    let c = cluster();
    let sa_builder = "system:serviceaccount:dev:builder";
    let sa_other = "system:serviceaccount:dev:other";
    let admin_groups = ["kubeadm:cluster-admins"];
    #[rustfmt::skip]
    let table: &[(&str, &[&str], &str, &str, &str, bool)] = &[
        // Role in one namespace.
        ("jane", &[], "get", "pods", "dev", true),
        ("jane", &[], "list", "pods", "dev", true),
        ("jane", &[], "watch", "pods", "dev", true),
        ("jane", &[], "delete", "pods", "dev", false),
        ("jane", &[], "get", "pods", "default", false),
        // Subresources are separate resources.
        ("jane", &[], "get", "pods/log", "dev", true),
        ("jane", &[], "create", "pods/log", "dev", false),
        ("jane", &[], "get", "pods/exec", "dev", false),
        ("bob", &[], "get", "pods/log", "dev", false),
        // A ClusterRole bound by a RoleBinding is scoped to that namespace.
        ("jane", &[], "get", "secrets", "dev", true),
        ("jane", &[], "get", "secrets", "default", false),
        ("jane", &[], "get", "secrets", "", false),
        // resourceNames: only the named object, and never list.
        ("bob", &[], "get", "configmaps app-config", "dev", true),
        ("bob", &[], "update", "configmaps app-config", "dev", true),
        ("bob", &[], "get", "configmaps other", "dev", false),
        ("bob", &[], "list", "configmaps", "dev", false),
        ("bob", &[], "delete", "configmaps app-config", "dev", false),
        // Wildcards within one API group; groups bound by Group subjects.
        ("alice", &["dev-team"], "create", "deployments.apps", "dev", true),
        ("alice", &["dev-team"], "delete", "statefulsets.apps", "dev", true),
        ("alice", &["dev-team"], "update", "deployments.apps/scale", "dev", true),
        ("alice", &["dev-team"], "create", "pods", "dev", false),
        ("alice", &["dev-team"], "create", "deployments.extensions", "dev", false),
        ("alice", &[], "create", "deployments.apps", "dev", false),
        // `*/scale` matches the scale subresource of anything, and nothing else.
        ("scaler", &[], "update", "deployments.apps/scale", "dev", true),
        ("scaler", &[], "update", "statefulsets.apps/scale", "dev", true),
        ("scaler", &[], "update", "deployments.apps", "dev", false),
        ("scaler", &[], "get", "deployments.apps/scale", "dev", false),
        // Non-resource URLs, with a trailing-* prefix.
        ("carol", &[], "get", "/healthz", "", true),
        ("carol", &[], "get", "/logs/kube-apiserver.log", "", true),
        ("carol", &[], "post", "/healthz", "", false),
        // Default policy: discovery and public info for every authenticated user.
        ("jane", &[], "get", "/healthz", "", true),
        ("jane", &[], "get", "/version", "", true),
        ("jane", &[], "get", "/api", "", true),
        ("jane", &[], "get", "/metrics", "", false),
        ("jane", &[], "create", "selfsubjectaccessreviews.authorization.k8s.io", "", true),
        ("system:anonymous", &[], "get", "/healthz", "", true),
        ("system:anonymous", &[], "get", "/api", "", false),
        // Aggregated ClusterRoles (a custom one and the defaults).
        ("mon", &[], "list", "services", "dev", true),
        ("mon", &[], "get", "endpoints", "kube-system", true),
        ("mon", &[], "delete", "services", "dev", false),
        ("auditor", &[], "list", "pods", "kube-system", true),
        ("auditor", &[], "get", "pods/log", "default", true),
        ("auditor", &[], "get", "secrets", "kube-system", false),
        ("auditor", &[], "list", "nodes", "", false),
        ("auditor", &[], "list", "namespaces", "", true),
        ("auditor", &[], "create", "pods", "default", false),
        ("lead", &[], "create", "rolebindings.rbac.authorization.k8s.io", "dev", true),
        ("lead", &[], "get", "secrets", "dev", true),
        ("lead", &[], "create", "deployments.apps", "dev", true),
        ("lead", &[], "create", "namespaces", "", false),
        // ServiceAccounts: RoleBinding subject without namespace, and the implied groups.
        (sa_builder, &[], "create", "deployments.apps", "dev", true),
        (sa_builder, &[], "get", "secrets", "dev", true),
        (sa_builder, &[], "create", "roles.rbac.authorization.k8s.io", "dev", false),
        (sa_builder, &[], "create", "deployments.apps", "default", false),
        (sa_other, &[], "list", "pods", "dev", true),
        (sa_other, &[], "get", "secrets", "dev", false),
        (sa_other, &[], "list", "pods", "default", false),
        ("system:serviceaccount:default:builder", &[], "create", "deployments.apps", "dev", false),
        // kubeadm's admin and the privileged group.
        ("kubernetes-admin", &admin_groups, "delete", "nodes", "", true),
        ("kubernetes-admin", &admin_groups, "get", "/anything/at/all", "", true),
        ("someone", &["system:masters"], "escalate", "clusterroles.rbac.authorization.k8s.io", "", true),
        ("kubernetes-admin", &[], "delete", "nodes", "", false),
    ];
    assert!(table.len() >= 40);
    let mut wrong = Vec::new();
    for (who, groups, verb, what, ns, want) in table {
        if ask(&c, who, groups, verb, what, ns) != *want {
            wrong.push(format!("{who} {groups:?} {verb} {what} -n {ns:?}: want {}", if *want { "yes" } else { "no" }));
        }
    }
    assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn decision_names_binding_and_rule() {
    let c = cluster();
    let r = Request { user: "jane".into(), verb: "get".into(), resource: "pods".into(), subresource: "log".into(), namespace: "dev".into(), ..Default::default() };
    let d = authorize(&c.store, &r);
    assert_eq!(d.reason, "RBAC: allowed by RoleBinding \"jane-logs/dev\" of Role \"log-reader\" to User \"jane\"");
    assert_eq!(d.binding, Some(("RoleBinding".into(), "dev".into(), "jane-logs".into())));
    assert_eq!(d.rule, Some(0));
    let r = Request { user: "system:serviceaccount:dev:builder".into(), verb: "create".into(), api_group: "apps".into(), resource: "deployments".into(), namespace: "dev".into(), ..Default::default() };
    assert_eq!(authorize(&c.store, &r).reason, "RBAC: allowed by RoleBinding \"builder-edit/dev\" of ClusterRole \"edit\" to ServiceAccount \"builder/dev\"");
    let denied = Request { user: "jane".into(), verb: "delete".into(), resource: "pods".into(), namespace: "dev".into(), name: "web".into(), ..Default::default() };
    assert!(!authorize(&c.store, &denied).allowed);
    assert_eq!(forbidden_message(&denied), "pods \"web\" is forbidden: User \"jane\" cannot delete resource \"pods\" in API group \"\" in the namespace \"dev\"");
    let cluster_scope = Request { user: "jane".into(), verb: "list".into(), api_group: "apps".into(), resource: "deployments".into(), ..Default::default() };
    assert_eq!(forbidden_message(&cluster_scope), "deployments.apps is forbidden: User \"jane\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope");
}

#[test]
fn can_i_list_matches_kubectl() {
    // kubectl sorts by the Go String() of each rule (`&PolicyRule{Verbs:[get],APIGroups:[],Resources:[pods/log],...`),
    // so `[get list watch]` sorts before `[get]`, and URL rules (`Resources:[]`) before `Resources:[pods/log]`.
    let c = cluster();
    let got = can_i_list(&c.store, "jane", &[], "dev");
    let want = "\
Resources                                       Non-Resource URLs   Resource Names   Verbs
selfsubjectreviews.authentication.k8s.io        []                  []               [create]
selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]
selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]
pods                                            []                  []               [get list watch]
                                                [/api/*]            []               [get]
                                                [/api]              []               [get]
                                                [/apis/*]           []               [get]
                                                [/apis]             []               [get]
                                                [/healthz]          []               [get]
                                                [/healthz]          []               [get]
                                                [/livez]            []               [get]
                                                [/livez]            []               [get]
                                                [/openapi/*]        []               [get]
                                                [/openapi]          []               [get]
                                                [/readyz]           []               [get]
                                                [/readyz]           []               [get]
                                                [/version/]         []               [get]
                                                [/version/]         []               [get]
                                                [/version]          []               [get]
                                                [/version]          []               [get]
pods/log                                        []                  []               [get]
secrets                                         []                  []               [get]
";
    assert_eq!(got, want, "\n{got}");
}
