//! Language and theme: chosen from `?lang=`, then what the learner picked before
//! (localStorage), then the browser (`navigator.language`, `prefers-color-scheme`); kept in
//! context as signals; `t(key)` reads the current language so text re-renders on a switch.

use super::storage;
use crate::i18n::{tr, Lang};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Prefs {
    pub lang: RwSignal<Lang>,
    pub dark: RwSignal<bool>,
}

/// The UI string for `key` in the current language (reactive when called inside a closure).
pub fn t(key: &'static str) -> &'static str {
    let lang = use_context::<Prefs>().map(|p| p.lang.get()).unwrap_or_default();
    tr(lang, key)
}

pub fn lang() -> Lang {
    use_context::<Prefs>().map(|p| p.lang.get()).unwrap_or_default()
}

fn query_lang() -> Option<Lang> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    Lang::parse(&params.get("lang")?)
}

/// The language the page starts in.
pub fn initial_lang() -> Lang {
    query_lang()
        .or_else(|| storage::get(storage::LANG_KEY).and_then(|s| Lang::parse(&s)))
        .or_else(|| web_sys::window().and_then(|w| w.navigator().language()).map(|l| Lang::from_tag(&l)))
        .unwrap_or_default()
}

fn initial_dark() -> bool {
    match storage::get(storage::THEME_KEY).as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches()),
    }
}

/// Creates the signals, provides them, and keeps `<html lang>`, `data-theme` and the URL in step.
pub fn provide() -> Prefs {
    let p = Prefs { lang: RwSignal::new(initial_lang()), dark: RwSignal::new(initial_dark()) };
    provide_context(p);
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    let r = root.clone();
    Effect::new(move |_| {
        let l = p.lang.get();
        if let Some(r) = &r {
            let _ = r.set_attribute("lang", l.code());
        }
    });
    Effect::new(move |_| {
        let d = p.dark.get();
        if let Some(r) = &root {
            let _ = r.set_attribute("data-theme", if d { "dark" } else { "light" });
        }
    });
    p
}

impl Prefs {
    /// A choice by the learner: remembered, and a `?lang=` in the address follows it.
    pub fn choose_lang(self, l: Lang) {
        self.lang.set(l);
        let _ = storage::set(storage::LANG_KEY, l.code());
        if query_lang().is_some_and(|q| q != l) {
            if let Some(w) = web_sys::window() {
                let loc = w.location();
                let search = loc.search().unwrap_or_default();
                if let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) {
                    params.set("lang", l.code());
                    let url = format!("{}?{}{}", loc.pathname().unwrap_or_default(), String::from(params.to_string()), loc.hash().unwrap_or_default());
                    if let Ok(h) = w.history() {
                        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
                    }
                }
            }
        }
    }
    pub fn toggle_theme(self) {
        let d = !self.dark.get_untracked();
        self.dark.set(d);
        let _ = storage::set(storage::THEME_KEY, if d { "dark" } else { "light" });
    }
}
