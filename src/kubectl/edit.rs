//! The verbs that change a field of existing objects: label, annotate, scale, set image, cordon,
//! uncordon and drain (kubectl's client-side drain: cordon, then evict pod by pod).

use super::args::Args;
use super::get::{list, resolve};
use super::output::name_of;
use super::selector;
use super::{CmdOutput, Ctx};
use crate::model::api;
use crate::model::object::set_path;
use crate::model::{ApiError, Cluster, Key, Kind, ObjExt, Object};
use crate::value::{json, Map, Value};

/// Objects named by `TYPE NAME…`, `TYPE/NAME…`, or `TYPE -l sel` / `--all`.
fn targets(c: &Cluster, ctx: &Ctx, a: &Args, pos: &[String]) -> Result<Vec<Object>, String> {
    if pos.is_empty() {
        return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".into());
    }
    let (reqs, _) = resolve(pos)?;
    let sel = a.get("selector").map(selector::parse).transpose().map_err(|e| format!("error: {e}\n"))?;
    let mut out = Vec::new();
    let mut errs = String::new();
    for r in reqs {
        if r.names.is_empty() {
            if sel.is_none() && !a.bool("all") {
                return Err("error: resource(s) were provided, but no name was specified\n".into());
            }
            out.extend(list(c, ctx, r.kind, &sel.clone().unwrap_or_default(), &[]));
        }
        for n in &r.names {
            match c.store.get(&Key::new(r.kind, &ctx.ns, n)) {
                Some(o) => out.push(o.clone()),
                None => errs.push_str(&format!("{}\n", ApiError::not_found(r.kind, n).kubectl_message())),
            }
        }
    }
    if out.is_empty() && !errs.is_empty() {
        return Err(errs);
    }
    Ok(out)
}

fn save(c: &mut Cluster, ctx: &Ctx, o: Object) -> Result<Object, String> {
    let key = o.key().ok_or("error: object has no kind")?;
    ctx.authorize(c, "patch", key.kind, &key.namespace, &key.name)?;
    let r = api::update(c, o, ctx.caller()).map_err(|e| format!("{}\n", e.kubectl_message()))?;
    c.settle();
    Ok(r)
}

/// `kubectl label` and `kubectl annotate`.
pub fn label(c: &mut Cluster, ctx: &Ctx, a: &Args, annotate: bool) -> CmdOutput {
    let (what, field) = if annotate { ("annotation", "annotations") } else { ("label", "labels") };
    let mut pos = Vec::new();
    let mut set: Vec<(String, String)> = Vec::new();
    let mut remove: Vec<String> = Vec::new();
    for p in &a.pos {
        if let Some((k, v)) = p.split_once('=') {
            if !annotate && !valid_label_value(v) {
                return CmdOutput::err(format!("error: invalid label value: \"{p}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n"), 1);
            }
            set.push((k.to_string(), v.to_string()));
        } else if let Some(k) = p.strip_suffix('-').filter(|_| !pos.is_empty()) {
            remove.push(k.to_string());
        } else {
            pos.push(p.clone());
        }
    }
    if set.is_empty() && remove.is_empty() {
        return CmdOutput::err(format!("error: at least one {what} update is required\nSee 'kubectl {} -h' for help and examples\n", if annotate { "annotate" } else { "label" }), 1);
    }
    let objs = match targets(c, ctx, a, &pos) {
        Ok(o) => o,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let overwrite = a.bool("overwrite");
    let (mut stdout, mut stderr) = (String::new(), String::new());
    for mut o in objs {
        let before = o.path(&format!("metadata.{field}")).cloned().unwrap_or(json!({}));
        let mut m: Map = before.as_object().cloned().unwrap_or_default();
        let mut conflict = None;
        for (k, v) in &set {
            if let Some(old) = m.get(k).and_then(Value::as_str) {
                if old != v && !overwrite {
                    conflict = Some(format!("error: '{k}' already has a value ({old}), and --overwrite is false\n"));
                    break;
                }
            }
            m.insert(k.into(), json!(v));
        }
        if let Some(e) = conflict {
            stderr.push_str(&e);
            continue;
        }
        for k in &remove {
            if m.remove(k).is_none() && !annotate {
                stdout.push_str(&format!("label {k:?} not found.\n"));
            }
        }
        let old_len = before.to_string().len();
        let changed = Value::Object(m.clone()) != before;
        if m.is_empty() {
            if let Some(md) = o.get_mut("metadata").and_then(Value::as_object_mut) {
                md.remove(field);
            }
        } else {
            set_path(&mut o, &format!("metadata.{field}"), Value::Object(m.clone()));
        }
        let word = if annotate {
            "annotated"
        } else if !changed {
            "not labeled"
        } else if !overwrite && Value::Object(m).to_string().len() < old_len {
            "unlabeled"
        } else {
            "labeled"
        };
        match save(c, ctx, o) {
            Ok(s) => stdout.push_str(&format!("{} {word}\n", name_of(&s))),
            Err(e) => stderr.push_str(&e),
        }
    }
    CmdOutput::mixed(stdout, stderr)
}

fn valid_label_value(v: &str) -> bool {
    v.is_empty()
        || (v.len() <= 63
            && v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            && v.starts_with(|c: char| c.is_ascii_alphanumeric())
            && v.ends_with(|c: char| c.is_ascii_alphanumeric()))
}

/// `kubectl scale --replicas=N TYPE NAME`.
pub fn scale(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let Some(r) = a.get("replicas") else {
        return super::required_flags(c, &["replicas"]);
    };
    let replicas: i64 = match r.parse() {
        Ok(n) if n >= 0 => n,
        _ => return CmdOutput::err("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n", 1),
    };
    let objs = match targets(c, ctx, a, &a.pos) {
        Ok(o) => o,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    for o in objs {
        if let Some(cur) = a.get("current-replicas").and_then(|s| s.parse::<i64>().ok()) {
            let have = o.i64_at("spec.replicas").unwrap_or(1);
            if cur != have {
                stderr.push_str(&format!("error: Expected replicas to be {cur}, was {have}\n"));
                continue;
            }
        }
        let Some(key) = o.key() else { continue };
        if let Err(e) = ctx.authorize(c, "patch", key.kind, &key.namespace, &key.name) {
            stderr.push_str(&e);
            continue;
        }
        match crate::model::workloads::scale(c, &key, replicas, ctx.caller()) {
            Ok(s) => {
                c.settle();
                stdout.push_str(&format!("{s}\n"));
            }
            Err(e) => stderr.push_str(&format!("{}\n", e.trim_end())),
        }
    }
    CmdOutput::mixed(stdout, stderr)
}

/// `kubectl set image TYPE/NAME container=image…`.
pub fn set(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    match a.pos.first().map(String::as_str) {
        Some("image") => {}
        Some(other) => return CmdOutput::err(format!("error: unknown command \"{other}\" for \"kubectl set\"\n"), 1),
        None => return CmdOutput::ok("Configure application resources.\n\nAvailable Commands:\n  env              Update environment variables on a pod template\n  image            Update the image of a pod template\n  resources        Update resource requests/limits on objects with pod templates\n  selector         Set the selector on a resource\n  serviceaccount   Update the service account of a resource\n  subject          Update the user, group, or service account in a role binding or cluster role binding\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n"),
    }
    let mut pos = Vec::new();
    let mut images: Vec<(String, String)> = Vec::new();
    for p in &a.pos[1..] {
        match p.split_once('=') {
            Some((k, v)) => images.push((k.to_string(), v.to_string())),
            None => pos.push(p.clone()),
        }
    }
    if images.is_empty() {
        return CmdOutput::err("error: at least one image update is required\nSee 'kubectl set image -h' for help and examples\n", 1);
    }
    let objs = match targets(c, ctx, a, &pos) {
        Ok(o) => o,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    for o in objs {
        let Some(key) = o.key() else { continue };
        if let Err(e) = ctx.authorize(c, "patch", key.kind, &key.namespace, &key.name) {
            stderr.push_str(&e);
            continue;
        }
        match crate::model::workloads::set_image(c, &key, &images, ctx.caller()) {
            Ok(s) => {
                c.settle();
                stdout.push_str(&format!("{s}\n"));
            }
            Err(e) => stderr.push_str(&format!("{}\n", e.trim_end())),
        }
    }
    CmdOutput::mixed(stdout, stderr)
}

fn node(c: &Cluster, name: Option<&String>, verb: &str) -> Result<Object, String> {
    let Some(n) = name else {
        return Err(format!("error: USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples\n"));
    };
    let n = n.strip_prefix("node/").or(n.strip_prefix("nodes/")).unwrap_or(n);
    c.store.get_by(Kind::Node, "", n).cloned().ok_or_else(|| format!("{}\n", ApiError::not_found(Kind::Node, n).kubectl_message()))
}

/// `kubectl cordon` / `uncordon`, several nodes at once as drain.go's ResourceNames allows (the
/// node operation lives in `model::nodes`).
pub fn cordon(c: &mut Cluster, ctx: &Ctx, a: &Args, on: bool) -> CmdOutput {
    let verb = if on { "cordon" } else { "uncordon" };
    let names: Vec<Option<&String>> = if a.pos.is_empty() { vec![None] } else { a.pos.iter().take(1000).map(Some).collect() };
    let mut out = CmdOutput::ok("");
    for name in names {
        let n = match node(c, name, verb) {
            Ok(n) => n,
            Err(e) => return CmdOutput { stderr: e, exit_code: 1, ..out },
        };
        let name = n.name().to_string();
        if let Err(e) = ctx.authorize(c, "patch", Kind::Node, "", &name) {
            return CmdOutput { stderr: e, exit_code: 1, ..out };
        }
        match crate::model::nodes::set_unschedulable(c, &name, on) {
            Ok(true) => out.stdout.push_str(&format!("node/{name} {verb}ed\n")),
            Ok(false) => out.stdout.push_str(&format!("node/{name} already {verb}ed\n")),
            Err(e) => return CmdOutput { stderr: format!("{}\n", e.kubectl_message()), exit_code: 1, ..out },
        }
    }
    out
}

/// `kubectl drain NODE`: flags here, the eviction logic and wording in `model::nodes::drain`.
pub fn drain(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let n = match node(c, a.pos.first(), "drain") {
        Ok(n) => n,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let name = n.name().to_string();
    if let Err(e) = ctx.authorize(c, "patch", Kind::Node, "", &name) {
        return CmdOutput::err(e, 1);
    }
    let opts = crate::model::nodes::DrainOptions {
        force: a.bool("force"),
        ignore_daemonsets: a.bool("ignore-daemonsets"),
        delete_emptydir_data: a.bool("delete-emptydir-data"),
        grace_period: a.get("grace-period").and_then(|g| g.parse::<i64>().ok()).filter(|g| *g >= 0),
    };
    let out = crate::model::nodes::drain(c, &name, &opts);
    CmdOutput { stdout: out.stdout, stderr: out.stderr, exit_code: if out.ok { 0 } else { 1 } }
}

/// `kubectl taint nodes NAME key[=value]:Effect` and `key[:Effect]-` to remove.
pub fn taint(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let mut pos = Vec::new();
    let mut add: Vec<(String, String, String)> = Vec::new();
    let mut remove: Vec<(String, Option<String>)> = Vec::new();
    for p in &a.pos {
        if pos.len() >= 2 || p.contains(':') || p.contains('=') || (p.ends_with('-') && pos.len() >= 2) {
            if let Some(r) = p.strip_suffix('-') {
                let (kv, eff) = match r.split_once(':') {
                    Some((kv, e)) => (kv, Some(e.to_string())),
                    None => (r, None),
                };
                let key = kv.split_once('=').map(|x| x.0).unwrap_or(kv);
                remove.push((key.to_string(), eff));
                continue;
            }
            let Some((kv, eff)) = p.split_once(':') else {
                return CmdOutput::err(format!("error: invalid taint spec: {p}, unknown taint spec format\n"), 1);
            };
            if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&eff) {
                return CmdOutput::err(format!("error: invalid taint spec: {p}, invalid taint effect: {eff}, unsupported taint effect\n"), 1);
            }
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            add.push((k.to_string(), v.to_string(), eff.to_string()));
        } else {
            pos.push(p.clone());
        }
    }
    if add.is_empty() && remove.is_empty() {
        return CmdOutput::err("error: at least one taint update is required\nSee 'kubectl taint -h' for help and examples\n", 1);
    }
    if pos.first().map(String::as_str).and_then(Kind::from_resource_arg) != Some(Kind::Node) && !pos.first().is_some_and(|p| p.starts_with("node")) {
        return CmdOutput::err("error: invalid resource type, only nodes are supported\n", 1);
    }
    let objs = match targets(c, ctx, a, &pos) {
        Ok(o) => o,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    for mut n in objs {
        let mut taints: Vec<Value> = n.arr_at("spec.taints").to_vec();
        let mut err = None;
        for (k, eff) in &remove {
            let before = taints.len();
            taints.retain(|t| !(t.str_at("key") == Some(k.as_str()) && eff.as_deref().is_none_or(|e| t.str_at("effect") == Some(e))));
            if taints.len() == before {
                let what = match eff {
                    Some(e) => format!("{k}:{e}"),
                    None => k.clone(),
                };
                err = Some(format!("error: taint {what:?} not found\n"));
            }
        }
        for (k, v, eff) in &add {
            if let Some(i) = taints.iter().position(|t| t.str_at("key") == Some(k.as_str()) && t.str_at("effect") == Some(eff.as_str())) {
                if !a.bool("overwrite") {
                    err = Some(format!("error: node {} already has {k} taint(s) with same effect(s) and --overwrite is false\n", n.name()));
                    break;
                }
                taints.remove(i);
            }
            let mut t = json!({"effect": eff, "key": k});
            if !v.is_empty() {
                t["value"] = json!(v);
            }
            if eff == "NoExecute" {
                t["timeAdded"] = json!(c.clock.timestamp());
            }
            taints.push(t);
        }
        if let Some(e) = err {
            stderr.push_str(&e);
            continue;
        }
        if taints.is_empty() {
            if let Some(s) = n.get_mut("spec").and_then(Value::as_object_mut) {
                s.remove("taints");
            }
        } else {
            set_path(&mut n, "spec.taints", Value::Array(taints));
        }
        let word = if add.is_empty() { "untainted" } else { "tainted" };
        match save(c, ctx, n) {
            Ok(s) => stdout.push_str(&format!("{} {word}\n", name_of(&s))),
            Err(e) => stderr.push_str(&e),
        }
    }
    CmdOutput::mixed(stdout, stderr)
}
