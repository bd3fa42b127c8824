//! Label selectors as Services (a plain map) and claims/bindings (`matchLabels` +
//! `matchExpressions`) use them (k8s.io/apimachinery/pkg/labels).

use crate::model::object::{string_map, Labels};
use crate::value::Value;
use std::collections::HashMap;

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

/// A Service's `spec.selector` as its string pairs (what [`string_map`] keeps), borrowed from the
/// object: no map or string is built for it.
pub fn selector_pairs(sel: Option<&Value>) -> Vec<(&str, &str)> {
    match sel {
        Some(Value::Object(m)) => m.iter().filter_map(|(k, v)| Some((k.as_str(), v.as_str()?))).collect(),
        _ => Vec::new(),
    }
}

/// [`map_selects`] with the selector as [`selector_pairs`].
pub fn pairs_select(selector: &[(&str, &str)], obj: &Value) -> bool {
    let labels = obj.get("metadata").and_then(|m| m.get("labels"));
    !selector.is_empty() && selector.iter().all(|&(k, v)| labels.and_then(|l| l.get(k)).and_then(Value::as_str) == Some(v))
}

/// Objects by label pair (`key=value`, string values only), built once so many map selectors can
/// be answered without scanning every object for each: the endpoints controller asks one for every
/// Service of a namespace on every pass. [`LabelIndex::select`] gives exactly the objects
/// [`map_selects`] accepts, in the order they were indexed.
pub struct LabelIndex<'a> {
    objects: Vec<&'a Value>,
    /// `(key, value)` → positions in `objects`, ascending.
    by_pair: HashMap<(&'a str, &'a str), Vec<usize>>,
}

impl<'a> LabelIndex<'a> {
    pub fn new(objects: impl Iterator<Item = &'a Value>) -> Self {
        let objects: Vec<&'a Value> = objects.collect();
        let mut by_pair: HashMap<(&'a str, &'a str), Vec<usize>> = HashMap::new();
        for (i, o) in objects.iter().enumerate() {
            let Some(Value::Object(labels)) = o.get("metadata").and_then(|m| m.get("labels")) else { continue };
            for (k, v) in labels {
                if let Some(v) = v.as_str() {
                    by_pair.entry((k.as_str(), v)).or_default().push(i);
                }
            }
        }
        LabelIndex { objects, by_pair }
    }

    /// The indexed objects `selector` selects ([`map_selects`]): the candidates of its rarest pair,
    /// each checked against the whole selector.
    pub fn select<'s>(&'s self, selector: &'s Labels) -> impl Iterator<Item = &'a Value> + 's {
        let rarest = match selector.iter().map(|(k, v)| self.by_pair.get(&(k.as_str(), v.as_str()))).collect::<Option<Vec<_>>>() {
            Some(lists) => lists.into_iter().min_by_key(|l| l.len()).map(Vec::as_slice).unwrap_or(&[]),
            None => &[],
        };
        rarest.iter().map(|&i| self.objects[i]).filter(move |o| map_selects(selector, o))
    }

    /// [`LabelIndex::select`] with the selector as [`selector_pairs`].
    pub fn select_pairs<'s>(&'s self, selector: &'s [(&'s str, &'s str)]) -> impl Iterator<Item = &'a Value> + 's {
        let rarest = match selector.iter().map(|&(k, v)| self.by_pair.get(&(k, v))).collect::<Option<Vec<_>>>() {
            Some(lists) => lists.into_iter().min_by_key(|l| l.len()).map(Vec::as_slice).unwrap_or(&[]),
            None => &[],
        };
        rarest.iter().map(|&i| self.objects[i]).filter(move |o| pairs_select(selector, o))
    }
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
    use crate::value::json;

    #[test]
    fn map_selects_reads_labels_in_place_like_matches_map() {
        let pod = json!({"metadata": {"labels": {"app": "web", "tier": "fe"}}});
        let sel = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Labels>();
        for s in [sel(&[("app", "web")]), sel(&[("app", "web"), ("tier", "fe")]), sel(&[("app", "db")]), sel(&[("x", "web")]), sel(&[])] {
            assert_eq!(map_selects(&s, &pod), matches_map(&s, &string_map(pod.pointer("/metadata/labels"))), "{s:?}");
            let sel_obj = crate::value::to_value(&s);
            assert_eq!(pairs_select(&selector_pairs(Some(&sel_obj)), &pod), map_selects(&s, &pod), "{s:?}");
        }
        assert!(!map_selects(&sel(&[("app", "web")]), &json!({"metadata": {}})));
        assert!(!map_selects(&sel(&[("app", "web")]), &json!({"metadata": {"labels": {"app": 1}}})));
    }

    #[test]
    fn selector_pairs_keeps_the_string_pairs_string_map_keeps() {
        for sel in [json!({"app": "web", "n": 1}), json!({}), json!("app"), json!({"a": "", "b": null, "c": "x"})] {
            let pairs: Labels = selector_pairs(Some(&sel)).into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            assert_eq!(pairs, string_map(Some(&sel)), "{sel}");
        }
        assert_eq!(selector_pairs(Some(&json!({"app": "web", "n": 1}))), [("app", "web")]);
        assert!(selector_pairs(None).is_empty());
    }

    #[test]
    fn label_index_selects_what_map_selects_does_in_order() {
        let objs = [
            json!({"metadata": {"name": "a", "labels": {"app": "web", "tier": "fe"}}}),
            json!({"metadata": {"name": "b", "labels": {"app": "web", "tier": "be"}}}),
            json!({"metadata": {"name": "c", "labels": {"app": "web"}}}),
            json!({"metadata": {"name": "d", "labels": {"app": 1, "tier": "fe"}}}),
            json!({"metadata": {"name": "e"}}),
            json!({"metadata": {"name": "f", "labels": {"tier": "fe", "app": "web", "x": ""}}}),
            json!({"metadata": {"name": "g", "labels": {"app": "db", "tier": "fe"}}}),
        ];
        let idx = LabelIndex::new(objs.iter());
        let sel = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Labels>();
        let names = |it: &mut dyn Iterator<Item = &Value>| it.map(|o| o["metadata"]["name"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        for s in [
            sel(&[("app", "web")]),
            sel(&[("app", "web"), ("tier", "fe")]),
            sel(&[("tier", "fe"), ("app", "db")]),
            sel(&[("app", "1")]),
            sel(&[("x", "")]),
            sel(&[("app", "web"), ("nope", "y")]),
            sel(&[("app", "nope")]),
            sel(&[]),
        ] {
            let want = names(&mut objs.iter().filter(|o| map_selects(&s, o)));
            assert_eq!(names(&mut idx.select(&s)), want, "{s:?}");
            let sel_obj = crate::value::to_value(&s);
            assert_eq!(names(&mut idx.select_pairs(&selector_pairs(Some(&sel_obj)))), want, "{s:?}");
        }
        assert_eq!(names(&mut idx.select(&sel(&[("app", "web"), ("tier", "fe")]))), ["a", "f"]);
    }
}
