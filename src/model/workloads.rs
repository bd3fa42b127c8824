//! What kubectl asks of workloads beyond plain CRUD: rollout status / history / undo / restart /
//! pause / resume, scale and set image — worded as kubectl v1.34 words them — and the Job
//! admission the API server does on create (generated selector and labels).

use super::object::{set_path, ObjExt, Object};
use serde_json::{json, Value};

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
            m.entry(k.to_string()).or_insert_with(|| Value::String(v.clone()));
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
