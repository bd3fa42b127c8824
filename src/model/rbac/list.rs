//! `kubectl auth can-i --list`: the SelfSubjectRulesReview rules of a user in a namespace, broken
//! down, compacted and sorted as kubectl does (cmd/auth/cani.go printStatus; rbac/v1 helpers
//! BreakdownRule, CompactRules, SortableRuleSlice), printed through kubectl's tab writer.

use super::{bindings_for, effective_groups, role_rules, subject_applies};
use crate::model::store::Store;
use crate::value::Value;

/// One rule with single group/resource (or a single URL), as after BreakdownRule.
#[derive(Clone, Debug, Default, PartialEq)]
struct Rule {
    verbs: Vec<String>,
    groups: Vec<String>,
    resources: Vec<String>,
    names: Vec<String>,
    urls: Vec<String>,
}

fn strs(v: &Value, f: &str) -> Vec<String> {
    v.get(f).and_then(|a| a.as_array()).map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn breakdown(rule: &Value, out: &mut Vec<Rule>) {
    let (verbs, groups, resources, names, urls) = (strs(rule, "verbs"), strs(rule, "apiGroups"), strs(rule, "resources"), strs(rule, "resourceNames"), strs(rule, "nonResourceURLs"));
    for g in &groups {
        for r in &resources {
            for v in &verbs {
                if names.is_empty() {
                    out.push(Rule { verbs: vec![v.clone()], groups: vec![g.clone()], resources: vec![r.clone()], ..Default::default() });
                } else {
                    for n in &names {
                        out.push(Rule { verbs: vec![v.clone()], groups: vec![g.clone()], resources: vec![r.clone()], names: vec![n.clone()], ..Default::default() });
                    }
                }
            }
        }
    }
    for u in &urls {
        for v in &verbs {
            out.push(Rule { verbs: vec![v.clone()], urls: vec![u.clone()], ..Default::default() });
        }
    }
}

/// Go's `%v` of a []string.
fn go_list(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

impl Rule {
    /// The generated `String()` of rbacv1.PolicyRule, which kubectl sorts by.
    fn go_string(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&self.verbs),
            go_list(&self.groups),
            go_list(&self.resources),
            go_list(&self.names),
            go_list(&self.urls)
        )
    }
    /// describe.CombineResourceGroup: `deployments.apps/scale`.
    fn resource_column(&self) -> String {
        let Some(r) = self.resources.first() else { return String::new() };
        let (base, sub) = match r.split_once('/') {
            Some((b, s)) => (b.to_string(), Some(s.to_string())),
            None => (r.clone(), None),
        };
        let mut s = base;
        if let Some(g) = self.groups.first().filter(|g| !g.is_empty()) {
            s = format!("{s}.{g}");
        }
        if let Some(sub) = sub {
            s = format!("{s}/{sub}");
        }
        s
    }
}

/// The rules the user holds in `ns` (cluster-wide ones included), compacted and sorted.
fn rules_for(store: &Store, user: &str, groups: &[String], ns: &str) -> Vec<Rule> {
    let groups = effective_groups(user, groups);
    let mut broken = Vec::new();
    if groups.iter().any(|g| g == "system:masters") {
        breakdown(&crate::json!({"apiGroups":["*"],"resources":["*"],"verbs":["*"]}), &mut broken);
        breakdown(&crate::json!({"nonResourceURLs":["*"],"verbs":["*"]}), &mut broken);
    }
    for b in bindings_for(store, ns) {
        let bns = if b.get("kind").and_then(|k| k.as_str()) == Some("ClusterRoleBinding") { "" } else { crate::model::object::ObjExt::namespace(b) };
        let applies = b.get("subjects").and_then(|s| s.as_array()).is_some_and(|subs| subs.iter().any(|s| subject_applies(s, user, &groups, bns)));
        if !applies {
            continue;
        }
        for r in role_rules(store, b).unwrap_or(&[]) {
            breakdown(r, &mut broken);
        }
    }
    // CompactRules: simple rules (one group, one resource, at most one name) merge their verbs.
    let mut compact: Vec<Rule> = Vec::new();
    let mut simple: Vec<Rule> = Vec::new();
    for r in broken {
        if r.urls.is_empty() && r.groups.len() == 1 && r.resources.len() == 1 && r.names.len() <= 1 {
            if let Some(e) = simple.iter_mut().find(|e| e.groups == r.groups && e.resources == r.resources && e.names == r.names) {
                e.verbs.extend(r.verbs);
            } else {
                simple.push(r);
            }
        } else {
            compact.push(r);
        }
    }
    compact.extend(simple);
    crate::sort::by_key(&mut compact, |r| r.go_string());
    compact
}

/// kubectl's tab writer (minwidth 6, padding 3): every tab-terminated cell padded to its column.
pub fn tabwrite(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols.saturating_sub(1)) {
            widths[i] = widths[i].max((c.chars().count() + 3).max(6));
        }
    }
    let mut out = String::new();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                out.push_str(c);
                out.push_str(&" ".repeat(widths[i].saturating_sub(c.chars().count())));
            } else {
                out.push_str(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The whole `kubectl auth can-i --list [-n ns] [--as user]` output.
pub fn can_i_list(store: &Store, user: &str, groups: &[String], ns: &str) -> String {
    let mut rows = vec![vec!["Resources".to_string(), "Non-Resource URLs".into(), "Resource Names".into(), "Verbs".into()]];
    for r in rules_for(store, user, groups, ns) {
        rows.push(vec![r.resource_column(), go_list(&r.urls), go_list(&r.names), go_list(&r.verbs)]);
    }
    tabwrite(&rows)
}
