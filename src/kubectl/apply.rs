//! `kubectl apply -f`: documents one by one, `created` / `configured` / `unchanged`, the
//! `last-applied-configuration` annotation and a three-way merge with the live object (lists of
//! named items merge by name, as strategic merge patch does for containers, ports, env...).

use super::args::Args;
use super::{CmdOutput, Ctx};
use crate::model::api::{self, Reason};
use crate::model::object::set_path;
use crate::model::{Cluster, Kind, ObjExt, Object};
use crate::manifest::LineMap;
use crate::value::{Map, Value};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// One document read from `-f`: the object, or the message kubectl prints for it.
pub type Loaded = Result<(Kind, Object, LineMap), String>;

/// Reads every `-f` source (files by name, `-` for stdin). Returns (source name, documents).
pub fn load(ctx: &Ctx, a: &Args) -> Result<Vec<(String, Vec<Loaded>)>, String> {
    let mut out = Vec::new();
    for f in a.all("filename") {
        let (src, text) = if f == "-" {
            ("STDIN".to_string(), ctx.stdin.unwrap_or("").to_string())
        } else {
            match (ctx.files)(&f) {
                Some(t) => (f.clone(), t),
                None => return Err(format!("error: the path \"{f}\" does not exist\n")),
            }
        };
        out.push((src.clone(), read_docs(&text, &src)));
    }
    Ok(out)
}

/// Text → documents, with kubectl's messages for documents that cannot be sent (the manifest
/// module's intake: YAML, client-side checks, REST mapping, strict decoding).
pub fn read_docs(text: &str, src: &str) -> Vec<Loaded> {
    crate::manifest::read(text)
        .into_iter()
        .map(|r| match r {
            Ok(i) => Ok((i.kind, i.doc.value, i.doc.lines)),
            Err(e) => {
                let mut msg = format!("{}\n", e.kubectl(src));
                msg.push_str(&hint(src, e.line, e.hints.first().map(String::as_str)));
                Err(msg)
            }
        })
        .collect()
}

/// kubelab's pointer to the manifest line (not part of kubectl's output, marked `hint:`).
pub fn hint(src: &str, line: Option<u32>, advice: Option<&str>) -> String {
    match (line, advice) {
        (Some(l), Some(a)) => format!("hint: {src} line {l}: {a}\n"),
        (Some(l), None) => format!("hint: {src} line {l}\n"),
        (None, Some(a)) => format!("hint: {a}\n"),
        (None, None) => String::new(),
    }
}

/// Hints for a server error: the line of each field it names.
pub fn cause_hints(src: &str, lines: &LineMap, e: &crate::model::ApiError) -> String {
    let mut seen = Vec::new();
    let mut out = String::new();
    for cause in &e.causes {
        if let Some(l) = lines.line_of(&cause.dotted_path()) {
            if !seen.contains(&l) {
                seen.push(l);
                out.push_str(&hint(src, Some(l), Some(&cause.field)));
            }
        }
    }
    out
}

/// Puts the namespace on a namespaced object as kubectl does before sending it, or explains why not.
pub fn set_namespace(ctx: &Ctx, a: &Args, kind: Kind, obj: &mut Object) -> Result<(), String> {
    if !kind.namespaced() {
        return Ok(());
    }
    let in_doc = obj.namespace().to_string();
    if !in_doc.is_empty() {
        if a.has("namespace") && in_doc != ctx.ns {
            return Err(format!(
                "error: the namespace from the provided object \"{in_doc}\" does not match the namespace \"{}\". You must pass '--namespace={in_doc}' to perform this operation.\n",
                ctx.ns
            ));
        }
        return Ok(());
    }
    set_path(obj, "metadata.namespace", Value::String(ctx.ns.as_str().into()));
    Ok(())
}

/// Compact JSON with a final newline, as kubectl stores the annotation.
fn annotation_json(obj: &Object) -> String {
    let mut o = obj.clone();
    if let Some(m) = o.path("metadata.annotations").and_then(Value::as_object) {
        let mut m = m.clone();
        m.remove(LAST_APPLIED);
        if m.is_empty() {
            if let Some(md) = o.get_mut("metadata").and_then(Value::as_object_mut) {
                md.remove("annotations");
            }
        } else {
            set_path(&mut o, "metadata.annotations", Value::Object(m));
        }
    }
    format!("{}\n", o)
}

pub fn run(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    if !a.has("filename") {
        return CmdOutput::err("error: must specify one of -f and -k\n\n", 1);
    }
    let sources = match load(ctx, a) {
        Ok(s) => s,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let dry = a.get("dry-run").filter(|d| *d != "none").map(|d| if d == "server" { " (server dry run)" } else { " (dry run)" }).unwrap_or("");
    let (mut stdout, mut stderr) = (String::new(), String::new());
    let mut count = 0;
    for (src, docs) in sources {
        for d in docs {
            count += 1;
            let (kind, mut obj, lines) = match d {
                Ok(x) => x,
                Err(e) => {
                    stderr.push_str(&e);
                    continue;
                }
            };
            if let Err(e) = set_namespace(ctx, a, kind, &mut obj) {
                stderr.push_str(&e);
                continue;
            }
            match apply_one(c, ctx, kind, obj, &src, !dry.is_empty(), &lines) {
                Ok((line, warn)) => {
                    stderr.push_str(&warn);
                    stdout.push_str(&format!("{line}{dry}\n"));
                }
                Err(e) => stderr.push_str(&e),
            }
        }
    }
    if count == 0 {
        return CmdOutput::err("error: no objects passed to apply\n", 1);
    }
    // Controllers run once after the whole file, not after every object: per-object settling made
    // a 5,000-line manifest quadratic (141 s → see BENCHMARKS.md).
    c.settle();
    let failed = stderr.lines().any(|l| !l.starts_with("Warning:") && !l.starts_with("hint:"));
    CmdOutput { stdout, stderr, exit_code: i32::from(failed) }
}

/// Applies one object; returns `deployment.apps/web created` (and a warning), or the error text.
fn apply_one(c: &mut Cluster, ctx: &Ctx, kind: Kind, obj: Object, src: &str, dry: bool, lines: &LineMap) -> Result<(String, String), String> {
    let key = crate::model::Key::new(kind, obj.namespace(), obj.name());
    let display = key.display();
    let applied = annotation_json(&obj);
    let live = c.store.get(&key).cloned();
    let mut new = obj.clone();
    // set_path splits on dots, so the annotation is written by hand.
    if let Some(md) = new.get_mut("metadata").and_then(Value::as_object_mut) {
        let ann = md.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
        if let Some(m) = ann.as_object_mut() {
            m.insert(LAST_APPLIED.into(), Value::String(applied.as_str().into()));
        }
    }
    match live {
        None => {
            if obj.name().is_empty() {
                let gv = kind.api_version();
                let gv = if gv.contains('/') { gv } else { format!("/{gv}") };
                return Err(format!(
                    "error: error when retrieving current configuration of:\nResource: \"{gv}, Resource={}\", GroupVersionKind: \"{gv}, Kind={}\"\nName: \"\", Namespace: \"{}\"\nfrom server for: \"{src}\": resource name may not be empty\n",
                    kind.info().plural,
                    kind.name(),
                    obj.namespace()
                ));
            }
            ctx.authorize(c, "get", kind, &key.namespace, &key.name)?;
            ctx.authorize(c, "create", kind, &key.namespace, "")?;
            if dry {
                return Ok((format!("{display} created"), String::new()));
            }
            match api::create(c, new, ctx.caller()) {
                Ok(_) => {
                    // A new namespace gets its `default` ServiceAccount from a controller; let it
                    // run now so pods later in the same file are admitted (real clusters race here).
                    if kind == Kind::Namespace {
                        c.settle();
                    }
                    Ok((format!("{display} created"), String::new()))
                }
                Err(e) => Err(server_error(&e, "creating", src) + &cause_hints(src, lines, &e)),
            }
        }
        Some(live) => {
            ctx.authorize(c, "patch", kind, &key.namespace, &key.name)?;
            let mut warn = String::new();
            let old_applied: Value = match live.annotation(LAST_APPLIED) {
                Some(s) => serde_json::from_str(s).unwrap_or(Value::Null),
                None => {
                    warn = format!("Warning: resource {}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n", kind.resource_group(), key.name);
                    Value::Null
                }
            };
            let merged = merge(&live, &old_applied, &new, 0);
            if dry {
                return Ok((format!("{display} configured"), warn));
            }
            let rv = live.str_at("metadata.resourceVersion").map(str::to_string);
            // A status in the manifest that differs from the live one is in kubectl's patch too
            // (the server then keeps its own): the patch is not empty, so kubectl says configured.
            let status_patched = merged.get("status") != live.get("status");
            match api::update(c, merged, ctx.caller()) {
                Ok(stored) => {
                    // kubectl prints `unchanged` only for an empty patch; a quantity the server stores in
                    // another form (`cpu: 1` kept as "1", `1000m` as "1") differs from the live object
                    // every time, so the same manifest reads `configured` again (kubernetes#66450).
                    let same = stored.str_at("metadata.resourceVersion").map(str::to_string) == rv
                        && crate::model::quantity::is_canonical(kind, &obj)
                        && !status_patched;
                    Ok((format!("{display} {}", if same { "unchanged" } else { "configured" }), warn))
                }
                Err(e) => Err(server_error(&e, "patching", src) + &cause_hints(src, lines, &e)),
            }
        }
    }
}

/// How kubectl prints an API error from apply/create/delete of a file.
pub fn server_error(e: &crate::model::ApiError, verb: &str, src: &str) -> String {
    match e.reason {
        Reason::Invalid => format!("{}\n", e.kubectl_message()),
        r => format!("Error from server ({r:?}): error when {verb} \"{src}\": {}\n", e.message),
    }
}

/// Merge key of a list of objects, as strategic merge patch uses for the common lists.
fn merge_key(items: &[Value]) -> Option<&'static str> {
    ["name", "containerPort", "port", "mountPath", "devicePath", "ip", "type", "topologyKey"]
        .into_iter()
        .find(|k| !items.is_empty() && items.iter().all(|i| i.get(*k).is_some()))
}

/// Three-way merge: `new` wins, fields only in `old_applied` are removed, the rest of `live` stays.
pub fn merge(live: &Value, old_applied: &Value, new: &Value, depth: usize) -> Value {
    if depth > 64 {
        return new.clone();
    }
    match (live, new) {
        (Value::Object(l), Value::Object(n)) => {
            let mut out = l.clone();
            if let Value::Object(o) = old_applied {
                for k in o.keys() {
                    if !n.contains_key(k) {
                        out.remove(k);
                    }
                }
            }
            for (k, nv) in n {
                let merged = match l.get(k) {
                    Some(lv) => merge(lv, old_applied.get(k).unwrap_or(&Value::Null), nv, depth + 1),
                    None => nv.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(l), Value::Array(n)) => match merge_key(n) {
            Some(key) if merge_key(l) == Some(key) => {
                let old_items = old_applied.as_array().cloned().unwrap_or_default();
                Value::Array(
                    n.iter()
                        .map(|ni| {
                            let id = ni.get(key);
                            match l.iter().find(|li| li.get(key) == id) {
                                Some(li) => {
                                    let oi = old_items.iter().find(|o| o.get(key) == id).cloned().unwrap_or(Value::Null);
                                    merge(li, &oi, ni, depth + 1)
                                }
                                None => ni.clone(),
                            }
                        })
                        .collect(),
                )
            }
            _ => new.clone(),
        },
        _ => new.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::json;
    #[test]
    fn three_way_merge_keeps_server_fields_and_drops_removed_ones() {
        let live = json!({"spec": {"replicas": 3, "strategy": {"type": "RollingUpdate"}, "containers": [{"name": "a", "image": "x:1", "imagePullPolicy": "IfNotPresent"}]}, "status": {"ready": 1}, "metadata": {"labels": {"a": "1", "b": "2"}}});
        let old = json!({"spec": {"replicas": 3, "containers": [{"name": "a", "image": "x:1"}]}, "metadata": {"labels": {"a": "1", "b": "2"}}});
        let new = json!({"spec": {"containers": [{"name": "a", "image": "x:2"}]}, "metadata": {"labels": {"a": "1"}}});
        let m = merge(&live, &old, &new, 0);
        assert_eq!(m["spec"].get("replicas"), None);
        assert_eq!(m["spec"]["strategy"]["type"], "RollingUpdate");
        assert_eq!(m["spec"]["containers"][0]["image"], "x:2");
        assert_eq!(m["spec"]["containers"][0]["imagePullPolicy"], "IfNotPresent");
        assert_eq!(m["status"]["ready"], 1);
        assert_eq!(m["metadata"]["labels"], json!({"a": "1"}));
    }
}
