//! Events as the real event recorder writes them: `<object>.<hex>` names, counts that grow when the
//! same reason and message repeat, similar events combined (the correlator), and the component
//! that reported them.

use super::clock::parse_rfc3339;
use super::object::{set_field, Key, ObjExt};
use super::store::Store;
use super::{Cluster, Kind};
use crate::value::{Map, Value};
use std::borrow::Cow;
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq)]
pub struct EventSpec {
    pub regarding: Key,
    /// "Normal" or "Warning".
    pub warning: bool,
    /// Reasons and components are nearly always constants: borrowed, not copied, for each of the
    /// thousands of events a large scale-up records (a copy is two allocations an event).
    pub reason: Cow<'static, str>,
    pub message: String,
    /// Reporting component: `default-scheduler`, `kubelet`, `deployment-controller`, ...
    pub source: Cow<'static, str>,
}

impl EventSpec {
    pub fn normal(regarding: Key, source: impl Into<Cow<'static, str>>, reason: impl Into<Cow<'static, str>>, message: impl Into<String>) -> EventSpec {
        EventSpec { regarding, warning: false, reason: reason.into(), message: message.into(), source: source.into() }
    }
    pub fn warning(regarding: Key, source: impl Into<Cow<'static, str>>, reason: impl Into<Cow<'static, str>>, message: impl Into<String>) -> EventSpec {
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
/// Then the spam filter (`event_spam`) may drop the occurrence: 25 per component and object at
/// once, then one every 5 minutes.
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

/// A similar event, what matching read of it, and its last occurrence in Unix seconds.
type Similar<'a> = (&'a Value, Fields<'a>, i64);

/// What `record` does: write a new event with this message (None: the one recorded), or count
/// one more occurrence of a stored one (a combined event also takes the new message).
enum Outcome<'a> {
    Create(Option<String>),
    Repeat(&'a Value, Fields<'a>),
}

/// Records an event, folding repeats of the same (object, reason, message) into one with a count
/// (the correlator's event logger) and many similar ones into a combined event (the aggregator).
pub fn record(c: &mut Cluster, mut e: EventSpec) {
    let ns = if e.regarding.namespace.is_empty() { "default" } else { &*e.regarding.namespace };
    // Only the object's UID and resourceVersion are needed, borrowed until a new event takes them.
    let Some(obj) = c.store.get(&e.regarding) else { return };
    let meta = obj.get("metadata");
    let (uid, rv) = (obj.uid(), meta.and_then(|m| m.get("resourceVersion")).and_then(Value::as_str).unwrap_or(""));
    let now = c.clock.now_secs();
    let prefix = name_prefix(&e.regarding.name);
    let all = || match scan(&c.store, &e, ns, &prefix, uid, now, false) {
        Scan::All(similar) => similar,
        _ => unreachable!("a scan that may not stop reads every event"),
    };
    let outcome = match scan(&c.store, &e, ns, &prefix, uid, now, true) {
        Scan::Decided(existing, fields) => {
            if cfg!(debug_assertions) {
                let full = aggregate(&all(), &e.message, now);
                assert!(matches!(full, Outcome::Repeat(ev, _) if std::ptr::eq(ev, existing)), "the scan stopped at an event that does not decide");
            }
            Outcome::Repeat(existing, fields)
        }
        Scan::All(similar) => aggregate(&similar, &e.message, now),
        Scan::Again => aggregate(&all(), &e.message, now),
    };
    // The correlator aggregates and counts first, then asks the spam filter (EventCorrelate).
    if !c.event_spam.try_accept(&e.source, uid, c.clock.now_ms) {
        if let Outcome::Repeat(existing, _) = outcome {
            c.event_spam.skip(&e.source, uid, existing.name());
        }
        return;
    }
    match outcome {
        Outcome::Create(message) => {
            let (uid, rv) = (uid.to_string(), rv.to_string());
            let message = message.unwrap_or_else(|| std::mem::take(&mut e.message));
            create(c, &e, ns, uid, rv, message);
        }
        Outcome::Repeat(existing, fields) => {
            let skipped = c.event_spam.take_skipped(&e.source, uid, existing.name());
            let (key, n) = (Key::new(Kind::Event, ns, existing.name()), existing.i64_at("count").unwrap_or(1) + 1 + skipped);
            repeat(c, &e, key, n, fields.combined());
        }
    }
}

/// Where an occurrence with this message goes, among the similar events (newest first): to the
/// combined event once the current run has one or reaches ten distinct messages, else to the
/// event with the same message, else to a new event.
fn aggregate<'a>(similar: &[Similar<'a>], message: &str, now: i64) -> Outcome<'a> {
    let start = run_start(similar, now);
    let run = similar.iter().filter(|s| s.2 >= start).map(|s| &s.1);
    let combined = || similar.iter().find(|s| s.1.combined());
    let repeat = |&(existing, fields, _): &Similar<'a>| Outcome::Repeat(existing, fields);
    if run.clone().any(|f| f.combined()) {
        return combined().map_or(Outcome::Create(None), repeat);
    }
    let mut distinct: Vec<&str> = run.filter(|f| !f.combined()).filter_map(|f| f.message).collect();
    distinct.push(message);
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() >= AGGREGATE_MAX_EVENTS {
        combined().map_or_else(|| Outcome::Create(Some(combined_message(message))), repeat)
    } else {
        similar.iter().find(|s| s.1.message == Some(message)).map_or(Outcome::Create(None), repeat)
    }
}

/// One more occurrence of a stored event: its count, time (and a combined event's message)
/// change in place, no copy of the event to change and store, no old copy to free (a ReplicaSet
/// scaled to 1,000 updates its combined `Created pod` event 990 times).
fn repeat(c: &mut Cluster, e: &EventSpec, key: Key, n: i64, combined: bool) {
    let message = combined.then(|| combined_message(&e.message));
    let now = c.clock.timestamp();
    c.store.put_in_place(&key, |ev| {
        if let Some(m) = message {
            set_field(ev, "message", Value::String(m.into()));
        }
        set_field(ev, "count", Value::from(n));
        set_field(ev, "lastTimestamp", Value::String(now.into()));
    });
}

/// What `scan` found.
enum Scan<'a> {
    /// Every similar event, newest first.
    All(Vec<Similar<'a>>),
    /// The event that takes this occurrence, found before the scan's end.
    Decided(&'a Value, Fields<'a>),
    /// The scan stopped too soon: scan again to the end.
    Again,
}

/// The stored events similar to `e` (about the same object from the same component with the same
/// type and reason), newest first, up to the 64 newest events about the object.
///
/// With `may_stop`, the scan stops at the first combined event when its last occurrence is
/// within 600 s of now and no newer one is in the future: the events between it and now are then
/// at most 600 s apart, so it is in the current run, and being the first combined event it is the
/// one `record` counts, whatever the older events are. A large ReplicaSet's `Created pod` events
/// then read one event each, not the ten about the ReplicaSet (the combined one is the newest).
fn scan<'a>(store: &'a Store, e: &EventSpec, ns: &'a str, prefix: &'a str, uid: &str, now: i64, may_stop: bool) -> Scan<'a> {
    let kind = if e.warning { "Warning" } else { "Normal" };
    // The reason, read first (a lookup of two keys in an event's map), turns away most of an
    // object's other events without reading all their fields.
    let mut events = store.list_prefix_rev(Kind::Event, ns, prefix).take(64).filter(|ev| ev.get("reason").and_then(Value::as_str) == Some(&*e.reason));
    let mut similar: Vec<Similar> = Vec::new();
    let mut first_combined = true;
    while let Some(ev) = events.next() {
        let f = Fields::of(ev);
        if !(f.uid == Some(uid) && f.reason == Some(&*e.reason) && f.ty == Some(kind) && f.component == Some(&*e.source)) {
            continue;
        }
        let t = f.last.and_then(parse_rfc3339).unwrap_or(now);
        if may_stop && f.combined() && std::mem::replace(&mut first_combined, false) && (0..=AGGREGATE_INTERVAL_SECS).contains(&(now - t)) {
            // Any event with a time after now would restart the walk back from there. The store
            // bounds every event's time: at or before now (always so while the clock only moves
            // forward and no event was written with a later time), none is after now, and the
            // older events need not be read (a large ReplicaSet's `Created pod` read nine each).
            let last = |ev: &Value| ev.get("lastTimestamp").and_then(Value::as_str).and_then(parse_rfc3339).unwrap_or(now);
            let none_after = if store.events_latest() <= now {
                debug_assert!(similar.iter().all(|s| s.2 <= now) && events.all(|ev| last(ev) <= now), "an event is after the store's bound");
                true
            } else {
                similar.iter().all(|s| s.2 <= now) && events.all(|ev| last(ev) <= now)
            };
            return if none_after { Scan::Decided(ev, f) } else { Scan::Again };
        }
        similar.push((ev, f, t));
    }
    Scan::All(similar)
}

/// `(combined from similar events): <message>`.
fn combined_message(message: &str) -> String {
    let mut m = String::with_capacity(COMBINED.len() + message.len());
    m.push_str(COMBINED);
    m.push_str(message);
    m
}

/// The start of the aggregator's current run among similar events: walking back from now through
/// their last occurrences, the run ends at the first gap over 600 s (where the recorder would
/// have started a fresh record). The events at or after it are in the run.
fn run_start(similar: &[Similar], now: i64) -> i64 {
    let within = |start: i64, t: i64| start - t <= AGGREGATE_INTERVAL_SECS;
    // Most objects have at most one similar event: no copy of the times to sort.
    if let [(_, _, t)] = similar {
        return if within(now, *t) { *t } else { now };
    }
    // Sorting the times (not the events) reuses the wasm's one sort of i64s.
    let mut times: Vec<i64> = similar.iter().map(|s| s.2).collect();
    crate::sort::ord(&mut times);
    let mut start = now;
    for &t in times.iter().rev() {
        if !within(start, t) {
            break;
        }
        start = t;
    }
    start
}

/// The keys of an event and of its maps, in the maps' (sorted) order: `filled` puts values in
/// this order.
const EVENT_KEYS: [&str; 13] = [
    "apiVersion",
    "count",
    "firstTimestamp",
    "involvedObject",
    "kind",
    "lastTimestamp",
    "message",
    "metadata",
    "reason",
    "reportingComponent",
    "reportingInstance",
    "source",
    "type",
];
const INVOLVED_KEYS: [&str; 5] = ["apiVersion", "kind", "name", "resourceVersion", "uid"];
const INVOLVED_NS_KEYS: [&str; 6] = ["apiVersion", "kind", "name", "namespace", "resourceVersion", "uid"];
/// `resourceVersion` is the store's to set: a null placeholder here, so that the store's stamp
/// replaces a value rather than inserting a key (a copy of the key and a shift of the others).
const METADATA_KEYS: [&str; 5] = ["creationTimestamp", "name", "namespace", "resourceVersion", "uid"];
const SOURCE_KEYS: [&str; 1] = ["component"];

/// An event's maps with their keys and null values, built once. Each new event clones them and
/// fills in the values: collecting (key, value) pairs into a map sorted and deduplicated them
/// first (`BTreeMap::from_iter`), ~2,500 instructions an event more than a clone (callgrind).
struct Skeletons {
    event: Map,
    involved: Map,
    involved_ns: Map,
    metadata: Map,
    source: Map,
}

fn skeletons() -> &'static Skeletons {
    static S: OnceLock<Skeletons> = OnceLock::new();
    S.get_or_init(|| {
        let map = |keys: &[&str]| keys.iter().map(|&k| (k.to_string(), Value::Null)).collect();
        Skeletons { event: map(&EVENT_KEYS), involved: map(&INVOLVED_KEYS), involved_ns: map(&INVOLVED_NS_KEYS), metadata: map(&METADATA_KEYS), source: map(&SOURCE_KEYS) }
    })
}

/// A copy of `skeleton` holding `values`, given in the order of its keys.
fn filled<const N: usize>(skeleton: &Map, values: [Value; N]) -> Value {
    debug_assert_eq!(skeleton.len(), N);
    let mut m = skeleton.clone();
    for (slot, v) in m.values_mut().zip(values) {
        *slot = v;
    }
    Value::Object(m)
}

/// `<object>.<hex>`: `format!("{object}.{nanos:x}")`, written out (the formatter cost ~400
/// instructions an event).
fn event_name(object: &str, nanos: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digits = (64 - nanos.leading_zeros()).div_ceil(4).max(1);
    let mut s = String::with_capacity(object.len() + 1 + digits as usize);
    s.push_str(object);
    s.push('.');
    s.extend((0..digits).rev().map(|i| HEX[((nanos >> (4 * i)) & 0xf) as usize] as char));
    s
}

fn create(c: &mut Cluster, e: &EventSpec, ns: &str, uid: String, rv: String, message: String) {
    let now = c.clock.timestamp();
    // The recorder names events `<object>.<hex UnixNano>` (client-go tools/record), so names sort
    // in time order; the store's resource version keeps same-millisecond events distinct and ordered.
    let nanos = (c.clock.now_secs() as u64).saturating_mul(1_000_000_000) + (c.clock.now_ms % 1000) * 1_000_000 + c.store.resource_version() % 1_000_000;
    let name = event_name(&e.regarding.name, nanos);
    let s = skeletons();
    let text = |v: &str| Value::String(v.into());
    let (api_version, kind) = (Value::String(e.regarding.kind.api_version().into()), text(e.regarding.kind.name()));
    let involved = if e.regarding.namespace.is_empty() {
        filled(&s.involved, [api_version, kind, text(&e.regarding.name), Value::String(rv.into()), Value::String(uid.into())])
    } else {
        filled(&s.involved_ns, [api_version, kind, text(&e.regarding.name), text(&e.regarding.namespace), Value::String(rv.into()), Value::String(uid.into())])
    };
    // The key is built from the name here, not read back from the event by the store (`put`).
    let key = Key::new(Kind::Event, ns, &name);
    let metadata = filled(&s.metadata, [text(&now), Value::String(name.into()), text(ns), Value::Null, Value::String(c.rng.uuid().into())]);
    let ev = filled(
        &s.event,
        [
            text("v1"),
            Value::from(1),
            text(&now),
            involved,
            text("Event"),
            Value::String(now.into()),
            Value::String(message.into()),
            metadata,
            text(&e.reason[..]),
            text(&e.source[..]),
            text(""),
            filled(&s.source, [text(&e.source[..])]),
            text(if e.warning { "Warning" } else { "Normal" }),
        ],
    );
    c.store.put_keyed(key, ev);
}

/// Events about one object, oldest first (for `kubectl describe`).
pub fn events_for(c: &Cluster, uid: &str) -> Vec<crate::value::Value> {
    let mut v: Vec<_> = c.store.list(Kind::Event).filter(|e| e.str_at("involvedObject.uid") == Some(uid)).cloned().collect();
    crate::sort::by(&mut v, |a, b| a.str_at("firstTimestamp").cmp(&b.str_at("firstTimestamp")));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::clock::rfc3339;
    use crate::value::json;

    fn messages(c: &Cluster) -> Vec<(String, i64)> {
        let mut v: Vec<&Value> = c.store.list(Kind::Event).filter(|e| e.str_at("involvedObject.name") == Some("default") && e.str_at("reason") == Some("Test")).collect();
        crate::sort::by_key(&mut v, |e| e.name().to_string());
        v.iter().map(|e| (e.str_at("message").unwrap_or("").to_string(), e.i64_at("count").unwrap_or(0))).collect()
    }

    fn test_event(ns: &Key, message: &str) -> EventSpec {
        EventSpec::normal(ns.clone(), "test-controller", "Test", message)
    }

    /// A fresh cluster whose `default` namespace had twelve similar events, `m1` to `m12`: nine
    /// of their own, then the combined one.
    fn twelve_similar() -> (Cluster, Key) {
        let mut c = Cluster::new();
        let ns = Key::new(Kind::Namespace, "", "default");
        for i in 1..=12 {
            record(&mut c, test_event(&ns, &format!("m{i}")));
        }
        (c, ns)
    }

    #[test]
    fn the_scan_stops_at_the_combined_event_only_when_no_time_is_after_now() {
        let (mut c, ns) = twelve_similar();
        let ev = |m: &str| test_event(&ns, m);
        // The combined event is the newest: the scan stops there and counts it, the store's bound
        // on event times saying that no older one is after now.
        c.clock.now_ms += 1_000;
        assert!(c.store.events_latest() <= c.clock.now_secs());
        let names = c.store.list(Kind::Event).filter(|e| e.str_at("reason") == Some("Test")).map(|e| e.name().to_string()).collect::<Vec<_>>();
        let prefix = name_prefix("default");
        let Scan::Decided(first, _) = scan(&c.store, &ev("m13"), "default", &prefix, c.store.get(&ns).unwrap().uid(), c.clock.now_secs(), true) else { panic!("no stop") };
        assert_eq!(first.name(), names.last().unwrap());
        record(&mut c, ev("m13"));
        assert_eq!(messages(&c).last(), Some(&(format!("{COMBINED}m13"), 4)));
        // An older similar event seen after now starts the run there: the combined event is not
        // in it, so the scan reads on to the end and the new message gets an event of its own.
        let key = Key::new(Kind::Event, "default", &names[0]);
        c.store.put_in_place(&key, |e| set_field(e, "lastTimestamp", Value::String((rfc3339(c.clock.now_secs() + 10_000)).into())));
        assert!(c.store.events_latest() > c.clock.now_secs());
        assert!(matches!(scan(&c.store, &ev("m14"), "default", &prefix, c.store.get(&ns).unwrap().uid(), c.clock.now_secs(), true), Scan::Again));
        record(&mut c, ev("m14"));
        assert_eq!(messages(&c).last(), Some(&("m14".to_string(), 1)));
    }

    #[test]
    fn skeleton_keys_are_in_map_order() {
        for keys in [&EVENT_KEYS[..], &INVOLVED_KEYS, &INVOLVED_NS_KEYS, &METADATA_KEYS, &SOURCE_KEYS] {
            assert!(keys.is_sorted(), "{keys:?}");
        }
    }

    #[test]
    fn event_names_end_in_the_hex_time() {
        for n in [0, 1, 0xf, 0x10, 0xabc, 1_767_603_600_123_000_042, u64::MAX] {
            assert_eq!(event_name("web-1", n), format!("web-1.{n:x}"));
        }
    }

    #[test]
    fn a_new_event_has_every_field_the_recorder_writes() {
        let mut c = Cluster::new();
        c.clock.now_ms += 1_500;
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "namespace": "default", "uid": "u-1"}});
        c.store.put(pod);
        let ns = Key::new(Kind::Namespace, "", "default");
        record(&mut c, EventSpec::normal(Key::new(Kind::Pod, "default", "web-1"), "default-scheduler", "Scheduled", "Successfully assigned default/web-1 to node-1"));
        record(&mut c, EventSpec::warning(ns.clone(), "test-controller", "Test", "m"));
        let ev = |name: &str| c.store.list(Kind::Event).find(|e| e.str_at("involvedObject.name") == Some(name)).cloned().unwrap();
        let (pod_ev, ns_ev) = (ev("web-1"), ev("default"));
        let rv = |k: &Key| c.store.get(k).and_then(|o| o.str_at("metadata.resourceVersion")).unwrap().to_string();
        let pod_rv = rv(&Key::new(Kind::Pod, "default", "web-1"));
        let ns_uid = c.store.get(&ns).unwrap().uid().to_string();
        let now = c.clock.timestamp();
        let meta = |e: &Value| (e.name().to_string(), e.uid().to_string(), e.str_at("metadata.resourceVersion").unwrap().to_string());
        let (name, uid, erv) = meta(&pod_ev);
        assert!(name.starts_with("web-1."));
        assert_eq!(
            pod_ev,
            json!({
                "apiVersion": "v1", "count": 1, "firstTimestamp": now, "lastTimestamp": now, "kind": "Event",
                "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": "web-1", "namespace": "default", "resourceVersion": pod_rv, "uid": "u-1"},
                "message": "Successfully assigned default/web-1 to node-1",
                "metadata": {"creationTimestamp": now, "name": name, "namespace": "default", "resourceVersion": erv, "uid": uid},
                "reason": "Scheduled", "reportingComponent": "default-scheduler", "reportingInstance": "",
                "source": {"component": "default-scheduler"}, "type": "Normal",
            })
        );
        let (name, uid, erv) = meta(&ns_ev);
        assert_eq!(
            ns_ev,
            json!({
                "apiVersion": "v1", "count": 1, "firstTimestamp": now, "lastTimestamp": now, "kind": "Event",
                "involvedObject": {"apiVersion": "v1", "kind": "Namespace", "name": "default", "resourceVersion": rv(&ns), "uid": ns_uid},
                "message": "m",
                "metadata": {"creationTimestamp": now, "name": name, "namespace": "default", "resourceVersion": erv, "uid": uid},
                "reason": "Test", "reportingComponent": "test-controller", "reportingInstance": "",
                "source": {"component": "test-controller"}, "type": "Warning",
            })
        );
    }

    #[test]
    fn similar_events_combine_from_the_tenth_message_until_a_600s_gap() {
        let (mut c, ns) = twelve_similar();
        let ev = |m: &str| test_event(&ns, m);
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
