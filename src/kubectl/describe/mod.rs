//! `kubectl describe`: per-kind describers after `pkg/describe/describe.go`, written through a
//! Go-compatible tabwriter (minwidth 0, padding 2) so columns line up exactly as kubectl's do,
//! with the Events section (`Type  Reason  Age  From  Message`).

mod other;
mod pod;
mod workloads;

use super::args::Args;
use super::get::{list, resolve};
use super::selector;
use super::{CmdOutput, Ctx};
use crate::model::clock::{human_duration, parse_rfc3339};
use crate::model::object::Labels;
use crate::model::{events, ApiError, Cluster, Kind, ObjExt, Object};

/// Text with `\t` cell separators, formatted at the end like Go's text/tabwriter.
#[derive(Default)]
pub struct W {
    buf: String,
}

impl W {
    /// Writes at an indentation level (two spaces per level), like describe's PrefixWriter.
    pub fn w(&mut self, level: usize, s: &str) {
        for _ in 0..level {
            self.buf.push_str("  ");
        }
        self.buf.push_str(s);
    }
    pub fn line(&mut self, level: usize, s: &str) {
        self.w(level, s);
        self.buf.push('\n');
    }
    pub fn finish(self) -> String {
        go_tabwriter(&self.buf, 0, 2)
    }
}

/// Go's text/tabwriter: a column block is a run of consecutive lines that have a tab-terminated
/// cell at that column; the last cell of each line is not aligned.
pub fn go_tabwriter(text: &str, minwidth: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split_terminator('\n').map(|l| l.split('\t').collect()).collect();
    let mut widths: Vec<usize> = Vec::new();
    let mut out = String::new();
    format(&lines, 0, lines.len(), &mut widths, minwidth, padding, &mut out, &mut 0);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tabwriter_blocks_like_go() {
        let t = "Name:\tweb\nLabels:\ta=b\n\tc=d\nIPs:\n  IP:\t10.0.0.1\nLong header:\tx\n";
        assert_eq!(super::go_tabwriter(t, 0, 2), "Name:    web\nLabels:  a=b\n         c=d\nIPs:\n  IP:         10.0.0.1\nLong header:  x\n");
        let many = format!("a:{}\n", "\t".repeat(5000));
        assert!(super::go_tabwriter(&many, 0, 2).starts_with("a:"));
    }
}

#[allow(clippy::too_many_arguments)]
fn format(lines: &[Vec<&str>], line0: usize, line1: usize, widths: &mut Vec<usize>, minw: usize, pad: usize, out: &mut String, written: &mut usize) {
    let column = widths.len();
    // Values with many tabs (an annotation, say) must not recurse without bound.
    if column >= 32 {
        write_lines(lines, *written, line1, widths, out);
        *written = line1;
        return;
    }
    let mut l0 = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, *written, this, widths, out);
        *written = this;
        l0 = this;
        let mut width = minw;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(lines[this][column].chars().count() + pad);
            this += 1;
        }
        widths.push(width);
        format(lines, l0, this, widths, minw, pad, out, written);
        widths.pop();
        l0 = this;
    }
    let _ = l0;
    write_lines(lines, *written, line1, widths, out);
    *written = line1;
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for l in lines.iter().take(to).skip(from) {
        for (j, cell) in l.iter().enumerate() {
            out.push_str(cell);
            if j + 1 < l.len() {
                let w = widths.get(j).copied().unwrap_or(0);
                let n = cell.chars().count();
                if w > n {
                    out.extend(std::iter::repeat_n(' ', w - n));
                }
            }
        }
        out.push('\n');
    }
}

/// `time.RFC1123Z`: `Mon, 05 Jan 2026 09:00:00 +0000`.
pub fn rfc1123z(ts: &str) -> String {
    let Some(secs) = parse_rfc3339(ts) else { return ts.to_string() };
    let days = secs.div_euclid(86_400);
    let dow = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let iso = crate::model::clock::rfc3339(secs);
    let (y, mo, d) = (&iso[0..4], &iso[5..7], &iso[8..10]);
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][mo.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1];
    format!("{dow}, {d} {month} {y} {} +0000", &iso[11..19])
}

/// `printLabelsMultilineWithIndent`.
pub fn labels_multiline(w: &mut W, indent: &str, title: &str, labels: &Labels) {
    w.w(0, &format!("{indent}{title}:\t"));
    if labels.is_empty() {
        w.line(0, "<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i > 0 {
            w.w(0, &format!("{indent}\t"));
        }
        w.line(0, &format!("{k}={v}"));
    }
}

/// `printAnnotationsMultilineWithIndent`: `key: value`, last-applied skipped, long values cut.
pub fn annotations_multiline(w: &mut W, indent: &str, title: &str, o: &Object, path: &str) {
    let mut ann = crate::model::object::string_map(o.path(path));
    ann.remove(super::apply::LAST_APPLIED);
    w.w(0, &format!("{indent}{title}:\t"));
    if ann.is_empty() {
        w.line(0, "<none>");
        return;
    }
    for (i, (k, v)) in ann.iter().enumerate() {
        if i > 0 {
            w.w(0, &format!("{indent}\t"));
        }
        let v = if v.chars().count() > 140 { format!("{}...", v.chars().take(140).collect::<String>()) } else { v.clone() };
        // Multi-line values continue on their own lines.
        let v = v.replace('\n', &format!("\n{indent}\t"));
        w.line(0, &format!("{k}: {v}"));
    }
}

pub fn age_of(c: &Cluster, ts: Option<&str>) -> String {
    match ts.and_then(parse_rfc3339) {
        Some(t) => human_duration(c.clock.now_secs() - t),
        None => "<unknown>".into(),
    }
}

/// `DescribeEvents`.
pub fn describe_events(c: &Cluster, w: &mut W, uid: &str) {
    let mut evs = events::events_for(c, uid);
    crate::sort::by(&mut evs, |a, b| a.str_at("lastTimestamp").cmp(&b.str_at("lastTimestamp")));
    if evs.is_empty() {
        w.line(0, "Events:\t<none>");
        return;
    }
    w.line(0, "Events:");
    w.line(1, "Type\tReason\tAge\tFrom\tMessage");
    w.line(1, "----\t------\t----\t----\t-------");
    for e in evs {
        let first = age_of(c, e.str_at("firstTimestamp").or(e.str_at("eventTime")));
        let count = e.i64_at("count").unwrap_or(1);
        let interval = if count > 1 { format!("{} (x{count} over {first})", age_of(c, e.str_at("lastTimestamp"))) } else { first };
        let source = e.str_at("source.component").filter(|s| !s.is_empty()).or(e.str_at("reportingComponent")).unwrap_or("");
        w.line(1, &format!("{}\t{}\t{interval}\t{source}\t{}", e.str_at("type").unwrap_or(""), e.str_at("reason").unwrap_or(""), e.str_at("message").unwrap_or("").trim()));
    }
}

/// `Controlled By:  ReplicaSet/web-xyz`.
pub fn controller_of(o: &Object) -> Option<String> {
    o.arr_at("metadata.ownerReferences")
        .iter()
        .find(|r| r.bool_at("controller") == Some(true))
        .map(|r| format!("{}/{}", r.str_at("kind").unwrap_or(""), r.str_at("name").unwrap_or("")))
}

pub fn describe_object(c: &Cluster, o: &Object) -> String {
    let mut w = W::default();
    match o.kind() {
        Some(Kind::Pod) => pod::pod(c, &mut w, o),
        Some(Kind::Deployment) => workloads::deployment(c, &mut w, o),
        Some(Kind::ReplicaSet) => workloads::replicaset(c, &mut w, o),
        Some(Kind::StatefulSet) => workloads::statefulset(c, &mut w, o),
        Some(Kind::DaemonSet) => workloads::daemonset(c, &mut w, o),
        Some(Kind::Job) => workloads::job(c, &mut w, o),
        Some(Kind::CronJob) => workloads::cronjob(c, &mut w, o),
        Some(Kind::Service) => other::service(c, &mut w, o),
        Some(Kind::Node) => other::node(c, &mut w, o),
        Some(Kind::Namespace) => other::namespace(c, &mut w, o),
        Some(Kind::ConfigMap) => other::configmap(c, &mut w, o),
        Some(Kind::Secret) => other::secret(c, &mut w, o),
        Some(Kind::PersistentVolumeClaim) => other::pvc(c, &mut w, o),
        Some(Kind::PersistentVolume) => other::pv(c, &mut w, o),
        Some(Kind::StorageClass) => other::storageclass(c, &mut w, o),
        Some(Kind::ServiceAccount) => other::serviceaccount(c, &mut w, o),
        Some(Kind::Role | Kind::ClusterRole) => other::role(c, &mut w, o),
        Some(Kind::RoleBinding | Kind::ClusterRoleBinding) => other::binding(c, &mut w, o),
        Some(Kind::Ingress) => other::ingress(c, &mut w, o),
        Some(Kind::Endpoints) => other::endpoints(c, &mut w, o),
        _ => other::generic(c, &mut w, o),
    }
    w.finish()
}

pub fn run(c: &mut Cluster, ctx: &Ctx, a: &Args) -> CmdOutput {
    if a.pos.is_empty() && !a.has("filename") {
        return CmdOutput::err("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples\n", 1);
    }
    let mut objs: Vec<Object> = Vec::new();
    let mut stderr = String::new();
    if a.has("filename") {
        match super::apply::load(ctx, a) {
            Ok(sources) => {
                for (_, docs) in sources {
                    for d in docs {
                        match d {
                            Ok((kind, mut obj, _)) => {
                                let _ = super::apply::set_namespace(ctx, a, kind, &mut obj);
                                match c.store.get_by(kind, obj.namespace(), obj.name()) {
                                    Some(o) => objs.push(o.clone()),
                                    None => stderr.push_str(&format!("{}\n", ApiError::not_found(kind, obj.name()).kubectl_message())),
                                }
                            }
                            Err(e) => stderr.push_str(&e),
                        }
                    }
                }
            }
            Err(e) => return CmdOutput::err(e, 1),
        }
    }
    let (reqs, _) = match resolve(&a.pos) {
        Ok(r) => r,
        Err(e) => return CmdOutput::err(e, 1),
    };
    let sel = match a.get("selector").map(selector::parse).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => return CmdOutput::err(format!("error: {e}\n"), 1),
    };
    for r in &reqs {
        if r.names.is_empty() {
            if let Err(e) = ctx.authorize(c, "list", r.kind, if ctx.all_ns { "" } else { &ctx.ns }, "") {
                stderr.push_str(&e);
                continue;
            }
            objs.extend(list(c, ctx, r.kind, &sel, &[]));
            continue;
        }
        for n in &r.names {
            if let Err(e) = ctx.authorize(c, "get", r.kind, &ctx.ns, n) {
                stderr.push_str(&e);
                continue;
            }
            match c.store.get_by(r.kind, &ctx.ns, n) {
                Some(o) => objs.push(o.clone()),
                None => {
                    // describe also matches by name prefix, as kubectl does.
                    let pre: Vec<Object> = list(c, ctx, r.kind, &Vec::new(), &[]).into_iter().filter(|o| o.name().starts_with(n.as_str())).collect();
                    if pre.is_empty() {
                        stderr.push_str(&format!("{}\n", ApiError::not_found(r.kind, n).kubectl_message()));
                    }
                    objs.extend(pre);
                }
            }
        }
    }
    if objs.is_empty() && stderr.is_empty() {
        let ns_scoped = reqs.iter().all(|r| r.kind.namespaced()) && !ctx.all_ns;
        return CmdOutput::err(if ns_scoped { format!("No resources found in {} namespace.\n", ctx.ns) } else { "No resources found\n".to_string() }, 0);
    }
    let parts: Vec<String> = objs.iter().map(|o| describe_object(c, o)).collect();
    CmdOutput::mixed(parts.join("\n\n"), stderr)
}
