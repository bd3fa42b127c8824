//! `kubectl logs`: which pod and container (POD, TYPE/NAME, -l, -c, the default container and its
//! "Defaulted container" notice), --tail, --previous, --prefix; -f is refused politely. The text
//! itself comes from the kubelet simulation (`source` below).

use super::args::Args;
use super::get::list;
use super::selector;
use super::{CmdOutput, Ctx};
use crate::model::{ApiError, Cluster, Kind, ObjExt, Object};

const USAGE: &str = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.
POD or TYPE/NAME is a required argument for the logs command
See 'kubectl logs -h' for help and examples
";

/// Where log text comes from: the kubelet simulation (`model::logs`), which words its own errors.
fn source(c: &Cluster, pod: &Object, container: &str, previous: bool) -> Result<String, String> {
    crate::model::logs::logs(&c.store, pod.namespace(), pod.name(), Some(container).filter(|n| !n.is_empty()), previous)
}

/// The pod a TYPE/NAME stands for (`kubectl logs deploy/web` picks one of its pods).
fn pod_for(c: &Cluster, ctx: &Ctx, arg: &str) -> Result<(Object, Option<String>), String> {
    let (t, n) = match arg.split_once('/') {
        Some((t, n)) => (t, n),
        None => ("pod", arg),
    };
    let kind = Kind::from_resource_arg(t).ok_or_else(|| super::get::unknown_type(t))?;
    if kind == Kind::Pod {
        return c.store.get_by(Kind::Pod, &ctx.ns, n).cloned().map(|p| (p, None)).ok_or_else(|| format!("{}\n", ApiError::not_found(Kind::Pod, n).kubectl_message()));
    }
    let owner = c.store.get_by(kind, &ctx.ns, n).cloned().ok_or_else(|| format!("{}\n", ApiError::not_found(kind, n).kubectl_message()))?;
    let sel = owner.path("spec.selector.matchLabels").or(owner.path("spec.selector")).map(|v| crate::model::object::string_map(Some(v))).unwrap_or_default();
    let mut pods: Vec<Object> = c.store.list_ns(Kind::Pod, &ctx.ns).filter(|p| !sel.is_empty() && sel.iter().all(|(k, v)| p.labels().get(k) == Some(v))).cloned().collect();
    crate::sort::by(&mut pods, |a, b| a.name().cmp(b.name()));
    match pods.len() {
        0 => Err("error: timed out waiting for the condition\n".to_string()),
        1 => Ok((pods.remove(0), None)),
        k => {
            let p = pods.remove(0);
            let note = format!("Found {k} pods, using pod/{}\n", p.name());
            Ok((p, Some(note)))
        }
    }
}

pub fn run(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    if a.bool("follow") {
        return CmdOutput::err("error: -f/--follow is not available in this simulated terminal: logs do not stream. Run kubectl logs again (after `advance` or any command) to see new lines.\n", 1);
    }
    let mut pods: Vec<Object> = Vec::new();
    let mut stderr = String::new();
    if let Some(sel) = a.get("selector") {
        let s = match selector::parse(sel) {
            Ok(s) => s,
            Err(e) => return CmdOutput::err(format!("error: {e}\n"), 1),
        };
        pods = list(c, ctx, Kind::Pod, &s, &[]);
        if pods.is_empty() {
            return CmdOutput::err(format!("No resources found in {} namespace.\n", ctx.ns), 0);
        }
    } else {
        let Some(arg) = a.pos.first() else { return CmdOutput::err(USAGE, 1) };
        match pod_for(c, ctx, arg) {
            Ok((p, note)) => {
                stderr.push_str(&note.unwrap_or_default());
                pods.push(p);
            }
            Err(e) => return CmdOutput::err(e, 1),
        }
    }
    let mut stdout = String::new();
    let many = pods.len() > 1;
    for p in &pods {
        if let Err(e) = ctx.authorize_sub(c, "get", Kind::Pod, "log", p.namespace(), p.name()) {
            return CmdOutput::err(e, 1);
        }
        let names: Vec<String> = p.arr_at("spec.containers").iter().filter_map(|ct| ct.str_at("name").map(str::to_string)).collect();
        let containers: Vec<String> = if a.bool("all-containers") {
            names.clone()
        } else {
            match a.get("container").or(a.pos.get(1).map(String::as_str)) {
                Some(cn) => vec![cn.to_string()],
                None => {
                    let default = p.annotation("kubectl.kubernetes.io/default-container").map(str::to_string).or_else(|| names.first().cloned()).unwrap_or_default();
                    if names.len() > 1 && !many {
                        stderr.push_str(&format!("Defaulted container \"{default}\" out of: {}\n", names.join(", ")));
                    }
                    vec![default]
                }
            }
        };
        for cn in containers {
            match source(c, p, &cn, a.bool("previous")) {
                Ok(text) => {
                    let mut lines: Vec<&str> = text.lines().collect();
                    if let Some(n) = a.get("tail").and_then(|t| t.parse::<i64>().ok()).filter(|n| *n >= 0) {
                        let n = n as usize;
                        if lines.len() > n {
                            lines = lines.split_off(lines.len() - n);
                        }
                    }
                    for l in lines {
                        if a.bool("prefix") || (many && a.bool("prefix")) {
                            stdout.push_str(&format!("[pod/{}/{cn}] ", p.name()));
                        }
                        stdout.push_str(l);
                        stdout.push('\n');
                    }
                }
                Err(e) => {
                    stderr.push_str(&e);
                    if !e.ends_with('\n') {
                        stderr.push('\n');
                    }
                }
            }
        }
    }
    CmdOutput::mixed(stdout, stderr.clone()).with_exit(if stderr.lines().any(|l| l.starts_with("error") || l.starts_with("Error")) { 1 } else { 0 })
}

impl CmdOutput {
    fn with_exit(mut self, code: i32) -> CmdOutput {
        self.exit_code = code;
        self
    }
}
