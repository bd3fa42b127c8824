//! Columns of the core (`v1`) kinds: Pod, Node, Namespace, Service, Endpoints, ConfigMap, Secret,
//! ServiceAccount, PersistentVolume(Claim), Event — as `printers.go` prints them.

use super::{age, format_labels, obj_age, or_none};
use crate::model::object::string_map;
use crate::model::{Cluster, Kind, ObjExt, Object};
use crate::value::Value;

type Cols = (&'static [&'static str], &'static [&'static str]);

pub fn headers(kind: Kind) -> Option<Cols> {
    Some(match kind {
        Kind::Pod => (&["NAME", "READY", "STATUS", "RESTARTS", "AGE"], &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]),
        Kind::Node => (&["NAME", "STATUS", "ROLES", "AGE", "VERSION"], &["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::Service => (&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], &["SELECTOR"]),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::ConfigMap => (&["NAME", "DATA", "AGE"], &[]),
        Kind::Secret => (&["NAME", "TYPE", "DATA", "AGE"], &[]),
        Kind::ServiceAccount => (&["NAME", "SECRETS", "AGE"], &[]),
        Kind::PersistentVolume => (
            &["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"],
            &["VOLUMEMODE"],
        ),
        Kind::PersistentVolumeClaim => (&["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"], &["VOLUMEMODE"]),
        Kind::Event => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &[]),
        _ => return None,
    })
}

pub fn row(c: &Cluster, kind: Kind, o: &Object) -> Option<(Vec<String>, Vec<String>)> {
    let name = o.name().to_string();
    let a = obj_age(c, o);
    Some(match kind {
        Kind::Pod => pod_row(c, o),
        Kind::Node => node_row(c, o),
        Kind::Namespace => (vec![name, o.str_at("status.phase").unwrap_or("").to_string(), a], vec![]),
        Kind::Service => {
            let ips = o.arr_at("spec.clusterIPs");
            let cip = ips.first().and_then(Value::as_str).or(o.str_at("spec.clusterIP")).unwrap_or("<none>").to_string();
            let ports = port_string(o.arr_at("spec.ports"));
            (
                vec![name, o.str_at("spec.type").unwrap_or("ClusterIP").to_string(), or_none(&cip), external_ip(o), or_none(&ports), a],
                vec![format_labels(&string_map(o.path("spec.selector")))],
            )
        }
        Kind::Endpoints => (vec![name, endpoints_string(o), a], vec![]),
        Kind::ConfigMap => {
            let n = o.path("data").and_then(Value::as_object).map_or(0, |m| m.len()) + o.path("binaryData").and_then(Value::as_object).map_or(0, |m| m.len());
            (vec![name, n.to_string(), a], vec![])
        }
        Kind::Secret => {
            let n = o.path("data").and_then(Value::as_object).map_or(0, |m| m.len());
            (vec![name, o.str_at("type").unwrap_or("Opaque").to_string(), n.to_string(), a], vec![])
        }
        Kind::ServiceAccount => (vec![name, o.arr_at("secrets").len().to_string(), a], vec![]),
        Kind::PersistentVolume => {
            let claim = match (o.str_at("spec.claimRef.namespace"), o.str_at("spec.claimRef.name")) {
                (Some(ns), Some(n)) => format!("{ns}/{n}"),
                _ => String::new(),
            };
            (
                vec![
                    name,
                    o.str_at("spec.capacity.storage").unwrap_or("").to_string(),
                    access_modes(o.arr_at("spec.accessModes")),
                    o.str_at("spec.persistentVolumeReclaimPolicy").unwrap_or("").to_string(),
                    o.str_at("status.phase").unwrap_or("").to_string(),
                    claim,
                    o.str_at("spec.storageClassName").unwrap_or("").to_string(),
                    o.str_at("spec.volumeAttributesClassName").unwrap_or("<unset>").to_string(),
                    o.str_at("status.reason").unwrap_or("").to_string(),
                    a,
                ],
                vec![o.str_at("spec.volumeMode").unwrap_or("<unset>").to_string()],
            )
        }
        Kind::PersistentVolumeClaim => {
            let bound = o.str_at("status.phase") == Some("Bound");
            let (cap, modes) = if bound {
                (o.str_at("status.capacity.storage").unwrap_or("").to_string(), access_modes(o.arr_at("status.accessModes")))
            } else {
                (String::new(), String::new())
            };
            (
                vec![
                    name,
                    o.str_at("status.phase").unwrap_or("").to_string(),
                    o.str_at("spec.volumeName").unwrap_or("").to_string(),
                    cap,
                    modes,
                    o.str_at("spec.storageClassName").unwrap_or("").to_string(),
                    o.str_at("spec.volumeAttributesClassName").unwrap_or("<unset>").to_string(),
                    a,
                ],
                vec![o.str_at("spec.volumeMode").unwrap_or("<unset>").to_string()],
            )
        }
        Kind::Event => {
            let last = o.str_at("lastTimestamp").or(o.str_at("eventTime")).or(o.str_at("metadata.creationTimestamp"));
            let kindl = o.str_at("involvedObject.kind").unwrap_or("").to_ascii_lowercase();
            let target = match o.str_at("involvedObject.name") {
                Some(n) if !n.is_empty() => format!("{kindl}/{n}"),
                _ => kindl,
            };
            (
                vec![
                    age(c, last),
                    o.str_at("type").unwrap_or("").to_string(),
                    o.str_at("reason").unwrap_or("").to_string(),
                    target,
                    o.str_at("message").unwrap_or("").trim().to_string(),
                ],
                vec![],
            )
        }
        _ => return None,
    })
}

/// `printPod`: READY, STATUS (the reason logic), RESTARTS with "(Xs ago)".
fn pod_row(c: &Cluster, o: &Object) -> (Vec<String>, Vec<String>) {
    let s = pod_summary(c, o);
    let ip = o.arr_at("status.podIPs").first().and_then(|p| p.str_at("ip")).or(o.str_at("status.podIP")).unwrap_or("");
    let gates = o.arr_at("spec.readinessGates");
    let gates = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let conds = o.arr_at("status.conditions");
        let ready = gates
            .iter()
            .filter(|g| conds.iter().any(|c| c.str_at("type") == g.str_at("conditionType") && c.str_at("status") == Some("True")))
            .count();
        format!("{ready}/{}", gates.len())
    };
    (
        vec![o.name().to_string(), s.ready, s.status, s.restarts, obj_age(c, o)],
        vec![or_none(ip), or_none(o.str_at("spec.nodeName").unwrap_or("")), or_none(o.str_at("status.nominatedNodeName").unwrap_or("")), gates],
    )
}

pub struct PodSummary {
    pub ready: String,
    pub status: String,
    pub restarts: String,
}

fn restartable(init: &Value) -> bool {
    init.str_at("restartPolicy") == Some("Always")
}

/// The READY/STATUS/RESTARTS cells, following kubectl's `printPod` step by step.
pub fn pod_summary(c: &Cluster, pod: &Object) -> PodSummary {
    let phase = pod.str_at("status.phase").unwrap_or("");
    let mut reason = pod.str_at("status.reason").filter(|r| !r.is_empty()).unwrap_or(phase).to_string();
    let inits = pod.arr_at("spec.initContainers");
    let mut total = pod.arr_at("spec.containers").len();
    total += inits.iter().filter(|i| restartable(i)).count();
    let mut ready = 0;
    let mut restarts: i64 = 0;
    let mut last_restart: Option<String> = None;
    let mut init_restarts: i64 = 0;
    let mut last_init_restart: Option<String> = None;
    let later = |cur: &mut Option<String>, t: Option<&str>| {
        if let Some(t) = t {
            if cur.as_deref().is_none_or(|c| c < t) {
                *cur = Some(t.to_string());
            }
        }
    };
    for cond in pod.arr_at("status.conditions") {
        if cond.str_at("type") == Some("PodScheduled") && cond.str_at("reason") == Some("SchedulingGated") {
            reason = "SchedulingGated".into();
        }
    }
    let mut initializing = false;
    let istatuses = pod.arr_at("status.initContainerStatuses");
    for (i, cs) in istatuses.iter().enumerate() {
        let rc = cs.i64_at("restartCount").unwrap_or(0);
        restarts += rc;
        let term_at = cs.str_at("lastState.terminated.finishedAt");
        later(&mut last_restart, term_at);
        let is_restartable = inits.iter().find(|c| c.str_at("name") == cs.str_at("name")).is_some_and(restartable);
        if is_restartable {
            init_restarts += rc;
            later(&mut last_init_restart, term_at);
        }
        let term = cs.path("state.terminated");
        let waiting_reason = cs.str_at("state.waiting.reason").unwrap_or("");
        if term.is_some() && cs.i64_at("state.terminated.exitCode") == Some(0) {
            continue;
        }
        if is_restartable && cs.bool_at("started") == Some(true) {
            if cs.bool_at("ready") == Some(true) {
                ready += 1;
            }
            continue;
        }
        if term.is_some() {
            let r = cs.str_at("state.terminated.reason").unwrap_or("");
            reason = if !r.is_empty() {
                format!("Init:{r}")
            } else if cs.i64_at("state.terminated.signal").unwrap_or(0) != 0 {
                format!("Init:Signal:{}", cs.i64_at("state.terminated.signal").unwrap_or(0))
            } else {
                format!("Init:ExitCode:{}", cs.i64_at("state.terminated.exitCode").unwrap_or(0))
            };
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            reason = format!("Init:{waiting_reason}");
        } else {
            reason = format!("Init:{i}/{}", inits.len());
        }
        initializing = true;
        break;
    }
    let initialized = pod.arr_at("status.conditions").iter().any(|c| c.str_at("type") == Some("Initialized") && c.str_at("status") == Some("True"));
    if !initializing || initialized {
        restarts = init_restarts;
        last_restart = last_init_restart;
        let mut has_running = false;
        for cs in pod.arr_at("status.containerStatuses").iter().rev() {
            restarts += cs.i64_at("restartCount").unwrap_or(0);
            later(&mut last_restart, cs.str_at("lastState.terminated.finishedAt"));
            let wr = cs.str_at("state.waiting.reason").unwrap_or("");
            let term = cs.path("state.terminated").filter(|t| t.is_object());
            let tr = cs.str_at("state.terminated.reason").unwrap_or("");
            if cs.path("state.waiting").is_some() && !wr.is_empty() {
                reason = wr.to_string();
            } else if term.is_some() && !tr.is_empty() {
                reason = tr.to_string();
            } else if term.is_some() {
                let sig = cs.i64_at("state.terminated.signal").unwrap_or(0);
                reason = if sig != 0 { format!("Signal:{sig}") } else { format!("ExitCode:{}", cs.i64_at("state.terminated.exitCode").unwrap_or(0)) };
            } else if cs.bool_at("ready") == Some(true) && cs.path("state.running").is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let ready_cond = pod.arr_at("status.conditions").iter().any(|c| c.str_at("type") == Some("Ready") && c.str_at("status") == Some("True"));
            reason = if ready_cond { "Running".into() } else { "NotReady".into() };
        }
    }
    if pod.is_deleting() && pod.str_at("status.reason") == Some("NodeLost") {
        reason = "Unknown".into();
    } else if pod.is_deleting() && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }
    let restarts_s = match (&last_restart, restarts) {
        (Some(t), r) if r != 0 => format!("{r} ({} ago)", age(c, Some(t))),
        (_, r) => r.to_string(),
    };
    PodSummary { ready: format!("{ready}/{total}"), status: reason, restarts: restarts_s }
}

fn node_row(c: &Cluster, o: &Object) -> (Vec<String>, Vec<String>) {
    let mut status: Vec<String> = Vec::new();
    for cond in o.arr_at("status.conditions") {
        if cond.str_at("type") == Some("Ready") {
            status.push(if cond.str_at("status") == Some("True") { "Ready".into() } else { "NotReady".into() });
        }
    }
    if status.is_empty() {
        status.push("Unknown".into());
    }
    if o.bool_at("spec.unschedulable") == Some(true) {
        status.push("SchedulingDisabled".into());
    }
    let mut roles: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (k, v) in o.labels() {
        if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
            if !r.is_empty() {
                roles.insert(r.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v);
        }
    }
    let roles = if roles.is_empty() { "<none>".to_string() } else { roles.into_iter().collect::<Vec<_>>().join(",") };
    let addr = |t: &str| {
        o.arr_at("status.addresses").iter().find(|a| a.str_at("type") == Some(t)).and_then(|a| a.str_at("address")).unwrap_or("<none>").to_string()
    };
    let info = |f: &str| {
        let v = o.str_at(&format!("status.nodeInfo.{f}")).unwrap_or("");
        if v.is_empty() { "<unknown>".to_string() } else { v.to_string() }
    };
    (
        vec![o.name().to_string(), status.join(","), roles, obj_age(c, o), o.str_at("status.nodeInfo.kubeletVersion").unwrap_or("").to_string()],
        vec![addr("InternalIP"), addr("ExternalIP"), info("osImage"), info("kernelVersion"), info("containerRuntimeVersion")],
    )
}

/// `makePortString`: `80/TCP`, `80:30080/TCP`, comma-joined.
pub fn port_string(ports: &[Value]) -> String {
    ports
        .iter()
        .map(|p| {
            let proto = p.str_at("protocol").unwrap_or("TCP");
            let port = p.i64_at("port").unwrap_or(0);
            match p.i64_at("nodePort").filter(|n| *n != 0) {
                Some(n) => format!("{port}:{n}/{proto}"),
                None => format!("{port}/{proto}"),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `getServiceExternalIP`.
fn external_ip(o: &Object) -> String {
    let ext: Vec<&str> = o.arr_at("spec.externalIPs").iter().filter_map(Value::as_str).collect();
    match o.str_at("spec.type").unwrap_or("ClusterIP") {
        "ClusterIP" | "NodePort" => {
            if ext.is_empty() { "<none>".into() } else { ext.join(",") }
        }
        "LoadBalancer" => {
            let mut ips: Vec<String> = o
                .arr_at("status.loadBalancer.ingress")
                .iter()
                .filter_map(|i| i.str_at("ip").or(i.str_at("hostname")).map(str::to_string))
                .collect();
            ips.extend(ext.iter().map(|s| s.to_string()));
            if ips.is_empty() { "<pending>".into() } else { ips.join(",") }
        }
        "ExternalName" => o.str_at("spec.externalName").unwrap_or("").to_string(),
        _ => "<unknown>".into(),
    }
}

/// `formatEndpoints`: up to three `ip:port`, then `+ N more...`.
fn endpoints_string(o: &Object) -> String {
    let mut list = Vec::new();
    let mut count = 0;
    for ss in o.arr_at("subsets") {
        let ports = ss.arr_at("ports");
        for addr in ss.arr_at("addresses") {
            let ip = addr.str_at("ip").unwrap_or("");
            if ports.is_empty() {
                count += 1;
                if list.len() < 3 {
                    list.push(ip.to_string());
                }
            }
            for p in ports {
                count += 1;
                if list.len() < 3 {
                    list.push(format!("{ip}:{}", p.i64_at("port").unwrap_or(0)));
                }
            }
        }
    }
    if list.is_empty() {
        return "<none>".into();
    }
    let mut s = list.join(",");
    if count > list.len() {
        s.push_str(&format!(" + {} more...", count - list.len()));
    }
    s
}

/// `modesToString`: `RWO,ROX,RWX,RWOP`.
pub fn access_modes(m: &[Value]) -> String {
    let has = |s: &str| m.iter().any(|v| v.as_str() == Some(s));
    let mut out = Vec::new();
    for (long, short) in [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")] {
        if has(long) {
            out.push(short);
        }
    }
    out.join(",")
}
