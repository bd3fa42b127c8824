//! The kubelet's pod conditions (`kubelet.rs`): each set with its transition time kept while its
//! status is, and put in the kubelet's order.

use crate::value::Value;

/// A condition's type. "type" sorts after every other field of a pod condition, so it is its
/// map's last key: read from the back (a lookup compared it with each key before it, five of
/// them, and a sync asks some forty times). Any other map is looked up as before.
pub(super) fn cond_type(c: &Value) -> Option<&str> {
    match c {
        Value::Object(m) => match m.iter().next_back() {
            Some((k, v)) if k == "type" => v.as_str(),
            _ => m.get("type").and_then(Value::as_str),
        },
        _ => None,
    }
}

/// Sets a condition, keeping its lastTransitionTime when the status did not change.
pub(super) fn set_condition(conds: &mut Vec<Value>, ty: &str, status: bool, reason: Option<&str>, message: Option<String>, now: &str) {
    let s = if status { "True" } else { "False" };
    let old = conds.iter().position(|c| cond_type(c) == Some(ty));
    // Already exactly so (most syncs): the condition it would rebuild equals the stored one.
    if let Some(Value::Object(m)) = old.map(|i| &mut conds[i]) {
        let same = |m: &crate::value::Map, k: &str, want: Option<&str>| match want {
            Some(w) => m.get(k).and_then(Value::as_str) == Some(w),
            None => !m.contains_key(k),
        };
        let kept = m.get("status").and_then(Value::as_str) == Some(s);
        if m.len() == 4 + usize::from(reason.is_some()) + usize::from(message.is_some())
            && kept
            && m.get("lastProbeTime") == Some(&Value::Null)
            && m.contains_key("lastTransitionTime")
            && same(m, "reason", reason)
            && same(m, "message", message.as_deref())
        {
            return;
        }
        // Rebuilt in place: the fields of a new condition (a map keeps its keys sorted, so the
        // same object as one built afresh), the lastTransitionTime kept while the status is.
        m.retain(|k, _| matches!(k.as_str(), "type" | "status" | "lastProbeTime" | "lastTransitionTime" | "reason" | "message"));
        if !kept {
            set_field_in(m, "status", Value::String(s.into()));
            set_field_in(m, "lastTransitionTime", Value::String(now.into()));
        } else if !m.contains_key("lastTransitionTime") {
            m.insert("lastTransitionTime".into(), Value::String(now.into()));
        }
        if m.get("lastProbeTime") != Some(&Value::Null) {
            set_field_in(m, "lastProbeTime", Value::Null);
        }
        match reason {
            Some(r) if !same(m, "reason", Some(r)) => set_field_in(m, "reason", Value::String(r.into())),
            Some(_) => {}
            None => drop(m.remove("reason")),
        }
        match message {
            Some(msg) if !same(m, "message", Some(&msg)) => set_field_in(m, "message", Value::String(msg.into())),
            Some(_) => {}
            None => drop(m.remove("message")),
        }
        return;
    }
    conds.push(new_condition(ty, s, reason, message, now));
}

/// A condition as `json!` builds it, its keys inserted in descending order: a map's node keeps
/// its keys sorted, so each insert compares one key (`json!` compared each with all before it
/// and copied each string value once more through the serializer).
fn new_condition(ty: &str, status: &str, reason: Option<&str>, message: Option<String>, now: &str) -> Value {
    let mut m = crate::value::Map::new();
    m.insert("type".into(), Value::String(ty.into()));
    m.insert("status".into(), Value::String(status.into()));
    if let Some(r) = reason {
        m.insert("reason".into(), Value::String(r.into()));
    }
    if let Some(msg) = message {
        m.insert("message".into(), Value::String(msg.into()));
    }
    m.insert("lastTransitionTime".into(), Value::String(now.into()));
    m.insert("lastProbeTime".into(), Value::Null);
    Value::Object(m)
}

/// `set_field` on a map.
fn set_field_in(m: &mut crate::value::Map, k: &str, x: Value) {
    match m.get_mut(k) {
        Some(slot) => *slot = x,
        None => drop(m.insert(k.into(), x)),
    }
}

/// Conditions in the kubelet's order, the rest after them as they came (a stable sort by rank,
/// done as one pass per rank: a comparison sort read each condition's type at every comparison).
pub(super) fn in_condition_order(conds: Vec<Value>) -> Vec<Value> {
    // The kubelet's order; the five names differ in length, so a match compares one each.
    let rank = |c: &Value| match cond_type(c) {
        Some("PodReadyToStartContainers") => 0,
        Some("Initialized") => 1,
        Some("Ready") => 2,
        Some("ContainersReady") => 3,
        Some("PodScheduled") => 4,
        _ => 5,
    };
    if conds.iter().map(rank).is_sorted() {
        // Already in order (every sync after the first): the stable sort would keep it.
        return conds;
    }
    let ranks: Vec<usize> = conds.iter().map(rank).collect();
    let mut slots: Vec<Option<Value>> = conds.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    for r in 0..=5 {
        for (slot, _) in slots.iter_mut().zip(&ranks).filter(|(_, &k)| k == r) {
            out.extend(slot.take());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::json;
    #[test]
    fn the_type_read_from_the_back_as_looked_up() {
        for c in [
            json!({"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "t", "reason": "R", "message": "m"}),
            json!({"type": "Ready", "zeta": 1}),
            json!({"type": 3}),
            json!({"status": "True"}),
            json!({}),
            json!("Ready"),
        ] {
            assert_eq!(cond_type(&c), c.get("type").and_then(Value::as_str), "{c}");
        }
        assert_eq!(cond_type(&json!({"type": "Ready", "zeta": 1})), Some("Ready"));
    }
    #[test]
    fn built_as_json_builds_it() {
        for (reason, message) in [(None, None), (Some("R"), None), (None, Some("m")), (Some("R"), Some("m"))] {
            let mut want = json!({"type": "Ready", "status": "False", "lastProbeTime": null, "lastTransitionTime": "t"});
            if let Some(r) = reason {
                want["reason"] = json!(r);
            }
            if let Some(m) = message {
                want["message"] = json!(m);
            }
            let got = new_condition("Ready", "False", reason, message.map(String::from), "t");
            assert_eq!(got, want);
            // The same bytes too (a map's order is its keys' order either way).
            assert_eq!(got.to_string(), want.to_string());
        }
    }
    #[test]
    fn updated_in_place_as_built_afresh() {
        let now = "2026-01-05T09:00:05Z";
        // The status changes: a new transition time, reason and message; other fields go.
        let mut conds = vec![json!({"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "t0", "extra": 1})];
        set_condition(&mut conds, "Ready", false, Some("ContainersNotReady"), Some("m".into()), now);
        assert_eq!(conds, vec![json!({"type": "Ready", "status": "False", "lastProbeTime": null, "lastTransitionTime": now, "reason": "ContainersNotReady", "message": "m"})]);
        // The status stays: so does the transition time; reason and message go.
        let mut conds = vec![json!({"type": "Ready", "status": "False", "lastProbeTime": 3, "lastTransitionTime": "t0", "reason": "R", "message": "m"})];
        set_condition(&mut conds, "Ready", false, None, None, now);
        assert_eq!(conds, vec![json!({"type": "Ready", "status": "False", "lastProbeTime": null, "lastTransitionTime": "t0"})]);
        // The status stays without a transition time: it gets one.
        let mut conds = vec![json!({"type": "Ready", "status": "True"})];
        set_condition(&mut conds, "Ready", true, None, None, now);
        assert_eq!(conds, vec![json!({"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": now})]);
        // A new condition goes last.
        set_condition(&mut conds, "Initialized", true, None, Some("x".into()), now);
        assert_eq!(conds[1], json!({"type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": now, "message": "x"}));
    }
}
