//! Service admission: ClusterIP and NodePort allocation as the API server's allocators do it
//! (pkg/registry/core/service/storage/alloc.go, ipallocator, portallocator), with their messages.

use crate::model::api::{ApiError, FieldError};
use crate::model::object::{default_path, set_path, ObjExt, Object};
use crate::model::{Cluster, Kind};
use crate::value::{json, Value};
use std::collections::BTreeSet;

/// `--service-cluster-ip-range` of kubeadm: 10.96.0.0/12.
pub const SERVICE_CIDR: &str = "10.96.0.0/12";
const CIDR_BASE: u32 = 0x0A60_0000; // 10.96.0.0
const CIDR_SIZE: u32 = 1 << 20;
/// `--service-node-port-range` default.
pub const NODE_PORT_MIN: i64 = 30000;
pub const NODE_PORT_MAX: i64 = 32767;

pub fn parse_ipv4(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut v: u32 = 0;
    for p in parts {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = p.parse().ok()?;
        if n > 255 {
            return None;
        }
        v = (v << 8) | n;
    }
    Some(v)
}

pub fn ipv4_string(v: u32) -> String {
    format!("{}.{}.{}.{}", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255)
}

fn in_range(ip: u32) -> bool {
    // The network address and the broadcast address are never handed out.
    ip > CIDR_BASE && ip < CIDR_BASE + CIDR_SIZE - 1
}

fn is_headless_or_external(svc: &Object) -> bool {
    svc.str_at("spec.type") == Some("ExternalName") || svc.str_at("spec.clusterIP") == Some("None")
}

fn used_ips(c: &Cluster, skip: Option<(&str, &str)>) -> BTreeSet<u32> {
    c.store
        .list(Kind::Service)
        .filter(|s| skip != Some((s.namespace(), s.name())))
        .filter_map(|s| s.str_at("spec.clusterIP").and_then(parse_ipv4))
        .collect()
}

fn used_node_ports(c: &Cluster, skip: Option<(&str, &str)>) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    for s in c.store.list(Kind::Service).filter(|s| skip != Some((s.namespace(), s.name()))) {
        for p in s.arr_at("spec.ports") {
            if let Some(n) = p.i64_at("nodePort") {
                out.insert(n);
            }
        }
        if let Some(n) = s.i64_at("spec.healthCheckNodePort") {
            out.insert(n);
        }
    }
    out
}

/// Static defaulting of a Service (pkg/apis/core/v1/defaults.go SetDefaults_Service).
pub fn default_service(svc: &mut Object) {
    default_path(svc, "spec.type", || json!("ClusterIP"));
    default_path(svc, "spec.sessionAffinity", || json!("None"));
    if svc.str_at("spec.sessionAffinity") == Some("ClientIP") {
        default_path(svc, "spec.sessionAffinityConfig.clientIP.timeoutSeconds", || json!(10800));
    }
    let ty = svc.str_at("spec.type").unwrap_or("ClusterIP").to_string();
    if ty == "ExternalName" {
        return;
    }
    default_path(svc, "spec.internalTrafficPolicy", || json!("Cluster"));
    if ty == "NodePort" || ty == "LoadBalancer" {
        default_path(svc, "spec.externalTrafficPolicy", || json!("Cluster"));
    }
    if ty == "LoadBalancer" {
        default_path(svc, "spec.allocateLoadBalancerNodePorts", || json!(true));
    }
    if let Some(Value::Array(ports)) = crate::model::object::path_mut(svc, "spec.ports") {
        for p in ports.iter_mut() {
            default_path(p, "protocol", || json!("TCP"));
            if p.path("targetPort").is_none_or(|v| v.is_null()) {
                if let Some(port) = p.path("port").cloned() {
                    set_path(p, "targetPort", port);
                }
            }
        }
    }
}

/// Allocates a ClusterIP (unless headless or ExternalName) and NodePorts on create.
pub fn admit_service(c: &mut Cluster, svc: &mut Object) -> Result<(), ApiError> {
    default_service(svc);
    // Every Service carries an empty load-balancer status until a cloud controller fills it;
    // a local cluster has none, so LoadBalancer Services stay `<pending>`.
    set_path(svc, "status", json!({"loadBalancer": {}}));
    let name = svc.name().to_string();
    if svc.str_at("spec.type") == Some("ExternalName") {
        return Ok(());
    }
    if svc.str_at("spec.clusterIP") == Some("None") {
        set_path(svc, "spec.clusterIPs", json!(["None"]));
    } else {
        let requested = svc.str_at("spec.clusterIP").filter(|s| !s.is_empty()).map(str::to_string);
        let ip = match requested {
            Some(r) => {
                let Some(v) = parse_ipv4(&r) else {
                    return Err(ApiError::invalid(
                        "Service",
                        &name,
                        vec![FieldError::invalid("spec.clusterIPs[0]", &json!(r), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")],
                    ));
                };
                let fail = |why: String| {
                    ApiError::invalid("Service", &name, vec![FieldError::invalid("spec.clusterIPs", &json!([r]), format!("failed to allocate IP {r}: {why}"))])
                };
                if !in_range(v) {
                    return Err(fail(format!("the provided IP ({r}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}")));
                }
                if used_ips(c, None).contains(&v) {
                    return Err(fail("provided IP is already allocated".into()));
                }
                v
            }
            None => next_ip(c),
        };
        let s = ipv4_string(ip);
        set_path(svc, "spec.clusterIP", json!(s));
        set_path(svc, "spec.clusterIPs", json!([s]));
    }
    default_path(svc, "spec.ipFamilies", || json!(["IPv4"]));
    default_path(svc, "spec.ipFamilyPolicy", || json!("SingleStack"));
    allocate_node_ports(c, svc, None, None)
}

/// Dynamic allocation takes random addresses from the upper band of the range, leaving the lower
/// band (the first 256 addresses of a /12) for fixed IPs such as kube-dns' .10 (KEP-3070).
fn next_ip(c: &mut Cluster) -> u32 {
    let used = used_ips(c, None);
    let offset: u32 = 256;
    for _ in 0..64 {
        let ip = CIDR_BASE + offset + (c.rng.next_u64() % u64::from(CIDR_SIZE - offset - 1)) as u32;
        if in_range(ip) && !used.contains(&ip) {
            return ip;
        }
    }
    (CIDR_BASE + 1..CIDR_BASE + CIDR_SIZE - 1).find(|ip| !used.contains(ip)).unwrap_or(CIDR_BASE + 1)
}

fn wants_node_ports(svc: &Object) -> bool {
    match svc.str_at("spec.type") {
        Some("NodePort") => true,
        Some("LoadBalancer") => svc.bool_at("spec.allocateLoadBalancerNodePorts") != Some(false),
        _ => false,
    }
}

/// Node ports for NodePort and LoadBalancer Services; `old` keeps ports on update (matched by name,
/// as patchAllocatedValues does, then by port/protocol).
pub fn allocate_node_ports(c: &mut Cluster, svc: &mut Object, old: Option<&Object>, skip: Option<(&str, &str)>) -> Result<(), ApiError> {
    if !wants_node_ports(svc) {
        if svc.str_at("spec.type") != Some("LoadBalancer") {
            if let Some(Value::Array(ports)) = crate::model::object::path_mut(svc, "spec.ports") {
                for p in ports.iter_mut() {
                    if let Some(m) = p.as_object_mut() {
                        m.remove("nodePort");
                    }
                }
            }
        }
        return Ok(());
    }
    let name = svc.name().to_string();
    let mut used = used_node_ports(c, skip);
    let ports: Vec<Value> = svc.arr_at("spec.ports").to_vec();
    let mut out = Vec::with_capacity(ports.len());
    let mut errs = Vec::new();
    for (i, mut p) in ports.into_iter().enumerate() {
        if p.i64_at("nodePort").is_none() {
            if let Some(prev) = old.and_then(|o| previous_node_port(o, &p)) {
                set_path(&mut p, "nodePort", json!(prev));
                used.insert(prev);
                out.push(p);
                continue;
            }
        }
        match p.i64_at("nodePort") {
            Some(n) => {
                let mine = old.is_some_and(|o| o.arr_at("spec.ports").iter().any(|q| q.i64_at("nodePort") == Some(n)));
                let field = format!("spec.ports[{i}].nodePort");
                if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&n) {
                    errs.push(FieldError::invalid(
                        field,
                        &json!(n),
                        format!("provided port is not in the valid range. The range of valid ports is {NODE_PORT_MIN}-{NODE_PORT_MAX}"),
                    ));
                } else if used.contains(&n) && !mine {
                    errs.push(FieldError::invalid(field, &json!(n), "provided port is already allocated"));
                } else {
                    used.insert(n);
                }
            }
            None => {
                let n = next_port(c, &used);
                used.insert(n);
                set_path(&mut p, "nodePort", json!(n));
            }
        }
        out.push(p);
    }
    if !errs.is_empty() {
        return Err(ApiError::invalid("Service", &name, errs));
    }
    set_path(svc, "spec.ports", Value::Array(out));
    if svc.str_at("spec.type") == Some("LoadBalancer") && svc.str_at("spec.externalTrafficPolicy") == Some("Local") && svc.i64_at("spec.healthCheckNodePort").is_none() {
        let prev = old.and_then(|o| o.i64_at("spec.healthCheckNodePort"));
        let n = prev.unwrap_or_else(|| next_port(c, &used));
        set_path(svc, "spec.healthCheckNodePort", json!(n));
    }
    Ok(())
}

fn previous_node_port(old: &Object, p: &Value) -> Option<i64> {
    let ports = old.arr_at("spec.ports");
    let by_name = p.str_at("name").and_then(|n| ports.iter().find(|q| q.str_at("name") == Some(n)));
    let by_port = || ports.iter().find(|q| q.i64_at("port") == p.i64_at("port") && q.str_at("protocol") == p.str_at("protocol"));
    by_name.or_else(by_port)?.i64_at("nodePort")
}

/// portallocator: random ports from the upper band (offset 86 for the default range), lower band after.
fn next_port(c: &mut Cluster, used: &BTreeSet<i64>) -> i64 {
    let offset = 86;
    let span = (NODE_PORT_MAX - NODE_PORT_MIN + 1 - offset) as u64;
    for _ in 0..64 {
        let n = NODE_PORT_MIN + offset + (c.rng.next_u64() % span) as i64;
        if !used.contains(&n) {
            return n;
        }
    }
    (NODE_PORT_MIN..=NODE_PORT_MAX).find(|n| !used.contains(n)).unwrap_or(NODE_PORT_MAX)
}

/// pkg/registry/core/service/strategy.go dropTypeDependentFields: when the type changes, fields
/// the old type needed and the user left untouched (a 3-way merge keeps them) are cleared.
fn drop_type_dependent_fields(old: &Object, new: &mut Object) {
    let (ot, nt) = (old.str_at("spec.type").unwrap_or("ClusterIP").to_string(), new.str_at("spec.type").unwrap_or("ClusterIP").to_string());
    if ot == nt {
        return;
    }
    let same = |new: &Object, f: &str| new.path(f) == old.path(f);
    let Some(spec) = new.get("spec").cloned() else { return };
    let mut spec = spec;
    let probe = json!({"spec": spec.clone()});
    if nt == "ExternalName" && ot != "ExternalName" && same(&probe, "spec.clusterIP") {
        if let Some(m) = spec.as_object_mut() {
            for f in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"] {
                m.remove(f);
            }
        }
    }
    let needs_np = |t: &str| t == "NodePort" || t == "LoadBalancer";
    if needs_np(&ot) && !needs_np(&nt) {
        let old_np: Vec<Option<i64>> = old.arr_at("spec.ports").iter().map(|p| p.i64_at("nodePort")).collect();
        let new_np: Vec<Option<i64>> = probe.arr_at("spec.ports").iter().map(|p| p.i64_at("nodePort")).collect();
        if old_np == new_np || new_np.iter().all(|n| n.is_none() || old_np.contains(n)) {
            if let Some(Value::Array(ports)) = spec.get_mut("ports") {
                for p in ports.iter_mut() {
                    if let Some(m) = p.as_object_mut() {
                        m.remove("nodePort");
                    }
                }
            }
        }
        if let Some(m) = spec.as_object_mut() {
            m.remove("externalTrafficPolicy");
        }
    }
    if ot == "LoadBalancer" && nt != "LoadBalancer" {
        if let Some(m) = spec.as_object_mut() {
            for f in ["allocateLoadBalancerNodePorts", "loadBalancerClass", "healthCheckNodePort"] {
                m.remove(f);
            }
        }
    }
    new["spec"] = spec;
}

/// Update: keep the allocated ClusterIP and node ports the new manifest leaves out; refuse changes.
pub fn update_service(c: &mut Cluster, old: &Object, new: &mut Object) -> Result<(), ApiError> {
    drop_type_dependent_fields(old, new);
    default_service(new);
    let name = new.name().to_string();
    let old_ip = old.str_at("spec.clusterIP").unwrap_or("").to_string();
    let new_is_ext = new.str_at("spec.type") == Some("ExternalName");
    if !new_is_ext && !old_ip.is_empty() {
        match new.str_at("spec.clusterIP").filter(|s| !s.is_empty()) {
            None => {
                set_path(new, "spec.clusterIP", json!(old_ip));
                if let Some(ips) = old.path("spec.clusterIPs").cloned() {
                    set_path(new, "spec.clusterIPs", ips);
                }
            }
            Some(ip) if ip != old_ip => {
                // ValidateServiceUpdate: the primary ClusterIP may not change once set.
                return Err(ApiError::invalid(
                    "Service",
                    &name,
                    vec![FieldError::invalid("spec.clusterIPs[0]", &json!([ip]), "may not change once set")],
                ));
            }
            Some(_) => {
                if let Some(ips) = old.path("spec.clusterIPs") {
                    default_path(new, "spec.clusterIPs", || ips.clone());
                }
            }
        }
        for f in ["spec.ipFamilies", "spec.ipFamilyPolicy"] {
            if let Some(v) = old.path(f) {
                default_path(new, f, || v.clone());
            }
        }
    } else if !new_is_ext && !is_headless_or_external(new) && new.str_at("spec.clusterIP").is_none_or(|s| s.is_empty()) {
        // ExternalName → ClusterIP: allocate now.
        let ip = ipv4_string(next_ip(c));
        set_path(new, "spec.clusterIP", json!(ip));
        set_path(new, "spec.clusterIPs", json!([ip]));
        default_path(new, "spec.ipFamilies", || json!(["IPv4"]));
        default_path(new, "spec.ipFamilyPolicy", || json!("SingleStack"));
    }
    let ns = old.namespace().to_string();
    allocate_node_ports(c, new, Some(old), Some((&ns, &name)))
}
