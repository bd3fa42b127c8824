//! `kubectl get`: resource arguments (types, comma lists, `all`, TYPE/NAME), namespaces, label
//! and field selectors, sorting, and every output format.

use super::args::Args;
use super::output::{self, as_list, name_of, to_json, to_yaml};
use super::printers::{self, tabwrite};
use super::selector;
use super::{CmdOutput, Ctx};
use crate::model::{ApiError, Cluster, Kind, ObjExt, Object};

/// `kubectl get all`: the "all" category, in discovery order.
pub const ALL: &[Kind] = &[Kind::Pod, Kind::Service, Kind::DaemonSet, Kind::Deployment, Kind::ReplicaSet, Kind::StatefulSet, Kind::CronJob, Kind::Job];

pub fn unknown_type(t: &str) -> String {
    format!("error: the server doesn't have a resource type \"{t}\"\n")
}

/// One resolved request: a kind and the names asked for (empty: list).
pub struct Request {
    pub kind: Kind,
    pub names: Vec<String>,
}

/// Resolves `get` style arguments. Returns requests and whether several types were asked for.
pub fn resolve(pos: &[String]) -> Result<(Vec<Request>, bool), String> {
    let mut reqs: Vec<Request> = Vec::new();
    if pos.is_empty() {
        return Ok((reqs, false));
    }
    if pos[0].contains('/') {
        let mut kinds = std::collections::BTreeSet::new();
        for p in pos {
            let Some((t, n)) = p.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".into());
            };
            let kind = Kind::from_resource_arg(t).ok_or_else(|| unknown_type(t))?;
            if n.is_empty() {
                return Err("error: arguments in resource/name form must have a single resource and name\n".into());
            }
            kinds.insert(kind);
            match reqs.iter_mut().find(|r| r.kind == kind) {
                Some(r) => r.names.push(n.to_string()),
                None => reqs.push(Request { kind, names: vec![n.to_string()] }),
            }
        }
        return Ok((reqs, kinds.len() > 1));
    }
    let types: Vec<&str> = {
        let mut seen = Vec::new();
        for t in pos[0].split(',').filter(|t| !t.is_empty()) {
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
        seen
    };
    let names: Vec<String> = pos[1..].to_vec();
    if names.iter().any(|n| n.contains('/')) {
        return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".into());
    }
    let mut multi = types.len() > 1;
    for t in types {
        if t.eq_ignore_ascii_case("all") {
            multi = true;
            for k in ALL {
                if !reqs.iter().any(|r| r.kind == *k) {
                    reqs.push(Request { kind: *k, names: names.clone() });
                }
            }
            continue;
        }
        let kind = Kind::from_resource_arg(t).ok_or_else(|| unknown_type(t))?;
        if !reqs.iter().any(|r| r.kind == kind) {
            reqs.push(Request { kind, names: names.clone() });
        }
    }
    Ok((reqs, multi))
}

/// Lists objects of a kind in the context's namespace (or all), with selectors.
pub fn list(c: &Cluster, ctx: &Ctx, kind: Kind, sel: &selector::Selector, fields: &[selector::FieldReq]) -> Vec<Object> {
    let it: Box<dyn Iterator<Item = &Object>> =
        if ctx.all_ns || !kind.namespaced() { Box::new(c.store.list(kind)) } else { Box::new(c.store.list_ns(kind, &ctx.ns)) };
    it.filter(|o| selector::matches(sel, &o.labels()) && selector::fields_match(fields, o)).cloned().collect()
}

const REQUIRED: &str = "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n";

pub fn run(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    if a.bool("watch") || a.bool("watch-only") {
        return CmdOutput::err(
            "error: --watch is not available in this simulated terminal: the cluster changes only when you run a command or advance time. Run the command again to see the new state.\n",
            1,
        );
    }
    if a.pos.is_empty() {
        return CmdOutput::err(REQUIRED, 1);
    }
    let (reqs, multi) = match resolve(&a.pos) {
        Ok(r) => r,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let sel = match a.get("selector").map(selector::parse).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => return CmdOutput::err(format!("error: {e}\n"), 1),
    };
    let fields = match a.get("field-selector").map(selector::parse_fields).transpose() {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => return CmdOutput::err(format!("Error from server (BadRequest): {e}\n"), 1),
    };
    let out_fmt = a.get("output").unwrap_or("").to_string();
    let known = ["", "wide", "yaml", "json", "name"];
    if !known.contains(&out_fmt.as_str()) && !out_fmt.starts_with("jsonpath") && !out_fmt.starts_with("custom-columns") {
        return CmdOutput::err(
            format!("error: unable to match a printer suitable for the output format \"{out_fmt}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"),
            1,
        );
    }
    let mut stderr = String::new();
    if reqs.iter().any(|r| r.kind == Kind::Endpoints) {
        // The API server's deprecation warning since v1.33 (KEP-4974).
        stderr.push_str("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n");
    }
    // (kind, objects) in request order.
    let mut groups: Vec<(Kind, Vec<Object>)> = Vec::new();
    let mut all_namespaced = !ctx.all_ns;
    for r in &reqs {
        if !r.kind.namespaced() {
            all_namespaced = false;
        }
        let mut objs = Vec::new();
        if r.names.is_empty() {
            let ns = if ctx.all_ns { "" } else { &ctx.ns };
            if let Err(e) = ctx.authorize(c, "list", r.kind, ns, "") {
                stderr.push_str(&e);
                continue;
            }
            // Only this kind's field-selector errors stop its listing (not the Endpoints warning).
            let errs_before = stderr.len();
            for f in &fields {
                if !selector::supported_field(r.kind, &f.field) {
                    let i = r.kind.info();
                    stderr.push_str(&format!(
                        "Error from server (BadRequest): Unable to find \"{}/{}, Resource={}\" that match label selector \"{}\", field selector \"{}\": field label not supported: {}\n",
                        i.group,
                        i.version,
                        i.plural,
                        a.get("selector").unwrap_or(""),
                        a.get("field-selector").unwrap_or(""),
                        f.field
                    ));
                }
            }
            if stderr.len() != errs_before {
                continue;
            }
            objs = list(c, ctx, r.kind, &sel, &fields);
        } else {
            for n in &r.names {
                if let Err(e) = ctx.authorize(c, "get", r.kind, &ctx.ns, n) {
                    stderr.push_str(&e);
                    continue;
                }
                match c.store.get_by(r.kind, &ctx.ns, n) {
                    Some(o) => objs.push(o.clone()),
                    None if a.bool("ignore-not-found") => {}
                    None => stderr.push_str(&format!("{}\n", ApiError::not_found(r.kind, n).kubectl_message())),
                }
            }
        }
        if let Some(sb) = a.get("sort-by") {
            crate::sort::by(&mut objs, |x, y| output::sort_key(sb, x).partial_cmp(&output::sort_key(sb, y)).unwrap_or(std::cmp::Ordering::Equal));
        } else if r.kind == Kind::Event {
            crate::sort::by(&mut objs, |x, y| x.str_at("lastTimestamp").cmp(&y.str_at("lastTimestamp")));
        }
        groups.push((r.kind, objs));
    }
    let single_named = reqs.len() == 1 && reqs[0].names.len() == 1;
    let total: usize = groups.iter().map(|g| g.1.len()).sum();
    let mut stdout = String::new();
    match out_fmt.as_str() {
        "yaml" | "json" => {
            let items: Vec<Object> = groups.into_iter().flat_map(|g| g.1).collect();
            if total > 0 || !single_named {
                let v = if single_named && items.len() == 1 { items[0].clone() } else { as_list(items) };
                stdout = if out_fmt == "yaml" { to_yaml(&v) } else { to_json(&v) };
            }
        }
        "name" => {
            for (_, objs) in &groups {
                for o in objs {
                    stdout.push_str(&name_of(o));
                    stdout.push('\n');
                }
            }
        }
        f if f.starts_with("jsonpath") => {
            let tpl = f.split_once('=').map(|x| x.1).unwrap_or("");
            let items: Vec<Object> = groups.into_iter().flat_map(|g| g.1).collect();
            if total > 0 || !single_named {
                let v = if single_named && items.len() == 1 { items[0].clone() } else { as_list(items) };
                match output::jsonpath(tpl, &v) {
                    Ok(s) => stdout = s,
                    Err(e) => stderr.push_str(&e),
                }
            }
        }
        f if f.starts_with("custom-columns") => {
            let spec = f.split_once('=').map(|x| x.1).unwrap_or("");
            let items: Vec<Object> = groups.into_iter().flat_map(|g| g.1).collect();
            if !items.is_empty() {
                match output::custom_columns(spec, &items) {
                    Ok(mut rows) => {
                        if a.bool("no-headers") {
                            rows.remove(0);
                        }
                        stdout = tabwrite(&rows);
                    }
                    Err(e) => stderr.push_str(&format!("{e}\n")),
                }
            }
        }
        _ => {
            let wide = out_fmt == "wide";
            let show_kind = multi || a.bool("show-kind");
            for (kind, objs) in &groups {
                if objs.is_empty() {
                    continue;
                }
                if !stdout.is_empty() {
                    stdout.push('\n');
                }
                stdout.push_str(&table(c, ctx, a, *kind, objs, wide, show_kind));
            }
        }
    }
    if total == 0 && !stderr.lines().any(|l| !l.starts_with("Warning:")) && !a.bool("ignore-not-found") && reqs.iter().all(|r| r.names.is_empty()) {
        if all_namespaced {
            stderr.push_str(&format!("No resources found in {} namespace.\n", ctx.ns));
        } else {
            stderr.push_str("No resources found\n");
        }
        return CmdOutput { stdout, stderr, exit_code: 0 };
    }
    let failed = stderr.lines().any(|l| !l.starts_with("Warning:"));
    CmdOutput { stdout, stderr, exit_code: i32::from(failed) }
}

/// One kind's table with the NAMESPACE, label and kind-prefix options.
pub fn table(c: &Cluster, ctx: &Ctx, a: &Args, kind: Kind, objs: &[Object], wide: bool, show_kind: bool) -> String {
    let (h, hw) = printers::headers(kind);
    let with_ns = ctx.all_ns && kind.namespaced();
    let label_cols: Vec<String> = a.all("label-columns").iter().flat_map(|s| s.split(',').map(str::to_string).collect::<Vec<_>>()).filter(|s| !s.is_empty()).collect();
    let mut rows = Vec::new();
    if !a.bool("no-headers") {
        let mut hdr: Vec<String> = Vec::new();
        if with_ns {
            hdr.push("NAMESPACE".into());
        }
        hdr.extend(h.iter().map(|s| s.to_string()));
        if wide {
            hdr.extend(hw.iter().map(|s| s.to_string()));
        }
        hdr.extend(label_cols.iter().map(|l| l.rsplit('/').next().unwrap_or(l).to_ascii_uppercase()));
        if a.bool("show-labels") {
            hdr.push("LABELS".into());
        }
        rows.push(hdr);
    }
    for o in objs {
        let (mut cells, extra) = printers::row(c, kind, o);
        if show_kind && kind != Kind::Event {
            if let Some(first) = cells.first_mut() {
                let prefix = crate::model::Key::new(kind, "", "").display();
                *first = format!("{prefix}{}", first);
            }
        }
        let mut r = Vec::new();
        if with_ns {
            r.push(o.namespace().to_string());
        }
        r.extend(cells);
        if wide {
            r.extend(extra);
        }
        let labels = o.labels();
        for l in &label_cols {
            r.push(labels.get(l).cloned().unwrap_or_default());
        }
        if a.bool("show-labels") {
            r.push(printers::format_labels(&labels));
        }
        rows.push(r);
    }
    tabwrite(&rows)
}
