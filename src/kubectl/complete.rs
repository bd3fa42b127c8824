//! Tab completion for the terminal: verbs, subcommands, resource types, object names, node and
//! namespace names, and flags — all computed from the live simulated cluster.

use super::args::{FLAGS, GLOBAL};
use super::VERBS;
use crate::model::kinds::KINDS;
use crate::model::{Cluster, Kind, ObjExt};

const MAX: usize = 200;

fn subcommands(verb: &str) -> &'static [&'static str] {
    match verb {
        "create" => &[
            "clusterrole", "clusterrolebinding", "configmap", "cronjob", "deployment", "job", "namespace", "role", "rolebinding", "secret", "service",
            "serviceaccount",
        ],
        "rollout" => &["history", "pause", "restart", "resume", "status", "undo"],
        "config" => &["current-context", "get-contexts", "set-context", "use-context", "view"],
        "auth" => &["can-i", "whoami"],
        "set" => &["image"],
        _ => &[],
    }
}

/// Verbs whose first argument is a resource type.
fn takes_type(verb: &str, sub: Option<&str>) -> bool {
    matches!(verb, "get" | "describe" | "delete" | "label" | "annotate" | "scale" | "expose" | "explain")
        || (verb == "rollout" && sub.is_some())
        || (verb == "set" && sub == Some("image"))
}

fn names(c: &Cluster, kind: Kind, ns: &str) -> Vec<String> {
    c.store.list_ns(kind, ns).take(MAX).map(|o| o.name().to_string()).collect()
}

/// Candidates that could replace the last word of `partial_line`.
pub fn complete(c: &Cluster, partial_line: &str) -> Vec<String> {
    let line: String = partial_line.chars().take(4096).collect();
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let current = if line.ends_with(char::is_whitespace) || words.is_empty() { "" } else { words.pop().unwrap_or("") };
    if words.first() == Some(&"kubectl") {
        words.remove(0);
    } else if words.is_empty() && "kubectl".starts_with(current) && !current.is_empty() {
        return vec!["kubectl".into()];
    }
    // Namespace in effect, for name completion.
    let mut ns = c.context_namespace.clone();
    let mut positional: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w == "-n" || w == "--namespace" {
            if let Some(n) = words.get(i + 1) {
                ns = n.to_string();
            }
            i += 2;
            continue;
        }
        if let Some(n) = w.strip_prefix("--namespace=") {
            ns = n.to_string();
        } else if !w.starts_with('-') {
            positional.push(w);
        }
        i += 1;
    }
    let prev = words.last().copied().unwrap_or("");
    let mut out: Vec<String> = Vec::new();
    if prev == "-n" || prev == "--namespace" {
        out = names(c, Kind::Namespace, "");
    } else if current.starts_with('-') {
        let verb = positional.first().copied().unwrap_or("");
        let allowed = super::verb_flags(verb).unwrap_or(&[]);
        for f in FLAGS.iter().filter(|f| GLOBAL.contains(&f.name) || allowed.contains(&f.name)) {
            out.push(format!("--{}", f.name));
        }
    } else if positional.is_empty() {
        out = VERBS.iter().map(|v| v.to_string()).collect();
    } else {
        let verb = positional[0];
        let subs = subcommands(verb);
        let sub = positional.get(1).copied().filter(|s| subs.contains(s));
        let args: Vec<&str> = positional[1 + usize::from(sub.is_some())..].to_vec();
        if !subs.is_empty() && sub.is_none() && positional.len() == 1 {
            out = subs.iter().map(|s| s.to_string()).collect();
        } else if matches!(verb, "cordon" | "uncordon" | "drain") {
            out = names(c, Kind::Node, "");
        } else if verb == "logs" {
            out = names(c, Kind::Pod, &ns);
        } else if takes_type(verb, sub) {
            if let Some((t, _)) = current.split_once('/') {
                if let Some(k) = Kind::from_resource_arg(t) {
                    out = names(c, k, &ns).into_iter().map(|n| format!("{t}/{n}")).collect();
                }
            } else if args.is_empty() {
                out = KINDS.iter().map(|k| k.plural.to_string()).collect();
                if verb == "get" {
                    out.push("all".into());
                }
            } else if let Some(k) = Kind::from_resource_arg(args[0].split(',').next().unwrap_or("")) {
                out = names(c, k, &ns);
            }
        }
    }
    let mut out: Vec<String> = out.into_iter().filter(|s| s.starts_with(current)).collect();
    crate::sort::ord(&mut out);
    out.dedup();
    out.truncate(MAX);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn completes_verbs_types_names_and_flags() {
        let c = Cluster::new();
        assert_eq!(complete(&c, "kubectl ge"), vec!["get"]);
        assert!(complete(&c, "kubectl get ").contains(&"pods".to_string()));
        assert_eq!(complete(&c, "kubectl get depl"), vec!["deployments"]);
        assert_eq!(complete(&c, "kubectl get nodes node0"), vec!["node01", "node02"]);
        assert_eq!(complete(&c, "kubectl get node/cont"), vec!["node/controlplane"]);
        assert!(complete(&c, "kubectl get pods --show").contains(&"--show-labels".to_string()));
        assert!(complete(&c, "kubectl get pods -n kube-").contains(&"kube-system".to_string()));
        assert_eq!(complete(&c, "kubectl rollout st"), vec!["status"]);
        assert_eq!(complete(&c, "kubectl cordon node"), vec!["node01", "node02"]);
        assert!(complete(&c, "kubectl get nosuchtype x").is_empty());
    }
}
