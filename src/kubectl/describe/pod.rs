//! Describing pods and pod templates: containers (ports, command, state, resources, probes,
//! environment, mounts), conditions, volumes, QoS class, node selectors and tolerations.

use super::{annotations_multiline, controller_of, describe_events, labels_multiline, rfc1123z, W};
use crate::model::object::string_map;
use crate::model::{Cluster, ObjExt, Object};
use crate::value::Value;

pub fn pod(c: &Cluster, w: &mut W, p: &Object) {
    w.line(0, &format!("Name:\t{}", p.name()));
    w.line(0, &format!("Namespace:\t{}", p.namespace()));
    if let Some(pr) = p.i64_at("spec.priority") {
        w.line(0, &format!("Priority:\t{pr}"));
    }
    if let Some(pc) = p.str_at("spec.priorityClassName").filter(|s| !s.is_empty()) {
        w.line(0, &format!("Priority Class Name:\t{pc}"));
    }
    if let Some(sa) = p.str_at("spec.serviceAccountName").filter(|s| !s.is_empty()) {
        w.line(0, &format!("Service Account:\t{sa}"));
    }
    match p.str_at("spec.nodeName").filter(|s| !s.is_empty()) {
        Some(n) => w.line(0, &format!("Node:\t{n}/{}", p.str_at("status.hostIP").unwrap_or(""))),
        None => w.line(0, "Node:\t<none>"),
    }
    if let Some(st) = p.str_at("status.startTime") {
        w.line(0, &format!("Start Time:\t{}", rfc1123z(st)));
    }
    labels_multiline(w, "", "Labels", &p.labels());
    annotations_multiline(w, "", "Annotations", p, "metadata.annotations");
    let phase = p.str_at("status.phase").unwrap_or("");
    if p.is_deleting() && phase != "Succeeded" && phase != "Failed" {
        let until = p.str_at("metadata.deletionTimestamp").and_then(crate::model::clock::parse_rfc3339).unwrap_or(0)
            + p.i64_at("metadata.deletionGracePeriodSeconds").unwrap_or(0)
            - c.clock.now_secs();
        w.line(0, &format!("Status:\tTerminating (lasts {})", crate::model::clock::human_duration(until)));
        w.line(0, &format!("Termination Grace Period:\t{}s", p.i64_at("metadata.deletionGracePeriodSeconds").unwrap_or(0)));
    } else {
        w.line(0, &format!("Status:\t{phase}"));
    }
    if let Some(r) = p.str_at("status.reason").filter(|s| !s.is_empty()) {
        w.line(0, &format!("Reason:\t{r}"));
    }
    if let Some(m) = p.str_at("status.message").filter(|s| !s.is_empty()) {
        w.line(0, &format!("Message:\t{m}"));
    }
    w.line(0, &format!("IP:\t{}", p.str_at("status.podIP").unwrap_or("")));
    let ips = p.arr_at("status.podIPs");
    if ips.is_empty() {
        w.line(0, "IPs:\t<none>");
    } else {
        w.line(0, "IPs:");
        for ip in ips {
            w.line(1, &format!("IP:\t{}", ip.str_at("ip").unwrap_or("")));
        }
    }
    if let Some(ctl) = controller_of(p) {
        w.line(0, &format!("Controlled By:\t{ctl}"));
    }
    if let Some(n) = p.str_at("status.nominatedNodeName").filter(|s| !s.is_empty()) {
        w.line(0, &format!("NominatedNodeName:\t{n}"));
    }
    if !p.arr_at("spec.initContainers").is_empty() {
        containers(w, "Init Containers", p.arr_at("spec.initContainers"), Some(p.arr_at("status.initContainerStatuses")), "");
    }
    containers(w, "Containers", p.arr_at("spec.containers"), Some(p.arr_at("status.containerStatuses")), "");
    let conds = p.arr_at("status.conditions");
    if !conds.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus");
        for cd in conds {
            w.line(1, &format!("{} \t{} ", cd.str_at("type").unwrap_or(""), cd.str_at("status").unwrap_or("")));
        }
    }
    volumes(w, p.arr_at("spec.volumes"), "");
    w.line(0, &format!("QoS Class:\t{}", p.str_at("status.qosClass").map(str::to_string).unwrap_or_else(|| qos(p))));
    labels_multiline(w, "", "Node-Selectors", &string_map(p.path("spec.nodeSelector")));
    tolerations(w, "", p.arr_at("spec.tolerations"));
    describe_events(c, w, p.uid());
}

/// `qos.GetPodQOS`, for pods whose status does not say.
fn qos(p: &Object) -> String {
    let cs: Vec<&Value> = p.arr_at("spec.containers").iter().chain(p.arr_at("spec.initContainers").iter()).collect();
    let any = cs.iter().any(|c| c.path("resources.requests").is_some_and(|r| r.as_object().is_some_and(|m| !m.is_empty())) || c.path("resources.limits").is_some_and(|r| r.as_object().is_some_and(|m| !m.is_empty())));
    if !any {
        return "BestEffort".into();
    }
    let guaranteed = cs.iter().all(|c| {
        ["cpu", "memory"].iter().all(|r| {
            let lim = c.str_at(&format!("resources.limits.{r}")).map(str::to_string).or_else(|| c.i64_at(&format!("resources.limits.{r}")).map(|n| n.to_string()));
            let req = c.str_at(&format!("resources.requests.{r}")).map(str::to_string).or_else(|| c.i64_at(&format!("resources.requests.{r}")).map(|n| n.to_string()));
            lim.is_some() && (req.is_none() || req == lim)
        })
    });
    if guaranteed { "Guaranteed".into() } else { "Burstable".into() }
}

fn scalar(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.to_string(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// `describeContainers`: `space` is "" for pods and "  " inside pod templates.
pub fn containers(w: &mut W, label: &str, cs: &[Value], statuses: Option<&[Value]>, space: &str) {
    if cs.is_empty() {
        w.line(0, &format!("{space}{label}:\t<none>"));
        return;
    }
    w.line(0, &format!("{space}{label}:"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for ctr in cs {
        let name = ctr.str_at("name").unwrap_or("");
        let status = statuses.and_then(|s| s.iter().find(|st| st.str_at("name") == Some(name)));
        w.line(1, &format!("{name_indent}{name}:"));
        if let Some(st) = status {
            w.line(2, &format!("Container ID:\t{}", st.str_at("containerID").unwrap_or("")));
        }
        w.line(2, &format!("Image:\t{}", ctr.str_at("image").unwrap_or("")));
        if let Some(st) = status {
            w.line(2, &format!("Image ID:\t{}", st.str_at("imageID").unwrap_or("")));
        }
        let ports = ctr.arr_at("ports");
        let ps: Vec<String> = ports.iter().map(|p| format!("{}/{}", p.i64_at("containerPort").unwrap_or(0), p.str_at("protocol").unwrap_or("TCP"))).collect();
        let hs: Vec<String> = ports.iter().map(|p| format!("{}/{}", p.i64_at("hostPort").unwrap_or(0), p.str_at("protocol").unwrap_or("TCP"))).collect();
        let (ps, hs) = (ps.join(", "), hs.join(", "));
        w.line(2, &format!("{}:\t{}", if ps.contains(',') { "Ports" } else { "Port" }, if ps.is_empty() { "<none>" } else { &ps }));
        w.line(2, &format!("{}:\t{}", if hs.contains(',') { "Host Ports" } else { "Host Port" }, if hs.is_empty() { "<none>" } else { &hs }));
        if let Some(rp) = ctr.str_at("restartPolicy") {
            w.line(2, &format!("Restart Policy:\t{rp}"));
        }
        for (field, title) in [("command", "Command"), ("args", "Args")] {
            let items = ctr.arr_at(field);
            if !items.is_empty() {
                w.line(2, &format!("{title}:"));
                for it in items {
                    for l in scalar(Some(it)).split('\n') {
                        w.line(3, l);
                    }
                }
            }
        }
        if let Some(st) = status {
            state(w, "State", st.path("state"));
            if st.path("lastState.terminated").is_some() {
                state(w, "Last State", st.path("lastState"));
            }
            w.line(2, &format!("Ready:\t{}", if st.bool_at("ready") == Some(true) { "True" } else { "False" }));
            w.line(2, &format!("Restart Count:\t{}", st.i64_at("restartCount").unwrap_or(0)));
        }
        for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
            if let Some(m) = ctr.path(&format!("resources.{field}")).and_then(Value::as_object).filter(|m| !m.is_empty()) {
                w.line(2, &format!("{title}:"));
                for (k, v) in m {
                    w.line(3, &format!("{k}:\t{}", scalar(Some(v))));
                }
            }
        }
        for (field, title) in [("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")] {
            if let Some(pr) = ctr.path(field) {
                w.line(2, &format!("{title}:\t{}", probe(pr)));
            }
        }
        let env_from = ctr.arr_at("envFrom");
        if !env_from.is_empty() {
            w.line(2, "Environment Variables from:");
            for ef in env_from {
                let (name, kind, opt) = if let Some(cm) = ef.get("configMapRef") {
                    (cm.str_at("name").unwrap_or(""), "ConfigMap", cm.bool_at("optional").unwrap_or(false))
                } else if let Some(s) = ef.get("secretRef") {
                    (s.str_at("name").unwrap_or(""), "Secret", s.bool_at("optional").unwrap_or(false))
                } else {
                    continue;
                };
                match ef.str_at("prefix").filter(|p| !p.is_empty()) {
                    Some(px) => w.line(3, &format!("{name}\t{kind} with prefix '{px}'\tOptional: {opt}")),
                    None => w.line(3, &format!("{name}\t{kind}\tOptional: {opt}")),
                }
            }
        }
        let env = ctr.arr_at("env");
        if env.is_empty() {
            w.line(2, "Environment:\t<none>");
        } else {
            w.line(2, "Environment:");
            for e in env {
                let n = e.str_at("name").unwrap_or("");
                if let Some(vf) = e.get("valueFrom") {
                    if let Some(r) = vf.get("configMapKeyRef") {
                        w.line(3, &format!("{n}:\t<set to the key '{}' of config map '{}'>\tOptional: {}", r.str_at("key").unwrap_or(""), r.str_at("name").unwrap_or(""), r.bool_at("optional").unwrap_or(false)));
                    } else if let Some(r) = vf.get("secretKeyRef") {
                        w.line(3, &format!("{n}:\t<set to the key '{}' in secret '{}'>\tOptional: {}", r.str_at("key").unwrap_or(""), r.str_at("name").unwrap_or(""), r.bool_at("optional").unwrap_or(false)));
                    } else if let Some(r) = vf.get("fieldRef") {
                        w.line(3, &format!("{n}:\t ({}:{})", r.str_at("apiVersion").unwrap_or("v1"), r.str_at("fieldPath").unwrap_or("")));
                    } else if let Some(r) = vf.get("resourceFieldRef") {
                        w.line(3, &format!("{n}:\t{} ({})", r.str_at("containerName").unwrap_or(""), r.str_at("resource").unwrap_or("")));
                    }
                } else {
                    let v = scalar(e.get("value"));
                    let mut lines = v.split('\n');
                    w.line(3, &format!("{n}:\t{}", lines.next().unwrap_or("")));
                    for l in lines {
                        w.line(3, &format!("\t{l}"));
                    }
                }
            }
        }
        let mounts = ctr.arr_at("volumeMounts");
        if mounts.is_empty() {
            w.line(2, "Mounts:\t<none>");
        } else {
            w.line(2, "Mounts:");
            for m in mounts {
                let mut flags = if m.bool_at("readOnly") == Some(true) { "ro".to_string() } else { "rw".to_string() };
                if let Some(sp) = m.str_at("subPath").filter(|s| !s.is_empty()) {
                    flags.push_str(&format!(",path={sp:?}"));
                }
                w.line(3, &format!("{} from {} ({flags})", m.str_at("mountPath").unwrap_or(""), m.str_at("name").unwrap_or("")));
            }
        }
    }
}

fn state(w: &mut W, title: &str, s: Option<&Value>) {
    let s = s.cloned().unwrap_or(Value::Null);
    if let Some(r) = s.get("running") {
        w.line(2, &format!("{title}:\tRunning"));
        w.line(3, &format!("Started:\t{}", rfc1123z(r.str_at("startedAt").unwrap_or(""))));
    } else if let Some(r) = s.get("waiting") {
        w.line(2, &format!("{title}:\tWaiting"));
        if let Some(re) = r.str_at("reason").filter(|x| !x.is_empty()) {
            w.line(3, &format!("Reason:\t{re}"));
        }
    } else if let Some(t) = s.get("terminated") {
        w.line(2, &format!("{title}:\tTerminated"));
        if let Some(re) = t.str_at("reason").filter(|x| !x.is_empty()) {
            w.line(3, &format!("Reason:\t{re}"));
        }
        if let Some(m) = t.str_at("message").filter(|x| !x.is_empty()) {
            w.line(3, &format!("Message:\t{m}"));
        }
        w.line(3, &format!("Exit Code:\t{}", t.i64_at("exitCode").unwrap_or(0)));
        if let Some(sig) = t.i64_at("signal").filter(|s| *s > 0) {
            w.line(3, &format!("Signal:\t{sig}"));
        }
        w.line(3, &format!("Started:\t{}", rfc1123z(t.str_at("startedAt").unwrap_or(""))));
        w.line(3, &format!("Finished:\t{}", rfc1123z(t.str_at("finishedAt").unwrap_or(""))));
    } else {
        w.line(2, &format!("{title}:\tWaiting"));
    }
}

/// `DescribeProbe`: `http-get http://:8080/healthz delay=3s timeout=1s period=3s #success=1 #failure=3`.
fn probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.i64_at("initialDelaySeconds").unwrap_or(0),
        p.i64_at("timeoutSeconds").unwrap_or(1),
        p.i64_at("periodSeconds").unwrap_or(10),
        p.i64_at("successThreshold").unwrap_or(1),
        p.i64_at("failureThreshold").unwrap_or(3)
    );
    if let Some(e) = p.get("exec") {
        let cmd: Vec<String> = e.arr_at("command").iter().map(|s| scalar(Some(s))).collect();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = p.get("httpGet") {
        let scheme = h.str_at("scheme").unwrap_or("HTTP").to_ascii_lowercase();
        return format!("http-get {scheme}://{}:{}{} {attrs}", h.str_at("host").unwrap_or(""), scalar(h.get("port")), h.str_at("path").unwrap_or(""));
    }
    if let Some(t) = p.get("tcpSocket") {
        return format!("tcp-socket {}:{} {attrs}", t.str_at("host").unwrap_or(""), scalar(t.get("port")));
    }
    if let Some(g) = p.get("grpc") {
        return format!("grpc <pod>:{} {} {attrs}", g.i64_at("port").unwrap_or(0), g.str_at("service").unwrap_or(""));
    }
    format!("unknown {attrs}")
}

/// `describeVolumes`.
pub fn volumes(w: &mut W, vols: &[Value], space: &str) {
    if vols.is_empty() {
        w.line(0, &format!("{space}Volumes:\t<none>"));
        return;
    }
    w.line(0, &format!("{space}Volumes:"));
    for v in vols {
        w.line(0, &format!("{space}  {}:", v.str_at("name").unwrap_or("")));
        let l = |w: &mut W, s: String| w.line(0, &format!("{space}    {s}"));
        if let Some(e) = v.get("emptyDir") {
            l(w, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)".into());
            l(w, format!("Medium:\t{}", e.str_at("medium").unwrap_or("")));
            l(w, format!("SizeLimit:\t{}", e.path("sizeLimit").map(|s| scalar(Some(s))).unwrap_or_else(|| "<unset>".into())));
        } else if let Some(cm) = v.get("configMap") {
            l(w, "Type:\tConfigMap (a volume populated by a ConfigMap)".into());
            l(w, format!("Name:\t{}", cm.str_at("name").unwrap_or("")));
            l(w, format!("Optional:\t{}", cm.bool_at("optional").unwrap_or(false)));
        } else if let Some(s) = v.get("secret") {
            l(w, "Type:\tSecret (a volume populated by a Secret)".into());
            l(w, format!("SecretName:\t{}", s.str_at("secretName").unwrap_or("")));
            l(w, format!("Optional:\t{}", s.bool_at("optional").unwrap_or(false)));
        } else if let Some(pvc) = v.get("persistentVolumeClaim") {
            l(w, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)".into());
            l(w, format!("ClaimName:\t{}", pvc.str_at("claimName").unwrap_or("")));
            l(w, format!("ReadOnly:\t{}", pvc.bool_at("readOnly").unwrap_or(false)));
        } else if let Some(h) = v.get("hostPath") {
            l(w, "Type:\tHostPath (bare host directory volume)".into());
            l(w, format!("Path:\t{}", h.str_at("path").unwrap_or("")));
            l(w, format!("HostPathType:\t{}", h.str_at("type").unwrap_or("")));
        } else if let Some(pj) = v.get("projected") {
            l(w, "Type:\tProjected (a volume that contains injected data from multiple sources)".into());
            for s in pj.arr_at("sources") {
                if let Some(t) = s.get("serviceAccountToken") {
                    l(w, format!("TokenExpirationSeconds:\t{}", t.i64_at("expirationSeconds").unwrap_or(3600)));
                } else if let Some(cm) = s.get("configMap") {
                    l(w, format!("ConfigMapName:\t{}", cm.str_at("name").unwrap_or("")));
                    l(w, format!("Optional:\t{}", cm.bool_at("optional").unwrap_or(false)));
                } else if s.get("downwardAPI").is_some() {
                    l(w, "DownwardAPI:\ttrue".into());
                } else if let Some(sec) = s.get("secret") {
                    l(w, format!("SecretName:\t{}", sec.str_at("name").unwrap_or("")));
                    l(w, format!("Optional:\t{}", sec.bool_at("optional").unwrap_or(false)));
                }
            }
        } else if v.get("downwardAPI").is_some() {
            l(w, "Type:\tDownwardAPI (a volume populated by information about the pod)".into());
        } else {
            l(w, "Type:\t<unknown>".into());
        }
    }
}

/// `printTolerationsMultilineWithIndent`.
pub fn tolerations(w: &mut W, indent: &str, ts: &[Value]) {
    w.w(0, &format!("{indent}Tolerations:\t"));
    if ts.is_empty() {
        w.line(0, "<none>");
        return;
    }
    for (i, t) in ts.iter().enumerate() {
        if i > 0 {
            w.w(0, &format!("{indent}\t"));
        }
        let mut s = String::new();
        let key = t.str_at("key").unwrap_or("");
        let value = t.str_at("value").unwrap_or("");
        let effect = t.str_at("effect").unwrap_or("");
        s.push_str(key);
        if !value.is_empty() {
            s.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            s.push_str(&format!(":{effect}"));
        }
        if t.str_at("operator") == Some("Exists") && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                s.push_str(" op=Exists");
            } else {
                s.push_str("op=Exists");
            }
        }
        if let Some(secs) = t.i64_at("tolerationSeconds") {
            s.push_str(&format!(" for {secs}s"));
        }
        w.line(0, &s);
    }
}

/// `DescribePodTemplate`.
pub fn template(w: &mut W, t: Option<&Value>) {
    w.line(0, "Pod Template:");
    let Some(t) = t else {
        w.line(1, "<unset>");
        return;
    };
    labels_multiline(w, "  ", "Labels", &string_map(t.path("metadata.labels")));
    if t.path("metadata.annotations").and_then(Value::as_object).is_some_and(|m| !m.is_empty()) {
        annotations_multiline(w, "  ", "Annotations", t, "metadata.annotations");
    }
    if let Some(sa) = t.str_at("spec.serviceAccountName").filter(|s| !s.is_empty()) {
        w.line(1, &format!("Service Account:\t{sa}"));
    }
    if !t.arr_at("spec.initContainers").is_empty() {
        containers(w, "Init Containers", t.arr_at("spec.initContainers"), None, "  ");
    }
    containers(w, "Containers", t.arr_at("spec.containers"), None, "  ");
    volumes(w, t.arr_at("spec.volumes"), "  ");
    if let Some(pc) = t.str_at("spec.priorityClassName").filter(|s| !s.is_empty()) {
        w.line(1, &format!("Priority Class Name:\t{pc}"));
    }
    labels_multiline(w, "  ", "Node-Selectors", &string_map(t.path("spec.nodeSelector")));
    tolerations(w, "  ", t.arr_at("spec.tolerations"));
}
