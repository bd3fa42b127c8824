//! RBAC: the authorizer answers allow/deny for a request, with the binding and rule that decided it.

use super::store::Store;

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

pub fn authorize(store: &Store, req: &Request) -> Decision {
    let _ = (store, req);
    Decision { allowed: true, reason: "RBAC not implemented yet".into(), binding: None, rule: None }
}
