//! One container's life as the kubelet drives it, in simulated time: pull (or "already present"),
//! create, start, run its program, exit, restart with the CrashLoopBackOff back-off (10 s doubling
//! to 5 min, pkg/kubelet/kuberuntime), image pull failures with ErrImagePull/ImagePullBackOff and
//! the same back-off. The container's status JSON is the state; every transition happens at a
//! computed time and emits the kubelet's events (pkg/kubelet/events, kuberuntime_container.go).

use super::runtime::{self, go_duration_ms, image_parts, Program};
use crate::model::clock::{rfc3339, EPOCH_SECS};
use crate::model::config::ConfigProblem;
use crate::model::events::EventSpec;
use crate::model::object::{field_str, set_field, Key, ObjExt};
use crate::value::{json, Map, Value};
use std::collections::HashSet;

pub const BACKOFF_START_MS: u64 = 10_000;
pub const BACKOFF_MAX_MS: u64 = 300_000;

/// Milliseconds of simulated time → RFC 3339.
pub fn ts(ms: u64) -> String {
    rfc3339(EPOCH_SECS + (ms / 1000) as i64)
}
/// RFC 3339 → milliseconds of simulated time (0 when unparsable or before the epoch).
pub fn ms_of(ts: Option<&str>) -> Option<u64> {
    let s = crate::model::clock::parse_rfc3339(ts?)?;
    Some(((s - EPOCH_SECS).max(0) as u64) * 1000)
}

/// `min(10s·2^(n-1), 5m)`: the wait before restart number `n+1` (n ≥ 1).
pub fn crash_backoff_ms(restarts: i64) -> u64 {
    if restarts <= 0 {
        return 1000;
    }
    let shift = (restarts - 1).min(16) as u32;
    BACKOFF_START_MS.saturating_mul(1u64 << shift).min(BACKOFF_MAX_MS)
}

/// What the pod-level sync gives each container step.
pub struct Ctx<'a> {
    pub key: &'a Key,
    pub uid: &'a str,
    pub pod_name: &'a str,
    pub pod_namespace: &'a str,
    pub now: u64,
    pub restart_policy: &'a str,
    /// Whether the pod belongs to a Job (asked only by a container that runs: most syncs start
    /// or pull and never ask, and the answer reads the pod's owners and labels).
    pub in_job: &'a dyn Fn() -> bool,
    pub node_images: &'a HashSet<&'a str>,
    pub config: Option<&'a ConfigProblem>,
    /// (reason, message) pairs of events already recorded about this pod.
    pub seen: &'a dyn Fn(&str, &str) -> bool,
    pub events: Vec<EventSpec>,
    pub wake: Option<u64>,
    pub pulled: Vec<(String, u64)>,
}

impl Ctx<'_> {
    /// `<name>_<namespace>(<uid>)`, as the kubelet names a pod in its messages.
    fn pod_ref(&self) -> String {
        format!("{}_{}({})", self.pod_name, self.pod_namespace, self.uid)
    }
    fn wake_at(&mut self, t: u64) {
        if t > self.now {
            self.wake = Some(self.wake.map_or(t, |w| w.min(t)));
        }
    }
    fn normal(&mut self, reason: &'static str, msg: String) {
        self.events.push(EventSpec::normal(self.key.clone(), "kubelet", reason, msg));
    }
    fn warning(&mut self, reason: impl Into<std::borrow::Cow<'static, str>>, msg: String) {
        self.events.push(EventSpec::warning(self.key.clone(), "kubelet", reason, msg));
    }
}

fn pull_policy(spec: &Value) -> &str {
    if let Some(p) = field_str(spec, "imagePullPolicy") {
        return p;
    }
    let image = field_str(spec, "image").unwrap_or("");
    if image_parts(image).tag == "latest" && !image.contains('@') { "Always" } else { "IfNotPresent" }
}

fn program_of(spec: &Value, in_job: bool) -> Program {
    let strs = |p: &str| spec.arr_at(p).iter().filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>();
    runtime::program(field_str(spec, "image").unwrap_or(""), &strs("command"), &strs("args"), in_job)
}

pub fn program_for(spec: &Value, in_job: bool) -> Program {
    program_of(spec, in_job)
}

/// A fresh status for a container the kubelet has not started yet.
pub fn waiting_status(spec: &Value, reason: &str) -> Value {
    let field = |f: &str| Value::String(field_str(spec, f).unwrap_or("").into());
    // `json!` of these fields, its keys inserted in descending order: a map's node keeps its keys
    // sorted, so each insert compares one key (`json!` compared each with all before it).
    let mut m = Map::new();
    m.insert("state".into(), waiting_state(reason, None));
    m.insert("started".into(), Value::Bool(false));
    m.insert("restartCount".into(), Value::from(0));
    m.insert("ready".into(), Value::Bool(false));
    m.insert("name".into(), field("name"));
    m.insert("lastState".into(), Value::Object(Map::new()));
    m.insert("imageID".into(), Value::String(Default::default()));
    m.insert("image".into(), field("image"));
    Value::Object(m)
}

/// Whether the state is exactly `{"waiting": {"reason": reason}}` (`waiting_state(reason, None)`).
fn waits_as(st: &Value, reason: &str) -> bool {
    match st.get("state") {
        Some(Value::Object(s)) if s.len() == 1 => match s.get("waiting") {
            Some(Value::Object(w)) => w.len() == 1 && w.get("reason").and_then(Value::as_str) == Some(reason),
            _ => false,
        },
        _ => false,
    }
}

/// `{"waiting": {"reason": reason, "message": message}}` (`json!` of it, built directly).
pub fn waiting_state(reason: &str, message: Option<String>) -> Value {
    let mut w = Map::new();
    w.insert("reason".into(), Value::String(reason.into()));
    if let Some(msg) = message {
        w.insert("message".into(), Value::String(msg.into()));
    }
    let mut m = Map::new();
    m.insert("waiting".into(), Value::Object(w));
    Value::Object(m)
}

pub fn state_kind(st: &Value) -> &str {
    // One field: read from the map (not a dotted path).
    match st.get("state") {
        Some(s) if s.get("running").is_some() => "running",
        Some(s) if s.get("terminated").is_some() => "terminated",
        _ => "waiting",
    }
}
pub fn waiting_reason(st: &Value) -> &str {
    st.str_at("state.waiting.reason").unwrap_or("")
}


/// Starts (or restarts) a container at `at` ms: Created + Started, state running.
fn start(ctx: &mut Ctx, spec: &Value, st: &mut Value, at: u64) {
    let name = field_str(spec, "name").unwrap_or("").to_string();
    let restarts = st.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
    let image = field_str(spec, "image").unwrap_or("");
    set_field(st, "image", json!(image_parts(image).full()));
    set_field(st, "imageID", json!(runtime::image_id(image)));
    set_field(st, "containerID", json!(runtime::container_id(ctx.uid, &name, restarts)));
    set_field(st, "state", json!({"running": {"startedAt": ts(at)}}));
    set_field(st, "started", json!(true));
    set_field(st, "ready", json!(false));
    ctx.normal("Created", format!("Created container: {name}"));
    ctx.normal("Started", format!("Started container {name}"));
}

/// The pull step's event(s) when the image is there or pulled instantly (restarts).
fn pull_events_now(ctx: &mut Ctx, spec: &Value) -> Result<(), String> {
    let image = field_str(spec, "image").unwrap_or("");
    let r = runtime::pull(image);
    let policy = pull_policy(spec);
    let present = ctx.node_images.contains(image_parts(image).full().as_str());
    if policy != "Always" && present {
        ctx.normal("Pulled", format!("Container image \"{image}\" already present on machine"));
        return Ok(());
    }
    if policy == "Never" {
        return Err(format!("Container image \"{image}\" is not present with pull policy of Never"));
    }
    let size = r?;
    let d = runtime::pull_ms(&format!("{}{}{}", ctx.uid, image, ctx.now)) / 3;
    ctx.normal("Pulling", format!("Pulling image \"{image}\""));
    ctx.normal("Pulled", format!("Successfully pulled image \"{image}\" in {} ({} including waiting). Image size: {size} bytes.", go_duration_ms(d), go_duration_ms(d)));
    Ok(())
}

/// Advances one container from its stored status to what it is at `ctx.now`, looping through every
/// transition that is due. `anchor`: when the kubelet may begin this container (pull start).
/// Returns true when the container has finished for good (init done, or terminal).
pub fn step(ctx: &mut Ctx, spec: &Value, st: &mut Value, anchor: u64, init: bool) -> bool {
    let name = field_str(spec, "name").unwrap_or("");
    let image = field_str(spec, "image").unwrap_or("");
    let sidecar = init && field_str(spec, "restartPolicy") == Some("Always");
    let policy = if sidecar { "Always" } else if init && ctx.restart_policy == "Always" { "OnFailure" } else { ctx.restart_policy };
    for _ in 0..16 {
        match state_kind(st) {
            "waiting" => {
                // The reasons handled below, as constants (the status is written in the arms).
                const HANDLED: &[&str] = &["ContainerCreating", "PodInitializing", "", "CreateContainerConfigError", "ErrImagePull", "ImagePullBackOff", "CrashLoopBackOff"];
                let Some(&reason) = HANDLED.iter().find(|r| **r == waiting_reason(st)) else { return false };
                match reason {
                    "ContainerCreating" | "PodInitializing" | "" => {
                        if ctx.now < anchor {
                            ctx.wake_at(anchor);
                            return false;
                        }
                        let pol = pull_policy(spec);
                        let full = image_parts(image).full();
                        let present = ctx.node_images.contains(full.as_str());
                        let d = if pol != "Always" && present { 0 } else { runtime::pull_ms_parts(&[ctx.uid, "/", name, "/", image]) };
                        // Whether the pull began already (its Pulling event is recorded) matters
                        // only for an image to pull: one already present reads no events.
                        let pull_msg = || format!("Pulling image \"{image}\"");
                        if d > 0 && !(ctx.seen)("Pulling", &pull_msg()) {
                            if pol == "Never" {
                                let msg = format!("Container image \"{image}\" is not present with pull policy of Never");
                                st["state"] = json!({"waiting": {"reason": "ErrImageNeverPull", "message": msg}});
                                ctx.warning("ErrImageNeverPull", msg);
                                ctx.warning("Failed", "Error: ErrImageNeverPull".into());
                                return false;
                            }
                            ctx.normal("Pulling", pull_msg());
                            // Init containers wait as PodInitializing (convertToAPIContainerStatuses).
                            let reason = if init { "PodInitializing" } else { "ContainerCreating" };
                            // Most often already so (a fresh status waits as ContainerCreating).
                            if !waits_as(st, reason) {
                                st["state"] = waiting_state(reason, None);
                            }
                        }
                        let done = anchor + d;
                        if ctx.now < done {
                            ctx.wake_at(done);
                            return false;
                        }
                        match runtime::pull(image) {
                            Err(e) => {
                                fail_pull(ctx, st, image, &e);
                                continue;
                            }
                            Ok(size) => {
                                if d == 0 {
                                    ctx.normal("Pulled", format!("Container image \"{image}\" already present on machine"));
                                } else {
                                    ctx.normal("Pulled", format!("Successfully pulled image \"{image}\" in {} ({} including waiting). Image size: {size} bytes.", go_duration_ms(d), go_duration_ms(d)));
                                    ctx.pulled.push((full, size));
                                }
                            }
                        }
                        if let Some(p) = ctx.config.filter(|p| p.reason == "CreateContainerConfigError") {
                            st["state"] = json!({"waiting": {"reason": "CreateContainerConfigError", "message": p.message}});
                            ctx.warning(p.event_reason.clone(), p.event_message.clone());
                            return false;
                        }
                        start(ctx, spec, st, done.max(anchor));
                    }
                    "CreateContainerConfigError" => {
                        if ctx.config.is_some_and(|p| p.reason == "CreateContainerConfigError") {
                            return false;
                        }
                        ctx.normal("Pulled", format!("Container image \"{image}\" already present on machine"));
                        start(ctx, spec, st, ctx.now);
                    }
                    "ErrImagePull" | "ImagePullBackOff" => {
                        let Some((phase, at)) = pull_retry_phase(ctx, name, image, anchor) else { return false };
                        if phase == reason {
                            return false;
                        }
                        if phase == "ErrImagePull" {
                            ctx.normal("Pulling", format!("Pulling image \"{image}\""));
                            match runtime::pull(image) {
                                Err(e) => {
                                    fail_pull(ctx, st, image, &e);
                                    return false;
                                }
                                Ok(size) => {
                                    ctx.normal("Pulled", format!("Successfully pulled image \"{image}\" in 1.1s (1.1s including waiting). Image size: {size} bytes."));
                                    start(ctx, spec, st, at);
                                }
                            }
                        } else {
                            let err = st.str_at("state.waiting.message").unwrap_or("").to_string();
                            st["state"] = json!({"waiting": {"reason": "ImagePullBackOff", "message": format!("Back-off pulling image \"{image}\": ErrImagePull: {err}")}});
                            ctx.normal("BackOff", format!("Back-off pulling image \"{image}\""));
                            ctx.warning("Failed", "Error: ImagePullBackOff".into());
                            return false;
                        }
                    }
                    "CrashLoopBackOff" => {
                        let restarts = st.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
                        let fin = ms_of(st.str_at("lastState.terminated.finishedAt")).unwrap_or(ctx.now);
                        let at = fin + crash_backoff_ms(restarts);
                        if ctx.now < at {
                            ctx.wake_at(at);
                            return false;
                        }
                        restart(ctx, spec, st, at);
                    }
                    _ => return false,
                }
            }
            "running" => {
                let started = ms_of(st.str_at("state.running.startedAt")).unwrap_or(ctx.now);
                let program = program_of(spec, (ctx.in_job)());
                let ready_at = started + spec.i64_at("readinessProbe.initialDelaySeconds").unwrap_or(0).max(0) as u64 * 1000;
                if ctx.now >= ready_at {
                    st["ready"] = json!(!init || sidecar);
                } else {
                    ctx.wake_at(ready_at);
                }
                match program.exit {
                    Some((after, code)) if ctx.now >= started + after => {
                        let cid = st.get("containerID").cloned().unwrap_or(Value::Null);
                        st["state"] = json!({"terminated": {
                            "exitCode": code, "reason": if code == 0 { "Completed" } else { "Error" },
                            "startedAt": ts(started), "finishedAt": ts(started + after), "containerID": cid,
                        }});
                        st["ready"] = json!(false);
                        st["started"] = json!(false);
                    }
                    Some((after, _)) => {
                        ctx.wake_at(started + after);
                        return sidecar;
                    }
                    None => return sidecar,
                }
            }
            _ => {
                let code = st.i64_at("state.terminated.exitCode").unwrap_or(0);
                let restarts = policy == "Always" || policy == "OnFailure" && code != 0;
                if !restarts {
                    return code == 0 || !init;
                }
                let fin = ms_of(st.str_at("state.terminated.finishedAt")).unwrap_or(ctx.now);
                let n = st.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
                if n == 0 {
                    // The first restart comes at the next sync, before any back-off.
                    let at = fin + 1000;
                    if ctx.now < at {
                        ctx.wake_at(at);
                        return false;
                    }
                    restart(ctx, spec, st, at);
                    continue;
                }
                let at = fin + 1000;
                if ctx.now < at {
                    ctx.wake_at(at);
                    return false;
                }
                let delay = crash_backoff_ms(n);
                let last = st.path("state.terminated").cloned().unwrap_or(Value::Null);
                st["lastState"] = json!({"terminated": last});
                st["state"] = json!({"waiting": {"reason": "CrashLoopBackOff", "message": format!("back-off {} restarting failed container={name} pod={}", go_duration_ms(delay), ctx.pod_ref())}});
                ctx.warning("BackOff", format!("Back-off restarting failed container {name} in pod {}", ctx.pod_ref()));
            }
        }
    }
    false
}

fn restart(ctx: &mut Ctx, spec: &Value, st: &mut Value, at: u64) {
    if let Some(t) = st.path("state.terminated").cloned() {
        st["lastState"] = json!({"terminated": t});
    }
    let n = st.get("restartCount").and_then(Value::as_i64).unwrap_or(0) + 1;
    st["restartCount"] = json!(n);
    if let Err(e) = pull_events_now(ctx, spec) {
        let image = field_str(spec, "image").unwrap_or("").to_string();
        fail_pull(ctx, st, &image, &e);
        return;
    }
    start(ctx, spec, st, at);
}

fn fail_pull(ctx: &mut Ctx, st: &mut Value, image: &str, err: &str) {
    st["state"] = json!({"waiting": {"reason": "ErrImagePull", "message": err}});
    ctx.warning("Failed", format!("Failed to pull image \"{image}\": {err}"));
    ctx.warning("Failed", "Error: ErrImagePull".into());
}

/// Where the image-pull retry schedule is at `now`: ErrImagePull for a second after each failed
/// attempt, then ImagePullBackOff until the next attempt (back-off 10 s doubling to 5 min).
fn pull_retry_phase(ctx: &mut Ctx, name: &str, image: &str, anchor: u64) -> Option<(&'static str, u64)> {
    let d = runtime::pull_ms_parts(&[ctx.uid, "/", name, "/", image]);
    let mut fail = anchor + d;
    let mut backoff = BACKOFF_START_MS;
    for _ in 0..100_000 {
        if ctx.now < fail {
            ctx.wake_at(fail);
            return None;
        }
        if ctx.now < fail + 1000 {
            ctx.wake_at(fail + 1000);
            return Some(("ErrImagePull", fail));
        }
        let next = fail + backoff;
        if ctx.now < next + d {
            ctx.wake_at(next + d);
            return Some(("ImagePullBackOff", fail));
        }
        fail = next + d;
        backoff = (backoff * 2).min(BACKOFF_MAX_MS);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn backoff_doubles_to_five_minutes() {
        assert_eq!(crash_backoff_ms(1), 10_000);
        assert_eq!(crash_backoff_ms(2), 20_000);
        assert_eq!(crash_backoff_ms(5), 160_000);
        assert_eq!(crash_backoff_ms(6), 300_000);
        assert_eq!(crash_backoff_ms(60), 300_000);
        assert_eq!(ts(1500), "2026-01-05T09:00:01Z");
        assert_eq!(ms_of(Some("2026-01-05T09:00:01Z")), Some(1000));
    }
    #[test]
    fn waiting_status_as_json_builds_it() {
        let spec = json!({"name": "web", "image": "nginx:1.27"});
        let want = json!({
            "name": "web", "image": "nginx:1.27", "imageID": "", "lastState": {}, "ready": false,
            "restartCount": 0, "started": false, "state": {"waiting": {"reason": "ContainerCreating"}},
        });
        let got = waiting_status(&spec, "ContainerCreating");
        assert_eq!(got, want);
        assert_eq!(got.to_string(), want.to_string());
        assert_eq!(waiting_status(&json!({}), "PodInitializing"), json!({
            "name": "", "image": "", "imageID": "", "lastState": {}, "ready": false,
            "restartCount": 0, "started": false, "state": {"waiting": {"reason": "PodInitializing"}},
        }));
        assert_eq!(waiting_state("E", Some("m".into())), json!({"waiting": {"reason": "E", "message": "m"}}));
        assert!(waits_as(&got, "ContainerCreating") && !waits_as(&got, "PodInitializing"));
        assert!(!waits_as(&json!({"state": {"waiting": {"reason": "ContainerCreating", "message": "m"}}}), "ContainerCreating"));
        assert!(!waits_as(&json!({"state": {"waiting": {"reason": "ContainerCreating"}, "running": {}}}), "ContainerCreating"));
    }
}

/// `getPhase`: Pending while initializing or any container waits without having run; Running while
/// any runs (or restarts under Always); Succeeded/Failed once all have stopped for good.
pub fn pod_phase(restart_policy: &str, initialized: bool, init_failed: bool, statuses: &[Value]) -> &'static str {
    if init_failed {
        return "Failed";
    }
    if !initialized {
        return "Pending";
    }
    let (mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0);
    for s in statuses {
        match state_kind(s) {
            "running" => running += 1,
            "terminated" => {
                stopped += 1;
                if s.i64_at("state.terminated.exitCode") == Some(0) {
                    succeeded += 1;
                }
            }
            _ => {
                if s.path("lastState.terminated").is_some() {
                    stopped += 1;
                } else {
                    waiting += 1;
                }
            }
        }
    }
    if waiting > 0 {
        return "Pending";
    }
    if running > 0 {
        return "Running";
    }
    if stopped > 0 {
        if restart_policy == "Always" {
            return "Running";
        }
        if stopped == succeeded {
            return "Succeeded";
        }
        if restart_policy == "Never" {
            return "Failed";
        }
        let all_done = statuses.iter().all(|s| state_kind(s) == "terminated");
        return if all_done && stopped == succeeded { "Succeeded" } else { "Running" };
    }
    "Pending"
}
