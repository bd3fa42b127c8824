//! Label selectors as Services (a plain map) and claims/bindings (`matchLabels` +
//! `matchExpressions`) use them (k8s.io/apimachinery/pkg/labels).

use crate::model::object::{string_map, Labels};
use serde_json::Value;

/// A Service's `spec.selector` map: every pair must be present. An empty selector selects nothing
/// here (Services without selectors get no managed Endpoints).
pub fn matches_map(selector: &Labels, labels: &Labels) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// [`matches_map`] against an object's `metadata.labels` as stored (no map is built: the
/// endpoints controller asks it for every Service × pod pair on every pass).
pub fn map_selects(selector: &Labels, obj: &Value) -> bool {
    let labels = obj.get("metadata").and_then(|m| m.get("labels"));
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.and_then(|l| l.get(k)).and_then(Value::as_str) == Some(v.as_str()))
}

/// A `metav1.LabelSelector`. An empty selector matches everything.
pub fn matches_label_selector(sel: &Value, labels: &Labels) -> bool {
    let ml = string_map(sel.get("matchLabels"));
    if !ml.iter().all(|(k, v)| labels.get(k) == Some(v)) {
        return false;
    }
    let exprs = sel.get("matchExpressions").and_then(|e| e.as_array()).map(|a| a.as_slice()).unwrap_or(&[]);
    exprs.iter().all(|e| {
        let key = e.get("key").and_then(|k| k.as_str()).unwrap_or("");
        let values: Vec<&str> = e.get("values").and_then(|v| v.as_array()).map(|a| a.iter().filter_map(|x| x.as_str()).collect()).unwrap_or_default();
        match e.get("operator").and_then(|o| o.as_str()).unwrap_or("") {
            "In" => labels.get(key).is_some_and(|v| values.contains(&v.as_str())),
            "NotIn" => labels.get(key).is_none_or(|v| !values.contains(&v.as_str())),
            "Exists" => labels.contains_key(key),
            "DoesNotExist" => !labels.contains_key(key),
            _ => false,
        }
    })
}

/// `app=web,tier=fe` for messages.
pub fn describe(sel: &Labels) -> String {
    crate::model::object::labels_to_string(sel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn map_selects_reads_labels_in_place_like_matches_map() {
        let pod = json!({"metadata": {"labels": {"app": "web", "tier": "fe"}}});
        let sel = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Labels>();
        for s in [sel(&[("app", "web")]), sel(&[("app", "web"), ("tier", "fe")]), sel(&[("app", "db")]), sel(&[("x", "web")]), sel(&[])] {
            assert_eq!(map_selects(&s, &pod), matches_map(&s, &string_map(pod.pointer("/metadata/labels"))), "{s:?}");
        }
        assert!(!map_selects(&sel(&[("app", "web")]), &json!({"metadata": {}})));
        assert!(!map_selects(&sel(&[("app", "web")]), &json!({"metadata": {"labels": {"app": 1}}})));
    }
}
