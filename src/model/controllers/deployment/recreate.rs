//! Recreate (`pkg/controller/deployment/recreate.go`): scale every old ReplicaSet to zero, wait
//! until none of their pods exist any more, then create (or scale up) the new one in full.

use super::super::workload_util as u;
use super::Ctx;
use crate::model::object::ObjExt;
use crate::model::Kind;

pub fn rollout(ctx: &mut Ctx) {
    if ctx.new.is_some() {
        ctx.sync_revision();
    }
    // scaleDownOldReplicaSetsForRecreate
    let mut scaled = false;
    for i in ctx.old_indices() {
        if ctx.rss[i].replicas != 0 {
            ctx.scale(i, 0);
            scaled = true;
        }
    }
    if scaled || old_pods_running(ctx) {
        return;
    }
    match ctx.new {
        None => {
            let n = ctx.replicas();
            ctx.create_new(n);
        }
        Some(i) => {
            let n = ctx.replicas();
            ctx.scale(i, n);
            if super::rolling::complete(ctx) {
                ctx.cleanup();
            }
        }
    }
}

/// `oldPodsRunning`: an old ReplicaSet still reports pods, or any of its pods is not finished
/// (Terminating ones included).
fn old_pods_running(ctx: &Ctx) -> bool {
    ctx.old_indices().iter().any(|&i| {
        let rs = ctx.rss[i].obj;
        rs.i64_at("status.replicas").unwrap_or(0) > 0
            || u::owned(ctx.store, rs, Kind::Pod).iter().any(|p| !matches!(p.str_at("status.phase"), Some("Succeeded") | Some("Failed")))
    })
}
