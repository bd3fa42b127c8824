//! Workload validation (`pkg/apis/apps/validation`, `pkg/apis/batch/validation`): replicas,
//! selectors against template labels, template restart policies, strategies, Job counts and
//! CronJob schedules — plus kubelab's replica cap that keeps the page responsive.

use super::{go_string_map, pod, selector_go, V};
use crate::model::kinds::Kind;
use crate::model::object::ObjExt;
use crate::model::Limits;
use crate::value::Value;

/// kubelab's cap on how many pods one object may ask for, with an explanation.
fn cap(v: &mut V, obj: &Value, path: &str, f: &str) {
    let max = Limits::default().max_replicas;
    if let Some(n) = obj.i64_at(path) {
        if n > max {
            v.invalid(
                f,
                &Value::from(n),
                format!("must be less than or equal to {max} in kubelab (the simulated cluster runs in your browser tab and caps how many pods one object may ask for; a real cluster would try to create them all)"),
            );
        }
    }
}

/// Deployment, ReplicaSet, StatefulSet, DaemonSet.
pub fn controller(v: &mut V, kind: Kind, obj: &Value) {
    if kind != Kind::DaemonSet {
        v.non_negative(obj, "spec.replicas", "spec.replicas");
        cap(v, obj, "spec.replicas", "spec.replicas");
    }
    v.non_negative(obj, "spec.minReadySeconds", "spec.minReadySeconds");
    v.non_negative(obj, "spec.revisionHistoryLimit", "spec.revisionHistoryLimit");
    let what = match kind {
        Kind::StatefulSet => "statefulset",
        Kind::DaemonSet => "daemonset",
        _ => "deployment",
    };
    selector_and_template(v, obj, what);
    let tpl = obj.path("spec.template");
    let claims: Vec<String> = obj.arr_at("spec.volumeClaimTemplates").iter().filter_map(|c| c.str_at("metadata.name")).map(str::to_string).collect();
    pod::template_with(v, tpl, "spec.template", &claims);
    if let Some(rp) = tpl.and_then(|t| t.path("spec.restartPolicy")) {
        if rp.as_str() != Some("Always") {
            v.unsupported("spec.template.spec.restartPolicy", rp, &["Always"]);
        }
    }
    match kind {
        Kind::Deployment => deployment_strategy(v, obj),
        Kind::StatefulSet => {
            v.one_of(obj, "spec.podManagementPolicy", "spec.podManagementPolicy", &["OrderedReady", "Parallel"], true);
            v.one_of(obj, "spec.updateStrategy.type", "spec.updateStrategy.type", &["OnDelete", "RollingUpdate"], true);
        }
        Kind::DaemonSet => v.one_of(obj, "spec.updateStrategy.type", "spec.updateStrategy.type", &["OnDelete", "RollingUpdate"], true),
        _ => {}
    }
}

/// Required, non-empty selector that selects the template's labels.
fn selector_and_template(v: &mut V, obj: &Value, what: &str) {
    let sel = obj.path("spec.selector").filter(|s| !s.is_null());
    let Some(sel) = sel else {
        v.required("spec.selector", "");
        return;
    };
    let empty = sel.path("matchLabels").and_then(Value::as_object).is_none_or(|m| m.is_empty()) && sel.arr_at("matchExpressions").is_empty();
    if empty {
        v.invalid_raw("spec.selector", selector_go(Some(sel)), format!("empty selector is invalid for {what}"));
        return;
    }
    super::labels(v, sel.path("matchLabels"), "spec.selector.matchLabels");
    for (i, e) in sel.arr_at("matchExpressions").iter().enumerate() {
        let f = format!("spec.selector.matchExpressions[{i}]");
        match e.str_at("operator") {
            Some("In") | Some("NotIn") if e.arr_at("values").is_empty() => {
                v.required(format!("{f}.values"), "must be specified when `operator` is 'In' or 'NotIn'")
            }
            Some("Exists") | Some("DoesNotExist") if !e.arr_at("values").is_empty() => {
                v.forbidden(format!("{f}.values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
            }
            Some("In") | Some("NotIn") | Some("Exists") | Some("DoesNotExist") => {}
            other => v.invalid(format!("{f}.operator"), &Value::from(other.unwrap_or("")), "not a valid selector operator"),
        }
    }
    let labels = obj.path("spec.template.metadata.labels");
    if !selects(sel, labels) {
        v.invalid_raw("spec.template.metadata.labels", go_string_map(labels), "`selector` does not match template `labels`");
    }
}

/// Whether a LabelSelector selects a label set.
pub fn selects(sel: &Value, labels: Option<&Value>) -> bool {
    let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    let ml_ok = sel.path("matchLabels").and_then(Value::as_object).is_none_or(|m| m.iter().all(|(k, v)| get(k) == v.as_str()));
    let me_ok = sel.arr_at("matchExpressions").iter().all(|e| {
        let key = e.str_at("key").unwrap_or("");
        let vals: Vec<&str> = e.arr_at("values").iter().filter_map(Value::as_str).collect();
        match e.str_at("operator") {
            Some("In") => get(key).is_some_and(|x| vals.contains(&x)),
            Some("NotIn") => get(key).is_none_or(|x| !vals.contains(&x)),
            Some("Exists") => get(key).is_some(),
            Some("DoesNotExist") => get(key).is_none(),
            _ => false,
        }
    });
    ml_ok && me_ok
}

fn deployment_strategy(v: &mut V, obj: &Value) {
    v.one_of(obj, "spec.strategy.type", "spec.strategy.type", &["Recreate", "RollingUpdate"], true);
    let ru = obj.path("spec.strategy.rollingUpdate").filter(|x| !x.is_null());
    if obj.str_at("spec.strategy.type") == Some("Recreate") {
        if ru.is_some() {
            v.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
        }
    } else if let Some(ru) = ru {
        let mu = int_or_percent(v, ru.path("maxUnavailable"), "spec.strategy.rollingUpdate.maxUnavailable");
        let ms = int_or_percent(v, ru.path("maxSurge"), "spec.strategy.rollingUpdate.maxSurge");
        if mu == Some(0) && ms == Some(0) {
            v.invalid("spec.strategy.rollingUpdate.maxUnavailable", ru.path("maxUnavailable").unwrap_or(&Value::Null), "may not be 0 when `maxSurge` is 0");
        }
    }
    if let (Some(pd), Some(mr)) = (obj.i64_at("spec.progressDeadlineSeconds"), obj.i64_at("spec.minReadySeconds")) {
        if pd <= mr {
            v.invalid("spec.progressDeadlineSeconds", &Value::from(pd), "must be greater than minReadySeconds");
        }
    }
}

/// `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent`; returns the number (0 for "0%").
fn int_or_percent(v: &mut V, x: Option<&Value>, f: &str) -> Option<i64> {
    match x? {
        Value::Number(n) => {
            let n = n.as_i64()?;
            if n < 0 {
                v.invalid(f, &Value::from(n), "must be greater than or equal to 0");
            }
            Some(n)
        }
        Value::String(s) => {
            let Some(num) = s.strip_suffix('%').filter(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())) else {
                v.invalid(f, &Value::from(s.as_str()), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
                return None;
            };
            let n: i64 = num.parse().unwrap_or(i64::MAX);
            if n > 100 {
                v.invalid(f, &Value::from(s.as_str()), "must not be greater than 100%");
            }
            Some(n)
        }
        _ => None,
    }
}

/// Job spec (`ValidateJobSpec`), also used under a CronJob's jobTemplate.
fn job_spec(v: &mut V, spec: &Value, f: &str) {
    for field in ["parallelism", "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished"] {
        v.non_negative(spec, field, &format!("{f}.{field}"));
    }
    cap(v, spec, "parallelism", &format!("{f}.parallelism"));
    v.one_of(spec, "completionMode", &format!("{f}.completionMode"), &["NonIndexed", "Indexed"], false);
    if spec.str_at("completionMode") == Some("Indexed") && spec.path("completions").is_none_or(Value::is_null) {
        v.required(format!("{f}.completions"), "when completion mode is Indexed");
    }
    let tf = format!("{f}.template");
    pod::template(v, spec.path("template"), &tf);
    match spec.path("template.spec.restartPolicy") {
        Some(Value::String(s)) if s == "OnFailure" || s == "Never" => {}
        Some(rp) => v.unsupported(format!("{tf}.spec.restartPolicy"), rp, &["OnFailure", "Never"]),
        None => v.errs.push(crate::model::api::FieldError::required(format!("{tf}.spec.restartPolicy"), "valid values: \"OnFailure\", \"Never\"")),
    }
}

pub fn job(v: &mut V, obj: &Value) {
    job_spec(v, obj.path("spec").unwrap_or(&Value::Null), "spec");
}

pub fn cronjob(v: &mut V, obj: &Value) {
    match obj.str_at("spec.schedule") {
        None | Some("") => v.required("spec.schedule", ""),
        Some(s) => {
            // validateScheduleFormat (pkg/apis/batch/validation/validation.go): the parser's
            // error and the TZ refusal are reported together.
            for e in crate::model::controllers::cron::validate(s) {
                v.invalid("spec.schedule", &Value::from(s), e);
            }
        }
    }
    v.one_of(obj, "spec.concurrencyPolicy", "spec.concurrencyPolicy", &["Allow", "Forbid", "Replace"], true);
    for field in ["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
        v.non_negative(obj, &format!("spec.{field}"), &format!("spec.{field}"));
    }
    job_spec(v, obj.path("spec.jobTemplate.spec").unwrap_or(&Value::Null), "spec.jobTemplate.spec");
}
