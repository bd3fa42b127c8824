//! Node operations kubectl performs: cordon, uncordon, drain (with kubectl's refusals and output,
//! k8s.io/kubectl/pkg/drain/filters.go), and adding a worker node to the simulated cluster.

use super::api::{self, ApiError, Caller, Reason};
use super::bootstrap;
use super::object::{set_path, Key, ObjExt, Object};
use super::{Cluster, Kind, Propagation};
use crate::value::json;

fn get_node(c: &Cluster, name: &str) -> Result<Object, ApiError> {
    c.store.get_by(Kind::Node, "", name).cloned().ok_or_else(|| ApiError::not_found(Kind::Node, name))
}

/// Sets `spec.unschedulable`. Returns whether anything changed (kubectl prints `cordoned` or
/// `already cordoned`). The node controller adds/removes the `node.kubernetes.io/unschedulable` taint.
pub fn set_unschedulable(c: &mut Cluster, name: &str, unschedulable: bool) -> Result<bool, ApiError> {
    let mut n = get_node(c, name)?;
    if n.bool_at("spec.unschedulable").unwrap_or(false) == unschedulable {
        return Ok(false);
    }
    if unschedulable {
        set_path(&mut n, "spec.unschedulable", json!(true));
    } else if let Some(spec) = n.get_mut("spec").and_then(|s| s.as_object_mut()) {
        spec.remove("unschedulable");
    }
    api::update(c, n, Caller::admin())?;
    c.settle();
    Ok(true)
}

pub fn cordon(c: &mut Cluster, name: &str) -> Result<bool, ApiError> {
    set_unschedulable(c, name, true)
}
pub fn uncordon(c: &mut Cluster, name: &str) -> Result<bool, ApiError> {
    set_unschedulable(c, name, false)
}

#[derive(Clone, Debug, Default)]
pub struct DrainOptions {
    pub force: bool,
    pub ignore_daemonsets: bool,
    pub delete_emptydir_data: bool,
    /// `--grace-period`; None uses each pod's own.
    pub grace_period: Option<i64>,
}

/// What `kubectl drain NODE` prints and whether it succeeded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DrainOutcome {
    pub stdout: String,
    pub stderr: String,
    pub ok: bool,
}

/// Cordons the node, then evicts its pods unless a filter refuses: DaemonSet pods (need
/// `--ignore-daemonsets`), pods with emptyDir (need `--delete-emptydir-data`), pods with no
/// controller (need `--force`). Mirror pods are skipped. Waits (in simulated time) until evicted pods are gone.
pub fn drain(c: &mut Cluster, name: &str, opts: &DrainOptions) -> DrainOutcome {
    let mut out = DrainOutcome::default();
    match set_unschedulable(c, name, true) {
        Ok(true) => out.stdout.push_str(&format!("node/{name} cordoned\n")),
        Ok(false) => out.stdout.push_str(&format!("node/{name} already cordoned\n")),
        Err(e) => {
            out.stderr = format!("{}\n", e.kubectl_message());
            return out;
        }
    }
    let pods: Vec<Object> = c.store.list(Kind::Pod).filter(|p| p.str_at("spec.nodeName") == Some(name)).cloned().collect();
    let (mut ds, mut local, mut unmanaged) = (vec![], vec![], vec![]);
    let mut evict = vec![];
    for p in &pods {
        let id = format!("{}/{}", p.namespace(), p.name());
        if p.annotation("kubernetes.io/config.mirror").is_some() || p.is_deleting() {
            continue;
        }
        let finished = matches!(p.str_at("status.phase"), Some("Succeeded") | Some("Failed"));
        let controller = p.arr_at("metadata.ownerReferences").iter().find(|o| o.bool_at("controller") == Some(true)).cloned();
        if controller.as_ref().and_then(|o| o.str_at("kind")) == Some("DaemonSet") {
            ds.push(id);
            continue;
        }
        if !finished && p.arr_at("spec.volumes").iter().any(|v| v.path("emptyDir").is_some()) && !opts.delete_emptydir_data {
            local.push(id.clone());
        }
        if controller.is_none() && !finished && !opts.force {
            unmanaged.push(id.clone());
        }
        evict.push(p.clone());
    }
    let mut errors = vec![];
    if !ds.is_empty() && !opts.ignore_daemonsets {
        errors.push(format!("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}", ds.join(", ")));
    }
    if !local.is_empty() {
        errors.push(format!("cannot delete Pods with local storage (use --delete-emptydir-data to override): {}", local.join(", ")));
    }
    if !unmanaged.is_empty() {
        errors.push(format!("cannot delete Pods that declare no controller (use --force to override): {}", unmanaged.join(", ")));
    }
    if !errors.is_empty() {
        let list = if errors.len() == 1 { errors[0].clone() } else { format!("[{}]", errors.join(", ")) };
        out.stderr = format!("error: unable to drain node \"{name}\" due to error: {list}, continuing command...\nThere are pending nodes to be drained:\n {name}\n{}\n", errors.join("\n"));
        return out;
    }
    let mut warnings = vec![];
    if !ds.is_empty() {
        warnings.push(format!("ignoring DaemonSet-managed Pods: {}", ds.join(", ")));
    }
    let unmanaged_forced: Vec<String> = evict.iter().filter(|p| p.controller_uid().is_none()).map(|p| format!("{}/{}", p.namespace(), p.name())).collect();
    if !unmanaged_forced.is_empty() {
        warnings.insert(0, format!("deleting Pods that declare no controller: {}", unmanaged_forced.join(", ")));
    }
    if !warnings.is_empty() {
        out.stderr.push_str(&format!("Warning: {}\n", warnings.join("; ")));
    }
    let mut keys = vec![];
    for p in &evict {
        out.stdout.push_str(&format!("evicting pod {}/{}\n", p.namespace(), p.name()));
        if let Some(k) = p.key() {
            let _ = api::delete(c, &k, Propagation::Background, opts.grace_period);
            keys.push((k, p.uid().to_string()));
        }
    }
    c.settle();
    // kubectl waits for each evicted pod to disappear (or be replaced by a new UID).
    let gone = |c: &Cluster, k: &Key, uid: &str| c.store.get(k).is_none_or(|o| o.uid() != uid);
    for _ in 0..700 {
        if keys.iter().all(|(k, u)| gone(c, k, u)) {
            break;
        }
        c.advance(1000);
    }
    for (k, _) in &keys {
        out.stdout.push_str(&format!("pod/{} evicted\n", k.name));
    }
    out.stdout.push_str(&format!("node/{name} drained\n"));
    out.ok = true;
    out
}

/// Joins a new worker node (`kubeadm join`), with the next pod CIDR and address.
pub fn add_node(c: &mut Cluster, name: &str, cpu: &str, memory: &str) -> Result<Object, ApiError> {
    if c.store.get_by(Kind::Node, "", name).is_some() {
        return Err(ApiError::already_exists(Kind::Node, name));
    }
    let Some(mem) = super::controllers::resources::parse_bytes(memory).filter(|m| *m > 0) else {
        return Err(ApiError::new(Reason::BadRequest, format!("invalid memory quantity {memory:?}")));
    };
    if super::controllers::resources::parse_milli(cpu).is_none_or(|m| m <= 0) {
        return Err(ApiError::new(Reason::BadRequest, format!("invalid cpu quantity {cpu:?}")));
    }
    let used: Vec<u32> = c
        .store
        .list(Kind::Node)
        .filter_map(|n| n.str_at("spec.podCIDR")?.strip_prefix("10.244.")?.split('.').next()?.parse().ok())
        .collect();
    let index = (0..=255u32).find(|i| !used.contains(i)).ok_or_else(|| ApiError::new(Reason::Forbidden, "no pod CIDR left in 10.244.0.0/16"))?;
    let now = c.clock.timestamp();
    let node = bootstrap::node_object(name, index, false, cpu, (mem as u64 / 1024).max(1), &now);
    let created = api::create(c, node, Caller::Controller)?;
    let uid = created.uid().to_string();
    let _ = api::create(
        c,
        json!({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":name,"namespace":"kube-node-lease",
            "ownerReferences":[{"apiVersion":"v1","kind":"Node","name":name,"uid":uid}]},
            "spec":{"holderIdentity":name,"leaseDurationSeconds":40,"renewTime":format!("{}.000000Z", now.trim_end_matches('Z'))}}),
        Caller::Controller,
    );
    c.settle();
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn cordon_taints_and_uncordon_clears() {
        let mut c = Cluster::new();
        assert_eq!(cordon(&mut c, "node01"), Ok(true));
        assert_eq!(cordon(&mut c, "node01"), Ok(false));
        let n = c.store.get_by(Kind::Node, "", "node01").unwrap();
        assert!(n.arr_at("spec.taints").iter().any(|t| t.str_at("key") == Some("node.kubernetes.io/unschedulable")));
        assert_eq!(uncordon(&mut c, "node01"), Ok(true));
        let n = c.store.get_by(Kind::Node, "", "node01").unwrap();
        assert!(n.arr_at("spec.taints").is_empty());
        assert!(cordon(&mut c, "nope").is_err());
    }
    #[test]
    fn add_node_gets_next_cidr() {
        let mut c = Cluster::new();
        let n = add_node(&mut c, "node03", "4", "8Gi").unwrap();
        assert_eq!(n.str_at("spec.podCIDR"), Some("10.244.3.0/24"));
        assert_eq!(n.str_at("status.capacity.cpu"), Some("4"));
        assert!(add_node(&mut c, "node03", "4", "8Gi").is_err());
        assert!(add_node(&mut c, "node04", "x", "8Gi").is_err());
    }
}
