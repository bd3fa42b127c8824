//! Job controller tests over the store; pods are finished by hand in place of the kubelet.

use super::*;
use crate::model::api::{create, Caller};
use crate::model::controllers::workload_util::testing::{cluster, events};
use crate::model::Cluster;

fn job(extra: Value) -> Value {
    let mut j = json!({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi","namespace":"default"},
        "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"pi","image":"perl"}]}}}});
    if let (Some(s), Some(e)) = (j["spec"].as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            s.insert(k.clone(), v.clone());
        }
    }
    j
}

/// Finishes every active pod with the given phase (as the kubelet would).
fn finish(c: &mut Cluster, phase: &str, n: usize) {
    let ts = c.clock.timestamp();
    let pods: Vec<Object> = c.store.list(Kind::Pod).filter(|p| u::pod_active(p)).take(n).cloned().collect();
    for mut p in pods {
        set_path(&mut p, "status", json!({"phase": phase, "containerStatuses":[{"name":"pi","state":{"terminated":{"finishedAt":ts}}}]}));
        c.store.put(p);
    }
}

fn status(c: &Cluster) -> Value {
    c.store.get_by(Kind::Job, "default", "pi").unwrap().path("status").cloned().unwrap_or_default()
}

fn cond_types(c: &Cluster) -> Vec<String> {
    status(c).arr_at("conditions").iter().map(|c| c.str_at("type").unwrap_or("").to_string()).collect()
}

#[test]
fn admission_generates_selector_and_labels() {
    let mut c = cluster();
    let j = create(&mut c, job(json!({})), Caller::admin()).unwrap();
    let uid = j.uid().to_string();
    assert_eq!(j.path("spec.selector"), Some(&json!({"matchLabels":{"batch.kubernetes.io/controller-uid": uid}})));
    let l = j.path("spec.template.metadata.labels").unwrap();
    assert_eq!(l, &json!({"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name":"pi", "controller-uid": uid, "job-name":"pi"}));
}

#[test]
fn completions_with_parallelism_then_complete() {
    let mut c = cluster();
    create(&mut c, job(json!({"completions":3,"parallelism":2})), Caller::admin()).unwrap();
    c.settle();
    assert_eq!(c.store.list(Kind::Pod).count(), 2);
    let p = c.store.list(Kind::Pod).next().unwrap();
    assert!(p.name().starts_with("pi-") && p.name().len() == 8);
    assert_eq!(p.path("metadata.finalizers"), Some(&json!([TRACKING])));
    assert_eq!(status(&c).i64_at("active"), Some(2));
    assert_eq!(status(&c).i64_at("ready"), Some(0));
    finish(&mut c, "Succeeded", 2);
    c.settle();
    assert_eq!(status(&c).i64_at("succeeded"), Some(2));
    assert_eq!(c.store.list(Kind::Pod).filter(|p| u::pod_active(p)).count(), 1, "only one completion left");
    assert!(c.store.list(Kind::Pod).filter(|p| !u::pod_active(p)).all(|p| p.arr_at("metadata.finalizers").is_empty()));
    finish(&mut c, "Succeeded", 1);
    c.settle();
    assert_eq!(cond_types(&c), vec!["SuccessCriteriaMet", "Complete"]);
    let st = status(&c);
    assert_eq!(st.i64_at("succeeded"), Some(3));
    assert_eq!(st.path("active"), None);
    assert_eq!(st.path("uncountedTerminatedPods"), Some(&json!({})));
    assert!(st.str_at("completionTime").is_some());
    assert_eq!(st.str_at("conditions.1.reason"), Some("CompletionsReached"));
    assert!(events(&c).contains(&"Completed Job completed".to_string()));
    assert_eq!(events(&c).iter().filter(|e| e.starts_with("SuccessfulCreate Created pod: pi-")).count(), 3);
}

#[test]
fn backoff_limit_fails_the_job_after_delays() {
    let mut c = cluster();
    create(&mut c, job(json!({"backoffLimit":1})), Caller::admin()).unwrap();
    c.settle();
    finish(&mut c, "Failed", 1);
    c.settle();
    assert_eq!(status(&c).i64_at("failed"), Some(1));
    assert_eq!(c.store.list(Kind::Pod).filter(|p| u::pod_active(p)).count(), 0, "10 s back-off before the next pod");
    c.advance(10_000);
    assert_eq!(c.store.list(Kind::Pod).filter(|p| u::pod_active(p)).count(), 1);
    finish(&mut c, "Failed", 1);
    c.settle();
    assert_eq!(cond_types(&c), vec!["FailureTarget", "Failed"]);
    assert_eq!(status(&c).str_at("conditions.1.message"), Some("Job has reached the specified backoff limit"));
    assert!(events(&c).contains(&"BackoffLimitExceeded Job has reached the specified backoff limit".to_string()));
    c.advance(600_000);
    assert_eq!(c.store.list(Kind::Pod).count(), 2, "no more pods after failure");
}

#[test]
fn active_deadline_and_ttl() {
    let mut c = cluster();
    create(&mut c, job(json!({"activeDeadlineSeconds":30,"ttlSecondsAfterFinished":60})), Caller::admin()).unwrap();
    c.settle();
    c.advance(30_000);
    assert_eq!(cond_types(&c), vec!["FailureTarget", "Failed"]);
    assert_eq!(status(&c).str_at("conditions.1.reason"), Some("DeadlineExceeded"));
    assert_eq!(status(&c).i64_at("failed"), Some(1), "the pod removed at the deadline counts as failed");
    c.advance(59_000);
    assert!(c.store.get_by(Kind::Job, "default", "pi").is_some());
    c.advance(1_000);
    assert!(c.store.get_by(Kind::Job, "default", "pi").is_none(), "deleted by the TTL");
}

#[test]
fn indexed_job_names_and_completed_indexes() {
    let mut c = cluster();
    create(&mut c, job(json!({"completions":3,"parallelism":3,"completionMode":"Indexed"})), Caller::admin()).unwrap();
    c.settle();
    let mut names: Vec<String> = c.store.list(Kind::Pod).map(|p| p.name()[..5].to_string()).collect();
    names.sort();
    assert_eq!(names, vec!["pi-0-", "pi-1-", "pi-2-"]);
    let p = c.store.list(Kind::Pod).find(|p| p.name().starts_with("pi-1-")).unwrap();
    assert_eq!(p.annotation(INDEX), Some("1"));
    assert_eq!(p.path("metadata.labels").and_then(|l| l.get(INDEX)), Some(&json!("1")));
    assert_eq!(p.str_at("spec.hostname"), Some("pi-1"));
    let mut p0 = c.store.list(Kind::Pod).find(|p| p.name().starts_with("pi-0-")).unwrap().clone();
    set_path(&mut p0, "status", json!({"phase":"Succeeded"}));
    c.store.put(p0);
    let mut p2 = c.store.list(Kind::Pod).find(|p| p.name().starts_with("pi-2-")).unwrap().clone();
    set_path(&mut p2, "status", json!({"phase":"Succeeded"}));
    c.store.put(p2);
    c.settle();
    assert_eq!(status(&c).str_at("completedIndexes"), Some("0,2"));
    assert_eq!(format_indexes(&parse_indexes("0-2,4,6-7", 10)), "0-2,4,6-7");
}

#[test]
fn suspend_removes_pods_and_resume_recreates_them() {
    let mut c = cluster();
    create(&mut c, job(json!({"parallelism":2,"completions":4})), Caller::admin()).unwrap();
    c.settle();
    assert_eq!(c.store.list(Kind::Pod).filter(|p| u::pod_active(p)).count(), 2);
    let mut j = c.store.get_by(Kind::Job, "default", "pi").unwrap().clone();
    set_path(&mut j, "spec.suspend", json!(true));
    crate::model::api::update(&mut c, j, Caller::admin()).unwrap();
    c.settle();
    assert_eq!(c.store.list(Kind::Pod).filter(|p| u::pod_active(p)).count(), 0);
    assert_eq!(cond_types(&c), vec!["Suspended"]);
    assert!(events(&c).contains(&"Suspended Job suspended".to_string()));
    let mut j = c.store.get_by(Kind::Job, "default", "pi").unwrap().clone();
    set_path(&mut j, "spec.suspend", json!(false));
    crate::model::api::update(&mut c, j, Caller::admin()).unwrap();
    c.settle();
    assert_eq!(status(&c).str_at("conditions.0.reason"), Some("JobResumed"));
    assert_eq!(status(&c).path("failed"), None, "pods removed by the suspension are not failures");
    assert_eq!(c.store.list(Kind::Pod).filter(|p| u::pod_active(p)).count(), 2, "no back-off: recreated at once");
}
