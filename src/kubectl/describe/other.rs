//! Describing the other kinds: Service, Node, Namespace, ConfigMap, Secret, PVC, PV,
//! StorageClass, ServiceAccount, RBAC roles and bindings, Ingress, Endpoints, and a generic form.

use super::pod::volumes;
use super::{age_of, annotations_multiline, describe_events, labels_multiline, rfc1123z, W};
use crate::kubectl::printers::{core::access_modes, format_labels};
use crate::manifest::goparse::parse_quantity;
use crate::model::object::string_map;
use crate::model::{Cluster, Kind, ObjExt, Object};
use base64::Engine;
use crate::value::Value;

fn scalar(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.to_string(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// Go's `%v` of a string slice: `[a b]`.
fn go_list(v: &[Value]) -> String {
    format!("[{}]", v.iter().map(|x| scalar(Some(x))).collect::<Vec<_>>().join(" "))
}

fn meta(w: &mut W, o: &Object, ns: bool) {
    w.line(0, &format!("Name:\t{}", o.name()));
    if ns {
        w.line(0, &format!("Namespace:\t{}", o.namespace()));
    }
    labels_multiline(w, "", "Labels", &o.labels());
    annotations_multiline(w, "", "Annotations", o, "metadata.annotations");
}

pub fn service(c: &Cluster, w: &mut W, s: &Object) {
    meta(w, s, true);
    w.line(0, &format!("Selector:\t{}", format_labels(&string_map(s.path("spec.selector")))));
    w.line(0, &format!("Type:\t{}", s.str_at("spec.type").unwrap_or("ClusterIP")));
    if let Some(p) = s.str_at("spec.ipFamilyPolicy") {
        w.line(0, &format!("IP Family Policy:\t{p}"));
    }
    let fams: Vec<String> = s.arr_at("spec.ipFamilies").iter().map(|f| scalar(Some(f))).collect();
    if !fams.is_empty() {
        w.line(0, &format!("IP Families:\t{}", fams.join(",")));
    }
    if let Some(ip) = s.str_at("spec.clusterIP").filter(|i| !i.is_empty()) {
        w.line(0, &format!("IP:\t{ip}"));
    }
    let ips: Vec<String> = s.arr_at("spec.clusterIPs").iter().map(|f| scalar(Some(f))).collect();
    if !ips.is_empty() {
        w.line(0, &format!("IPs:\t{}", ips.join(",")));
    }
    let ext: Vec<String> = s.arr_at("spec.externalIPs").iter().map(|f| scalar(Some(f))).collect();
    if !ext.is_empty() {
        w.line(0, &format!("External IPs:\t{}", ext.join(",")));
    }
    if let Some(en) = s.str_at("spec.externalName").filter(|e| !e.is_empty()) {
        w.line(0, &format!("External Name:\t{en}"));
    }
    let lb: Vec<String> = s.arr_at("status.loadBalancer.ingress").iter().filter_map(|i| i.str_at("ip").or(i.str_at("hostname")).map(str::to_string)).collect();
    if !lb.is_empty() {
        w.line(0, &format!("LoadBalancer Ingress:\t{}", lb.join(", ")));
    }
    let slices: Vec<&Object> =
        c.store.list_ns(Kind::EndpointSlice, s.namespace()).filter(|e| e.labels().get("kubernetes.io/service-name").map(String::as_str) == Some(s.name())).collect();
    for p in s.arr_at("spec.ports") {
        let name = p.str_at("name").filter(|n| !n.is_empty()).unwrap_or("<unset>");
        let proto = p.str_at("protocol").unwrap_or("TCP");
        w.line(0, &format!("Port:\t{name}\t{}/{proto}", p.i64_at("port").unwrap_or(0)));
        w.line(0, &format!("TargetPort:\t{}/{proto}", scalar(p.get("targetPort"))));
        if let Some(np) = p.i64_at("nodePort").filter(|n| *n != 0) {
            w.line(0, &format!("NodePort:\t{name}\t{np}/{proto}"));
        }
        let mut eps = Vec::new();
        for sl in &slices {
            let port = sl.arr_at("ports").iter().find(|sp| sp.str_at("name").unwrap_or("") == p.str_at("name").unwrap_or("")).and_then(|sp| sp.i64_at("port"));
            let Some(port) = port else { continue };
            for e in sl.arr_at("endpoints") {
                if e.bool_at("conditions.ready") == Some(false) {
                    continue;
                }
                for a in e.arr_at("addresses") {
                    eps.push(format!("{}:{port}", scalar(Some(a))));
                }
            }
        }
        let n = eps.len();
        let mut shown = eps.into_iter().take(3).collect::<Vec<_>>().join(",");
        if n > 3 {
            shown.push_str(&format!(" + {} more...", n - 3));
        }
        w.line(0, &format!("Endpoints:\t{}", if shown.is_empty() { "<none>".into() } else { shown }));
    }
    w.line(0, &format!("Session Affinity:\t{}", s.str_at("spec.sessionAffinity").unwrap_or("None")));
    if let Some(p) = s.str_at("spec.externalTrafficPolicy").filter(|p| !p.is_empty()) {
        w.line(0, &format!("External Traffic Policy:\t{p}"));
    }
    if let Some(p) = s.str_at("spec.internalTrafficPolicy") {
        w.line(0, &format!("Internal Traffic Policy:\t{p}"));
    }
    describe_events(c, w, s.uid());
}

fn cpu_string(cores: f64) -> String {
    let m = (cores * 1000.0).round() as i64;
    if m % 1000 == 0 { (m / 1000).to_string() } else { format!("{m}m") }
}

fn mem_string(bytes: f64) -> String {
    let b = bytes.round() as i64;
    if b == 0 {
        return "0".into();
    }
    for (suffix, f) in [("Gi", 1i64 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if b % f == 0 {
            return format!("{}{suffix}", b / f);
        }
    }
    b.to_string()
}

fn q(v: Option<&Value>) -> f64 {
    match v {
        Some(Value::String(s)) => parse_quantity(s).unwrap_or(0.0),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn pct(x: f64, of: f64) -> i64 {
    if of <= 0.0 { 0 } else { (x / of * 100.0) as i64 }
}

pub fn node(c: &Cluster, w: &mut W, n: &Object) {
    w.line(0, &format!("Name:\t{}", n.name()));
    let mut roles: Vec<String> = n.labels().keys().filter_map(|k| k.strip_prefix("node-role.kubernetes.io/").map(str::to_string)).filter(|r| !r.is_empty()).collect();
    crate::sort::ord(&mut roles);
    w.line(0, &format!("Roles:\t{}", if roles.is_empty() { "<none>".into() } else { roles.join(",") }));
    labels_multiline(w, "", "Labels", &n.labels());
    annotations_multiline(w, "", "Annotations", n, "metadata.annotations");
    w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(n.str_at("metadata.creationTimestamp").unwrap_or(""))));
    let taints = n.arr_at("spec.taints");
    if taints.is_empty() {
        w.line(0, "Taints:\t<none>");
    } else {
        for (i, t) in taints.iter().enumerate() {
            let v = t.str_at("value").map(|v| format!("={v}")).unwrap_or_default();
            let s = format!("{}{v}:{}", t.str_at("key").unwrap_or(""), t.str_at("effect").unwrap_or(""));
            w.line(0, &if i == 0 { format!("Taints:\t{s}") } else { format!("\t{s}") });
        }
    }
    w.line(0, &format!("Unschedulable:\t{}", n.bool_at("spec.unschedulable").unwrap_or(false)));
    if let Some(l) = c.store.get_by(Kind::Lease, "kube-node-lease", n.name()) {
        w.line(0, "Lease:");
        w.line(1, &format!("HolderIdentity:\t{}", l.str_at("spec.holderIdentity").unwrap_or("<unset>")));
        w.line(1, &format!("AcquireTime:\t{}", l.str_at("spec.acquireTime").map(rfc1123z).unwrap_or_else(|| "<unset>".into())));
        w.line(1, &format!("RenewTime:\t{}", l.str_at("spec.renewTime").map(rfc1123z).unwrap_or_else(|| "<unset>".into())));
    }
    let conds = n.arr_at("status.conditions");
    if !conds.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage");
        w.line(1, "----\t------\t-----------------\t------------------\t------\t-------");
        for cd in conds {
            w.line(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}",
                    cd.str_at("type").unwrap_or(""),
                    cd.str_at("status").unwrap_or(""),
                    cd.str_at("lastHeartbeatTime").map(rfc1123z).unwrap_or_default(),
                    cd.str_at("lastTransitionTime").map(rfc1123z).unwrap_or_default(),
                    cd.str_at("reason").unwrap_or(""),
                    cd.str_at("message").unwrap_or("")
                ),
            );
        }
    }
    w.line(0, "Addresses:");
    for a in n.arr_at("status.addresses") {
        w.line(1, &format!("{}:\t{}", a.str_at("type").unwrap_or(""), a.str_at("address").unwrap_or("")));
    }
    for (title, path) in [("Capacity", "status.capacity"), ("Allocatable", "status.allocatable")] {
        if let Some(m) = n.path(path).and_then(Value::as_object) {
            w.line(0, &format!("{title}:"));
            for (k, v) in m {
                w.line(1, &format!("{k}:\t{}", scalar(Some(v))));
            }
        }
    }
    if let Some(info) = n.path("status.nodeInfo").and_then(Value::as_object) {
        w.line(0, "System Info:");
        for (k, title) in [
            ("machineID", "Machine ID"),
            ("systemUUID", "System UUID"),
            ("bootID", "Boot ID"),
            ("kernelVersion", "Kernel Version"),
            ("osImage", "OS Image"),
            ("operatingSystem", "Operating System"),
            ("architecture", "Architecture"),
            ("containerRuntimeVersion", "Container Runtime Version"),
            ("kubeletVersion", "Kubelet Version"),
        ] {
            w.line(1, &format!("{title}:\t{}", info.get(k).and_then(Value::as_str).unwrap_or("")));
        }
    }
    if let Some(cidr) = n.str_at("spec.podCIDR") {
        w.line(0, &format!("PodCIDR:\t{cidr}"));
        let cidrs: Vec<String> = n.arr_at("spec.podCIDRs").iter().map(|x| scalar(Some(x))).collect();
        w.line(0, &format!("PodCIDRs:\t{}", cidrs.join(",")));
    }
    let pods: Vec<&Object> = c
        .store
        .list(Kind::Pod)
        .filter(|p| p.str_at("spec.nodeName") == Some(n.name()) && !matches!(p.str_at("status.phase"), Some("Succeeded" | "Failed")))
        .collect();
    let alloc_cpu = q(n.path("status.allocatable.cpu"));
    let alloc_mem = q(n.path("status.allocatable.memory"));
    w.line(0, &format!("Non-terminated Pods:\t({} in total)", pods.len()));
    w.line(1, "Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge");
    w.line(1, "---------\t----\t------------\t----------\t---------------\t-------------\t---");
    let (mut treq_c, mut tlim_c, mut treq_m, mut tlim_m) = (0.0, 0.0, 0.0, 0.0);
    for p in &pods {
        let sum = |field: &str| -> f64 { p.arr_at("spec.containers").iter().map(|ct| q(ct.path(&format!("resources.{field}")))).sum() };
        let (rc, lc, rm, lm) = (sum("requests.cpu"), sum("limits.cpu"), sum("requests.memory"), sum("limits.memory"));
        treq_c += rc;
        tlim_c += lc;
        treq_m += rm;
        tlim_m += lm;
        w.line(
            1,
            &format!(
                "{}\t{}\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}",
                p.namespace(),
                p.name(),
                cpu_string(rc),
                pct(rc, alloc_cpu),
                cpu_string(lc),
                pct(lc, alloc_cpu),
                mem_string(rm),
                pct(rm, alloc_mem),
                mem_string(lm),
                pct(lm, alloc_mem),
                age_of(c, p.str_at("metadata.creationTimestamp"))
            ),
        );
    }
    w.line(0, "Allocated resources:");
    w.line(1, "(Total limits may be over 100 percent, i.e., overcommitted.)");
    w.line(1, "Resource\tRequests\tLimits");
    w.line(1, "--------\t--------\t------");
    w.line(1, &format!("cpu\t{} ({}%)\t{} ({}%)", cpu_string(treq_c), pct(treq_c, alloc_cpu), cpu_string(tlim_c), pct(tlim_c, alloc_cpu)));
    w.line(1, &format!("memory\t{} ({}%)\t{} ({}%)", mem_string(treq_m), pct(treq_m, alloc_mem), mem_string(tlim_m), pct(tlim_m, alloc_mem)));
    w.line(1, "ephemeral-storage\t0 (0%)\t0 (0%)");
    describe_events(c, w, n.uid());
}

pub fn namespace(_c: &Cluster, w: &mut W, n: &Object) {
    meta(w, n, false);
    w.line(0, &format!("Status:\t{}", n.str_at("status.phase").unwrap_or("")));
    w.line(0, "");
    w.line(0, "No resource quota.");
    w.line(0, "");
    w.line(0, "No LimitRange resource.");
}

pub fn configmap(c: &Cluster, w: &mut W, cm: &Object) {
    meta(w, cm, true);
    w.line(0, "");
    w.line(0, "Data");
    w.line(0, "====");
    if let Some(m) = cm.path("data").and_then(Value::as_object) {
        for (k, v) in m {
            w.line(0, &format!("{k}:"));
            w.line(0, "----");
            w.line(0, &scalar(Some(v)));
        }
    }
    w.line(0, "");
    w.line(0, "BinaryData");
    w.line(0, "====");
    if let Some(m) = cm.path("binaryData").and_then(Value::as_object) {
        for (k, v) in m {
            let n = base64::engine::general_purpose::STANDARD.decode(scalar(Some(v))).map(|b| b.len()).unwrap_or(0);
            w.line(0, &format!("{k}: {n} bytes"));
        }
    }
    w.line(0, "");
    describe_events(c, w, cm.uid());
}

pub fn secret(_c: &Cluster, w: &mut W, s: &Object) {
    meta(w, s, true);
    w.line(0, "");
    w.line(0, &format!("Type:\t{}", s.str_at("type").unwrap_or("Opaque")));
    w.line(0, "");
    w.line(0, "Data");
    w.line(0, "====");
    if let Some(m) = s.path("data").and_then(Value::as_object) {
        for (k, v) in m {
            let raw = base64::engine::general_purpose::STANDARD.decode(scalar(Some(v))).unwrap_or_default();
            if k == "token" && s.str_at("type") == Some("kubernetes.io/service-account-token") {
                w.line(0, &format!("{k}:\t{}", String::from_utf8_lossy(&raw)));
            } else {
                w.line(0, &format!("{k}:\t{} bytes", raw.len()));
            }
        }
    }
}

fn pods_using_claim<'a>(c: &'a Cluster, ns: &'a str, claim: &'a str) -> Vec<String> {
    c.store
        .list_ns(Kind::Pod, ns)
        .filter(|p| p.arr_at("spec.volumes").iter().any(|v| v.str_at("persistentVolumeClaim.claimName") == Some(claim)))
        .map(|p| p.name().to_string())
        .collect()
}

pub fn pvc(c: &Cluster, w: &mut W, p: &Object) {
    w.line(0, &format!("Name:\t{}", p.name()));
    w.line(0, &format!("Namespace:\t{}", p.namespace()));
    w.line(0, &format!("StorageClass:\t{}", p.str_at("spec.storageClassName").unwrap_or("")));
    if p.is_deleting() {
        w.line(0, &format!("Status:\tTerminating (lasts {})", age_of(c, p.str_at("metadata.deletionTimestamp"))));
    } else {
        w.line(0, &format!("Status:\t{}", p.str_at("status.phase").unwrap_or("")));
    }
    w.line(0, &format!("Volume:\t{}", p.str_at("spec.volumeName").unwrap_or("")));
    labels_multiline(w, "", "Labels", &p.labels());
    annotations_multiline(w, "", "Annotations", p, "metadata.annotations");
    w.line(0, &format!("Finalizers:\t{}", go_list(p.arr_at("metadata.finalizers"))));
    let bound = p.str_at("spec.volumeName").is_some_and(|v| !v.is_empty());
    let (cap, modes) = if bound { (scalar(p.path("status.capacity.storage")), access_modes(p.arr_at("status.accessModes"))) } else { (String::new(), String::new()) };
    w.line(0, &format!("Capacity:\t{cap}"));
    w.line(0, &format!("Access Modes:\t{modes}"));
    if let Some(m) = p.str_at("spec.volumeMode") {
        w.line(0, &format!("VolumeMode:\t{m}"));
    }
    let users = pods_using_claim(c, p.namespace(), p.name());
    if users.is_empty() {
        w.line(0, "Used By:\t<none>");
    } else {
        for (i, u) in users.iter().enumerate() {
            w.line(0, &if i == 0 { format!("Used By:\t{u}") } else { format!("\t{u}") });
        }
    }
    describe_events(c, w, p.uid());
}

pub fn pv(c: &Cluster, w: &mut W, p: &Object) {
    meta(w, p, false);
    w.line(0, &format!("Finalizers:\t{}", go_list(p.arr_at("metadata.finalizers"))));
    w.line(0, &format!("StorageClass:\t{}", p.str_at("spec.storageClassName").unwrap_or("")));
    w.line(0, &format!("Status:\t{}", p.str_at("status.phase").unwrap_or("")));
    let claim = match (p.str_at("spec.claimRef.namespace"), p.str_at("spec.claimRef.name")) {
        (Some(ns), Some(n)) => format!("{ns}/{n}"),
        _ => String::new(),
    };
    w.line(0, &format!("Claim:\t{claim}"));
    w.line(0, &format!("Reclaim Policy:\t{}", p.str_at("spec.persistentVolumeReclaimPolicy").unwrap_or("")));
    w.line(0, &format!("Access Modes:\t{}", access_modes(p.arr_at("spec.accessModes"))));
    w.line(0, &format!("VolumeMode:\t{}", p.str_at("spec.volumeMode").unwrap_or("Filesystem")));
    w.line(0, &format!("Capacity:\t{}", scalar(p.path("spec.capacity.storage"))));
    w.line(0, &format!("Node Affinity:\t{}", if p.path("spec.nodeAffinity").is_some() { "" } else { "<none>" }));
    w.line(0, &format!("Message:\t{}", p.str_at("status.message").unwrap_or("")));
    w.line(0, "Source:");
    if let Some(h) = p.path("spec.hostPath") {
        w.line(2, "Type:\tHostPath (bare host directory volume)");
        w.line(2, &format!("Path:\t{}", h.str_at("path").unwrap_or("")));
        w.line(2, &format!("HostPathType:\t{}", h.str_at("type").unwrap_or("")));
    } else if let Some(l) = p.path("spec.local") {
        w.line(2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)");
        w.line(2, &format!("Path:\t{}", l.str_at("path").unwrap_or("")));
    } else if let Some(csi) = p.path("spec.csi") {
        w.line(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)");
        w.line(2, &format!("Driver:\t{}", csi.str_at("driver").unwrap_or("")));
        w.line(2, &format!("FSType:\t{}", csi.str_at("fsType").unwrap_or("")));
        w.line(2, &format!("VolumeHandle:\t{}", csi.str_at("volumeHandle").unwrap_or("")));
        w.line(2, &format!("ReadOnly:\t{}", csi.bool_at("readOnly").unwrap_or(false)));
    }
    describe_events(c, w, p.uid());
}

pub fn storageclass(c: &Cluster, w: &mut W, s: &Object) {
    w.line(0, &format!("Name:\t{}", s.name()));
    w.line(0, &format!("IsDefaultClass:\t{}", if s.annotation("storageclass.kubernetes.io/is-default-class") == Some("true") { "Yes" } else { "No" }));
    annotations_multiline(w, "", "Annotations", s, "metadata.annotations");
    w.line(0, &format!("Provisioner:\t{}", s.str_at("provisioner").unwrap_or("")));
    let params = string_map(s.path("parameters"));
    w.line(0, &format!("Parameters:\t{}", if params.is_empty() { "<none>".to_string() } else { params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",") }));
    w.line(0, &format!("AllowVolumeExpansion:\t{}", s.bool_at("allowVolumeExpansion").map(|b| if b { "True" } else { "False" }).unwrap_or("<unset>")));
    w.line(0, &format!("MountOptions:\t{}", if s.arr_at("mountOptions").is_empty() { "<none>".to_string() } else { go_list(s.arr_at("mountOptions")) }));
    w.line(0, &format!("ReclaimPolicy:\t{}", s.str_at("reclaimPolicy").unwrap_or("Delete")));
    w.line(0, &format!("VolumeBindingMode:\t{}", s.str_at("volumeBindingMode").unwrap_or("Immediate")));
    describe_events(c, w, s.uid());
}

pub fn serviceaccount(c: &Cluster, w: &mut W, s: &Object) {
    meta(w, s, true);
    let pull: Vec<String> = s.arr_at("imagePullSecrets").iter().filter_map(|x| x.str_at("name").map(str::to_string)).collect();
    w.line(0, &format!("Image pull secrets:\t{}", if pull.is_empty() { "<none>".into() } else { pull.join(", ") }));
    let mounts: Vec<String> = s.arr_at("secrets").iter().filter_map(|x| x.str_at("name").map(str::to_string)).collect();
    w.line(0, &format!("Mountable secrets:\t{}", if mounts.is_empty() { "<none>".into() } else { mounts.join(", ") }));
    w.line(0, "Tokens:\t<none>");
    describe_events(c, w, s.uid());
}

pub fn role(_c: &Cluster, w: &mut W, r: &Object) {
    w.line(0, &format!("Name:\t{}", r.name()));
    labels_multiline(w, "", "Labels", &r.labels());
    annotations_multiline(w, "", "Annotations", r, "metadata.annotations");
    w.line(0, "PolicyRule:");
    w.line(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs");
    w.line(1, "---------\t-----------------\t--------------\t-----");
    for rule in r.arr_at("rules") {
        let groups: Vec<String> = rule.arr_at("apiGroups").iter().map(|g| scalar(Some(g))).collect();
        let res: Vec<String> = rule.arr_at("resources").iter().map(|x| scalar(Some(x))).collect();
        let urls = go_list(rule.arr_at("nonResourceURLs"));
        let names = go_list(rule.arr_at("resourceNames"));
        let verbs = go_list(rule.arr_at("verbs"));
        if res.is_empty() {
            w.line(1, &format!("\t{urls}\t{names}\t{verbs}"));
        }
        for rs in &res {
            for g in if groups.is_empty() { vec![String::new()] } else { groups.clone() } {
                let (base, sub) = rs.split_once('/').map(|(a, b)| (a.to_string(), format!("/{b}"))).unwrap_or((rs.clone(), String::new()));
                let col = if g.is_empty() { format!("{base}{sub}") } else { format!("{base}.{g}{sub}") };
                w.line(1, &format!("{col}\t{urls}\t{names}\t{verbs}"));
            }
        }
    }
}

pub fn binding(_c: &Cluster, w: &mut W, b: &Object) {
    w.line(0, &format!("Name:\t{}", b.name()));
    labels_multiline(w, "", "Labels", &b.labels());
    annotations_multiline(w, "", "Annotations", b, "metadata.annotations");
    w.line(0, "Role:");
    w.line(1, &format!("Kind:\t{}", b.str_at("roleRef.kind").unwrap_or("")));
    w.line(1, &format!("Name:\t{}", b.str_at("roleRef.name").unwrap_or("")));
    w.line(0, "Subjects:");
    w.line(1, "Kind\tName\tNamespace");
    w.line(1, "----\t----\t---------");
    for s in b.arr_at("subjects") {
        w.line(1, &format!("{}\t{}\t{}", s.str_at("kind").unwrap_or(""), s.str_at("name").unwrap_or(""), s.str_at("namespace").unwrap_or("")));
    }
}

pub fn ingress(c: &Cluster, w: &mut W, i: &Object) {
    meta(w, i, true);
    w.line(0, &format!("Ingress Class:\t{}", i.str_at("spec.ingressClassName").unwrap_or("<none>")));
    let addr: Vec<String> = i.arr_at("status.loadBalancer.ingress").iter().filter_map(|x| x.str_at("ip").or(x.str_at("hostname")).map(str::to_string)).collect();
    w.line(0, &format!("Address:\t{}", addr.join(",")));
    let backend = |b: &Value| -> String {
        let svc = b.str_at("service.name").unwrap_or("");
        let port = b.path("service.port.number").map(|n| scalar(Some(n))).or_else(|| b.str_at("service.port.name").map(str::to_string)).unwrap_or_default();
        format!("{svc}:{port} ()")
    };
    match i.path("spec.defaultBackend") {
        Some(b) => w.line(0, &format!("Default backend:\t{}", backend(b))),
        None => w.line(0, "Default backend:\t<default>"),
    }
    let tls = i.arr_at("spec.tls");
    if !tls.is_empty() {
        w.line(0, "TLS:");
        for t in tls {
            let hosts: Vec<String> = t.arr_at("hosts").iter().map(|h| scalar(Some(h))).collect();
            w.line(1, &format!("{} terminates {}", t.str_at("secretName").unwrap_or(""), hosts.join(",")));
        }
    }
    w.line(0, "Rules:");
    w.line(1, "Host\tPath\tBackends");
    w.line(1, "----\t----\t--------");
    for r in i.arr_at("spec.rules") {
        let host = r.str_at("host").filter(|h| !h.is_empty()).unwrap_or("*");
        w.line(1, &format!("{host}\t"));
        for p in r.arr_at("http.paths") {
            w.line(2, &format!("\t{} \t{}", p.str_at("path").unwrap_or(""), p.get("backend").map(backend).unwrap_or_default()));
        }
    }
    describe_events(c, w, i.uid());
}

pub fn endpoints(c: &Cluster, w: &mut W, e: &Object) {
    meta(w, e, true);
    w.line(0, "Subsets:");
    for s in e.arr_at("subsets") {
        let ready: Vec<String> = s.arr_at("addresses").iter().filter_map(|a| a.str_at("ip").map(str::to_string)).collect();
        let not: Vec<String> = s.arr_at("notReadyAddresses").iter().filter_map(|a| a.str_at("ip").map(str::to_string)).collect();
        w.line(1, &format!("Addresses:\t{}", if ready.is_empty() { "<none>".into() } else { ready.join(",") }));
        w.line(1, &format!("NotReadyAddresses:\t{}", if not.is_empty() { "<none>".into() } else { not.join(",") }));
        w.line(1, "Ports:");
        w.line(2, "Name\tPort\tProtocol");
        w.line(2, "----\t----\t--------");
        for p in s.arr_at("ports") {
            w.line(2, &format!("{}\t{}\t{}", p.str_at("name").filter(|n| !n.is_empty()).unwrap_or("<unset>"), p.i64_at("port").unwrap_or(0), p.str_at("protocol").unwrap_or("TCP")));
        }
        w.line(0, "");
    }
    describe_events(c, w, e.uid());
}

/// Kinds without a dedicated describer: metadata, then the remaining fields.
pub fn generic(c: &Cluster, w: &mut W, o: &Object) {
    w.line(0, &format!("Name:\t{}", o.name()));
    if !o.namespace().is_empty() {
        w.line(0, &format!("Namespace:\t{}", o.namespace()));
    }
    labels_multiline(w, "", "Labels", &o.labels());
    annotations_multiline(w, "", "Annotations", o, "metadata.annotations");
    w.line(0, &format!("API Version:\t{}", o.str_at("apiVersion").unwrap_or("")));
    w.line(0, &format!("Kind:\t{}", o.kind_name()));
    if let Some(m) = o.as_object() {
        for (k, v) in m {
            if ["apiVersion", "kind", "metadata"].contains(&k.as_str()) {
                continue;
            }
            field(w, 0, k, v, 0);
        }
    }
    let _ = volumes;
    describe_events(c, w, o.uid());
}

fn title(k: &str) -> String {
    let mut out = String::new();
    for (i, ch) in k.chars().enumerate() {
        if i == 0 {
            out.extend(ch.to_uppercase());
        } else if ch.is_uppercase() {
            out.push(' ');
            out.push(ch);
        } else {
            out.push(ch);
        }
    }
    out
}

fn field(w: &mut W, level: usize, k: &str, v: &Value, depth: usize) {
    if depth > 12 {
        return;
    }
    match v {
        Value::Object(m) => {
            w.line(level, &format!("{}:", title(k)));
            for (k2, v2) in m {
                field(w, level + 1, k2, v2, depth + 1);
            }
        }
        Value::Array(a) => {
            w.line(level, &format!("{}:", title(k)));
            for it in a {
                match it {
                    Value::Object(m) => {
                        for (k2, v2) in m {
                            field(w, level + 1, k2, v2, depth + 1);
                        }
                    }
                    other => w.line(level + 1, &scalar(Some(other))),
                }
            }
        }
        other => w.line(level, &format!("{}:\t{}", title(k), scalar(Some(other)))),
    }
}
