//! Columns of the workload kinds: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob.

use super::{age, containers_images, format_labels, num, obj_age, secs_between, selector_string};
use crate::model::clock::human_duration;
use crate::model::object::string_map;
use crate::model::{Cluster, Kind, ObjExt, Object};

type Cols = (&'static [&'static str], &'static [&'static str]);

pub fn headers(kind: Kind) -> Option<Cols> {
    Some(match kind {
        Kind::Deployment => (&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"]),
        Kind::ReplicaSet => (&["NAME", "DESIRED", "CURRENT", "READY", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"]),
        Kind::StatefulSet => (&["NAME", "READY", "AGE"], &["CONTAINERS", "IMAGES"]),
        Kind::DaemonSet => (&["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"]),
        Kind::Job => (&["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"]),
        Kind::CronJob => (&["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"]),
        _ => return None,
    })
}

pub fn row(c: &Cluster, kind: Kind, o: &Object) -> Option<(Vec<String>, Vec<String>)> {
    let name = o.name().to_string();
    let a = obj_age(c, o);
    let (cn, im) = containers_images(o, "spec.template.spec");
    let sel = selector_string(o.path("spec.selector"));
    Some(match kind {
        Kind::Deployment => (
            vec![
                name,
                format!("{}/{}", o.i64_at("status.readyReplicas").unwrap_or(0), o.i64_at("spec.replicas").unwrap_or(1)),
                num(o, "status.updatedReplicas"),
                num(o, "status.availableReplicas"),
                a,
            ],
            vec![cn, im, sel],
        ),
        Kind::ReplicaSet => (
            vec![name, o.i64_at("spec.replicas").unwrap_or(1).to_string(), num(o, "status.replicas"), num(o, "status.readyReplicas"), a],
            vec![cn, im, sel],
        ),
        Kind::StatefulSet => (
            vec![name, format!("{}/{}", o.i64_at("status.readyReplicas").unwrap_or(0), o.i64_at("spec.replicas").unwrap_or(1)), a],
            vec![cn, im],
        ),
        Kind::DaemonSet => (
            vec![
                name,
                num(o, "status.desiredNumberScheduled"),
                num(o, "status.currentNumberScheduled"),
                num(o, "status.numberReady"),
                num(o, "status.updatedNumberScheduled"),
                num(o, "status.numberAvailable"),
                format_labels(&string_map(o.path("spec.template.spec.nodeSelector"))),
                a,
            ],
            vec![cn, im, sel],
        ),
        Kind::Job => {
            let succeeded = o.i64_at("status.succeeded").unwrap_or(0);
            let completions = match o.i64_at("spec.completions") {
                Some(n) => format!("{succeeded}/{n}"),
                None => {
                    let p = o.i64_at("spec.parallelism").unwrap_or(0);
                    if p > 1 { format!("{succeeded}/1 of {p}") } else { format!("{succeeded}/1") }
                }
            };
            let duration = match (o.str_at("status.startTime"), o.str_at("status.completionTime")) {
                (None, _) => String::new(),
                (Some(s), None) => age(c, Some(s)),
                (Some(s), Some(e)) => human_duration(secs_between(s, e)),
            };
            let has = |t: &str| o.arr_at("status.conditions").iter().any(|x| x.str_at("type") == Some(t) && x.str_at("status") == Some("True"));
            let status = if has("Complete") {
                "Complete"
            } else if has("Failed") {
                "Failed"
            } else if o.is_deleting() {
                "Terminating"
            } else if has("Suspended") {
                "Suspended"
            } else if has("FailureTarget") {
                "FailureTarget"
            } else if has("SuccessCriteriaMet") {
                "SuccessCriteriaMet"
            } else {
                "Running"
            };
            (vec![name, status.into(), completions, duration, a], vec![cn, im, sel])
        }
        Kind::CronJob => {
            let (cn, im) = containers_images(o, "spec.jobTemplate.spec.template.spec");
            let last = match o.str_at("status.lastScheduleTime") {
                Some(t) => age(c, Some(t)),
                None => "<none>".into(),
            };
            (
                vec![
                    name,
                    o.str_at("spec.schedule").unwrap_or("").to_string(),
                    o.str_at("spec.timeZone").unwrap_or("<none>").to_string(),
                    if o.bool_at("spec.suspend") == Some(true) { "True".into() } else { "False".into() },
                    o.arr_at("status.active").len().to_string(),
                    last,
                    a,
                ],
                vec![cn, im, selector_string(o.path("spec.jobTemplate.spec.selector"))],
            )
        }
        _ => return None,
    })
}
