//! The node lifecycle controller's TaintNodesByCondition part: a node with `spec.unschedulable`
//! carries the `node.kubernetes.io/unschedulable:NoSchedule` taint, and loses it when uncordoned
//! (pkg/controller/nodelifecycle).

use crate::model::clock::Clock;
use crate::model::object::{set_path, ObjExt};
use crate::model::store::Store;
use crate::model::{Action, Kind, Reconciled};
use crate::value::{json, Value};

pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    for n in store.list(Kind::Node) {
        let want = n.bool_at("spec.unschedulable") == Some(true);
        let taints = n.arr_at("spec.taints");
        let has = taints.iter().any(|t| t.str_at("key") == Some(UNSCHEDULABLE_TAINT) && t.str_at("effect") == Some("NoSchedule"));
        if want == has {
            continue;
        }
        let mut o = n.clone();
        let mut list: Vec<Value> = taints.iter().filter(|t| t.str_at("key") != Some(UNSCHEDULABLE_TAINT)).cloned().collect();
        if want {
            list.push(json!({"effect": "NoSchedule", "key": UNSCHEDULABLE_TAINT, "timeAdded": clock.timestamp()}));
        }
        if list.is_empty() {
            if let Some(s) = o.get_mut("spec").and_then(|s| s.as_object_mut()) {
                s.remove("taints");
            }
        } else {
            set_path(&mut o, "spec.taints", Value::Array(list));
        }
        out.push(Action::Update(o));
    }
    out
}
