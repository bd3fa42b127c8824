//! The serviceaccount controller (a `default` ServiceAccount in every namespace), the
//! root-ca-cert-publisher (`kube-root-ca.crt` in every namespace), the tokens controller (data of
//! `kubernetes.io/service-account-token` Secrets) and the ClusterRole aggregation controller.

use crate::model::clock::Clock;
use crate::model::object::{ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Kind, Reconciled};
use base64::Engine;
use crate::value::{json, Value};

/// A stand-in for the cluster CA of a kubeadm cluster (`/etc/kubernetes/pki/ca.crt`).
pub const CA_CRT: &str = "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIKubeLabSimulatedClusterCAkubelabAAAAAAAAAAAAAA\nBQAwFTETMBEGA1UEAxMKa3ViZXJuZXRlczAeFw0yNjAxMDUwOTAwMDBaFw0zNjAx\nMDMwOTAwMDBaMBUxEzARBgNVBAMTCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEB\n-----END CERTIFICATE-----\n";

const ROOT_CA_DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

pub fn reconcile(store: &Store, _clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    for ns in store.list(Kind::Namespace) {
        if ns.is_deleting() {
            continue;
        }
        let n = ns.name();
        if store.get_by(Kind::ServiceAccount, n, "default").is_none() {
            out.push(Action::Create(json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": n}})));
        }
        if store.get_by(Kind::ConfigMap, n, "kube-root-ca.crt").is_none() {
            out.push(Action::Create(json!({
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "kube-root-ca.crt", "namespace": n, "annotations": {"kubernetes.io/description": ROOT_CA_DESCRIPTION}},
                "data": {"ca.crt": CA_CRT},
            })));
        }
    }
    for s in store.list(Kind::Secret) {
        if s.str_at("type") == Some("kubernetes.io/service-account-token") && s.path("data.token").is_none() {
            if let Some(u) = token_secret(store, s) {
                out.push(Action::Update(u));
            }
        }
    }
    out.merge(aggregate(store));
    out
}

/// The tokens controller fills a legacy token Secret whose ServiceAccount exists.
fn token_secret(store: &Store, s: &Object) -> Option<Object> {
    let sa_name = s.annotation("kubernetes.io/service-account.name")?;
    let sa = store.get_by(Kind::ServiceAccount, s.namespace(), sa_name)?;
    let e = base64::engine::general_purpose::STANDARD;
    // A JWT-shaped token: header.payload.signature, deterministic from the account's UID.
    let payload = e.encode(format!("{{\"iss\":\"kubernetes/serviceaccount\",\"kubernetes.io/serviceaccount/namespace\":\"{}\",\"kubernetes.io/serviceaccount/service-account.name\":\"{sa_name}\",\"kubernetes.io/serviceaccount/service-account.uid\":\"{}\",\"sub\":\"system:serviceaccount:{}:{sa_name}\"}}", s.namespace(), sa.uid(), s.namespace()));
    let token = format!("eyJhbGciOiJSUzI1NiIsImtpZCI6Imt1YmVsYWIifQ.{}.{}", payload.trim_end_matches('='), sa.uid().replace('-', ""));
    let mut u = s.clone();
    if let Some(Value::Object(anns)) = crate::model::object::path_mut(&mut u, "metadata.annotations") {
        anns.insert("kubernetes.io/service-account.uid".into(), json!(sa.uid()));
    }
    let data = u.get("data").and_then(|d| d.as_object()).cloned().unwrap_or_default();
    let mut data = data;
    data.insert("ca.crt".into(), json!(e.encode(CA_CRT)));
    data.insert("namespace".into(), json!(e.encode(s.namespace())));
    data.insert("token".into(), json!(e.encode(token)));
    u["data"] = Value::Object(data);
    Some(u)
}

/// ClusterRole aggregation (pkg/controller/clusterroleaggregation): a role with an aggregationRule
/// gets the union of the rules of every ClusterRole its selectors match, in name order.
fn aggregate(store: &Store) -> Reconciled {
    let mut out = Reconciled::default();
    for role in store.list(Kind::ClusterRole) {
        let Some(selectors) = role.path("aggregationRule.clusterRoleSelectors").and_then(|s| s.as_array()) else { continue };
        // Borrowed until something differs: the pass runs whenever a ClusterRole is written.
        let mut rules: Vec<&Value> = Vec::new();
        for other in store.list(Kind::ClusterRole) {
            if other.name() == role.name() {
                continue;
            }
            if selectors.iter().any(|s| super::workload_util::selects(Some(s), other)) {
                for r in other.arr_at("rules") {
                    if !rules.contains(&r) {
                        rules.push(r);
                    }
                }
            }
        }
        if !role.arr_at("rules").iter().eq(rules.iter().copied()) {
            let mut u = role.clone();
            u["rules"] = Value::Array(rules.into_iter().cloned().collect());
            out.push(Action::Update(u));
        }
    }
    out
}
