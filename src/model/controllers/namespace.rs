//! The namespace controller (pkg/controller/namespace): new namespaces become Active; a deleted
//! namespace stays Terminating, with the real status conditions, while everything in it is
//! deleted, and goes once nothing is left.

use crate::model::clock::Clock;
use crate::model::object::ObjExt;
use crate::model::store::Store;
use crate::model::{Action, Kind, Propagation, Reconciled};
use crate::value::{json, Value};

fn condition(ty: &str, status: bool, reason: &str, message: &str, now: &str, old: &[Value]) -> Value {
    let s = if status { "True" } else { "False" };
    let ltt = old
        .iter()
        .find(|c| c.str_at("type") == Some(ty) && c.str_at("status") == Some(s))
        .and_then(|c| c.path("lastTransitionTime").cloned())
        .unwrap_or(json!(now));
    json!({"type": ty, "status": s, "reason": reason, "message": message, "lastTransitionTime": ltt})
}

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    for ns in store.list(Kind::Namespace) {
        let Some(key) = ns.key() else { continue };
        if !ns.is_deleting() {
            if ns.str_at("status.phase") != Some("Active") {
                out.push(Action::UpdateStatus(key, json!({"phase": "Active"})));
            }
            continue;
        }
        let name = ns.name();
        let mut remaining: Vec<String> = Vec::new();
        for kind in Kind::all().filter(|k| k.namespaced()) {
            let mut count = 0;
            for o in store.list_ns(kind, name) {
                count += 1;
                if !o.is_deleting() {
                    if let Some(k) = o.key() {
                        out.push(Action::Delete(k, Propagation::Background));
                    }
                }
            }
            if count > 0 && kind != Kind::Event {
                let i = kind.info();
                remaining.push(format!("{}.{} has {count} resource instances", i.plural, i.group));
            }
        }
        let events_left = store.list_ns(Kind::Event, name).next().is_some();
        if remaining.is_empty() && !events_left {
            out.push(Action::Remove(key));
            continue;
        }
        let now = clock.timestamp();
        let old = ns.arr_at("status.conditions");
        let content = if remaining.is_empty() {
            condition("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed", &now, old)
        } else {
            condition("NamespaceContentRemaining", true, "SomeResourcesRemain", &format!("Some resources are remaining: {}", remaining.join(", ")), &now, old)
        };
        let status = json!({
            "phase": "Terminating",
            "conditions": [
                condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered", &now, old),
                condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed", &now, old),
                condition("NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization", &now, old),
                content,
                condition("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished", &now, old),
            ],
        });
        if ns.path("status") != Some(&status) {
            out.push(Action::UpdateStatus(key, status));
        }
    }
    out
}
