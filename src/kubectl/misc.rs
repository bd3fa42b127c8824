//! The informational verbs: version, api-resources, api-versions, cluster-info, config (the one
//! kubeadm context), top (no metrics server), explain and events.

use super::args::Args;
use super::printers::{self, tabwrite};
use super::{CmdOutput, Ctx};
use crate::model::kinds::KINDS;
use crate::model::{Cluster, Kind, ObjExt};

pub const CLIENT_VERSION: &str = "v1.34.2";
pub const KUSTOMIZE_VERSION: &str = "v5.7.1";
pub const CONTEXT: &str = "kubernetes-admin@kubernetes";

/// The kubelet version the nodes report, else the client's.
fn server_version(c: &Cluster) -> String {
    c.store.list(Kind::Node).find_map(|n| n.str_at("status.nodeInfo.kubeletVersion").map(str::to_string)).unwrap_or_else(|| CLIENT_VERSION.into())
}

pub fn version(c: &Cluster, a: &Args) -> CmdOutput {
    let mut s = format!("Client Version: {CLIENT_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n");
    if !a.bool("client") {
        s.push_str(&format!("Server Version: {}\n", server_version(c)));
    }
    CmdOutput::ok(s)
}

/// Groups in the order discovery lists them.
const GROUP_ORDER: &[&str] = &["", "apps", "batch", "coordination.k8s.io", "discovery.k8s.io", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io"];

pub fn api_resources(a: &Args) -> CmdOutput {
    let mut rows = Vec::new();
    let wide = a.get("output") == Some("wide");
    let name_only = a.get("output") == Some("name");
    let mut hdr: Vec<String> = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"].iter().map(|s| s.to_string()).collect();
    if wide {
        hdr.extend(["VERBS".to_string(), "CATEGORIES".into()]);
    }
    if !a.bool("no-headers") && !name_only {
        rows.push(hdr);
    }
    let mut out_names = String::new();
    for g in GROUP_ORDER {
        let mut ks: Vec<_> = KINDS.iter().filter(|k| k.group == *g).collect();
        crate::sort::by_key(&mut ks, |k| k.plural);
        for k in ks {
            if let Some(ns) = a.get("namespaced") {
                if (ns == "true") != k.namespaced {
                    continue;
                }
            }
            if let Some(ag) = a.get("api-group") {
                if ag != k.group {
                    continue;
                }
            }
            if name_only {
                out_names.push_str(&if k.group.is_empty() { format!("{}\n", k.plural) } else { format!("{}.{}\n", k.plural, k.group) });
                continue;
            }
            let mut r = vec![k.plural.to_string(), k.short.join(","), k.kind.api_version(), k.namespaced.to_string(), k.name.to_string()];
            if wide {
                r.push(format!("[{}]", k.verbs.replace(',', " ")));
                let all = super::get::ALL.contains(&k.kind);
                r.push(if all { "all".into() } else { String::new() });
            }
            rows.push(r);
        }
    }
    if name_only {
        return CmdOutput::ok(out_names);
    }
    CmdOutput::ok(tabwrite(&rows))
}

pub fn api_versions() -> CmdOutput {
    let mut v: Vec<String> = KINDS.iter().map(|k| k.kind.api_version()).collect();
    crate::sort::ord(&mut v);
    v.dedup();
    CmdOutput::ok(v.join("\n") + "\n")
}

fn server_url(c: &Cluster) -> String {
    let ip = c
        .store
        .list(Kind::Node)
        .filter(|n| n.labels().contains_key("node-role.kubernetes.io/control-plane"))
        .find_map(|n| n.arr_at("status.addresses").iter().find(|a| a.str_at("type") == Some("InternalIP")).and_then(|a| a.str_at("address")).map(str::to_string))
        .unwrap_or_else(|| "172.18.0.2".into());
    format!("https://{ip}:6443")
}

pub fn cluster_info(c: &Cluster) -> CmdOutput {
    let url = server_url(c);
    let mut s = format!("Kubernetes control plane is running at {url}\n");
    for svc in c.store.list_ns(Kind::Service, "kube-system") {
        if svc.labels().get("kubernetes.io/cluster-service").map(String::as_str) == Some("true") {
            let name = svc.labels().get("kubernetes.io/name").cloned().unwrap_or_else(|| svc.name().to_string());
            let port = svc.arr_at("spec.ports").first().and_then(|p| p.str_at("name")).map(|n| format!(":{n}")).unwrap_or_default();
            s.push_str(&format!("{name} is running at {url}/api/v1/namespaces/kube-system/services/{}{port}/proxy\n", svc.name()));
        }
    }
    s.push_str("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    CmdOutput::ok(s)
}

pub fn config(c: &mut Cluster, a: &Args) -> CmdOutput {
    let sub = a.pos.first().map(String::as_str).unwrap_or("");
    match sub {
        "current-context" => CmdOutput::ok(format!("{CONTEXT}\n")),
        "get-contexts" => {
            let ns = if c.context_namespace == "default" { String::new() } else { c.context_namespace.clone() };
            let rows = vec![
                vec!["CURRENT".to_string(), "NAME".into(), "CLUSTER".into(), "AUTHINFO".into(), "NAMESPACE".into()],
                vec!["*".to_string(), CONTEXT.into(), "kubernetes".into(), "kubernetes-admin".into(), ns],
            ];
            CmdOutput::ok(tabwrite(&rows))
        }
        "use-context" => match a.pos.get(1) {
            Some(n) if n == CONTEXT => CmdOutput::ok(format!("Switched to context \"{CONTEXT}\".\n")),
            Some(n) => CmdOutput::err(format!("error: no context exists with the name: \"{n}\"\n"), 1),
            None => CmdOutput::err("error: Unexpected args: []\n", 1),
        },
        "set-context" => {
            let target = if a.bool("current") { Some(CONTEXT.to_string()) } else { a.pos.get(1).cloned() };
            match target {
                None => CmdOutput::err("error: you must specify a non-empty context name or --current\n", 1),
                Some(t) if t != CONTEXT => CmdOutput::ok(format!("Context \"{t}\" created.\n")),
                Some(t) => {
                    if let Some(ns) = a.get("namespace") {
                        c.context_namespace = if ns.is_empty() { "default".into() } else { ns.to_string() };
                    }
                    CmdOutput::ok(format!("Context \"{t}\" modified.\n"))
                }
            }
        }
        "view" => {
            let ns = if c.context_namespace == "default" { String::new() } else { format!("    namespace: {}\n", c.context_namespace) };
            let url = server_url(c);
            CmdOutput::ok(format!(
                "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: {url}\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n{ns}    user: kubernetes-admin\n  name: {CONTEXT}\ncurrent-context: {CONTEXT}\nkind: Config\npreferences: {{}}\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n"
            ))
        }
        "" => CmdOutput::ok("Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n\nAvailable Commands:\n  current-context   Display the current-context\n  get-contexts      Describe one or many contexts\n  set-context       Set a context entry in kubeconfig\n  use-context       Set the current-context in a kubeconfig file\n  view              Display merged kubeconfig settings or a specified kubeconfig file\n\nUsage:\n  kubectl config SUBCOMMAND [options]\n"),
        other => CmdOutput::err(format!("error: unknown command \"{other}\" for \"kubectl config\"\n"), 1),
    }
}

/// What a cluster without metrics-server answers, plus kubelab's pointer to what it does show.
pub fn top() -> CmdOutput {
    CmdOutput::err(
        "error: Metrics API not available\nhint: the simulated cluster runs no metrics-server, so there is no live CPU/memory usage; `kubectl describe node NAME` shows the requests and limits scheduled on a node\n",
        1,
    )
}

pub fn explain(a: &Args) -> CmdOutput {
    use crate::manifest::schema::{Schema, Ty};
    let Some(arg) = a.pos.first() else {
        return CmdOutput::err("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n", 1);
    };
    let mut parts = arg.split('.');
    let res = parts.next().unwrap_or("");
    let path: Vec<&str> = parts.collect();
    let Some(kind) = Kind::from_resource_arg(res) else {
        return CmdOutput::err(format!("error: the server doesn't have a resource type \"{res}\"\n"), 1);
    };
    let i = kind.info();
    let mut s = if i.group.is_empty() {
        format!("KIND:       {}\nVERSION:    {}\n\n", i.name, i.version)
    } else {
        format!("GROUP:      {}\nKIND:       {}\nVERSION:    {}\n\n", i.group, i.name, i.version)
    };
    let schema = Schema::get();
    let type_name = |t: &Ty| -> String {
        fn name(t: &Ty, types: &std::collections::BTreeMap<String, crate::manifest::schema::StructType>) -> String {
            match t {
                Ty::Str | Ty::Bytes | Ty::Time => "string".into(),
                Ty::Bool => "boolean".into(),
                Ty::I32 | Ty::I64 => "integer".into(),
                Ty::F64 => "number".into(),
                Ty::Quantity => "Quantity".into(),
                Ty::IntOrString => "IntOrString".into(),
                Ty::Any => "Object".into(),
                Ty::List(x) => format!("[]{}", name(x, types)),
                Ty::Map(x) => format!("map[string]{}", name(x, types)),
                Ty::Struct(id) => types.get(id).map(|st| st.short().to_string()).unwrap_or_else(|| id.clone()),
            }
        }
        name(t, &schema.types)
    };
    let Some(mut st) = schema.root_of(i.name) else {
        s.push_str(&format!("DESCRIPTION:\n    {}\n", description(kind)));
        return CmdOutput::ok(s);
    };
    let mut walked = vec![i.plural.to_string()];
    for (n, seg) in path.iter().enumerate() {
        let Some(f) = st.fields.get(*seg) else {
            return CmdOutput::err(format!("error: field \"{seg}\" does not exist\n"), 1);
        };
        walked.push(seg.to_string());
        let mut t = &f.ty;
        while let Ty::List(x) | Ty::Map(x) = t {
            t = x;
        }
        let last = n + 1 == path.len();
        if last {
            s.push_str(&format!("FIELD: {seg} <{}>\n\n", type_name(&f.ty)));
        }
        match t {
            Ty::Struct(id) => match schema.types.get(id) {
                Some(next) => st = next,
                None => break,
            },
            _ if last => {
                s.push_str("DESCRIPTION:\n    (kubelab keeps field types only; see https://kubernetes.io/docs/reference/kubernetes-api/)\n");
                return CmdOutput::ok(s);
            }
            _ => return CmdOutput::err(format!("error: field \"{}\" does not exist\n", path.get(n + 1).unwrap_or(&"")), 1),
        }
    }
    if path.is_empty() {
        s.push_str(&format!("DESCRIPTION:\n    {}\n    \n", description(kind)));
    } else {
        s.push_str("DESCRIPTION:\n    (kubelab keeps field types only; see https://kubernetes.io/docs/reference/kubernetes-api/)\n    \n");
    }
    s.push_str("FIELDS:\n");
    for (name, f) in &st.fields {
        s.push_str(&format!("  {name}\t<{}>\n", type_name(&f.ty)));
    }
    CmdOutput::ok(s)
}

fn description(k: Kind) -> &'static str {
    match k {
        Kind::Pod => "Pod is a collection of containers that can run on a host. This resource is created\n    by clients and scheduled onto hosts.",
        Kind::Deployment => "Deployment enables declarative updates for Pods and ReplicaSets.",
        Kind::ReplicaSet => "ReplicaSet ensures that a specified number of pod replicas are running at any\n    given time.",
        Kind::Service => "Service is a named abstraction of software service (for example, mysql)\n    consisting of local port (for example 3306) that the proxy listens on, and the\n    selector that determines which pods will answer requests sent through the\n    proxy.",
        Kind::ConfigMap => "ConfigMap holds configuration data for pods to consume.",
        Kind::Secret => "Secret holds secret data of a certain type. The total bytes of the values in\n    the Data field must be less than MaxSecretSize bytes.",
        Kind::Namespace => "Namespace provides a scope for Names. Use of multiple namespaces is optional.",
        Kind::Node => "Node is a worker node in Kubernetes. Each node will have a unique identifier in\n    the cache (i.e. in etcd).",
        Kind::StatefulSet => "StatefulSet represents a set of pods with consistent identities.",
        Kind::Job => "Job represents the configuration of a single job.",
        Kind::CronJob => "CronJob represents the configuration of a single cron job.",
        _ => "See https://kubernetes.io/docs/reference/kubernetes-api/ for this resource.",
    }
}

/// `kubectl events`: like `get events`, oldest first.
pub fn events(c: &Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let mut evs: Vec<_> = if ctx.all_ns { c.store.list(Kind::Event).cloned().collect() } else { c.store.list_ns(Kind::Event, &ctx.ns).cloned().collect() };
    if let Some(f) = a.get("for") {
        let (k, n) = match f.split_once('/') {
            Some((k, n)) => (Kind::from_resource_arg(k).map(|k| k.name().to_string()), n.to_string()),
            None => (None, f.to_string()),
        };
        evs.retain(|e| e.str_at("involvedObject.name") == Some(n.as_str()) && k.as_deref().is_none_or(|k| e.str_at("involvedObject.kind") == Some(k)));
    }
    if let Some(t) = a.get("types") {
        let types: Vec<&str> = t.split(',').collect();
        evs.retain(|e| types.iter().any(|t| e.str_at("type").is_some_and(|x| x.eq_ignore_ascii_case(t))));
    }
    crate::sort::by(&mut evs, |x, y| x.str_at("lastTimestamp").cmp(&y.str_at("lastTimestamp")));
    if evs.is_empty() {
        return if ctx.all_ns { CmdOutput::err("No events found.\n", 0) } else { CmdOutput::err(format!("No events found in {} namespace.\n", ctx.ns), 0) };
    }
    let mut rows = Vec::new();
    let mut hdr = vec![];
    if ctx.all_ns {
        hdr.push("NAMESPACE".to_string());
    }
    hdr.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].iter().map(|s| s.to_string()));
    rows.push(hdr);
    for e in &evs {
        let (cells, _) = printers::row(c, Kind::Event, e);
        let mut r = Vec::new();
        if ctx.all_ns {
            r.push(e.namespace().to_string());
        }
        r.extend(cells);
        rows.push(r);
    }
    CmdOutput::ok(tabwrite(&rows))
}
