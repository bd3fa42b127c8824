//! The panic hook: logs the panic, then shows a friendly panel in the learner's language with a
//! "reload and keep my work" link. Built with plain DOM calls (text only, never HTML), since the
//! Leptos runtime cannot be trusted after a panic. The editor saves its text before every apply
//! and command, so a reload restores it.

use super::storage;
use crate::i18n::{tr, Lang};

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panel();
    }));
}

fn lang() -> Lang {
    storage::get(storage::LANG_KEY)
        .and_then(|s| Lang::parse(&s))
        .or_else(|| web_sys::window().and_then(|w| w.navigator().language()).map(|l| Lang::from_tag(&l)))
        .unwrap_or_default()
}

fn show_panel() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = doc.body() else { return };
    if doc.get_element_by_id("crash").is_some() {
        return;
    }
    let l = lang();
    let el = |tag: &str, text: &str| {
        let e = doc.create_element(tag).ok()?;
        e.set_text_content(Some(text));
        Some(e)
    };
    let Ok(panel) = doc.create_element("div") else { return };
    panel.set_id("crash");
    let _ = panel.set_attribute("role", "alertdialog");
    let _ = panel.set_attribute("aria-labelledby", "crash-title");
    if let Some(h) = el("h2", tr(l, "panic.title")) {
        h.set_id("crash-title");
        let _ = panel.append_child(&h);
    }
    if let Some(p) = el("p", tr(l, "panic.body")) {
        let _ = panel.append_child(&p);
    }
    if let Some(a) = el("a", tr(l, "panic.reload")) {
        // A plain link to this page: reloading needs no code from the crashed module.
        let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_else(|| "./".into());
        let _ = a.set_attribute("href", &href);
        let _ = a.set_attribute("class", "button");
        let _ = panel.append_child(&a);
    }
    let _ = body.append_child(&panel);
    if let Some(a) = panel.query_selector("a").ok().flatten() {
        if let Some(h) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&a) {
            let _ = h.focus();
        }
    }
}
