//! Markdown → the split, rendered prose of `prose.rs`. Runs at build time: `build.rs` includes this
//! file (and `prose.rs`) as modules and writes each lesson's prose as JSON, so pulldown-cmark never
//! reaches the browser's wasm. Also compiled into the unit tests. Only repository Markdown is
//! rendered, and raw HTML inside it is shown as text.

use super::prose::{Prose, Section};
use pulldown_cmark::{html, CowStr, Event, Options, Parser};

/// Markdown → HTML; raw HTML becomes escaped text, so no markup can arrive through prose.
pub fn to_html(md: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(md, opts).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(CowStr::from(s.to_string())),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// `## Make a pod {#make-pod}` → ("Make a pod", "make-pod").
fn section_heading(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("## ")?.trim_end();
    let open = rest.rfind("{#")?;
    let id = rest[open + 2..].strip_suffix('}')?.trim();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    Some((rest[..open].trim().to_string(), id.to_string()))
}

/// Splits and renders a prose file. Fenced code blocks are respected (a `## ` inside one is text).
pub fn parse(md: &str) -> Prose {
    let mut intro = String::new();
    let mut sections: Vec<(String, String, String)> = Vec::new();
    let mut in_fence = false;
    for line in md.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if !in_fence {
            if let Some((title, id)) = section_heading(line) {
                sections.push((id, title, String::new()));
                continue;
            }
        }
        let buf = match sections.last_mut() {
            Some(s) => &mut s.2,
            None => &mut intro,
        };
        buf.push_str(line);
        buf.push('\n');
    }
    Prose {
        intro_html: to_html(&intro),
        sections: sections.into_iter().map(|(id, title, body)| Section { id, title, html: to_html(&body) }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn splits_on_id_headings_only() {
        let p = parse("# Pods\nIntro *text*.\n\n## Make one {#make}\nRun:\n```sh\n## not a heading {#no}\n```\n### Sub\n## 정리 {#recap}\nDone <script>x</script>\n");
        assert!(p.intro_html.contains("<em>text</em>"));
        assert_eq!(p.ids(), vec!["make", "recap"]);
        let make = p.section("make").unwrap();
        assert_eq!(make.title, "Make one");
        assert!(make.html.contains("## not a heading"));
        assert!(make.html.contains("<h3>Sub</h3>"));
        assert_eq!(p.section("recap").unwrap().title, "정리");
        assert!(!p.section("recap").unwrap().html.contains("<script>"));
    }
}
