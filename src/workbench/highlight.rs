//! YAML syntax highlighting for the editor: each line split into classed spans (key, string,
//! number, boolean, null, comment, punctuation, document separator). Line-based with block-scalar
//! state (`|`, `>`), tolerant of any input: it never fails, the worst case is plain text.

/// A token class; `css()` is the class name the stylesheet colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tok {
    Plain,
    Key,
    Str,
    Num,
    Bool,
    Null,
    Comment,
    Punct,
    DocSep,
}

impl Tok {
    pub fn css(self) -> &'static str {
        match self {
            Tok::Plain => "",
            Tok::Key => "y-key",
            Tok::Str => "y-str",
            Tok::Num => "y-num",
            Tok::Bool => "y-bool",
            Tok::Null => "y-null",
            Tok::Comment => "y-com",
            Tok::Punct => "y-punct",
            Tok::DocSep => "y-doc",
        }
    }
}

pub type Line<'a> = Vec<(Tok, &'a str)>;

/// One line as the editor's keyed list draws it: a keystroke changes one line, so only that
/// line's spans are built again. YAML repeats lines (`spec:`, `- name: web`) and keys must be
/// unique, so `repeat` counts earlier lines with the same text and block state. The line is the
/// key and is shared (`Rc`): the list clones every key on each keystroke, and cloning each line's
/// tokens as strings was most of the highlighter's cost at 500 lines; the spans are made from the
/// text only for lines the list has not drawn yet ([`KeyedLine::toks`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyedLine {
    pub text: std::sync::Arc<str>,
    /// Content of a block scalar (`|`, `>`): drawn as a string.
    pub in_block: bool,
    pub repeat: u32,
}

impl KeyedLine {
    pub fn toks(&self) -> Line<'_> {
        line_tokens(&self.text, self.in_block)
    }
}

/// Every line of `text` as a [`KeyedLine`].
pub fn keyed_lines(text: &str) -> Vec<KeyedLine> {
    let mut seen: std::collections::HashMap<(&str, bool), u32> = std::collections::HashMap::new();
    scan(text)
        .map(|(line, in_block)| {
            let n = seen.entry((line, in_block)).or_insert(0);
            *n += 1;
            KeyedLine { text: line.into(), in_block, repeat: *n - 1 }
        })
        .collect()
}

/// Tokens of every line of `text` (split on `\n`, so the line count matches the textarea). The
/// editor draws [`keyed_lines`]; the tests read lines through this.
#[cfg(test)]
fn highlight(text: &str) -> Vec<Line<'_>> {
    scan(text).map(|(line, in_block)| line_tokens(line, in_block)).collect()
}

fn line_tokens(line: &str, in_block: bool) -> Line<'_> {
    if in_block { vec![(Tok::Str, line)] } else { tokens(line).0 }
}

/// Each line of `text` and whether it is block-scalar content: a line deeper than the key that
/// opened the block (`|`, `>`), or blank, until a line that is not.
fn scan(text: &str) -> impl Iterator<Item = (&str, bool)> {
    // Indentation of the key that opened a block scalar.
    let mut block: Option<usize> = None;
    text.split('\n').map(move |line| {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(b) = block {
            if line.trim().is_empty() || indent > b {
                return (line, true);
            }
            block = None;
        }
        if tokens(line).1 {
            block = Some(indent);
        }
        (line, false)
    })
}

/// Tokens of one line, and whether it opens a block scalar.
fn tokens(line: &str) -> (Line<'_>, bool) {
    let mut v = Vec::new();
    let trimmed = line.trim_start_matches(' ');
    let indent = &line[..line.len() - trimmed.len()];
    if !indent.is_empty() {
        v.push((Tok::Plain, indent));
    }
    if trimmed.starts_with('#') {
        v.push((Tok::Comment, trimmed));
        return (v, false);
    }
    if line.starts_with("---") || line.starts_with("...") {
        v.push((Tok::DocSep, &line[..3]));
        let rest = &line[3..];
        if !rest.is_empty() {
            v.push((Tok::Plain, rest));
        }
        return (v, false);
    }
    let mut rest = trimmed;
    while let Some(r) = rest.strip_prefix("- ").or(if rest == "-" { Some("") } else { None }) {
        v.push((Tok::Punct, &rest[..rest.len() - r.len()]));
        rest = r;
    }
    let (code, comment) = split_comment(rest);
    let mut opens_block = false;
    match key_end(code) {
        Some(k) => {
            v.push((Tok::Key, &code[..k]));
            v.push((Tok::Punct, &code[k..k + 1]));
            let value = &code[k + 1..];
            let vt = value.trim_start();
            if value.len() > vt.len() {
                v.push((Tok::Plain, &value[..value.len() - vt.len()]));
            }
            if !vt.is_empty() {
                let cls = scalar(vt);
                opens_block = cls == Tok::Punct;
                v.push((cls, vt));
            }
        }
        None if !code.is_empty() => {
            let cls = scalar(code.trim_end());
            opens_block = cls == Tok::Punct;
            v.push((cls, code));
        }
        None => {}
    }
    if !comment.is_empty() {
        v.push((Tok::Comment, comment));
    }
    (v, opens_block)
}

/// Splits `a: b # c` into code and comment (a `#` starts a comment after a space, outside quotes).
fn split_comment(s: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, ch) in s.char_indices() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None if (ch == '"' || ch == '\'') && (prev == ' ' || prev == ':' || i == 0) => quote = Some(ch),
            None if ch == '#' && prev == ' ' => return (&s[..i], &s[i..]),
            None => {}
        }
        prev = ch;
    }
    (s, "")
}

/// Byte index of the `:` ending a mapping key (followed by a space or the end), outside quotes.
fn key_end(s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    if first == '"' || first == '\'' {
        let close = s[1..].find(first)? + 1;
        return (s[close + 1..].starts_with(':')).then_some(close + 1).filter(|k| s[k + 1..].is_empty() || s[k + 1..].starts_with(' '));
    }
    if first == '{' || first == '[' {
        return None;
    }
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' '))
}

fn scalar(v: &str) -> Tok {
    let t = v.trim_end();
    match t {
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" => return Tok::Bool,
        "null" | "~" | "Null" | "NULL" => return Tok::Null,
        _ => {}
    }
    if matches!(t, "|" | ">" | "|-" | ">-" | "|+" | ">+") {
        return Tok::Punct;
    }
    let num = t.strip_prefix('-').or_else(|| t.strip_prefix('+')).unwrap_or(t);
    if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit() || b == b'.') && num.bytes().filter(|b| *b == b'.').count() <= 1 && num != "." {
        return Tok::Num;
    }
    Tok::Str
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_lines_are_unique_and_stable_under_an_edit() {
        let text = "a:\n  spec:\n---\nb:\n  spec:\n";
        let k = keyed_lines(text);
        assert_eq!(k.len(), 6);
        assert_eq!(k.iter().map(|l| l.repeat).collect::<Vec<_>>(), [0, 0, 0, 0, 1, 0]);
        let keys: std::collections::HashSet<&KeyedLine> = k.iter().collect();
        assert_eq!(keys.len(), k.len());
        // Editing the first line keeps every other line's key.
        let edited = keyed_lines(&text.replacen("a:", "ab:", 1));
        assert_ne!(edited[0], k[0]);
        assert_eq!(edited[1..], k[1..]);
    }

    fn classes(line: &str) -> Vec<(Tok, String)> {
        highlight(line).remove(0).into_iter().filter(|(t, _)| *t != Tok::Plain).map(|(t, s)| (t, s.to_string())).collect()
    }

    #[test]
    fn classifies_keys_values_and_comments() {
        assert_eq!(classes("  replicas: 3 # three"), vec![
            (Tok::Key, "replicas".into()), (Tok::Punct, ":".into()), (Tok::Num, "3 ".into()), (Tok::Comment, "# three".into())
        ]);
        assert_eq!(classes("- image: \"nginx:1.27\""), vec![
            (Tok::Punct, "- ".into()), (Tok::Key, "image".into()), (Tok::Punct, ":".into()), (Tok::Str, "\"nginx:1.27\"".into())
        ]);
        assert_eq!(classes("url: http://x#y")[2], (Tok::Str, "http://x#y".into()));
        assert_eq!(classes("ok: true")[2].0, Tok::Bool);
        assert_eq!(classes("---"), vec![(Tok::DocSep, "---".into())]);
        assert_eq!(classes("# 파드"), vec![(Tok::Comment, "# 파드".into())]);
    }

    #[test]
    fn block_scalars_are_strings_and_lines_match() {
        let t = "data:\n  conf: |\n    a: 1\n    b: 2\n  next: x";
        let h = highlight(t);
        assert_eq!(h.len(), 5);
        assert_eq!(h[2], vec![(Tok::Str, "    a: 1")]);
        assert!(h[4].iter().any(|(t, s)| *t == Tok::Key && *s == "next"));
    }

    #[test]
    fn every_byte_survives_for_odd_input() {
        for s in ["\"unterminated: x", "'a': b", ": :", "- - -", "{a: 1}", "a:b", "\t x: 1", "😀: 파드 # 주석", "-"] {
            let joined: String = highlight(s).iter().flat_map(|l| l.iter().map(|(_, s)| *s)).collect();
            assert_eq!(joined, s);
        }
    }
}
