//! The shared example manifests: every real manifest from kubernetes.io in `valid/` reads, decodes
//! and validates clean; every hand-made mistake in `broken/` yields its expected message on its
//! line. Plus a property test that no input panics the reader, decoder or validator.

use kubelab::manifest::{self, check, Severity};
use proptest::prelude::*;
use std::path::PathBuf;

/// `shared/` sits beside the clone (CI) or two levels up for a worktree in `/work/wt/NAME`.
fn dir(sub: &str) -> PathBuf {
    let beside = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/k8s-examples"));
    let above = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/k8s-examples"));
    if beside.exists() { beside.join(sub) } else { above.join(sub) }
}

fn files(sub: &str) -> Vec<(String, String)> {
    let rd = std::fs::read_dir(dir(sub)).unwrap_or_else(|e| panic!("shared/k8s-examples/{sub} must sit beside the clone: {e}"));
    let mut v: Vec<(String, String)> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).expect("readable")))
        .collect();
    v.sort();
    v
}

#[test]
fn valid_examples_are_accepted() {
    let fs = files("valid");
    let mut failures = Vec::new();
    let mut objects = 0;
    for (name, text) in &fs {
        let read = manifest::read(text);
        objects += read.len();
        for d in check(text) {
            failures.push(format!("{name}: line {:?}: {}", d.line, d.message));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(fs.len(), 80, "the README lists 80 files in valid/");
    assert_eq!(objects, 100, "the README counts 100 objects in valid/");
}

#[test]
fn broken_examples_fail_with_their_message_on_their_line() {
    let mut failures = Vec::new();
    for (name, text) in files("broken") {
        let expect = text.lines().next().and_then(|l| l.strip_prefix("# expect: ")).expect("expect line").trim().to_string();
        let line: u32 = text.lines().nth(1).and_then(|l| l.strip_prefix("# line: ")).expect("line").trim().parse().expect("number");
        let diags = check(&text);
        let errors: Vec<_> = diags.iter().filter(|d| d.severity == Severity::Error).collect();
        let hit = errors.iter().find(|d| d.message.contains(&expect));
        match hit {
            None => failures.push(format!("{name}: no error contains {expect:?}; got {:?}", errors.iter().map(|d| &d.message).collect::<Vec<_>>())),
            Some(d) if d.line != Some(line) => failures.push(format!("{name}: {expect:?} on line {:?}, expected {line}", d.line)),
            Some(_) => {}
        }
        if errors.len() != 1 {
            failures.push(format!("{name}: expected exactly one error, got {:?}", errors.iter().map(|d| &d.message).collect::<Vec<_>>()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn kubectl_renders_full_messages() {
    let r = manifest::read("apiVersion: apps/v1\nkind: Deployement\nmetadata:\n  name: web\n");
    let e = r[0].as_ref().unwrap_err();
    assert_eq!(
        e.kubectl("web.yaml"),
        "error: resource mapping not found for name: \"web\" namespace: \"\" from \"web.yaml\": no matches for kind \"Deployement\" in version \"apps/v1\"\nensure CRDs are installed first"
    );
    assert_eq!(e.hints, vec!["did you mean kind \"Deployment\" (apiVersion \"apps/v1\")?".to_string()]);
    let r = manifest::read("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replica: 2\n");
    assert_eq!(
        r[0].as_ref().unwrap_err().kubectl("web.yaml"),
        "Error from server (BadRequest): error when creating \"web.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\""
    );
    let r = manifest::read("kind: Pod\nmetadata:\n  name: p\n");
    assert_eq!(
        r[0].as_ref().unwrap_err().kubectl("p.yaml"),
        "error: error validating \"p.yaml\": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false"
    );
    // A YAML error in the second document: the first still reads; go-yaml counts lines per chunk.
    let r = manifest::read("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\na: b\n  c: d\n");
    assert!(r[0].is_ok());
    let e = r[1].as_ref().unwrap_err();
    assert_eq!(e.kubectl("x.yaml"), "error: error parsing x.yaml: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context");
    assert_eq!(e.line, Some(7));
}

/// A manifest near the 1 MiB bound is read quickly and a larger one is refused with a message.
#[test]
fn large_manifests_are_bounded() {
    let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-NAME\ndata:\n  key: \"some value here\"\n  other: \"[1, 2, 3]\"\n---\n";
    let mut text = String::new();
    let mut i = 0;
    while text.len() + doc.len() < 1_000_000 && i < 400 {
        text.push_str(&doc.replace("NAME", &i.to_string()));
        i += 1;
    }
    // Many small documents up to the document cap, then one big one filling the rest.
    text.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
    let mut k = 0;
    while text.len() < 1_000_000 {
        text.push_str(&format!("  k{k}: \"{}\"\n", "x".repeat(60)));
        k += 1;
    }
    let t = std::time::Instant::now();
    let d = check(&text);
    let ms = t.elapsed().as_millis();
    eprintln!("check() of {} bytes, {} documents: {ms} ms", text.len(), i + 1);
    assert!(d.is_empty(), "{:?}", d.first());
    assert!(ms < 5_000, "{ms} ms");
    text.push_str(&"#".repeat(100_000));
    let d = check(&text);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("kubelab reads at most 1048576 bytes (1 MiB)"), "{}", d[0].message);
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(400)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]
    #[test]
    fn no_unicode_input_panics(s in "\\PC{0,200}") {
        let _ = check(&s);
    }

    #[test]
    fn no_input_panics(s in "[ -~\\t\\n]{0,300}") {
        let _ = check(&s);
    }

    #[test]
    fn no_mutated_manifest_panics(cut in 0usize..400, ins in "[ :\\-\\[\\]{}'\"&*!|>#a-z0-9\\t\\n]{0,8}") {
        let base = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n        resources:\n          limits: {cpu: 500m, memory: 128Mi}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 80, nodePort: 30080}]\n";
        let mut cut = cut.min(base.len());
        while !base.is_char_boundary(cut) { cut -= 1; }
        let text = format!("{}{}{}", &base[..cut], ins, &base[cut..]);
        let _ = check(&text);
    }

    /// The editor's chunked parse (`manifest::incremental`) gives what a whole parse gives, through
    /// a run of edits that make and break `---` lines, quotes and errors.
    #[test]
    fn the_chunked_parse_equals_a_whole_parse(edits in proptest::collection::vec((0usize..600, "[ :\\-\\[\\]{}'\"#a-z0-9\n]{0,6}", 0usize..4), 1..6)) {
        let mut text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n---\n# note\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n".to_string();
        let mut cache = kubelab::manifest::incremental::ParseCache::default();
        for (at, ins, del) in edits {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) { at -= 1; }
            let mut end = (at + del).min(text.len());
            while !text.is_char_boundary(end) { end += 1; }
            text.replace_range(at..end, &ins);
            prop_assert_eq!(cache.parse(&text), kubelab::manifest::parse_all(&text));
        }
    }
}

#[test]
fn check_places_problems_per_document_with_hints() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  minreadyseconds: 5\n  template:\n    spec:\n      containers: []\n";
    let d = check(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].doc, Some(1));
    assert_eq!(d[0].line, Some(12));
    assert_eq!(d[0].hint.as_deref(), Some("unknown field \"spec.minreadyseconds\": did you mean \"minReadySeconds\"?"));
    // Without the typo the same document fails validation; a missing field points at its parent.
    let fixed = text.replace("  minreadyseconds: 5\n", "");
    let d = check(&fixed);
    let sel = d.iter().find(|x| x.message == "spec.selector: Required value").expect("selector required");
    assert_eq!(sel.line, Some(10), "the `spec:` line");
    let c = d.iter().find(|x| x.message == "spec.template.spec.containers: Required value").expect("containers required");
    assert_eq!(c.line, Some(14));
}

#[test]
fn api_error_causes_map_to_lines() {
    use kubelab::model::api::{create, Caller};
    let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n    spec:\n      restartPolicy: Always\n      containers:\n      - name: pi\n        image: perl\n";
    let docs = manifest::parse(text).expect("parses");
    let mut c = kubelab::model::Cluster::new();
    let e = create(&mut c, docs[0].value.clone(), Caller::admin()).unwrap_err();
    let d = manifest::cause_diagnostics(&docs[0], 0, &e);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line, Some(8));
    assert!(d[0].message.starts_with("spec.template.spec.restartPolicy: Unsupported value: \"Always\""));
}

#[test]
fn lists_are_flattened_with_their_lines() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n  dta: {}\n";
    let r = manifest::read(text);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].as_ref().unwrap().doc.value["metadata"]["name"], "a");
    let e = r[1].as_ref().unwrap_err();
    assert_eq!(e.message(), "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"dta\"");
    assert_eq!(e.line, Some(12));
    assert_eq!(e.hints, vec!["unknown field \"dta\": did you mean \"data\"?".to_string()]);
}

/// A mutated manifest goes all the way through `kubectl apply` and the controllers: whatever the
/// API accepts must not panic the model either.
fn apply_and_settle(text: &str) -> bool {
    let mut c = kubelab::model::Cluster::new();
    let out = kubelab::kubectl::execute(&mut c, "kubectl apply -f -", Some(text), &|_| None);
    assert!(out.exit_code == 0 || !out.stderr.is_empty(), "a failure says why: {out:?}");
    c.advance(60_000);
    out.exit_code == 0
}

#[test]
fn the_apply_fuzz_base_is_accepted() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: \"nginx:1.27\"\n        command: []\n        ports: [{containerPort: 80}]\n        resources: {requests: {cpu: 100m}}\n";
    assert!(apply_and_settle(text));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 4, ..ProptestConfig::default() })]
    #[test]
    fn no_mutated_manifest_panics_the_cluster(
        replicas in prop_oneof![Just("3".to_string()), Just("0".to_string()), Just("-1".to_string()), Just("10001".to_string()), "[0-9]{1,3}"],
        image in prop_oneof![Just("nginx:1.27"), Just("busybox"), Just(""), Just("nosuchimage:0"), Just("nginx@sha256:abc")],
        command in prop_oneof![Just("[]"), Just("[sleep, \"5\"]"), Just("[sh, -c, \"exit 3\"]"), Just("[\"false\"]")],
        port in prop_oneof![Just("80"), Just("0"), Just("70000"), Just("http"), Just("\"8080\"")],
        cpu in prop_oneof![Just("100m"), Just("2"), Just("500MB"), Just("0.5"), Just("1e3")],
        kind in prop_oneof![Just("Deployment"), Just("ReplicaSet"), Just("StatefulSet"), Just("DaemonSet")],
    ) {
        let text = format!("apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  serviceName: web\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: web\n        image: \"{image}\"\n        command: {command}\n        ports: [{{containerPort: {port}}}]\n        resources: {{requests: {{cpu: {cpu}}}}}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {{name: j}}\nspec:\n  completions: {replicas}\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{{name: j, image: \"{image}\", command: {command}}}]\n");
        let mut text = text.replace("  replicas: ", if kind == "DaemonSet" { "  # replicas: " } else { "  replicas: " });
        if kind != "StatefulSet" {
            text = text.replace("  serviceName: web\n", "");
        }
        apply_and_settle(&text);
    }
}

#[test]
fn check_reports_server_warnings_on_their_line() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    env:\n    - name: A\n      value: \"1\"\n    - name: A\n      value: \"2\"\n";
    let d = check(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert_eq!(d[0].line, Some(12));
    assert_eq!(d[0].message, "spec.containers[0].env[1]: hides previous definition of \"A\", which may be dropped when using apply");
}
