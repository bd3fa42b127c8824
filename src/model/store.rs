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

type Objects = BTreeMap<Key, Slot>;

/// A stored object with the resourceVersion of its last write, kept beside it so that a
/// controller's memo can tell an unchanged object without reading its JSON: at 10,000 pods a
/// pass that walked `metadata.resourceVersion` (two map searches and a parse, in memory no
/// other pass had touched lately) spent more time in cache misses than in its own work.
#[derive(Clone, Debug)]
struct Slot {
    rv: u64,
    obj: Arc<Object>,
}

impl Slot {
    /// The resourceVersion, which debug builds check against the object's own.
    fn version(&self) -> u64 {
        debug_assert_eq!(self.obj.path("metadata.resourceVersion").and_then(Object::as_str), Some(&*self.rv.to_string()), "a slot's resourceVersion is its object's");
        self.rv
    }
}

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
    /// Keys of the objects (not Events) with no controller reference: what a controller may adopt
    /// (`workload_util::Orphans`). Scanning every pod for them each ReplicaSet pass read the
    /// ownerReferences of 10,000 pods some 15 times in a 10,000-replica settle.
    uncontrolled: Arc<BTreeSet<Key>>,
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
    let rv = Object::String(smol_str::ToSmolStr::to_smolstr(&rv));
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

/// `f` applied to a stored object, which must keep what the indexes and the garbage collector
/// read (UID, ownerReferences, finalizers; not being deleted: debug builds check), then
/// resourceVersion `rv` stamped (`Store::put_in_place`).
fn change_in_place(key: &Key, obj: &mut Object, f: impl FnOnce(&mut Object), rv: u64) {
    let owned = |o: &Object| (o.uid().to_string(), o.path("metadata.ownerReferences").cloned(), o.path("metadata.finalizers").cloned(), o.is_deleting());
    let before = cfg!(debug_assertions).then(|| owned(obj));
    f(obj);
    if let Some(before) = before {
        assert!(!before.3 && before == owned(obj), "put_in_place of {} changed what the indexes or the garbage collector read", key.display());
    }
    stamp(obj, rv);
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
        self.map(key.kind).get(key).map(|s| &*s.obj)
    }
    /// `get`, with the resourceVersion of the object's last write (see `Slot`).
    pub fn get_versioned(&self, key: &Key) -> Option<(u64, &Object)> {
        self.map(key.kind).get(key).map(|s| (s.version(), &*s.obj))
    }
    /// The stored object itself (shared, not copied).
    pub fn get_shared(&self, key: &Key) -> Option<Arc<Object>> {
        self.map(key.kind).get(key).map(|s| s.obj.clone())
    }
    /// `get` of `Key::new(kind, namespace, name)`, looked up by the borrowed parts: no key built.
    pub fn get_by(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Object> {
        let ns = if kind.namespaced() { namespace } else { "" };
        let found = self.map(kind).get(&(ns, name) as &dyn NsName).map(|s| &*s.obj);
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
        self.map(kind).range::<dyn NsName, _>((Bound::Included(&lo as &dyn NsName), Bound::Unbounded)).take_while(move |(k, _)| *k.namespace == *ns).map(|(_, v)| &*v.obj)
    }
    /// Objects of a kind in one namespace whose names start with `prefix` (a range scan, double-ended
    /// so callers can look at the newest first).
    pub fn list_prefix(&self, kind: Kind, namespace: &str, prefix: &str) -> impl DoubleEndedIterator<Item = &Object> + '_ {
        let ns = if kind.namespaced() { namespace } else { "" };
        let mut buf = [0; 256];
        let end = past_prefix(prefix, &mut buf);
        let (lo, hi) = ((ns, prefix), (ns, &*end));
        self.map(kind).range::<dyn NsName, _>((Bound::Included(&lo as &dyn NsName), Bound::Excluded(&hi as &dyn NsName))).map(|(_, v)| &*v.obj)
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
            .map(|(_, v)| &*v.obj)
    }
    pub fn keys(&self, kind: Kind) -> Vec<Key> {
        self.list(kind).filter_map(|o| o.key()).collect()
    }
    /// Objects that list `owner_uid` among their ownerReferences.
    pub fn children_of(&self, owner_uid: &str) -> impl Iterator<Item = &Object> + '_ {
        self.child_slots(owner_uid).map(|(_, s)| &*s.obj)
    }
    /// `children_of`, each with its key.
    pub fn child_entries(&self, owner_uid: &str) -> impl Iterator<Item = (&Key, &Object)> + '_ {
        self.child_slots(owner_uid).map(|(k, s)| (k, &*s.obj))
    }
    /// `children_of`, each with its key and the resourceVersion of its last write (read from
    /// the store, not the object: see `Slot`).
    pub fn child_versions(&self, owner_uid: &str) -> impl Iterator<Item = (&Key, u64, &Object)> + '_ {
        self.child_slots(owner_uid).map(|(k, s)| (k, s.version(), &*s.obj))
    }
    /// The children's slots with their keys, in key order. The owner index and the objects are
    /// sorted alike and a workload's children mostly sit side by side (`web-…` pods of one
    /// namespace), so the objects are walked along with the index, a few steps from one child to
    /// the next, and a child further on is looked up: a lookup per child, among tens of thousands
    /// of keys, was most of a ReplicaSet pass.
    fn child_slots(&self, owner_uid: &str) -> impl Iterator<Item = (&Key, &Slot)> + '_ {
        const STEPS: usize = 8;
        // A walk is along one kind's map: the kind and where it has got to.
        let seek = |k: &Key| (k.kind, self.map(k.kind).range::<Key, _>((Bound::Included(k), Bound::Unbounded)).peekable());
        let set = self.children.get(owner_uid);
        let mut keys = set.into_iter().flat_map(|s| s.iter());
        // A few children (a Deployment's ReplicaSets): looked up one by one, no walk to set up.
        let mut walk = set.filter(|s| s.len() >= 4).and_then(|s| s.first()).map(seek);
        std::iter::from_fn(move || {
            let Some((kind, walk)) = walk.as_mut() else {
                return keys.by_ref().find_map(|k| self.map(k.kind).get(k).map(|s| (k, s)));
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
                            return walk.next();
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
    /// How many objects of `kind` there are.
    pub fn count(&self, kind: Kind) -> usize {
        self.map(kind).len()
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
        self.map(kind).iter().map(|(k, v)| (k, &*v.obj))
    }
    /// `entries`, each with the resourceVersion of its last write (see `Slot`).
    pub fn versions(&self, kind: Kind) -> impl Iterator<Item = (&Key, u64, &Object)> + '_ {
        self.map(kind).iter().map(|(k, v)| (k, v.version(), &*v.obj))
    }
    /// Every object with its key, in key order (kind order, then namespace and name).
    pub fn all_entries(&self) -> impl Iterator<Item = (&Key, &Object)> + '_ {
        self.objects.iter().flat_map(|m| m.iter()).map(|(k, v)| (k, &*v.obj))
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
        let rv = self.resource_version;
        let old = self.map_mut(key.kind).insert(key.clone(), Slot { rv, obj: obj.clone() }).map(|s| s.obj);
        if ownership_changes(key.kind, old.as_deref(), &obj) {
            self.ownership_rv = self.resource_version;
        }
        match old {
            // Same UID and owners (a status or spec write): the indexes already say it.
            Some(old)
                if old.uid() == obj.uid()
                    && old.owner_uids() == obj.owner_uids()
                    && old.controller_uid() == obj.controller_uid()
                    && (!indexed(key.kind, &obj) || self.by_uid.get(obj.uid()) == Some(&key)) => {}
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
        slot.rv = self.resource_version;
        let obj = write_status(&mut slot.obj, status, self.resource_version);
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
            if slot.obj.get("status") == Some(&status) {
                return false;
            }
            self.resource_version += 1;
            self.kind_rv[i] = self.resource_version;
            slot.rv = self.resource_version;
            write_status(&mut slot.obj, status, self.resource_version);
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
            // Shared (a keystroke's trial copy): checked before the map is copied for the write,
            // so a refused write copies nothing; the object is then found a second time.
            let Some(old) = self.get(key) else { return Ok(false) };
            check(old)?;
            return Ok(self.put_in_place(key, f));
        }
        let map = Arc::get_mut(&mut self.objects[key.kind as usize]).expect("unique, checked above");
        let Some(slot) = map.get_mut(key) else { return Ok(false) };
        check(&slot.obj)?;
        self.resource_version += 1;
        self.kind_rv[key.kind as usize] = self.resource_version;
        slot.rv = self.resource_version;
        change_in_place(key, Arc::make_mut(&mut slot.obj), f, self.resource_version);
        Ok(true)
    }

    /// A write that changes neither the object's UID, ownerReferences, finalizers nor
    /// deletionTimestamp, of an object not being deleted (a binding, an event's count): `f` changes the stored object
    /// itself when no copy of the cluster shares it, and a new resourceVersion is stamped. No
    /// index moves and nothing the garbage collector reads changes. Returns false when there is no
    /// such object.
    pub fn put_in_place(&mut self, key: &Key, f: impl FnOnce(&mut Object)) -> bool {
        let Some(slot) = Arc::make_mut(&mut self.objects[key.kind as usize]).get_mut(key) else { return false };
        self.resource_version += 1;
        self.kind_rv[key.kind as usize] = self.resource_version;
        slot.rv = self.resource_version;
        let obj = Arc::make_mut(&mut slot.obj);
        change_in_place(key, obj, f, self.resource_version);
        if key.kind == Kind::Event {
            self.events_latest = self.events_latest.max(last_timestamp(obj));
        }
        true
    }

    /// Removes an object; returns the stored copy.
    pub fn remove(&mut self, key: &Key) -> Option<Arc<Object>> {
        let old = self.map_mut(key.kind).remove(key)?.obj;
        self.unindex(key, &old);
        self.resource_version += 1;
        self.kind_rv[key.kind as usize] = self.resource_version;
        if key.kind != Kind::Event {
            self.ownership_rv = self.resource_version;
        }
        Some(old)
    }

    /// Objects of `kind` with no controller reference, in key order (see `uncontrolled`).
    pub fn uncontrolled(&self, kind: Kind) -> impl Iterator<Item = &Object> + '_ {
        let from = Key::new(kind, "", "");
        self.uncontrolled.range(from..).take_while(move |k| k.kind == kind).filter_map(|k| self.get(k))
    }
    /// Adds `key` to `uncontrolled` when its object has no controller (Events never count).
    fn index_uncontrolled(&mut self, key: &Key, obj: &Object) {
        if key.kind != Kind::Event && obj.controller_uid().is_none() && !self.uncontrolled.contains(key) {
            Arc::make_mut(&mut self.uncontrolled).insert(key.clone());
        }
    }
    fn index(&mut self, key: &Key, obj: &Object) {
        self.index_uncontrolled(key, obj);
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
        self.index_uncontrolled(key, obj);
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
        if self.uncontrolled.contains(key) {
            Arc::make_mut(&mut self.uncontrolled).remove(key);
        }
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
#[path = "store_tests.rs"]
mod tests;
