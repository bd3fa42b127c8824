//! A small safe wrapper over libyaml's event parser (the one inside serde_norway): YAML text →
//! node trees that keep the line of every node, scalars resolved as sigs.k8s.io/yaml resolves them
//! (go-yaml v2, YAML 1.1), syntax errors worded as go-yaml v2 words them. Bounded: input size,
//! nesting depth and node count (aliases included) are capped, so no input can hang or crash.

use std::collections::BTreeMap;
use std::ffi::CStr;
use std::mem::MaybeUninit;
use unsafe_libyaml as sys;

/// Largest manifest accepted (bytes).
pub const MAX_INPUT: usize = 1024 * 1024;
/// Deepest nesting of mappings and sequences.
pub const MAX_DEPTH: usize = 64;
/// Most nodes in one input, counting every alias expansion.
pub const MAX_NODES: usize = 200_000;
/// Most documents in one input.
pub const MAX_DOCS: usize = 500;

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null { line: u32 },
    Bool { v: bool, line: u32 },
    Int { v: i64, line: u32 },
    /// An integer too large for i64 but fitting u64.
    UInt { v: u64, line: u32 },
    Float { v: f64, line: u32 },
    Str { v: String, line: u32 },
    Seq { items: Vec<Node>, line: u32 },
    /// Entries in order: key, the key's line, value.
    Map { entries: Vec<(String, u32, Node)>, line: u32 },
}

impl Node {
    pub fn line(&self) -> u32 {
        match self {
            Node::Null { line }
            | Node::Bool { line, .. }
            | Node::Int { line, .. }
            | Node::UInt { line, .. }
            | Node::Float { line, .. }
            | Node::Str { line, .. }
            | Node::Seq { line, .. }
            | Node::Map { line, .. } => *line,
        }
    }
}

/// A syntax error or a bound that was hit.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    /// The line go-yaml names in its message (absolute, 1-based; 0 when it names none).
    pub reported_line: u32,
    /// The line a learner should look at (the start of the construct when libyaml knows it).
    pub line: u32,
    pub problem: String,
}

/// One parsed document: its root node (None when empty) and where its `---` chunk starts.
#[derive(Clone, Debug)]
pub struct RawDoc {
    pub root: Option<Node>,
    /// 1-based line of the first line of the chunk kubectl would hand to go-yaml.
    pub chunk_start: u32,
}

struct Parser {
    sys: Box<MaybeUninit<sys::yaml_parser_t>>,
    _input: Vec<u8>,
}

impl Parser {
    fn new(text: &str) -> Option<Parser> {
        let input = text.as_bytes().to_vec();
        let mut boxed: Box<MaybeUninit<sys::yaml_parser_t>> = Box::new(MaybeUninit::uninit());
        // SAFETY: the parser lives in a Box (stable address) and is initialised before use; the
        // input buffer is owned by `Parser` and outlives the parser (deleted in Drop first).
        unsafe {
            let p = boxed.as_mut_ptr();
            if sys::yaml_parser_initialize(p).fail {
                return None;
            }
            sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(p, input.as_ptr(), input.len() as u64);
        }
        Some(Parser { sys: boxed, _input: input })
    }

    fn next(&mut self) -> Result<Ev, YamlError> {
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialised in `new`; the event is deleted after conversion.
        unsafe {
            let p = self.sys.as_mut_ptr();
            if (&*p).error != sys::YAML_NO_ERROR {
                return Err(self.error());
            }
            let e = event.as_mut_ptr();
            if sys::yaml_parser_parse(p, e).fail {
                return Err(self.error());
            }
            let line = (*e).start_mark.line as u32 + 1;
            let ev = match (*e).type_ {
                sys::YAML_STREAM_END_EVENT => Ev::StreamEnd,
                sys::YAML_DOCUMENT_START_EVENT => Ev::DocStart(line),
                sys::YAML_DOCUMENT_END_EVENT => Ev::DocEnd,
                sys::YAML_ALIAS_EVENT => Ev::Alias(cstr((*e).data.alias.anchor), line),
                sys::YAML_SCALAR_EVENT => {
                    let s = &(*e).data.scalar;
                    let bytes = std::slice::from_raw_parts(s.value, s.length as usize);
                    Ev::Scalar {
                        anchor: cstr(s.anchor),
                        tag: cstr(s.tag),
                        value: String::from_utf8_lossy(bytes).into_owned(),
                        plain: s.style == sys::YAML_PLAIN_SCALAR_STYLE,
                        line,
                    }
                }
                sys::YAML_SEQUENCE_START_EVENT => Ev::SeqStart(cstr((*e).data.sequence_start.anchor), line),
                sys::YAML_SEQUENCE_END_EVENT => Ev::SeqEnd,
                sys::YAML_MAPPING_START_EVENT => Ev::MapStart(cstr((*e).data.mapping_start.anchor), line),
                sys::YAML_MAPPING_END_EVENT => Ev::MapEnd,
                _ => Ev::Other,
            };
            sys::yaml_event_delete(e);
            Ok(ev)
        }
    }

    /// go-yaml v2 `parser.fail`: the problem mark's line, +1 for scanner errors (libyaml marks are
    /// 0-based and go-yaml only corrects scanner errors), else the context mark's line.
    fn error(&self) -> YamlError {
        // SAFETY: initialised parser; `problem`/`context` are static C strings or null.
        unsafe {
            let p = &*self.sys.as_ptr();
            let problem = cstr(p.problem as *const u8).unwrap_or_else(|| "unknown problem parsing YAML content".into());
            let scanner = p.error == sys::YAML_SCANNER_ERROR;
            let pm = p.problem_mark.line as u32;
            let cm = p.context_mark.line as u32;
            let reported = if pm != 0 {
                pm + u32::from(scanner)
            } else {
                cm
            };
            let has_context = !p.context.is_null();
            let line = if has_context && scanner { cm + 1 } else if scanner { pm + 1 } else { pm.max(1) };
            YamlError { reported_line: reported, line, problem }
        }
    }
}

impl Drop for Parser {
    fn drop(&mut self) {
        // SAFETY: initialised in `new` (a failed init returns None, so never reaches Drop).
        unsafe { sys::yaml_parser_delete(self.sys.as_mut_ptr()) }
    }
}

unsafe fn cstr(p: *const u8) -> Option<String> {
    if p.is_null() {
        None
    } else {
        Some(CStr::from_ptr(p as *const std::ffi::c_char).to_string_lossy().into_owned())
    }
}

enum Ev {
    StreamEnd,
    DocStart(u32),
    DocEnd,
    Alias(Option<String>, u32),
    Scalar { anchor: Option<String>, tag: Option<String>, value: String, plain: bool, line: u32 },
    SeqStart(Option<String>, u32),
    SeqEnd,
    MapStart(Option<String>, u32),
    MapEnd,
    Other,
}

fn err(line: u32, problem: impl Into<String>) -> YamlError {
    YamlError { reported_line: line, line, problem: problem.into() }
}

/// Parses every document. Documents before a syntax error are returned along with the error,
/// as kubectl applies the documents it could read before the one it could not.
pub fn parse_stream(text: &str) -> (Vec<RawDoc>, Option<YamlError>) {
    let mut docs = Vec::new();
    if text.len() > MAX_INPUT {
        return (docs, Some(err(0, format!("the manifest is {} bytes; kubelab reads at most {} bytes (1 MiB)", text.len(), MAX_INPUT))));
    }
    let Some(mut p) = Parser::new(text) else {
        return (docs, Some(err(0, "could not initialise the YAML parser")));
    };
    let separators = separator_lines(text);
    let mut budget = MAX_NODES;
    loop {
        match p.next() {
            Err(e) => return (docs, Some(e)),
            Ok(Ev::StreamEnd) => return (docs, None),
            Ok(Ev::DocStart(line)) => {
                if docs.len() >= MAX_DOCS {
                    return (docs, Some(err(line, format!("too many documents: kubelab reads at most {MAX_DOCS}"))));
                }
                let mut b = Builder { anchors: BTreeMap::new(), budget: &mut budget };
                let root = match b.node(&mut p, 0) {
                    Ok(r) => r,
                    Err(e) => return (docs, Some(e)),
                };
                match p.next() {
                    Ok(Ev::DocEnd) => {}
                    Ok(_) => return (docs, Some(err(line, "did not find expected <document end>"))),
                    Err(e) => return (docs, Some(e)),
                }
                let first = root.as_ref().map_or(line, |n| n.line());
                let chunk_start = separators.iter().rev().find(|&&s| s < first).map_or(1, |s| s + 1);
                docs.push(RawDoc { root, chunk_start });
            }
            Ok(_) => {}
        }
    }
}

/// Lines (1-based) that kubectl's YAML reader treats as document separators: `---` at column 0
/// followed by whitespace or the end of the line.
pub fn separator_lines(text: &str) -> Vec<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.strip_prefix("---").is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r'])))
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

struct Builder<'a> {
    anchors: BTreeMap<String, Node>,
    budget: &'a mut usize,
}

impl Builder<'_> {
    fn spend(&mut self, n: usize, line: u32) -> Result<(), YamlError> {
        if *self.budget < n {
            return Err(err(line, format!("the manifest is too large: kubelab reads at most {MAX_NODES} YAML nodes")));
        }
        *self.budget -= n;
        Ok(())
    }

    /// Reads one node; returns None for the end of a document, sequence or mapping.
    fn node(&mut self, p: &mut Parser, depth: usize) -> Result<Option<Node>, YamlError> {
        let ev = p.next()?;
        self.node_from(p, ev, depth)
    }

    fn node_from(&mut self, p: &mut Parser, ev: Ev, depth: usize) -> Result<Option<Node>, YamlError> {
        match ev {
            Ev::Scalar { anchor, tag, value, plain, line } => {
                self.spend(1, line)?;
                let n = resolve(&value, plain, tag.as_deref(), line);
                if let Some(a) = anchor {
                    self.anchors.insert(a, n.clone());
                }
                Ok(Some(n))
            }
            Ev::Alias(name, line) => {
                let n = name.and_then(|a| self.anchors.get(&a).cloned()).ok_or_else(|| err(line, "unknown anchor referenced"))?;
                self.spend(count(&n), line)?;
                Ok(Some(n))
            }
            Ev::SeqStart(anchor, line) => {
                if depth >= MAX_DEPTH {
                    return Err(err(line, format!("the manifest nests deeper than {MAX_DEPTH} levels")));
                }
                self.spend(1, line)?;
                let mut items = Vec::new();
                loop {
                    let ev = p.next()?;
                    if matches!(ev, Ev::SeqEnd) {
                        break;
                    }
                    match self.node_from(p, ev, depth + 1)? {
                        Some(n) => items.push(n),
                        None => return Err(err(line, "did not find expected node content")),
                    }
                }
                let n = Node::Seq { items, line };
                if let Some(a) = anchor {
                    self.anchors.insert(a, n.clone());
                }
                Ok(Some(n))
            }
            Ev::MapStart(anchor, line) => {
                if depth >= MAX_DEPTH {
                    return Err(err(line, format!("the manifest nests deeper than {MAX_DEPTH} levels")));
                }
                self.spend(1, line)?;
                let mut entries: Vec<(String, u32, Node)> = Vec::new();
                // Key → index in `entries`, so duplicate keys cost O(log n), not O(n).
                let mut index: BTreeMap<String, usize> = BTreeMap::new();
                loop {
                    let ev = p.next()?;
                    if matches!(ev, Ev::MapEnd) {
                        break;
                    }
                    let key = self.node_from(p, ev, depth + 1)?.ok_or_else(|| err(line, "did not find expected key"))?;
                    let value = self.node(p, depth + 1)?.ok_or_else(|| err(line, "did not find expected node content"))?;
                    if key_is_merge(&key) {
                        // `<<: *base` merges the keys of the aliased mapping (go-yaml v2 does).
                        let merged: Vec<(String, u32, Node)> = match value {
                            Node::Map { entries, .. } => entries,
                            Node::Seq { items, .. } => items.into_iter().flat_map(|m| if let Node::Map { entries, .. } = m { entries } else { vec![] }).collect(),
                            _ => vec![],
                        };
                        for (k, l, v) in merged {
                            if !index.contains_key(&k) {
                                index.insert(k.clone(), entries.len());
                                entries.push((k, l, v));
                            }
                        }
                        continue;
                    }
                    let k = key_string(&key);
                    // Duplicate keys: the last value wins silently, as with sigs.k8s.io/yaml.
                    match index.get(&k) {
                        Some(&i) => entries[i] = (k, key.line(), value),
                        None => {
                            index.insert(k.clone(), entries.len());
                            entries.push((k, key.line(), value));
                        }
                    }
                }
                let n = Node::Map { entries, line };
                if let Some(a) = anchor {
                    self.anchors.insert(a, n.clone());
                }
                Ok(Some(n))
            }
            Ev::SeqEnd | Ev::MapEnd | Ev::DocEnd | Ev::StreamEnd => Ok(None),
            Ev::DocStart(line) => Err(err(line, "did not find expected node content")),
            Ev::Other => Ok(None),
        }
    }
}

fn key_is_merge(k: &Node) -> bool {
    matches!(k, Node::Str { v, .. } if v == "<<")
}

/// A map key as sigs.k8s.io/yaml turns it into a JSON object key.
fn key_string(k: &Node) -> String {
    match k {
        Node::Null { .. } => "null".into(),
        Node::Bool { v, .. } => v.to_string(),
        Node::Int { v, .. } => v.to_string(),
        Node::UInt { v, .. } => v.to_string(),
        Node::Float { v, .. } => format_float(*v),
        Node::Str { v, .. } => v.clone(),
        Node::Seq { .. } | Node::Map { .. } => String::new(),
    }
}

/// strconv.FormatFloat(f, 'g', -1, 64) for the common cases.
pub fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{}", f as i128)
    } else {
        format!("{f}")
    }
}

fn count(n: &Node) -> usize {
    match n {
        Node::Seq { items, .. } => 1 + items.iter().map(count).sum::<usize>(),
        Node::Map { entries, .. } => 1 + entries.iter().map(|(_, _, v)| 1 + count(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Scalar resolution of go-yaml v2 (`resolve.go`): YAML 1.1 booleans (`yes`, `on`, `y`...), null
/// (`~`, `null`, empty), ints in any Go base (`0x1f`, `0o17`, `017`, `0b101`, `1_000`), floats
/// (`.5`, `1e3`, `.inf`); quoted scalars and `!!str` stay strings.
pub fn resolve(value: &str, plain: bool, tag: Option<&str>, line: u32) -> Node {
    let s = || Node::Str { v: value.to_string(), line };
    match tag {
        Some("tag:yaml.org,2002:str") | Some("!!str") => return s(),
        Some("tag:yaml.org,2002:null") => return Node::Null { line },
        _ => {}
    }
    if !plain {
        return s();
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Node::Null { line },
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => return Node::Bool { v: true, line },
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => return Node::Bool { v: false, line },
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Node::Float { v: f64::INFINITY, line },
        "-.inf" | "-.Inf" | "-.INF" => return Node::Float { v: f64::NEG_INFINITY, line },
        ".nan" | ".NaN" | ".NAN" => return Node::Float { v: f64::NAN, line },
        _ => {}
    }
    if let Some(ts) = date_timestamp(value) {
        return Node::Str { v: ts, line };
    }
    let first = value.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return s();
    }
    let plain_digits = value.replace('_', "");
    if let Some(i) = parse_go_int(&plain_digits) {
        return i.map_or_else(|u| Node::UInt { v: u, line }, |v| Node::Int { v, line });
    }
    if is_yaml_float(&plain_digits) {
        if let Ok(f) = plain_digits.parse::<f64>() {
            return Node::Float { v: f, line };
        }
    }
    s()
}

/// go-yaml v2 resolves an unquoted date (`2024-1-5`) to a time.Time, which sigs.k8s.io/yaml then
/// writes as RFC 3339 (`2024-01-05T00:00:00Z`). Dates with a time part are left as strings here.
fn date_timestamp(s: &str) -> Option<String> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return None;
    }
    if !(y.bytes().chain(m.bytes()).chain(d.bytes())).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (mn, dn): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&mn) || !(1..=31).contains(&dn) {
        return None;
    }
    Some(format!("{y}-{mn:02}-{dn:02}T00:00:00Z"))
}

/// strconv.ParseInt(s, 0, 64), falling back to ParseUint; Ok(Ok(i64)) or Ok(Err(u64)).
fn parse_go_int(s: &str) -> Option<Result<i64, u64>> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) = if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, r)
    } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (8, r)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let u = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if u <= i64::MAX as u64 + 1 {
            Some(Ok((u as i128).wrapping_neg() as i64))
        } else {
            None
        }
    } else if u <= i64::MAX as u64 {
        Some(Ok(u as i64))
    } else {
        Some(Err(u))
    }
}

/// go-yaml v2's float pattern: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let (docs, e) = parse_stream(text);
        assert_eq!(e, None);
        docs[0].root.clone().expect("a root")
    }

    #[test]
    fn resolves_like_go_yaml_v2() {
        let n = one("a: yes\nb: 0x1f\nc: ~\nd: \"yes\"\ne: 1.5\nf: 017\ng: on\nh: 1_000\ni: 12:30\nj: 2024-1-05\nk: \"2024-01-05\"\n");
        let Node::Map { entries, .. } = n else { panic!() };
        let get = |k: &str| entries.iter().find(|(x, _, _)| x == k).map(|(_, _, v)| v.clone()).unwrap();
        assert_eq!(get("a"), Node::Bool { v: true, line: 1 });
        assert_eq!(get("b"), Node::Int { v: 31, line: 2 });
        assert_eq!(get("c"), Node::Null { line: 3 });
        assert_eq!(get("d"), Node::Str { v: "yes".into(), line: 4 });
        assert_eq!(get("e"), Node::Float { v: 1.5, line: 5 });
        assert_eq!(get("f"), Node::Int { v: 15, line: 6 });
        assert_eq!(get("g"), Node::Bool { v: true, line: 7 });
        assert_eq!(get("h"), Node::Int { v: 1000, line: 8 });
        assert_eq!(get("i"), Node::Str { v: "12:30".into(), line: 9 });
        assert_eq!(get("j"), Node::Str { v: "2024-01-05T00:00:00Z".into(), line: 10 });
        assert_eq!(get("k"), Node::Str { v: "2024-01-05".into(), line: 11 });
    }

    #[test]
    fn duplicate_keys_last_wins_and_merge_keys_merge() {
        let n = one("a: 1\nb: 2\na: 3\n");
        let Node::Map { entries, .. } = n else { panic!() };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0], ("a".to_string(), 3, Node::Int { v: 3, line: 3 }));
        let n = one("base: &b {p: 1, q: 2}\nc:\n  <<: *b\n  q: 5\n");
        let Node::Map { entries, .. } = n else { panic!() };
        let Node::Map { entries: c, .. } = &entries[1].2 else { panic!() };
        let keys: Vec<(&str, &Node)> = c.iter().map(|(k, _, v)| (k.as_str(), v)).collect();
        assert_eq!(keys.len(), 2);
        assert!(keys.iter().any(|(k, v)| *k == "q" && matches!(v, Node::Int { v: 5, .. })), "{keys:?}");
        // YAML 1.1: the key `y` is the boolean true, which sigs.k8s.io/yaml turns into "true".
        let Node::Map { entries, .. } = one("y: 1\n") else { panic!() };
        assert_eq!(entries[0].0, "true");
    }

    #[test]
    fn errors_are_worded_like_go_yaml() {
        let (_, e) = parse_stream("a: 1\n  b: 2\n");
        let e = e.unwrap();
        assert_eq!((e.reported_line, e.problem.as_str()), (2, "mapping values are not allowed in this context"));
        let (_, e) = parse_stream("a:\n\tb: 1\n");
        assert_eq!(e.unwrap().problem, "found character that cannot start any token");
    }

    #[test]
    fn bounds_hold() {
        let deep = "[".repeat(200);
        assert!(parse_stream(&deep).1.unwrap().problem.contains("nests deeper"));
        let bomb = "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
        assert!(parse_stream(bomb).1.unwrap().problem.contains("too large"));
        let big = "a: b\n".repeat(300_000);
        assert!(parse_stream(&big).1.unwrap().problem.contains("at most"));
    }
}
