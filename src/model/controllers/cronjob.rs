//! The CronJob controller (`pkg/controller/cronjob/cronjob_controllerv2.go`, `utils.go`): creates
//! Jobs named `<cronjob>-<scheduled minutes since the epoch>` at each schedule time, honouring
//! concurrencyPolicy, suspend, startingDeadlineSeconds, timeZone and the history limits, and asks
//! to run again at the next schedule time so `advance 1h` fires every run in order.

pub use super::cron::Schedule;
use super::job::finished;
use super::workload_util::{self as u};
use crate::model::clock::{parse_rfc3339, rfc3339, Clock};
use crate::model::events::EventSpec;
use crate::model::object::{Key, ObjExt, Object};
use crate::model::store::Store;
use crate::model::{Action, Kind, Propagation, Reconciled};
use crate::value::{json, Map, Value};

const SOURCE: &str = "cronjob-controller";
pub const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/// Parses a CronJob schedule; the error is robfig/cron's text, as the API server quotes it.
pub fn parse_schedule(s: &str) -> Result<Schedule, String> {
    super::cron::parse(s)
}

pub fn reconcile(store: &Store, clock: &Clock) -> Reconciled {
    let mut out = Reconciled::default();
    for cj in store.list(Kind::CronJob) {
        if let Some(key) = cj.key() {
            sync(store, clock, cj, key, &mut out);
        }
    }
    out
}

fn ev(out: &mut Reconciled, key: &Key, warning: bool, reason: &'static str, msg: String) {
    let e = if warning { EventSpec::warning(key.clone(), SOURCE, reason, msg) } else { EventSpec::normal(key.clone(), SOURCE, reason, msg) };
    out.push(Action::Event(e));
}

fn job_ref(j: &Object) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "Job", "name": j.name(), "namespace": j.namespace(),
        "resourceVersion": j.str_at("metadata.resourceVersion").unwrap_or(""), "uid": j.uid()})
}

fn sync(store: &Store, clock: &Clock, cj: &Object, key: Key, out: &mut Reconciled) {
    let now = clock.now_secs();
    let mut st: Map = cj.path("status").and_then(|s| s.as_object()).cloned().unwrap_or_default();
    let mut active: Vec<Value> = cj.arr_at("status.active").to_vec();
    let jobs = u::owned(store, cj, Kind::Job);
    let in_active = |active: &[Value], uid: &str| active.iter().any(|a| a.str_at("uid") == Some(uid));
    let mut finished_jobs: Vec<(&Object, &str)> = Vec::new();
    for j in &jobs {
        match finished(j) {
            Some(cond) => {
                finished_jobs.push((j, cond));
                if in_active(&active, j.uid()) {
                    active.retain(|a| a.str_at("uid") != Some(j.uid()));
                    ev(out, &key, false, "SawCompletedJob", format!("Saw completed job: {}, condition: {cond}", j.name()));
                    if cond == "Complete" {
                        if let Some(t) = j.str_at("status.completionTime") {
                            let later = st.get("lastSuccessfulTime").and_then(|v| v.as_str()).is_none_or(|l| parse_rfc3339(l) < parse_rfc3339(t));
                            if later {
                                st.insert("lastSuccessfulTime".into(), json!(t));
                            }
                        }
                    }
                }
            }
            None => {
                if !in_active(&active, j.uid()) && !j.is_deleting() {
                    active.push(job_ref(j));
                }
            }
        }
    }
    // Jobs that went away without finishing.
    active.retain(|a| {
        let uid = a.str_at("uid").unwrap_or("");
        let there = jobs.iter().any(|j| j.uid() == uid);
        if !there {
            ev(out, &key, true, "MissingJob", format!("Active job went missing: {}", a.str_at("name").unwrap_or("")));
        }
        there
    });
    if !cj.is_deleting() {
        schedule(store, clock, cj, &key, &mut st, &mut active, now, out);
        cleanup(cj, &key, finished_jobs, out);
    }
    if active.is_empty() {
        st.remove("active");
    } else {
        st.insert("active".into(), Value::Array(active));
    }
    let status = Value::Object(st);
    if cj.path("status").unwrap_or(&json!({})) != &status {
        out.push(Action::UpdateStatus(key, status));
    }
}

/// Offset of the CronJob's `timeZone` (UTC when unset), or the event explaining why not.
fn offset(cj: &Object) -> Result<i64, String> {
    match cj.str_at("spec.timeZone") {
        None => Ok(0),
        Some(tz) => super::cron::zone_offset(tz).ok_or_else(|| format!("invalid timeZone: {tz:?}: unknown time zone {tz}")),
    }
}

#[allow(clippy::too_many_arguments)]
fn schedule(store: &Store, clock: &Clock, cj: &Object, key: &Key, st: &mut Map, active: &mut Vec<Value>, now: i64, out: &mut Reconciled) {
    let spec = cj.str_at("spec.schedule").unwrap_or("");
    let off = match offset(cj) {
        Ok(o) => o,
        Err(e) => return once(store, clock, cj, key, true, "UnknownTimeZone", e, out),
    };
    let sched = match parse_schedule(spec) {
        Ok(s) => s,
        Err(e) => return once(store, clock, cj, key, true, "UnparseableSchedule", format!("unparseable schedule: {spec:?} : {e}"), out),
    };
    if cj.bool_at("spec.suspend") == Some(true) {
        return;
    }
    let created = cj.str_at("metadata.creationTimestamp").and_then(parse_rfc3339).unwrap_or(now);
    let mut earliest = st.get("lastScheduleTime").and_then(|v| v.as_str()).and_then(parse_rfc3339).unwrap_or(created);
    let deadline = cj.i64_at("spec.startingDeadlineSeconds");
    if let Some(d) = deadline {
        earliest = earliest.max(now - d);
    }
    // mostRecentScheduleTime: the latest activation in (earliest, now].
    let mut most_recent = None;
    let mut t = earliest;
    for _ in 0..200_000 {
        match sched.next(t, off) {
            Some(n) if n <= now => {
                most_recent = Some(n);
                t = n;
            }
            _ => break,
        }
    }
    let requeue_next = |out: &mut Reconciled| {
        if let Some(n) = sched.next(now, off) {
            out.requeue(u::secs_to_ms(n));
        }
    };
    let Some(scheduled) = most_recent else {
        requeue_next(out);
        return;
    };
    requeue_next(out);
    if let Some(d) = deadline {
        if scheduled + d < now {
            return once(store, clock, cj, key, true, "MissSchedule", format!("Missed scheduled time to start a job: {}", rfc1123z(scheduled)), out);
        }
    }
    let name = format!("{}-{}", cj.name(), scheduled.div_euclid(60));
    let last = st.get("lastScheduleTime").and_then(|v| v.as_str()).and_then(parse_rfc3339);
    if last == Some(scheduled) || active.iter().any(|a| a.str_at("name") == Some(name.as_str())) {
        return;
    }
    match cj.str_at("spec.concurrencyPolicy").unwrap_or("Allow") {
        "Forbid" if !active.is_empty() => {
            return once(store, clock, cj, key, false, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid".into(), out);
        }
        "Replace" => {
            for a in active.drain(..) {
                let n = a.str_at("name").unwrap_or("").to_string();
                out.push(Action::Delete(Key::new(Kind::Job, cj.namespace(), &n), Propagation::Background));
                ev(out, key, false, "SuccessfulDelete", format!("Deleted job {n}"));
            }
        }
        _ => {}
    }
    if store.get_by(Kind::Job, cj.namespace(), &name).is_some() {
        // AlreadyExists: the job for this time was made before; just record the time.
        st.insert("lastScheduleTime".into(), json!(rfc3339(scheduled)));
        return;
    }
    out.push(Action::Create(job_from_template(cj, &name, scheduled, off)));
    ev(out, key, false, "SuccessfulCreate", format!("Created job {name}"));
    st.insert("lastScheduleTime".into(), json!(rfc3339(scheduled)));
}

/// `getJobFromTemplate2`: the jobTemplate's labels, annotations and spec, owned by the CronJob,
/// with the scheduled time (in the CronJob's zone) as an annotation.
fn job_from_template(cj: &Object, name: &str, scheduled: i64, off: i64) -> Object {
    let t = cj.path("spec.jobTemplate").cloned().unwrap_or(json!({}));
    let mut meta = json!({"name": name, "namespace": cj.namespace(), "ownerReferences": [u::controller_ref(cj)]});
    if let Some(l) = t.path("metadata.labels").filter(|l| l.is_object()) {
        meta["labels"] = l.clone();
    }
    let mut ann = t.path("metadata.annotations").and_then(|a| a.as_object()).cloned().unwrap_or_default();
    ann.insert(SCHEDULED_TIMESTAMP.into(), json!(rfc3339_offset(scheduled, off)));
    meta["annotations"] = Value::Object(ann);
    json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": t.path("spec").cloned().unwrap_or(json!({}))})
}

/// Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit (3) / failedJobsHistoryLimit (1).
fn cleanup(cj: &Object, key: &Key, mut done: Vec<(&Object, &str)>, out: &mut Reconciled) {
    crate::sort::by(&mut done, |a, b| a.0.str_at("status.startTime").cmp(&b.0.str_at("status.startTime")).then_with(|| a.0.name().cmp(b.0.name())));
    for (cond, field, default) in [("Complete", "spec.successfulJobsHistoryLimit", 3), ("Failed", "spec.failedJobsHistoryLimit", 1)] {
        let limit = cj.i64_at(field).unwrap_or(default).max(0) as usize;
        let list: Vec<&Object> = done.iter().filter(|(j, c)| *c == cond && !j.is_deleting()).map(|(j, _)| *j).collect();
        if list.len() > limit {
            for j in &list[..list.len() - limit] {
                if let Some(k) = j.key() {
                    out.push(Action::Delete(k, Propagation::Background));
                    ev(out, key, false, "SuccessfulDelete", format!("Deleted job {}", j.name()));
                }
            }
        }
    }
}

/// Records a warning only once per moment: the controller runs many times per settle, the real
/// one once per schedule time.
#[allow(clippy::too_many_arguments)]
fn once(store: &Store, clock: &Clock, cj: &Object, key: &Key, warning: bool, reason: &'static str, msg: String, out: &mut Reconciled) {
    let now = clock.timestamp();
    let prefix = format!("{}.", cj.name());
    let seen = store.list_prefix(Kind::Event, cj.namespace(), &prefix).any(|e| {
        e.str_at("involvedObject.uid") == Some(cj.uid()) && e.str_at("reason") == Some(reason) && e.str_at("lastTimestamp") == Some(now.as_str())
    });
    if !seen {
        ev(out, key, warning, reason, msg);
    }
}

/// `time.RFC1123Z`: `Mon, 05 Jan 2026 09:00:00 +0000`.
fn rfc1123z(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let r = rfc3339(secs);
    let (y, mo, d, time) = (&r[0..4], r[5..7].parse::<usize>().unwrap_or(1), &r[8..10], &r[11..19]);
    format!("{}, {d} {} {y} {time} +0000", DAYS[secs.div_euclid(86_400).rem_euclid(7) as usize], MONTHS[(mo.clamp(1, 12)) - 1])
}

/// RFC 3339 in a fixed offset (`2026-01-05T18:00:00+09:00`), `Z` for UTC.
fn rfc3339_offset(secs: i64, off: i64) -> String {
    if off == 0 {
        return rfc3339(secs);
    }
    let local = rfc3339(secs + off);
    let sign = if off < 0 { '-' } else { '+' };
    format!("{}{sign}{:02}:{:02}", &local[..19], off.abs() / 3600, off.abs() % 3600 / 60)
}

#[cfg(test)]
#[path = "cronjob_tests.rs"]
mod tests;
