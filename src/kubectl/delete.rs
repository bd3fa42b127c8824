//! `kubectl delete`: by file, by TYPE NAME…, TYPE/NAME, `-l`, `--all`; `--cascade`,
//! `--grace-period`, `--force`, `--now`; waits (in simulated time) until the objects are gone,
//! as kubectl's default `--wait=true` does.

use super::apply;
use super::args::Args;
use super::get::{list, resolve};
use super::selector;
use super::{CmdOutput, Ctx};
use crate::model::api::{self, Propagation};
use crate::model::{ApiError, Cluster, Key, ObjExt};

const NO_ARGS: &str = "error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'
";

/// `deployment.apps`, `pod`: the kind string of delete's messages.
pub fn kind_string(k: crate::model::Kind) -> String {
    let i = k.info();
    if i.group.is_empty() { i.name.to_ascii_lowercase() } else { format!("{}.{}", i.name.to_ascii_lowercase(), i.group) }
}

pub fn run(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let propagation = match a.get("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" | "false" => Propagation::Orphan,
        other => return CmdOutput::err(format!("error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\"\n"), 1),
    };
    let mut grace: i64 = match a.get("grace-period").map(str::parse::<i64>) {
        None => -1,
        Some(Ok(g)) => g,
        Some(Err(_)) => return CmdOutput::err(format!("error: invalid argument \"{}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax\nSee 'kubectl delete --help' for usage.\n", a.get("grace-period").unwrap_or(""), a.get("grace-period").unwrap_or("")), 1),
    };
    let force = a.bool("force");
    if a.bool("now") {
        if grace != -1 {
            return CmdOutput::err("error: --now and --grace-period cannot be specified together\n", 1);
        }
        grace = 1;
    }
    let mut stderr = String::new();
    if force && grace < 0 {
        grace = 0;
    }
    if grace == 0 && !force {
        // kubectl turns --grace-period=0 into 1 unless --force is given.
        grace = 1;
    }
    if force && grace == 0 {
        stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    let grace_opt = if grace >= 0 { Some(grace) } else { None };
    let op = if grace == 0 { "force deleted" } else { "deleted" };
    let by_name = a.get("output") == Some("name");
    let mut targets: Vec<(Key, Option<String>)> = Vec::new();
    let mut found_any = false;
    if a.has("filename") {
        if !a.pos.is_empty() {
            return CmdOutput::err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n", 1);
        }
        let sources = match apply::load(ctx, a) {
            Ok(s) => s,
            Err(e) => return CmdOutput::err(e, 1),
        };
        for (src, docs) in sources {
            for d in docs {
                match d {
                    Ok((kind, mut obj, _)) => {
                        if let Err(e) = apply::set_namespace(ctx, a, kind, &mut obj) {
                            stderr.push_str(&e);
                            continue;
                        }
                        targets.push((Key::new(kind, obj.namespace(), obj.name()), Some(src.clone())));
                    }
                    Err(e) => stderr.push_str(&e),
                }
            }
        }
    } else {
        if a.pos.is_empty() {
            return CmdOutput::err(NO_ARGS, 1);
        }
        let (reqs, _) = match resolve(&a.pos) {
            Ok(r) => r,
            Err(e) => return CmdOutput::err(e, 1),
        };
        let sel = match a.get("selector").map(selector::parse).transpose() {
            Ok(s) => s,
            Err(e) => return CmdOutput::err(format!("error: {e}\n"), 1),
        };
        let fields = match a.get("field-selector").map(selector::parse_fields).transpose() {
            Ok(f) => f.unwrap_or_default(),
            Err(e) => return CmdOutput::err(format!("Error from server (BadRequest): {e}\n"), 1),
        };
        for r in reqs {
            if !r.names.is_empty() {
                if sel.is_some() || a.bool("all") {
                    return CmdOutput::err("error: name cannot be provided when a selector is specified\n", 1);
                }
                for n in r.names {
                    targets.push((Key::new(r.kind, &ctx.ns, &n), None));
                }
            } else if sel.is_some() || a.bool("all") || !fields.is_empty() {
                if let Err(e) = ctx.authorize(c, "list", r.kind, if ctx.all_ns { "" } else { &ctx.ns }, "") {
                    stderr.push_str(&e);
                    continue;
                }
                for o in list(c, ctx, r.kind, &sel.clone().unwrap_or_default(), &fields) {
                    if let Some(k) = o.key() {
                        targets.push((k, None));
                    }
                }
            } else {
                return CmdOutput::err("error: resource(s) were provided, but no name was specified\n", 1);
            }
        }
    }
    let mut stdout = String::new();
    let mut deleted_uids = Vec::new();
    for (key, src) in targets {
        if let Err(e) = ctx.authorize(c, "delete", key.kind, &key.namespace, &key.name) {
            stderr.push_str(&e);
            continue;
        }
        let uid = c.store.get(&key).map(|o| o.uid().to_string());
        match api::delete(c, &key, propagation, grace_opt) {
            Ok(_) => {
                found_any = true;
                if let Some(u) = uid {
                    deleted_uids.push(u);
                }
                if by_name {
                    stdout.push_str(&format!("{}/{}\n", kind_string(key.kind), key.name));
                } else {
                    // v1.34 names the namespace (kubernetes/kubernetes#126619).
                    if key.kind.namespaced() {
                        stdout.push_str(&format!("{} \"{}\" {op} from {} namespace\n", kind_string(key.kind), key.name, key.namespace));
                    } else {
                        stdout.push_str(&format!("{} \"{}\" {op}\n", kind_string(key.kind), key.name));
                    }
                }
                c.settle();
            }
            Err(e) if a.bool("ignore-not-found") && e.reason == crate::model::api::Reason::NotFound => {}
            Err(e) => match src {
                Some(s) => stderr.push_str(&apply::server_error(&e, "deleting", &s)),
                None => stderr.push_str(&format!("{}\n", ApiError::kubectl_message(&e))),
            },
        }
    }
    if !found_any && stderr.is_empty() {
        return CmdOutput::ok("No resources found\n");
    }
    if a.get("wait") != Some("false") && !deleted_uids.is_empty() {
        wait_gone(c, &deleted_uids, grace.max(30) as u64 + 60);
    }
    let failed = stderr.lines().any(|l| !l.starts_with("Warning:"));
    CmdOutput { stdout, stderr, exit_code: i32::from(failed) }
}

/// `--wait`: lets simulated time pass, a second at a time and at most `max_secs`, until every
/// deleted object is gone (real kubectl would wait without end for an object that stays).
pub fn wait_gone(c: &mut Cluster, uids: &[String], max_secs: u64) {
    for _ in 0..max_secs.min(3600) {
        if uids.iter().all(|u| c.store.by_uid(u).is_none()) {
            return;
        }
        c.advance(1000);
    }
}
