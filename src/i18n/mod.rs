//! Korean and English UI strings as keyed data: `tr(lang, key)` and `fill` for `{name}` slots.
//! The table lives in `strings.rs`; tests check both languages exist and every key is used.

mod strings;

pub use strings::STRINGS;

/// The learner's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl Lang {
    /// From a BCP 47 tag (`ko`, `ko-KR`, `en-US`) or our own code; anything not Korean is English.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t == "ko" || t.starts_with("ko-") || t.starts_with("ko_") {
            Lang::Ko
        } else {
            Lang::En
        }
    }
    /// A strict parse for `?lang=` and stored values: only `ko` and `en`.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim() {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }
}

/// The string for `key` in `lang`; an unknown key returns the key itself (visible, never a panic).
pub fn tr(lang: Lang, key: &str) -> &str {
    match STRINGS.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, ko)) => match lang {
            Lang::En => en,
            Lang::Ko => ko,
        },
        None => key,
    }
}

/// Replaces `{name}` slots in a template with values (values are inserted as plain text).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    #[test]
    fn every_key_has_both_languages_and_is_unique() {
        let mut seen = BTreeSet::new();
        for (k, en, ko) in STRINGS {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!en.trim().is_empty(), "{k}: English missing");
            assert!(!ko.trim().is_empty(), "{k}: Korean missing");
            let slots = |s: &str| s.match_indices('{').map(|(i, _)| s[i..].split('}').next().unwrap_or("").to_string()).collect::<BTreeSet<_>>();
            assert_eq!(slots(en), slots(ko), "{k}: the two languages have different {{slots}}");
        }
    }

    #[test]
    fn lookup_and_fill() {
        assert_eq!(tr(Lang::Ko, "nav.playground"), "실습 공간");
        assert_eq!(tr(Lang::En, "nav.playground"), "Playground");
        assert_eq!(tr(Lang::En, "no.such.key"), "no.such.key");
        assert_eq!(fill(tr(Lang::Ko, "editor.error_line"), &[("line", "3"), ("message", "x")]), "3행: x");
        assert_eq!(Lang::from_tag("ko-KR"), Lang::Ko);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("kok"), Lang::En);
        assert_eq!(Lang::parse("fr"), None);
    }

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n/strings.rs") {
                if let Ok(s) = std::fs::read_to_string(&p) {
                    out.push((p.display().to_string(), s));
                }
            }
        }
    }

    /// Keys passed to `t("…")` / `tr(lang, "…")` anywhere in `src/`.
    fn called_keys(src: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for pat in ["t(\"", "tr(lang, \"", "tr(l, \"", "tr(Lang::En, \"", "tr(Lang::Ko, \""] {
            for (i, _) in src.match_indices(pat) {
                // `t("` must not be the tail of another identifier (`print("`), except `tr(`.
                let prev = src[..i].chars().next_back();
                if pat.starts_with("t(") && prev.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &src[i + pat.len()..];
                if let Some(end) = rest.find('"') {
                    keys.push(rest[..end].to_string());
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_is_used_and_every_used_key_exists() {
        let mut files = Vec::new();
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        assert!(files.len() > 5, "source scan found nothing");
        let known: BTreeSet<&str> = STRINGS.iter().map(|(k, _, _)| *k).collect();
        for (path, src) in &files {
            if path.ends_with("i18n/mod.rs") {
                continue; // this module's own tests use a made-up key on purpose
            }
            for k in called_keys(src) {
                assert!(known.contains(k.as_str()), "{path}: t(\"{k}\") has no entry in src/i18n/strings.rs");
            }
        }
        for k in &known {
            let quoted = format!("\"{k}\"");
            assert!(files.iter().any(|(p, s)| !p.ends_with("i18n/mod.rs") && s.contains(&quoted)), "key {k} is never used in src/");
        }
    }
}
