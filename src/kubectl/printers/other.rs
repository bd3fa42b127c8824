//! Columns of networking, storage, RBAC, discovery and coordination kinds.

use super::obj_age;
use crate::model::{Cluster, Kind, ObjExt, Object};
use crate::value::Value;

type Cols = (&'static [&'static str], &'static [&'static str]);

pub fn headers(kind: Kind) -> Option<Cols> {
    Some(match kind {
        Kind::Ingress => (&["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], &[]),
        Kind::IngressClass => (&["NAME", "CONTROLLER", "PARAMETERS", "AGE"], &[]),
        Kind::StorageClass => (&["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"], &[]),
        Kind::Role | Kind::ClusterRole => (&["NAME", "CREATED AT"], &[]),
        Kind::RoleBinding | Kind::ClusterRoleBinding => (&["NAME", "ROLE", "AGE"], &["USERS", "GROUPS", "SERVICEACCOUNTS"]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        Kind::Lease => (&["NAME", "HOLDER", "AGE"], &[]),
        _ => return None,
    })
}

fn first3(items: Vec<String>, empty: &str) -> String {
    if items.is_empty() {
        return empty.into();
    }
    let n = items.len();
    let mut s = items.into_iter().take(3).collect::<Vec<_>>().join(",");
    if n > 3 {
        s.push_str(&format!(" + {} more...", n - 3));
    }
    s
}

pub fn row(c: &Cluster, kind: Kind, o: &Object) -> Option<(Vec<String>, Vec<String>)> {
    let name = o.name().to_string();
    let a = obj_age(c, o);
    Some(match kind {
        Kind::Ingress => {
            let hosts: Vec<String> = o.arr_at("spec.rules").iter().filter_map(|r| r.str_at("host")).filter(|h| !h.is_empty()).map(str::to_string).collect();
            let addr: Vec<String> = o
                .arr_at("status.loadBalancer.ingress")
                .iter()
                .filter_map(|i| i.str_at("ip").or(i.str_at("hostname")).map(str::to_string))
                .collect();
            let ports = if o.arr_at("spec.tls").is_empty() { "80" } else { "80, 443" };
            (
                vec![name, o.str_at("spec.ingressClassName").unwrap_or("<none>").to_string(), first3(hosts, "*"), addr.join(","), ports.into(), a],
                vec![],
            )
        }
        Kind::IngressClass => {
            let params = match o.path("spec.parameters") {
                Some(p) if p.is_object() => {
                    let g = p.str_at("apiGroup").map(|g| format!(".{g}")).unwrap_or_default();
                    format!("{}{g}/{}", p.str_at("kind").unwrap_or(""), p.str_at("name").unwrap_or(""))
                }
                _ => "<none>".into(),
            };
            (vec![name, o.str_at("spec.controller").unwrap_or("").to_string(), params, a], vec![])
        }
        Kind::StorageClass => {
            let default = o.annotation("storageclass.kubernetes.io/is-default-class") == Some("true")
                || o.annotation("storageclass.beta.kubernetes.io/is-default-class") == Some("true");
            let n = if default { format!("{name} (default)") } else { name };
            (
                vec![
                    n,
                    o.str_at("provisioner").unwrap_or("").to_string(),
                    o.str_at("reclaimPolicy").unwrap_or("Delete").to_string(),
                    o.str_at("volumeBindingMode").unwrap_or("Immediate").to_string(),
                    o.bool_at("allowVolumeExpansion").unwrap_or(false).to_string(),
                    a,
                ],
                vec![],
            )
        }
        Kind::Role | Kind::ClusterRole => (vec![name, o.str_at("metadata.creationTimestamp").unwrap_or("").to_string()], vec![]),
        Kind::RoleBinding | Kind::ClusterRoleBinding => {
            let role = format!("{}/{}", o.str_at("roleRef.kind").unwrap_or(""), o.str_at("roleRef.name").unwrap_or(""));
            let subj = |k: &str| -> Vec<String> {
                o.arr_at("subjects")
                    .iter()
                    .filter(|s| s.str_at("kind") == Some(k))
                    .map(|s| {
                        if k == "ServiceAccount" {
                            format!("{}/{}", s.str_at("namespace").unwrap_or(""), s.str_at("name").unwrap_or(""))
                        } else {
                            s.str_at("name").unwrap_or("").to_string()
                        }
                    })
                    .collect()
            };
            (vec![name, role, a], vec![subj("User").join(", "), subj("Group").join(", "), subj("ServiceAccount").join(", ")])
        }
        Kind::EndpointSlice => {
            let ports: Vec<String> = o.arr_at("ports").iter().map(|p| p.i64_at("port").map(|n| n.to_string()).unwrap_or_default()).collect();
            let ports = if ports.is_empty() { "<unset>".to_string() } else { ports.join(",") };
            let addrs: Vec<String> =
                o.arr_at("endpoints").iter().flat_map(|e| e.arr_at("addresses").iter().filter_map(Value::as_str).map(str::to_string).collect::<Vec<_>>()).collect();
            (vec![name, o.str_at("addressType").unwrap_or("").to_string(), ports, first3(addrs, "<unset>"), a], vec![])
        }
        Kind::Lease => (vec![name, o.str_at("spec.holderIdentity").unwrap_or("").to_string(), a], vec![]),
        _ => return None,
    })
}
