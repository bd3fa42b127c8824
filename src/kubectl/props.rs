//! Property test: no command line, however odd, makes the interpreter (or completion) panic,
//! and every command ends with exit code 0 or 1.

use super::{complete, execute};
use crate::model::Cluster;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "kubectl", "get", "describe", "delete", "apply", "create", "run", "expose", "scale", "label", "annotate", "rollout", "status", "undo",
    "history", "restart", "set", "image", "auth", "can-i", "config", "set-context", "view", "logs", "cordon", "drain", "uncordon", "top",
    "explain", "events", "version", "api-resources", "pods", "pod/x", "deploy", "deployment", "svc", "all", "nodes", "ns", "cm", "secret",
    "generic", "tls", "x", "web", "worker-1", "-n", "--namespace", "-A", "-l", "app=web", "app in (a,b)", "!app", "-o", "yaml", "json",
    "wide", "name", "jsonpath={.items[*].metadata.name}", "jsonpath={range .items[*]}{.x}{end}", "custom-columns=N:.metadata.name",
    "--sort-by=.metadata.name", "--image=nginx", "--replicas=3", "--replicas=-1", "--port=80", "--tcp=80:8080", "--from-literal=a=b", "--as",
    "jane", "--as-group", "g", "--dry-run=client", "--force", "--grace-period=0", "--cascade=orphan", "--all", "-f", "-", "k=v", "k-",
    "--overwrite", "--", "sleep", "10", "--list", "--current", "--field-selector", "status.phase=Running", "'", "\"", "\\", "=", "/", ",",
];

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![4 => prop::sample::select(WORDS).prop_map(str::to_string), 1 => "[ -~]{0,12}", 1 => any::<String>().prop_map(|s| s.chars().take(8).collect())],
        0..10,
    )
    .prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
    #[test]
    fn random_command_lines_never_panic(lines in prop::collection::vec(line(), 1..6), stdin in "[ -~\n]{0,60}") {
        let mut c = Cluster::new();
        let files = |_: &str| -> Option<String> { Some("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f\n".into()) };
        for l in &lines {
            let out = execute(&mut c, l, Some(&stdin), &files);
            prop_assert!(out.exit_code == 0 || out.exit_code == 1, "{l:?} gave exit {}", out.exit_code);
            let _ = complete(&c, l);
        }
    }
}
