//! A kubectl interpreter over the simulated cluster, shared by the page's terminal and the native
//! command: same verbs, flags, output columns, messages and exit codes as real kubectl.

pub mod apply;
pub mod args;
mod auth;
mod complete;
mod create;
mod delete;
mod describe;
mod edit;
mod get;
mod logs;
mod misc;
#[cfg(test)]
mod props;
mod rollout;
pub mod output;
mod yaml;
pub mod printers;
pub mod selector;

use crate::model::api::Caller;
use crate::model::rbac;
use crate::model::{Cluster, Kind};

/// The result of one command line.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct CmdOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl CmdOutput {
    pub fn ok(stdout: impl Into<String>) -> CmdOutput {
        CmdOutput { stdout: stdout.into(), stderr: String::new(), exit_code: 0 }
    }
    pub fn err(stderr: impl Into<String>, code: i32) -> CmdOutput {
        CmdOutput { stdout: String::new(), stderr: stderr.into(), exit_code: code }
    }
    /// Output and errors together (kubectl prints what worked and fails with exit 1 if anything failed).
    pub fn mixed(stdout: String, stderr: String) -> CmdOutput {
        let exit_code = if stderr.is_empty() { 0 } else { 1 };
        CmdOutput { stdout, stderr, exit_code }
    }
}

/// Files a command may read (`-f name`), by name; `-` is stdin.
pub type Files<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What every verb needs: the namespace in effect and who is asking.
pub struct Ctx<'a> {
    pub ns: String,
    pub all_ns: bool,
    /// `--as` / `--as-group` impersonation.
    pub user: Option<(String, Vec<String>)>,
    pub stdin: Option<&'a str>,
    pub files: Files<'a>,
}

impl Ctx<'_> {
    pub fn caller(&self) -> Caller {
        match &self.user {
            None => Caller::admin(),
            Some((u, g)) => Caller::User { name: u.clone(), groups: g.clone() },
        }
    }

    /// RBAC check for an impersonated user; the default admin is always allowed, as on kubeadm.
    /// The message is the API server's `Forbidden` text.
    pub fn authorize(&self, c: &Cluster, verb: &str, kind: Kind, ns: &str, name: &str) -> Result<(), String> {
        self.authorize_sub(c, verb, kind, "", ns, name)
    }

    /// The same for a subresource (`pods/log`, `deployments/scale`).
    pub fn authorize_sub(&self, c: &Cluster, verb: &str, kind: Kind, sub: &str, ns: &str, name: &str) -> Result<(), String> {
        let Some((user, groups)) = &self.user else { return Ok(()) };
        let info = kind.info();
        let ns = if kind.namespaced() { ns } else { "" };
        let req = rbac::Request {
            user: user.clone(),
            groups: groups.clone(),
            verb: verb.into(),
            api_group: info.group.into(),
            resource: info.plural.into(),
            subresource: sub.into(),
            namespace: ns.into(),
            name: name.into(),
            non_resource_url: String::new(),
        };
        if rbac::authorize(&c.store, &req).allowed {
            return Ok(());
        }
        Err(format!("Error from server (Forbidden): {}\n", rbac::forbidden_message(&req)))
    }
}

/// The verbs this interpreter knows, for completion and "did you mean".
pub const VERBS: &[&str] = &[
    "annotate", "api-resources", "api-versions", "apply", "auth", "cluster-info", "config", "cordon", "create", "delete", "describe", "drain",
    "events", "explain", "expose", "get", "label", "logs", "rollout", "run", "scale", "set", "taint", "top", "uncordon", "version",
];

/// Runs one `kubectl ...` command line against the cluster.
pub fn execute(c: &mut Cluster, line: &str, stdin: Option<&str>, files: Files) -> CmdOutput {
    let words = match args::split_words(line) {
        Ok(w) => w,
        Err(e) => return CmdOutput::err(format!("{e}\n"), 1),
    };
    let words: Vec<String> = match words.first().map(String::as_str) {
        Some("kubectl") | Some("k") => words[1..].to_vec(),
        _ => words,
    };
    let (verb, rest) = args::split_verb(&words);
    let Some(verb) = verb else {
        return CmdOutput::ok(HELP);
    };
    if UNAVAILABLE.contains(&verb.as_str()) {
        return CmdOutput::err(
            format!("error: \"kubectl {verb}\" needs a running container or a live API connection, which this simulated cluster does not have. Try kubectl get, describe or logs instead.\n"),
            1,
        );
    }
    let spec = match verb_flags(&verb) {
        Some(s) => s,
        None => return unknown_command(&verb),
    };
    let a = match args::parse(&rest, spec, &verb) {
        Ok(a) => a,
        Err(e) => return CmdOutput::err(e, 1),
    };
    if a.bool("help") {
        return CmdOutput::ok(short_help(&verb));
    }
    let ns = a.get("namespace").map(str::to_string).unwrap_or_else(|| c.context_namespace.clone());
    let user = a.get("as").filter(|u| !u.is_empty()).map(|u| (u.to_string(), a.all("as-group")));
    if user.is_none() && a.has("as-group") {
        return CmdOutput::err("error: requesting uid, groups or user-extra for test without impersonating a user\n", 1);
    }
    let ctx = Ctx { ns, all_ns: a.bool("all-namespaces"), user, stdin, files };
    match verb.as_str() {
        "get" => get::run(c, &ctx, &a),
        "apply" => apply::run(c, &ctx, &a),
        "create" => create::run(c, &ctx, &a),
        "run" => create::run_pod(c, &ctx, &a),
        "label" => edit::label(c, &ctx, &a, false),
        "annotate" => edit::label(c, &ctx, &a, true),
        "scale" => edit::scale(c, &ctx, &a),
        "set" => edit::set(c, &ctx, &a),
        "cordon" => edit::cordon(c, &ctx, &a, true),
        "uncordon" => edit::cordon(c, &ctx, &a, false),
        "drain" => edit::drain(c, &ctx, &a),
        "taint" => edit::taint(c, &ctx, &a),
        "auth" => auth::run(c, &ctx, &a),
        "describe" => describe::run(c, &ctx, &a),
        "rollout" => rollout::run(c, &ctx, &a),
        "logs" => logs::run(c, &ctx, &a),
        "expose" => create::expose(c, &ctx, &a),
        "delete" => delete::run(c, &ctx, &a),
        "version" => misc::version(c, &a),
        "api-resources" => misc::api_resources(&a),
        "api-versions" => misc::api_versions(),
        "cluster-info" => misc::cluster_info(c),
        "config" => misc::config(c, &a),
        "top" => misc::top(),
        "explain" => misc::explain(&a),
        "events" => misc::events(c, &ctx, &a),
        _ => CmdOutput::err(format!("error: \"kubectl {verb}\" is not available yet in kubelab\n"), 1),
    }
}

/// Real kubectl verbs the simulator cannot offer (they need a container runtime or a network).
const UNAVAILABLE: &[&str] = &["exec", "attach", "port-forward", "proxy", "cp", "debug", "edit", "wait", "patch", "replace", "kustomize", "plugin", "certificate"];

/// Flags each verb accepts (besides the global ones); None for unknown verbs.
fn verb_flags(verb: &str) -> Option<&'static [&'static str]> {
    const OUT: &[&str] = &["output"];
    Some(match verb {
        "get" => &[
            "output", "selector", "field-selector", "all-namespaces", "show-labels", "label-columns", "sort-by", "no-headers", "watch",
            "watch-only", "show-kind", "ignore-not-found", "filename", "recursive",
        ],
        "version" => &["client", "output"],
        "apply" => &["filename", "recursive", "dry-run", "validate", "server-side", "field-manager", "force", "output", "selector", "record", "wait"],
        "delete" => &[
            "filename", "recursive", "selector", "field-selector", "all", "all-namespaces", "cascade", "grace-period", "force", "now", "wait",
            "timeout", "ignore-not-found", "output", "dry-run",
        ],
        "create" => &[
            "filename", "recursive", "output", "dry-run", "save-config", "validate", "image", "replicas", "port", "from-literal", "from-file",
            "from-env-file", "type", "cert", "key", "tcp", "node-port", "clusterip", "external-name", "schedule", "restart", "from", "verb",
            "resource", "resource-name", "non-resource-url", "role", "clusterrole", "user", "group", "serviceaccount", "docker-server",
            "docker-username", "docker-password", "docker-email", "aggregation-rule", "field-manager",
        ],
        "run" => &[
            "image", "restart", "labels", "port", "command", "env", "dry-run", "output", "rm", "stdin", "tty", "attach", "image-pull-policy",
            "annotations", "overrides", "privileged", "expose", "pod-running-timeout",
        ],
        "expose" => &["port", "target-port", "protocol", "type", "name", "selector", "external-ip", "cluster-ip", "labels", "dry-run", "output", "filename", "session-affinity"],
        "label" | "annotate" => &["overwrite", "selector", "all", "all-namespaces", "output", "dry-run", "list", "local", "filename"],
        "scale" => &["replicas", "current-replicas", "selector", "all", "output", "dry-run", "filename", "timeout"],
        "set" => &["selector", "all", "output", "dry-run", "local", "filename", "containers"],
        "cordon" | "uncordon" => &["selector", "dry-run"],
        "taint" => &["overwrite", "selector", "all", "dry-run", "output"],
        "drain" => &["ignore-daemonsets", "delete-emptydir-data", "force", "grace-period", "timeout", "selector", "disable-eviction", "dry-run", "pod-selector"],
        "logs" => &["container", "previous", "tail", "follow", "timestamps", "since", "since-time", "all-containers", "prefix", "selector", "limit-bytes", "max-log-requests", "ignore-errors"],
        "rollout" => &["watch", "timeout", "revision", "to-revision", "output", "selector", "dry-run", "filename"],
        "describe" => &["selector", "all-namespaces", "filename", "recursive", "show-events", "chunk-size"],
        "auth" => &["list", "all-namespaces", "subresource", "no-headers", "quiet"],
        "api-resources" => &["output", "no-headers", "namespaced", "api-group", "verbs", "sort-by"],
        "config" => &["current", "minify", "raw", "output"],
        "explain" => &["recursive", "output", "api-version"],
        "events" => &["all-namespaces", "for", "types", "output", "watch", "no-headers"],
        "top" => &["all-namespaces", "selector", "containers", "no-headers", "sort-by"],
        _ if VERBS.contains(&verb) => OUT,
        _ => return None,
    })
}

/// kubectl's commands in the order it registers them (cobra suggests in this order).
const REGISTERED: &[&str] = &[
    "create", "expose", "run", "set", "explain", "get", "edit", "delete", "rollout", "scale", "autoscale", "certificate", "cluster-info", "top",
    "cordon", "uncordon", "drain", "taint", "describe", "logs", "attach", "exec", "port-forward", "proxy", "cp", "auth", "debug", "events",
    "diff", "apply", "patch", "replace", "wait", "kustomize", "label", "annotate", "completion", "api-resources", "api-versions", "config",
    "plugin", "version", "options",
];

fn unknown_command(verb: &str) -> CmdOutput {
    let close: Vec<&&str> = REGISTERED.iter().filter(|v| levenshtein(v, verb) <= 2 || v.starts_with(verb)).collect();
    let mut s = format!("Error: unknown command \"{verb}\" for \"kubectl\"\n");
    if !close.is_empty() {
        s.push_str("\nDid you mean this?\n");
        for v in close {
            s.push_str(&format!("\t{v}\n"));
        }
        s.push('\n');
    } else {
        s.push_str("Run 'kubectl --help' for usage.\n");
    }
    CmdOutput::err(s, 1)
}

/// cobra's missing required flags, as kubectl v1.30+ reports them through klog
/// (`E0105 09:00:00.000000       7 run.go:72] "command failed" err="required flag(s) \"image\" not set"`),
/// stamped with the simulated clock.
pub fn required_flags(c: &Cluster, flags: &[&str]) -> CmdOutput {
    let ts = c.clock.timestamp();
    let (mo, d, hms) = (&ts[5..7], &ts[8..10], &ts[11..19]);
    let micros = (c.clock.now_ms % 1000) * 1000;
    let list = flags.iter().map(|f| format!("\\\"{f}\\\"")).collect::<Vec<_>>().join(", ");
    CmdOutput::err(format!("E{mo}{d} {hms}.{micros:06}       7 run.go:72] \"command failed\" err=\"required flag(s) {list} not set\"\n"), 1)
}

/// Edit distance, bounded to short words (cobra's suggestion distance is 2).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().take(64).collect(), b.chars().take(64).collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let v = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}

const HELP: &str = "kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller

Cluster Management Commands:
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  auth            Inspect authorization
  events          List events

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of \"group/version\"
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use \"kubectl <command> --help\" for more information about a given command.
";

fn short_help(verb: &str) -> String {
    let (what, usage) = match verb {
        "get" => ("Display one or many resources.", "kubectl get [(-o|--output=)json|yaml|name|wide|custom-columns=...|jsonpath=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]"),
        "apply" => ("Apply a configuration to a resource by file name or stdin.", "kubectl apply (-f FILENAME | -k DIRECTORY) [options]"),
        "create" => ("Create a resource from a file or from stdin.", "kubectl create -f FILENAME [options]"),
        "delete" => ("Delete resources by file names, stdin, resources and names, or by resources and label selector.", "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]"),
        "describe" => ("Show details of a specific resource or group of resources.", "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]"),
        "run" => ("Create and run a particular image in a pod.", "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]"),
        "logs" => ("Print the logs for a container in a pod or specified resource.", "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]"),
        "scale" => ("Set a new size for a deployment, replica set, replication controller, or stateful set.", "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]"),
        "expose" => ("Expose a resource as a new Kubernetes service.", "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]"),
        "rollout" => ("Manage the rollout of one or many resources.", "kubectl rollout SUBCOMMAND [options]"),
        "label" => ("Update the labels on a resource.", "kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]"),
        "annotate" => ("Update the annotations on one or more resources.", "kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]"),
        "auth" => ("Inspect authorization.", "kubectl auth [flags] [options]"),
        _ => ("", ""),
    };
    if what.is_empty() {
        return format!("Run 'kubectl {verb}' — see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_{verb}/\n");
    }
    format!("{what}\n\nUsage:\n  {usage}\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n")
}

/// Tab completion for the terminal: verbs, resource types, object names and flags.
pub fn complete(c: &Cluster, partial_line: &str) -> Vec<String> {
    complete::complete(c, partial_line)
}
