//! The store's tests: lookups, ranges, indexes and in-place writes.

use super::*;
use crate::value::json;

#[test]
fn events_are_not_found_by_uid_other_objects_are() {
    let mut c = crate::model::Cluster::new();
    let ns = Key::new(Kind::Namespace, "", "default");
    crate::model::events::record(&mut c, crate::model::events::EventSpec::normal(ns.clone(), "test", "Test", "m"));
    let ev = c.store.list(Kind::Event).find(|e| e.str_at("reason") == Some("Test")).expect("recorded");
    assert!(!ev.uid().is_empty());
    assert!(c.store.by_uid(ev.uid()).is_none());
    let ns_uid = c.store.get(&ns).unwrap().uid().to_string();
    assert_eq!(c.store.key_of_uid(&ns_uid), Some(&ns));
}
#[test]
fn events_latest_bounds_every_event_time_written() {
    let mut s = Store::default();
    let t = |secs: i64| crate::model::clock::rfc3339(secs);
    s.put(json!({"kind":"Event","metadata":{"name":"p.1","namespace":"default"},"lastTimestamp":t(1_000)}));
    assert_eq!(s.events_latest(), 1_000);
    // Other kinds, and events without a time or with one that does not parse, leave it.
    s.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default"},"lastTimestamp":t(9_000)}));
    s.put(json!({"kind":"Event","metadata":{"name":"p.2","namespace":"default"},"lastTimestamp":"soon"}));
    s.put(json!({"kind":"Event","metadata":{"name":"p.3","namespace":"default"}}));
    assert_eq!(s.events_latest(), 1_000);
    let key = Key::new(Kind::Event, "default", "p.1");
    s.put_in_place(&key, |e| crate::model::object::set_field(e, "lastTimestamp", t(5_000).into()));
    assert_eq!(s.events_latest(), 5_000);
    // A bound, never lowered: moved back or removed, the event's old time still counts.
    s.put_in_place(&key, |e| crate::model::object::set_field(e, "lastTimestamp", t(2_000).into()));
    s.remove(&key);
    assert_eq!(s.events_latest(), 5_000);
    s.put_status(&Key::new(Kind::Event, "default", "p.3"), json!({}));
    assert_eq!(s.events_latest(), 5_000);
}
#[test]
fn get_by_finds_what_get_finds() {
    let mut s = Store::default();
    for (kind, ns, name) in [(Kind::Pod, "a", "web"), (Kind::Pod, "a", "web-1"), (Kind::Pod, "ab", "w"), (Kind::Pod, "", "x"), (Kind::Node, "", "n1"), (Kind::Service, "a", "web")] {
        s.put(json!({"kind": kind.name(), "metadata": {"name": name, "namespace": ns}}));
    }
    for kind in [Kind::Pod, Kind::Node, Kind::Service, Kind::ConfigMap] {
        for ns in ["", "a", "ab", "b"] {
            for name in ["", "web", "web-1", "web-", "w", "x", "n1"] {
                let want = s.get(&Key::new(kind, ns, name)).map(|o| o as *const Object);
                assert_eq!(s.get_by(kind, ns, name).map(|o| o as *const Object), want, "{kind:?} {ns} {name}");
            }
        }
    }
    assert!(s.get_by(Kind::Node, "any", "n1").is_some(), "cluster-scoped: the namespace is ignored");
}
#[test]
fn indexes_follow_updates() {
    let mut s = Store::default();
    s.put(json!({"kind":"ReplicaSet","metadata":{"name":"rs","namespace":"default","uid":"u1"}}));
    s.put(json!({"kind":"Pod","metadata":{"name":"p1","namespace":"default","uid":"u2","ownerReferences":[{"uid":"u1","controller":true}]}}));
    s.put(json!({"kind":"Pod","metadata":{"name":"p0","namespace":"other","uid":"u3"}}));
    assert_eq!(s.children_of("u1").count(), 1);
    assert_eq!(s.list(Kind::Pod).map(|p| p.name()).collect::<Vec<_>>(), vec!["p1", "p0"]);
    assert_eq!(s.list_ns(Kind::Pod, "other").count(), 1);
    s.put(json!({"kind":"Pod","metadata":{"name":"p1","namespace":"default","uid":"u2"}}));
    assert_eq!(s.children_of("u1").count(), 0);
    assert_eq!(s.by_uid("u2").unwrap().name(), "p1");
    assert_eq!(s.get_by(Kind::Pod, "default", "p1").unwrap().str_at("metadata.resourceVersion"), Some("4"));
    s.remove(&Key::new(Kind::Pod, "default", "p1"));
    assert!(s.by_uid("u2").is_none());
}

#[test]
fn ownership_version_moves_only_for_what_the_gc_reads() {
    let mut s = Store::default();
    s.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u1"},"spec":{}}));
    let pod = Key::new(Kind::Pod, "default", "p");
    let v = s.ownership_version();
    assert_eq!(v, 1);
    s.put_status(&pod, json!({"phase":"Running"}));
    s.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u1","labels":{"a":"b"}},"spec":{}}));
    s.put(json!({"kind":"Event","metadata":{"name":"p.1","namespace":"default","uid":"e1"}}));
    assert_eq!(s.ownership_version(), v);
    s.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u1","finalizers":["x"]},"spec":{}}));
    assert_eq!(s.ownership_version(), s.resource_version());
    s.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u1","finalizers":["x"],"ownerReferences":[{"uid":"o"}]},"spec":{}}));
    assert_eq!(s.ownership_version(), s.resource_version());
    s.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u1","finalizers":["x"],"ownerReferences":[{"uid":"o"}],"deletionTimestamp":"t"},"spec":{}}));
    assert_eq!(s.ownership_version(), s.resource_version());
    s.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u1","finalizers":["x"],"ownerReferences":[{"uid":"o"}],"deletionTimestamp":"t"},"spec":{"nodeName":"n"}}));
    assert_eq!(s.ownership_version(), s.resource_version());
    s.remove(&Key::new(Kind::Event, "default", "p.1"));
    assert_eq!(s.ownership_version(), s.resource_version() - 1);
    s.remove(&pod);
    assert_eq!(s.ownership_version(), s.resource_version());
}

#[test]
fn children_come_in_key_order_however_they_are_spread() {
    let mut s = Store::default();
    s.put(json!({"kind":"ReplicaSet","metadata":{"name":"rs","namespace":"b","uid":"o"}}));
    // Children side by side, far apart among other pods, in two namespaces and two kinds.
    for i in 0..60 {
        let owned = i % 7 == 0 || (20..30).contains(&i) || i == 59;
        let refs = if owned { json!([{"uid":"o"}]) } else { json!([]) };
        for ns in ["a", "b"] {
            s.put(json!({"kind":"Pod","metadata":{"name":format!("p{i:02}"),"namespace":ns,"uid":format!("{ns}{i}"),"ownerReferences":refs}}));
        }
    }
    s.put(json!({"kind":"ConfigMap","metadata":{"name":"c","namespace":"a","uid":"c","ownerReferences":[{"uid":"o"}]}}));
    let want: Vec<&Key> = s.children.get("o").unwrap().iter().collect();
    let got: Vec<&Key> = s.child_entries("o").map(|(k, o)| {
        assert_eq!(o.key().as_ref(), Some(k));
        k
    }).collect();
    assert_eq!(got, want);
    assert_eq!(got.len(), 2 * 18 + 1);
    assert_eq!(s.children_of("o").count(), 37);
    assert_eq!(s.child_entries("nobody").count(), 0);
}

#[test]
fn prefix_listings_stop_at_the_namespace_and_the_kind() {
    let mut s = Store::default();
    for (kind, ns, name) in [("Pod", "a", "web-1"), ("Pod", "a", "web-2"), ("Pod", "a", "webx"), ("Pod", "a", "wea"), ("Pod", "b", "web-3"), ("Pod", "", "web-0"), ("Service", "a", "web-9"), ("ReplicaSet", "a", "web-5"), ("Node", "", "web-n")] {
        s.put(json!({"kind":kind,"metadata":{"name":name,"namespace":ns}}));
    }
    for (kind, ns, prefix) in [(Kind::Pod, "a", "web-"), (Kind::Pod, "a", "web"), (Kind::Pod, "a", ""), (Kind::Pod, "b", "w"), (Kind::Pod, "c", "web"), (Kind::Service, "a", "web"), (Kind::Node, "a", "web")] {
        let fwd: Vec<&str> = s.list_prefix(kind, ns, prefix).map(|o| o.name()).collect();
        let mut rev: Vec<&str> = s.list_prefix_rev(kind, ns, prefix).map(|o| o.name()).collect();
        rev.reverse();
        assert_eq!(rev, fwd, "{kind:?} {ns} {prefix}");
        assert_eq!(s.list_prefix(kind, ns, prefix).rev().map(|o| o.name()).collect::<Vec<_>>(), s.list_prefix_rev(kind, ns, prefix).map(|o| o.name()).collect::<Vec<_>>());
    }
    assert_eq!(s.list_prefix(Kind::Pod, "a", "web-").map(|o| o.name()).collect::<Vec<_>>(), ["web-1", "web-2"]);
    assert_eq!(s.list_prefix_rev(Kind::Node, "a", "web").map(|o| o.name()).collect::<Vec<_>>(), ["web-n"]);
    assert_eq!(s.list_ns(Kind::Pod, "a").count(), 4);
    // A prefix too long for the stack buffer of its range's end: the same listing.
    let long = "w".repeat(300);
    s.put(json!({"kind":"Pod","metadata":{"name":format!("{long}-1"),"namespace":"a"}}));
    s.put(json!({"kind":"Pod","metadata":{"name":format!("{long}x"),"namespace":"a"}}));
    assert_eq!(s.list_prefix(Kind::Pod, "a", &format!("{long}-")).map(|o| o.name()).collect::<Vec<_>>(), [format!("{long}-1")]);
    assert_eq!(s.list_prefix_rev(Kind::Pod, "a", &long).map(|o| o.name()).collect::<Vec<_>>(), [format!("{long}x"), format!("{long}-1")]);
    s.remove(&Key::new(Kind::Pod, "a", &format!("{long}-1")));
    s.remove(&Key::new(Kind::Pod, "a", &format!("{long}x")));
    // Lookups by namespace and name find what lookups by key find (a cluster-scoped kind's
    // namespace is ignored, as `Key::new` ignores it).
    for (kind, ns, name) in [(Kind::Pod, "a", "web-1"), (Kind::Pod, "b", "web-1"), (Kind::Node, "a", "web-n"), (Kind::Node, "", "web-n"), (Kind::Service, "a", "web-9"), (Kind::Pod, "a", "nope")] {
        assert_eq!(s.get_by(kind, ns, name), s.get(&Key::new(kind, ns, name)), "{kind:?} {ns} {name}");
    }
    assert!(s.get_by(Kind::Node, "zzz", "web-n").is_some());
    assert_eq!(s.len(), 9);
    // Every object, in key order: kind, then namespace, then name.
    let all: Vec<Key> = s.all_entries().map(|(k, _)| k.clone()).collect();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);
    assert_eq!(all.first().map(|k| k.kind), Some(Kind::Node));
}

#[test]
fn clones_share_objects_until_written() {
    let mut a = Store::default();
    a.put(json!({"kind":"ReplicaSet","metadata":{"name":"rs","namespace":"default","uid":"u1"}}));
    a.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u2","ownerReferences":[{"uid":"u1"}]}}));
    let mut b = a.clone();
    let rs = Key::new(Kind::ReplicaSet, "default", "rs");
    let pod = Key::new(Kind::Pod, "default", "p");
    assert!(Arc::ptr_eq(&a.get_shared(&pod).unwrap(), &b.get_shared(&pod).unwrap()));
    b.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u2"}}));
    // Only the written kind's map was copied.
    assert!(!Arc::ptr_eq(&a.objects[Kind::Pod as usize], &b.objects[Kind::Pod as usize]));
    assert!(Arc::ptr_eq(&a.objects[Kind::ReplicaSet as usize], &b.objects[Kind::ReplicaSet as usize]));
    b.remove(&rs);
    // The original is untouched: its object, its UID index and its owner index.
    assert_eq!(a.children_of("u1").count(), 1);
    assert_eq!(a.by_uid("u1").unwrap().name(), "rs");
    assert_eq!(b.children_of("u1").count(), 0);
    assert!(b.by_uid("u1").is_none());
    assert!(Arc::ptr_eq(&a.get_shared(&rs).unwrap(), &a.get_shared(&rs).unwrap()));
    assert_ne!(a.get(&pod), b.get(&pod));
}

/// `replace_status` writes only a different status, whether or not a clone shares the map (the
/// shared case looks the object up twice, the unique one once), and leaves the clone alone.
#[test]
fn a_status_replaced_only_when_it_differs() {
    let mut a = Store::default();
    a.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u2"},"status":{"phase":"Pending"}}));
    let pod = Key::new(Kind::Pod, "default", "p");
    let b = a.clone();
    assert!(!a.replace_status(&pod, json!({"phase":"Pending"})));
    assert!(Arc::ptr_eq(&a.objects[Kind::Pod as usize], &b.objects[Kind::Pod as usize]), "an equal status copies nothing");
    assert!(a.replace_status(&pod, json!({"phase":"Running"})));
    assert_eq!(b.get(&pod).unwrap().str_at("status.phase"), Some("Pending"));
    assert_eq!(a.get(&pod).unwrap().str_at("metadata.resourceVersion"), Some("2"));
    drop(b);
    assert!(!a.replace_status(&pod, json!({"phase":"Running"})));
    assert_eq!((a.resource_version(), a.kind_version(Kind::Pod)), (2, 2));
    assert!(a.replace_status(&pod, json!({"phase":"Succeeded"})));
    assert_eq!(a.get(&pod).unwrap().str_at("status.phase"), Some("Succeeded"));
    assert_eq!(a.get(&pod).unwrap().str_at("metadata.resourceVersion"), Some("3"));
    assert_eq!(a.kind_version(Kind::Pod), 3);
    assert!(!a.replace_status(&Key::new(Kind::Pod, "default", "nope"), json!({})));
}

/// `put_in_place_checked` writes only what `check` accepts, shared map or not.
#[test]
fn a_checked_write_in_place() {
    let mut a = Store::default();
    a.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u2"}}));
    let pod = Key::new(Kind::Pod, "default", "p");
    let bind = |s: &mut Store, n: &str| {
        s.put_in_place_checked(&pod, |o| if o.str_at("spec.nodeName").is_some() { Err(()) } else { Ok(()) }, |o| crate::model::object::set_path(o, "spec.nodeName", json!(n)))
    };
    let b = a.clone();
    assert_eq!(bind(&mut a, "n1"), Ok(true));
    assert_eq!(b.get(&pod).unwrap().str_at("spec.nodeName"), None);
    drop(b);
    assert_eq!(bind(&mut a, "n2"), Err(()));
    assert_eq!(a.get(&pod).unwrap().str_at("spec.nodeName"), Some("n1"));
    assert_eq!((a.resource_version(), a.get(&pod).unwrap().str_at("metadata.resourceVersion")), (2, Some("2")));
    let mut c = Store::default();
    assert_eq!(bind(&mut c, "n1"), Ok(false));
}

#[test]
fn a_status_write_changes_a_shared_object_only_in_the_writer() {
    let mut a = Store::default();
    a.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u2"},"spec":{"nodeName":"n"},"status":{"phase":"Pending"}}));
    let pod = Key::new(Kind::Pod, "default", "p");
    let b = a.clone();
    let before = a.get_shared(&pod).unwrap();
    assert!(a.put_status(&pod, json!({"phase":"Running"})));
    // Shared with `b`: copied, and `b` still sees the old status.
    assert_eq!(b.get(&pod).unwrap().str_at("status.phase"), Some("Pending"));
    assert_eq!(a.get(&pod).unwrap().str_at("status.phase"), Some("Running"));
    assert_eq!(a.get(&pod).unwrap().str_at("spec.nodeName"), Some("n"));
    assert_eq!(a.get(&pod).unwrap().str_at("metadata.resourceVersion"), Some("2"));
    assert_eq!(a.kind_version(Kind::Pod), 2);
    drop((b, before));
    // Now unique: written in place, the same allocation.
    let p0 = Arc::as_ptr(&a.get_shared(&pod).unwrap());
    assert!(a.put_status(&pod, json!({"phase":"Succeeded"})));
    assert_eq!(Arc::as_ptr(&a.get_shared(&pod).unwrap()), p0);
    assert_eq!(a.get(&pod).unwrap().str_at("status.phase"), Some("Succeeded"));
    assert_eq!(a.get(&pod).unwrap().str_at("metadata.resourceVersion"), Some("3"));
    assert_eq!(a.by_uid("u2").map(|p| p.name()), Some("p"));
    assert!(!a.put_status(&Key::new(Kind::Pod, "default", "nope"), json!({})));
}

#[test]
fn uncontrolled_follows_adoption_orphaning_and_removal() {
    let mut s = Store::default();
    let pod = |name: &str, owners: crate::value::Value| json!({"kind": "Pod", "metadata": {"name": name, "namespace": "a", "uid": format!("u-{name}"), "ownerReferences": owners}});
    let names = |s: &Store| s.uncontrolled(Kind::Pod).map(|o| o.name().to_string()).collect::<Vec<_>>();
    s.put(pod("free", json!([])));
    s.put(pod("owned", json!([{"uid": "rs", "controller": true}])));
    s.put(pod("plain-owner", json!([{"uid": "rs", "controller": false}])));
    s.put(json!({"kind": "Event", "metadata": {"name": "free.1", "namespace": "a"}}));
    s.put(json!({"kind": "ReplicaSet", "metadata": {"name": "rs", "namespace": "a", "uid": "rs"}}));
    assert_eq!(names(&s), ["free", "plain-owner"]);
    assert_eq!(s.uncontrolled(Kind::ReplicaSet).count(), 1);
    assert_eq!(s.uncontrolled(Kind::Event).count(), 0, "events are never adopted");
    // Adopted: the same owner, now its controller (the owner UIDs alone do not change).
    s.put(pod("plain-owner", json!([{"uid": "rs", "controller": true}])));
    // Orphaned: the controller reference dropped.
    s.put(pod("owned", json!([])));
    assert_eq!(names(&s), ["free", "owned"]);
    s.remove(&Key::new(Kind::Pod, "a", "free"));
    assert_eq!(names(&s), ["owned"]);
}

/// The version kept beside each object follows every kind of write, on a shared map and not
/// (`versions` and `child_versions` also check it against the object in debug builds).
#[test]
fn versions_follow_every_write() {
    let mut a = Store::default();
    let rs = json!({"kind":"ReplicaSet","metadata":{"name":"web","namespace":"default","uid":"rs"}});
    a.put(rs);
    let owned = json!([{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"rs","controller":true}]);
    a.put(json!({"kind":"Pod","metadata":{"name":"p","namespace":"default","uid":"u1","ownerReferences":owned}}));
    let pod = Key::new(Kind::Pod, "default", "p");
    let version = |s: &Store| {
        let v = s.versions(Kind::Pod).map(|(_, v, _)| v).collect::<Vec<_>>();
        assert_eq!(s.child_versions("rs").map(|(_, v, _)| v).collect::<Vec<_>>(), v);
        v
    };
    assert_eq!(version(&a), [2]);
    let b = a.clone();
    assert!(a.put_status(&pod, json!({"phase":"Pending"})));
    assert_eq!((version(&a), version(&b)), (vec![3], vec![2]));
    assert!(a.replace_status(&pod, json!({"phase":"Running"})));
    assert!(a.put_in_place(&pod, |o| crate::model::object::set_path(o, "spec.nodeName", json!("n1"))));
    assert_eq!(a.put_in_place_checked(&pod, |_| Ok::<(), ()>(()), |o| crate::model::object::set_path(o, "spec.nodeName", json!("n2"))), Ok(true));
    assert_eq!(version(&a), [6]);
    drop(b);
    assert!(a.replace_status(&pod, json!({"phase":"Succeeded"})));
    assert_eq!(a.put_in_place_checked(&pod, |_| Ok::<(), ()>(()), |o| crate::model::object::set_path(o, "spec.nodeName", json!("n3"))), Ok(true));
    let again = a.get(&pod).unwrap().clone();
    a.put(again);
    assert_eq!(version(&a), [9]);
    assert_eq!(a.get(&pod).unwrap().str_at("metadata.resourceVersion"), Some("9"));
}
