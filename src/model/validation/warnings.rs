//! API server warnings for pod specs (`pkg/api/pod/warnings.go`): accepted, but kubectl prints
//! `Warning: ...` — duplicate env names that hide earlier ones, duplicate ports, negative grace.

use crate::model::kinds::Kind;
use crate::model::object::ObjExt;
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Warnings for an object about to be stored, each `field.path: message`.
pub fn warnings(kind: Kind, obj: &Value) -> Vec<String> {
    let (spec, f) = match kind {
        Kind::Pod => (obj.path("spec"), "spec".to_string()),
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet | Kind::Job => (obj.path("spec.template.spec"), "spec.template.spec".into()),
        Kind::CronJob => (obj.path("spec.jobTemplate.spec.template.spec"), "spec.jobTemplate.spec.template.spec".into()),
        _ => return vec![],
    };
    spec.map(|s| pod_spec(s, &f)).unwrap_or_default()
}

fn pod_spec(s: &Value, f: &str) -> Vec<String> {
    let mut out = Vec::new();
    // (containerPort/protocol) → [(field, hostIP, hostPort)]
    let mut ports: BTreeMap<String, Vec<(String, String, i64)>> = BTreeMap::new();
    for list in ["initContainers", "containers"] {
        for (ci, c) in s.arr_at(list).iter().enumerate() {
            let cf = format!("{f}.{list}[{ci}]");
            let mut names = BTreeSet::new();
            for (i, e) in c.arr_at("env").iter().enumerate() {
                let Some(name) = e.str_at("name") else { continue };
                if !names.insert(name.to_string()) {
                    let r = format!("$({name})");
                    let value = e.str_at("value").unwrap_or("");
                    let bad = e.path("valueFrom").is_some_and(|v| !v.is_null()) || value == r || !value.contains(&r);
                    if bad {
                        out.push(format!("{cf}.env[{i}]: hides previous definition of {name:?}, which may be dropped when using apply"));
                    }
                }
            }
            for (i, p) in c.arr_at("ports").iter().enumerate() {
                let pf = format!("{cf}.ports[{i}]");
                let key = format!("{}/{}", p.i64_at("containerPort").unwrap_or(0), p.str_at("protocol").unwrap_or("TCP"));
                let (ip, hp) = (p.str_at("hostIP").unwrap_or("").to_string(), p.i64_at("hostPort").unwrap_or(0));
                let others = ports.entry(key).or_default();
                for (of, oip, ohp) in others.iter() {
                    if ip == *oip && hp == *ohp {
                        out.push(format!("{pf}: duplicate port definition with {of}"));
                    } else if hp == 0 || *ohp == 0 {
                        out.push(format!("{pf}: overlapping port definition with {of}"));
                    } else if hp == *ohp && (ip.is_empty() != oip.is_empty()) {
                        out.push(format!("{pf}: dangerously ambiguous port definition with {of}"));
                    }
                }
                others.push((pf, ip, hp));
            }
        }
    }
    if s.i64_at("terminationGracePeriodSeconds").is_some_and(|g| g < 0) {
        out.push(format!("{f}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::json;
    #[test]
    fn env_and_port_warnings() {
        let p = json!({"spec":{"containers":[
            {"name":"a","env":[{"name":"X","value":"1"},{"name":"X","value":"2"},{"name":"X","value":"$(X)-more"}],"ports":[{"containerPort":80,"protocol":"TCP"}]},
            {"name":"b","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":80,"protocol":"UDP"}]}]}});
        assert_eq!(
            warnings(Kind::Pod, &p),
            vec![
                "spec.containers[0].env[1]: hides previous definition of \"X\", which may be dropped when using apply".to_string(),
                "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]".to_string(),
            ]
        );
    }
}
