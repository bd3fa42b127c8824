//! The garbage collector (pkg/controller/garbagecollector): deletes dependents whose owners are
//! gone (background), deletes dependents first when an owner carries `foregroundDeletion` and
//! releases it once no `blockOwnerDeletion` dependent remains, strips ownerReferences for
//! `orphan`, and removes objects whose last finalizer is gone (the API server's job, done here).

use crate::model::clock::Clock;
use crate::model::object::{ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Kind, Propagation, Reconciled};
use crate::value::Value;

fn has_finalizer(o: &Object, f: &str) -> bool {
    o.arr_at("metadata.finalizers").iter().any(|x| x.as_str() == Some(f))
}

fn without_finalizer(o: &Object, f: &str) -> Object {
    let mut o = o.clone();
    let rest: Vec<Value> = o.arr_at("metadata.finalizers").iter().filter(|x| x.as_str() != Some(f)).cloned().collect();
    if let Some(m) = o.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        if rest.is_empty() {
            m.remove("finalizers");
        } else {
            m.insert("finalizers".into(), Value::Array(rest));
        }
    }
    o
}

fn without_owner(o: &Object, uid: &str) -> Object {
    let mut o = o.clone();
    let rest: Vec<Value> = o.arr_at("metadata.ownerReferences").iter().filter(|r| r.str_at("uid") != Some(uid)).cloned().collect();
    if let Some(m) = o.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        if rest.is_empty() {
            m.remove("ownerReferences");
        } else {
            m.insert("ownerReferences".into(), Value::Array(rest));
        }
    }
    o
}

/// An owner reference resolves when an object with that UID exists with the same kind and name.
fn owner_exists(store: &Store, r: &Value) -> bool {
    let Some(uid) = r.str_at("uid") else { return false };
    match store.by_uid(uid) {
        Some(o) => r.str_at("kind").is_none_or(|k| k == o.kind_name()) && r.str_at("name").is_none_or(|n| n == o.name()),
        None => false,
    }
}

pub fn reconcile(store: &Store, _clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    for (key, o) in store.all_entries() {
        if key.kind == Kind::Event {
            continue;
        }
        // Objects being deleted: finalizers the GC owns, then removal.
        if o.is_deleting() {
            if has_finalizer(o, "foregroundDeletion") {
                let mut blocking = false;
                for d in store.children_of(o.uid()) {
                    let refs = d.arr_at("metadata.ownerReferences");
                    let r = refs.iter().find(|r| r.str_at("uid") == Some(o.uid()));
                    if r.and_then(|r| r.bool_at("blockOwnerDeletion")) == Some(true) {
                        blocking = true;
                    }
                    if !d.is_deleting() {
                        let p = if store.children_of(d.uid()).next().is_some() { Propagation::Foreground } else { Propagation::Background };
                        if let Some(k) = d.key() {
                            out.push(Action::Delete(k, p));
                        }
                    }
                }
                if !blocking {
                    out.push(Action::Update(without_finalizer(o, "foregroundDeletion")));
                }
                continue;
            }
            if has_finalizer(o, "orphan") {
                let mut any = false;
                for d in store.children_of(o.uid()) {
                    any = true;
                    out.push(Action::Update(without_owner(d, o.uid())));
                }
                if !any {
                    out.push(Action::Update(without_finalizer(o, "orphan")));
                }
                continue;
            }
            let bound_pod = key.kind == Kind::Pod && o.str_at("spec.nodeName").is_some_and(|n| !n.is_empty());
            if o.arr_at("metadata.finalizers").is_empty() && key.kind != Kind::Namespace && !bound_pod {
                out.push(Action::Remove(key.clone()));
            }
            continue;
        }
        // Dependents: dangling owners, owners deleting in the foreground.
        let refs = o.arr_at("metadata.ownerReferences");
        if refs.is_empty() {
            continue;
        }
        let dangling: Vec<&str> = refs.iter().filter(|r| !owner_exists(store, r)).filter_map(|r| r.str_at("uid")).collect();
        if dangling.len() == refs.len() {
            let p = if store.children_of(o.uid()).next().is_some() { Propagation::Background } else { Propagation::Background };
            out.push(Action::Delete(key.clone(), p));
            continue;
        }
        if let Some(uid) = dangling.first() {
            out.push(Action::Update(without_owner(o, uid)));
        }
    }
    out
}
