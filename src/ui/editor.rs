//! The manifest editor: a `<textarea>` over a highlighted `<pre>` (same font, same box), a gutter
//! with line numbers and problem markers, snippet buttons, undo/redo, and the problem list in the
//! learner's language. Text operations live in `crate::workbench::editor` (pure, tested).

use super::prefs::t;
use super::workbench::WbCtx;
use crate::i18n::fill;
use crate::manifest::Severity;
use crate::workbench::editor::{self as ops, Edit, EditKind, History};
use crate::workbench::highlight::keyed_lines;
use crate::workbench::snippets::SNIPPETS;
use leptos::html::Textarea;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

/// Above this size the text is shown without colours (highlighting would cost more than it helps).
const HIGHLIGHT_LIMIT: usize = 64 * 1024;

#[component]
pub fn Editor() -> impl IntoView {
    let ctx = expect_context::<WbCtx>();
    let area: NodeRef<Textarea> = NodeRef::new();
    let history = StoredValue::new(History::default());
    let hist_rev = RwSignal::new(0u32);
    let last = StoredValue::new(Edit::new(&ctx.text.get_untracked(), 0, 0));
    // After Escape, Tab leaves the editor instead of indenting (keyboard users are never trapped).
    let escaped = StoredValue::new(false);

    let current = move || -> Option<Edit> {
        let a = area.get_untracked()?;
        let v = a.value();
        let s = ops::utf16_to_byte(&v, a.selection_start().ok().flatten().unwrap_or(0) as usize);
        let e = ops::utf16_to_byte(&v, a.selection_end().ok().flatten().unwrap_or(0) as usize);
        Some(Edit::new(&v, s, e))
    };
    let show = move |e: &Edit| {
        if let Some(a) = area.get_untracked() {
            a.set_value(&e.text);
            let (s, en) = (ops::byte_to_utf16(&e.text, e.start) as u32, ops::byte_to_utf16(&e.text, e.end) as u32);
            let _ = a.set_selection_range(s, en);
        }
    };
    let set_edit = move |e: Edit| {
        show(&e);
        last.set_value(e.clone());
        ctx.edited(e.text);
    };
    let structural = move |f: &dyn Fn(&Edit) -> Edit| {
        if let Some(cur) = current() {
            let next = f(&cur);
            history.update_value(|h| h.record(cur, EditKind::Structural, js_sys::Date::now()));
            hist_rev.update(|n| *n += 1);
            set_edit(next);
        }
    };
    let undo = move |redo: bool| {
        let Some(cur) = current() else { return };
        let mut r = None;
        history.update_value(|h| r = if redo { h.redo(cur) } else { h.undo(cur) });
        hist_rev.update(|n| *n += 1);
        if let Some(e) = r {
            set_edit(e);
        }
    };

    // Text replaced from outside (reset, another tab): put it in the textarea.
    Effect::new(move |_| {
        ctx.replaced.track();
        let text = ctx.text.get_untracked();
        let e = Edit::new(&text, 0, 0);
        show(&e);
        last.set_value(e);
    });

    // An object picked in the diagram: bring its manifest lines into view (20px per line).
    let scroller: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        if let (Some((first, _)), Some(div)) = (ctx.focus_lines.get(), scroller.get_untracked()) {
            div.set_scroll_top((first.saturating_sub(3) * 20) as i32);
        }
    });

    let on_input = move |_| {
        let Some(cur) = current() else { return };
        history.update_value(|h| h.record(last.get_value(), EditKind::Typing, js_sys::Date::now()));
        hist_rev.update(|n| *n += 1);
        last.set_value(cur.clone());
        ctx.edited(cur.text);
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.is_composing() || ev.key_code() == 229 {
            return; // an IME (Korean input) is composing: Enter and Tab belong to it
        }
        let key = ev.key();
        let cmd = ev.ctrl_key() || ev.meta_key();
        match key.as_str() {
            "Escape" => escaped.set_value(true),
            "Tab" if escaped.get_value() => escaped.set_value(false),
            "Tab" => {
                ev.prevent_default();
                if ev.shift_key() { structural(&ops::outdent) } else { structural(&ops::indent) }
            }
            "Enter" if !cmd && !ev.alt_key() && !ev.shift_key() => {
                ev.prevent_default();
                structural(&ops::newline);
            }
            "z" | "Z" if cmd => {
                ev.prevent_default();
                undo(ev.shift_key());
            }
            "y" | "Y" if cmd => {
                ev.prevent_default();
                undo(true);
            }
            _ => escaped.set_value(false),
        }
    };
    // The textarea is exactly as big as the text, so it never scrolls itself.
    let on_scroll = move |_| {
        if let Some(a) = area.get_untracked() {
            a.set_scroll_top(0);
            a.set_scroll_left(0);
        }
    };

    let goto = move |line: u32| {
        let text = ctx.text.get_untracked();
        let start: usize = text.split('\n').take(line.saturating_sub(1) as usize).map(|l| l.len() + 1).sum();
        let e = Edit::new(&text, start, start);
        if let Some(a) = area.get_untracked() {
            let _ = a.focus();
        }
        show(&e);
    };

    let problem_lines = Memo::new(move |_| {
        ctx.wb.with(|w| w.diagnostics().iter().filter_map(|d| d.line.map(|l| (l, d.severity == Severity::Error, d.message.clone()))).collect::<Vec<_>>())
    });
    let gutter = move || {
        let n = ctx.text.with(|t| t.split('\n').count()) as u32;
        let probs = problem_lines.get();
        let focus = ctx.focus_lines.get();
        (1..=n.min(100_000))
            .map(|l| {
                let p = probs.iter().find(|(pl, _, _)| *pl == l);
                // Static class names: the keyed list clones every row's key on each keystroke.
                let focused = focus.is_some_and(|(a, b)| l >= a && l <= b);
                let class = match (p.map(|x| x.1), focused) {
                    (Some(true), false) => "gl err",
                    (Some(true), true) => "gl err focus",
                    (Some(false), false) => "gl warn",
                    (Some(false), true) => "gl warn focus",
                    (None, false) => "gl",
                    (None, true) => "gl focus",
                };
                (l, class, p.map(|x| x.2.clone()).unwrap_or_default())
            })
            .collect::<Vec<_>>()
    };
    // Keyed by line: a keystroke rebuilds the spans of the line it changed, not of the whole text.
    let too_big = move || ctx.text.with(|t| t.len() > HIGHLIGHT_LIMIT);
    let hl_lines = move || ctx.text.with(|t| if t.len() > HIGHLIGHT_LIMIT { Vec::new() } else { keyed_lines(t) });
    let plain = move || too_big().then(|| ctx.text.with(|t| format!("{t} ")));

    view! {
        <div class="editor">
            <div class="toolbar" role="toolbar" aria-label=move || t("editor.toolbar")>
                <button type="button" on:click=move |_| undo(false)
                    disabled=move || { hist_rev.track(); !history.with_value(|h| h.can_undo()) }>{move || t("editor.undo")}</button>
                <button type="button" on:click=move |_| undo(true)
                    disabled=move || { hist_rev.track(); !history.with_value(|h| h.can_redo()) }>{move || t("editor.redo")}</button>
                <span class="sep" aria-hidden="true"></span>
                <span class="label">{move || t("editor.insert")}</span>
                {SNIPPETS.iter().map(|(kind, yaml)| view! {
                    <button type="button" class="snippet" on:click=move |_| {
                        structural(&|e: &Edit| ops::append_document(&e.text, yaml));
                        if let Some(a) = area.get_untracked() { let _ = a.focus(); }
                    }>{*kind}</button>
                }).collect_view()}
            </div>
            <div class="code-scroll" node_ref=scroller>
                <div class="gutter" aria-hidden="true">
                    <For each=gutter key=|r| r.clone() let((l, class, msg))>
                        <div class=class title=msg>{l}</div>
                    </For>
                </div>
                <div class="code">
                    // Each line is its own block: an edit re-lays out the line it changed, where one
                    // inline run of the whole text re-laid out every line after the edit
                    // (BENCHMARKS.md, 2026-12-06).
                    <pre class="hl" aria-hidden="true">{plain}<For each=hl_lines key=|l| l.clone() let(l)>
                        <span class="ln">{l.toks().into_iter().map(|(tok, s)| view! { <span class=tok.css()>{s.to_string()}</span> }).collect_view()}</span>
                    </For></pre>
                    <textarea node_ref=area class="input" spellcheck="false" autocapitalize="off" autocomplete="off"
                        wrap="off" aria-label=move || t("editor.label") aria-describedby="editor-help editor-problems"
                        prop:value=ctx.text.get_untracked() on:input=on_input on:keydown=on_keydown on:scroll=on_scroll></textarea>
                </div>
            </div>
            <p id="editor-help" class="help">{move || t("editor.help")}</p>
            <Show when=move || ctx.wb.with(|w| w.stale())>
                <p class="notice stale" role="status">{move || t("editor.stale")}</p>
            </Show>
            <ul id="editor-problems" class="problems" aria-live="polite">
                {move || ctx.wb.with(|w| w.diagnostics().to_vec()).into_iter().map(|d| {
                    let cls = if d.severity == Severity::Error { "err" } else { "warn" };
                    let msg = d.message.clone();
                    match d.line {
                        Some(l) => {
                            let key = if d.severity == Severity::Error { "editor.error_line" } else { "editor.warning_line" };
                            view! { <li class=cls><button type="button" class="link" on:click=move |_| goto(l)>
                                {move || fill(t(key), &[("line", &l.to_string()), ("message", &msg)])}
                            </button></li> }.into_any()
                        }
                        None => view! { <li class=cls>{move || fill(t("editor.error_noline"), &[("message", &msg)])}</li> }.into_any(),
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
