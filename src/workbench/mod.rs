//! The workbench as plain Rust (no web): an editor's manifest applied to a simulated cluster
//! like `kubectl apply --prune` scoped to what the editor created, a kubectl terminal on the same
//! cluster, simulated time and reset. The page's components only call these methods.

pub mod apply;
mod checked;
pub mod sim;
pub mod table;
pub mod editor;
pub mod highlight;
pub mod snippets;

use crate::kubectl::CmdOutput;
use crate::manifest::{self, Diagnostic, Severity};
use crate::model::{Cluster, Key, ObjExt, Propagation};
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Largest manifest the editor applies; bigger text gets a message instead of a frozen tab.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// Most documents one manifest may hold.
pub const MAX_DOCS: usize = 500;

/// The editor + cluster state of one lesson or of the playground.
#[derive(Clone, Debug)]
pub struct Workbench {
    pub cluster: Cluster,
    /// The cluster before the start manifest: what "reset" returns to.
    pristine: Cluster,
    pub start_text: String,
    /// Objects the editor applied: removed from the text → deleted (prune).
    owned: BTreeSet<Key>,
    /// Lines (first, last; 1-based) of the document each owned object came from.
    lines: BTreeMap<Key, (u32, u32)>,
    /// Per owned object: the document last applied for it and the object's resourceVersion once
    /// that apply settled. A keystroke re-applies only documents whose text changed or whose
    /// object changed since (time, a terminal command): applying the same document to the same
    /// object is a no-op, and on a 500-line manifest the no-op applies were a quarter of a keystroke.
    settled: BTreeMap<Key, (Value, String)>,
    /// Problems in the current text (errors block applying).
    pub diagnostics: Vec<Diagnostic>,
    /// The last text's diagnostics per document, reused for documents a keystroke left alone.
    checked: checked::Checked,
    /// The last text's parsed documents per `---` chunk, reused likewise.
    parsed: manifest::incremental::ParseCache,
    /// True while the text has errors: the cluster shows the last good manifest.
    pub stale: bool,
    /// The text last applied without errors.
    pub applied_text: Option<String>,
    /// Bumped on every change to the cluster (apply, command, time), for cheap change detection.
    pub revision: u64,
}

impl Workbench {
    /// A fresh cluster with `start_text` applied.
    pub fn new(start_text: &str) -> Workbench {
        Workbench::with_cluster(Cluster::new(), start_text)
    }

    /// A given starting cluster (a lesson's, after its setup) with `start_text` applied.
    pub fn with_cluster(cluster: Cluster, start_text: &str) -> Workbench {
        let mut w = Workbench {
            pristine: cluster.clone(),
            cluster,
            start_text: start_text.to_string(),
            owned: BTreeSet::new(),
            lines: BTreeMap::new(),
            settled: BTreeMap::new(),
            diagnostics: Vec::new(),
            checked: checked::Checked::default(),
            parsed: Default::default(),
            stale: false,
            applied_text: None,
            revision: 0,
        };
        w.set_text(start_text);
        w
    }

    /// Back to the start: a fresh cluster with the start manifest. Returns the start text.
    pub fn reset(&mut self) -> String {
        self.cluster = self.pristine.clone();
        self.owned.clear();
        self.lines.clear();
        self.settled.clear();
        self.applied_text = None;
        let t = self.start_text.clone();
        self.set_text(&t);
        self.revision += 1;
        t
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// The editor's text changed: check it; with no errors, apply it (all or nothing) and prune
    /// what the editor created but the text no longer has. Returns true if the cluster changed.
    pub fn set_text(&mut self, text: &str) -> bool {
        if self.applied_text.as_deref() == Some(text) {
            self.diagnostics.retain(|d| d.severity != Severity::Error);
            self.stale = false;
            return false;
        }
        // One parse serves the check and the apply.
        let docs = match limits(text) {
            Some(too_big) => {
                self.diagnostics = vec![too_big];
                Vec::new()
            }
            None => {
                let (docs, yaml_err) = self.parsed.parse(text);
                self.diagnostics = self.checked.check(text, &docs, yaml_err.as_ref());
                docs
            }
        };
        if self.has_errors() {
            self.stale = self.applied_text.is_some() || !self.owned.is_empty();
            return false;
        }
        let starts: Vec<u32> = docs.iter().map(|d| d.start_line).collect();
        let last_line = text.lines().count().max(1) as u32;
        let mut trial = self.cluster.clone();
        let mut keys = BTreeSet::new();
        let mut lines = BTreeMap::new();
        let mut errors = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            let first = starts.get(i).copied().unwrap_or(doc.start_line);
            let end = starts.get(i + 1).map_or(last_line, |s| s.saturating_sub(2).max(first));
            let applied = match self.unchanged(&trial, &doc.value) {
                Some(key) => {
                    // Native debug builds (every test) apply it anyway and want it to change nothing.
                    if trial.verify_skips {
                        let again = apply::apply_object(&mut trial, doc.value.clone()).map(|r| r.1);
                        assert_eq!(again.ok(), Some(apply::Outcome::Unchanged), "skipped {} but applying it changes it", key.display());
                    }
                    Ok((key, apply::Outcome::Unchanged))
                }
                None => apply::apply_object(&mut trial, doc.value.clone()),
            };
            match applied {
                Ok((key, _)) => {
                    lines.insert(key.clone(), (first, end));
                    if !keys.insert(key.clone()) {
                        errors.push(Diagnostic { doc: Some(i), ..Diagnostic::error(Some(doc.start_line), format!("{} appears twice in the manifest", key.display())) });
                    }
                }
                Err(e) if e.causes.is_empty() => {
                    errors.push(Diagnostic { doc: Some(i), ..Diagnostic::error(Some(first), e.kubectl_message()) });
                }
                Err(e) => errors.extend(manifest::cause_diagnostics(doc, i, &e)),
            }
        }
        if !errors.is_empty() {
            self.diagnostics.extend(errors);
            self.stale = true;
            return false;
        }
        for gone in self.owned.difference(&keys) {
            let _ = crate::model::api::delete(&mut trial, gone, Propagation::Background, None);
        }
        trial.settle();
        self.settled = docs
            .into_iter()
            .filter_map(|d| {
                let key = apply::key_for(&trial, &d.value).ok()?;
                let rv = trial.store.get(&key)?.str_at("metadata.resourceVersion")?.to_string();
                Some((key, (d.value, rv)))
            })
            .collect();
        self.cluster = trial;
        self.owned = keys;
        self.lines = lines;
        self.applied_text = Some(text.to_string());
        self.stale = false;
        self.revision += 1;
        true
    }

    /// The key of `doc` if applying it to `c` would change nothing: the same document as last
    /// time, and its object untouched since that apply settled.
    fn unchanged(&self, c: &Cluster, doc: &Value) -> Option<Key> {
        let key = apply::key_for(c, doc).ok()?;
        let (last, rv) = self.settled.get(&key)?;
        let live = c.store.get(&key)?;
        (last == doc && live.str_at("metadata.resourceVersion") == Some(rv.as_str())).then_some(key)
    }

    /// The manifest lines (first, last) an object came from, for highlighting in the editor.
    pub fn lines_of(&self, key: &Key) -> Option<(u32, u32)> {
        self.lines.get(key).copied()
    }

    /// The objects the editor manages, in key order.
    pub fn owned(&self) -> impl Iterator<Item = &Key> {
        self.owned.iter()
    }

    /// One terminal line: `kubectl …` (or the script built-in `advance 30s`) on this cluster.
    pub fn run(&mut self, line: &str) -> CmdOutput {
        let line = line.trim();
        if line.is_empty() {
            return CmdOutput::ok("");
        }
        let first = line.split_whitespace().next().unwrap_or("");
        if first != "kubectl" && first != "advance" {
            return CmdOutput::err(format!("{first}: command not found\n"), 127);
        }
        let cmd = crate::script::Command { line: line.to_string(), stdin: None };
        let out = crate::script::run_command(&mut self.cluster, &cmd, None);
        self.cluster.settle();
        self.revision += 1;
        out
    }

    /// Tab-completion candidates for the last word of a terminal line: `kubectl` itself, then
    /// what `crate::kubectl::complete` offers (verbs, types, names, flags).
    pub fn complete(&self, line: &str) -> Vec<String> {
        if !line.contains(char::is_whitespace) {
            return ["kubectl", "advance", "clear"].iter().filter(|w| w.starts_with(line)).map(|w| w.to_string()).collect();
        }
        if !line.trim_start().starts_with("kubectl ") {
            return Vec::new();
        }
        crate::kubectl::complete(&self.cluster, line)
    }

    /// Moves simulated time forward (`advance`), as the time controls do while playing.
    pub fn tick(&mut self, ms: u64) {
        if ms == 0 {
            return;
        }
        let before = self.cluster.store.resource_version();
        self.cluster.advance(ms);
        if self.cluster.store.resource_version() != before {
            self.revision += 1;
        }
    }
}

/// Checks a manifest for the editor: size bounds, then `manifest::check` (problems with their line).
pub fn check(text: &str) -> Vec<Diagnostic> {
    match limits(text) {
        Some(too_big) => vec![too_big],
        // Syntax, kubectl's client checks, strict decoding and validation, each at its line.
        None => manifest::check(text),
    }
}

/// The editor's size bounds: the error for text it will not parse, if it is one.
fn limits(text: &str) -> Option<Diagnostic> {
    if text.len() > MAX_TEXT_BYTES {
        return Some(Diagnostic::error(
            None,
            format!("the manifest is {} KB; the editor applies at most {} KB", text.len() / 1024, MAX_TEXT_BYTES / 1024),
        ));
    }
    let docs = text.lines().filter(|l| l.starts_with("---")).count() + 1;
    (docs > MAX_DOCS).then(|| Diagnostic::error(None, format!("the manifest has {docs} documents; the editor applies at most {MAX_DOCS}")))
}

#[cfg(test)]
mod tests;
