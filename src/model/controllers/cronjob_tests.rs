//! CronJob controller tests: schedules fire in order over `advance`, with the Job controller
//! running and pods finished by hand in place of the kubelet.

use super::*;
use crate::model::api::{create, update, Caller};
use crate::model::controllers::workload_util::testing::{cluster, events};
use crate::model::object::set_path;
use crate::model::Cluster;

fn cronjob(extra: Value) -> Value {
    let mut c = json!({"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"hello","namespace":"default"},
        "spec":{"schedule":"*/1 * * * *","jobTemplate":{"metadata":{"labels":{"team":"a"}},"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
        "containers":[{"name":"hello","image":"busybox","command":["sh","-c","date"]}]}}}}}});
    if let (Some(s), Some(e)) = (c["spec"].as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            s.insert(k.clone(), v.clone());
        }
    }
    c
}

fn succeed_pods(c: &mut Cluster) {
    let pods: Vec<Object> = c.store.list(Kind::Pod).filter(|p| u::pod_active(p)).cloned().collect();
    for mut p in pods {
        set_path(&mut p, "status", json!({"phase":"Succeeded"}));
        c.store.put(p);
    }
    c.settle();
}

fn job_names(c: &Cluster) -> Vec<String> {
    c.store.list(Kind::Job).map(|j| j.name().to_string()).collect()
}

#[test]
fn runs_every_minute_in_order_and_keeps_three() {
    let mut c = cluster();
    create(&mut c, cronjob(json!({})), Caller::admin()).unwrap();
    c.settle();
    assert!(job_names(&c).is_empty());
    // 2026-01-05T09:01:00Z is minute 29460061 since the Unix epoch.
    c.advance(60_000);
    assert_eq!(job_names(&c), vec!["hello-29460061"]);
    let j = c.store.get_by(Kind::Job, "default", "hello-29460061").unwrap();
    assert_eq!(j.annotation(SCHEDULED_TIMESTAMP), Some("2026-01-05T09:01:00Z"));
    assert_eq!(j.str_at("metadata.labels.team"), Some("a"));
    assert_eq!(j.str_at("metadata.ownerReferences.0.kind"), Some("CronJob"));
    c.settle();
    let cj = c.store.get_by(Kind::CronJob, "default", "hello").unwrap();
    assert_eq!(cj.str_at("status.lastScheduleTime"), Some("2026-01-05T09:01:00Z"));
    assert_eq!(cj.str_at("status.active.0.name"), Some("hello-29460061"));
    for _ in 0..4 {
        succeed_pods(&mut c);
        c.advance(60_000);
    }
    succeed_pods(&mut c);
    assert_eq!(job_names(&c), vec!["hello-29460063", "hello-29460064", "hello-29460065"]);
    let ev = events(&c);
    assert!(ev.contains(&"SuccessfulCreate Created job hello-29460061".to_string()));
    assert!(ev.contains(&"SawCompletedJob Saw completed job: hello-29460061, condition: Complete".to_string()));
    assert!(ev.contains(&"SuccessfulDelete Deleted job hello-29460061".to_string()));
    let cj = c.store.get_by(Kind::CronJob, "default", "hello").unwrap();
    assert_eq!(cj.path("status.active"), None);
    assert_eq!(cj.str_at("status.lastSuccessfulTime"), Some("2026-01-05T09:05:00Z"));
}

#[test]
fn advance_an_hour_fires_each_run_once() {
    let mut c = cluster();
    create(&mut c, cronjob(json!({"schedule":"*/10 * * * *","successfulJobsHistoryLimit":10})), Caller::admin()).unwrap();
    c.settle();
    c.advance(3_600_000);
    assert_eq!(job_names(&c).len(), 6, "09:10 … 10:00");
    assert!(job_names(&c).contains(&"hello-29460120".to_string()));
}

#[test]
fn forbid_skips_while_running_and_replace_swaps() {
    let mut c = cluster();
    create(&mut c, cronjob(json!({"concurrencyPolicy":"Forbid"})), Caller::admin()).unwrap();
    c.settle();
    c.advance(180_000);
    assert_eq!(job_names(&c), vec!["hello-29460061"]);
    assert!(events(&c).iter().any(|e| e.starts_with("JobAlreadyActive Not starting job because prior execution is running")));
    let mut cj = c.store.get_by(Kind::CronJob, "default", "hello").unwrap().clone();
    set_path(&mut cj, "spec.concurrencyPolicy", json!("Replace"));
    update(&mut c, cj, Caller::admin()).unwrap();
    c.advance(60_000);
    assert_eq!(job_names(&c), vec!["hello-29460064"]);
}

#[test]
fn suspend_time_zone_and_starting_deadline() {
    let mut c = cluster();
    create(&mut c, cronjob(json!({"suspend":true})), Caller::admin()).unwrap();
    c.advance(150_000);
    assert!(job_names(&c).is_empty());
    let mut cj = c.store.get_by(Kind::CronJob, "default", "hello").unwrap().clone();
    set_path(&mut cj, "spec.suspend", json!(false));
    set_path(&mut cj, "spec.startingDeadlineSeconds", json!(20));
    set_path(&mut cj, "spec.timeZone", json!("Asia/Seoul"));
    update(&mut c, cj, Caller::admin()).unwrap();
    c.settle();
    assert!(job_names(&c).is_empty(), "the missed 09:01/09:02 runs are past the starting deadline");
    c.advance(30_000);
    let j = c.store.get_by(Kind::Job, "default", "hello-29460063").unwrap();
    assert_eq!(j.annotation(SCHEDULED_TIMESTAMP), Some("2026-01-05T18:03:00+09:00"));
    assert_eq!(parse_schedule("61 * * * *").unwrap_err(), "end of range (61) above maximum (59): 61");
    assert_eq!(rfc1123z(1_767_603_600), "Mon, 05 Jan 2026 09:00:00 +0000");
}
