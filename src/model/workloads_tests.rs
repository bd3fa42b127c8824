//! Tests of the kubectl-facing workload functions (the kubelet is stood in for by `run_all`).

use super::*;
use crate::model::controllers::workload_util::testing::{cluster, run_all};

fn deploy(c: &mut Cluster) -> Key {
    let d = json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
        "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
        "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}});
    api::create(c, d, Caller::admin()).unwrap();
    c.settle();
    Key::new(Kind::Deployment, "default", "web")
}

fn converge(c: &mut Cluster) {
    for _ in 0..12 {
        run_all(c);
        c.settle();
    }
}

#[test]
fn status_messages_follow_the_rollout() {
    let mut c = cluster();
    let k = deploy(&mut c);
    assert_eq!(rollout_status(&c, &k).unwrap(), ("Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are available...".to_string(), false));
    converge(&mut c);
    assert_eq!(rollout_status(&c, &k).unwrap(), ("deployment \"web\" successfully rolled out".to_string(), true));
    assert_eq!(set_image(&mut c, &k, &[("nginx".into(), "nginx:1.26".into())], Caller::admin()).unwrap(), "deployment.apps/web image updated");
    assert_eq!(rollout_status(&c, &k).unwrap().0, "Waiting for deployment spec update to be observed...");
    c.settle();
    assert_eq!(rollout_status(&c, &k).unwrap().0, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");
    converge(&mut c);
    assert!(rollout_status(&c, &k).unwrap().1);
    assert_eq!(set_image(&mut c, &k, &[("app".into(), "x".into())], Caller::admin()).unwrap_err(), "error: unable to find container named \"app\"");
}

#[test]
fn history_undo_restart_pause() {
    let mut c = cluster();
    let k = deploy(&mut c);
    converge(&mut c);
    assert_eq!(rollout_undo(&mut c, &k, None, Caller::admin()).unwrap_err(), "error: no rollout history found for deployment \"web\"");
    set_image(&mut c, &k, &[("*".into(), "nginx:1.26".into())], Caller::admin()).unwrap();
    converge(&mut c);
    assert_eq!(rollout_history(&c, &k, None).unwrap(), "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n");
    assert!(rollout_history(&c, &k, Some(1)).unwrap().contains("    Image:\tnginx:1.25\n"));
    assert_eq!(rollout_undo(&mut c, &k, Some(2), Caller::admin()).unwrap(), "deployment.apps/web skipped rollback (current template already matches revision 2)");
    assert_eq!(rollout_undo(&mut c, &k, Some(7), Caller::admin()).unwrap_err(), "error: unable to find specified revision 7 in history");
    assert_eq!(rollout_undo(&mut c, &k, None, Caller::admin()).unwrap(), "deployment.apps/web rolled back");
    converge(&mut c);
    assert_eq!(rollout_history(&c, &k, None).unwrap(), "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n");
    assert!(c.store.list(Kind::Pod).all(|p| p.str_at("spec.containers.0.image") == Some("nginx:1.25")));
    assert_eq!(rollout_restart(&mut c, &k, Caller::admin()).unwrap(), "deployment.apps/web restarted");
    let d = c.store.get(&k).unwrap();
    assert_eq!(d.path("spec.template.metadata.annotations").and_then(|a| a.get("kubectl.kubernetes.io/restartedAt")), Some(&json!("2026-01-05T09:00:00Z")));
    assert_eq!(rollout_pause(&mut c, &k, true, Caller::admin()).unwrap(), "deployment.apps/web paused");
    assert_eq!(rollout_pause(&mut c, &k, true, Caller::admin()).unwrap_err(), "error: deployments.apps \"web\" is already paused");
    assert!(rollout_undo(&mut c, &k, None, Caller::admin()).unwrap_err().starts_with("error: you cannot rollback a paused deployment"));
    assert_eq!(rollout_pause(&mut c, &k, false, Caller::admin()).unwrap(), "deployment.apps/web resumed");
    assert_eq!(scale(&mut c, &k, 5, Caller::admin()).unwrap(), "deployment.apps/web scaled");
    c.settle();
    // Mid-rollout (the restart): 5 replicas + 2 surge shared proportionally, then 5 once done.
    assert_eq!(c.store.list(Kind::Pod).filter(|p| crate::model::controllers::workload_util::pod_active(p)).count(), 7);
    converge(&mut c);
    assert_eq!(c.store.list(Kind::Pod).filter(|p| crate::model::controllers::workload_util::pod_active(p)).count(), 5);
    let missing = Key::new(Kind::Deployment, "default", "nope");
    assert_eq!(scale(&mut c, &missing, 1, Caller::admin()).unwrap_err(), "Error from server (NotFound): deployments.apps \"nope\" not found");
}
