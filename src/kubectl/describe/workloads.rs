//! Describing workloads: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob.

use super::pod::template;
use super::{annotations_multiline, controller_of, describe_events, labels_multiline, rfc1123z, W};
use crate::kubectl::printers::selector_string;
use crate::model::clock::human_duration;
use crate::model::object::string_map;
use crate::model::{Cluster, Kind, ObjExt, Object};
use crate::value::Value;

fn scalar(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.to_string(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

fn header(w: &mut W, o: &Object, with_created: bool) {
    w.line(0, &format!("Name:\t{}", o.name()));
    w.line(0, &format!("Namespace:\t{}", o.namespace()));
    if with_created {
        w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(o.str_at("metadata.creationTimestamp").unwrap_or(""))));
    }
}

/// Pods controlled by `owner`: (running, waiting, succeeded, failed).
fn pod_counts(c: &Cluster, owner: &Object) -> (usize, usize, usize, usize) {
    let mut n = (0, 0, 0, 0);
    for p in c.store.list_ns(Kind::Pod, owner.namespace()) {
        if p.controller_uid() != Some(owner.uid()) {
            continue;
        }
        match p.str_at("status.phase").unwrap_or("Pending") {
            "Running" => n.0 += 1,
            "Succeeded" => n.2 += 1,
            "Failed" => n.3 += 1,
            _ => n.1 += 1,
        }
    }
    n
}

fn conditions(w: &mut W, o: &Object) {
    let conds = o.arr_at("status.conditions");
    if conds.is_empty() {
        return;
    }
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus\tReason");
    w.line(1, "----\t------\t------");
    for cd in conds {
        w.line(1, &format!("{} \t{}\t{}", cd.str_at("type").unwrap_or(""), cd.str_at("status").unwrap_or(""), cd.str_at("reason").unwrap_or("")));
    }
}

fn rs_list(rss: &[&Object]) -> String {
    if rss.is_empty() {
        return "<none>".into();
    }
    rss.iter()
        .map(|r| format!("{} ({}/{} replicas created)", r.name(), r.i64_at("status.replicas").unwrap_or(0), r.i64_at("spec.replicas").unwrap_or(1)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn deployment(c: &Cluster, w: &mut W, d: &Object) {
    header(w, d, true);
    labels_multiline(w, "", "Labels", &d.labels());
    annotations_multiline(w, "", "Annotations", d, "metadata.annotations");
    w.line(0, &format!("Selector:\t{}", selector_string(d.path("spec.selector"))));
    w.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            d.i64_at("spec.replicas").unwrap_or(1),
            d.i64_at("status.updatedReplicas").unwrap_or(0),
            d.i64_at("status.replicas").unwrap_or(0),
            d.i64_at("status.availableReplicas").unwrap_or(0),
            d.i64_at("status.unavailableReplicas").unwrap_or(0)
        ),
    );
    w.line(0, &format!("StrategyType:\t{}", d.str_at("spec.strategy.type").unwrap_or("")));
    w.line(0, &format!("MinReadySeconds:\t{}", d.i64_at("spec.minReadySeconds").unwrap_or(0)));
    if let Some(ru) = d.path("spec.strategy.rollingUpdate") {
        w.line(0, &format!("RollingUpdateStrategy:\t{} max unavailable, {} max surge", scalar(ru.get("maxUnavailable")), scalar(ru.get("maxSurge"))));
    }
    template(w, d.path("spec.template"));
    conditions(w, d);
    let rev = d.annotation("deployment.kubernetes.io/revision");
    let owned: Vec<&Object> = c.store.list_ns(Kind::ReplicaSet, d.namespace()).filter(|r| r.controller_uid() == Some(d.uid())).collect();
    let new: Vec<&Object> = owned.iter().copied().filter(|r| rev.is_some() && r.annotation("deployment.kubernetes.io/revision") == rev).take(1).collect();
    let old: Vec<&Object> =
        owned.iter().copied().filter(|r| !new.iter().any(|n| n.uid() == r.uid()) && r.i64_at("spec.replicas").unwrap_or(0) > 0).collect();
    w.line(0, &format!("OldReplicaSets:\t{}", rs_list(&old)));
    w.line(0, &format!("NewReplicaSet:\t{}", rs_list(&new)));
    describe_events(c, w, d.uid());
}

pub fn replicaset(c: &Cluster, w: &mut W, rs: &Object) {
    header(w, rs, false);
    w.line(0, &format!("Selector:\t{}", selector_string(rs.path("spec.selector"))));
    labels_multiline(w, "", "Labels", &rs.labels());
    annotations_multiline(w, "", "Annotations", rs, "metadata.annotations");
    if let Some(ctl) = controller_of(rs) {
        w.line(0, &format!("Controlled By:\t{ctl}"));
    }
    w.line(0, &format!("Replicas:\t{} current / {} desired", rs.i64_at("status.replicas").unwrap_or(0), rs.i64_at("spec.replicas").unwrap_or(1)));
    let (r, wt, s, f) = pod_counts(c, rs);
    w.line(0, &format!("Pods Status:\t{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed"));
    template(w, rs.path("spec.template"));
    conditions(w, rs);
    describe_events(c, w, rs.uid());
}

pub fn statefulset(c: &Cluster, w: &mut W, s: &Object) {
    header(w, s, true);
    w.line(0, &format!("Selector:\t{}", selector_string(s.path("spec.selector"))));
    labels_multiline(w, "", "Labels", &s.labels());
    annotations_multiline(w, "", "Annotations", s, "metadata.annotations");
    w.line(0, &format!("Replicas:\t{} desired | {} total", s.i64_at("spec.replicas").unwrap_or(1), s.i64_at("status.replicas").unwrap_or(0)));
    w.line(0, &format!("Update Strategy:\t{}", s.str_at("spec.updateStrategy.type").unwrap_or("RollingUpdate")));
    if let Some(p) = s.i64_at("spec.updateStrategy.rollingUpdate.partition") {
        w.line(1, &format!("Partition:\t{p}"));
    }
    let (r, wt, su, f) = pod_counts(c, s);
    w.line(0, &format!("Pods Status:\t{r} Running / {wt} Waiting / {su} Succeeded / {f} Failed"));
    template(w, s.path("spec.template"));
    let vcts = s.arr_at("spec.volumeClaimTemplates");
    if vcts.is_empty() {
        w.line(0, "Volume Claims:\t<none>");
    } else {
        w.line(0, "Volume Claims:");
        for v in vcts {
            w.line(1, &format!("Name:\t{}", v.str_at("metadata.name").unwrap_or("")));
            w.line(1, &format!("StorageClass:\t{}", v.str_at("spec.storageClassName").unwrap_or("")));
            labels_multiline(w, "  ", "Labels", &string_map(v.path("metadata.labels")));
            annotations_multiline(w, "  ", "Annotations", v, "metadata.annotations");
            w.line(1, &format!("Capacity:\t{}", scalar(v.path("spec.resources.requests.storage"))));
            let modes: Vec<String> = v.arr_at("spec.accessModes").iter().map(|m| scalar(Some(m))).collect();
            w.line(1, &format!("Access Modes:\t[{}]", modes.join(" ")));
        }
    }
    describe_events(c, w, s.uid());
}

pub fn daemonset(c: &Cluster, w: &mut W, d: &Object) {
    header(w, d, false);
    w.line(0, &format!("Selector:\t{}", selector_string(d.path("spec.selector"))));
    let ns = crate::kubectl::printers::format_labels(&string_map(d.path("spec.template.spec.nodeSelector")));
    w.line(0, &format!("Node-Selector:\t{ns}"));
    labels_multiline(w, "", "Labels", &d.labels());
    annotations_multiline(w, "", "Annotations", d, "metadata.annotations");
    w.line(0, &format!("Desired Number of Nodes Scheduled: {}", d.i64_at("status.desiredNumberScheduled").unwrap_or(0)));
    w.line(0, &format!("Current Number of Nodes Scheduled: {}", d.i64_at("status.currentNumberScheduled").unwrap_or(0)));
    w.line(0, &format!("Number of Nodes Scheduled with Up-to-date Pods: {}", d.i64_at("status.updatedNumberScheduled").unwrap_or(0)));
    w.line(0, &format!("Number of Nodes Scheduled with Available Pods: {}", d.i64_at("status.numberAvailable").unwrap_or(0)));
    w.line(0, &format!("Number of Nodes Misscheduled: {}", d.i64_at("status.numberMisscheduled").unwrap_or(0)));
    let (r, wt, s, f) = pod_counts(c, d);
    w.line(0, &format!("Pods Status:\t{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed"));
    template(w, d.path("spec.template"));
    describe_events(c, w, d.uid());
}

pub fn job(c: &Cluster, w: &mut W, j: &Object) {
    header(w, j, false);
    w.line(0, &format!("Selector:\t{}", selector_string(j.path("spec.selector"))));
    labels_multiline(w, "", "Labels", &j.labels());
    annotations_multiline(w, "", "Annotations", j, "metadata.annotations");
    if let Some(ctl) = controller_of(j) {
        w.line(0, &format!("Controlled By:\t{ctl}"));
    }
    if let Some(p) = j.i64_at("spec.parallelism") {
        w.line(0, &format!("Parallelism:\t{p}"));
    }
    match j.i64_at("spec.completions") {
        Some(n) => w.line(0, &format!("Completions:\t{n}")),
        None => w.line(0, "Completions:\t<unset>"),
    }
    if let Some(m) = j.str_at("spec.completionMode") {
        w.line(0, &format!("Completion Mode:\t{m}"));
    }
    if let Some(s) = j.bool_at("spec.suspend") {
        w.line(0, &format!("Suspend:\t{s}"));
    }
    if let Some(b) = j.i64_at("spec.backoffLimit") {
        w.line(0, &format!("Backoff Limit:\t{b}"));
    }
    if let Some(t) = j.i64_at("spec.ttlSecondsAfterFinished") {
        w.line(0, &format!("TTL Seconds After Finished:\t{t}"));
    }
    let start = j.str_at("status.startTime");
    let done = j.str_at("status.completionTime");
    if let Some(s) = start {
        w.line(0, &format!("Start Time:\t{}", rfc1123z(s)));
    }
    if let Some(d) = done {
        w.line(0, &format!("Completed At:\t{}", rfc1123z(d)));
    }
    if let (Some(s), Some(d)) = (start, done) {
        w.line(0, &format!("Duration:\t{}", human_duration(crate::kubectl::printers::secs_between(s, d))));
    }
    if let Some(a) = j.i64_at("spec.activeDeadlineSeconds") {
        w.line(0, &format!("Active Deadline Seconds:\t{a}s"));
    }
    let (act, succ, fail) = (j.i64_at("status.active").unwrap_or(0), j.i64_at("status.succeeded").unwrap_or(0), j.i64_at("status.failed").unwrap_or(0));
    match j.i64_at("status.ready") {
        Some(r) => w.line(0, &format!("Pods Statuses:\t{act} Active ({r} Ready) / {succ} Succeeded / {fail} Failed")),
        None => w.line(0, &format!("Pods Statuses:\t{act} Active / {succ} Succeeded / {fail} Failed")),
    }
    if j.str_at("spec.completionMode") == Some("Indexed") {
        w.line(0, &format!("Completed Indexes:\t{}", j.str_at("status.completedIndexes").filter(|s| !s.is_empty()).unwrap_or("<none>")));
    }
    template(w, j.path("spec.template"));
    describe_events(c, w, j.uid());
}

pub fn cronjob(c: &Cluster, w: &mut W, cj: &Object) {
    header(w, cj, false);
    labels_multiline(w, "", "Labels", &cj.labels());
    annotations_multiline(w, "", "Annotations", cj, "metadata.annotations");
    w.line(0, &format!("Schedule:\t{}", cj.str_at("spec.schedule").unwrap_or("")));
    w.line(0, &format!("Concurrency Policy:\t{}", cj.str_at("spec.concurrencyPolicy").unwrap_or("Allow")));
    w.line(0, &format!("Suspend:\t{}", if cj.bool_at("spec.suspend") == Some(true) { "True" } else { "False" }));
    let opt = |p: &str| cj.i64_at(p).map(|n| n.to_string()).unwrap_or_else(|| "<unset>".into());
    w.line(0, &format!("Successful Job History Limit:\t{}", opt("spec.successfulJobsHistoryLimit")));
    w.line(0, &format!("Failed Job History Limit:\t{}", opt("spec.failedJobsHistoryLimit")));
    w.line(0, &format!("Starting Deadline Seconds:\t{}", cj.i64_at("spec.startingDeadlineSeconds").map(|n| format!("{n}s")).unwrap_or_else(|| "<unset>".into())));
    let sel = cj.path("spec.jobTemplate.spec.selector").map(|s| selector_string(Some(s))).unwrap_or_else(|| "<unset>".into());
    w.line(0, &format!("Selector:\t{sel}"));
    w.line(0, &format!("Parallelism:\t{}", opt("spec.jobTemplate.spec.parallelism")));
    w.line(0, &format!("Completions:\t{}", opt("spec.jobTemplate.spec.completions")));
    if let Some(a) = cj.i64_at("spec.jobTemplate.spec.activeDeadlineSeconds") {
        w.line(0, &format!("Active Deadline Seconds:\t{a}s"));
    }
    template(w, cj.path("spec.jobTemplate.spec.template"));
    match cj.str_at("status.lastScheduleTime") {
        Some(t) => w.line(0, &format!("Last Schedule Time:\t{}", rfc1123z(t))),
        None => w.line(0, "Last Schedule Time:\t<unset>"),
    }
    let active: Vec<String> = cj.arr_at("status.active").iter().filter_map(|a| a.str_at("name").map(str::to_string)).collect();
    w.line(0, &format!("Active Jobs:\t{}", if active.is_empty() { "<none>".to_string() } else { active.join(", ") }));
    describe_events(c, w, cj.uid());
}
