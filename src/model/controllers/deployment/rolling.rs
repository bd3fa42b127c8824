//! RollingUpdate (`pkg/controller/deployment/rolling.go`, `util/deployment_util.go` NewRSNewReplicas).
//!
//! Worked example — replicas 3, maxSurge 25%, maxUnavailable 25%: surge = ceil(0.75) = 1,
//! unavailable = floor(0.75) = 0, so at most 4 pods exist and at least 3 stay available.
//! 1. old=3 (3 available), new created with min(3+1-3, 3-0) = 1 → 4 pods.
//! 2. Old side: allPods 4 − minAvailable 3 − new unavailable 1 = 0 → nothing may go yet.
//! 3. The new pod becomes available: 4 − 3 − 0 = 1 may go; available 4 > 3 → old scaled to 2.
//! 4. New side: 4 − 3 = 1 room → new 2; wait for it, old → 1; new → 3; old → 0. Done.
//!
//! One step per sync; each later sync sees the ReplicaSets' updated status.

use super::Ctx;
use crate::model::object::ObjExt;

pub fn rollout(ctx: &mut Ctx) {
    if ctx.new.is_none() {
        let n = new_rs_new_replicas(ctx, 0);
        ctx.create_new(n);
        return;
    }
    ctx.sync_revision();
    if reconcile_new(ctx) {
        return;
    }
    if reconcile_old(ctx) {
        return;
    }
    if complete(ctx) {
        ctx.cleanup();
    }
}

/// `NewRSNewReplicas` for RollingUpdate: grow the new set into the surge room, never past replicas.
fn new_rs_new_replicas(ctx: &Ctx, new_replicas: i64) -> i64 {
    let (surge, _) = ctx.surge_unavailable();
    let want = ctx.replicas();
    let current = ctx.total_replicas();
    let max_total = want + surge;
    if current >= max_total {
        return new_replicas;
    }
    let up = (max_total - current).min(want - new_replicas).max(0);
    new_replicas + up
}

/// `reconcileNewReplicaSet`: true when it scaled.
fn reconcile_new(ctx: &mut Ctx) -> bool {
    let Some(i) = ctx.new else { return false };
    let want = ctx.replicas();
    let cur = ctx.rss[i].replicas;
    if cur == want {
        return false;
    }
    let to = if cur > want { want } else { new_rs_new_replicas(ctx, cur) };
    if to == cur {
        return false;
    }
    ctx.scale(i, to);
    true
}

/// `reconcileOldReplicaSets`: first unhealthy old pods, then as many available ones as keeps
/// `replicas − maxUnavailable` available. True when it scaled.
fn reconcile_old(ctx: &mut Ctx) -> bool {
    let old = ctx.old_indices();
    let old_pods: i64 = old.iter().map(|&i| ctx.rss[i].replicas).sum();
    if old_pods == 0 {
        return false;
    }
    let all_pods = ctx.total_replicas();
    let (_, max_unavailable) = ctx.surge_unavailable();
    let min_available = ctx.replicas() - max_unavailable;
    let new_unavailable = ctx.new.map(|i| ctx.rss[i].replicas - ctx.rss[i].available()).unwrap_or(0);
    let max_scaled_down = all_pods - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return false;
    }
    // cleanupUnhealthyReplicas: old sets are oldest first already.
    let mut cleaned = 0;
    for &i in &old {
        if cleaned >= max_scaled_down {
            break;
        }
        let r = &ctx.rss[i];
        if r.replicas == 0 || r.replicas <= r.available() {
            continue;
        }
        let n = (max_scaled_down - cleaned).min(r.replicas - r.available());
        let to = r.replicas - n;
        ctx.scale(i, to);
        cleaned += n;
    }
    // scaleDownOldReplicaSetsForRollingUpdate.
    let available: i64 = ctx.rss.iter().map(|r| r.available()).sum();
    let mut scaled = 0;
    if available > min_available {
        let total = available - min_available;
        for &i in &old {
            if scaled >= total {
                break;
            }
            let r = &ctx.rss[i];
            if r.replicas == 0 {
                continue;
            }
            let n = r.replicas.min(total - scaled);
            let to = r.replicas - n;
            ctx.scale(i, to);
            scaled += n;
        }
    }
    cleaned + scaled > 0
}

/// `DeploymentComplete` over the stored status.
pub fn complete(ctx: &Ctx) -> bool {
    let s = ctx.d.path("status");
    let g = |f: &str| s.and_then(|s| s.i64_at(f)).unwrap_or(0);
    let want = ctx.replicas();
    g("updatedReplicas") == want && g("replicas") == want && g("availableReplicas") == want && g("observedGeneration") >= ctx.d.i64_at("metadata.generation").unwrap_or(0)
}
