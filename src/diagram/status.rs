//! The colour class, short state word, "why" text and detail lines of one object, read from its
//! status the way kubectl's printers read it.

use super::Detail;
use crate::model::kinds::Kind;
use crate::model::object::labels_to_string;
use crate::model::{ObjExt, Object};
use crate::value::Value;

/// Colour class of an element (drawn with a colour *and* a shape/icon).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Running,
    Pending,
    Failed,
    Completed,
    Terminating,
    /// Configuration objects and others without a run state.
    Neutral,
    /// A broken reference's target.
    Missing,
    /// An object the current lesson step asks for that does not exist yet (drawn faintly).
    Ghost,
}

impl Status {
    /// The states every diagram's legend explains (`Ghost` is explained only where one is drawn).
    pub const ALL: [Status; 7] =
        [Status::Running, Status::Pending, Status::Failed, Status::Completed, Status::Terminating, Status::Neutral, Status::Missing];
    pub fn id(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Pending => "pending",
            Status::Failed => "failed",
            Status::Completed => "completed",
            Status::Terminating => "terminating",
            Status::Neutral => "neutral",
            Status::Missing => "missing",
            Status::Ghost => "ghost",
        }
    }
}

/// Container waiting reasons that mean the pod will not get better by itself.
const FAILING: &[&str] = &[
    "CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError",
    "CreateContainerError", "RunContainerError", "Error", "OOMKilled", "ContainerCannotRun", "ErrImageNeverPull",
];

/// kubectl's STATUS column for a pod: `printPod` in
/// kubernetes/pkg/printers/internalversion/printers.go (init containers, then containers from
/// last to first, `Completed` with a running container → `Running`, deletion → `Terminating`).
pub fn pod_status_word(pod: &Object) -> String {
    let mut reason = pod.str_at("status.reason").or(pod.str_at("status.phase")).unwrap_or("Pending").to_string();
    let inits = pod.arr_at("spec.initContainers").len();
    let mut initializing = false;
    for (i, c) in pod.arr_at("status.initContainerStatuses").iter().enumerate() {
        if let Some(t) = c.path("state.terminated") {
            if t.i64_at("exitCode") == Some(0) {
                continue;
            }
            reason = match t.str_at("reason").filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None => match t.i64_at("signal").filter(|s| *s != 0) {
                    Some(s) => format!("Init:Signal:{s}"),
                    None => format!("Init:ExitCode:{}", t.i64_at("exitCode").unwrap_or(0)),
                },
            };
        } else if let Some(w) = c.str_at("state.waiting.reason").filter(|r| !r.is_empty() && *r != "PodInitializing") {
            reason = format!("Init:{w}");
        } else {
            reason = format!("Init:{i}/{inits}");
        }
        initializing = true;
        break;
    }
    if !initializing {
        let mut has_running = false;
        for c in pod.arr_at("status.containerStatuses").iter().rev() {
            if let Some(w) = c.str_at("state.waiting.reason").filter(|r| !r.is_empty()) {
                reason = w.to_string();
            } else if let Some(t) = c.path("state.terminated") {
                reason = match t.str_at("reason").filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None => match t.i64_at("signal").filter(|s| *s != 0) {
                        Some(s) => format!("Signal:{s}"),
                        None => format!("ExitCode:{}", t.i64_at("exitCode").unwrap_or(0)),
                    },
                };
            } else if c.path("state.running").is_some() && c.bool_at("ready") == Some(true) {
                has_running = true;
            }
        }
        if reason == "Completed" && has_running {
            reason = "Running".into();
        }
    }
    if pod.is_deleting() {
        reason = if pod.str_at("status.reason") == Some("NodeLost") { "Unknown".into() } else { "Terminating".into() };
    }
    reason
}

fn condition<'a>(obj: &'a Object, ty: &str) -> Option<&'a Value> {
    obj.arr_at("status.conditions").iter().find(|c| c.str_at("type") == Some(ty))
}

fn cond_true(obj: &Object, ty: &str) -> bool {
    condition(obj, ty).and_then(|c| c.str_at("status")) == Some("True")
}

/// Colour class, short state and, when something is wrong or waiting, why.
pub fn classify(obj: &Object) -> (Status, String, Option<String>) {
    let Some(kind) = obj.kind() else { return (Status::Neutral, String::new(), None) };
    if obj.is_deleting() {
        let word = if kind == Kind::Pod { pod_status_word(obj) } else { "Terminating".into() };
        return (Status::Terminating, word, None);
    }
    let i = |p: &str| obj.i64_at(p).unwrap_or(0);
    let ratio = |ready: i64, want: i64| -> (Status, String, Option<String>) {
        let st = if want == 0 || ready >= want { Status::Running } else { Status::Pending };
        let st = if want == 0 { Status::Neutral } else { st };
        (st, format!("{ready}/{want}"), None)
    };
    match kind {
        Kind::Pod => {
            let word = pod_status_word(obj);
            let phase = obj.str_at("status.phase").unwrap_or("Pending");
            let core = word.strip_prefix("Init:").unwrap_or(&word);
            let failing = FAILING.contains(&core) || core.starts_with("ExitCode:") || core.starts_with("Signal:");
            let status = if failing || phase == "Failed" {
                Status::Failed
            } else if phase == "Succeeded" {
                Status::Completed
            } else if phase == "Running" {
                Status::Running
            } else {
                Status::Pending
            };
            let why = if status == Status::Running || status == Status::Completed {
                None
            } else {
                pod_why(obj)
            };
            (status, word, why)
        }
        Kind::Deployment => {
            let stuck = condition(obj, "Progressing").and_then(|c| c.str_at("reason")) == Some("ProgressDeadlineExceeded");
            let (mut st, word, _) = ratio(i("status.readyReplicas"), i("spec.replicas"));
            let why = condition(obj, "Progressing").filter(|_| stuck).and_then(|c| c.str_at("message")).map(str::to_string);
            if stuck {
                st = Status::Failed;
            }
            (st, word, why)
        }
        Kind::ReplicaSet | Kind::StatefulSet => ratio(i("status.readyReplicas"), i("spec.replicas")),
        Kind::DaemonSet => ratio(i("status.numberReady"), i("status.desiredNumberScheduled")),
        Kind::Job => {
            let want = obj.i64_at("spec.completions").unwrap_or(1);
            let word = format!("{}/{}", i("status.succeeded"), want);
            if cond_true(obj, "Complete") {
                (Status::Completed, word, None)
            } else if cond_true(obj, "Failed") {
                let why = condition(obj, "Failed").and_then(|c| c.str_at("message")).map(str::to_string);
                (Status::Failed, word, why)
            } else if i("status.active") > 0 {
                (Status::Running, word, None)
            } else {
                (Status::Pending, word, None)
            }
        }
        Kind::CronJob => {
            if obj.bool_at("spec.suspend") == Some(true) {
                (Status::Neutral, "Suspended".into(), None)
            } else {
                let active = obj.arr_at("status.active").len();
                (if active > 0 { Status::Running } else { Status::Neutral }, obj.str_at("spec.schedule").unwrap_or("").into(), None)
            }
        }
        Kind::PersistentVolumeClaim | Kind::PersistentVolume => {
            let phase = obj.str_at("status.phase").unwrap_or("Pending").to_string();
            let st = match phase.as_str() {
                "Bound" => Status::Running,
                "Available" | "Released" => Status::Neutral,
                "Lost" | "Failed" => Status::Failed,
                _ => Status::Pending,
            };
            (st, phase, None)
        }
        Kind::Node => {
            let ready = condition(obj, "Ready");
            let mut word = match ready.and_then(|c| c.str_at("status")) {
                Some("True") => "Ready".to_string(),
                Some(_) => "NotReady".to_string(),
                None => "Unknown".to_string(),
            };
            let ok = word == "Ready";
            if obj.bool_at("spec.unschedulable") == Some(true) {
                word.push_str(",SchedulingDisabled");
            }
            let why = if ok { None } else { ready.and_then(|c| c.str_at("message")).map(str::to_string) };
            (if ok { Status::Running } else { Status::Failed }, word, why)
        }
        Kind::Namespace => (Status::Neutral, obj.str_at("status.phase").unwrap_or("Active").into(), None),
        _ => (Status::Neutral, String::new(), None),
    }
}

/// Why a pod is not running: the scheduler's condition message, else the first container message.
fn pod_why(pod: &Object) -> Option<String> {
    if let Some(c) = condition(pod, "PodScheduled").filter(|c| c.str_at("status") == Some("False")) {
        if let Some(m) = c.str_at("message").filter(|m| !m.is_empty()) {
            return Some(m.to_string());
        }
    }
    let all = pod.arr_at("status.initContainerStatuses").iter().chain(pod.arr_at("status.containerStatuses"));
    for c in all {
        for p in ["state.waiting.message", "state.terminated.message"] {
            if let Some(m) = c.str_at(p).filter(|m| !m.is_empty()) {
                return Some(m.to_string());
            }
        }
    }
    pod.str_at("status.message").map(str::to_string)
}

fn ports(svc: &Object) -> String {
    svc.arr_at("spec.ports")
        .iter()
        .map(|p| {
            let port = p.i64_at("port").map(|n| n.to_string()).unwrap_or_default();
            let proto = p.str_at("protocol").unwrap_or("TCP");
            match p.path("targetPort") {
                Some(Value::Number(n)) => format!("{port}→{n}/{proto}"),
                Some(Value::String(s)) => format!("{port}→{s}/{proto}"),
                _ => format!("{port}/{proto}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Detail lines for the details panel: (i18n key, value as kubectl prints it).
pub fn details(obj: &Object) -> Vec<Detail> {
    let mut d: Vec<Detail> = Vec::new();
    let mut push = |k: &'static str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            d.push((k, v));
        }
    };
    let s = |p: &str| obj.str_at(p).map(str::to_string);
    let n = |p: &str| obj.i64_at(p).map(|v| v.to_string());
    match obj.kind() {
        Some(Kind::Pod) => {
            let cs = obj.arr_at("status.containerStatuses");
            let ready = cs.iter().filter(|c| c.bool_at("ready") == Some(true)).count();
            push("diagram.detail.ready", Some(format!("{ready}/{}", obj.arr_at("spec.containers").len())));
            let restarts: i64 = cs.iter().filter_map(|c| c.i64_at("restartCount")).sum();
            push("diagram.detail.restarts", Some(restarts.to_string()));
            push("diagram.detail.node", s("spec.nodeName"));
            push("diagram.detail.ip", s("status.podIP"));
            let images: Vec<&str> = obj.arr_at("spec.containers").iter().filter_map(|c| c.str_at("image")).collect();
            push("diagram.detail.image", Some(images.join(", ")));
        }
        Some(Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet) => {
            push("diagram.detail.replicas", n("spec.replicas"));
            push("diagram.detail.ready", n("status.readyReplicas").or(Some("0".into())));
            push("diagram.detail.selector", Some(labels_to_string(&crate::model::object::string_map(obj.path("spec.selector.matchLabels")))));
        }
        Some(Kind::DaemonSet) => {
            push("diagram.detail.replicas", n("status.desiredNumberScheduled"));
            push("diagram.detail.ready", n("status.numberReady"));
        }
        Some(Kind::Job) => {
            push("diagram.detail.completions", n("spec.completions"));
            push("diagram.detail.succeeded", n("status.succeeded"));
            push("diagram.detail.failed", n("status.failed"));
        }
        Some(Kind::CronJob) => push("diagram.detail.schedule", s("spec.schedule")),
        Some(Kind::Service) => {
            push("diagram.detail.type", s("spec.type").or(Some("ClusterIP".into())));
            push("diagram.detail.clusterIP", s("spec.clusterIP"));
            push("diagram.detail.ports", Some(ports(obj)));
            push("diagram.detail.selector", Some(labels_to_string(&crate::model::object::string_map(obj.path("spec.selector")))));
        }
        Some(Kind::Ingress) => {
            push("diagram.detail.class", s("spec.ingressClassName"));
            let hosts: Vec<&str> = obj.arr_at("spec.rules").iter().filter_map(|r| r.str_at("host")).collect();
            push("diagram.detail.hosts", Some(if hosts.is_empty() { "*".into() } else { hosts.join(", ") }));
        }
        Some(Kind::PersistentVolumeClaim) => {
            push("diagram.detail.capacity", s("status.capacity.storage").or(s("spec.resources.requests.storage")));
            push("diagram.detail.class", s("spec.storageClassName"));
            push("diagram.detail.volume", s("spec.volumeName"));
        }
        Some(Kind::PersistentVolume) => {
            push("diagram.detail.capacity", s("spec.capacity.storage"));
            push("diagram.detail.class", s("spec.storageClassName"));
            push("diagram.detail.reclaim", s("spec.persistentVolumeReclaimPolicy"));
        }
        Some(Kind::StorageClass) => {
            push("diagram.detail.provisioner", s("provisioner"));
            push("diagram.detail.binding", s("volumeBindingMode"));
        }
        Some(Kind::ConfigMap | Kind::Secret) => {
            let keys: Vec<crate::value::MapKey> = ["data", "binaryData"]
                .iter()
                .filter_map(|f| obj.path(f)?.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()))
                .flatten()
                .collect();
            push("diagram.detail.type", s("type"));
            push("diagram.detail.keys", Some(keys.join(", ")));
        }
        Some(Kind::Node) => {
            push("diagram.detail.cpu", s("status.allocatable.cpu"));
            push("diagram.detail.memory", s("status.allocatable.memory"));
            push("diagram.detail.version", s("status.nodeInfo.kubeletVersion"));
        }
        Some(Kind::Role | Kind::ClusterRole) => push("diagram.detail.rules", Some(obj.arr_at("rules").len().to_string())),
        Some(Kind::RoleBinding | Kind::ClusterRoleBinding) => {
            push("diagram.detail.role", Some(format!("{}/{}", obj.str_at("roleRef.kind").unwrap_or(""), obj.str_at("roleRef.name").unwrap_or(""))))
        }
        _ => {}
    }
    d
}

/// A rule as one short line: `get,list,watch pods,pods/log` (or the non-resource URLs).
pub fn rule_line(rule: &Value) -> String {
    let join = |p: &str| rule.arr_at(p).iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(",");
    let verbs = join("verbs");
    let urls = join("nonResourceURLs");
    let what = if !urls.is_empty() { urls } else { join("resources") };
    let names = join("resourceNames");
    if names.is_empty() {
        format!("{verbs} {what}")
    } else {
        format!("{verbs} {what} [{names}]")
    }
}
