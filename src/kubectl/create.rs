//! `kubectl create` (from files and the generators: namespace, deployment, configmap, secret,
//! service, job, cronjob, serviceaccount, role(binding), clusterrole(binding)), `kubectl run` and
//! `kubectl expose`. Generated objects have exactly the shape kubectl's generators give them
//! (checked against `kubectl create … --dry-run=client -o yaml`; since v1.33 a zero
//! `creationTimestamp` is omitted instead of printed as null, kubernetes/kubernetes#130989).

use super::apply;
use super::args::Args;
use super::output::{name_of, to_json, to_yaml};
use super::{CmdOutput, Ctx};
use crate::model::api;
use crate::model::object::set_path;
use crate::model::{Cluster, Key, Kind, ObjExt, Object};
use base64::Engine;
use crate::value::{json, Map, Value};

/// Creates (or dry-runs) one generated object and prints what kubectl prints.
pub fn finish(c: &mut Cluster, ctx: &Ctx, a: &Args, mut obj: Object, verb_word: &str) -> CmdOutput {
    let Some(kind) = obj.kind() else { return CmdOutput::err("error: unknown kind\n", 1) };
    let dry = match a.get("dry-run") {
        None | Some("none") | Some("false") => None,
        Some("client") | Some("true") => Some(" (dry run)"),
        Some("server") => Some(" (server dry run)"),
        Some(other) => return CmdOutput::err(format!("error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".\n"), 1),
    };
    let out = a.get("output").unwrap_or("");
    if !["", "yaml", "json", "name"].contains(&out) {
        return CmdOutput::err(format!("error: unable to match a printer suitable for the output format \"{out}\", allowed formats are: json,name,yaml\n"), 1);
    }
    if dry == Some(" (dry run)") {
        if kind.namespaced() && a.has("namespace") {
            set_path(&mut obj, "metadata.namespace", json!(ctx.ns));
        }
        return print(&obj, out, &format!("{verb_word} (dry run)"));
    }
    if kind.namespaced() && obj.namespace().is_empty() {
        set_path(&mut obj, "metadata.namespace", json!(ctx.ns));
    }
    if let Err(e) = ctx.authorize(c, "create", kind, obj.namespace(), "") {
        return CmdOutput::err(e, 1);
    }
    let send = obj.clone();
    if dry.is_some() {
        return print(&obj, out, &format!("{verb_word} (server dry run)"));
    }
    match api::create(c, send, ctx.caller()) {
        Ok(stored) => {
            c.settle();
            let now = stored.key().and_then(|k| c.store.get(&k).cloned()).unwrap_or(stored);
            print(&now, out, verb_word)
        }
        Err(e) => CmdOutput::err(format!("{}\n", e.kubectl_message()), 1),
    }
}

fn print(obj: &Object, out: &str, word: &str) -> CmdOutput {
    match out {
        "yaml" => CmdOutput::ok(to_yaml(obj)),
        "json" => CmdOutput::ok(to_json(obj)),
        "name" => CmdOutput::ok(format!("{}\n", name_of(obj))),
        _ => CmdOutput::ok(format!("{} {word}\n", name_of(obj))),
    }
}

fn need_name(a: &Args, what: &str) -> Result<String, CmdOutput> {
    match a.pos.get(1) {
        Some(n) => Ok(n.clone()),
        None => Err(CmdOutput::err(format!("error: exactly one NAME is required, got 0\nSee 'kubectl create {what} -h' for help and examples\n"), 1)),
    }
}

pub fn run(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    if a.has("filename") {
        return from_files(c, ctx, a);
    }
    let sub = a.pos.first().map(String::as_str).unwrap_or("");
    // cobra checks required flags before anything else.
    let required: &[&str] = match sub {
        "deployment" | "deploy" => &["image"],
        "cronjob" | "cj" => &["image", "schedule"],
        "clusterrolebinding" => &["clusterrole"],
        "service" | "svc" if a.pos.get(1).map(String::as_str) == Some("externalname") => &["external-name"],
        _ => &[],
    };
    let missing: Vec<&str> = required.iter().copied().filter(|f| !a.has(f)).collect();
    if !missing.is_empty() {
        return super::required_flags(c, &missing);
    }
    let r = match sub {
        "namespace" | "ns" => need_name(a, "namespace").map(|n| json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":n},"spec":{},"status":{}})),
        "deployment" | "deploy" => need_name(a, "deployment").and_then(|n| deployment(a, &n)),
        "configmap" | "cm" => need_name(a, "configmap").and_then(|n| configmap(ctx, a, &n)),
        "secret" => secret(ctx, a),
        "service" | "svc" => service(a),
        "job" => need_name(a, "job").and_then(|n| job(c, ctx, a, &n)),
        "cronjob" | "cj" => need_name(a, "cronjob").and_then(|n| cronjob(a, &n)),
        "serviceaccount" | "sa" => need_name(a, "serviceaccount").map(|n| json!({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":n}})),
        "role" => need_name(a, "role").and_then(|n| role(a, &n, "Role")),
        "clusterrole" => need_name(a, "clusterrole").and_then(|n| role(a, &n, "ClusterRole")),
        "rolebinding" => need_name(a, "rolebinding").and_then(|n| binding(ctx, a, &n, "RoleBinding")),
        "clusterrolebinding" => need_name(a, "clusterrolebinding").and_then(|n| binding(ctx, a, &n, "ClusterRoleBinding")),
        "" => Err(CmdOutput::err("error: must specify one of -f and -k\n\n", 1)),
        other => Err(CmdOutput::err(format!("error: unknown command \"{other}\" for \"kubectl create\"\n"), 1)),
    };
    match r {
        Ok(obj) => finish(c, ctx, a, obj, "created"),
        Err(e) => e,
    }
}

fn from_files(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let sources = match apply::load(ctx, a) {
        Ok(s) => s,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    for (src, docs) in sources {
        for d in docs {
            let (kind, mut obj, lines) = match d {
                Ok(x) => x,
                Err(e) => {
                    stderr.push_str(&e);
                    continue;
                }
            };
            if let Err(e) = apply::set_namespace(ctx, a, kind, &mut obj) {
                stderr.push_str(&e);
                continue;
            }
            if let Err(e) = ctx.authorize(c, "create", kind, obj.namespace(), "") {
                stderr.push_str(&e);
                continue;
            }
            if a.bool("save-config") {
                let text = format!("{obj}\n");
                if let Some(md) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                    let ann = md.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
                    if let Some(m) = ann.as_object_mut() {
                        m.insert(apply::LAST_APPLIED.into(), Value::String(text.into()));
                    }
                }
            }
            match api::create(c, obj, ctx.caller()) {
                Ok(o) => {
                    c.settle();
                    stdout.push_str(&format!("{} created\n", name_of(&o)));
                }
                Err(e) => {
                    stderr.push_str(&apply::server_error(&e, "creating", &src));
                    stderr.push_str(&apply::cause_hints(&src, &lines, &e));
                }
            }
        }
    }
    CmdOutput::mixed(stdout, stderr)
}

fn image_name(image: &str) -> String {
    // kubectl create deployment names the container after the image (path and tag removed).
    let base = image.rsplit('/').next().unwrap_or(image);
    let base = base.split(['@', ':']).next().unwrap_or(base);
    base.to_string()
}

fn deployment(a: &Args, name: &str) -> Result<Object, CmdOutput> {
    let images = a.all("image");
    if images.is_empty() {
        return Err(CmdOutput::err("error: required flag(s) \"image\" not set\n", 1));
    }
    let replicas: i64 = match a.get("replicas").map(str::parse) {
        None => 1,
        Some(Ok(r)) => r,
        Some(Err(_)) => return Err(CmdOutput::err(format!("error: invalid argument \"{}\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax\nSee 'kubectl create deployment --help' for usage.\n", a.get("replicas").unwrap_or(""), a.get("replicas").unwrap_or("")), 1)),
    };
    let port = a.get("port").and_then(|p| p.parse::<i64>().ok());
    let containers: Vec<Value> = images
        .iter()
        .map(|img| {
            let mut ctr = json!({"image": img, "name": image_name(img), "resources": {}});
            if let Some(p) = port {
                ctr["ports"] = json!([{"containerPort": p}]);
            }
            ctr
        })
        .collect();
    let mut cmd: Vec<Value> = a.rest.iter().map(|s| json!(s)).collect();
    if !cmd.is_empty() {
        if let Some(c0) = containers.first().cloned() {
            let mut c0 = c0;
            c0["command"] = Value::Array(std::mem::take(&mut cmd));
            let mut cs = containers.clone();
            cs[0] = c0;
            return Ok(deploy_obj(name, replicas, cs));
        }
    }
    Ok(deploy_obj(name, replicas, containers))
}

fn deploy_obj(name: &str, replicas: i64, containers: Vec<Value>) -> Object {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"labels": {"app": name}, "name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}}
        },
        "status": {}
    })
}

/// `--from-literal k=v` and `--from-file [k=]path` into a map (values raw).
fn gather(ctx: &Ctx, a: &Args) -> Result<Vec<(String, String)>, CmdOutput> {
    let mut out: Vec<(String, String)> = Vec::new();
    for lit in a.all("from-literal") {
        let Some((k, v)) = lit.split_once('=') else {
            return Err(CmdOutput::err(format!("error: invalid literal source {lit}, expected key=value\n"), 1));
        };
        if out.iter().any(|(x, _)| x == k) {
            return Err(CmdOutput::err(format!("error: cannot add key \"{k}\", another key by that name already exists in Data for ConfigMap \"{}\"\n", a.pos.get(1).cloned().unwrap_or_default()), 1));
        }
        out.push((k.to_string(), v.to_string()));
    }
    for f in a.all("from-file") {
        let (k, path) = match f.split_once('=') {
            Some((k, p)) => (k.to_string(), p.to_string()),
            None => (f.rsplit('/').next().unwrap_or(&f).to_string(), f.clone()),
        };
        match (ctx.files)(&path) {
            Some(t) => out.push((k, t)),
            None => return Err(CmdOutput::err(format!("error: error reading {path}: no such file or directory\n"), 1)),
        }
    }
    for f in a.all("from-env-file") {
        let Some(t) = (ctx.files)(&f) else {
            return Err(CmdOutput::err(format!("error: error reading {f}: no such file or directory\n"), 1));
        };
        for line in t.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            out.push((k.to_string(), v.to_string()));
        }
    }
    Ok(out)
}

fn configmap(ctx: &Ctx, a: &Args, name: &str) -> Result<Object, CmdOutput> {
    let data: Map = gather(ctx, a)?.into_iter().map(|(k, v)| (k, json!(v))).collect();
    let mut o = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}});
    if !data.is_empty() {
        o["data"] = Value::Object(data);
    }
    Ok(o)
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
}

fn secret(ctx: &Ctx, a: &Args) -> Result<Object, CmdOutput> {
    let kind = a.pos.get(1).map(String::as_str).unwrap_or("");
    let Some(name) = a.pos.get(2).cloned() else {
        return Err(CmdOutput::err(format!("error: exactly one NAME is required, got 0\nSee 'kubectl create secret {kind} -h' for help and examples\n"), 1));
    };
    match kind {
        "generic" => {
            let data: Map = gather(ctx, a)?.into_iter().map(|(k, v)| (k, json!(b64(&v)))).collect();
            let mut o = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}});
            if !data.is_empty() {
                o["data"] = Value::Object(data);
            }
            if let Some(t) = a.get("type") {
                o["type"] = json!(t);
            }
            Ok(o)
        }
        "tls" => {
            let (Some(cert), Some(key)) = (a.get("cert"), a.get("key")) else {
                return Err(CmdOutput::err("error: key and cert must be specified\n", 1));
            };
            let read = |p: &str| (ctx.files)(p).ok_or_else(|| CmdOutput::err(format!("error: open {p}: no such file or directory\n"), 1));
            let (c, k) = (read(cert)?, read(key)?);
            Ok(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "data": {"tls.crt": b64(&c), "tls.key": b64(&k)}, "type": "kubernetes.io/tls"}))
        }
        "docker-registry" => {
            let server = a.get("docker-server").unwrap_or("https://index.docker.io/v1/");
            let user = a.get("docker-username").unwrap_or("");
            let pass = a.get("docker-password").unwrap_or("");
            let auth = b64(&format!("{user}:{pass}"));
            let cfg = json!({"auths": {server: {"username": user, "password": pass, "auth": auth}}}).to_string();
            Ok(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "data": {".dockerconfigjson": b64(&cfg)}, "type": "kubernetes.io/dockerconfigjson"}))
        }
        "" => Err(CmdOutput::err("Create a secret with specified type.\n\nAvailable Commands:\n  docker-registry   Create a secret for use with a Docker registry\n  generic           Create a secret from a local file, directory, or literal value\n  tls               Create a TLS secret\n\nUsage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n", 0)),
        other => Err(CmdOutput::err(format!("error: unknown command \"{other}\" for \"kubectl create secret\"\n"), 1)),
    }
}

fn service(a: &Args) -> Result<Object, CmdOutput> {
    let ty = a.pos.get(1).map(String::as_str).unwrap_or("");
    let Some(name) = a.pos.get(2).cloned() else {
        return Err(CmdOutput::err(format!("error: exactly one NAME is required, got 0\nSee 'kubectl create service {ty} -h' for help and examples\n"), 1));
    };
    let (svc_type, ports_required) = match ty {
        "clusterip" => ("ClusterIP", false),
        "nodeport" => ("NodePort", true),
        "loadbalancer" => ("LoadBalancer", true),
        "externalname" => ("ExternalName", false),
        other => return Err(CmdOutput::err(format!("error: unknown command \"{other}\" for \"kubectl create service\"\n"), 1)),
    };
    let mut ports = Vec::new();
    for spec in a.all("tcp").iter().flat_map(|s| s.split(',').map(str::to_string).collect::<Vec<_>>()) {
        let (p, t) = spec.split_once(':').unwrap_or((&spec, &spec));
        let (Ok(port), Ok(target)) = (p.parse::<i64>(), t.parse::<i64>()) else {
            return Err(CmdOutput::err(format!("error: invalid port spec {spec}\n"), 1));
        };
        let mut pj = json!({"name": if p == t { p.to_string() } else { format!("{p}-{t}") }, "port": port, "protocol": "TCP", "targetPort": target});
        if let Some(np) = a.get("node-port").and_then(|n| n.parse::<i64>().ok()) {
            pj["nodePort"] = json!(np);
        }
        ports.push(pj);
    }
    if ty == "externalname" {
        let Some(ext) = a.get("external-name") else {
            return Err(CmdOutput::err("error: required flag(s) \"external-name\" not set\n", 1));
        };
        return Ok(json!({"apiVersion": "v1", "kind": "Service", "metadata": {"labels": {"app": name}, "name": name}, "spec": {"externalName": ext, "selector": {"app": name}, "type": "ExternalName"}, "status": {"loadBalancer": {}}}));
    }
    if ports.is_empty() && (ports_required || ty == "clusterip") && a.get("clusterip") != Some("None") {
        return Err(CmdOutput::err("error: at least one tcp port specifier must be provided\n", 1));
    }
    let mut spec = json!({"ports": ports, "selector": {"app": name}, "type": svc_type});
    if let Some(ip) = a.get("clusterip") {
        spec["clusterIP"] = json!(ip);
    }
    Ok(json!({"apiVersion": "v1", "kind": "Service", "metadata": {"labels": {"app": name}, "name": name}, "spec": spec, "status": {"loadBalancer": {}}}))
}

fn job(c: &Cluster, ctx: &Ctx, a: &Args, name: &str) -> Result<Object, CmdOutput> {
    if let Some(from) = a.get("from") {
        let cj = from.strip_prefix("cronjob/").or(from.strip_prefix("cj/")).or(from.strip_prefix("cronjobs/"));
        let Some(cj) = cj else {
            return Err(CmdOutput::err(format!("error: unknown object type {}\n", from.split('/').next().unwrap_or(from)), 1));
        };
        let Some(o) = c.store.get_by(Kind::CronJob, &ctx.ns, cj) else {
            return Err(CmdOutput::err(format!("Error from server (NotFound): cronjobs.batch \"{cj}\" not found\n"), 1));
        };
        let mut spec = o.path("spec.jobTemplate.spec").cloned().unwrap_or(json!({}));
        if let Some(m) = spec.as_object_mut() {
            m.remove("selector");
        }
        return Ok(json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"annotations": {"cronjob.kubernetes.io/instantiate": "manual"}, "name": name,
                "ownerReferences": [{"apiVersion": "batch/v1", "blockOwnerDeletion": true, "controller": true, "kind": "CronJob", "name": cj, "uid": o.uid()}]},
            "spec": spec, "status": {}
        }));
    }
    let Some(image) = a.get("image") else {
        return Err(CmdOutput::err("error: either --image or --from must be specified\n", 1));
    };
    let mut ctr = json!({"image": image, "name": name, "resources": {}});
    if !a.rest.is_empty() {
        ctr["command"] = json!(a.rest);
    }
    Ok(json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": name},
        "spec": {"template": {"metadata": {}, "spec": {"containers": [ctr], "restartPolicy": "Never"}}},
        "status": {}
    }))
}

fn cronjob(a: &Args, name: &str) -> Result<Object, CmdOutput> {
    let Some(image) = a.get("image") else { return Err(CmdOutput::err("error: required flag(s) \"image\", \"schedule\" not set\n", 1)) };
    let Some(schedule) = a.get("schedule") else { return Err(CmdOutput::err("error: required flag(s) \"schedule\" not set\n", 1)) };
    let mut ctr = json!({"image": image, "name": name, "resources": {}});
    if !a.rest.is_empty() {
        ctr["command"] = json!(a.rest);
    }
    let restart = a.get("restart").unwrap_or("OnFailure");
    Ok(json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": name},
        "spec": {"jobTemplate": {"metadata": {"name": name}, "spec": {"template": {"metadata": {}, "spec": {"containers": [ctr], "restartPolicy": restart}}}}, "schedule": schedule},
        "status": {}
    }))
}

fn role(a: &Args, name: &str, kind: &str) -> Result<Object, CmdOutput> {
    let verbs: Vec<String> = a.all("verb").iter().flat_map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>()).collect();
    let resources: Vec<String> = a.all("resource").iter().flat_map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>()).collect();
    let urls: Vec<String> = a.all("non-resource-url");
    if verbs.is_empty() {
        return Err(CmdOutput::err("error: at least one verb must be specified\n", 1));
    }
    if resources.is_empty() && urls.is_empty() {
        return Err(CmdOutput::err("error: at least one resource must be specified\n", 1));
    }
    // One rule per API group, in the order groups first appear.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for r in &resources {
        let (res, sub) = match r.split_once('/') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (r.clone(), None),
        };
        let (group, plural) = if res == "*" {
            ("".to_string(), "*".to_string())
        } else {
            match Kind::from_resource_arg(&res) {
                Some(k) => (k.info().group.to_string(), k.info().plural.to_string()),
                None => return Err(CmdOutput::err(format!("error: the server doesn't have a resource type \"{res}\"\n"), 1)),
            }
        };
        let full = match sub {
            Some(s) => format!("{plural}/{s}"),
            None => plural,
        };
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, v)) => v.push(full),
            None => groups.push((group, vec![full])),
        }
    }
    let names = a.all("resource-name");
    let mut rules: Vec<Value> = groups
        .into_iter()
        .map(|(g, rs)| {
            let mut r = json!({"apiGroups": [g], "resources": rs, "verbs": verbs});
            if !names.is_empty() {
                r["resourceNames"] = json!(names);
            }
            r
        })
        .collect();
    if !urls.is_empty() {
        rules.push(json!({"nonResourceURLs": urls, "verbs": verbs}));
    }
    Ok(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": name}, "rules": rules}))
}

fn binding(ctx: &Ctx, a: &Args, name: &str, kind: &str) -> Result<Object, CmdOutput> {
    let role_ref = match (a.get("role"), a.get("clusterrole")) {
        (Some(r), None) if kind == "RoleBinding" => json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": r}),
        (None, Some(r)) => json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": r}),
        (Some(_), Some(_)) => return Err(CmdOutput::err("error: exactly one of clusterrole or role must be specified\n", 1)),
        _ => {
            let which = if kind == "RoleBinding" { "exactly one of clusterrole or role must be specified" } else { "required flag(s) \"clusterrole\" not set" };
            return Err(CmdOutput::err(format!("error: {which}\n"), 1));
        }
    };
    let mut subjects = Vec::new();
    for u in a.all("user") {
        subjects.push(json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": u}));
    }
    for g in a.all("group") {
        subjects.push(json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g}));
    }
    for sa in a.all("serviceaccount") {
        let Some((ns, n)) = sa.split_once(':') else {
            return Err(CmdOutput::err("error: serviceaccount must be <namespace>:<name>\n", 1));
        };
        let _ = ctx;
        subjects.push(json!({"kind": "ServiceAccount", "name": n, "namespace": ns}));
    }
    let mut o = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": name}, "roleRef": role_ref});
    if !subjects.is_empty() {
        o["subjects"] = Value::Array(subjects);
    }
    Ok(o)
}

/// `kubectl run NAME --image=…`: one Pod labelled `run=NAME`.
pub fn run_pod(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let Some(image) = a.get("image") else {
        return super::required_flags(c, &["image"]);
    };
    let Some(name) = a.pos.first().cloned() else {
        return CmdOutput::err("error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n", 1);
    };
    if a.bool("stdin") || a.bool("tty") || a.bool("rm") || a.bool("attach") {
        return CmdOutput::err("error: attaching to a container (-i, -t, --rm, --attach) is not available in this simulated terminal; run the pod and read its output with `kubectl logs`\n", 1);
    }
    let labels: Map = match a.get("labels") {
        Some(l) => {
            let mut m = Map::new();
            for kv in l.split(',') {
                let Some((k, v)) = kv.split_once('=') else {
                    return CmdOutput::err(format!("error: invalid label spec: {kv}\n"), 1);
                };
                m.insert(k.into(), json!(v));
            }
            m
        }
        None => [("run".to_string(), json!(name))].into_iter().collect(),
    };
    let restart = a.get("restart").unwrap_or("Always");
    if !["Always", "OnFailure", "Never"].contains(&restart) {
        return CmdOutput::err(format!("error: invalid restart policy: {restart}\nSee 'kubectl run -h' for help and examples\n"), 1);
    }
    let mut ctr = json!({"image": image, "name": name, "resources": {}});
    if !a.rest.is_empty() {
        ctr[if a.bool("command") { "command" } else { "args" }] = json!(a.rest);
    }
    let envs = a.all("env");
    if !envs.is_empty() {
        ctr["env"] = Value::Array(envs.iter().map(|e| {
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            json!({"name": k, "value": v})
        }).collect());
    }
    if let Some(p) = a.get("port").and_then(|p| p.parse::<i64>().ok()) {
        ctr["ports"] = json!([{"containerPort": p}]);
    }
    if let Some(p) = a.get("image-pull-policy") {
        ctr["imagePullPolicy"] = json!(p);
    }
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"labels": labels, "name": name},
        "spec": {"containers": [ctr], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        "status": {}
    });
    finish(c, ctx, a, pod, "created")
}

/// `kubectl expose TYPE NAME`: a Service selecting what the object selects.
pub fn expose(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    let (reqs, _) = match super::get::resolve(&a.pos) {
        Ok(r) => r,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let Some(req) = reqs.first() else {
        return CmdOutput::err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1);
    };
    let Some(name) = req.names.first() else {
        return CmdOutput::err("error: resource(s) were provided, but no name was specified\n", 1);
    };
    let Some(src) = c.store.get(&Key::new(req.kind, &ctx.ns, name)).cloned() else {
        return CmdOutput::err(format!("{}\n", crate::model::ApiError::not_found(req.kind, name).kubectl_message()), 1);
    };
    let (selector, ports_from): (Map, Vec<Value>) = match req.kind {
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet => {
            let sel = src.path("spec.selector.matchLabels").and_then(Value::as_object).cloned().unwrap_or_default();
            if src.path("spec.selector.matchExpressions").is_some_and(|e| e.as_array().is_some_and(|a| !a.is_empty())) {
                return CmdOutput::err(format!("error: couldn't retrieve selectors via --selector flag or introspection: the {} has match expressions; use --selector\n", req.kind.name()), 1);
            }
            (sel, src.arr_at("spec.template.spec.containers").to_vec())
        }
        Kind::Pod => (src.path("metadata.labels").and_then(Value::as_object).cloned().unwrap_or_default(), src.arr_at("spec.containers").to_vec()),
        Kind::Service => (src.path("spec.selector").and_then(Value::as_object).cloned().unwrap_or_default(), vec![]),
        k => return CmdOutput::err(format!("error: cannot expose a {}\n", k.name()), 1),
    };
    let selector = match a.get("selector") {
        Some(s) => s.split(',').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), json!(v))).collect(),
        None => selector,
    };
    if selector.is_empty() {
        return CmdOutput::err(format!("error: couldn't retrieve selectors via --selector flag or introspection: the {} has no selector\n", req.kind.name().to_ascii_lowercase()), 1);
    }
    let proto = a.get("protocol").unwrap_or("TCP");
    let mut ports: Vec<Value> = Vec::new();
    if let Some(p) = a.get("port") {
        for (i, one) in p.split(',').enumerate() {
            let Ok(port) = one.parse::<i64>() else { return CmdOutput::err(format!("error: invalid port {one}\n"), 1) };
            let target = a.get("target-port").map(|t| t.parse::<i64>().map(Value::from).unwrap_or_else(|_| json!(t))).unwrap_or(json!(port));
            let mut pj = json!({"port": port, "protocol": proto, "targetPort": target});
            if p.contains(',') {
                pj["name"] = json!(format!("port-{}", i + 1));
            }
            ports.push(pj);
        }
    } else if req.kind == Kind::Service {
        ports = src.arr_at("spec.ports").iter().map(|p| { let mut p = p.clone(); if let Some(m) = p.as_object_mut() { m.remove("nodePort"); } p }).collect();
    } else {
        let cports: Vec<&Value> = ports_from.iter().flat_map(|c| c.arr_at("ports").iter()).collect();
        for (i, cp) in cports.iter().enumerate() {
            let port = cp.i64_at("containerPort").unwrap_or(0);
            let target = a.get("target-port").map(|t| t.parse::<i64>().map(Value::from).unwrap_or_else(|_| json!(t))).unwrap_or(json!(port));
            let mut pj = json!({"port": port, "protocol": cp.str_at("protocol").unwrap_or(proto), "targetPort": target});
            if cports.len() > 1 {
                pj["name"] = json!(format!("port-{}", i + 1));
            }
            ports.push(pj);
        }
    }
    if ports.is_empty() {
        return CmdOutput::err("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n", 1);
    }
    let svc_name = a.get("name").unwrap_or(name);
    let labels = src.path("metadata.labels").cloned().unwrap_or(json!({}));
    let mut spec = json!({"ports": ports, "selector": selector});
    if let Some(t) = a.get("type") {
        spec["type"] = json!(t);
    }
    if let Some(ip) = a.get("external-ip") {
        spec["externalIPs"] = json!([ip]);
    }
    if let Some(ip) = a.get("cluster-ip") {
        spec["clusterIP"] = json!(ip);
    }
    let mut svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": svc_name}, "spec": spec, "status": {"loadBalancer": {}}});
    if labels.as_object().is_some_and(|m| !m.is_empty()) {
        svc["metadata"]["labels"] = labels;
    }
    finish(c, ctx, a, svc, "exposed")
}
