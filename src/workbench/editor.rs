//! Text editing operations for the manifest editor, pure and testable: indent and outdent by two
//! spaces, auto-indent on Enter, snippet insertion, undo/redo history, and the UTF-16 ↔ byte
//! offset conversions a browser `<textarea>` needs (its selection is counted in UTF-16 units).

/// Text plus selection (byte offsets, `start <= end`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Edit {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Edit {
    pub fn new(text: &str, start: usize, end: usize) -> Edit {
        let start = floor_char(text, start.min(text.len()));
        let end = floor_char(text, end.min(text.len())).max(start);
        Edit { text: text.to_string(), start, end }
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A textarea position (UTF-16 units) → byte offset in `s`, clamped.
pub fn utf16_to_byte(s: &str, units: usize) -> usize {
    let mut n = 0;
    for (i, ch) in s.char_indices() {
        if n >= units {
            return i;
        }
        n += ch.len_utf16();
    }
    s.len()
}

/// A byte offset in `s` → textarea position (UTF-16 units).
pub fn byte_to_utf16(s: &str, byte: usize) -> usize {
    let b = floor_char(s, byte.min(s.len()));
    s[..b].encode_utf16().count()
}

fn line_start(s: &str, i: usize) -> usize {
    s[..i].rfind('\n').map_or(0, |p| p + 1)
}

/// Starts of the lines the selection touches (a selection ending at a line start excludes it).
fn touched_lines(s: &str, start: usize, end: usize) -> Vec<usize> {
    let mut out = vec![line_start(s, start)];
    let last = if end > start && end > 0 && s.as_bytes().get(end - 1) == Some(&b'\n') { end - 1 } else { end };
    let mut i = out[0];
    while let Some(p) = s[i..last.max(i)].find('\n') {
        i += p + 1;
        out.push(i);
    }
    out
}

/// Tab: two spaces at the cursor, or two more at the start of every selected line.
pub fn indent(e: &Edit) -> Edit {
    if e.start == e.end {
        let mut t = e.text.clone();
        t.insert_str(e.start, "  ");
        return Edit { text: t, start: e.start + 2, end: e.start + 2 };
    }
    let lines = touched_lines(&e.text, e.start, e.end);
    let mut t = e.text.clone();
    for (n, ls) in lines.iter().enumerate() {
        t.insert_str(ls + 2 * n, "  ");
    }
    Edit { text: t, start: e.start + 2, end: e.end + 2 * lines.len() }
}

/// Shift-Tab: up to two leading spaces removed from every touched line.
pub fn outdent(e: &Edit) -> Edit {
    let lines = touched_lines(&e.text, e.start, e.end);
    let mut t = String::with_capacity(e.text.len());
    let mut cuts = Vec::new(); // (line start, spaces removed)
    let mut prev = 0;
    for ls in lines {
        let n = e.text[ls..].bytes().take(2).take_while(|b| *b == b' ').count();
        t.push_str(&e.text[prev..ls]);
        prev = ls + n;
        cuts.push((ls, n));
    }
    t.push_str(&e.text[prev..]);
    // A position moves back by the spaces removed before it on its own and earlier lines.
    let map = |p: usize| p - cuts.iter().filter(|(ls, _)| *ls < p).map(|(ls, n)| (*n).min(p - ls)).sum::<usize>();
    Edit::new(&t, map(e.start), map(e.end))
}

/// Enter: a newline keeping the current line's indentation, two more after `key:` and inside a
/// list item (`- name: web` continues under `name`).
pub fn newline(e: &Edit) -> Edit {
    let ls = line_start(&e.text, e.start);
    let before = &e.text[ls..e.start];
    let mut n = before.len() - before.trim_start_matches(' ').len();
    let body = before.trim();
    if body.starts_with("- ") || body == "-" {
        n += 2;
    }
    let code = body.split(" #").next().unwrap_or("").trim_end();
    if code.ends_with(':') && !body.starts_with('#') {
        n += 2;
    }
    if body.ends_with('|') || body.ends_with('>') || body.ends_with("|-") || body.ends_with(">-") {
        n += 2;
    }
    let ins = format!("\n{}", " ".repeat(n.min(200)));
    let mut t = String::with_capacity(e.text.len() + ins.len());
    t.push_str(&e.text[..e.start]);
    t.push_str(&ins);
    t.push_str(&e.text[e.end..]);
    let c = e.start + ins.len();
    Edit { text: t, start: c, end: c }
}

/// Appends a snippet as a new document (`---` between documents) and selects it.
pub fn append_document(text: &str, snippet: &str) -> Edit {
    let mut t = text.trim_end().to_string();
    if !t.is_empty() {
        t.push_str("\n---\n");
    }
    let start = t.len();
    t.push_str(snippet.trim_end());
    t.push('\n');
    let end = t.len();
    Edit { text: t, start, end }
}

/// Why an edit happened: typing coalesces into one undo step, the others stand alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditKind {
    Typing,
    Structural,
}

/// Undo/redo stacks of whole states (bounded).
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    last_ms: f64,
    last_kind: Option<EditKind>,
}

pub const HISTORY_LIMIT: usize = 200;
/// Typing within this many ms of the previous keystroke joins the same undo step.
pub const COALESCE_MS: f64 = 1000.0;

impl History {
    /// Records the state before an edit.
    pub fn record(&mut self, before: Edit, kind: EditKind, now_ms: f64) {
        let join = kind == EditKind::Typing && self.last_kind == Some(EditKind::Typing) && now_ms - self.last_ms < COALESCE_MS && !self.undo.is_empty();
        if !join {
            self.undo.push(before);
            if self.undo.len() > HISTORY_LIMIT {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last_ms = now_ms;
        self.last_kind = Some(kind);
    }
    /// Undo: gives the state to restore, given the current one.
    pub fn undo(&mut self, current: Edit) -> Option<Edit> {
        let prev = self.undo.pop()?;
        self.redo.push(current);
        self.last_kind = None;
        Some(prev)
    }
    pub fn redo(&mut self, current: Edit) -> Option<Edit> {
        let next = self.redo.pop()?;
        self.undo.push(current);
        self.last_kind = None;
        Some(next)
    }
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_and_shift_tab() {
        let e = indent(&Edit::new("a:\nb: 1", 3, 3));
        assert_eq!((e.text.as_str(), e.start), ("a:\n  b: 1", 5));
        let all = indent(&Edit::new("a:\nb: 1\n", 0, 8));
        assert_eq!(all.text, "  a:\n  b: 1\n");
        let back = outdent(&all);
        assert_eq!(back.text, "a:\nb: 1\n");
        let one = outdent(&Edit::new("x:\n   y: 1", 7, 7));
        assert_eq!(one.text, "x:\n y: 1");
        assert_eq!(one.start, 5);
        assert_eq!(outdent(&Edit::new("z", 1, 1)).text, "z");
    }

    #[test]
    fn enter_keeps_and_grows_indentation() {
        let t = "spec:\n  containers:\n  - name: web";
        let e = newline(&Edit::new(t, 5, 5));
        assert_eq!(&e.text[..8], "spec:\n  ");
        let e = newline(&Edit::new(t, 19, 19));
        assert!(e.text.starts_with("spec:\n  containers:\n    \n"), "{:?}", e.text);
        let e = newline(&Edit::new(t, t.len(), t.len()));
        assert!(e.text.ends_with("- name: web\n    "));
        assert_eq!(e.start, e.text.len());
        let e = newline(&Edit::new("  a: 1 # c:", 11, 11));
        assert!(e.text.ends_with("\n  "));
    }

    #[test]
    fn utf16_offsets_round_trip_with_korean_and_emoji() {
        let s = "# 파드 😀\nkind: Pod";
        for (i, _) in s.char_indices() {
            assert_eq!(utf16_to_byte(s, byte_to_utf16(s, i)), i);
        }
        assert_eq!(utf16_to_byte(s, 10_000), s.len());
        assert_eq!(Edit::new(s, 3, 3).start, 2, "inside a multibyte char clamps down");
    }

    #[test]
    fn history_coalesces_typing_and_redoes() {
        let mut h = History::default();
        let s = |t: &str| Edit::new(t, t.len(), t.len());
        h.record(s(""), EditKind::Typing, 0.0);
        h.record(s("a"), EditKind::Typing, 100.0);
        h.record(s("ab"), EditKind::Structural, 200.0);
        assert_eq!(h.undo(s("ab\n")).map(|e| e.text), Some("ab".into()));
        assert_eq!(h.undo(s("ab")).map(|e| e.text), Some("".into()));
        assert!(!h.can_undo());
        assert_eq!(h.redo(s("")).map(|e| e.text), Some("ab".into()));
        for i in 0..500 {
            h.record(s("x"), EditKind::Structural, i as f64);
        }
        assert!(h.undo.len() <= HISTORY_LIMIT);
        assert!(!h.can_redo());
    }

    #[test]
    fn snippets_become_new_documents() {
        let e = append_document("kind: A\n", "kind: B\n");
        assert_eq!(e.text, "kind: A\n---\nkind: B\n");
        assert_eq!(&e.text[e.start..e.end], "kind: B\n");
        assert_eq!(append_document("", "kind: B").text, "kind: B\n");
    }
}
