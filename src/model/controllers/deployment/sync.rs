//! Scaling without a rollout (`pkg/controller/deployment/sync.go` isScalingEvent and scale): one
//! active ReplicaSet takes the new size; during a rollout the extra (or missing) replicas are
//! shared in proportion to each set's size, the remainder going to the largest.

use super::{Ctx, DESIRED};
use crate::model::object::ObjExt;

/// Some active ReplicaSet was sized for a different `spec.replicas` (its desired-replicas annotation).
pub fn is_scaling_event(ctx: &Ctx) -> bool {
    let want = ctx.replicas().to_string();
    ctx.rss.iter().filter(|r| r.replicas > 0).any(|r| r.obj.annotation(DESIRED).is_some_and(|d| d != want))
}

pub fn scale(ctx: &mut Ctx) {
    let want = ctx.replicas();
    let active: Vec<usize> = (0..ctx.rss.len()).filter(|&i| ctx.rss[i].replicas > 0).collect();
    // FindActiveOrLatest: the only active set, or the newest when none is active.
    if active.len() <= 1 {
        let target = active.first().copied().or(ctx.new).or_else(|| ctx.rss.len().checked_sub(1));
        if let Some(i) = target {
            ctx.scale(i, want);
        }
        return;
    }
    // The new set is saturated: old ones go to zero.
    if let Some(n) = ctx.new {
        if ctx.rss[n].replicas == want && ctx.rss[n].available() == want {
            for i in ctx.old_indices() {
                if ctx.rss[i].replicas > 0 {
                    ctx.scale(i, 0);
                }
            }
            return;
        }
    }
    if !ctx.rolling() {
        return;
    }
    let (surge, _) = ctx.surge_unavailable();
    let allowed = if want > 0 { want + surge } else { 0 };
    let current: i64 = active.iter().map(|&i| ctx.rss[i].replicas).sum();
    let to_add = allowed - current;
    if to_add == 0 {
        return;
    }
    let mut order = active.clone();
    // ReplicaSetsBySizeNewer when growing, BySizeOlder when shrinking.
    if to_add > 0 {
        crate::sort::by(&mut order, |&a, &b| ctx.rss[b].replicas.cmp(&ctx.rss[a].replicas).then(b.cmp(&a)));
    } else {
        crate::sort::by(&mut order, |&a, &b| ctx.rss[b].replicas.cmp(&ctx.rss[a].replicas).then(a.cmp(&b)));
    }
    let mut sizes: Vec<(usize, i64)> = Vec::new();
    let mut added = 0;
    for &i in &order {
        let r = &ctx.rss[i];
        // getReplicaSetFraction: the set's share of the new maximum, by its max-replicas annotation.
        let annotated = r.obj.annotation(super::MAX).and_then(|m| m.parse::<i64>().ok()).filter(|m| *m > 0).unwrap_or(current.max(1));
        let fraction = if want == 0 { -r.replicas } else { ((r.replicas * allowed) as f64 / annotated as f64).round() as i64 - r.replicas };
        let room = to_add - added;
        let p = if to_add > 0 { fraction.min(room) } else { fraction.max(room) };
        sizes.push((i, r.replicas + p));
        added += p;
    }
    if let Some(first) = sizes.first_mut() {
        first.1 = (first.1 + to_add - added).max(0);
    }
    for (i, n) in sizes {
        ctx.scale(i, n);
    }
}
