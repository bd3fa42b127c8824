//! Static API defaulting (`pkg/apis/*/v1/defaults.go`): what the real API server fills in from the
//! object alone before it is stored (strategy 25%/25%, imagePullPolicy, targetPort = port, ...).

use super::kinds::Kind;
use super::object::Object;

/// Static defaulting: depends only on the object itself.
pub fn apply(kind: Kind, obj: &mut Object) {
    let _ = (kind, obj);
}
