//! Share links: workbench state ⇄ URL fragment. The state travels only in the fragment (never sent
//! to a server) as `#v1:` + base64url(raw deflate(JSON)). Links are untrusted input: decoding is
//! bounded in input length, output size and content, and every failure is a clear error.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The version prefix of the current format.
pub const PREFIX: &str = "v1:";
/// Longest fragment we try to decode (characters after `#`).
pub const MAX_FRAGMENT: usize = 64 * 1024;
/// Largest decompressed state: a deflate bomb stops here.
pub const MAX_STATE_BYTES: usize = 512 * 1024;
/// Longest link we offer to copy. Chat apps and some browsers cut long URLs; past this the page
/// offers a download of the manifest instead.
pub const MAX_LINK: usize = 8_000;
/// Most terminal commands a link may carry.
pub const MAX_HISTORY: usize = 200;

/// What a link restores.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedState {
    /// The editor text, byte for byte.
    #[serde(rename = "t")]
    pub text: String,
    /// Lesson slug, if shared from a lesson page.
    #[serde(rename = "l", default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// Step id within the lesson.
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// `ko` or `en`.
    #[serde(rename = "g", default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Diagram view name.
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// Terminal commands to replay, oldest first.
    #[serde(rename = "h", default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<String>,
}

/// Why a link could not be opened. `Display` is English; the UI translates by variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// No `v1:` prefix: not a kubelab link, or from a newer version.
    UnknownVersion,
    TooLong,
    /// Not base64url.
    BadEncoding,
    /// Not a deflate stream, or truncated.
    BadCompression,
    /// Decompresses past `MAX_STATE_BYTES`.
    TooLarge,
    /// Not UTF-8 or not the expected JSON shape.
    BadContent,
    /// A field holds something no real state has (unknown language, slug with odd characters…).
    BadField(&'static str),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::UnknownVersion => write!(f, "this link is not a kubelab share link (or comes from a newer version)"),
            ShareError::TooLong => write!(f, "this link is longer than {MAX_FRAGMENT} characters"),
            ShareError::BadEncoding => write!(f, "this link is damaged: it is not valid base64url"),
            ShareError::BadCompression => write!(f, "this link is damaged or cut short: its data does not decompress"),
            ShareError::TooLarge => write!(f, "this link unpacks to more than {MAX_STATE_BYTES} bytes"),
            ShareError::BadContent => write!(f, "this link is damaged: its content is not a kubelab state"),
            ShareError::BadField(name) => write!(f, "this link holds an invalid {name}"),
        }
    }
}

impl std::error::Error for ShareError {}

/// State → fragment (without `#`).
pub fn encode(state: &SharedState) -> String {
    let json = serde_json::to_vec(state).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// A full link: `base` (e.g. `https://example.org/kubelab/playground`) + `#` + fragment.
pub fn link(base: &str, state: &SharedState) -> String {
    format!("{}#{}", base.split('#').next().unwrap_or(base), encode(state))
}

/// Fragment (with or without `#`, or a whole URL) → state. Never panics; bounded work.
pub fn decode(input: &str) -> Result<SharedState, ShareError> {
    let frag = match input.find('#') {
        Some(i) => &input[i + 1..],
        None => input,
    };
    if frag.len() > MAX_FRAGMENT {
        return Err(ShareError::TooLong);
    }
    let body = frag.trim().strip_prefix(PREFIX).ok_or(ShareError::UnknownVersion)?;
    let packed = URL_SAFE_NO_PAD.decode(body.trim_end_matches('=')).map_err(|_| ShareError::BadEncoding)?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_STATE_BYTES).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
        _ => ShareError::BadCompression,
    })?;
    let text = std::str::from_utf8(&raw).map_err(|_| ShareError::BadContent)?;
    let state: SharedState = serde_json::from_str(text).map_err(|_| ShareError::BadContent)?;
    check(&state)?;
    Ok(state)
}

fn slug_like(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Field checks: only shapes a real state can have pass (the UI still treats all text as text).
fn check(s: &SharedState) -> Result<(), ShareError> {
    if s.lesson.as_deref().is_some_and(|l| !slug_like(l)) {
        return Err(ShareError::BadField("lesson"));
    }
    if s.step.as_deref().is_some_and(|l| !slug_like(l)) {
        return Err(ShareError::BadField("step"));
    }
    if s.lang.as_deref().is_some_and(|l| l != "ko" && l != "en") {
        return Err(ShareError::BadField("language"));
    }
    if s.view.as_deref().is_some_and(|l| !slug_like(l)) {
        return Err(ShareError::BadField("view"));
    }
    if s.history.len() > MAX_HISTORY || s.history.iter().any(|h| h.len() > 4096 || h.contains('\n')) {
        return Err(ShareError::BadField("terminal history"));
    }
    Ok(())
}

/// Where a link opened on a page belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// This page: open it here.
    Here,
    /// It was made in another lesson (a known slug): offer to go there.
    Lesson(String),
    /// It was made in the playground but opened on a lesson page.
    Playground,
}

/// Compares the lesson a link names with the page's (`None` = the playground). A link naming a
/// lesson this site does not have opens here: there is nowhere better to send it.
pub fn placement(link: Option<&str>, page: Option<&str>, known: impl Fn(&str) -> bool) -> Placement {
    match (link, page) {
        (l, p) if l == p => Placement::Here,
        (Some(l), _) if known(l) => Placement::Lesson(l.to_string()),
        (Some(_), _) => Placement::Here,
        (None, Some(_)) => Placement::Playground,
        (None, None) => Placement::Here,
    }
}

/// The commands a link may carry: the newest `MAX_HISTORY` single lines a link accepts.
pub fn history_for_link(commands: &[String]) -> Vec<String> {
    let ok: Vec<&String> = commands.iter().filter(|c| !c.trim().is_empty() && c.len() <= 4096 && !c.contains('\n')).collect();
    ok[ok.len().saturating_sub(MAX_HISTORY)..].iter().map(|c| c.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(text: &str) -> SharedState {
        SharedState { text: text.into(), lang: Some("ko".into()), lesson: Some("05-deployment".into()), ..Default::default() }
    }

    #[test]
    fn round_trip_keeps_text_byte_for_byte() {
        let s = SharedState { history: vec!["kubectl get pods".into()], view: Some("cluster".into()), ..state("a: 1\r\n# 한국어\n\t\n") };
        assert_eq!(decode(&encode(&s)), Ok(s.clone()));
        assert_eq!(decode(&link("http://x/playground#old", &s)), Ok(s));
    }

    #[test]
    fn typical_manifest_makes_a_short_link() {
        let text = include_str!("../../tests/data/web-stack.yaml");
        let enc = encode(&state(text));
        assert!(text.len() > 1400, "fixture is a typical 1.5 KB manifest");
        assert!(enc.len() < 1000, "link fragment is {} chars", enc.len());
    }

    #[test]
    fn hostile_links_are_errors() {
        assert_eq!(decode("#v2:abc"), Err(ShareError::UnknownVersion));
        assert_eq!(decode("#v1:***"), Err(ShareError::BadEncoding));
        assert_eq!(decode("#v1:AAAA"), Err(ShareError::BadCompression));
        // A stream cut short: the compressed bytes end early.
        let packed = miniz_oxide::deflate::compress_to_vec(serde_json::to_string(&state("kind: Pod\n")).unwrap().as_bytes(), 9);
        let cut = URL_SAFE_NO_PAD.encode(&packed[..packed.len() - 3]);
        assert_eq!(decode(&format!("v1:{cut}")), Err(ShareError::BadCompression));
        // A link cut anywhere is an error, never a panic.
        let good = encode(&state("kind: Pod\n"));
        for n in 0..good.len() {
            assert!(decode(&good[..n]).is_err(), "prefix of {n} chars");
        }
        // A deflate bomb: 10 MB of zeros compresses to a few KB but must stop at the limit.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'0'; 10_000_000], 9);
        assert_eq!(decode(&format!("v1:{}", URL_SAFE_NO_PAD.encode(bomb))), Err(ShareError::TooLarge));
        // Invalid UTF-8 inside.
        let bad = miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe, 0x00], 9);
        assert_eq!(decode(&format!("v1:{}", URL_SAFE_NO_PAD.encode(bad))), Err(ShareError::BadContent));
        // Markup in fields that are not free text.
        let evil = SharedState { lesson: Some("<img src=x onerror=alert(1)>".into()), ..Default::default() };
        assert_eq!(decode(&encode(&evil)), Err(ShareError::BadField("lesson")));
        assert_eq!(decode(&"v1:".repeat(30_000)), Err(ShareError::TooLong));
    }

    #[test]
    fn a_link_from_another_page_says_where_it_belongs() {
        let known = |s: &str| s == "05-deployment" || s == "06-service";
        assert_eq!(placement(Some("05-deployment"), Some("05-deployment"), known), Placement::Here);
        assert_eq!(placement(None, None, known), Placement::Here);
        assert_eq!(placement(Some("06-service"), Some("05-deployment"), known), Placement::Lesson("06-service".into()));
        assert_eq!(placement(Some("06-service"), None, known), Placement::Lesson("06-service".into()));
        assert_eq!(placement(None, Some("05-deployment"), known), Placement::Playground);
        assert_eq!(placement(Some("99-gone"), Some("05-deployment"), known), Placement::Here);
    }

    #[test]
    fn history_in_a_link_is_bounded_and_decodes() {
        let many: Vec<String> = (0..250).map(|i| format!("kubectl get pods # {i}")).chain(["".into(), "a\nb".into()]).collect();
        let h = history_for_link(&many);
        assert_eq!(h.len(), MAX_HISTORY);
        assert_eq!(h.last().map(String::as_str), Some("kubectl get pods # 249"), "the newest commands are kept");
        let s = SharedState { history: h.clone(), view: Some("rbac".into()), ..state("kind: Pod\n") };
        assert_eq!(decode(&encode(&s)).map(|d| (d.history, d.view)), Ok((h, Some("rbac".into()))));
    }
}
