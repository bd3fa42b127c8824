//! [`super::parse_all`] for an editor: a keystroke changes one `---` chunk of the manifest, so
//! the documents of every other chunk (same text on the same lines) are reused instead of parsed
//! again. Only plain manifests take this path; anything whose chunks might not parse alone
//! exactly as they parse together (an error, anchors and aliases, directives, `...`, CR) is
//! parsed whole, and native debug builds check every answer against `parse_all`.

use super::{parse_all, yaml, Document, IntakeError};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// The documents of each chunk parsed at the last call, by a hash of its text and first line.
#[derive(Clone, Debug, Default)]
pub struct ParseCache {
    chunks: HashMap<u64, Vec<Document>>,
}

impl ParseCache {
    /// What `parse_all(text)` returns.
    pub fn parse(&mut self, text: &str) -> (Vec<Document>, Option<IntakeError>) {
        let out = self.parse_chunks(text).unwrap_or_else(|| {
            self.chunks.clear();
            parse_all(text)
        });
        if cfg!(debug_assertions) && !cfg!(target_arch = "wasm32") {
            assert_eq!(out, parse_all(text), "the chunked parse differs from parse_all");
        }
        out
    }

    /// The chunked parse, or None where only a whole parse is exact.
    fn parse_chunks(&mut self, text: &str) -> Option<(Vec<Document>, Option<IntakeError>)> {
        // Chunks parse alone as they parse together when no document can reach into another:
        // anchors (`&`, `*`; `*` also stands in cron schedules, which then parse whole), `%`
        // directives, `...` ends, CRs (line counting), and the stream-wide bounds (at most 128 KB:
        // too few bytes for the 200,000 nodes a whole stream may hold).
        let plain = text.len() <= yaml::MAX_INPUT / 8
            && !text.bytes().any(|b| matches!(b, b'&' | b'*' | b'%' | b'\r'))
            && !text.lines().any(|l| l.starts_with("..."));
        if !plain {
            return None;
        }
        let seps = yaml::separator_lines(text);
        if seps.len() + 1 >= yaml::MAX_DOCS {
            return None;
        }
        // Byte offset of each chunk's first line: the text start, then every separator line.
        let mut starts = vec![(1u32, 0usize)];
        let mut line = 1u32;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line += 1;
                if seps.binary_search(&line).is_ok() {
                    starts.push((line, i + 1));
                }
            }
        }
        let mut next = HashMap::with_capacity(starts.len());
        let mut docs = Vec::new();
        for (k, &(first, from)) in starts.iter().enumerate() {
            let to = starts.get(k + 1).map_or(text.len(), |s| s.1);
            let chunk = &text[from..to];
            let mut h = DefaultHasher::new();
            (chunk, first).hash(&mut h);
            let key = h.finish();
            let parsed = match self.chunks.remove(&key) {
                Some(d) => d,
                None => {
                    // Blank lines first, so libyaml numbers the chunk's lines as in the whole text.
                    let mut padded = "\n".repeat(first as usize - 1);
                    padded.push_str(chunk);
                    match parse_all(&padded) {
                        (d, None) => d,
                        _ => return None,
                    }
                }
            };
            docs.extend(parsed.iter().cloned());
            next.insert(key, parsed);
        }
        self.chunks = next;
        Some((docs, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: NAME\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: NAME\n  template:\n    metadata:\n      labels:\n        app: NAME\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

    fn manifest(n: usize) -> String {
        (0..n).map(|i| DEPLOY.replace("NAME", &format!("app{i}"))).collect::<Vec<_>>().join("---\n")
    }

    #[test]
    fn edits_reuse_the_other_chunks_and_equal_a_whole_parse() {
        let mut c = ParseCache::default();
        let text = manifest(4);
        assert_eq!(c.parse(&text), parse_all(&text));
        assert_eq!(c.chunks.len(), 4);
        // One digit changed in the third document: still four chunks, and the same answer.
        let at = text.match_indices("replicas: 2").nth(2).unwrap().0 + "replicas: ".len();
        let edited = format!("{}3{}", &text[..at], &text[at + 1..]);
        let (docs, err) = c.parse(&edited);
        assert!(err.is_none());
        assert_eq!(docs[2].value["spec"]["replicas"], 3);
        assert_eq!(docs[3].start_line, parse_all(&edited).0[3].start_line);
        // A line added at the top moves every document down a line.
        let moved = format!("# note\n{edited}");
        assert_eq!(c.parse(&moved), parse_all(&moved));
        assert_eq!(c.parse(&moved).0[1].lines.line_of("spec.replicas"), Some(25));
    }

    #[test]
    fn what_only_parses_whole_is_parsed_whole() {
        let mut c = ParseCache::default();
        for text in [
            // A syntax error in one chunk (kubectl reports it relative to its chunk).
            format!("{}---\nkind: [\n", manifest(2)),
            // Anchors, a cron schedule, a directive, an explicit end, CRLF.
            "a: &x 1\nb: *x\n".to_string(),
            "schedule: \"*/5 * * * *\"\n---\nkind: Pod\n".to_string(),
            "%YAML 1.1\n---\na: 1\n".to_string(),
            "a: 1\n...\n---\nb: 2\n".to_string(),
            "a: 1\r\n---\r\nb: 2\r\n".to_string(),
            // A quoted string running over a separator line.
            "a: \"x\n---\ny\"\n".to_string(),
            String::new(),
            "---\n---\n".to_string(),
        ] {
            assert_eq!(c.parse(&text), parse_all(&text), "{text:?}");
        }
    }
}
