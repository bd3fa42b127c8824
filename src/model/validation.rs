//! API validation (`pkg/apis/*/validation`): names, required fields, enums, selectors, immutable
//! fields — the 422 `is invalid` errors, each with the field path that names the manifest line.

use super::api::FieldError;
use super::kinds::Kind;
use super::object::Object;

/// Validates an object about to be stored; `old` is the stored copy on update.
pub fn validate(kind: Kind, obj: &Object, old: Option<&Object>) -> Vec<FieldError> {
    let _ = (kind, obj, old);
    Vec::new()
}
