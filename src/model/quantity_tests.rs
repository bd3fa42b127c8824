//! The quantity module's tests: canonical forms (quantity_test.go's tables) and what kubectl shows.

mod units {
    use super::super::*;
    use crate::value::json;

    fn c(s: &str) -> String {
        canonical(s).unwrap_or_else(|| panic!("{s:?} should parse"))
    }

    /// quantity_test.go `TestQuantityParseEmit`, with its negative versions.
    #[test]
    fn parse_emit() {
        for (i, o) in [
            ("1Ki", "1Ki"),
            ("1Mi", "1Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("1000M", "1G"),
            (".001Ki", "1024m"),
            (".000001Ki", "1024u"),
            (".000000001Ki", "1024n"),
            (".000000000001Ki", "2n"),
        ] {
            assert_eq!(c(i), o, "{i}");
            assert_eq!(c(&format!("-{i}")), format!("-{o}"), "-{i}");
        }
    }

    /// quantity_test.go `TestQuantityString`: each `alternate` text canonicalizes to `expect`, and
    /// `expect` is kept as is (the cases below "n" and above "E"/"Ei" are not reachable from a parse).
    #[test]
    fn string_table() {
        for (expect, alternate) in [
            ("1Gi", "1024Mi"),
            ("300Mi", "307200Ki"),
            ("6Ki", ""),
            ("1001Gi", "1025024Mi"),
            ("1Ti", "1024Gi"),
            ("5", "5000m"),
            ("500m", "0.5"),
            ("1G", "1000M"),
            ("1G", "0.001T"),
            ("1m", "1000u"),
            ("80m", ""),
            ("1080m", "1.08"),
            ("1080m", "1080000000n"),
            ("300M", ""),
            ("1T", ""),
            ("1E", ""),
            ("1234567M", ""),
            ("1234567m", ""),
            ("3k", ""),
            ("1025", ""),
            ("0", "00"),
            ("1e9", ".001e12"),
            ("1e-3", "0.001e0"),
            ("1e-9", "1000e-12"),
            ("80e-3", ""),
            ("300e6", ""),
            ("1e12", ""),
            ("1e3", ""),
            ("3e3", ""),
            ("1n", ""),
            ("80n", ""),
            ("1080n", ""),
            ("1u", ""),
            ("80u", ""),
            ("1080u", ""),
        ] {
            assert_eq!(c(expect), expect);
            if !alternate.is_empty() {
                assert_eq!(c(alternate), expect, "{alternate}");
            }
            if expect != "0" {
                assert_eq!(c(&format!("-{expect}")), format!("-{expect}"));
            }
        }
    }

    /// quantity_test.go `TestQuantityParse`: the values of its table, printed canonically
    /// (rounding up to nano, the BinarySI cap, fractional binary values shown as DecimalSI).
    #[test]
    fn parse_table() {
        for (i, o) in [
            ("0", "0"),
            ("0n", "0"),
            ("0m", "0"),
            ("0Ki", "0"),
            ("0Gi", "0"),
            ("0T", "0"),
            ("1", "1"),
            ("8Ki", "8Ki"),
            ("7Mi", "7Mi"),
            ("3Ei", "3Ei"),
            ("100Ti", "100Ti"),
            ("5n", "5n"),
            ("50k", "50k"),
            ("300T", "300T"),
            ("1E", "1E"),
            ("1e3", "1e3"),
            ("1E-3", "1E-3"), // kept as written: ParseQuantity's fast path caches the text
            ("1e14", "100e12"),
            ("1e13", "10e12"),
            ("100.035k", "100.035k"), // scale 0, no trailing 000: the fast path keeps the text,
            ("0.001", "1m"),
            ("0.0005k", "500m"),
            ("0.00050k", "500m"),
            ("0.50000", "500m"),
            ("0.5e0", "500e-3"),
            ("0.5e-1", "50e-3"),
            ("0.5e-2", "5e-3"),
            ("10.035M", "10.035M"),
            ("1.2e3", "1200"),
            ("1.3E+6", "1300e3"),
            ("1.53E12", "1530e9"),
            ("9.01", "9010m"),
            ("8.1k", "8100"),
            ("7.123456M", "7.123456M"),
            ("6.987654321G", "6.987654321G"),
            ("5.444T", "5.444T"),
            ("2.5P", "2500T"),
            ("1.5k", "1500"),
            ("40.1T", "40100G"),
            ("1.01E", "1010P"),
            ("3.001n", "4n"),
            ("1.1E-9", "2e-9"),
            ("0.0000000001", "1n"),
            ("0.5e-9", "1e-9"),
            ("0.9n", "1n"),
            ("0.00000012345", "124n"),
            ("9Ei", "9223372036854775807"),
            ("9223372036854775807Ki", "9223372036854775807"),
            ("12E", "12E"),
            ("100.035Ki", "102435840m"),
            ("0.5Mi", "512Ki"),
            ("0.05Gi", "53687091200m"),
            ("0.000000000001Ki", "2n"),
            (".001", "1m"),
            (".0001k", "100m"),
            ("1.", "1."), // kept as written too
            ("1.G", "1.G"),
        ] {
            assert_eq!(c(i), o, "{i}");
        }
        for bad in ["", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", "1e4294967297", "1Kb", "10 Gi"] {
            assert_eq!(canonical(bad), None, "{bad:?}");
        }
    }

    /// Text without a digit: Go reads a bare suffix as 0 through its int64 fast path, but its
    /// inf.Dec path (a large binary suffix, a scale below nano) wants a digit: ErrNumeric.
    #[test]
    fn no_digits() {
        for (i, o) in [("Gi", Some("0")), ("m", Some("0")), (".", Some("0")), ("-", Some("0")), ("Ti", Some("0")), ("Pi", None), ("Ei", None), ("e-10", None), ("-.e-10", None)] {
            assert_eq!(canonical(i).as_deref(), o, "{i}");
        }
        assert_eq!(approximate("Ei"), Err(Invalid::Numeric));
    }

    /// The cases a learner meets.
    #[test]
    fn learner_cases() {
        for (i, o) in [
            ("1000m", "1"),
            ("0.5", "500m"),
            ("1024Mi", "1Gi"),
            ("1536Mi", "1536Mi"),
            ("1.5Gi", "1536Mi"),
            ("2000", "2k"),
            ("2048", "2048"),
            ("100Ki", "100Ki"),
            ("512", "512"),
            ("250m", "250m"),
            ("128Mi", "128Mi"),
            ("64Mi", "64Mi"),
            ("8Gi", "8Gi"),
            ("+1", "+1"), // kept as written, like the API server
            (" 1", "1"),  // UnmarshalJSON trims
            ("-0", "0"),
            ("16Mi", "16Mi"),
            ("016Mi", "16Mi"), // 16&7 == 0: not kept, written canonically
            ("+16Mi", "16Mi"),
            ("010Mi", "010Mi"), // 10&7 != 0: kept as written
            ("-2048Ki", "-2Mi"),
        ] {
            assert_eq!(c(i), o, "{i}");
        }
    }

    #[test]
    fn numbers() {
        for (n, o) in [(json!(1), "1"), (json!(0.5), "500m"), (json!(1000), "1k"), (json!(1.0), "1"), (json!(2.5), "2500m"), (json!(-1), "-1"), (json!(1e21), "1e+21"), (json!(1e-7), "100e-9"), (json!(0), "0")] {
            let Value::Number(num) = &n else { unreachable!() };
            assert_eq!(canonical_number(num).as_deref(), Some(o), "{n}");
        }
    }

    #[test]
    fn objects() {
        let mut pod = json!({"kind": "Pod", "spec": {
            "containers": [{"resources": {"limits": {"cpu": 1, "memory": "1024Mi"}, "requests": {"cpu": 0.5, "memory": "bad"}}}],
            "initContainers": [{"resources": {"requests": {"cpu": "1000m"}}}],
            "overhead": {"cpu": "250m"},
            "volumes": [{"emptyDir": {"sizeLimit": "1000Mi"}}, {"emptyDir": {"sizeLimit": "1024Ki"}}]}});
        canonicalize_object(&mut pod);
        assert_eq!(pod["spec"]["containers"][0]["resources"], json!({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "bad"}}));
        assert_eq!(pod["spec"]["initContainers"][0]["resources"]["requests"]["cpu"], "1");
        assert_eq!(pod["spec"]["volumes"], json!([{"emptyDir": {"sizeLimit": "1000Mi"}}, {"emptyDir": {"sizeLimit": "1Mi"}}]));

        let mut cj = json!({"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"resources": {"limits": {"memory": 2000}}}]}}}}}});
        canonicalize_object(&mut cj);
        assert_eq!(cj.pointer("/spec/jobTemplate/spec/template/spec/containers/0/resources/limits/memory"), Some(&json!("2k")));

        let mut sts = json!({"kind": "StatefulSet", "spec": {"template": {"spec": {"containers": [{"resources": {"requests": {"cpu": 2}}}]}},
            "volumeClaimTemplates": [{"spec": {"resources": {"requests": {"storage": "1024Mi"}}}}]}});
        canonicalize_object(&mut sts);
        assert_eq!(sts.pointer("/spec/template/spec/containers/0/resources/requests/cpu"), Some(&json!("2")));
        assert_eq!(sts.pointer("/spec/volumeClaimTemplates/0/spec/resources/requests/storage"), Some(&json!("1Gi")));

        let mut pv = json!({"kind": "PersistentVolume", "spec": {"capacity": {"storage": "1073741824"}}});
        canonicalize_object(&mut pv);
        assert_eq!(pv.pointer("/spec/capacity/storage"), Some(&json!("1073741824")));
        let mut pvc = json!({"kind": "PersistentVolumeClaim", "spec": {"resources": {"requests": {"storage": "0.5Gi"}}}, "status": {"capacity": {"storage": "1024Mi"}}});
        canonicalize_object(&mut pvc);
        assert_eq!(pvc.pointer("/spec/resources/requests/storage"), Some(&json!("512Mi")));
        assert_eq!(pvc.pointer("/status/capacity/storage"), Some(&json!("1Gi")));
        let mut node = json!({"kind": "Node", "status": {"capacity": {"cpu": 4, "pods": "110"}, "allocatable": {"memory": "8192Mi"}}});
        canonicalize_object(&mut node);
        assert_eq!(node["status"], json!({"capacity": {"cpu": "4", "pods": "110"}, "allocatable": {"memory": "8Gi"}}));
    }
}

/// What learners see: manifests applied with `kubectl apply`, read back with `kubectl get`.
mod kubectl_tests {
    use crate::model::Cluster;

    fn run(c: &mut Cluster, script: &str) -> String {
        let steps = crate::script::run(c, script, None);
        for s in &steps {
            assert_eq!(s.exit_code, 0, "{}: {}{}", s.command, s.stdout, s.stderr);
        }
        steps.iter().map(|s| s.stdout.as_str()).collect()
    }

    fn apply(c: &mut Cluster, manifest: &str) {
        let out = run(c, &format!("kubectl apply -f - <<EOF\n{manifest}EOF\n"));
        assert!(out.contains("created") || out.contains("configured"), "{out}");
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: nginx\n    resources:\n      limits: {cpu: 1, memory: 1536Mi}\n      requests: {cpu: 0.5, memory: 1024Mi}\n  volumes:\n  - name: scratch\n    emptyDir: {sizeLimit: 2000Mi}\n";

    #[test]
    fn pod() {
        let mut c = Cluster::new();
        apply(&mut c, POD);
        let yaml = run(&mut c, "kubectl get pod app -o yaml");
        assert!(yaml.contains("      limits:\n        cpu: \"1\"\n        memory: 1536Mi\n      requests:\n        cpu: 500m\n        memory: 1Gi\n"), "{yaml}");
        assert!(yaml.contains("sizeLimit: 2000Mi"), "{yaml}");
        // The client's JSON stays in last-applied-configuration.
        assert!(yaml.contains(r#""requests":{"cpu":0.5,"memory":"1024Mi"}"#), "{yaml}");
        let jp = run(&mut c, "kubectl get pod app -o jsonpath={.spec.containers[0].resources}");
        assert_eq!(jp, r#"{"limits":{"cpu":"1","memory":"1536Mi"},"requests":{"cpu":"500m","memory":"1Gi"}}"#);
        // The scheduler and describe read the canonical strings.
        run(&mut c, "advance 30s");
        assert!(!run(&mut c, "kubectl get pod app -o jsonpath={.spec.nodeName}").is_empty());
        let d = run(&mut c, "kubectl describe pod app");
        assert!(d.contains("    Limits:\n      cpu:     1\n      memory:  1536Mi\n") && d.contains("      cpu:        500m\n      memory:     1Gi\n"), "{d}");
        // Validation sees the decoded values, and quotes them canonically, as the API server does.
        let steps = crate::script::run(&mut c, "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n  - name: a\n    image: nginx\n    resources: {limits: {memory: 1000Mi}, requests: {memory: 1024Mi}}\nEOF\n", None);
        assert!(steps[0].stderr.contains(r#"requests: Invalid value: "1Gi": must be less than or equal to memory limit of 1000Mi"#), "{}", steps[0].stderr);
        // Re-applying the same manifest changes nothing, but kubectl's patch is not empty (the live
        // object has "1" where the manifest has 1): `configured`, as on a real cluster.
        let rv = run(&mut c, "kubectl get pod app -o jsonpath={.metadata.resourceVersion}");
        let again = run(&mut c, &format!("kubectl apply -f - <<EOF\n{POD}EOF\n"));
        assert_eq!(again, "pod/app configured\n");
        assert_eq!(run(&mut c, "kubectl get pod app -o jsonpath={.metadata.resourceVersion}"), rv);
        let canonical = POD.replace("{cpu: 1, ", "{cpu: \"1\", ").replace("cpu: 0.5, memory: 1024Mi", "cpu: 500m, memory: 1Gi");
        run(&mut c, &format!("kubectl apply -f - <<EOF\n{canonical}EOF\n"));
        assert_eq!(run(&mut c, &format!("kubectl apply -f - <<EOF\n{canonical}EOF\n")), "pod/app unchanged\n");
    }

    #[test]
    fn workloads() {
        let mut c = Cluster::new();
        apply(
            &mut c,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        resources: {requests: {cpu: 1000m, memory: 0.5Gi}}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: t\n            image: busybox\n            resources: {limits: {cpu: 2}}\n",
        );
        run(&mut c, "advance 10s");
        let want = r#"{"cpu":"1","memory":"512Mi"}"#;
        assert_eq!(run(&mut c, "kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].resources.requests}"), want);
        assert_eq!(run(&mut c, "kubectl get rs -o jsonpath={.items[0].spec.template.spec.containers[0].resources.requests}"), want);
        assert_eq!(run(&mut c, "kubectl get pods -l app=web -o jsonpath={.items[0].spec.containers[0].resources.requests}"), want);
        let cj = run(&mut c, "kubectl get cronjob tick -o yaml");
        assert!(cj.contains("limits:\n                cpu: \"2\"\n"), "{cj}");
    }

    #[test]
    fn storage() {
        let mut c = Cluster::new();
        apply(
            &mut c,
            "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  storageClassName: manual\n  capacity: {storage: 1024Mi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /mnt/pv}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  storageClassName: manual\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1000Mi}}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 1\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers:\n      - name: db\n        image: postgres\n  volumeClaimTemplates:\n  - metadata: {name: pgdata}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1048576Ki}}\n",
        );
        run(&mut c, "advance 30s");
        assert_eq!(run(&mut c, "kubectl get pv pv -o jsonpath={.spec.capacity.storage}"), "1Gi");
        assert_eq!(run(&mut c, "kubectl get pvc data -o jsonpath={.spec.resources.requests.storage}/{.status.capacity.storage}"), "1000Mi/1Gi");
        assert_eq!(run(&mut c, "kubectl get sts db -o jsonpath={.spec.volumeClaimTemplates[0].spec.resources.requests.storage}"), "1Gi");
        assert_eq!(run(&mut c, "kubectl get pvc pgdata-db-0 -o jsonpath={.spec.resources.requests.storage}"), "1Gi");
        let pvcs = run(&mut c, "kubectl get pvc data");
        assert!(pvcs.contains(" 1Gi "), "{pvcs}");
    }

    #[test]
    fn node() {
        let mut c = Cluster::new();
        let key = crate::model::Key::new(crate::model::Kind::Node, "", "node01");
        let mut status = c.store.get(&key).and_then(|n| n.get("status")).cloned().expect("node01's status");
        status["capacity"]["cpu"] = crate::json!(4);
        status["allocatable"]["memory"] = crate::json!("2048Mi");
        // As the kubelet writes it, through the status subresource.
        crate::model::api::update_status(&mut c, &key, status);
        assert_eq!(run(&mut c, "kubectl get node node01 -o jsonpath={.status.capacity.cpu}/{.status.allocatable.memory}"), "4/2Gi");
    }
}
