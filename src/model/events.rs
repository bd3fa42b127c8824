//! Events as the real event recorder writes them: `<object>.<hex>` names, counts that grow when the
//! same reason and message repeat (the correlator), and the component that reported them.

use super::object::{set_path, Key, ObjExt};
use super::{Cluster, Kind};
use serde_json::json;

#[derive(Clone, Debug, PartialEq)]
pub struct EventSpec {
    pub regarding: Key,
    /// "Normal" or "Warning".
    pub warning: bool,
    pub reason: String,
    pub message: String,
    /// Reporting component: `default-scheduler`, `kubelet`, `deployment-controller`, ...
    pub source: String,
}

impl EventSpec {
    pub fn normal(regarding: Key, source: &str, reason: &str, message: impl Into<String>) -> EventSpec {
        EventSpec { regarding, warning: false, reason: reason.into(), message: message.into(), source: source.into() }
    }
    pub fn warning(regarding: Key, source: &str, reason: &str, message: impl Into<String>) -> EventSpec {
        EventSpec { regarding, warning: true, reason: reason.into(), message: message.into(), source: source.into() }
    }
}

/// Records an event, folding repeats of the same (object, reason, message) into one with a count.
pub fn record(c: &mut Cluster, e: EventSpec) {
    let ns = if e.regarding.namespace.is_empty() { "default".to_string() } else { e.regarding.namespace.clone() };
    // Only the object's UID and resourceVersion are needed: no copy of the whole object.
    let Some((uid, rv)) = c.store.get(&e.regarding).map(|o| (o.uid().to_string(), o.str_at("metadata.resourceVersion").unwrap_or("").to_string())) else { return };
    let now = c.clock.timestamp();
    let existing = c
        .store
        .list_prefix(Kind::Event, &ns, &format!("{}.", e.regarding.name))
        .rev()
        .take(64) // like the recorder's bounded LRU: only recent events are folded
        .find(|ev| {
            ev.str_at("involvedObject.uid") == Some(uid.as_str())
                && ev.str_at("reason") == Some(&e.reason)
                && ev.str_at("message") == Some(&e.message)
        })
        .cloned();
    if let Some(mut ev) = existing {
        let n = ev.i64_at("count").unwrap_or(1) + 1;
        set_path(&mut ev, "count", json!(n));
        set_path(&mut ev, "lastTimestamp", json!(now));
        c.store.put(ev);
        return;
    }
    // The recorder names events `<object>.<hex UnixNano>` (client-go tools/record), so names sort
    // in time order; the store's resource version keeps same-millisecond events distinct and ordered.
    let nanos = (c.clock.now_secs() as u64).saturating_mul(1_000_000_000) + (c.clock.now_ms % 1000) * 1_000_000 + c.store.resource_version() % 1_000_000;
    let name = format!("{}.{:x}", e.regarding.name, nanos);
    let mut involved_ref = json!({
        "apiVersion": e.regarding.kind.api_version(),
        "kind": e.regarding.kind.name(),
        "name": e.regarding.name,
        "uid": uid,
        "resourceVersion": rv,
    });
    if !e.regarding.namespace.is_empty() {
        set_path(&mut involved_ref, "namespace", json!(e.regarding.namespace));
    }
    let ev = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": ns, "uid": c.rng.uuid(), "creationTimestamp": now},
        "involvedObject": involved_ref,
        "reason": e.reason,
        "message": e.message,
        "source": {"component": e.source},
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
        "type": if e.warning { "Warning" } else { "Normal" },
        "reportingComponent": e.source,
        "reportingInstance": "",
    });
    c.store.put(ev);
}

/// Events about one object, oldest first (for `kubectl describe`).
pub fn events_for(c: &Cluster, uid: &str) -> Vec<serde_json::Value> {
    let mut v: Vec<_> = c.store.list(Kind::Event).filter(|e| e.str_at("involvedObject.uid") == Some(uid)).cloned().collect();
    v.sort_by(|a, b| a.str_at("firstTimestamp").cmp(&b.str_at("firstTimestamp")));
    v
}
