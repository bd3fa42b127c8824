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
    let Some(involved) = c.store.get(&e.regarding).cloned() else { return };
    let now = c.clock.timestamp();
    // A repeat of (object, reason, message) has a name derived from them, so it is found with one
    // lookup instead of a scan (thousands of "Created pod" events must stay cheap). The Rng is
    // still advanced once per new event so every other generated name stays as it was.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in involved.uid().bytes().chain([0]).chain(e.reason.bytes()).chain([0]).chain(e.message.bytes()) {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    let hashed = format!("{}.{:016x}", e.regarding.name, h >> 4);
    let same = |ev: &serde_json::Value| {
        ev.str_at("involvedObject.uid") == Some(involved.uid()) && ev.str_at("reason") == Some(&e.reason) && ev.str_at("message") == Some(&e.message)
    };
    let existing = c.store.get_by(Kind::Event, &ns, &hashed).filter(|ev| same(ev)).cloned();
    if let Some(mut ev) = existing {
        let n = ev.i64_at("count").unwrap_or(1) + 1;
        set_path(&mut ev, "count", json!(n));
        set_path(&mut ev, "lastTimestamp", json!(now));
        c.store.put(ev);
        return;
    }
    let random = c.rng.next_u64() >> 4;
    let name = if c.store.get_by(Kind::Event, &ns, &hashed).is_none() { hashed } else { format!("{}.{random:016x}", e.regarding.name) };
    let mut involved_ref = json!({
        "apiVersion": e.regarding.kind.api_version(),
        "kind": e.regarding.kind.name(),
        "name": e.regarding.name,
        "uid": involved.uid(),
        "resourceVersion": involved.str_at("metadata.resourceVersion").unwrap_or(""),
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
