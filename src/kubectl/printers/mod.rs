//! Table output as kubectl's human-readable printers produce it: per-kind columns (from
//! `pkg/printers/internalversion/printers.go`), wide columns, and tabwriter alignment
//! (`printers.GetNewTabWriter`: minwidth 6, padding 3, last column unpadded).

mod apps;
pub mod core;
mod other;

use crate::model::clock::{human_duration, parse_rfc3339, EPOCH_SECS};
use crate::model::{Cluster, Kind, ObjExt, Object};

/// Aligns rows like Go's text/tabwriter with kubectl's settings.
pub fn tabwrite(rows: &[Vec<String>]) -> String {
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; ncols];
    for r in rows {
        for (i, cell) in r.iter().enumerate() {
            if i + 1 < r.len() {
                widths[i] = widths[i].max((cell.chars().count() + 3).max(6));
            }
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < r.len() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `translateTimestampSince`: the AGE column.
pub fn age(c: &Cluster, ts: Option<&str>) -> String {
    match ts.and_then(parse_rfc3339) {
        Some(t) => human_duration(c.clock.now_secs() - t),
        None => "<unknown>".into(),
    }
}

pub fn obj_age(c: &Cluster, o: &Object) -> String {
    age(c, o.str_at("metadata.creationTimestamp"))
}

/// Seconds between two RFC 3339 timestamps (for durations such as a Job's).
pub fn secs_between(a: &str, b: &str) -> i64 {
    parse_rfc3339(b).unwrap_or(EPOCH_SECS) - parse_rfc3339(a).unwrap_or(EPOCH_SECS)
}

/// Column headers of a kind: (normal, extra wide ones).
pub fn headers(kind: Kind) -> (&'static [&'static str], &'static [&'static str]) {
    core::headers(kind).or_else(|| apps::headers(kind)).or_else(|| other::headers(kind)).unwrap_or((&["NAME", "AGE"], &[]))
}

/// Cells of one object: (normal, extra wide ones).
pub fn row(c: &Cluster, kind: Kind, o: &Object) -> (Vec<String>, Vec<String>) {
    core::row(c, kind, o)
        .or_else(|| apps::row(c, kind, o))
        .or_else(|| other::row(c, kind, o))
        .unwrap_or_else(|| (vec![o.name().to_string(), obj_age(c, o)], vec![]))
}

/// `labels.FormatLabels`: `a=b,c=d`, or `<none>`.
pub fn format_labels(m: &crate::model::object::Labels) -> String {
    if m.is_empty() {
        "<none>".into()
    } else {
        crate::model::object::labels_to_string(m)
    }
}

/// `metav1.LabelSelectorAsSelector(sel).String()`: requirements sorted by key.
pub fn selector_string(sel: Option<&crate::value::Value>) -> String {
    let Some(sel) = sel else { return "<none>".into() };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in crate::model::object::string_map(sel.get("matchLabels")) {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    if let Some(exprs) = sel.get("matchExpressions").and_then(|e| e.as_array()) {
        for e in exprs {
            let key = e.str_at("key").unwrap_or("").to_string();
            let mut vals: Vec<&str> = e.arr_at("values").iter().filter_map(|v| v.as_str()).collect();
            crate::sort::ord(&mut vals);
            let s = match e.str_at("operator").unwrap_or("") {
                "In" => format!("{key} in ({})", vals.join(",")),
                "NotIn" => format!("{key} notin ({})", vals.join(",")),
                "Exists" => key.clone(),
                "DoesNotExist" => format!("!{key}"),
                _ => continue,
            };
            reqs.push((key, s));
        }
    }
    if reqs.is_empty() {
        return "<none>".into();
    }
    crate::sort::ord(&mut reqs);
    reqs.into_iter().map(|(_, s)| s).collect::<Vec<_>>().join(",")
}

/// `layoutContainerCells`: names and images joined with commas.
pub fn containers_images(o: &Object, spec_path: &str) -> (String, String) {
    let cs = o.arr_at(&format!("{spec_path}.containers"));
    let names: Vec<&str> = cs.iter().map(|c| c.str_at("name").unwrap_or("")).collect();
    let images: Vec<&str> = cs.iter().map(|c| c.str_at("image").unwrap_or("")).collect();
    (names.join(","), images.join(","))
}

pub fn num(o: &Object, path: &str) -> String {
    o.i64_at(path).unwrap_or(0).to_string()
}

pub fn or_none(s: &str) -> String {
    if s.is_empty() { "<none>".into() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn tabwriter_matches_kubectl_spacing() {
        let rows = vec![
            vec!["NAME".to_string(), "READY".into(), "STATUS".into(), "RESTARTS".into(), "AGE".into()],
            vec!["nginx".to_string(), "1/1".into(), "Running".into(), "0".into(), "10s".into()],
        ];
        assert_eq!(tabwrite(&rows), "NAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          10s\n");
        let rows = vec![vec!["A".to_string(), "B".into()], vec!["".to_string(), "x".into()]];
        assert_eq!(tabwrite(&rows), "A     B\n      x\n");
    }
}
