//! Deployment status and conditions (`deployment/sync.go` calculateStatus, `progress.go`
//! syncRolloutStatus, `util/deployment_util.go` DeploymentComplete/Progressing/TimedOut).

use super::super::workload_util::{self as u, put_nonzero};
use super::Ctx;
use crate::model::clock::parse_rfc3339;
use crate::model::object::ObjExt;
use crate::value::{json, Map, Value};

pub fn condition<'v>(conds: &'v [Value], ctype: &str) -> Option<&'v Value> {
    conds.iter().find(|c| c.str_at("type") == Some(ctype))
}

/// `checkPausedConditions`: Progressing Unknown while paused, and once more when resumed.
pub fn check_paused(ctx: &mut Ctx, paused: bool) {
    if ctx.d.i64_at("spec.progressDeadlineSeconds").is_some_and(|s| s >= i32::MAX as i64) {
        return;
    }
    let reason = condition(&ctx.conditions, "Progressing").and_then(|c| c.str_at("reason")).map(str::to_string);
    let now = ctx.clock.timestamp();
    if paused && reason.as_deref() != Some("DeploymentPaused") {
        u::set_condition(&mut ctx.conditions, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", &now, true);
    } else if !paused && reason.as_deref() == Some("DeploymentPaused") {
        u::set_condition(&mut ctx.conditions, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", &now, true);
    }
}

struct Counts {
    replicas: i64,
    updated: i64,
    ready: i64,
    available: i64,
}

fn counts(ctx: &Ctx) -> Counts {
    let mut c = Counts { replicas: 0, updated: 0, ready: 0, available: 0 };
    for (i, r) in ctx.rss.iter().enumerate() {
        let n = r.obj.i64_at("status.replicas").unwrap_or(0);
        c.replicas += n;
        if Some(i) == ctx.new {
            c.updated = n;
        }
        c.ready += r.obj.i64_at("status.readyReplicas").unwrap_or(0);
        c.available += r.available();
    }
    c
}

/// The status to store: counts, Available, and (during a rollout) Progressing.
pub fn status(ctx: &mut Ctx, rollout: bool) -> Value {
    let c = counts(ctx);
    let want = ctx.replicas();
    let generation = ctx.d.i64_at("metadata.generation").unwrap_or(0);
    let now = ctx.clock.timestamp();
    let (_, max_unavailable) = ctx.surge_unavailable();
    if c.available >= want - max_unavailable {
        u::set_condition(&mut ctx.conditions, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", &now, true);
    } else {
        u::set_condition(&mut ctx.conditions, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", &now, true);
    }
    let deadline = ctx.d.i64_at("spec.progressDeadlineSeconds").unwrap_or(600);
    let has_deadline = deadline < i32::MAX as i64;
    if !has_deadline {
        ctx.conditions.retain(|c| c.str_at("type") != Some("Progressing"));
    } else if rollout && ctx.d.bool_at("spec.paused") != Some(true) {
        sync_progress(ctx, &c, want, generation, deadline, &now);
    }
    let mut m = Map::new();
    put_nonzero(&mut m, "observedGeneration", generation);
    put_nonzero(&mut m, "replicas", c.replicas);
    put_nonzero(&mut m, "updatedReplicas", c.updated);
    put_nonzero(&mut m, "readyReplicas", c.ready);
    put_nonzero(&mut m, "availableReplicas", c.available);
    put_nonzero(&mut m, "unavailableReplicas", (want - c.available).max(0));
    if !ctx.conditions.is_empty() {
        m.insert("conditions".into(), Value::Array(ctx.conditions.clone()));
    }
    put_nonzero(&mut m, "collisionCount", ctx.collision_count);
    Value::Object(m)
}

/// `syncRolloutStatus`: complete → NewReplicaSetAvailable; progress → ReplicaSetUpdated (fresh
/// lastUpdateTime); no progress for `progressDeadlineSeconds` → ProgressDeadlineExceeded.
fn sync_progress(ctx: &mut Ctx, c: &Counts, want: i64, generation: i64, deadline: i64, now: &str) {
    let new_name = ctx.new.map(|i| ctx.rss[i].obj.name().to_string());
    let subject = match &new_name {
        Some(n) => format!("ReplicaSet {n:?}"),
        None => format!("Deployment {:?}", ctx.d.name()),
    };
    let old = ctx.d.path("status");
    let oi = |f: &str| old.and_then(|s| s.i64_at(f)).unwrap_or(0);
    let complete = c.updated == want && c.replicas == want && c.available == want && generation >= ctx.d.i64_at("metadata.generation").unwrap_or(0);
    let progressing = c.updated > oi("updatedReplicas")
        || (c.replicas - c.updated) < (oi("replicas") - oi("updatedReplicas"))
        || c.ready > oi("readyReplicas")
        || c.available > oi("availableReplicas");
    let cur = condition(&ctx.conditions, "Progressing").cloned();
    if complete && new_name.is_some() {
        let msg = format!("{subject} has successfully progressed.");
        u::set_condition(&mut ctx.conditions, "Progressing", "True", "NewReplicaSetAvailable", &msg, now, true);
    } else if progressing {
        let msg = format!("{subject} is progressing.");
        let transition = match &cur {
            Some(c) if c.str_at("status") == Some("True") => c.str_at("lastTransitionTime").unwrap_or(now).to_string(),
            _ => now.to_string(),
        };
        ctx.conditions.retain(|c| c.str_at("type") != Some("Progressing"));
        ctx.conditions.push(json!({"type": "Progressing", "status": "True", "lastUpdateTime": now, "lastTransitionTime": transition, "reason": "ReplicaSetUpdated", "message": msg}));
    } else if let Some(cur) = cur {
        let reason = cur.str_at("reason").unwrap_or("");
        if reason == "NewReplicaSetAvailable" || reason == "ProgressDeadlineExceeded" {
            return;
        }
        let from = cur.str_at("lastUpdateTime").and_then(parse_rfc3339).unwrap_or(ctx.clock.now_secs());
        let at = from.saturating_add(deadline);
        if ctx.clock.now_secs() > at {
            let msg = format!("{subject} has timed out progressing.");
            u::set_condition(&mut ctx.conditions, "Progressing", "False", "ProgressDeadlineExceeded", &msg, now, true);
        } else {
            ctx.out.requeue(u::secs_to_ms(at + 1));
        }
    }
}
