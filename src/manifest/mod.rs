//! Manifest intake: YAML text → documents with a line for every field → strictly decoded objects,
//! with errors worded as kubectl and the API server word them and placed on their line.

use serde_json::Value;
use std::collections::BTreeMap;

/// Where each field of one YAML document sits: dotted path (`spec.containers.0.image`) → 1-based line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineMap(pub BTreeMap<String, u32>);

impl LineMap {
    /// The line of a field, or of its nearest ancestor that has one.
    pub fn line_of(&self, dotted: &str) -> Option<u32> {
        let mut p = dotted.to_string();
        loop {
            if let Some(l) = self.0.get(&p) {
                return Some(*l);
            }
            match p.rfind('.') {
                Some(i) => p.truncate(i),
                None => return self.0.get("").copied(),
            }
        }
    }
}

/// One YAML document of a manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub value: Value,
    pub lines: LineMap,
    /// 1-based line where the document's content starts.
    pub start_line: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in a manifest, with its line when there is one.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: Option<u32>,
    /// The message as kubectl / the API server would print it (English, as real tools do).
    pub message: String,
    /// Index of the document in the file (0-based), when known.
    pub doc: Option<usize>,
}

impl Diagnostic {
    pub fn error(line: Option<u32>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, line, message: message.into(), doc: None }
    }
}

/// Splits and parses YAML text into documents. Empty documents are skipped.
pub fn parse(text: &str) -> Result<Vec<Document>, Diagnostic> {
    use serde::Deserialize;
    let mut docs = Vec::new();
    for d in serde_yaml::Deserializer::from_str(text) {
        let v = Value::deserialize(d).map_err(|e| Diagnostic::error(e.location().map(|l| l.line() as u32), format!("yaml: {e}")))?;
        if !v.is_null() {
            docs.push(Document { value: v, lines: LineMap::default(), start_line: 1 });
        }
    }
    Ok(docs)
}
