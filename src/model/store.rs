//! The simulated etcd: objects by key in a sorted map (so listings come out in kubectl's order),
//! with indexes by UID and by owner so garbage collection and controllers never scan everything.
//!
//! Copy-on-write: every object is an `Arc` and so is each map, so `Store::clone` (and therefore
//! `Cluster::clone`, done on every editor keystroke) is a few reference-count increments; the
//! first write to a clone copies the map's nodes (keys and pointers), never the objects. Each kind
//! has its own map, so that copy is of the written kind's objects only (a Deployment applied in a
//! trial copy does not copy the Events or the bootstrap ClusterRoles).

use super::kinds::{Kind, KIND_COUNT};
use super::object::{Key, ObjExt, Object};
use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::Arc;

type Objects = BTreeMap<Key, Arc<Object>>;

#[derive(Clone, Debug, Default)]
pub struct Store {
    /// Objects by key, one map per kind (indexed by `kind as usize`, which is kind order).
    objects: [Arc<Objects>; KIND_COUNT],
    /// UID → key, of every object but Events: nothing names an event by UID (events own
    /// nothing and are owned by nothing), and they are most of a busy store, so leaving them out
    /// spares each one a hash insert and keeps this map small for the copy a keystroke makes.
    by_uid: Arc<HashMap<String, Key>>,
    /// owner UID → keys of objects naming it in ownerReferences.
    children: Arc<HashMap<String, BTreeSet<Key>>>,
    resource_version: u64,
    /// The resourceVersion of the last write (put or remove) to each kind: controllers compare
    /// these stamps to skip a pass whose inputs did not change (`controllers::Watch`).
    kind_rv: [u64; KIND_COUNT],
    /// The resourceVersion of the last write the garbage collector reacts to (`ownership_version`).
    ownership_rv: u64,
    /// The latest `lastTimestamp` (Unix seconds) any Event written has had (`events_latest`).
    events_latest: i64,
}

/// Whether replacing `old` (None: a new object) by `new` changes anything the garbage collector
/// reads: which objects exist, a UID, ownerReferences, finalizers, or anything at all about an
/// object being deleted (its removal depends on its finalizers and `spec.nodeName`). Events are
/// never owned, never owners and never finalized, so they never count.
fn ownership_changes(kind: Kind, old: Option<&Object>, new: &Object) -> bool {
    let Some(old) = old else { return kind != Kind::Event };
    fn meta<'a>(o: &'a Object, f: &str) -> Option<&'a Object> {
        o.get("metadata").and_then(|m| m.get(f)).filter(|v| !v.is_null())
    }
    kind != Kind::Event
        && (old.is_deleting()
            || new.is_deleting()
            || old.uid() != new.uid()
            || meta(old, "ownerReferences") != meta(new, "ownerReferences")
            || meta(old, "finalizers") != meta(new, "finalizers"))
}

/// Whether `by_uid` holds the object: it has a UID and is not an Event.
fn indexed(kind: Kind, obj: &Object) -> bool {
    kind != Kind::Event && !obj.uid().is_empty()
}

/// Sets `metadata.resourceVersion`, as `set_path` does but without a copy of the key
/// "metadata" on every write (`set_path` walks with `entry`, which takes the key owned).
fn stamp(obj: &mut Object, rv: u64) {
    let rv = Object::String(rv.to_string());
    if let Some(meta @ Object::Object(_)) = obj.get_mut("metadata") {
        return super::object::set_field(meta, "resourceVersion", rv);
    }
    super::object::set_path(obj, "metadata.resourceVersion", rv);
}

/// An Event's `lastTimestamp` in Unix seconds (`i64::MIN`: none, or not a time).
fn last_timestamp(ev: &Object) -> i64 {
    ev.get("lastTimestamp").and_then(Object::as_str).and_then(super::clock::parse_rfc3339).unwrap_or(i64::MIN)
}

/// A key's namespace and name, borrowed. Within one kind's map every key has that kind, so the
/// keys there order by namespace then name alone: a lookup or a range bound in one kind's map
/// (`Borrow`) builds no `Key`, which allocated its two strings (three for a prefix's end).
trait NsName {
    fn ns_name(&self) -> (&str, &str);
}
impl NsName for Key {
    fn ns_name(&self) -> (&str, &str) {
        (&self.namespace, &self.name)
    }
}
impl NsName for (&str, &str) {
    fn ns_name(&self) -> (&str, &str) {
        (self.0, self.1)
    }
}
impl PartialEq for dyn NsName + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.ns_name() == other.ns_name()
    }
}
impl Eq for dyn NsName + '_ {}
impl PartialOrd for dyn NsName + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for dyn NsName + '_ {
    fn cmp(&self, other: &Self) -> Ordering {
        self.ns_name().cmp(&other.ns_name())
    }
}
impl<'a> Borrow<dyn NsName + 'a> for Key {
    fn borrow(&self) -> &(dyn NsName + 'a) {
        self
    }
}

/// The first name after every name that starts with `prefix` (the end of a prefix range):
/// `prefix` then U+10FFFF, the greatest char, written into `buf` (names have at most 253 bytes),
/// or onto the heap when longer.
fn past_prefix<'b>(prefix: &str, buf: &'b mut [u8; 256]) -> Cow<'b, str> {
    const LAST: &str = "\u{10FFFF}";
    let n = prefix.len() + LAST.len();
    if n > buf.len() {
        return Cow::Owned([prefix, LAST].concat());
    }
    buf[..prefix.len()].copy_from_slice(prefix.as_bytes());
    buf[prefix.len()..n].copy_from_slice(LAST.as_bytes());
    Cow::Borrowed(std::str::from_utf8(&buf[..n]).expect("a str then a char"))
}

/// Writes `status` and resourceVersion `rv` into a stored object: in place when no clone of the
/// store shares it, so the rest of it (spec, metadata: half a pod) is neither copied nor freed; a
/// shared one is copied once, without its old status.
fn write_status(slot: &mut Arc<Object>, status: Object, rv: u64) -> &mut Object {
    if Arc::get_mut(slot).is_none() {
        let copy = match &**slot {
            Object::Object(m) => Object::Object(m.iter().filter(|(k, _)| k.as_str() != "status").map(|(k, v)| (k.clone(), v.clone())).collect()),
            other => other.clone(),
        };
        *slot = Arc::new(copy);
    }
    let obj = Arc::get_mut(slot).expect("unshared, or a fresh copy");
    super::object::set_path(obj, "status", status);
    stamp(obj, rv);
    obj
}

impl Store {
    /// The map holding objects of `kind`.
    fn map(&self, kind: Kind) -> &Objects {
        &self.objects[kind as usize]
    }
    /// The same, to write (copied first if a clone of the store shares it).
    fn map_mut(&mut self, kind: Kind) -> &mut Objects {
        Arc::make_mut(&mut self.objects[kind as usize])
    }
    pub fn get(&self, key: &Key) -> Option<&Object> {
        self.map(key.kind).get(key).map(|o| &**o)
    }
    /// The stored object itself (shared, not copied).
    pub fn get_shared(&self, key: &Key) -> Option<Arc<Object>> {
        self.map(key.kind).get(key).cloned()
    }
    /// `get` of `Key::new(kind, namespace, name)`, looked up by the borrowed parts: no key built.
    pub fn get_by(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Object> {
        let ns = if kind.namespaced() { namespace } else { "" };
        let found = self.map(kind).get(&(ns, name) as &dyn NsName).map(|o| &**o);
        debug_assert!(found.map(|o| o as *const Object) == self.get(&Key::new(kind, namespace, name)).map(|o| o as *const Object), "get_by disagrees with get");
        found
    }
    pub fn contains(&self, key: &Key) -> bool {
        self.map(key.kind).contains_key(key)
    }
    /// The object with this UID (never an Event: see `by_uid`'s field).
    pub fn by_uid(&self, uid: &str) -> Option<&Object> {
        self.by_uid.get(uid).and_then(|k| self.get(k))
    }
    pub fn key_of_uid(&self, uid: &str) -> Option<&Key> {
        self.by_uid.get(uid)
    }
    /// Every object of a kind, sorted by namespace then name.
    pub fn list(&self, kind: Kind) -> impl Iterator<Item = &Object> + '_ {
        self.entries(kind).map(|(_, v)| v)
    }
    /// Objects of a kind in one namespace (all of them for cluster-scoped kinds).
    pub fn list_ns<'a>(&'a self, kind: Kind, namespace: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        let ns = if kind.namespaced() { namespace } else { "" };
        let lo = (ns, "");
        self.map(kind).range::<dyn NsName, _>((Bound::Included(&lo as &dyn NsName), Bound::Unbounded)).take_while(move |(k, _)| *k.namespace == *ns).map(|(_, v)| &**v)
    }
    /// Objects of a kind in one namespace whose names start with `prefix` (a range scan, double-ended
    /// so callers can look at the newest first).
    pub fn list_prefix(&self, kind: Kind, namespace: &str, prefix: &str) -> impl DoubleEndedIterator<Item = &Object> + '_ {
        let ns = if kind.namespaced() { namespace } else { "" };
        let mut buf = [0; 256];
        let end = past_prefix(prefix, &mut buf);
        let (lo, hi) = ((ns, prefix), (ns, &*end));
        self.map(kind).range::<dyn NsName, _>((Bound::Included(&lo as &dyn NsName), Bound::Excluded(&hi as &dyn NsName))).map(|(_, v)| &**v)
    }
    /// `list_prefix(..).rev()`, newest name first, found with one search of the store (back from
    /// the end of the range) instead of two.
    pub fn list_prefix_rev<'a>(&'a self, kind: Kind, namespace: &'a str, prefix: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        let ns = if kind.namespaced() { namespace } else { "" };
        let mut buf = [0; 256];
        let end = past_prefix(prefix, &mut buf);
        let hi = (ns, &*end);
        // Below `hi`, a key of this kind is at or after `(ns, prefix)` exactly when it has this
        // namespace and a name not before the prefix: the walk back stops at the first other key.
        self.map(kind)
            .range::<dyn NsName, _>((Bound::Unbounded, Bound::Excluded(&hi as &dyn NsName)))
            .rev()
            .take_while(move |(k, _)| *k.namespace == *ns && *k.name >= *prefix)
            .map(|(_, v)| &**v)
    }
    pub fn keys(&self, kind: Kind) -> Vec<Key> {
        self.list(kind).filter_map(|o| o.key()).collect()
    }
    /// Objects that list `owner_uid` among their ownerReferences.
    pub fn children_of(&self, owner_uid: &str) -> impl Iterator<Item = &Object> + '_ {
        self.child_entries(owner_uid).map(|(_, o)| o)
    }
    /// The same, with each object's key, in key order. The owner index and the objects are sorted
    /// alike and a workload's children mostly sit side by side (`web-…` pods of one namespace), so
    /// the objects are walked along with the index, a few steps from one child to the next, and a
    /// child further on is looked up: a lookup per child, among tens of thousands of keys, was
    /// most of a ReplicaSet pass.
    pub fn child_entries(&self, owner_uid: &str) -> impl Iterator<Item = (&Key, &Object)> + '_ {
        const STEPS: usize = 8;
        // A walk is along one kind's map: the kind and where it has got to.
        let seek = |k: &Key| (k.kind, self.map(k.kind).range::<Key, _>((Bound::Included(k), Bound::Unbounded)).peekable());
        let set = self.children.get(owner_uid);
        let mut keys = set.into_iter().flat_map(|s| s.iter());
        // A few children (a Deployment's ReplicaSets): looked up one by one, no walk to set up.
        let mut walk = set.filter(|s| s.len() >= 4).and_then(|s| s.first()).map(seek);
        std::iter::from_fn(move || {
            let Some((kind, walk)) = walk.as_mut() else {
                return keys.by_ref().find_map(|k| self.get(k).map(|o| (k, o)));
            };
            for k in keys.by_ref() {
                // The index is in key order, kind first: a child of the next kind starts a new walk.
                if k.kind != *kind {
                    (*kind, *walk) = seek(k);
                }
                let mut steps = 0;
                loop {
                    match walk.peek() {
                        Some(&(wk, _)) if wk == k => {
                            let (wk, o) = walk.next()?;
                            return Some((wk, &**o));
                        }
                        Some(&(wk, _)) if wk < k => {
                            if steps == STEPS {
                                *walk = seek(k).1;
                            } else {
                                walk.next();
                            }
                            steps += 1;
                        }
                        // Not stored (the index never names a missing object; skipped as `get` would).
                        _ => break,
                    }
                }
            }
            None
        })
    }
    pub fn len(&self) -> usize {
        self.objects.iter().map(|m| m.len()).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.objects.iter().all(|m| m.is_empty())
    }
    pub fn all(&self) -> impl Iterator<Item = &Object> + '_ {
        self.all_entries().map(|(_, o)| o)
    }
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }
    /// The resourceVersion of the last write to any object of `kind` (0: never written).
    pub fn kind_version(&self, kind: Kind) -> u64 {
        self.kind_rv[kind as usize]
    }
    /// The resourceVersion of the last write that changed what the garbage collector reads: an
    /// object (not an Event) added or removed, a UID, ownerReferences or finalizers changed, or
    /// any write to an object being deleted. Status writes never move it (the GC reads no status).
    pub fn ownership_version(&self) -> u64 {
        self.ownership_rv
    }
    /// No Event ever written had a `lastTimestamp` after this (Unix seconds; a time that does not
    /// parse counts as none). It only grows, even when an event is removed or moved back: a bound,
    /// not the maximum. The recorder reads it to skip reading every older event's time when it
    /// needs to know that none is after now (`events::scan`).
    pub fn events_latest(&self) -> i64 {
        self.events_latest
    }
    /// Every object of a kind with its key, sorted by namespace then name (no key is rebuilt
    /// from the object, which costs string lookups and allocations per object).
    pub fn entries(&self, kind: Kind) -> impl Iterator<Item = (&Key, &Object)> + '_ {
        self.map(kind).iter().map(|(k, v)| (k, &**v))
    }
    /// Every object with its key, in key order (kind order, then namespace and name).
    pub fn all_entries(&self) -> impl Iterator<Item = (&Key, &Object)> + '_ {
        self.objects.iter().flat_map(|m| m.iter()).map(|(k, v)| (k, &**v))
    }

    /// Stores an object (insert or replace), stamping a new resourceVersion. The object must have a
    /// known kind and a name; returns its key.
    pub fn put(&mut self, obj: Object) -> Option<Key> {
        let key = obj.key()?;
        Some(self.put_keyed(key, obj))
    }

    /// `put` of an object whose key the caller already holds (the API's create computed it): the
    /// key is not built again from the object's kind, namespace and name.
    pub fn put_keyed(&mut self, key: Key, mut obj: Object) -> Key {
        debug_assert_eq!(obj.key().as_ref(), Some(&key), "put_keyed: the key is the object's");
        self.resource_version += 1;
        self.kind_rv[key.kind as usize] = self.resource_version;
        stamp(&mut obj, self.resource_version);
        if key.kind == Kind::Event {
            self.events_latest = self.events_latest.max(last_timestamp(&obj));
        }
        let obj = Arc::new(obj);
        let old = self.map_mut(key.kind).insert(key.clone(), obj.clone());
        if ownership_changes(key.kind, old.as_deref(), &obj) {
            self.ownership_rv = self.resource_version;
        }
        match old {
            // Same UID and owners (a status or spec write): the indexes already say it.
            Some(old) if old.uid() == obj.uid() && old.owner_uids() == obj.owner_uids() && (!indexed(key.kind, &obj) || self.by_uid.get(obj.uid()) == Some(&key)) => {}
            Some(old) => {
                self.unindex(&key, &old);
                self.index(&key, &obj);
            }
            None => self.index_new(&key, &obj),
        }
        key
    }

    /// A status write (`PUT …/status`): replaces the object's `status` and stamps a new
    /// resourceVersion. UID, owners and spec stay, so no index moves. When no copy of the cluster
    /// shares the object it is changed in place, so the rest of it (spec, metadata: half a pod) is
    /// neither copied nor freed; a shared one is copied once, without its old status. Returns
    /// false when there is no such object.
    pub fn put_status(&mut self, key: &Key, status: Object) -> bool {
        let Some(slot) = Arc::make_mut(&mut self.objects[key.kind as usize]).get_mut(key) else { return false };
        self.resource_version += 1;
        self.kind_rv[key.kind as usize] = self.resource_version;
        let obj = write_status(slot, status, self.resource_version);
        if key.kind == Kind::Event {
            self.events_latest = self.events_latest.max(last_timestamp(obj));
        }
        true
    }

    /// `put_status` unless the stored status already equals `status`: then nothing is written and
    /// no resourceVersion is spent (`api::update_status`). When no clone of the store shares the
    /// kind's map (a settle's writes), the object is found once, not once to compare and again to
    /// write. Returns whether it wrote.
    pub fn replace_status(&mut self, key: &Key, status: Object) -> bool {
        let i = key.kind as usize;
        if let Some(map) = Arc::get_mut(&mut self.objects[i]) {
            let Some(slot) = map.get_mut(key) else { return false };
            if slot.get("status") == Some(&status) {
                return false;
            }
            self.resource_version += 1;
            self.kind_rv[i] = self.resource_version;
            write_status(slot, status, self.resource_version);
            return true;
        }
        if self.get(key).is_none_or(|o| o.get("status") == Some(&status)) {
            return false;
        }
        self.put_status(key, status)
    }

    /// `put_in_place` after `check` accepts the stored object (its error is returned and nothing
    /// is written otherwise; Ok(false) when there is no such object). When no clone of the store
    /// shares the kind's map (a settle's writes: every binding), the object is found once, not
    /// once to check and again to write.
    pub fn put_in_place_checked<E>(&mut self, key: &Key, check: impl FnOnce(&Object) -> Result<(), E>, f: impl FnOnce(&mut Object)) -> Result<bool, E> {
        if Arc::get_mut(&mut self.objects[key.kind as usize]).is_none() {
            let Some(old) = self.get(key) else { return Ok(false) };
            check(old)?;
            return Ok(self.put_in_place(key, f));
        }
        let map = Arc::get_mut(&mut self.objects[key.kind as usize]).expect("unique, checked above");
        let Some(slot) = map.get_mut(key) else { return Ok(false) };
        check(slot)?;
        let obj = Arc::make_mut(slot);
        let owned = |o: &Object| (o.uid().to_string(), o.path("metadata.ownerReferences").cloned(), o.path("metadata.finalizers").cloned(), o.is_deleting());
        let before = cfg!(debug_assertions).then(|| owned(obj));
        f(obj);
        if let Some(before) = before {
            assert!(!before.3 && before == owned(obj), "put_in_place of {} changed what the indexes or the garbage collector read", key.display());
        }
        self.resource_version += 1;
        self.kind_rv[key.kind as usize] = self.resource_version;
        super::object::set_path(obj, "metadata.resourceVersion", self.resource_version.to_string().into());
        Ok(true)
    }

    /// A write that changes neither the object's UID, ownerReferences, finalizers nor
    /// deletionTimestamp, of an object not being deleted (a binding, an event's count): `f` changes the stored object
    /// itself when no copy of the cluster shares it, and a new resourceVersion is stamped. No
    /// index moves and nothing the garbage collector reads changes. Returns false when there is no
    /// such object.
    pub fn put_in_place(&mut self, key: &Key, f: impl FnOnce(&mut Object)) -> bool {
        let Some(slot) = Arc::make_mut(&mut self.objects[key.kind as usize]).get_mut(key) else { return false };
        let obj = Arc::make_mut(slot);
        let owned = |o: &Object| (o.uid().to_string(), o.path("metadata.ownerReferences").cloned(), o.path("metadata.finalizers").cloned(), o.is_deleting());
        let before = cfg!(debug_assertions).then(|| owned(obj));
        f(obj);
        if let Some(before) = before {
            assert!(!before.3 && before == owned(obj), "put_in_place of {} changed what the indexes or the garbage collector read", key.display());
        }
        self.resource_version += 1;
        self.kind_rv[key.kind as usize] = self.resource_version;
        stamp(obj, self.resource_version);
        if key.kind == Kind::Event {
            self.events_latest = self.events_latest.max(last_timestamp(obj));
        }
        true
    }

    /// Removes an object; returns the stored copy.
    pub fn remove(&mut self, key: &Key) -> Option<Arc<Object>> {
        let old = self.map_mut(key.kind).remove(key)?;
        self.unindex(key, &old);
        self.resource_version += 1;
        self.kind_rv[key.kind as usize] = self.resource_version;
        if key.kind != Kind::Event {
            self.ownership_rv = self.resource_version;
        }
        Some(old)
    }

    fn index(&mut self, key: &Key, obj: &Object) {
        if indexed(key.kind, obj) && self.by_uid.get(obj.uid()) != Some(key) {
            Arc::make_mut(&mut self.by_uid).insert(obj.uid().to_string(), key.clone());
        }
        for o in obj.owner_uids() {
            if !self.children.get(o).is_some_and(|s| s.contains(key)) {
                Arc::make_mut(&mut self.children).entry(o.to_string()).or_default().insert(key.clone());
            }
        }
    }
    /// `index` of an object the store did not hold under its key: no index names that key (a
    /// removal unindexes it), so the checks `index` makes before writing (a hash of the UID, a
    /// search of the owner's children, each twice) are skipped, and an owner already indexed has
    /// its set found without copying its UID into a key.
    fn index_new(&mut self, key: &Key, obj: &Object) {
        if indexed(key.kind, obj) {
            debug_assert!(self.by_uid.get(obj.uid()) != Some(key), "index_new: {} was indexed by UID", key.display());
            Arc::make_mut(&mut self.by_uid).insert(obj.uid().to_string(), key.clone());
        }
        for o in obj.owner_uids() {
            let children = Arc::make_mut(&mut self.children);
            match children.get_mut(o) {
                // An owner named twice in ownerReferences finds the key there the second time.
                Some(set) => {
                    set.insert(key.clone());
                }
                None => {
                    children.insert(o.to_string(), BTreeSet::from([key.clone()]));
                }
            }
        }
    }
    fn unindex(&mut self, key: &Key, obj: &Object) {
        if self.by_uid.get(obj.uid()) == Some(key) {
            Arc::make_mut(&mut self.by_uid).remove(obj.uid());
        }
        for o in obj.owner_uids() {
            if self.children.get(o).is_some_and(|s| s.contains(key)) {
                let children = Arc::make_mut(&mut self.children);
                if let Some(s) = children.get_mut(o) {
                    s.remove(key);
                    if s.is_empty() {
                        children.remove(o);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
}
