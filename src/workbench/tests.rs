//! The workbench's tests: apply and prune as the editor drives them, the terminal, completion.
use super::*;
use crate::model::{Kind, ObjExt};

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
";
const SVC: &str = "---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
";

fn replicas(w: &Workbench) -> Option<i64> {
    w.cluster.store.get_by(Kind::Deployment, "default", "web").and_then(|d| d.i64_at("spec.replicas"))
}

#[test]
fn editing_applies_updates_and_prunes() {
    let both = format!("{DEPLOY}{SVC}");
    let mut w = Workbench::new(&both);
    assert!(w.diagnostics.is_empty(), "{:?}", w.diagnostics);
    assert_eq!(replicas(&w), Some(3));
    assert!(w.cluster.store.get_by(Kind::Service, "default", "web").is_some());
    let dkey = Key::new(Kind::Deployment, "default", "web");
    assert_eq!(w.lines_of(&dkey), Some((1, 17)));
    assert_eq!(w.lines_of(&Key::new(Kind::Service, "default", "web")).map(|l| l.0), Some(19));

    assert!(w.set_text(&both.replace("replicas: 3", "replicas: 5")));
    assert_eq!(replicas(&w), Some(5));

    assert!(w.set_text(&DEPLOY.replace("replicas: 3", "replicas: 5")));
    assert!(w.cluster.store.get_by(Kind::Service, "default", "web").is_none(), "removed from the text → deleted");
    assert_eq!(w.owned().count(), 1);
}

#[test]
fn errors_keep_the_last_good_cluster() {
    let mut w = Workbench::new(DEPLOY);
    let rev = w.revision;
    let broken = DEPLOY.replace("  replicas: 3", "  replicas: 3\n bad: [");
    assert!(!w.set_text(&broken));
    assert!(w.has_errors() && w.stale);
    assert!(w.diagnostics[0].line.is_some(), "{:?}", w.diagnostics);
    assert_eq!(w.revision, rev);
    assert_eq!(replicas(&w), Some(3));
    // Fixing the text applies again and clears the out-of-date mark.
    w.set_text(&DEPLOY.replace("replicas: 3", "replicas: 4"));
    assert!(!w.stale && !w.has_errors());
    assert_eq!(replicas(&w), Some(4));
}

#[test]
fn api_errors_block_the_whole_apply() {
    let mut w = Workbench::new("");
    let two = format!("{DEPLOY}---\napiVersion: v1\nkind: Nope\nmetadata:\n  name: x\n");
    assert!(!w.set_text(&two));
    assert!(w.has_errors());
    assert!(w.diagnostics.iter().any(|d| d.message.contains("no matches for kind \"Nope\"")), "{:?}", w.diagnostics);
    assert!(replicas(&w).is_none(), "nothing applied while any document fails");
    let dup = format!("{DEPLOY}---\n{DEPLOY}");
    assert!(!w.set_text(&dup));
    assert!(w.diagnostics.iter().any(|d| d.message.contains("appears twice")));
}

#[test]
fn bounds_give_messages() {
    let mut w = Workbench::new("");
    let big = "# x\n".repeat(MAX_TEXT_BYTES / 4 + 10);
    assert!(!w.set_text(&big));
    assert!(w.diagnostics[0].message.contains("at most 256 KB"));
}

#[test]
fn terminal_time_and_reset() {
    let mut w = Workbench::new(DEPLOY);
    let out = w.run("ls -l");
    assert_eq!((out.exit_code, out.stderr.as_str()), (127, "ls: command not found\n"));
    assert_eq!(w.run("  ").exit_code, 0);
    let t0 = w.cluster.now_ms();
    assert_eq!(w.run("advance 30s").exit_code, 0);
    w.tick(1500);
    assert_eq!(w.cluster.now_ms(), t0 + 31_500);
    w.set_text("");
    assert!(replicas(&w).is_none());
    let text = w.reset();
    assert_eq!(text, DEPLOY);
    assert_eq!(replicas(&w), Some(3));
    assert_eq!(w.cluster.now_ms(), 0);
}

#[test]
fn every_snippet_applies_cleanly() {
    for (kind, yaml) in snippets::SNIPPETS {
        let mut w = Workbench::new("");
        let text = if *kind == "Namespace" { yaml.to_string() } else { yaml.to_string() };
        w.set_text(&text);
        assert!(w.diagnostics.is_empty(), "{kind}: {:?}", w.diagnostics);
        assert_eq!(w.owned().count(), 1, "{kind}");
    }
}

#[test]
fn completion_of_verbs_types_and_names() {
    let w = Workbench::new(DEPLOY);
    assert_eq!(w.complete("kub"), vec!["kubectl".to_string()]);
    assert_eq!(w.complete("kubectl sc"), vec!["scale".to_string()]);
    assert!(w.complete("kubectl get deploy").contains(&"deployments".to_string()));
    assert_eq!(w.complete("kubectl scale deployment w"), vec!["web".to_string()]);
    assert!(w.complete("ls -").is_empty());
}

#[test]
fn unchanged_documents_are_reapplied_once_their_object_changed() {
    let both = format!("{DEPLOY}{SVC}");
    let mut w = Workbench::new(&both);
    let dkey = Key::new(Kind::Deployment, "default", "web");
    let rv = |w: &Workbench| w.cluster.store.get(&dkey).and_then(|d| d.str_at("metadata.resourceVersion").map(str::to_string));
    // A keystroke in the Service leaves the Deployment's object alone (skipped, or a no-op:
    // debug builds apply skipped documents anyway and assert they change nothing).
    let before = rv(&w);
    assert!(w.set_text(&both.replace("port: 80", "port: 81")));
    assert_eq!(rv(&w), before);
    // `kubectl scale` changes the object: the next keystroke anywhere applies the file's
    // replicas again, as `kubectl apply` of the whole file would.
    assert_eq!(w.run("kubectl scale deployment web --replicas=5").exit_code, 0);
    assert_eq!(replicas(&w), Some(5));
    assert!(w.set_text(&both.replace("port: 80", "port: 82")));
    assert_eq!(replicas(&w), Some(3));
}

#[test]
fn a_pasted_copy_of_an_applied_document_is_reported_twice_over() {
    let mut w = Workbench::new(DEPLOY);
    // The copy is the same text for an object untouched since it was applied: both are skipped,
    // and the duplicate must still be found.
    assert!(!w.set_text(&format!("{DEPLOY}---\n{DEPLOY}")));
    assert!(w.diagnostics.iter().any(|d| d.message.contains("appears twice")), "{:?}", w.diagnostics);
}

#[test]
fn the_objects_table_lists_the_learners_objects_with_their_state() {
    let mut w = Workbench::new(&format!("{DEPLOY}{SVC}"));
    w.tick(60_000);
    let rows = table::rows(&w.cluster);
    let kinds: Vec<&str> = rows.iter().map(|r| r.kind).collect();
    // In the store's order (kind, then namespace and name). No nodes, events, endpoints,
    // kube-system objects or the `kubernetes` service.
    assert_eq!(kinds, ["Pod", "Pod", "Pod", "Service", "ReplicaSet", "Deployment"], "{rows:?}");
    let pod = &rows[0];
    assert_eq!((pod.namespace.as_str(), pod.status.as_str()), ("default", "Running"));
    assert!(pod.name.starts_with("web-") && pod.node.starts_with("node0"), "{pod:?}");
    assert!(rows[3].status.starts_with("10."), "a service shows its cluster IP: {:?}", rows[3]);
    assert_eq!((rows[4].status.as_str(), rows[5].status.as_str()), ("3/3", "3/3"));
}

#[test]
fn the_page_sees_the_workbench_through_the_simulator_trait() {
    use sim::Simulator;
    let mut s: Box<dyn Simulator> = Box::new(Workbench::new(""));
    s.set_text(DEPLOY);
    assert!(!s.stale() && s.diagnostics().is_empty());
    // Time that changes the cluster (containers start) says so; time that changes nothing does not.
    assert!(s.tick(60_000));
    assert!(!s.tick(1_000));
    assert_eq!(s.now_ms() % 1_000, 0);
    let g = s.graph(crate::diagram::View::Ownership, &Default::default(), &[]);
    assert_eq!(g.nodes.iter().filter(|n| n.kind == crate::diagram::NodeKind::Object(Kind::Pod)).count(), 3);
    assert_eq!(s.rows().len(), 5);
    s.set_text("kind: [");
    assert!(s.stale() && !s.diagnostics().is_empty());
    assert_eq!(s.reset(), "", "the playground starts empty");
    assert!(s.rows().is_empty());
}
