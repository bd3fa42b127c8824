//! Pod specs (`pkg/apis/core/validation/validation.go`: ValidatePodSpec and friends), used for
//! Pods and for the pod templates of every workload.

use super::at::At;
use super::names::{dns1123_label, port_name};
use super::{labels, V};
use crate::manifest::goparse::parse_quantity;
use crate::model::object::{field_arr, field_str, ObjExt};
use crate::value::Value;
use std::cell::RefCell;
use std::thread::LocalKey;
use std::collections::BTreeSet;

thread_local! {
    /// The last pod spec, and labels, of a controller's pod that validation found valid. The
    /// pods a controller creates from one template have equal specs and labels (a ReplicaSet
    /// scaled to 1,000 creates 1,000), and comparing them costs a fraction of validating them.
    /// Each check is a function of the value alone, so a value equal to one found valid has no
    /// errors either.
    static CLEAN_SPEC: RefCell<Option<Value>> = const { RefCell::new(None) };
    static CLEAN_LABELS: RefCell<Option<Value>> = const { RefCell::new(None) };
}

/// `check(v, value)`, skipped when `value` equals the one `memo` holds. Debug builds still run a
/// skipped check and assert it finds nothing. Only controllers' pods are remembered: a pod a
/// user applies is seldom followed by an equal one, and remembering copies the value.
fn remembered(memo: &'static LocalKey<RefCell<Option<Value>>>, v: &mut V, obj: &Value, value: &Value, check: impl Fn(&mut V, &Value)) {
    if memo.with(|m| m.borrow().as_ref() == Some(value)) {
        if cfg!(debug_assertions) {
            let mut full = V::default();
            check(&mut full, value);
            assert!(full.errs.is_empty(), "a value equal to one found valid has errors: {:?}", full.errs);
        }
        return;
    }
    let before = v.errs.len();
    check(v, value);
    if v.errs.len() == before && obj.controller_uid().is_some() {
        memo.with(|m| *m.borrow_mut() = Some(value.clone()));
    }
}

pub fn pod(v: &mut V, obj: &Value) {
    remembered(&CLEAN_SPEC, v, obj, obj.path("spec").unwrap_or(&Value::Null), |v, s| spec(v, s, "spec"));
}

/// A pod's `metadata.labels` (`labels` of `ValidateObjectMeta`), remembered as its spec is.
pub fn pod_labels(v: &mut V, obj: &Value) {
    if let Some(l) = obj.path("metadata.labels") {
        remembered(&CLEAN_LABELS, v, obj, l, |v, l| labels(v, Some(l), "metadata.labels"));
    }
}

/// A pod template: labels and spec (`ValidatePodTemplateSpec`).
pub fn template(v: &mut V, t: Option<&Value>, f: &str) {
    template_with(v, t, f, &[]);
}

/// A template whose pods also get volumes from elsewhere (a StatefulSet's volumeClaimTemplates).
pub fn template_with(v: &mut V, t: Option<&Value>, f: &str, extra_volumes: &[String]) {
    let t = t.unwrap_or(&Value::Null);
    labels(v, t.path("metadata.labels"), &format!("{f}.metadata.labels"));
    spec_with(v, t.path("spec").unwrap_or(&Value::Null), &format!("{f}.spec"), extra_volumes);
}

pub fn spec(v: &mut V, s: &Value, f: &str) {
    spec_with(v, s, f, &[]);
}

fn spec_with(v: &mut V, s: &Value, f: &str, extra_volumes: &[String]) {
    let f = At::Root(f);
    let mut volumes = volumes(v, s, &f);
    volumes.extend(extra_volumes.iter().map(String::as_str));
    let mut names = BTreeSet::new();
    if field_arr(s, "containers").is_empty() {
        v.required(format!("{f}.containers"), "");
    }
    for list in ["initContainers", "containers"] {
        for (i, c) in field_arr(s, list).iter().enumerate() {
            container(v, c, &f.index(list, i), &volumes, &mut names);
        }
    }
    v.one_of_at(s, "restartPolicy", f, &["Always", "OnFailure", "Never"], true);
    v.one_of_at(s, "dnsPolicy", f, &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"], true);
    // `labels` looks only at a map; its path is written only for one.
    if let Some(sel) = s.get("nodeSelector").filter(|x| x.is_object()) {
        labels(v, Some(sel), &format!("{f}.nodeSelector"));
    }
    v.non_negative_at(s, "terminationGracePeriodSeconds", f);
    if let Some(n) = s.get("activeDeadlineSeconds").and_then(Value::as_i64) {
        if n <= 0 {
            v.invalid(format!("{f}.activeDeadlineSeconds"), &Value::from(n), "must be between 1 and 2147483647, inclusive");
        }
    }
    for (i, t) in field_arr(s, "tolerations").iter().enumerate() {
        let tf = f.index("tolerations", i);
        v.one_of_at(t, "operator", tf, &["Equal", "Exists"], false);
        v.one_of_at(t, "effect", tf, &["NoSchedule", "PreferNoSchedule", "NoExecute"], false);
        if field_str(t, "operator") == Some("Exists") && field_str(t, "value").is_some_and(|x| !x.is_empty()) {
            v.invalid(format!("{tf}.operator"), &Value::from("Exists"), "value must be empty when `operator` is 'Exists'");
        }
    }
}

/// Volume names (required, DNS label, unique) and exactly one source; returns the names.
fn volumes<'s>(v: &mut V, s: &'s Value, f: &At) -> BTreeSet<&'s str> {
    let mut seen = BTreeSet::new();
    for (i, vol) in field_arr(s, "volumes").iter().enumerate() {
        let vf = f.index("volumes", i);
        match field_str(vol, "name") {
            None | Some("") => v.required(format!("{vf}.name"), ""),
            Some(n) => {
                for msg in dns1123_label(n) {
                    v.invalid(format!("{vf}.name"), &Value::from(n), msg);
                }
                if !seen.insert(n) {
                    v.duplicate(format!("{vf}.name"), &Value::from(n));
                }
            }
        }
        let sources = vol.as_object().map_or(0, |m| m.iter().filter(|(k, x)| k.as_str() != "name" && !x.is_null()).count());
        if sources > 1 {
            v.forbidden(vf.to_string(), "may not specify more than 1 volume type");
        }
    }
    seen
}

fn container<'s>(v: &mut V, c: &'s Value, f: &At, volumes: &BTreeSet<&str>, names: &mut BTreeSet<&'s str>) {
    match field_str(c, "name") {
        None | Some("") => v.required(format!("{f}.name"), ""),
        Some(n) => {
            for msg in dns1123_label(n) {
                v.invalid(format!("{f}.name"), &Value::from(n), msg);
            }
            if !names.insert(n) {
                v.duplicate(format!("{f}.name"), &Value::from(n));
            }
        }
    }
    if field_str(c, "image").is_none_or(|i| i.trim().is_empty()) {
        v.required(format!("{f}.image"), "");
    }
    v.one_of_at(c, "imagePullPolicy", f, &["Always", "IfNotPresent", "Never"], false);
    v.one_of_at(c, "terminationMessagePolicy", f, &["File", "FallbackToLogsOnError"], false);
    let mut port_names = BTreeSet::new();
    for (i, p) in field_arr(c, "ports").iter().enumerate() {
        let pf = f.index("ports", i);
        match p.get("containerPort").and_then(Value::as_i64) {
            None | Some(0) => v.required(format!("{pf}.containerPort"), ""),
            Some(n) if !(1..=65535).contains(&n) => v.invalid(format!("{pf}.containerPort"), &Value::from(n), "must be between 1 and 65535, inclusive"),
            _ => {}
        }
        if let Some(n) = p.get("hostPort").and_then(Value::as_i64) {
            if n != 0 && !(1..=65535).contains(&n) {
                v.invalid(format!("{pf}.hostPort"), &Value::from(n), "must be between 1 and 65535, inclusive");
            }
        }
        v.one_of_at(p, "protocol", pf, &["SCTP", "TCP", "UDP"], true);
        if let Some(n) = field_str(p, "name").filter(|n| !n.is_empty()) {
            for msg in port_name(n) {
                v.invalid(format!("{pf}.name"), &Value::from(n), msg);
            }
            if !port_names.insert(n) {
                v.duplicate(format!("{pf}.name"), &Value::from(n));
            }
        }
    }
    for (i, e) in field_arr(c, "env").iter().enumerate() {
        if field_str(e, "name").is_none_or(str::is_empty) {
            v.required(format!("{f}.env[{i}].name"), "");
        }
    }
    let mut paths = BTreeSet::new();
    for (i, m) in field_arr(c, "volumeMounts").iter().enumerate() {
        let mf = f.index("volumeMounts", i);
        match field_str(m, "name") {
            None | Some("") => v.required(format!("{mf}.name"), ""),
            Some(n) if !volumes.contains(n) => v.not_found(format!("{mf}.name"), &Value::from(n)),
            _ => {}
        }
        match field_str(m, "mountPath") {
            None | Some("") => v.required(format!("{mf}.mountPath"), ""),
            Some(p) => {
                if !paths.insert(p) {
                    v.invalid(format!("{mf}.mountPath"), &Value::from(p), "must be unique");
                }
            }
        }
    }
    resources(v, c, &f.field("resources"));
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(p) = c.get(probe).filter(|p| p.is_object()) else { continue };
        let handlers = ["exec", "httpGet", "tcpSocket", "grpc"].iter().filter(|h| p.get(**h).is_some_and(|x| !x.is_null())).count();
        if handlers == 0 {
            v.required(format!("{f}.{probe}"), "must specify a handler type");
        } else if handlers > 1 {
            v.forbidden(format!("{f}.{probe}"), "may not specify more than 1 handler type");
        }
        let pf = f.field(probe);
        for field in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
            v.non_negative_at(p, field, pf);
        }
        if probe != "readinessProbe" && p.get("successThreshold").and_then(Value::as_i64).is_some_and(|n| n != 1) {
            v.invalid(format!("{f}.{probe}.successThreshold"), p.get("successThreshold").unwrap_or(&Value::Null), "must be 1");
        }
    }
}

/// Requests may not exceed limits, and a resource that cannot be overcommitted (an extended one
/// such as `nvidia.com/gpu`, or hugepages) needs a limit equal to its request
/// (`ValidateResourceRequirements`, pkg/apis/core/validation/validation.go).
fn resources(v: &mut V, c: &Value, f: &At) {
    let res = c.get("resources");
    for kind in ["limits", "requests"] {
        let Some(Value::Object(m)) = res.and_then(|r| r.get(kind)) else { continue };
        for (res, q) in m {
            if quantity_text(q).and_then(|t| parse_quantity(&t).ok()).is_some_and(|x| x < 0.0) {
                v.invalid(format!("{f}.{kind}[{res}]"), &Value::from(quantity_text(q).unwrap_or_default()), "must be greater than or equal to 0");
            }
        }
    }
    let Some(Value::Object(req)) = res.and_then(|r| r.get("requests")) else { return };
    let limits = res.and_then(|r| r.get("limits"));
    for (res, q) in req {
        let Some(limit) = limits.and_then(|l| l.get(res)) else {
            if !overcommit_allowed(res) {
                v.required(format!("{f}.limits"), "Limit must be set for non overcommitable resources");
            }
            continue;
        };
        let (Some(qs), Some(ls)) = (quantity_text(q), quantity_text(limit)) else { continue };
        if let (Ok(r), Ok(l)) = (parse_quantity(&qs), parse_quantity(&ls)) {
            if r != l && !overcommit_allowed(res) {
                v.invalid(format!("{f}.requests"), &Value::from(qs.as_str()), format!("must be equal to {res} limit of {ls}"));
            } else if r > l {
                v.invalid(format!("{f}.requests"), &Value::from(qs.as_str()), format!("must be less than or equal to {res} limit of {ls}"));
            }
        }
    }
}

/// `IsOvercommitAllowed`: a native resource (no domain, or `kubernetes.io/`) that is not hugepages.
fn overcommit_allowed(res: &str) -> bool {
    (!res.contains('/') || res.starts_with("kubernetes.io/")) && !res.starts_with("hugepages-")
}

fn quantity_text(q: &Value) -> Option<String> {
    match q {
        Value::String(s) => Some(s.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether every field stated in `new` has the same value in `old` (fields the server filled in,
/// such as the service-account token volume, may be missing from a re-applied manifest).
fn subset(new: &Value, old: &Value) -> bool {
    match (new, old) {
        (Value::Object(n), Value::Object(o)) => n.iter().all(|(k, nv)| nv.is_null() || o.get(k).is_some_and(|ov| subset(nv, ov))),
        (Value::Array(n), Value::Array(o)) => n.len() <= o.len() && n.iter().zip(o).all(|(a, b)| subset(a, b)),
        _ => new == old,
    }
}

/// Pod updates may change only images, activeDeadlineSeconds, tolerations (additions) and the
/// grace period (`ValidatePodUpdate`). `nodeName` is left to the scheduler's binding.
pub fn update(v: &mut V, obj: &Value, old: &Value) {
    let strip = |o: &Value| {
        let mut s = o.path("spec").cloned().unwrap_or(Value::Null);
        if let Some(m) = s.as_object_mut() {
            for f in ["activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "nodeName"] {
                m.remove(f);
            }
            for list in ["containers", "initContainers"] {
                if let Some(Value::Array(cs)) = m.get_mut(list) {
                    for c in cs.iter_mut() {
                        if let Some(cm) = c.as_object_mut() {
                            cm.remove("image");
                        }
                    }
                }
            }
        }
        s
    };
    if !subset(&strip(obj), &strip(old)) {
        v.forbidden(
            "spec",
            "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        );
    }
}
