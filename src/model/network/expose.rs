//! `kubectl expose`: the Service kubectl builds from a pod, Deployment, ReplicaSet or Service
//! (staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go, polymorphichelpers' selector and port
//! introspection, generate/versioned/service.go). The kubectl interpreter parses the flags and
//! creates the returned object; errors are worded as kubectl prints them.

use crate::model::kinds::Kind;
use crate::model::object::{string_map, ObjExt, Object};
use crate::model::store::Store;
use serde_json::{json, Map, Value};

/// The flags of `kubectl expose` this builder honours.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExposeOptions {
    /// `--name` (default: the exposed object's name).
    pub name: Option<String>,
    /// `--port`.
    pub port: Option<i64>,
    /// `--target-port`: a number or a port name.
    pub target_port: Option<String>,
    /// `--protocol` (default: from the object's ports, else TCP).
    pub protocol: Option<String>,
    /// `--type`.
    pub service_type: Option<String>,
    /// `--selector` as `k=v,k2=v2`.
    pub selector: Option<String>,
    /// `--labels` as `k=v,...`.
    pub labels: Option<String>,
    /// `--external-ip`.
    pub external_ip: Option<String>,
    /// `--load-balancer-ip`.
    pub load_balancer_ip: Option<String>,
    /// `--cluster-ip` (`None` for a headless Service).
    pub cluster_ip: Option<String>,
}

fn parse_pairs(s: &str, what: &str) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                m.insert(k.to_string(), json!(v));
            }
            _ => return Err(format!("error: invalid {what} format: {part}")),
        }
    }
    Ok(m)
}

/// The pod template (or pod spec) whose containers name the ports.
fn pod_spec(obj: &Object, kind: Kind) -> Option<&Value> {
    match kind {
        Kind::Pod => obj.path("spec"),
        _ => obj.path("spec.template.spec"),
    }
}

/// Builds the Service `kubectl expose KIND NAME` would create.
pub fn expose(store: &Store, kind: Kind, namespace: &str, name: &str, opts: &ExposeOptions) -> Result<Value, String> {
    let obj = store.get_by(kind, namespace, name).ok_or_else(|| format!("Error from server (NotFound): {} \"{name}\" not found", kind.resource_group()))?;
    if !matches!(kind, Kind::Pod | Kind::Service | Kind::Deployment | Kind::ReplicaSet) {
        let gk = if kind.info().group.is_empty() { kind.name().to_string() } else { format!("{}.{}", kind.name(), kind.info().group) };
        return Err(format!("error: cannot expose a {gk}"));
    }
    // MapBasedSelectorForObject.
    let selector = match &opts.selector {
        Some(s) => parse_pairs(s, "selector")?,
        None => match kind {
            Kind::Pod => obj.labels().into_iter().map(|(k, v)| (k, json!(v))).collect(),
            Kind::Service => {
                let s = string_map(obj.path("spec.selector"));
                if s.is_empty() {
                    return Err("error: the service has no pod selector set".into());
                }
                s.into_iter().map(|(k, v)| (k, json!(v))).collect()
            }
            _ => {
                if obj.path("spec.selector.matchExpressions").and_then(|e| e.as_array()).is_some_and(|a| !a.is_empty()) {
                    return Err(format!("error: couldn't convert expressions - \"{}\" to map-based selector format", obj.path("spec.selector.matchExpressions").map(|v| v.to_string()).unwrap_or_default()));
                }
                string_map(obj.path("spec.selector.matchLabels")).into_iter().map(|(k, v)| (k, json!(v))).collect()
            }
        },
    };
    if selector.is_empty() {
        return Err(format!("error: couldn't retrieve selectors via --selector flag or introspection: the {} has no labels", kind.name().to_ascii_lowercase()));
    }
    // PortsForObject / ProtocolsForObject: (port, protocol).
    let introspected: Vec<(i64, String)> = match kind {
        Kind::Service => obj.arr_at("spec.ports").iter().filter_map(|p| Some((p.i64_at("port")?, p.str_at("protocol").unwrap_or("TCP").to_string()))).collect(),
        _ => pod_spec(obj, kind)
            .map(|s| s.arr_at("containers"))
            .unwrap_or(&[])
            .iter()
            .flat_map(|c| c.arr_at("ports"))
            .filter_map(|p| Some((p.i64_at("containerPort")?, p.str_at("protocol").unwrap_or("TCP").to_string())))
            .collect(),
    };
    let ports: Vec<(i64, String)> = match opts.port {
        Some(p) => vec![(p, opts.protocol.clone().or_else(|| introspected.first().map(|x| x.1.clone())).unwrap_or_else(|| "TCP".into()))],
        None => introspected.into_iter().map(|(p, proto)| (p, opts.protocol.clone().unwrap_or(proto))).collect(),
    };
    if ports.is_empty() {
        return Err("error: couldn't find port via --port flag or introspection".into());
    }
    let many = ports.len() > 1;
    let svc_ports: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, (port, proto))| {
            let target: Value = match &opts.target_port {
                Some(t) => t.parse::<i64>().map(|n| json!(n)).unwrap_or_else(|_| json!(t)),
                None => match kind {
                    // A Service's own targetPorts carry over when exposing a Service.
                    Kind::Service => obj.arr_at("spec.ports").get(i).and_then(|p| p.path("targetPort").cloned()).unwrap_or(json!(port)),
                    _ => json!(port),
                },
            };
            let mut p = json!({"port": port, "protocol": proto, "targetPort": target});
            if many {
                p["name"] = json!(format!("port-{}", i + 1));
            }
            p
        })
        .collect();
    let labels = match &opts.labels {
        Some(l) => parse_pairs(l, "label")?,
        None => obj.labels().into_iter().map(|(k, v)| (k, json!(v))).collect(),
    };
    let svc_name = opts.name.clone().unwrap_or_else(|| name.to_string());
    let mut svc = json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": svc_name, "namespace": namespace},
        "spec": {"ports": svc_ports, "selector": selector},
    });
    if !labels.is_empty() {
        svc["metadata"]["labels"] = Value::Object(labels);
    }
    if let Some(t) = &opts.service_type {
        svc["spec"]["type"] = json!(t);
    }
    if let Some(ip) = &opts.cluster_ip {
        svc["spec"]["clusterIP"] = json!(ip);
    }
    if let Some(ip) = &opts.external_ip {
        svc["spec"]["externalIPs"] = json!([ip]);
    }
    if let Some(ip) = &opts.load_balancer_ip {
        svc["spec"]["loadBalancerIP"] = json!(ip);
    }
    Ok(svc)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn expose_deployment_and_errors() {
        let mut s = Store::default();
        s.put(json!({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
            "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80},{"containerPort":443}]}]}}}}));
        let svc = expose(&s, Kind::Deployment, "default", "web", &ExposeOptions::default()).unwrap();
        assert_eq!(svc["spec"]["selector"], json!({"app":"web"}));
        assert_eq!(svc["spec"]["ports"], json!([{"name":"port-1","port":80,"protocol":"TCP","targetPort":80},{"name":"port-2","port":443,"protocol":"TCP","targetPort":443}]));
        let one = expose(&s, Kind::Deployment, "default", "web", &ExposeOptions { port: Some(8080), target_port: Some("80".into()), service_type: Some("NodePort".into()), ..Default::default() }).unwrap();
        assert_eq!(one["spec"]["ports"], json!([{"port":8080,"protocol":"TCP","targetPort":80}]));
        assert_eq!(one["spec"]["type"], json!("NodePort"));
        s.put(json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"bare","namespace":"default","labels":{"run":"bare"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}));
        assert_eq!(expose(&s, Kind::Pod, "default", "bare", &ExposeOptions::default()).unwrap_err(), "error: couldn't find port via --port flag or introspection");
        s.put(json!({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"default"}}));
        assert_eq!(expose(&s, Kind::StatefulSet, "default", "db", &ExposeOptions::default()).unwrap_err(), "error: cannot expose a StatefulSet.apps");
    }
}
