//! The shared example manifests against the running model: every object of the networking,
//! configuration, storage and RBAC kinds in `valid/` is accepted, its Service gets an address, its
//! claims bind, its bindings reach their roles and ServiceAccounts; the `broken/` files whose
//! mistake the API server's allocators catch are refused with the expected message on their line.

use kubelab::manifest;
use kubelab::model::api::{create, Caller, Reason};
use kubelab::model::links::{links, LinkKind};
use kubelab::model::object::ObjExt;
use kubelab::model::{Cluster, Kind};
use kubelab::value::json;
use std::path::PathBuf;

/// `shared/` sits beside the clone (CI) or two levels up for a worktree in `/work/wt/NAME`.
fn dir(sub: &str) -> PathBuf {
    let beside = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/k8s-examples"));
    let above = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/k8s-examples"));
    if beside.exists() { beside.join(sub) } else { above.join(sub) }
}

fn read(sub: &str, name: &str) -> String {
    std::fs::read_to_string(dir(sub).join(name)).unwrap_or_else(|e| panic!("{sub}/{name}: {e}"))
}

const MINE: &[Kind] = &[
    Kind::Service, Kind::Ingress, Kind::IngressClass, Kind::ConfigMap, Kind::Secret, Kind::ServiceAccount, Kind::PersistentVolume,
    Kind::PersistentVolumeClaim, Kind::StorageClass, Kind::Role, Kind::RoleBinding, Kind::ClusterRole, Kind::ClusterRoleBinding,
];

#[test]
fn valid_examples_apply_and_resolve() {
    let mut c = Cluster::new();
    for ns in ["development", "dra-tutorial", "csr-signer-installer"] {
        create(&mut c, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}), Caller::admin()).unwrap();
    }
    let mut names: Vec<String> = std::fs::read_dir(dir("valid")).expect("shared/k8s-examples/valid").filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let mut failures = Vec::new();
    let mut mine = 0;
    for f in &names {
        for r in manifest::read(&read("valid", f)) {
            let Ok(intake) = r else { continue };
            if !MINE.contains(&intake.kind) {
                continue;
            }
            mine += 1;
            // Several tutorials reuse a name (`nginx`, `mysql`); kubectl apply would configure the
            // existing object, which is not what this test is about.
            match create(&mut c, intake.doc.value, Caller::admin()) {
                Err(e) if e.reason == Reason::AlreadyExists => {}
                Err(e) => failures.push(format!("{f}: {}", e.message)),
                Ok(_) => {}
            }
            c.settle();
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(mine >= 50, "only {mine} objects of these kinds");
    // Every Service has its address: an allocated ClusterIP, None when headless, none for ExternalName.
    for s in c.store.list(Kind::Service) {
        let ip = s.str_at("spec.clusterIP");
        match s.str_at("spec.type") {
            Some("ExternalName") => assert!(ip.is_none(), "{}", s.name()),
            _ => assert!(ip.is_some_and(|ip| ip == "None" || ip.starts_with("10.")), "{} has {ip:?}", s.name()),
        }
    }
    // Both claims of class `manual` bind to the PV that fits them.
    for (claim, pv) in [("task-pv-claim", "task-pv-volume"), ("mysql-pv-claim", "mysql-pv-volume")] {
        let cl = c.store.get_by(Kind::PersistentVolumeClaim, "default", claim).unwrap();
        assert_eq!((cl.str_at("status.phase"), cl.str_at("spec.volumeName")), (Some("Bound"), Some(pv)), "{claim}");
    }
    // Every binding reaches its role and every ServiceAccount subject exists, except the one whose
    // ClusterRole the tutorial defines elsewhere (not among the examples): that edge is broken, with why.
    let all = links(&c.store);
    let broken: Vec<String> = all.iter().filter(|l| matches!(l.kind, LinkKind::Grants | LinkKind::Subject) && l.broken).map(|l| format!("{} {}: {}", l.from.name, l.target, l.reason)).collect();
    assert_eq!(broken, ["insaller-binding clusterrole/installer-role: roleRef ClusterRole/installer-role: clusterroles.rbac.authorization.k8s.io \"installer-role\" not found"]);
    let grants = all.iter().filter(|l| l.kind == LinkKind::Grants && &*l.from.name == "my-scheduler-as-kube-scheduler").count();
    assert_eq!(grants, 1);
}

#[test]
fn allocator_mistakes_are_refused_on_their_line() {
    for f in ["service-nodeport-out-of-range.yaml", "secret-invalid-base64.yaml"] {
        let text = read("broken", f);
        let expect = text.lines().next().and_then(|l| l.strip_prefix("# expect: ")).unwrap().trim().to_string();
        let line: u32 = text.lines().nth(1).and_then(|l| l.strip_prefix("# line: ")).unwrap().trim().parse().unwrap();
        let mut c = Cluster::new();
        let mut seen = Vec::new();
        for (i, r) in manifest::read(&text).into_iter().enumerate() {
            match r {
                Err(e) => seen.push((e.kubectl(f), e.line)),
                Ok(intake) => {
                    if let Err(e) = create(&mut c, intake.doc.value.clone(), Caller::admin()) {
                        let l = manifest::cause_diagnostics(&intake.doc, i, &e).first().and_then(|d| d.line);
                        seen.push((e.message, l));
                    }
                }
            }
        }
        assert!(seen.iter().any(|(m, l)| m.contains(&expect) && *l == Some(line)), "{f}: want {expect:?} on line {line}, got {seen:?}");
    }
}
