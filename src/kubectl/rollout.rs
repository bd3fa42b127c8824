//! `kubectl rollout status|history|undo|restart|pause|resume`: argument handling here, the
//! behaviour and wording in `model::workloads` (owned by the workloads engine).

use super::args::Args;
use super::get::resolve;
use super::{CmdOutput, Ctx};
use crate::model::clock::parse_duration_ms;
use crate::model::{workloads, Cluster, Key};

const USAGE: &str = "Manage the rollout of one or many resources.

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]
";

fn result(r: Result<String, String>) -> CmdOutput {
    match r {
        Ok(s) if s.ends_with('\n') => CmdOutput::ok(s),
        Ok(s) => CmdOutput::ok(format!("{s}\n")),
        Err(e) => CmdOutput::err(format!("{}\n", e.trim_end()), 1),
    }
}

pub fn run(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let Some(sub) = a.pos.first().map(String::as_str) else {
        return CmdOutput::ok(USAGE);
    };
    if !["status", "history", "undo", "restart", "pause", "resume"].contains(&sub) {
        return CmdOutput::err(format!("error: unknown command \"{sub}\" for \"kubectl rollout\"\n"), 1);
    }
    let (reqs, _) = match resolve(&a.pos[1..]) {
        Ok(r) => r,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let mut keys: Vec<Key> = Vec::new();
    for r in &reqs {
        if r.names.is_empty() {
            return CmdOutput::err("error: resource(s) were provided, but no name was specified\n", 1);
        }
        for n in &r.names {
            keys.push(Key::new(r.kind, &ctx.ns, n));
        }
    }
    if keys.is_empty() {
        return CmdOutput::err(format!("error: required resource not specified\nSee 'kubectl rollout {sub} -h' for help and examples\n"), 1);
    }
    let mut out = CmdOutput::default();
    for key in keys {
        let verb = if matches!(sub, "status" | "history") { "get" } else { "patch" };
        if let Err(e) = ctx.authorize(c, verb, key.kind, &key.namespace, &key.name) {
            out.stderr.push_str(&e);
            out.exit_code = 1;
            continue;
        }
        let one = match sub {
            "status" => {
                if a.get("watch") == Some("false") {
                    match workloads::rollout_status(c, &key) {
                        Ok((msg, _)) => CmdOutput::ok(format!("{msg}\n")),
                        Err(e) => CmdOutput::err(format!("{}\n", e.trim_end()), 1),
                    }
                } else {
                    let limit = a.get("timeout").and_then(parse_duration_ms).filter(|t| *t > 0).unwrap_or(30 * 60 * 1000);
                    let (s, e) = workloads::rollout_status_wait(c, &key, limit);
                    match e {
                        None => CmdOutput::ok(s),
                        Some(e) => CmdOutput { stdout: s, stderr: format!("{}\n", e.trim_end()), exit_code: 1 },
                    }
                }
            }
            "history" => {
                let rev = a.get("revision").and_then(|r| r.parse::<i64>().ok());
                result(workloads::rollout_history(c, &key, rev))
            }
            "undo" => {
                let rev = a.get("to-revision").and_then(|r| r.parse::<i64>().ok()).filter(|r| *r > 0);
                let r = result(workloads::rollout_undo(c, &key, rev, ctx.caller()));
                c.settle();
                r
            }
            "restart" => {
                let r = result(workloads::rollout_restart(c, &key, ctx.caller()));
                c.settle();
                r
            }
            _ => {
                let r = result(workloads::rollout_pause(c, &key, sub == "pause", ctx.caller()));
                c.settle();
                r
            }
        };
        out.stdout.push_str(&one.stdout);
        out.stderr.push_str(&one.stderr);
        out.exit_code = out.exit_code.max(one.exit_code);
    }
    out
}
