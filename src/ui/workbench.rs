//! The workbench page (playground and lessons): owns the `Workbench` model in a signal, shares it
//! through context with the editor, cluster view, terminal and time bar, persists the text before
//! each apply, and warns when the same page is open in another tab. The cluster starts after the
//! page's first paint: the lesson and the editor show while it boots.

use super::cluster_view::ClusterView;
use super::editor::Editor;
use super::prefs::t;
use super::storage;
use super::terminal::Terminal;
use super::timebar::TimeBar;
use super::lesson::LessonPanel;
use crate::diagram::{GhostSpec, View};
use crate::lesson::Lesson;
use crate::workbench::sim::{Booting, Simulator};
use crate::workbench::Workbench;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use std::time::Duration;

/// Manifests up to this size are applied on every keystroke; bigger ones after a pause.
const INSTANT_BYTES: usize = 32 * 1024;

/// What the workbench's parts share.
#[derive(Clone, Copy)]
pub struct WbCtx {
    pub wb: RwSignal<Box<dyn Simulator>>,
    /// The editor's current text (may differ from what is applied while it has errors).
    pub text: RwSignal<String>,
    /// Lines to highlight in the editor (set by the diagram when an object is selected).
    pub focus_lines: RwSignal<Option<(u32, u32)>>,
    /// Bumped when the text is replaced from outside the editor (reset, other tab).
    pub replaced: RwSignal<u64>,
    /// While a shared link's text is open (not yet kept), nothing is saved (see `share.rs`).
    pub hold: RwSignal<bool>,
    /// The diagram's view (the page opens it on the lesson's view or a link's; links carry it).
    pub view: RwSignal<View>,
    /// Terminal commands run on this cluster since it started (what a share link replays).
    pub commands: StoredValue<Vec<String>>,
    /// Commands for the terminal to run as if typed (a share link's history).
    pub replay: RwSignal<Vec<String>>,
    /// What the current lesson step asks for that the diagram draws faintly until it exists.
    pub ghosts: RwSignal<Vec<GhostSpec>>,
    /// The parts of the page the simulator's module draws: `None` until the cluster has booted
    /// (after the first paint; see `booted`).
    pub panes: RwSignal<Option<Panes>>,
    /// The simulator's module did not load.
    pub load_failed: RwSignal<bool>,
    scope: StoredValue<String>,
    save_error: RwSignal<Option<String>>,
    pending: StoredValue<Option<TimeoutHandle>>,
}

impl WbCtx {
    /// True once the page's cluster has booted; until then `wb` holds a stand-in that nothing
    /// may change or judge.
    pub fn booted(self) -> bool {
        self.panes.with(Option::is_some)
    }

    pub fn booted_untracked(self) -> bool {
        self.panes.with_untracked(Option::is_some)
    }

    /// The editor's text changed.
    pub fn edited(self, new_text: String) {
        let n = new_text.len();
        self.text.set(new_text);
        if let Some(h) = self.pending.get_value() {
            h.clear();
        }
        if n <= INSTANT_BYTES {
            self.commit();
        } else {
            let h = set_timeout_with_handle(move || self.commit(), Duration::from_millis(300)).ok();
            self.pending.set_value(h);
        }
    }

    /// Saves the text (first: applying is the risky step), then applies it.
    fn commit(self) {
        let Some(text) = self.text.try_get_untracked() else { return };
        self.save(&text);
        if !self.booted_untracked() {
            return; // the boot applies the text as it is then
        }
        self.wb.update(|w| {
            w.set_text(&text);
        });
    }

    pub fn save(self, text: &str) {
        if self.hold.get_untracked() {
            return;
        }
        let key = storage::text_key(&self.scope.get_value());
        let r = storage::set(&key, text);
        self.save_error.set(r.err());
    }

    /// Replaces the editor's text from outside (reset, another tab's version).
    pub fn replace_text(self, text: String) {
        self.text.set(text);
        self.replaced.update(|n| *n += 1);
        self.commit();
    }

    /// Reset to the start: fresh cluster, start manifest.
    pub fn reset(self) {
        if !self.booted_untracked() {
            return;
        }
        let mut start = String::new();
        self.wb.update(|w| start = w.reset());
        self.commands.set_value(Vec::new());
        self.save(&start);
        self.text.set(start);
        self.replaced.update(|n| *n += 1);
    }

    /// A terminal line, run on the cluster (text saved first).
    pub fn run(self, line: &str) -> crate::kubectl::CmdOutput {
        if !self.booted_untracked() {
            return crate::kubectl::CmdOutput::default(); // the terminal waits for the boot
        }
        self.save(&self.text.get_untracked());
        self.commands.update_value(|c| c.push(line.to_string()));
        let mut out = None;
        self.wb.update(|w| out = Some(w.run(line)));
        out.unwrap_or_default()
    }
}

#[component]
pub fn WorkbenchPage(scope: String, start: String, #[prop(optional)] lesson: Option<&'static Lesson>) -> impl IntoView {
    let saved = storage::get(&storage::text_key(&scope));
    let opened = super::share::from_location();
    // A link made on another page is not loaded until the learner says so (see `ShareBar`).
    let link = super::share::opens_here(&opened, lesson);
    let mine = saved.clone().unwrap_or_else(|| start.clone());
    let saved = link.as_ref().map(|l| l.text.clone()).or(saved);
    let view = link.as_ref().and_then(|l| l.view.as_deref()).and_then(View::from_id);
    let view = view.or(lesson.map(|l| l.initial_view())).unwrap_or(View::Cluster);
    let initial = match saved {
        Some(s) if s != start => s,
        _ => start.clone(),
    };
    let ctx = WbCtx {
        // The simulator is a second wasm module, fetched as the page mounts and booted after
        // the first paint (`start_simulator`): until then the page shows the lesson and the
        // editor, and holds this stand-in, which has no cluster.
        wb: RwSignal::new(Box::new(Booting)),
        text: RwSignal::new(initial),
        focus_lines: RwSignal::new(None),
        replaced: RwSignal::new(0),
        hold: RwSignal::new(link.is_some()),
        view: RwSignal::new(view),
        commands: StoredValue::new(Vec::new()),
        replay: RwSignal::new(link.map(|l| l.history).unwrap_or_default()),
        ghosts: RwSignal::new(Vec::new()),
        panes: RwSignal::new(None),
        load_failed: RwSignal::new(false),
        scope: StoredValue::new(scope.clone()),
        save_error: RwSignal::new(None),
        pending: StoredValue::new(None),
    };
    provide_context(ctx);
    // After the first paint (a timeout queued from the frame callback runs once it is drawn).
    let boot = move || {
        let Some(text) = ctx.text.try_get_untracked() else { return }; // the page has gone
        let start = start.clone();
        leptos::task::spawn_local(async move {
            let Ok((mut model, panes)) = start_simulator(lesson, start, text.clone()).await else {
                let _ = ctx.load_failed.try_set(true); // the loader logged why
                return;
            };
            // The learner may have typed while the module loaded.
            match ctx.text.try_get_untracked() {
                Some(now) if now != text => model.set_text(&now),
                Some(_) => {}
                None => return, // the page has gone
            }
            let _ = ctx.wb.try_set(model);
            let _ = ctx.panes.try_set(Some(panes));
            storage::page_started();
        });
    };
    // The simulator's module is fetched and compiled (off the main thread) while the page paints.
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        let _ = preload_simulator().await;
    });
    request_animation_frame(move || set_timeout(boot, Duration::ZERO));

    // Two tabs on the same page: announce ourselves; answer others; notice their saves.
    let other_tab = RwSignal::new(false);
    let (text_key, ping, pong) = (storage::text_key(&scope), storage::ping_key(&scope), storage::pong_key(&scope));
    // Whole milliseconds: printing an f64 would link float formatting (11 KB) into the page.
    let now = (js_sys::Date::now() as u64).to_string();
    storage::on_other_tab_change({
        let pong = pong.clone();
        move |k, _v| {
            if k == ping {
                let _ = storage::set(&pong, &(js_sys::Date::now() as u64).to_string());
            }
            if k == ping || k == pong || k == text_key {
                let _ = other_tab.try_set(true);
            }
        }
    });
    let _ = storage::set(&storage::ping_key(&scope), &now);
    let scope_for_load = scope.clone();
    let load_theirs = move |_| {
        if let Some(s) = storage::get(&storage::text_key(&scope_for_load)) {
            ctx.replace_text(s);
        }
        other_tab.set(false);
    };

    let panel = lesson.map(|l| view! { <LessonPanel lesson=l /> });
    view! {
        <div class="page" class:with-lesson=lesson.is_some()>
        {panel}
        <div class="workbench">
            <Show when=move || other_tab.get()>
                <div class="notice warn" role="status">
                    <span>{move || t("persist.other_tab")}</span>
                    <button type="button" on:click=load_theirs.clone()>{move || t("persist.load_theirs")}</button>
                    <button type="button" on:click=move |_| other_tab.set(false)>{move || t("persist.dismiss")}</button>
                </div>
            </Show>
            {move || ctx.save_error.get().map(|e| view! {
                <div class="notice error" role="alert">{crate::i18n::fill(t("persist.quota"), &[("error", &e)])}</div>
            })}
            <super::share::ShareBar opened=opened mine=mine lesson=lesson />
            <TimeBar />
            <div class="panes">
                <section class="pane editor-pane" aria-labelledby="editor-title">
                    <h2 id="editor-title" class="pane-title">{move || t("editor.title")}</h2>
                    <Editor />
                </section>
                <section class="pane cluster-pane" aria-labelledby="cluster-title">
                    <h2 id="cluster-title" class="pane-title">{move || t("cluster.title")}</h2>
                    <ClusterView />
                </section>
                <section class="pane terminal-pane" aria-labelledby="terminal-title">
                    <h2 id="terminal-title" class="pane-title">{move || t("terminal.title")}</h2>
                    <Terminal />
                </section>
            </div>
        </div>
        </div>
    }
}

/// The page's one way into the simulator, and the split point of the wasm: with the `split`
/// feature (the site's build, see index.html) this call first loads the second module
/// (`scripts/split.sh`), which holds the model, kubectl and the manifest checks, and runs there.
/// A module that does not load (offline on a first visit) is an `Err`, not a panic. Without the
/// feature (the wasm tests, which are not split) it is a plain call.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(simulator, fallible, preload(preload_simulator), wasm_split_path = leptos::wasm_split)]
fn start_simulator(lesson: Option<&'static Lesson>, start: String, text: String) -> Result<(Box<dyn Simulator>, Panes), SplitLoaderError> {
    Ok(boot_simulator(lesson, &start, &text))
}

#[cfg(not(feature = "split"))]
async fn start_simulator(lesson: Option<&'static Lesson>, start: String, text: String) -> Result<(Box<dyn Simulator>, Panes), SplitLoaderError> {
    Ok(boot_simulator(lesson, &start, &text))
}

/// Boots the cluster (bootstrap, the lesson's setup, the manifest applied and settled): the
/// first thing the simulator's module does.
fn boot_simulator(lesson: Option<&'static Lesson>, start: &str, text: &str) -> (Box<dyn Simulator>, Panes) {
    let mut model = match lesson {
        Some(l) => Workbench::with_cluster(l.fresh_cluster(), start),
        None => Workbench::new(start),
    };
    if text != start {
        model.set_text(text);
    }
    (Box::new(model), Panes { cluster: super::cluster_view::contents, terminal: super::terminal::contents, link: crate::share::link })
}

/// Views the simulator's module makes: their code (the diagram, its layout, the objects table)
/// is reached only through these pointers, so it ships in that module.
#[derive(Clone, Copy)]
pub struct Panes {
    pub cluster: fn() -> AnyView,
    pub terminal: fn() -> AnyView,
    /// `crate::share::link`: making a share link (opening one stays in the page).
    pub link: fn(&str, &crate::share::SharedState) -> String,
}
