//! The Job controller (`pkg/controller/job/job_controller.go`, `indexed_job_utils.go`,
//! `backoff_utils.go`) and the TTL-after-finished controller (`pkg/controller/ttlafterfinished`):
//! runs pods to `completions` with `parallelism`, counts finished pods through the
//! `batch.kubernetes.io/job-tracking` finalizer, backs off after failures, and ends with
//! SuccessCriteriaMet+Complete or FailureTarget+Failed as v1.34 does.

use super::workload_util::{self as u};
use crate::model::clock::parse_rfc3339;
use crate::model::events::EventSpec;
use crate::model::object::{set_path, Key, ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Clock, Kind, Propagation, Reconciled};
use crate::value::{json, Map, Value};
use std::collections::{BTreeSet, HashSet};

const SOURCE: &str = "job-controller";
pub const TRACKING: &str = "batch.kubernetes.io/job-tracking";
pub const INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// `DefaultJobPodFailureBackOff` and `MaxJobPodFailureBackOff`.
const BACKOFF_S: i64 = 10;
const MAX_BACKOFF_S: i64 = 360;
const BURST: i64 = 500;

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    let mut taken = HashSet::new();
    for job in store.list(Kind::Job) {
        if let Some(key) = job.key() {
            sync(store, clock, job, key, &mut taken, &mut out);
        }
    }
    out
}

/// The condition of `ctype` if its status is True.
pub fn true_condition<'a>(job: &'a Object, ctype: &str) -> Option<&'a Value> {
    job.arr_at("status.conditions").iter().find(|c| c.str_at("type") == Some(ctype) && c.str_at("status") == Some("True"))
}

/// Complete or Failed: the Job is over (`IsJobFinished`).
pub fn finished(job: &Object) -> Option<&'static str> {
    if true_condition(job, "Complete").is_some() {
        Some("Complete")
    } else if true_condition(job, "Failed").is_some() {
        Some("Failed")
    } else {
        None
    }
}

fn sync(store: &Store, clock: &Clock, job: &Object, key: Key, taken: &mut HashSet<String>, out: &mut Reconciled) {
    let pods = u::owned(store, job, Kind::Pod);
    let now = clock.timestamp();
    let indexed = job.str_at("spec.completionMode") == Some("Indexed");
    let completions = job.i64_at("spec.completions");
    let mut st: Map = job.path("status").and_then(|s| s.as_object()).cloned().unwrap_or_default();
    let mut succeeded = st.get("succeeded").and_then(|v| v.as_i64()).unwrap_or(0);
    let mut failed = st.get("failed").and_then(|v| v.as_i64()).unwrap_or(0);
    let mut done_indexes = parse_indexes(st.get("completedIndexes").and_then(|v| v.as_str()).unwrap_or(""), completions.unwrap_or(0));

    // Count finished pods once: drop the tracking finalizer and add them to the totals. Pods
    // removed because the Job was suspended or already succeeded are not failures.
    let not_failures = job.bool_at("spec.suspend") == Some(true) || true_condition(job, "SuccessCriteriaMet").is_some();
    let mut last_failure: Option<i64> = None;
    for p in &pods {
        let phase = p.str_at("status.phase");
        let terminal = matches!(phase, Some("Succeeded") | Some("Failed"));
        if phase == Some("Failed") || (p.is_deleting() && !terminal && !not_failures) {
            let t = finished_at(p).unwrap_or(clock.now_secs());
            last_failure = Some(last_failure.map_or(t, |l| l.max(t)));
        }
        let tracked = p.arr_at("metadata.finalizers").iter().any(|f| f.as_str() == Some(TRACKING));
        if !tracked || !(terminal || p.is_deleting()) {
            continue;
        }
        if phase == Some("Succeeded") {
            match pod_index(p) {
                Some(i) if indexed => {
                    if done_indexes.insert(i) {
                        succeeded += 1;
                    }
                }
                _ => succeeded += 1,
            }
        } else if terminal || !not_failures {
            failed += 1;
        }
        let mut n = (*p).clone();
        let fins: Vec<Value> = p.arr_at("metadata.finalizers").iter().filter(|f| f.as_str() != Some(TRACKING)).cloned().collect();
        set_path(&mut n, "metadata.finalizers", Value::Array(fins));
        let unscheduled = p.str_at("spec.nodeName").is_none_or(|n| n.is_empty());
        out.push(Action::Update(n));
        if p.is_deleting() && (unscheduled || terminal) && p.arr_at("metadata.finalizers").len() == 1 {
            if let Some(k) = p.key() {
                out.push(Action::Remove(k));
            }
        }
    }
    let active: Vec<&Object> = pods.iter().copied().filter(|p| u::pod_active(p)).collect();
    let terminating = pods.iter().filter(|p| p.is_deleting() && !matches!(p.str_at("status.phase"), Some("Succeeded") | Some("Failed"))).count() as i64;
    let ready = active.iter().filter(|p| u::pod_ready(p)).count() as i64;
    let mut conds: Vec<Value> = st.get("conditions").and_then(|c| c.as_array()).cloned().unwrap_or_default();
    let finished_before = finished(job).is_some();

    if !finished_before && !job.is_deleting() {
        let suspended = job.bool_at("spec.suspend") == Some(true);
        if !suspended && !st.contains_key("startTime") {
            st.insert("startTime".into(), json!(now));
        }
        let start = st.get("startTime").and_then(|s| s.as_str()).and_then(parse_rfc3339);
        // Has the Job failed or succeeded (the "target" conditions come first in 1.31+)?
        let has = |conds: &[Value], t: &str| conds.iter().any(|c| c.str_at("type") == Some(t) && c.str_at("status") == Some("True"));
        if !has(&conds, "FailureTarget") && !has(&conds, "SuccessCriteriaMet") {
            let backoff_limit = job.i64_at("spec.backoffLimit").unwrap_or(6);
            let deadline = job.i64_at("spec.activeDeadlineSeconds");
            if failed > backoff_limit {
                set_cond(&mut conds, "FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", &now);
            } else if let (Some(d), Some(s), false) = (deadline, start, suspended) {
                if clock.now_secs() >= s.saturating_add(d) {
                    set_cond(&mut conds, "FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline", &now);
                } else {
                    out.requeue(u::secs_to_ms(s.saturating_add(d)));
                }
            }
            let success = match (indexed, completions) {
                (true, Some(c)) => done_indexes.len() as i64 >= c,
                (false, Some(c)) => succeeded >= c,
                (_, None) => succeeded > 0 && active.is_empty(),
            };
            if !has(&conds, "FailureTarget") && success {
                set_cond(&mut conds, "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", &now);
            }
        }
        let ending = has(&conds, "FailureTarget") || has(&conds, "SuccessCriteriaMet");
        if ending || suspended {
            // Remove what is still running; finish once nothing is left.
            for p in &active {
                if let Some(k) = p.key() {
                    out.push(Action::Delete(k, Propagation::Background));
                    if !ending {
                        continue;
                    }
                    out.push(Action::Event(EventSpec::normal(key.clone(), SOURCE, "SuccessfulDelete", format!("Deleted pod: {}", p.name()))));
                }
            }
            if ending && active.is_empty() && terminating == 0 {
                if let Some(t) = conds.iter().find(|c| c.str_at("type") == Some("FailureTarget")).cloned() {
                    let (r, m) = (t.str_at("reason").unwrap_or("").to_string(), t.str_at("message").unwrap_or("").to_string());
                    set_cond(&mut conds, "Failed", &r, &m, &now);
                    out.push(Action::Event(EventSpec::warning(key.clone(), SOURCE, r, m)));
                } else {
                    set_cond(&mut conds, "Complete", "CompletionsReached", "Reached expected number of succeeded pods", &now);
                    st.insert("completionTime".into(), json!(now));
                    out.push(Action::Event(EventSpec::normal(key.clone(), SOURCE, "Completed", "Job completed")));
                }
            }
            if suspended && !ending {
                if !has(&conds, "Suspended") {
                    set_cond(&mut conds, "Suspended", "JobSuspended", "Job suspended", &now);
                    out.push(Action::Event(EventSpec::normal(key.clone(), SOURCE, "Suspended", "Job suspended")));
                }
            }
        } else {
            if let Some(c) = conds.iter_mut().find(|c| c.str_at("type") == Some("Suspended") && c.str_at("status") == Some("True")) {
                *c = json!({"type":"Suspended","status":"False","lastProbeTime":now,"lastTransitionTime":now,"reason":"JobResumed","message":"Job resumed"});
                out.push(Action::Event(EventSpec::normal(key.clone(), SOURCE, "Resumed", "Job resumed")));
            }
            manage(store, clock, job, &key, &active, failed, last_failure, &done_indexes, succeeded, taken, out);
        }
    }

    // Status as the API shows it: ready and terminating always present, counts omitted at zero.
    put_opt(&mut st, "active", active.len() as i64);
    put_opt(&mut st, "succeeded", succeeded);
    put_opt(&mut st, "failed", failed);
    st.insert("ready".into(), json!(ready));
    st.insert("terminating".into(), json!(terminating));
    if indexed && !done_indexes.is_empty() {
        st.insert("completedIndexes".into(), json!(format_indexes(&done_indexes)));
    }
    if !conds.is_empty() {
        st.insert("conditions".into(), Value::Array(conds));
    }
    st.insert("uncountedTerminatedPods".into(), json!({}));
    let status = Value::Object(st);
    if job.path("status") != Some(&status) {
        out.push(Action::UpdateStatus(key.clone(), status.clone()));
    }
    ttl(job, &status, clock, key, out);
}

/// Creates pods up to parallelism (respecting what is left to complete and the failure back-off).
#[allow(clippy::too_many_arguments)]
fn manage(store: &Store, clock: &Clock, job: &Object, key: &Key, active: &[&Object], failed: i64, last_failure: Option<i64>, done: &BTreeSet<i64>, succeeded: i64, taken: &mut HashSet<String>, out: &mut Reconciled) {
    let parallelism = job.i64_at("spec.parallelism").unwrap_or(1).max(0);
    let completions = job.i64_at("spec.completions");
    let indexed = job.str_at("spec.completionMode") == Some("Indexed");
    let want_active = match completions {
        Some(c) if !indexed => parallelism.min((c - succeeded).max(0)),
        Some(c) => parallelism.min((c - done.len() as i64).max(0)),
        None => {
            if succeeded > 0 {
                active.len() as i64
            } else {
                parallelism
            }
        }
    };
    if active.len() as i64 > want_active && !indexed {
        let extra = active.len() as i64 - want_active;
        for p in super::replicaset::pods_to_delete(active.to_vec(), extra as usize) {
            if let Some(k) = p.key() {
                out.push(Action::Delete(k, Propagation::Background));
                out.push(Action::Event(EventSpec::normal(key.clone(), SOURCE, "SuccessfulDelete", format!("Deleted pod: {}", p.name()))));
            }
        }
        return;
    }
    let missing = (want_active - active.len() as i64).clamp(0, BURST);
    if missing == 0 || u::failed_create_now(store, job, clock, out) {
        return;
    }
    // Back-off: 10s doubling per failure, at most 6 minutes, from the last failure.
    if let (true, Some(lf)) = (failed > 0, last_failure) {
        let delay = BACKOFF_S.saturating_mul(1i64 << (failed - 1).clamp(0, 10)).min(MAX_BACKOFF_S);
        if clock.now_secs() < lf.saturating_add(delay) {
            out.requeue(u::secs_to_ms(lf.saturating_add(delay)));
            return;
        }
    }
    let indexes: Vec<Option<i64>> = if indexed {
        let busy: BTreeSet<i64> = active.iter().filter_map(|p| pod_index(p)).collect();
        (0..completions.unwrap_or(0).min(100_000)).filter(|i| !done.contains(i) && !busy.contains(i)).take(missing as usize).map(Some).collect()
    } else {
        (0..missing).map(|_| None).collect()
    };
    for idx in indexes {
        let prefix = match idx {
            Some(i) => format!("{}-{i}-", job.name()),
            None => format!("{}-", job.name()),
        };
        let name = u::generate_name(store, Kind::Pod, job.namespace(), &prefix, &format!("{}/{idx:?}/{}", job.uid(), taken.len()), taken);
        let mut pod = u::pod_from_template(job.path("spec.template"), job, Some(&prefix), &name);
        let mut fins: Vec<Value> = pod.arr_at("metadata.finalizers").to_vec();
        fins.push(json!(TRACKING));
        set_path(&mut pod, "metadata.finalizers", Value::Array(fins));
        if let Some(i) = idx {
            u::set_annotation(&mut pod, INDEX, &i.to_string());
            let mut labels = pod.path("metadata.labels").cloned().unwrap_or(json!({}));
            if let Some(m) = labels.as_object_mut() {
                m.insert(INDEX.into(), json!(i.to_string()));
            }
            set_path(&mut pod, "metadata.labels", labels);
            set_path(&mut pod, "spec.hostname", json!(format!("{}-{i}", job.name())));
            add_index_env(&mut pod, i);
        }
        out.push(u::create_reporting(key, SOURCE, pod, format!("Created pod: {name}")));
    }
}

/// `JOB_COMPLETION_INDEX` in every container, from the annotation (`addCompletionIndexEnvVariables`).
fn add_index_env(pod: &mut Object, _i: i64) {
    for list in ["spec.containers", "spec.initContainers"] {
        if let Some(cs) = crate::model::object::path_mut(pod, list).and_then(|c| c.as_array_mut()) {
            for c in cs {
                let env = json!({"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {"fieldPath": format!("metadata.annotations['{INDEX}']")}}});
                match c.get_mut("env").and_then(|e| e.as_array_mut()) {
                    Some(e) => e.push(env),
                    None => {
                        if let Some(m) = c.as_object_mut() {
                            m.insert("env".into(), json!([env]));
                        }
                    }
                }
            }
        }
    }
}

/// ttlSecondsAfterFinished: delete the Job that long after it finished.
fn ttl(job: &Object, status: &Value, clock: &Clock, key: Key, out: &mut Reconciled) {
    let Some(t) = job.i64_at("spec.ttlSecondsAfterFinished") else { return };
    if job.is_deleting() {
        return;
    }
    let cond = status.arr_at("conditions").iter().find(|c| matches!(c.str_at("type"), Some("Complete") | Some("Failed")) && c.str_at("status") == Some("True"));
    let Some(at) = cond.and_then(|c| c.str_at("lastTransitionTime")).and_then(parse_rfc3339) else { return };
    let due = at.saturating_add(t.max(0));
    if clock.now_secs() >= due {
        out.push(Action::Delete(key, Propagation::Background));
    } else {
        out.requeue(u::secs_to_ms(due));
    }
}

fn set_cond(conds: &mut Vec<Value>, ctype: &str, reason: &str, message: &str, now: &str) {
    conds.retain(|c| c.str_at("type") != Some(ctype));
    conds.push(json!({"type": ctype, "status": "True", "lastProbeTime": now, "lastTransitionTime": now, "reason": reason, "message": message}));
}

fn put_opt(st: &mut Map, k: &str, n: i64) {
    if n != 0 {
        st.insert(k.into(), json!(n));
    } else {
        st.remove(k);
    }
}

fn pod_index(p: &Object) -> Option<i64> {
    p.annotation(INDEX).and_then(|i| i.parse().ok())
}

/// When the pod's containers ended (latest `finishedAt`), for the back-off clock.
fn finished_at(p: &Object) -> Option<i64> {
    p.arr_at("status.containerStatuses").iter().filter_map(|c| c.str_at("state.terminated.finishedAt").and_then(parse_rfc3339)).max()
}

/// `1,3-5` → {1,3,4,5}, ignoring what is out of range.
pub fn parse_indexes(s: &str, completions: i64) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        if let (Ok(a), Ok(b)) = (a.parse::<i64>(), b.parse::<i64>()) {
            for i in a.max(0)..=b.min(completions.saturating_sub(1)).min(a + 100_000) {
                out.insert(i);
            }
        }
    }
    out
}

/// {1,3,4,5} → `1,3-5` (`completedIndexes`).
pub fn format_indexes(s: &BTreeSet<i64>) -> String {
    let mut parts = Vec::new();
    let mut it = s.iter().copied().peekable();
    while let Some(a) = it.next() {
        let mut b = a;
        while it.peek() == Some(&(b + 1)) {
            b += 1;
            it.next();
        }
        parts.push(if a == b { a.to_string() } else { format!("{a}-{b}") });
    }
    parts.join(",")
}

#[cfg(test)]
#[path = "job_tests.rs"]
mod tests;
