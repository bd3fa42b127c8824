//! RBAC: the authorizer answers allow/deny for a request, with the binding and rule that decided it
//! (plugin/pkg/auth/authorizer/rbac/rbac.go and rbac/v1 helpers' rule matching), the rule list of
//! `kubectl auth can-i --list`, and the API server's Forbidden wording.

pub mod defaults;
pub mod list;
pub mod serviceaccount;

use super::kinds::Kind;
use super::object::{ObjExt, Object};
use super::store::Store;
use crate::value::Value;

pub use list::can_i_list;

/// One request attribute set (`authorizer.Attributes`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    pub user: String,
    pub groups: Vec<String>,
    pub verb: String,
    pub api_group: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
    /// For non-resource requests (`/healthz`): the path; resource fields are then empty.
    pub non_resource_url: String,
}

/// The answer, with what decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    /// e.g. `RoleBinding "dev/read-pods" of Role "pod-reader"`, or why nothing matched.
    pub reason: String,
    /// Kind, namespace and name of the deciding binding, when allowed.
    pub binding: Option<(String, String, String)>,
    /// Index of the deciding rule in the role.
    pub rule: Option<usize>,
}

/// The groups the authenticator and impersonation add: `system:authenticated` for every named
/// user, and `system:serviceaccounts` + `system:serviceaccounts:<ns>` for service accounts.
pub fn effective_groups(user: &str, groups: &[String]) -> Vec<String> {
    let mut g: Vec<String> = groups.to_vec();
    let mut add = |s: String| {
        if !g.contains(&s) {
            g.push(s);
        }
    };
    if let Some(rest) = user.strip_prefix("system:serviceaccount:") {
        if let Some((ns, _)) = rest.split_once(':') {
            add("system:serviceaccounts".into());
            add(format!("system:serviceaccounts:{ns}"));
        }
    }
    if user == "system:anonymous" {
        add("system:unauthenticated".into());
    } else {
        add("system:authenticated".into());
    }
    g
}

/// `system:serviceaccount:<ns>:<name>`.
pub fn service_account_user(ns: &str, name: &str) -> String {
    format!("system:serviceaccount:{ns}:{name}")
}

/// Whether a binding subject is this user (appliesToUser in rbac.go). A ServiceAccount subject
/// without a namespace takes the binding's namespace.
pub fn subject_applies(subject: &Value, user: &str, groups: &[String], binding_ns: &str) -> bool {
    let name = subject.str_at("name").unwrap_or("");
    match subject.str_at("kind").unwrap_or("") {
        "User" => name == user,
        "Group" => groups.iter().any(|g| g == name),
        "ServiceAccount" => {
            let ns = subject.str_at("namespace").filter(|s| !s.is_empty()).unwrap_or(binding_ns);
            !ns.is_empty() && service_account_user(ns, name) == user
        }
        _ => false,
    }
}

/// `Kind "name"` of a subject as describeSubject prints it.
pub fn describe_subject(subject: &Value, binding_ns: &str) -> String {
    let kind = subject.str_at("kind").unwrap_or("");
    let name = subject.str_at("name").unwrap_or("");
    if kind == "ServiceAccount" {
        let ns = subject.str_at("namespace").filter(|s| !s.is_empty()).unwrap_or(binding_ns);
        format!("{kind} \"{name}/{ns}\"")
    } else {
        format!("{kind} \"{name}\"")
    }
}

fn has(list: &[Value], want: &str) -> bool {
    list.iter().filter_map(|v| v.as_str()).any(|v| v == "*" || v == want)
}

/// RuleAllows from pkg/apis/rbac/v1/evaluation_helpers.go.
pub fn rule_allows(rule: &Value, req: &Request) -> bool {
    let verbs = rule.arr_at("verbs");
    if !req.non_resource_url.is_empty() {
        return has(verbs, &req.verb)
            && rule.arr_at("nonResourceURLs").iter().filter_map(|v| v.as_str()).any(|u| {
                u == "*" || u == req.non_resource_url || (u.ends_with('*') && req.non_resource_url.starts_with(u.trim_end_matches('*')))
            });
    }
    if !has(verbs, &req.verb) || !has(rule.arr_at("apiGroups"), &req.api_group) {
        return false;
    }
    let combined = if req.subresource.is_empty() { req.resource.clone() } else { format!("{}/{}", req.resource, req.subresource) };
    let res_ok = rule.arr_at("resources").iter().filter_map(|v| v.as_str()).any(|r| {
        r == "*" || r == combined || (!req.subresource.is_empty() && r.strip_prefix("*/") == Some(req.subresource.as_str()))
    });
    if !res_ok {
        return false;
    }
    let names = rule.arr_at("resourceNames");
    names.is_empty() || names.iter().filter_map(|v| v.as_str()).any(|n| n == req.name)
}

/// The rules a binding's roleRef grants; None when the role is missing.
pub fn role_rules<'a>(store: &'a Store, binding: &Object) -> Option<&'a [Value]> {
    let name = binding.str_at("roleRef.name").unwrap_or("");
    let role = match binding.str_at("roleRef.kind") {
        Some("ClusterRole") => store.get_by(Kind::ClusterRole, "", name),
        Some("Role") => store.get_by(Kind::Role, binding.namespace(), name),
        _ => None,
    }?;
    Some(role.arr_at("rules"))
}

/// The bindings that apply to a request's namespace: every ClusterRoleBinding, then the
/// RoleBindings of the namespace (VisitRulesFor's order).
pub fn bindings_for<'a>(store: &'a Store, namespace: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
    let rbs = (!namespace.is_empty()).then(|| store.list_ns(Kind::RoleBinding, namespace)).into_iter().flatten();
    store.list(Kind::ClusterRoleBinding).chain(rbs)
}

pub fn authorize(store: &Store, req: &Request) -> Decision {
    let groups = effective_groups(&req.user, &req.groups);
    if groups.iter().any(|g| g == "system:masters") {
        return Decision { allowed: true, reason: "member of system:masters (the privileged group bypasses RBAC)".into(), binding: None, rule: None };
    }
    for b in bindings_for(store, &req.namespace) {
        let is_crb = b.kind_name() == "ClusterRoleBinding";
        let bns = if is_crb { "" } else { b.namespace() };
        let Some(subject) = b.arr_at("subjects").iter().find(|s| subject_applies(s, &req.user, &groups, bns)) else { continue };
        let Some(rules) = role_rules(store, b) else { continue };
        if let Some(i) = rules.iter().position(|r| rule_allows(r, req)) {
            let role_kind = b.str_at("roleRef.kind").unwrap_or("");
            let role = b.str_at("roleRef.name").unwrap_or("");
            let who = describe_subject(subject, bns);
            let reason = if is_crb {
                format!("RBAC: allowed by ClusterRoleBinding \"{}\" of {role_kind} \"{role}\" to {who}", b.name())
            } else {
                format!("RBAC: allowed by RoleBinding \"{}/{}\" of {role_kind} \"{role}\" to {who}", b.name(), bns)
            };
            return Decision { allowed: true, reason, binding: Some((b.kind_name().to_string(), bns.to_string(), b.name().to_string())), rule: Some(i) };
        }
    }
    Decision { allowed: false, reason: "no RBAC policy matched".into(), binding: None, rule: None }
}

/// The API server's Forbidden message (responsewriters.forbiddenMessage + NewForbidden):
/// `pods "web" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "dev"`.
pub fn forbidden_message(req: &Request) -> String {
    if !req.non_resource_url.is_empty() {
        return format!("forbidden: User \"{}\" cannot {} path \"{}\"", req.user, req.verb, req.non_resource_url);
    }
    let resource = if req.subresource.is_empty() { req.resource.clone() } else { format!("{}/{}", req.resource, req.subresource) };
    let why = if req.namespace.is_empty() {
        format!("User \"{}\" cannot {} resource \"{resource}\" in API group \"{}\" at the cluster scope", req.user, req.verb, req.api_group)
    } else {
        format!("User \"{}\" cannot {} resource \"{resource}\" in API group \"{}\" in the namespace \"{}\"", req.user, req.verb, req.api_group, req.namespace)
    };
    let qualified = if req.api_group.is_empty() { req.resource.clone() } else { format!("{}.{}", req.resource, req.api_group) };
    if req.name.is_empty() {
        format!("{qualified} is forbidden: {why}")
    } else {
        format!("{qualified} \"{}\" is forbidden: {why}", req.name)
    }
}
