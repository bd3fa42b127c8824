//! Diagnostics per document, kept between keystrokes: a keystroke changes one document, and the
//! others (same text, same place) need not be defaulted and validated again.

use crate::manifest::{self, Diagnostic, Document, IntakeError};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Each document's diagnostics by a hash of what they depend on: the document's text (from the
/// line before its first line, so a `---` line's own content counts, up to the next document),
/// its first line (diagnostics carry line numbers) and its index (they carry that too).
#[derive(Clone, Debug, Default)]
pub struct Checked {
    by_doc: HashMap<u64, Vec<Diagnostic>>,
}

impl Checked {
    /// What `manifest::check_parsed` returns for `docs` (parsed from `text`), reusing the
    /// diagnostics of documents the last call saw unchanged. Native debug builds check each
    /// reused answer against a fresh one.
    pub fn check(&mut self, text: &str, docs: &[Document], yaml_err: Option<&IntakeError>) -> Vec<Diagnostic> {
        let starts = line_starts(text);
        let byte_of_line = |line: u32| starts.get((line as usize).saturating_sub(1)).copied().unwrap_or(text.len());
        let mut next = HashMap::with_capacity(docs.len());
        let mut out = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            let from = byte_of_line(d.start_line.saturating_sub(1).max(1));
            let to = docs.get(i + 1).map_or(text.len(), |n| byte_of_line(n.start_line.saturating_sub(1).max(1)));
            let mut h = DefaultHasher::new();
            (text.get(from..to.max(from)).unwrap_or(text), d.start_line, i).hash(&mut h);
            let key = h.finish();
            let diags = match self.by_doc.remove(&key) {
                Some(old) => {
                    if cfg!(debug_assertions) && !cfg!(target_arch = "wasm32") {
                        assert_eq!(old, manifest::check_doc(d, i), "cached diagnostics of document {i} differ from a fresh check");
                    }
                    old
                }
                None => manifest::check_doc(d, i),
            };
            out.extend(diags.iter().cloned());
            next.insert(key, diags);
        }
        if let Some(e) = yaml_err {
            out.push(e.diagnostic());
        }
        self.by_doc = next;
        out
    }
}

/// Byte offset of each line's start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &mut Checked, text: &str) -> Vec<Diagnostic> {
        let (docs, err) = manifest::parse_all(text);
        let got = c.check(text, &docs, err.as_ref());
        assert_eq!(got, manifest::check_parsed(&docs, err.as_ref()), "differs from check_parsed for {text:?}");
        got
    }

    #[test]
    fn reused_diagnostics_equal_a_fresh_check_through_edits() {
        let bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: a\n    image: nginx\n";
        let good = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n";
        let mut c = Checked::default();
        let first = check(&mut c, &format!("{bad}---\n{good}"));
        assert!(first.iter().any(|d| d.line == Some(4)), "{first:?}");
        assert_eq!(c.by_doc.len(), 2);
        // Same text: both answers reused (debug builds compare them with fresh ones).
        assert_eq!(check(&mut c, &format!("{bad}---\n{good}")), first);
        // A line added above the bad document moves its diagnostic down a line.
        let moved = check(&mut c, &format!("# note\n{bad}---\n{good}"));
        assert!(moved.iter().any(|d| d.line == Some(5)), "{moved:?}");
        // Documents swapped: indexes change, so nothing stale is reused.
        check(&mut c, &format!("{good}---\n{bad}"));
        // Fixed, then broken YAML.
        assert!(check(&mut c, &format!("{}---\n{good}", bad.replace("Bad_Name", "ok"))).is_empty());
        assert!(!check(&mut c, "kind: [\n").is_empty());
    }
}
