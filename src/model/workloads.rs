//! What kubectl asks of workloads beyond plain CRUD: rollout status / history / undo / restart /
//! pause / resume, scale and set image — worded as kubectl v1.34 words them — and the Job
//! admission the API server does on create (generated selector and labels).

use super::api::{self, ApiError, Caller};
use super::controllers::deployment::{HASH_LABEL, REVISION};
use super::controllers::workload_util::{template_without_hash, templates_equal};
use super::kinds::Kind;
use super::object::Key;
use super::Cluster;
use super::object::{set_path, ObjExt, Object};
use crate::value::{json, Value};

pub const JOB_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";

/// Job create (`pkg/registry/batch/job/strategy.go` generateSelector): unless `manualSelector`,
/// the selector is the Job's UID and the pod template gets the four Job labels.
pub fn admit_job(job: &mut Object) {
    if job.bool_at("spec.manualSelector") == Some(true) {
        return;
    }
    let uid = job.uid().to_string();
    let name = job.name().to_string();
    if job.path("spec.selector").is_none_or(|s| s.is_null()) {
        set_path(job, "spec.selector", json!({"matchLabels": {JOB_UID_LABEL: uid}}));
    }
    let mut labels = job.path("spec.template.metadata.labels").filter(|l| l.is_object()).cloned().unwrap_or(json!({}));
    if let Some(m) = labels.as_object_mut() {
        for (k, v) in [(JOB_UID_LABEL, &uid), (JOB_NAME_LABEL, &name), ("controller-uid", &uid), ("job-name", &name)] {
            m.entry(k.to_string()).or_insert_with(|| Value::String(v.as_str().into()));
        }
    }
    set_path(job, "spec.template.metadata.labels", labels);
}

/// Job update: a re-applied manifest does not state the generated selector and labels; keep them.
pub fn carry_over_job(old: &Object, new: &mut Object) {
    if old.bool_at("spec.manualSelector") == Some(true) {
        return;
    }
    if new.path("spec.selector").is_none_or(|s| s.is_null()) {
        if let Some(s) = old.path("spec.selector") {
            set_path(new, "spec.selector", s.clone());
        }
    }
    let mut labels = new.path("spec.template.metadata.labels").filter(|l| l.is_object()).cloned().unwrap_or(json!({}));
    if let (Some(m), Some(o)) = (labels.as_object_mut(), old.path("spec.template.metadata.labels").and_then(|l| l.as_object())) {
        for k in [JOB_UID_LABEL, JOB_NAME_LABEL, "controller-uid", "job-name"] {
            if let Some(v) = o.get(k) {
                m.entry(k.to_string()).or_insert_with(|| v.clone());
            }
        }
    }
    set_path(new, "spec.template.metadata.labels", labels);
}

/// A failure as kubectl prints it on stderr (without the trailing newline).
pub fn api_err(e: &ApiError) -> String {
    e.kubectl_message()
}

fn get(c: &Cluster, key: &Key) -> Result<Object, String> {
    c.store.get(key).cloned().ok_or_else(|| api_err(&ApiError::not_found(key.kind, &key.name)))
}

fn put(c: &mut Cluster, o: Object, caller: Caller) -> Result<(), String> {
    let mut o = o;
    let _ = super::object::remove_path(&mut o, "status");
    api::update(c, o, caller).map(|_| ()).map_err(|e| api_err(&e))
}

/// `kubectl scale`: `deployment.apps/web scaled`.
pub fn scale(c: &mut Cluster, key: &Key, replicas: i64, caller: Caller) -> Result<String, String> {
    if !matches!(key.kind, Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet) {
        return Err(format!("error: cannot scale {}: no scale subresource", key.kind.resource_group()));
    }
    let mut o = get(c, key)?;
    set_path(&mut o, "spec.replicas", json!(replicas));
    put(c, o, caller)?;
    Ok(format!("{} scaled", key.display()))
}

fn template_path(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet | Kind::Job => Some("spec.template.spec"),
        Kind::CronJob => Some("spec.jobTemplate.spec.template.spec"),
        Kind::Pod => Some("spec"),
        _ => None,
    }
}

/// `kubectl set image TYPE/NAME container=image ...` (`*` means every container).
pub fn set_image(c: &mut Cluster, key: &Key, pairs: &[(String, String)], caller: Caller) -> Result<String, String> {
    let Some(base) = template_path(key.kind) else {
        return Err(format!("error: cannot set image of {}", key.kind.resource_group()));
    };
    let mut o = get(c, key)?;
    for (name, image) in pairs {
        let mut found = false;
        for list in ["initContainers", "containers"] {
            if let Some(cs) = super::object::path_mut(&mut o, &format!("{base}.{list}")).and_then(|v| v.as_array_mut()) {
                for ct in cs.iter_mut() {
                    if name == "*" || ct.str_at("name") == Some(name.as_str()) {
                        ct["image"] = json!(image);
                        found = true;
                    }
                }
            }
        }
        if !found {
            return Err(format!("error: unable to find container named {name:?}"));
        }
    }
    put(c, o, caller)?;
    Ok(format!("{} image updated", key.display()))
}

/// One look at a rollout (`kubectl/pkg/polymorphichelpers/rollout_status.go`): the message and
/// whether it is done; `Err` for a failed or unsupported rollout.
pub fn rollout_status(c: &Cluster, key: &Key) -> Result<(String, bool), String> {
    let o = get(c, key)?;
    let name = o.name().to_string();
    let gen = o.i64_at("metadata.generation").unwrap_or(0);
    let s = |f: &str| o.i64_at(&format!("status.{f}")).unwrap_or(0);
    match key.kind {
        Kind::Deployment => {
            if gen > s("observedGeneration") {
                return Ok(("Waiting for deployment spec update to be observed...".into(), false));
            }
            let timed_out = o.arr_at("status.conditions").iter().any(|c| c.str_at("type") == Some("Progressing") && c.str_at("reason") == Some("ProgressDeadlineExceeded"));
            if timed_out {
                return Err(format!("error: deployment {name:?} exceeded its progress deadline"));
            }
            let want = o.i64_at("spec.replicas").unwrap_or(1);
            if s("updatedReplicas") < want {
                return Ok((format!("Waiting for deployment {name:?} rollout to finish: {} out of {want} new replicas have been updated...", s("updatedReplicas")), false));
            }
            if s("replicas") > s("updatedReplicas") {
                return Ok((format!("Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...", s("replicas") - s("updatedReplicas")), false));
            }
            if s("availableReplicas") < s("updatedReplicas") {
                return Ok((format!("Waiting for deployment {name:?} rollout to finish: {} of {} updated replicas are available...", s("availableReplicas"), s("updatedReplicas")), false));
            }
            Ok((format!("deployment {name:?} successfully rolled out"), true))
        }
        Kind::StatefulSet => {
            if o.str_at("spec.updateStrategy.type").unwrap_or("RollingUpdate") != "RollingUpdate" {
                return Err("error: rollout status is only available for RollingUpdate strategy type".into());
            }
            if s("observedGeneration") == 0 || gen > s("observedGeneration") {
                return Ok(("Waiting for statefulset spec update to be observed...".into(), false));
            }
            let want = o.i64_at("spec.replicas").unwrap_or(1);
            if s("readyReplicas") < want {
                return Ok((format!("Waiting for {} pods to be ready...", want - s("readyReplicas")), false));
            }
            if let Some(p) = o.i64_at("spec.updateStrategy.rollingUpdate.partition") {
                if s("updatedReplicas") < want - p {
                    return Ok((format!("Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...", s("updatedReplicas"), want - p), false));
                }
                return Ok((format!("partitioned roll out complete: {} new pods have been updated...", s("updatedReplicas")), true));
            }
            let (cur, upd) = (o.str_at("status.currentRevision").unwrap_or(""), o.str_at("status.updateRevision").unwrap_or(""));
            if cur != upd {
                return Ok((format!("waiting for statefulset rolling update to complete {} pods at revision {upd}...", s("updatedReplicas")), false));
            }
            Ok((format!("statefulset rolling update complete {} pods at revision {cur}...", s("currentReplicas")), true))
        }
        Kind::DaemonSet => {
            if o.str_at("spec.updateStrategy.type").unwrap_or("RollingUpdate") != "RollingUpdate" {
                return Err("error: rollout status is only available for RollingUpdate strategy type".into());
            }
            if gen > s("observedGeneration") {
                return Ok(("Waiting for daemon set spec update to be observed...".into(), false));
            }
            if s("updatedNumberScheduled") < s("desiredNumberScheduled") {
                return Ok((format!("Waiting for daemon set {name:?} rollout to finish: {} out of {} new pods have been updated...", s("updatedNumberScheduled"), s("desiredNumberScheduled")), false));
            }
            if s("numberAvailable") < s("desiredNumberScheduled") {
                return Ok((format!("Waiting for daemon set {name:?} rollout to finish: {} of {} updated pods are available...", s("numberAvailable"), s("desiredNumberScheduled")), false));
            }
            Ok((format!("daemon set {name:?} successfully rolled out"), true))
        }
        k => Err(format!("error: no status viewer has been implemented for {}", k.name())),
    }
}

/// `kubectl rollout status` (which watches): moves simulated time to each next event until the
/// rollout is done, printing every new message; gives up after `max_ms` of simulated time with
/// kubectl's timeout error. Returns (stdout, stderr if it failed).
pub fn rollout_status_wait(c: &mut Cluster, key: &Key, max_ms: u64) -> (String, Option<String>) {
    let mut out = String::new();
    let mut last = String::new();
    let end = c.now_ms().saturating_add(max_ms);
    for _ in 0..10_000 {
        match rollout_status(c, key) {
            Err(e) => return (out, Some(e)),
            Ok((msg, done)) => {
                if msg != last {
                    out.push_str(&msg);
                    out.push('\n');
                    last = msg;
                }
                if done {
                    return (out, None);
                }
            }
        }
        match c.next_wakeup() {
            Some(t) if t <= end => {
                let now = c.now_ms();
                c.advance(t.saturating_sub(now));
            }
            _ => break,
        }
    }
    (out, Some("error: timed out waiting for the condition".into()))
}

/// Owned ReplicaSets of a Deployment with their revision, oldest revision first.
fn revisions(c: &Cluster, d: &Object) -> Vec<(i64, Object)> {
    let mut v: Vec<(i64, Object)> = super::controllers::workload_util::owned(&c.store, d, Kind::ReplicaSet)
        .into_iter()
        .filter_map(|rs| Some((rs.annotation(REVISION)?.parse::<i64>().ok()?, rs.clone())))
        .collect();
    crate::sort::by_key(&mut v, |(r, _)| *r);
    v
}

/// `kubectl rollout history deployment/web`: the REVISION / CHANGE-CAUSE table (tabwriter with
/// padding 2, after the object name and a space, as the name printer writes it).
pub fn rollout_history(c: &Cluster, key: &Key, revision: Option<i64>) -> Result<String, String> {
    if key.kind != Kind::Deployment {
        return Err(format!("error: no history viewer has been implemented for {}", key.kind.name()));
    }
    let d = get(c, key)?;
    let revs = revisions(c, &d);
    if let Some(r) = revision.filter(|r| *r > 0) {
        let Some((_, rs)) = revs.iter().find(|(n, _)| *n == r) else {
            return Err("error: unable to find the specified revision".into());
        };
        return Ok(format!("{} with revision #{r}\n{}\n", key.display(), describe_template(rs.path("spec.template"))));
    }
    if revs.is_empty() {
        return Ok(format!("{} \nNo rollout history found.\n", key.display()));
    }
    let rows: Vec<(String, String)> = revs.iter().map(|(r, rs)| (r.to_string(), rs.annotation("kubernetes.io/change-cause").filter(|s| !s.is_empty()).unwrap_or("<none>").to_string())).collect();
    let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max("REVISION".len()) + 2;
    let mut s = format!("{} \n{:<w$}CHANGE-CAUSE\n", key.display(), "REVISION");
    for (r, cause) in rows {
        s.push_str(&format!("{r:<w$}{cause}\n"));
    }
    s.push('\n');
    Ok(s)
}

/// The pod template of one revision (for kubectl's own describe printer of `--revision=N`).
pub fn revision_template(c: &Cluster, key: &Key, revision: i64) -> Result<Value, String> {
    let d = get(c, key)?;
    revisions(c, &d).into_iter().find(|(r, _)| *r == revision).and_then(|(_, rs)| rs.path("spec.template").cloned()).ok_or_else(|| "error: unable to find the specified revision".to_string())
}

/// `DescribePodTemplate` as `rollout history --revision` prints it: through a PrefixWriter with no
/// tabwriter, so the tabs stay raw (`kubectl/pkg/polymorphichelpers/history.go` printTemplate).
fn describe_template(t: Option<&Value>) -> String {
    let empty = json!({});
    let t = t.unwrap_or(&empty);
    let mut s = String::from("Pod Template:\n");
    let labels = super::object::string_map(t.path("metadata.labels"));
    let mut first = true;
    for (k, v) in &labels {
        s.push_str(&if first { format!("  Labels:\t{k}={v}\n") } else { format!("\t{k}={v}\n") });
        first = false;
    }
    if labels.is_empty() {
        s.push_str("  Labels:\t<none>\n");
    }
    let ann = super::object::string_map(t.path("metadata.annotations"));
    if !ann.is_empty() {
        for (i, (k, v)) in ann.iter().enumerate() {
            s.push_str(&if i == 0 { format!("  Annotations:\t{k}: {v}\n") } else { format!("\t{k}: {v}\n") });
        }
    }
    s.push_str("  Containers:\n");
    for ct in t.arr_at("spec.containers") {
        s.push_str(&format!("   {}:\n    Image:\t{}\n", ct.str_at("name").unwrap_or(""), ct.str_at("image").unwrap_or("")));
        let port = ct.arr_at("ports").first().and_then(|p| p.i64_at("containerPort")).map(|p| format!("{p}/TCP")).unwrap_or("<none>".into());
        s.push_str(&format!("    Port:\t{port}\n    Host Port:\t{}\n", if port == "<none>" { "<none>".to_string() } else { "0/TCP".into() }));
        s.push_str("    Environment:\t<none>\n    Mounts:\t<none>\n");
    }
    s.push_str("  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>");
    s
}

/// `kubectl rollout undo deployment/web [--to-revision=N]`.
pub fn rollout_undo(c: &mut Cluster, key: &Key, to_revision: Option<i64>, caller: Caller) -> Result<String, String> {
    if key.kind != Kind::Deployment {
        return Err(format!("error: no rollbacker has been implemented for {}", key.kind.name()));
    }
    let d = get(c, key)?;
    if d.bool_at("spec.paused") == Some(true) {
        return Err("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into());
    }
    let revs = revisions(c, &d);
    let to = to_revision.unwrap_or(0);
    let rs = if to > 0 {
        revs.iter().find(|(r, _)| *r == to).map(|(_, rs)| rs.clone()).ok_or_else(|| format!("error: unable to find specified revision {to} in history"))?
    } else {
        let n = revs.len();
        if n < 2 {
            return Err(format!("error: no rollout history found for deployment {:?}", d.name()));
        }
        revs[n - 2].1.clone()
    };
    if templates_equal(rs.path("spec.template"), d.path("spec.template"), HASH_LABEL) {
        return Ok(format!("{} skipped rollback (current template already matches revision {to})", key.display()));
    }
    let mut n = d.clone();
    set_path(&mut n, "spec.template", template_without_hash(rs.path("spec.template"), HASH_LABEL));
    // Annotations: the Deployment's own deployment.kubernetes.io ones, the rest from the ReplicaSet.
    let skip = ["kubectl.kubernetes.io/last-applied-configuration", REVISION, "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to"];
    let mut ann = crate::value::Map::new();
    if let Some(a) = d.path("metadata.annotations").and_then(|a| a.as_object()) {
        for (k, v) in a {
            if skip.contains(&k.as_str()) {
                ann.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(a) = rs.path("metadata.annotations").and_then(|a| a.as_object()) {
        for (k, v) in a {
            if !skip.contains(&k.as_str()) {
                ann.insert(k.clone(), v.clone());
            }
        }
    }
    set_path(&mut n, "metadata.annotations", Value::Object(ann));
    put(c, n, caller)?;
    Ok(format!("{} rolled back", key.display()))
}

fn restartable(kind: Kind) -> bool {
    matches!(kind, Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet)
}

/// `kubectl rollout restart`: stamps `kubectl.kubernetes.io/restartedAt` on the pod template.
pub fn rollout_restart(c: &mut Cluster, key: &Key, caller: Caller) -> Result<String, String> {
    if !restartable(key.kind) {
        return Err(format!("error: {} {:?} restarting is not supported", key.kind.resource_group(), key.name));
    }
    let mut o = get(c, key)?;
    if o.bool_at("spec.paused") == Some(true) {
        return Err(format!("error: {} {:?} can't restart paused deployment (run rollout resume first)", key.kind.resource_group(), key.name));
    }
    let ts = c.clock.timestamp();
    if !o.path("spec.template.metadata.annotations").is_some_and(|a| a.is_object()) {
        set_path(&mut o, "spec.template.metadata.annotations", json!({}));
    }
    if let Some(m) = super::object::path_mut(&mut o, "spec.template.metadata.annotations").and_then(|a| a.as_object_mut()) {
        m.insert("kubectl.kubernetes.io/restartedAt".into(), json!(ts));
    }
    put(c, o, caller)?;
    Ok(format!("{} restarted", key.display()))
}

/// `kubectl rollout pause` / `resume` (Deployments only, as kubectl's objectpauser).
pub fn rollout_pause(c: &mut Cluster, key: &Key, pause: bool, caller: Caller) -> Result<String, String> {
    let verb = if pause { "paused" } else { "resumed" };
    if key.kind != Kind::Deployment {
        return Err(format!("error: {} {:?} {verb} is not supported", key.kind.resource_group(), key.name).replace(" paused is", " pausing is").replace(" resumed is", " resuming is"));
    }
    let mut o = get(c, key)?;
    let is = o.bool_at("spec.paused") == Some(true);
    if is == pause {
        let what = if pause { "is already paused" } else { "is not paused" };
        return Err(format!("error: {} {:?} {what}", key.kind.resource_group(), key.name));
    }
    set_path(&mut o, "spec.paused", json!(pause));
    put(c, o, caller)?;
    Ok(format!("{} {verb}", key.display()))
}

#[cfg(test)]
#[path = "workloads_tests.rs"]
mod tests;
