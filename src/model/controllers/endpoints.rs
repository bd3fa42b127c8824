//! The endpoints and endpointslice controllers (pkg/controller/endpoint, pkg/controller/endpointslice):
//! for every Service with a selector, the pods it selects — ready ones as addresses, others as
//! not-ready — with each Service port resolved to the pod's port (named targetPorts by container
//! port name). They follow scaling, readiness and deletion on every settle.

use crate::model::clock::Clock;
use crate::model::network::alloc::parse_ipv4;
use crate::model::network::selector::{map_selects, pairs_select, selector_pairs, LabelIndex};
use crate::model::object::{string_map, Key, ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Kind, Propagation, Reconciled};
use crate::value::{json, Map, Value};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";
/// pkg/controller/endpoint/endpoints_controller.go LabelManagedBy / ControllerName.
pub const ENDPOINTS_MANAGED_BY_LABEL: &str = "endpoints.kubernetes.io/managed-by";
pub const ENDPOINTS_MANAGER: &str = "endpoint-controller";

/// One selected pod as an endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint<'a> {
    pub pod: &'a Object,
    pub ip: String,
    pub ready: bool,
    pub terminating: bool,
}

pub fn pod_ready(pod: &Object) -> bool {
    pod.arr_at("status.conditions").iter().any(|c| c.str_at("type") == Some("Ready") && c.str_at("status") == Some("True"))
}

/// The pods a Service selects that have an IP and are not finished, sorted by IP.
pub fn service_endpoints<'a>(store: &'a Store, svc: &'a Object) -> Vec<Endpoint<'a>> {
    let sel = string_map(svc.path("spec.selector"));
    if sel.is_empty() || svc.str_at("spec.type") == Some("ExternalName") {
        return vec![];
    }
    endpoints_of(store.list_ns(Kind::Pod, svc.namespace()).filter(|p| map_selects(&sel, p)))
}

/// The selected pods that have an IP and are not finished, sorted by IP (then name).
fn endpoints_of<'a>(selected: impl Iterator<Item = &'a Object>) -> Vec<Endpoint<'a>> {
    let mut out: Vec<Endpoint> = selected
        .filter(|p| !matches!(p.str_at("status.phase"), Some("Succeeded") | Some("Failed")))
        .filter_map(|p| {
            let ip = p.str_at("status.podIP").filter(|s| !s.is_empty())?.to_string();
            Some(Endpoint { pod: p, ip, ready: pod_ready(p) && !p.is_deleting(), terminating: p.is_deleting() })
        })
        .collect();
    // Names compared in place (a key function copied one for every comparison).
    let ip = |e: &Endpoint| parse_ipv4(&e.ip).unwrap_or(u32::MAX);
    crate::sort::by(&mut out, |a, b| ip(a).cmp(&ip(b)).then_with(|| a.pod.name().cmp(b.pod.name())));
    out
}

/// podutil.FindPort: a number, or the containerPort whose name matches.
pub fn resolve_target_port(pod: &Object, sp: &Value) -> Option<i64> {
    let tp = sp.path("targetPort").or_else(|| sp.path("port"))?;
    if let Some(n) = tp.as_i64() {
        return Some(n);
    }
    let name = tp.as_str()?;
    if let Ok(n) = name.parse::<i64>() {
        return Some(n);
    }
    let proto = sp.str_at("protocol").unwrap_or("TCP");
    pod.arr_at("spec.containers")
        .iter()
        .flat_map(|c| c.arr_at("ports"))
        .find(|p| p.str_at("name") == Some(name) && p.str_at("protocol").unwrap_or("TCP") == proto)
        .and_then(|p| p.i64_at("containerPort"))
}

/// A pod's DNS hostname under this Service (`web-0.nginx`): set when the pod names the Service as
/// its subdomain, as StatefulSet pods do with their headless Service.
fn dns_hostname<'a>(pod: &'a Object, svc: &Object) -> Option<&'a str> {
    let h = pod.str_at("spec.hostname").filter(|h| !h.is_empty())?;
    (pod.str_at("spec.subdomain") == Some(svc.name())).then_some(h)
}

fn target_ref(p: &Object) -> Value {
    json!({"kind": "Pod", "name": p.name(), "namespace": p.namespace(), "uid": p.uid()})
}

fn endpoint_port(sp: &Value, n: i64) -> Value {
    let mut m = Map::new();
    if let Some(name) = sp.str_at("name").filter(|s| !s.is_empty()) {
        m.insert("name".into(), json!(name));
    }
    m.insert("port".into(), json!(n));
    m.insert("protocol".into(), json!(sp.str_at("protocol").unwrap_or("TCP")));
    Value::Object(m)
}

fn base_labels(svc: &Object) -> Map {
    let mut labels: Map = svc.labels().into_iter().map(|(k, v)| (k, json!(v))).collect();
    if svc.str_at("spec.clusterIP") == Some("None") {
        labels.insert("service.kubernetes.io/headless".into(), json!(""));
    }
    labels
}

/// The v1 Endpoints object: subsets grouped by the resolved port set.
fn desired_endpoints(svc: &Object, eps: &[Endpoint]) -> Value {
    let publish = svc.bool_at("spec.publishNotReadyAddresses") == Some(true);
    let mut subsets: Vec<(Vec<Value>, Vec<Value>, Vec<Value>)> = Vec::new();
    for e in eps.iter().filter(|e| !e.terminating || publish) {
        let ports: Vec<Value> = svc.arr_at("spec.ports").iter().filter_map(|sp| resolve_target_port(e.pod, sp).map(|n| endpoint_port(sp, n))).collect();
        if ports.is_empty() && !svc.arr_at("spec.ports").is_empty() {
            continue;
        }
        let mut addr = json!({"ip": e.ip, "targetRef": target_ref(e.pod)});
        if let Some(h) = dns_hostname(e.pod, svc) {
            addr["hostname"] = json!(h);
        }
        if let Some(node) = e.pod.str_at("spec.nodeName") {
            addr["nodeName"] = json!(node);
        }
        let idx = match subsets.iter().position(|s| s.2 == ports) {
            Some(i) => i,
            None => {
                subsets.push((vec![], vec![], ports));
                subsets.len() - 1
            }
        };
        if e.ready || publish {
            subsets[idx].0.push(addr);
        } else {
            subsets[idx].1.push(addr);
        }
    }
    let mut labels = base_labels(svc);
    labels.insert(ENDPOINTS_MANAGED_BY_LABEL.into(), json!(ENDPOINTS_MANAGER));
    let mut o = json!({
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": svc.name(), "namespace": svc.namespace(), "labels": labels},
    });
    if !subsets.is_empty() {
        let subs: Vec<Value> = subsets
            .into_iter()
            .map(|(ready, not_ready, ports)| {
                let mut s = Map::new();
                if !ready.is_empty() {
                    s.insert("addresses".into(), Value::Array(ready));
                }
                if !not_ready.is_empty() {
                    s.insert("notReadyAddresses".into(), Value::Array(not_ready));
                }
                if !ports.is_empty() {
                    s.insert("ports".into(), Value::Array(ports));
                }
                Value::Object(s)
            })
            .collect();
        o["subsets"] = Value::Array(subs);
    }
    o
}

/// The EndpointSlice content (one slice per Service; ports from the first pod that resolves them).
/// With no endpoints the controller keeps a placeholder slice whose endpoints and ports are null.
fn desired_slice(svc: &Object, eps: &[Endpoint]) -> (Value, Value) {
    if eps.is_empty() {
        return (Value::Null, Value::Null);
    }
    let publish = svc.bool_at("spec.publishNotReadyAddresses") == Some(true);
    let endpoints: Vec<Value> = eps
        .iter()
        .map(|e| {
            let mut v = json!({
                "addresses": [e.ip],
                "conditions": {"ready": e.ready || publish, "serving": pod_ready(e.pod), "terminating": e.terminating},
                "targetRef": target_ref(e.pod),
            });
            if let Some(h) = dns_hostname(e.pod, svc) {
                v["hostname"] = json!(h);
            }
            if let Some(node) = e.pod.str_at("spec.nodeName") {
                v["nodeName"] = json!(node);
            }
            v
        })
        .collect();
    let ports: Vec<Value> = svc
        .arr_at("spec.ports")
        .iter()
        .map(|sp| {
            let n = eps.iter().find_map(|e| resolve_target_port(e.pod, sp));
            let mut m = Map::new();
            m.insert("name".into(), json!(sp.str_at("name").unwrap_or("")));
            if let Some(n) = n {
                m.insert("port".into(), json!(n));
            }
            m.insert("protocol".into(), json!(sp.str_at("protocol").unwrap_or("TCP")));
            Value::Object(m)
        })
        .collect();
    (Value::Array(endpoints), Value::Array(ports))
}

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    reconcile_with(store, clock, &mut EndpointsMemo::default(), false)
}

/// Services whose last sync asked for nothing, with a hash of what it read: the Service's
/// resourceVersion, the selected pods' and its Endpoints' and EndpointSlices'. Same hash, no
/// sync (the pass never asks for a wake-up: the clock only stamps what it writes). A keystroke's
/// settle used to rebuild and compare every Service's Endpoints and slice in each round.
pub type EndpointsMemo = super::KeyMemo;

/// Hashed from the selected pods themselves (every one, in the index's order), not only those
/// that became endpoints: a pod's resourceVersion covers all the sync reads of it (phase, IP,
/// readiness, ports, hostname, node), so a quiet Service skips building its endpoints too.
fn inputs<'a>(svc: &Object, selected: impl Iterator<Item = &'a Object>, cur: Option<&Object>, slices: &[&Object]) -> u64 {
    fn rv(o: &Object) -> Option<&str> {
        o.str_at("metadata.resourceVersion")
    }
    let mut h = DefaultHasher::new();
    (svc.uid(), rv(svc), cur.and_then(rv)).hash(&mut h);
    selected.for_each(|p| (p.name(), rv(p)).hash(&mut h));
    slices.iter().for_each(|s| (s.name(), rv(s)).hash(&mut h));
    h.finish()
}

/// The pass with a memo of quiet Services. With `verify`, quiet ones are synced anyway and a
/// sync that asks for something panics (native debug builds: every test checks the memo), and
/// each Service's pods, Endpoints and slices as the pass finds them are checked against the
/// scans and lookups ([`service_endpoints`], [`slices_of`], `get_by`).
pub fn reconcile_with(store: &Store, clock: &Clock, memo: &mut EndpointsMemo, verify: bool) -> Reconciled {
    let mut all = Reconciled::default();
    memo.forget_missing(store);
    // Stamped only if a Service syncs (most passes of a settle find every Service quiet).
    let mut now: Option<String> = None;
    // The managed slices by Service, built once per pass: scanning every slice of the namespace
    // for every Service made the pass O(Services × slices). The Endpoints are walked alongside
    // the Services (both in namespace, name order), so none is looked up by a new key.
    let mut slices = managed_slices(store);
    let mut endpoints = store.entries(Kind::Endpoints).peekable();
    // The current namespace's pods (Services come by namespace): its first Service scans them,
    // a second builds an index by label, which later ones share. A namespace with one Service
    // (kube-system's kube-dns) is never indexed.
    let mut pods: Option<(&str, Option<LabelIndex>)> = None;
    for (key, svc) in store.entries(Kind::Service) {
        let sel = selector_pairs(svc.path("spec.selector"));
        let managed = !sel.is_empty() && svc.str_at("spec.type") != Some("ExternalName") && !svc.is_deleting();
        if !managed {
            continue;
        }
        let (ns, name) = (&*key.namespace, &*key.name);
        let cur = walk_to(&mut endpoints, ns, name);
        let selected: Vec<&Object> = match &mut pods {
            Some((n, index)) if *n == ns => index.get_or_insert_with(|| LabelIndex::new(store.list_ns(Kind::Pod, ns))).select_pairs(&sel).collect(),
            slot => {
                *slot = Some((ns, None));
                store.list_ns(Kind::Pod, ns).filter(|p| pairs_select(&sel, p)).collect()
            }
        };
        let existing = slices.remove(&(ns, name)).unwrap_or_default();
        if verify {
            assert_eq!(existing, slices_of(store, svc), "endpoints slice index disagrees with the scan for service {name}");
            assert_eq!(cur, store.get_by(Kind::Endpoints, ns, name), "endpoints walk disagrees with the lookup for service {name}");
        }
        let fp = inputs(svc, selected.iter().copied(), cur, &existing);
        let quiet = memo.skip(key, fp, clock.now_ms).is_some();
        if quiet && !verify {
            continue;
        }
        let eps = endpoints_of(selected.into_iter());
        if verify {
            assert_eq!(eps, service_endpoints(store, svc), "endpoints label index disagrees with the scan for service {name}");
        }
        let mut out = Reconciled::default();
        let now = now.get_or_insert_with(|| clock.timestamp());
        sync_service(svc, cur, &eps, existing, now, &mut out);
        if quiet {
            assert!(out.actions.is_empty(), "endpoints memo skipped service {name} but its sync asks for {:?}", out.actions);
        }
        memo.record(key, fp, !out.actions.is_empty(), None);
        all.merge(out);
    }
    cleanup(store, &slices, &mut all);
    all
}

/// The EndpointSlices this controller manages for `svc`.
fn slices_of<'a>(store: &'a Store, svc: &'a Object) -> Vec<&'a Object> {
    store
        .list_ns(Kind::EndpointSlice, svc.namespace())
        .filter(|s| s.label(SERVICE_NAME_LABEL) == Some(svc.name()) && s.label(MANAGED_BY_LABEL) == Some(MANAGED_BY))
        .collect()
}

/// [`slices_of`] for every Service at once, by namespace and Service name (each list in the
/// store's order, as `slices_of` gives it): one pass over the slices instead of one per Service.
fn managed_slices(store: &Store) -> HashMap<(&str, &str), Vec<&Object>> {
    let mut by_svc: HashMap<(&str, &str), Vec<&Object>> = HashMap::new();
    for s in store.list(Kind::EndpointSlice) {
        if s.label(MANAGED_BY_LABEL) != Some(MANAGED_BY) {
            continue;
        }
        if let Some(svc) = s.label(SERVICE_NAME_LABEL) {
            by_svc.entry((s.namespace(), svc)).or_default().push(s);
        }
    }
    by_svc
}

/// One Service: its Endpoints (`cur`, if there is one) and its EndpointSlice brought to `eps`.
fn sync_service(svc: &Object, cur: Option<&Object>, eps: &[Endpoint], existing: Vec<&Object>, now: &str, out: &mut Reconciled) {
    let mut want = desired_endpoints(svc, eps);
    want["metadata"]["annotations"] = json!({"endpoints.kubernetes.io/last-change-trigger-time": now});
    match cur {
        None => out.push(Action::Create(want)),
        Some(cur) => {
            if cur.path("subsets") != want.path("subsets") || cur.path("metadata.labels") != want.path("metadata.labels") {
                let mut u = cur.clone();
                u["metadata"]["labels"] = want["metadata"]["labels"].clone();
                u["metadata"]["annotations"] = want["metadata"]["annotations"].clone();
                match want.get("subsets") {
                    Some(s) => u["subsets"] = s.clone(),
                    None => {
                        if let Some(m) = u.as_object_mut() {
                            m.remove("subsets");
                        }
                    }
                }
                out.push(Action::Update(u));
            }
        }
    }
    let (endpoints, ports) = desired_slice(svc, eps);
    let mut labels = base_labels(svc);
    labels.insert(MANAGED_BY_LABEL.into(), json!(MANAGED_BY));
    labels.insert(SERVICE_NAME_LABEL.into(), json!(svc.name()));
    match existing.first() {
        None => out.push(Action::Create(json!({
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {
                "generateName": format!("{}-", svc.name()), "namespace": svc.namespace(), "labels": labels,
                "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": now},
                "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": svc.name(), "uid": svc.uid(), "controller": true, "blockOwnerDeletion": true}],
            },
            "addressType": "IPv4",
            "endpoints": endpoints,
            "ports": ports,
        }))),
        Some(cur) => {
            if cur.path("endpoints") != Some(&endpoints) || cur.path("ports") != Some(&ports) || cur.path("metadata.labels") != Some(&Value::Object(labels.clone())) {
                let mut u = (*cur).clone();
                u["endpoints"] = endpoints;
                u["ports"] = ports;
                u["metadata"]["labels"] = Value::Object(labels);
                u["metadata"]["annotations"] = json!({"endpoints.kubernetes.io/last-change-trigger-time": now});
                out.push(Action::Update(u));
            }
        }
    }
    for extra in existing.iter().skip(1) {
        if let Some(k) = extra.key() {
            out.push(Action::Delete(k, Propagation::Background));
        }
    }
}

/// Whether a Service's selector has a pair (what `string_map` would keep), read in place.
fn has_selector(svc: &Object) -> bool {
    svc.path("spec.selector").and_then(Value::as_object).is_some_and(|m| m.values().any(Value::is_string))
}

/// Moves `walk` (one kind's entries, in namespace and name order) up to `(ns, name)` and returns
/// that object if it is there. Services and Endpoints come in the same order, so walking one
/// beside the other finds each Service's Endpoints (or each Endpoints' Service) without a lookup.
fn walk_to<'a>(walk: &mut std::iter::Peekable<impl Iterator<Item = (&'a Key, &'a Object)>>, ns: &str, name: &str) -> Option<&'a Object> {
    while let Some(&(k, o)) = walk.peek() {
        match (&*k.namespace, &*k.name).cmp(&(ns, name)) {
            std::cmp::Ordering::Less => {
                walk.next();
            }
            std::cmp::Ordering::Equal => return Some(o),
            std::cmp::Ordering::Greater => return None,
        }
    }
    None
}

/// Endpoints and slices of Services that are gone: the controller deletes what it manages.
/// `unclaimed` is what the pass left of [`managed_slices`]: a slice whose Service took its
/// list has that Service, so only the others are looked up. The Endpoints are walked
/// alongside the Services (both in namespace, name order); labels are read in place.
fn cleanup(store: &Store, unclaimed: &HashMap<(&str, &str), Vec<&Object>>, out: &mut Reconciled) {
    let mut services = store.entries(Kind::Service).peekable();
    for (key, ep) in store.entries(Kind::Endpoints) {
        if ep.label(ENDPOINTS_MANAGED_BY_LABEL) != Some(ENDPOINTS_MANAGER) {
            continue;
        }
        let (ns, name) = (&*key.namespace, &*key.name);
        let svc = walk_to(&mut services, ns, name);
        let managed_svc = svc.is_some_and(|s| has_selector(s) && s.str_at("spec.type") != Some("ExternalName"));
        if !managed_svc {
            out.push(Action::Delete(key.clone(), Propagation::Background));
        }
    }
    for (key, sl) in store.entries(Kind::EndpointSlice) {
        if sl.label(MANAGED_BY_LABEL) != Some(MANAGED_BY) {
            continue;
        }
        let owner_gone = sl.controller_uid().is_some_and(|u| store.by_uid(u).is_none());
        let svc_gone = || sl.label(SERVICE_NAME_LABEL).is_some_and(|n| unclaimed.contains_key(&(&*key.namespace, n)) && store.get_by(Kind::Service, &key.namespace, n).is_none());
        if owner_gone || svc_gone() {
            out.push(Action::Delete(key.clone(), Propagation::Background));
        }
    }
}

#[cfg(test)]
mod memo_tests {
    use super::*;
    use crate::model::api::{self, Caller};
    use crate::model::object::{set_path, Key};
    use crate::model::Cluster;

    /// A Service selecting a running pod, settled; then the pod relabelled out of the selector.
    fn quiet_then_relabelled() -> (Cluster, EndpointsMemo) {
        let mut c = Cluster::new();
        let pod = json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}});
        api::create(&mut c, pod, Caller::admin()).unwrap();
        let svc = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}});
        api::create(&mut c, svc, Caller::admin()).unwrap();
        c.settle();
        c.advance(30_000);
        let mut memo = EndpointsMemo::default();
        assert!(reconcile_with(&c.store, &c.clock, &mut memo, false).actions.is_empty());
        assert!(reconcile_with(&c.store, &c.clock, &mut memo, false).actions.is_empty(), "skipped while nothing changed");
        let mut p = c.store.get_by(Kind::Pod, "default", "p").unwrap().clone();
        set_path(&mut p, "metadata.labels", json!({"app": "other"}));
        api::update(&mut c, p, Caller::admin()).unwrap();
        (c, memo)
    }

    #[test]
    fn a_quiet_service_syncs_again_when_its_pods_change() {
        let (c, mut memo) = quiet_then_relabelled();
        let out = reconcile_with(&c.store, &c.clock, &mut memo, false);
        assert!(out.actions.iter().any(|a| matches!(a, Action::Update(o) if o.kind_name() == "Endpoints" && o.get("subsets").is_none())), "{:?}", out.actions);
    }

    /// The pods named in a Service's Endpoints (ready and not), by name.
    fn endpoint_pods(c: &Cluster, ns: &str, name: &str) -> Vec<String> {
        let ep = c.store.get_by(Kind::Endpoints, ns, name).unwrap();
        let mut names: Vec<String> = ep
            .arr_at("subsets")
            .iter()
            .flat_map(|s| s.arr_at("addresses").iter().chain(s.arr_at("notReadyAddresses").iter()))
            .map(|a| a.str_at("targetRef.name").unwrap().to_string())
            .collect();
        crate::sort::ord(&mut names);
        names
    }

    #[test]
    fn the_label_index_selects_by_every_pair_within_the_namespace() {
        let mut c = Cluster::new();
        api::create(&mut c, json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"other"}}), Caller::admin()).unwrap();
        let pod = |ns: &str, name: &str, labels: Value| json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":name,"namespace":ns,"labels":labels},"spec":{"containers":[{"name":"c","image":"nginx"}]}});
        api::create(&mut c, pod("default", "a", json!({"app": "web", "tier": "fe"})), Caller::admin()).unwrap();
        api::create(&mut c, pod("default", "b", json!({"app": "web", "tier": "be"})), Caller::admin()).unwrap();
        api::create(&mut c, pod("default", "c", json!({"app": "web"})), Caller::admin()).unwrap();
        api::create(&mut c, pod("other", "d", json!({"app": "web", "tier": "fe"})), Caller::admin()).unwrap();
        for (ns, name, sel) in [("default", "web", json!({"app": "web", "tier": "fe"})), ("other", "web", json!({"tier": "fe", "app": "web"})), ("default", "all", json!({"app": "web"}))] {
            let svc = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":name,"namespace":ns},"spec":{"selector":sel,"ports":[{"port":80}]}});
            api::create(&mut c, svc, Caller::admin()).unwrap();
        }
        c.settle();
        assert_eq!(endpoint_pods(&c, "default", "web"), ["a"]);
        assert_eq!(endpoint_pods(&c, "other", "web"), ["d"]);
        assert_eq!(endpoint_pods(&c, "default", "all"), ["a", "b", "c"]);
        let relabel = |c: &mut Cluster, name: &str, labels: Value| {
            let mut p = c.store.get_by(Kind::Pod, "default", name).unwrap().clone();
            set_path(&mut p, "metadata.labels", labels);
            api::update(c, p, Caller::admin()).unwrap();
        };
        relabel(&mut c, "b", json!({"app": "web", "tier": "fe"}));
        relabel(&mut c, "a", json!({"app": "db", "tier": "fe"}));
        c.settle();
        assert_eq!(endpoint_pods(&c, "default", "web"), ["b"]);
        assert_eq!(endpoint_pods(&c, "other", "web"), ["d"]);
        assert_eq!(endpoint_pods(&c, "default", "all"), ["b", "c"]);
        // A pass from scratch (no memo, no verification) agrees with what is stored.
        assert!(reconcile_with(&c.store, &c.clock, &mut EndpointsMemo::default(), false).actions.is_empty());
    }

    /// Five Services settled, then (in the store, before any pass) b removed, c's selector
    /// dropped and d turned ExternalName: the Endpoints walk beside the Services must stay
    /// aligned past each, and only b's slice loses its Service (c's and d's keep theirs).
    #[test]
    fn cleanup_deletes_what_gone_and_unmanaged_services_leave() {
        let mut c = Cluster::new();
        for name in ["a", "b", "c", "d", "e"] {
            let svc = json!({"apiVersion":"v1","kind":"Service","metadata":{"name":name,"namespace":"default"},"spec":{"selector":{"app":name},"ports":[{"port":80}]}});
            api::create(&mut c, svc, Caller::admin()).unwrap();
        }
        c.settle();
        let edit = |c: &mut Cluster, name: &str, path: &str, v: Value| {
            let mut s = c.store.get_by(Kind::Service, "default", name).unwrap().clone();
            set_path(&mut s, path, v);
            c.store.put(s);
        };
        c.store.remove(&Key::new(Kind::Service, "default", "b"));
        edit(&mut c, "c", "spec.selector", json!({}));
        edit(&mut c, "d", "spec.type", json!("ExternalName"));
        let deleted: Vec<String> = reconcile_with(&c.store, &c.clock, &mut EndpointsMemo::default(), false)
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::Delete(k, _) => Some(format!("{:?}/{}", k.kind, k.name)),
                _ => None,
            })
            .collect();
        let b_slice = c.store.list(Kind::EndpointSlice).find(|s| s.label(SERVICE_NAME_LABEL) == Some("b")).unwrap().name().to_string();
        assert_eq!(deleted, ["Endpoints/b", "Endpoints/c", "Endpoints/d", &format!("EndpointSlice/{b_slice}")]);
    }

    #[test]
    #[should_panic(expected = "endpoints memo skipped service web")]
    fn verify_catches_a_wrong_endpoints_skip() {
        let (c, mut memo) = quiet_then_relabelled();
        // A memo that wrongly believes the new state is quiet.
        let svc = c.store.get_by(Kind::Service, "default", "web").unwrap();
        let sel = string_map(svc.path("spec.selector"));
        let selected = c.store.list_ns(Kind::Pod, "default").filter(|p| map_selects(&sel, p));
        let wrong = inputs(svc, selected, c.store.get_by(Kind::Endpoints, "default", "web"), &slices_of(&c.store, svc));
        memo.insert(svc.key().unwrap(), (wrong, None));
        reconcile_with(&c.store, &c.clock, &mut memo, true);
    }
}
