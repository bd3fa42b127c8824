//! Manifest intake: YAML text → documents with a line for every field → strictly decoded objects,
//! with errors worded as kubectl and the API server word them and placed on their line.
//!
//! The stages follow `kubectl apply -f FILE` against a v1.34 server: YAML parse (per `---`
//! document), kubectl's client-side `apiVersion`/`kind` check, REST mapping (`no matches for
//! kind`), then the server's strict decoding. Defaulting and validation (422) happen in the API
//! server (`model::api::create`); [`check`] runs all of it offline for the editor.

pub mod decode;
pub mod goparse;
pub mod incremental;
pub mod schema;
pub mod yaml;

use crate::model::api::{ApiError, FieldError};
use crate::model::{defaults, validation, Kind, ObjExt};
use crate::value::{Map, Number, Value};
use std::collections::BTreeMap;
use yaml::Node;

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
    /// Where each field's value starts (differs from `lines` for block mappings and lists, whose
    /// content starts on the line after the key): type errors point here.
    pub value_lines: LineMap,
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
    /// kubelab's own advice (not part of the real message), e.g. `did you mean "replicas"?`.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(line: Option<u32>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, line, message: message.into(), doc: None, hint: None }
    }
}

/// Why a document cannot reach the API server, or what the server answered when decoding it.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// YAML → JSON failed: the text after `error converting YAML to JSON: `.
    Yaml(String),
    /// kubectl's client-side check: `apiVersion not set`, `kind not set`.
    NotSet(Vec<&'static str>),
    /// The document is not a mapping.
    NotObject(&'static str),
    /// REST mapping: `no matches for kind "X" in version "v"`.
    NoMatch { kind: String, version: String },
    /// Server decoding (400): the text after `X in version "v" cannot be handled as a X: `.
    Decode { kind: String, version: String, message: String },
}

/// A document that failed before validation, with everything needed to print it.
#[derive(Clone, Debug, PartialEq)]
pub struct IntakeError {
    pub problem: Problem,
    pub line: Option<u32>,
    /// Index of the document in the file (0-based).
    pub doc: usize,
    pub name: String,
    pub namespace: String,
    pub hints: Vec<String>,
}

impl IntakeError {
    /// The message without kubectl's prefixes.
    pub fn message(&self) -> String {
        match &self.problem {
            Problem::Yaml(m) => format!("error converting YAML to JSON: {m}"),
            Problem::NotSet(what) if what.len() == 1 => format!("error validating data: {}", what[0]),
            Problem::NotSet(what) => format!("error validating data: [{}]", what.join(", ")),
            Problem::NotObject(got) => format!("json: cannot unmarshal {got} into Go value of type map[string]interface {{}}"),
            Problem::NoMatch { kind, version } => format!("no matches for kind {kind:?} in version {version:?}"),
            Problem::Decode { kind, version, message } => format!("{kind} in version {version:?} cannot be handled as a {kind}: {message}"),
        }
    }

    /// What `kubectl apply -f FILE` (or `create -f`) prints on stderr, without the final newline.
    /// `file` is the path as given on the command line, or `STDIN` for `-f -`.
    pub fn kubectl(&self, file: &str) -> String {
        let m = self.message();
        match &self.problem {
            Problem::Yaml(_) => format!("error: error parsing {file}: {m}"),
            Problem::NotSet(_) => {
                format!("error: error validating {file:?}: {m}; if you choose to ignore these errors, turn validation off with --validate=false")
            }
            Problem::NotObject(_) => format!("error: unable to decode {file:?}: {m}"),
            Problem::NoMatch { .. } => format!(
                "error: resource mapping not found for name: {:?} namespace: {:?} from {file:?}: {m}\nensure CRDs are installed first",
                self.name, self.namespace
            ),
            Problem::Decode { .. } => format!("Error from server (BadRequest): error when creating {file:?}: {m}"),
        }
    }

    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic { severity: Severity::Error, line: self.line, message: self.message(), doc: Some(self.doc), hint: self.hints.first().cloned() }
    }
}

/// A document that passed YAML, kubectl's checks and strict decoding: ready for `api::create`.
#[derive(Clone, Debug, PartialEq)]
pub struct Intake {
    pub kind: Kind,
    pub doc: Document,
    /// Index of the document in the file (0-based, empty documents not counted).
    pub index: usize,
}

/// Splits and parses YAML text into documents. Empty documents are skipped. Stops at the first
/// syntax error (the documents before it are lost here; use [`parse_all`] to keep them).
pub fn parse(text: &str) -> Result<Vec<Document>, Diagnostic> {
    let (docs, err) = parse_all(text);
    match err {
        Some(e) => Err(e.diagnostic()),
        None => Ok(docs),
    }
}

/// Every document before the first YAML error, and that error.
pub fn parse_all(text: &str) -> (Vec<Document>, Option<IntakeError>) {
    let (raw, err) = yaml::parse_stream(text);
    let mut docs = Vec::new();
    for r in raw {
        let Some(root) = r.root else { continue };
        let mut lines = LineMap::default();
        let mut value_lines = LineMap::default();
        match to_json(&root, "", &mut lines, &mut value_lines) {
            Ok(value) => {
                if value.is_null() {
                    continue;
                }
                docs.push(Document { value, lines, start_line: root.line(), value_lines });
            }
            Err(m) => {
                let n = docs.len();
                return (docs, Some(IntakeError { problem: Problem::Yaml(m), line: Some(root.line()), doc: n, name: String::new(), namespace: String::new(), hints: vec![] }));
            }
        }
    }
    let err = err.map(|e| {
        // kubectl hands go-yaml one `---` chunk at a time, so its line numbers restart per chunk.
        let sep = yaml::separator_lines(text).into_iter().rev().find(|&s| s < e.reported_line.max(1)).unwrap_or(0);
        let rel = e.reported_line.saturating_sub(sep);
        let msg = if e.reported_line == 0 || rel == 0 { format!("yaml: {}", e.problem) } else { format!("yaml: line {rel}: {}", e.problem) };
        IntakeError { problem: Problem::Yaml(msg), line: Some(e.line.max(1)), doc: docs.len(), name: String::new(), namespace: String::new(), hints: vec![] }
    });
    (docs, err)
}

/// sigs.k8s.io/yaml's YAML → JSON conversion, recording the line of every field.
fn to_json(n: &Node, path: &str, lines: &mut LineMap, values: &mut LineMap) -> Result<Value, String> {
    lines.0.entry(path.to_string()).or_insert(n.line());
    values.0.insert(path.to_string(), n.line());
    Ok(match n {
        Node::Null { .. } => Value::Null,
        Node::Bool { v, .. } => Value::Bool(*v),
        Node::Int { v, .. } => Value::from(*v),
        Node::UInt { v, .. } => Value::from(*v),
        // json.Marshal prints an integral float64 as an integer (`3.0` → `3`).
        Node::Float { v, .. } => match Number::from_f64(*v) {
            Some(_) if v.fract() == 0.0 && v.abs() < 9.0e15 => Value::from(*v as i64),
            Some(num) => Value::Number(num),
            None => return Err(format!("json: unsupported value: {}", if v.is_nan() { "NaN" } else if *v > 0.0 { "+Inf" } else { "-Inf" })),
        },
        Node::Str { v, .. } => Value::String(v.as_str().into()),
        Node::Seq { items, .. } => {
            let mut out = Vec::with_capacity(items.len());
            for (i, it) in items.iter().enumerate() {
                out.push(to_json(it, &child(path, &i.to_string()), lines, values)?);
            }
            Value::Array(out)
        }
        Node::Map { entries, .. } => {
            let mut m = Vec::with_capacity(entries.len());
            for (k, kl, v) in entries {
                let p = child(path, k);
                lines.0.insert(p.clone(), *kl);
                m.push((crate::value::MapKey::new(k), to_json(v, &p, lines, values)?));
            }
            Value::Object(Map::from_entries(m))
        }
    })
}

fn child(path: &str, seg: &str) -> String {
    if path.is_empty() { seg.to_string() } else { format!("{path}.{seg}") }
}

/// Reads a manifest as `kubectl apply -f` does, document by document: each becomes an [`Intake`]
/// ready for the API server or the error kubectl would print. A YAML error ends the list (kubectl
/// stops reading there); other errors concern their document only.
pub fn read(text: &str) -> Vec<Result<Intake, IntakeError>> {
    let (docs, yaml_err) = parse_all(text);
    let mut out: Vec<Result<Intake, IntakeError>> = Vec::new();
    for (i, d) in docs.into_iter().enumerate() {
        match list_items(&d) {
            Some(items) => out.extend(items.into_iter().map(|item| intake(item, i))),
            None => out.push(intake(d, i)),
        }
    }
    if let Some(e) = yaml_err {
        out.push(Err(e));
    }
    out
}

/// The items of a `kind: List` (or `DeploymentList`, ...) document, each as its own document with
/// its own lines: kubectl flattens lists before sending (the builder's FlattenListVisitor).
fn list_items(d: &Document) -> Option<Vec<Document>> {
    if !d.value.str_at("kind")?.ends_with("List") {
        return None;
    }
    let items = d.value.get("items")?.as_array()?;
    let sub = |m: &LineMap, prefix: &str| {
        let dotted = format!("{prefix}.");
        LineMap(
            m.0.iter()
                .filter_map(|(k, l)| if k == prefix { Some((String::new(), *l)) } else { k.strip_prefix(&dotted).map(|r| (r.to_string(), *l)) })
                .collect(),
        )
    };
    Some(
        items
            .iter()
            .enumerate()
            .map(|(n, item)| {
                let prefix = format!("items.{n}");
                let value_lines = sub(&d.value_lines, &prefix);
                let start_line = value_lines.0.get("").copied().unwrap_or(d.start_line);
                Document { value: item.clone(), lines: sub(&d.lines, &prefix), start_line, value_lines }
            })
            .collect(),
    )
}

fn intake(doc: Document, index: usize) -> Result<Intake, IntakeError> {
    let kind = classify(&doc, index)?;
    Ok(Intake { kind, doc, index })
}

/// What [`intake`] checks, on a borrowed document: its kind, or the error kubectl would print.
fn classify(doc: &Document, index: usize) -> Result<Kind, IntakeError> {
    let v = &doc.value;
    let fail = |problem: Problem, line: Option<u32>, hints: Vec<String>| IntakeError {
        problem,
        line,
        doc: index,
        name: v.str_at("metadata.name").unwrap_or("").to_string(),
        namespace: v.str_at("metadata.namespace").unwrap_or("").to_string(),
        hints,
    };
    let Value::Object(m) = v else {
        let got = match v {
            Value::Array(_) => "array",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            _ => "bool",
        };
        return Err(fail(Problem::NotObject(got), Some(doc.start_line), vec![]));
    };
    let mut not_set = Vec::new();
    let api_version = match m.get("apiVersion") {
        Some(Value::String(s)) if !s.is_empty() => s.to_string(),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            not_set.push("apiVersion not set");
            String::new()
        }
        Some(_) => {
            not_set.push("apiVersion isn't string type");
            String::new()
        }
    };
    let kind_name = match m.get("kind") {
        Some(Value::String(s)) if !s.is_empty() => s.to_string(),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            not_set.push("kind not set");
            String::new()
        }
        Some(_) => {
            not_set.push("kind isn't string type");
            String::new()
        }
    };
    if !not_set.is_empty() {
        return Err(fail(Problem::NotSet(not_set), Some(doc.start_line), vec![]));
    }
    let Some(kind) = crate::model::kinds::served(&api_version, &kind_name) else {
        // A known kind in the wrong version points at apiVersion; an unknown kind at kind.
        let at = if Kind::from_kind_name(&kind_name).is_some() { "apiVersion" } else { "kind" };
        let line = doc.lines.0.get(at).copied();
        let hint = no_match_hint(&api_version, &kind_name);
        return Err(fail(Problem::NoMatch { kind: kind_name, version: api_version }, line, hint.into_iter().collect()));
    };
    if let Err(e) = decode::decode(kind.name(), v) {
        let version = api_version.rsplit('/').next().unwrap_or("").to_string();
        let line = if e.message.starts_with("strict decoding error") { doc.lines.line_of(&e.path) } else { doc.value_lines.line_of(&e.path) };
        return Err(fail(Problem::Decode { kind: kind_name, version, message: e.message }, line, e.hints));
    }
    Ok(kind)
}

/// kubelab's advice for a kind/version the server does not serve.
fn no_match_hint(api_version: &str, kind: &str) -> Option<String> {
    if let Some(k) = Kind::from_kind_name(kind) {
        return Some(format!("{kind} is served as apiVersion {:?}", k.api_version()));
    }
    let names: Vec<&str> = crate::model::kinds::KINDS.iter().map(|k| k.name).collect();
    let s = decode::suggest(kind, names.iter().copied())?;
    let k = Kind::from_kind_name(&s)?;
    let _ = api_version;
    Some(format!("did you mean kind {s:?} (apiVersion {:?})?", k.api_version()))
}

/// Maps an API error's field causes to lines of the document (a missing field → its parent).
pub fn cause_diagnostics(doc: &Document, index: usize, err: &ApiError) -> Vec<Diagnostic> {
    if err.causes.is_empty() {
        return vec![Diagnostic { doc: Some(index), ..Diagnostic::error(Some(doc.start_line), err.message.clone()) }];
    }
    err.causes.iter().map(|c| field_diagnostic(doc, index, c)).collect()
}

fn field_diagnostic(doc: &Document, index: usize, c: &FieldError) -> Diagnostic {
    let path = c.dotted_path();
    let line = value_line(doc, &path, c).or_else(|| doc.lines.line_of(&path)).or(Some(doc.start_line));
    Diagnostic { severity: Severity::Error, line, message: c.to_string(), doc: Some(index), hint: None }
}

/// For an error about a value inside a list or map (`spec.accessModes: Unsupported value:
/// "ReadWriteonce"`), the line of that element, or else where the collection's content starts.
fn value_line(doc: &Document, path: &str, c: &FieldError) -> Option<u32> {
    use crate::model::api::{render_value, FieldErrorKind as K};
    let rendered = match &c.kind {
        K::Invalid(v) | K::Unsupported(v) | K::Duplicate(v) | K::NotFound(v) => v,
        _ => return None,
    };
    let node = doc.value.path(path)?;
    let children: Vec<(String, &Value)> = match node {
        Value::Array(a) => a.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        Value::Object(m) => m.iter().map(|(k, v)| (k.to_string(), v)).collect(),
        _ => return None,
    };
    children
        .iter()
        .find(|(k, v)| render_value(v) == *rendered || format!("{k:?}") == *rendered)
        .and_then(|(k, _)| doc.value_lines.0.get(&format!("{path}.{k}")).copied())
        .or_else(|| doc.value_lines.0.get(path).copied())
}

/// The editor's check: syntax, kubectl's checks, strict decoding, defaulting and validation,
/// offline, each problem with its line. Empty when `kubectl apply` would accept every document
/// (references to other objects and namespaces are not checked, as the server checks them later).
pub fn check(text: &str) -> Vec<Diagnostic> {
    let (docs, yaml_err) = parse_all(text);
    check_parsed(&docs, yaml_err.as_ref())
}

/// [`check`] on text already split by [`parse_all`], so a caller that goes on to apply the
/// documents (the editor, on every keystroke) parses them once.
pub fn check_parsed(docs: &[Document], yaml_err: Option<&IntakeError>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        out.extend(check_doc(d, i));
    }
    if let Some(e) = yaml_err {
        out.push(e.diagnostic());
    }
    out
}

/// The diagnostics of the `index`-th document of a file (a `List`'s items each checked).
pub fn check_doc(d: &Document, index: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match list_items(d) {
        Some(items) => items.iter().for_each(|item| check_one(item, index, &mut out)),
        None => check_one(d, index, &mut out),
    }
    out
}

/// One document of [`check_parsed`] (the `index`-th of the file; list items share their list's).
fn check_one(doc: &Document, index: usize, out: &mut Vec<Diagnostic>) {
    let kind = match classify(doc, index) {
        Ok(k) => k,
        Err(e) => return out.push(e.diagnostic()),
    };
    let mut obj = doc.value.clone();
    if obj.name().is_empty() {
        if let Some(g) = obj.str_at("metadata.generateName").map(str::to_string) {
            crate::model::object::set_path(&mut obj, "metadata.name", Value::String(format!("{g}abcde").into()));
        }
    }
    if kind.namespaced() && obj.namespace().is_empty() {
        crate::model::object::set_path(&mut obj, "metadata.namespace", Value::String("default".into()));
    }
    defaults::apply(kind, &mut obj);
    let mut errs = validation::validate(kind, &obj, None);
    if errs.is_empty() && kind == Kind::Service {
        errs = validation::node_port_range(&obj);
    }
    out.extend(errs.iter().map(|c| field_diagnostic(doc, index, c)));
    if errs.is_empty() {
        for w in validation::warnings(kind, &obj) {
            // `spec.containers[0].env[1]: ...` → the line of that field.
            let path = w.split(": ").next().unwrap_or("").replace('[', ".").replace(']', "");
            let line = doc.lines.line_of(&path).or(Some(doc.start_line));
            out.push(Diagnostic { severity: Severity::Warning, line, message: w, doc: Some(index), hint: None });
        }
    }
}

