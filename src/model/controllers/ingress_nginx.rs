//! The ingress-nginx controller of a local cluster: it publishes its address in the status of
//! every Ingress whose class it serves (`--publish-status-address=localhost`, as kind's ingress
//! guide deploys it), and clears it from Ingresses it no longer serves.

use crate::model::clock::Clock;
use crate::model::network::ingress::served_by_nginx;
use crate::model::object::ObjExt;
use crate::model::store::Store;
use crate::model::{Action, Kind, Reconciled};
use crate::value::json;

pub fn reconcile(store: &Store, _clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    for ing in store.list(Kind::Ingress) {
        if ing.is_deleting() {
            continue;
        }
        let want = if served_by_nginx(store, ing) { json!({"loadBalancer": {"ingress": [{"hostname": "localhost"}]}}) } else { json!({"loadBalancer": {}}) };
        if ing.path("status") != Some(&want) {
            if let Some(k) = ing.key() {
                out.push(Action::UpdateStatus(k, want));
            }
        }
    }
    out
}
