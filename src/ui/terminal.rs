//! The kubectl terminal: a prompt with history (↑/↓, kept in localStorage), Tab completion, and
//! output from the same interpreter as the native command, on the cluster the diagram shows; it
//! also replays the commands a share link carries. The working terminal is made by the
//! simulator's module (`contents`, through `Panes`); until then the page shows a waiting prompt.

use super::prefs::t;
use super::storage;
use super::workbench::WbCtx;
use leptos::html::Input;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

const MAX_ENTRIES: usize = 200;
const MAX_HISTORY: usize = 100;

#[derive(Clone, PartialEq)]
struct Entry {
    id: u64,
    cmd: String,
    out: String,
    failed: bool,
}

fn load_history() -> Vec<String> {
    storage::get(storage::HISTORY_KEY).and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

/// Applies a completion to the line: the longest common prefix of the candidates replaces the
/// last word (candidates are whole words).
fn complete_line(line: &str, candidates: &[String]) -> String {
    let Some(first) = candidates.first() else { return line.to_string() };
    let mut common = first.clone();
    for c in &candidates[1..] {
        let n = common.chars().zip(c.chars()).take_while(|(a, b)| a == b).count();
        common = common.chars().take(n).collect();
    }
    let head = match line.rfind(' ') {
        Some(i) => &line[..=i],
        None => "",
    };
    let word = &line[head.len()..];
    if common.len() < word.len() {
        return line.to_string();
    }
    let tail = if candidates.len() == 1 { " " } else { "" };
    format!("{head}{common}{tail}")
}

/// The terminal's place: until the simulator's module has loaded, a prompt that waits (disabled).
#[component]
pub fn Terminal() -> impl IntoView {
    let ctx = expect_context::<WbCtx>();
    move || match ctx.panes.get() {
        Some(p) => (p.terminal)(),
        None => view! {
            <div class="terminal">
                <div class="term-log" role="log" aria-live="polite" aria-label=move || t("terminal.output")></div>
                <div class="prompt-line">
                    <label for="term-input" class="prompt">"$"</label>
                    <input id="term-input" disabled=true type="text" placeholder=move || t("terminal.placeholder") aria-label=move || t("terminal.input") />
                </div>
            </div>
        }
        .into_any(),
    }
}

/// The working terminal: made by the simulator's module (`Panes`), so its code ships there.
pub fn contents() -> AnyView {
    let ctx = expect_context::<WbCtx>();
    let input: NodeRef<Input> = NodeRef::new();
    let entries = RwSignal::new(Vec::<Entry>::new());
    let history = StoredValue::new(load_history());
    let pos = StoredValue::new(None::<usize>);
    let next_id = StoredValue::new(0u64);
    let value = move || input.get_untracked().map(|i| i.value()).unwrap_or_default();
    let set_value = move |v: &str| {
        if let Some(i) = input.get_untracked() {
            i.set_value(v);
            let n = v.encode_utf16().count() as u32;
            let _ = i.set_selection_range(n, n);
        }
    };
    let push = move |cmd: String, out: String, failed: bool| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        entries.update(|e| {
            e.push(Entry { id, cmd, out, failed });
            if e.len() > MAX_ENTRIES {
                e.drain(..e.len() - MAX_ENTRIES);
            }
        });
    };

    // A share link's commands run as if typed, in order, once the terminal is there.
    Effect::new(move |_| {
        let cmds = ctx.replay.get();
        if cmds.is_empty() || !ctx.booted() {
            return;
        }
        ctx.replay.set(Vec::new());
        for cmd in cmds {
            let out = ctx.run(&cmd);
            push(cmd, format!("{}{}", out.stdout, out.stderr), out.exit_code != 0);
        }
    });

    let on_keydown = move |ev: KeyboardEvent| {
        if ev.is_composing() {
            return;
        }
        match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                let line = value();
                set_value("");
                pos.set_value(None);
                let trimmed = line.trim().to_string();
                if !trimmed.is_empty() {
                    history.update_value(|h| {
                        if h.last() != Some(&trimmed) {
                            h.push(trimmed.clone());
                        }
                        if h.len() > MAX_HISTORY {
                            h.drain(..h.len() - MAX_HISTORY);
                        }
                        let _ = storage::set(storage::HISTORY_KEY, &serde_json::to_string(h).unwrap_or_default());
                    });
                }
                if trimmed == "clear" {
                    entries.set(Vec::new());
                    return;
                }
                let out = ctx.run(&trimmed);
                push(line, format!("{}{}", out.stdout, out.stderr), out.exit_code != 0);
            }
            "ArrowUp" | "ArrowDown" => {
                ev.prevent_default();
                let up = ev.key() == "ArrowUp";
                let h = history.get_value();
                if h.is_empty() {
                    return;
                }
                let next = match (pos.get_value(), up) {
                    (None, true) => Some(h.len() - 1),
                    (None, false) => None,
                    (Some(0), true) => Some(0),
                    (Some(p), true) => Some(p - 1),
                    (Some(p), false) if p + 1 < h.len() => Some(p + 1),
                    (Some(_), false) => None,
                };
                pos.set_value(next);
                set_value(next.and_then(|p| h.get(p)).map(String::as_str).unwrap_or(""));
            }
            "Tab" if !ev.shift_key() && !value().is_empty() => {
                ev.prevent_default();
                let line = value();
                let cands = ctx.wb.with_untracked(|w| w.complete(&line));
                if cands.len() > 1 {
                    push(line.clone(), cands.join("  ") + "\n", false);
                }
                set_value(&complete_line(&line, &cands));
            }
            _ => {}
        }
    };

    view! {
        <div class="terminal" on:click=move |_| { if let Some(i) = input.get_untracked() { let _ = i.focus(); } }>
            <div class="term-log" role="log" aria-live="polite" aria-label=move || t("terminal.output")>
                <For each=move || entries.get() key=|e| e.id let(e)>
                    <div class="entry">
                        <div class="cmd"><span class="prompt" aria-hidden="true">"$ "</span>{e.cmd}</div>
                        <pre class:failed=e.failed>{e.out}</pre>
                    </div>
                </For>
            </div>
            <div class="prompt-line">
                <label for="term-input" class="prompt">"$"</label>
                <input id="term-input" node_ref=input disabled=move || !ctx.booted() type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
                    placeholder=move || t("terminal.placeholder") aria-label=move || t("terminal.input") on:keydown=on_keydown />
            </div>
        </div>
    }
    .into_any()
}
