//! Events as the real event recorder writes them: `<object>.<hex>` names, counts that grow when the
//! same reason and message repeat, similar events combined (the correlator), and the component
//! that reported them.

use super::clock::parse_rfc3339;
use super::object::{set_path, Key, ObjExt};
use super::{Cluster, Kind};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

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

/// The aggregator of client-go's event recorder (staging/src/k8s.io/client-go/tools/record/
/// events_cache.go, `EventAggregator`): events about one object from one component with the same
/// type and reason that differ only in message are "similar"; once ten distinct messages arrive
/// in one run (no gap over 600 s), the tenth and every later one go to a single event with this
/// prefix before the newest message, its count growing. A ReplicaSet scaled to 12 shows nine
/// `Created pod: …` events and `(combined from similar events): Created pod: …` (x3).
/// The recorder keeps this state in memory; here it is read back from the stored events.
/// Not modelled: the recorder's spam filter (25 events per object, then one per 5 minutes),
/// which would drop most events of a large scale-up, including count updates.
pub const COMBINED: &str = "(combined from similar events): ";
const AGGREGATE_MAX_EVENTS: usize = 10;
const AGGREGATE_INTERVAL_SECS: i64 = 600;

/// Records an event, folding repeats of the same (object, reason, message) into one with a count
/// (the correlator's event logger) and many similar ones into a combined event (the aggregator).
pub fn record(c: &mut Cluster, e: EventSpec) {
    let ns = if e.regarding.namespace.is_empty() { "default".to_string() } else { e.regarding.namespace.clone() };
    // Only the object's UID and resourceVersion are needed: no copy of the whole object.
    let Some((uid, rv)) = c.store.get(&e.regarding).map(|o| (o.uid().to_string(), o.str_at("metadata.resourceVersion").unwrap_or("").to_string())) else { return };
    let now = c.clock.now_secs();
    let kind = if e.warning { "Warning" } else { "Normal" };
    // Similar events, newest first: like the recorder's bounded LRU, only recent ones are seen.
    let similar: Vec<&Value> = c
        .store
        .list_prefix(Kind::Event, &ns, &format!("{}.", e.regarding.name))
        .rev()
        .take(64)
        .filter(|ev| {
            ev.str_at("involvedObject.uid") == Some(uid.as_str())
                && ev.str_at("reason") == Some(&e.reason)
                && ev.str_at("type") == Some(kind)
                && ev.str_at("source.component") == Some(&e.source)
        })
        .collect();
    let run = current_run(&similar, now);
    let target = if run.iter().any(|ev| is_combined(ev)) {
        similar.iter().find(|ev| is_combined(ev))
    } else {
        let mut distinct: BTreeSet<&str> = run.iter().filter(|ev| !is_combined(ev)).filter_map(|ev| ev.str_at("message")).collect();
        distinct.insert(&e.message);
        if distinct.len() >= AGGREGATE_MAX_EVENTS {
            match similar.iter().find(|ev| is_combined(ev)) {
                Some(old) => Some(old),
                None => {
                    let message = format!("{COMBINED}{}", e.message);
                    return create(c, &e, &ns, uid, rv, message);
                }
            }
        } else {
            similar.iter().find(|ev| ev.str_at("message") == Some(&e.message))
        }
    };
    let Some(existing) = target else {
        let message = e.message.clone();
        return create(c, &e, &ns, uid, rv, message);
    };
    // Count, time (and a combined event's message) change in place: no copy of the event to
    // change and store, no old copy to free (a ReplicaSet scaled to 1,000 updates its combined
    // `Created pod` event 990 times).
    let Some(key) = existing.key() else { return };
    let n = existing.i64_at("count").unwrap_or(1) + 1;
    let message = is_combined(existing).then(|| format!("{COMBINED}{}", e.message));
    let now = c.clock.timestamp();
    c.store.put_in_place(&key, |ev| {
        if let Some(m) = message {
            set_path(ev, "message", json!(m));
        }
        set_path(ev, "count", json!(n));
        set_path(ev, "lastTimestamp", json!(now));
    });
}

fn is_combined(ev: &Value) -> bool {
    ev.str_at("message").is_some_and(|m| m.starts_with(COMBINED))
}

/// The similar events of the aggregator's current run: walking back from now through their last
/// occurrences, the run ends at the first gap over 600 s (where the recorder would have started
/// a fresh record).
fn current_run<'a>(similar: &[&'a Value], now: i64) -> Vec<&'a Value> {
    let last = |ev: &Value| ev.str_at("lastTimestamp").and_then(parse_rfc3339).unwrap_or(now);
    // Sorting the times (not the events) reuses the wasm's one sort of i64s.
    let mut times: Vec<i64> = similar.iter().map(|ev| last(ev)).collect();
    times.sort();
    let mut start = now;
    for &t in times.iter().rev() {
        if start - t > AGGREGATE_INTERVAL_SECS {
            break;
        }
        start = t;
    }
    similar.iter().copied().filter(|ev| last(ev) >= start).collect()
}

fn create(c: &mut Cluster, e: &EventSpec, ns: &str, uid: String, rv: String, message: String) {
    let now = c.clock.timestamp();
    // The recorder names events `<object>.<hex UnixNano>` (client-go tools/record), so names sort
    // in time order; the store's resource version keeps same-millisecond events distinct and ordered.
    let nanos = (c.clock.now_secs() as u64).saturating_mul(1_000_000_000) + (c.clock.now_ms % 1000) * 1_000_000 + c.store.resource_version() % 1_000_000;
    let name = format!("{}.{:x}", e.regarding.name, nanos);
    // Built field by field, the strings moved in: `json!` copied every value it was given
    // (the involvedObject map through serde's serializer), for each of the thousands of events
    // a large scale-up records. Maps are sorted, so the stored event is the same.
    let text = |v: &str| Value::String(v.to_string());
    let mut involved = Map::new();
    involved.insert("apiVersion".into(), Value::String(e.regarding.kind.api_version()));
    involved.insert("kind".into(), text(e.regarding.kind.name()));
    involved.insert("name".into(), text(&e.regarding.name));
    involved.insert("uid".into(), Value::String(uid));
    involved.insert("resourceVersion".into(), Value::String(rv));
    if !e.regarding.namespace.is_empty() {
        involved.insert("namespace".into(), text(&e.regarding.namespace));
    }
    let mut meta = Map::new();
    meta.insert("name".into(), Value::String(name));
    meta.insert("namespace".into(), text(ns));
    meta.insert("uid".into(), Value::String(c.rng.uuid()));
    meta.insert("creationTimestamp".into(), text(&now));
    let mut source = Map::new();
    source.insert("component".into(), text(&e.source));
    let mut ev = Map::new();
    ev.insert("apiVersion".into(), text("v1"));
    ev.insert("kind".into(), text("Event"));
    ev.insert("metadata".into(), Value::Object(meta));
    ev.insert("involvedObject".into(), Value::Object(involved));
    ev.insert("reason".into(), text(&e.reason));
    ev.insert("message".into(), Value::String(message));
    ev.insert("source".into(), Value::Object(source));
    ev.insert("firstTimestamp".into(), text(&now));
    ev.insert("lastTimestamp".into(), Value::String(now));
    ev.insert("count".into(), json!(1));
    ev.insert("type".into(), text(if e.warning { "Warning" } else { "Normal" }));
    ev.insert("reportingComponent".into(), text(&e.source));
    ev.insert("reportingInstance".into(), text(""));
    let ev = Value::Object(ev);
    c.store.put(ev);
}

/// Events about one object, oldest first (for `kubectl describe`).
pub fn events_for(c: &Cluster, uid: &str) -> Vec<serde_json::Value> {
    let mut v: Vec<_> = c.store.list(Kind::Event).filter(|e| e.str_at("involvedObject.uid") == Some(uid)).cloned().collect();
    v.sort_by(|a, b| a.str_at("firstTimestamp").cmp(&b.str_at("firstTimestamp")));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(c: &Cluster) -> Vec<(String, i64)> {
        let mut v: Vec<&Value> = c.store.list(Kind::Event).filter(|e| e.str_at("involvedObject.name") == Some("default") && e.str_at("reason") == Some("Test")).collect();
        v.sort_by_key(|e| e.name().to_string());
        v.iter().map(|e| (e.str_at("message").unwrap_or("").to_string(), e.i64_at("count").unwrap_or(0))).collect()
    }

    #[test]
    fn similar_events_combine_from_the_tenth_message_until_a_600s_gap() {
        let mut c = Cluster::new();
        let ns = Key::new(Kind::Namespace, "", "default");
        let ev = |m: &str| EventSpec::normal(ns.clone(), "test-controller", "Test", m);
        for i in 1..=12 {
            record(&mut c, ev(&format!("m{i}")));
        }
        let got = messages(&c);
        let mut want: Vec<(String, i64)> = (1..=9).map(|i| (format!("m{i}"), 1)).collect();
        want.push((format!("{COMBINED}m12"), 3));
        assert_eq!(got, want);
        // Within the run, even a message seen before goes to the combined event.
        c.clock.now_ms += 599_000;
        record(&mut c, ev("m1"));
        assert_eq!(messages(&c).last(), Some(&(format!("{COMBINED}m1"), 4)));
        assert_eq!(messages(&c)[0], ("m1".to_string(), 1));
        // A Warning or another component is not similar.
        record(&mut c, EventSpec::warning(ns.clone(), "test-controller", "Test", "w"));
        assert_eq!(messages(&c).len(), 11);
        // After more than 600 s without a similar event a new run starts: repeats fold by message.
        c.clock.now_ms += 601_000;
        record(&mut c, ev("m2"));
        record(&mut c, ev("m13"));
        let got = messages(&c);
        assert_eq!(got[1], ("m2".to_string(), 2));
        assert_eq!(got.last(), Some(&("m13".to_string(), 1)));
        assert_eq!(got.iter().filter(|(m, _)| m.starts_with(COMBINED)).count(), 1);
    }
}
