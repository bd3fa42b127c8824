//! Events as the real event recorder writes them: `<object>.<hex>` names, counts that grow when the
//! same reason and message repeat, similar events combined (the correlator), and the component
//! that reported them.

use super::clock::parse_rfc3339;
use super::object::{set_path, Key, ObjExt};
use super::{Cluster, Kind};
use serde_json::{json, Map, Value};

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

/// The fields of a stored event that matching events reads, found in one walk over its keys: an
/// event has thirteen, and a lookup of each of these (`str_at`) cost more than the walk.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Fields<'a> {
    /// `involvedObject.uid`
    pub uid: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub message: Option<&'a str>,
    /// `type`: Normal or Warning.
    pub ty: Option<&'a str>,
    /// `source.component`
    pub component: Option<&'a str>,
    pub last: Option<&'a str>,
}

impl<'a> Fields<'a> {
    pub fn of(ev: &'a Value) -> Fields<'a> {
        let mut f = Fields::default();
        if let Value::Object(m) = ev {
            for (k, v) in m {
                match k.as_str() {
                    "involvedObject" => f.uid = v.get("uid").and_then(Value::as_str),
                    "reason" => f.reason = v.as_str(),
                    "message" => f.message = v.as_str(),
                    "type" => f.ty = v.as_str(),
                    "source" => f.component = v.get("component").and_then(Value::as_str),
                    "lastTimestamp" => f.last = v.as_str(),
                    _ => {}
                }
            }
        }
        debug_assert_eq!(
            f,
            Fields {
                uid: ev.str_at("involvedObject.uid"),
                reason: ev.str_at("reason"),
                message: ev.str_at("message"),
                ty: ev.str_at("type"),
                component: ev.str_at("source.component"),
                last: ev.str_at("lastTimestamp"),
            }
        );
        f
    }
    fn combined(&self) -> bool {
        self.message.is_some_and(|m| m.starts_with(COMBINED))
    }
}

/// `<name>.`: the prefix of the names of the events about an object named `name`.
pub fn name_prefix(name: &str) -> String {
    let mut p = String::with_capacity(name.len() + 1);
    p.push_str(name);
    p.push('.');
    p
}

/// Records an event, folding repeats of the same (object, reason, message) into one with a count
/// (the correlator's event logger) and many similar ones into a combined event (the aggregator).
pub fn record(c: &mut Cluster, e: EventSpec) {
    let ns = if e.regarding.namespace.is_empty() { "default".to_string() } else { e.regarding.namespace.to_string() };
    // Only the object's UID and resourceVersion are needed: no copy of the whole object.
    let Some((uid, rv)) = c.store.get(&e.regarding).map(|o| (o.uid().to_string(), o.str_at("metadata.resourceVersion").unwrap_or("").to_string())) else { return };
    let now = c.clock.now_secs();
    let kind = if e.warning { "Warning" } else { "Normal" };
    // Similar events, newest first: like the recorder's bounded LRU, only recent ones are seen.
    let prefix = name_prefix(&e.regarding.name);
    let similar: Vec<(&Value, Fields)> = c
        .store
        .list_prefix_rev(Kind::Event, &ns, &prefix)
        .take(64)
        .map(|ev| (ev, Fields::of(ev)))
        .filter(|(_, f)| f.uid == Some(uid.as_str()) && f.reason == Some(&e.reason) && f.ty == Some(kind) && f.component == Some(&e.source))
        .collect();
    let run = current_run(&similar, now);
    let combined = || similar.iter().find(|(_, f)| f.combined());
    let target = if run.iter().any(|f| f.combined()) {
        combined()
    } else {
        let mut distinct: Vec<&str> = run.iter().filter(|f| !f.combined()).filter_map(|f| f.message).collect();
        distinct.push(&e.message);
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() >= AGGREGATE_MAX_EVENTS {
            match combined() {
                Some(old) => Some(old),
                None => {
                    let message = format!("{COMBINED}{}", e.message);
                    return create(c, &e, &ns, uid, rv, message);
                }
            }
        } else {
            similar.iter().find(|(_, f)| f.message == Some(&e.message))
        }
    };
    let Some(&(existing, fields)) = target else {
        let message = e.message.clone();
        return create(c, &e, &ns, uid, rv, message);
    };
    // Count, time (and a combined event's message) change in place: no copy of the event to
    // change and store, no old copy to free (a ReplicaSet scaled to 1,000 updates its combined
    // `Created pod` event 990 times).
    let Some(key) = existing.key() else { return };
    let n = existing.i64_at("count").unwrap_or(1) + 1;
    let message = fields.combined().then(|| format!("{COMBINED}{}", e.message));
    let now = c.clock.timestamp();
    c.store.put_in_place(&key, |ev| {
        if let Some(m) = message {
            set_path(ev, "message", json!(m));
        }
        set_path(ev, "count", json!(n));
        set_path(ev, "lastTimestamp", json!(now));
    });
}

/// The similar events of the aggregator's current run: walking back from now through their last
/// occurrences, the run ends at the first gap over 600 s (where the recorder would have started
/// a fresh record).
fn current_run<'a>(similar: &[(&Value, Fields<'a>)], now: i64) -> Vec<Fields<'a>> {
    // Each event's time is parsed once; sorting the times (not the events) reuses the wasm's one
    // sort of i64s.
    let lasts: Vec<i64> = similar.iter().map(|(_, f)| f.last.and_then(parse_rfc3339).unwrap_or(now)).collect();
    let mut times = lasts.clone();
    times.sort();
    let mut start = now;
    for &t in times.iter().rev() {
        if start - t > AGGREGATE_INTERVAL_SECS {
            break;
        }
        start = t;
    }
    similar.iter().zip(&lasts).filter(|(_, &t)| t >= start).map(|((_, f), _)| *f).collect()
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
    // Each map is built from its fields in key order (`from_iter` then finds them sorted and
    // builds the map at once, where an insert per field searched the map and compared keys).
    let text = |v: &str| Value::String(v.to_string());
    let field = |k: &str, v: Value| (k.to_string(), v);
    let mut involved = vec![
        field("apiVersion", Value::String(e.regarding.kind.api_version())),
        field("kind", text(e.regarding.kind.name())),
        field("name", text(&e.regarding.name)),
    ];
    if !e.regarding.namespace.is_empty() {
        involved.push(field("namespace", text(&e.regarding.namespace)));
    }
    involved.push(field("resourceVersion", Value::String(rv)));
    involved.push(field("uid", Value::String(uid)));
    let meta = [
        field("creationTimestamp", text(&now)),
        field("name", Value::String(name)),
        field("namespace", text(ns)),
        field("uid", Value::String(c.rng.uuid())),
    ];
    let source = [field("component", text(&e.source))];
    let ev = [
        field("apiVersion", text("v1")),
        field("count", json!(1)),
        field("firstTimestamp", text(&now)),
        field("involvedObject", Value::Object(involved.into_iter().collect())),
        field("kind", text("Event")),
        field("lastTimestamp", Value::String(now)),
        field("message", Value::String(message)),
        field("metadata", Value::Object(meta.into_iter().collect())),
        field("reason", text(&e.reason)),
        field("reportingComponent", text(&e.source)),
        field("reportingInstance", text("")),
        field("source", Value::Object(source.into_iter().collect())),
        field("type", text(if e.warning { "Warning" } else { "Normal" })),
    ];
    let ev = Value::Object(ev.into_iter().collect::<Map<String, Value>>());
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
