//! ConfigMaps and Secrets as pods consume them: env, envFrom and volumes, and what a missing
//! object or key does to a container (CreateContainerConfigError, ContainerCreating).

use super::object::Object;
use super::store::Store;

/// Why a pod's containers cannot start yet because of configuration, if they cannot.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigProblem {
    /// Container waiting reason: `CreateContainerConfigError` or `ContainerCreating`.
    pub reason: String,
    /// As the kubelet words it, e.g. `configmap "app-config" not found`.
    pub message: String,
    /// Event reason and message (`Failed` / `FailedMount`).
    pub event_reason: String,
    pub event_message: String,
}

/// The kubelet asks this before starting a pod's containers.
pub fn pod_config_problem(store: &Store, pod: &Object) -> Option<ConfigProblem> {
    let _ = (store, pod);
    None
}
