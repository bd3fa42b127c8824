//! `kubectl auth can-i VERB RESOURCE [NAME]` and `--list`, answered by the model's RBAC
//! authorizer: `yes` exit 0, `no` exit 1, as kubectl prints them.

use super::args::Args;
use super::{CmdOutput, Ctx};
use crate::model::rbac::{self, Request};
use crate::model::{Cluster, Kind};

pub fn run(c: &Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    match a.pos.first().map(String::as_str) {
        Some("can-i") => can_i(c, ctx, a),
        Some("whoami") => {
            let (user, groups) = identity(ctx);
            let groups = rbac::effective_groups(&user, &groups);
            let rows = vec![vec!["ATTRIBUTE".to_string(), "VALUE".into()], vec!["Username".into(), user], vec!["Groups".into(), format!("[{}]", groups.join(" "))]];
            CmdOutput::ok(super::printers::tabwrite(&rows))
        }
        Some(other) => CmdOutput::err(format!("error: unknown command \"{other}\" for \"kubectl auth\"\n"), 1),
        None => CmdOutput::ok("Inspect authorization.\n\nAvailable Commands:\n  can-i         Check whether an action is allowed\n  reconcile     Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects\n  whoami        Experimental: Check self subject attributes\n\nUsage:\n  kubectl auth [flags] [options]\n"),
    }
}

fn identity(ctx: &Ctx) -> (String, Vec<String>) {
    match &ctx.user {
        Some((u, g)) => (u.clone(), g.clone()),
        None => ("kubernetes-admin".into(), vec!["kubeadm:cluster-admins".into()]),
    }
}

fn can_i(c: &Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let (user, groups) = identity(ctx);
    let ns = if ctx.all_ns { String::new() } else { ctx.ns.clone() };
    if a.bool("list") {
        return CmdOutput::ok(rbac::can_i_list(&c.store, &user, &groups, &ns));
    }
    let args = &a.pos[1..];
    if args.len() < 2 || args.len() > 3 {
        return CmdOutput::err("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n", 1);
    }
    let verb = args[0].clone();
    let mut warn = String::new();
    let mut req = Request { user: user.clone(), groups: groups.clone(), verb: verb.clone(), namespace: ns.clone(), ..Default::default() };
    let res_arg = &args[1];
    if res_arg.starts_with('/') {
        req.non_resource_url = res_arg.clone();
        req.namespace.clear();
    } else {
        // cani.go Complete: `TYPE/NAME` always names an object; a subresource comes only from --subresource.
        let (res_part, name_part) = match res_arg.split_once('/') {
            Some((r, rest)) => (r.to_string(), Some(rest.to_string())),
            None => (res_arg.clone(), None),
        };
        let (base, sub) = match res_part.split_once('/') {
            Some((b, s)) => (b.to_string(), s.to_string()),
            None => (res_part.clone(), String::new()),
        };
        if base == "*" {
            req.resource = "*".into();
            req.api_group = "*".into();
        } else {
            match Kind::from_resource_arg(&base) {
                Some(k) => {
                    req.resource = k.info().plural.into();
                    req.api_group = k.info().group.into();
                    if !k.namespaced() {
                        req.namespace.clear();
                    }
                }
                None => {
                    let (r, g) = base.split_once('.').map(|(r, g)| (r.to_string(), g.to_string())).unwrap_or((base.clone(), String::new()));
                    warn = format!("Warning: the server doesn't have a resource type '{r}'\n\n");
                    req.resource = r;
                    req.api_group = g;
                }
            }
        }
        req.subresource = if sub.is_empty() { a.get("subresource").unwrap_or("").to_string() } else { sub };
        req.name = name_part.or_else(|| args.get(2).cloned()).unwrap_or_default();
    }
    let d = rbac::authorize(&c.store, &req);
    if d.allowed {
        CmdOutput { stdout: "yes\n".into(), stderr: warn, exit_code: 0 }
    } else {
        CmdOutput { stdout: "no\n".into(), stderr: warn, exit_code: 1 }
    }
}
