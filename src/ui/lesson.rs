//! The lesson side of a lesson page: prose (repository Markdown rendered at build time, fetched by
//! `lesson_prose`; the only HTML we insert), the steps with their state, the current step's hint,
//! and progress kept in localStorage, ticked as the cluster reaches each step's goal.

use super::lesson_prose::{self, ProseState};
use super::prefs::{lang, t};
use super::storage;
use super::workbench::WbCtx;
use crate::i18n::Lang;
use crate::lesson::{self, Lesson, Progress};
use leptos::prelude::*;
use leptos_router::components::A;

pub const PROGRESS_KEY: &str = "kubelab.progress";

pub fn lesson_lang(l: Lang) -> lesson::Lang {
    match l {
        Lang::Ko => lesson::Lang::Ko,
        Lang::En => lesson::Lang::En,
    }
}

pub fn load_progress() -> Progress {
    storage::get(PROGRESS_KEY).and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_else(Progress::new)
}

#[component]
pub fn LessonPanel(lesson: &'static Lesson) -> impl IntoView {
    let ctx = expect_context::<WbCtx>();
    let progress = RwSignal::new(load_progress().lesson(&lesson.id));
    let save_error = RwSignal::new(None::<String>);
    let prose = RwSignal::new(ProseState::Loading);
    lesson_prose::load(lesson, prose);
    let retry = move |_| lesson_prose::load(lesson, prose);
    // Tick steps as the cluster changes; save when something ticked.
    Effect::new(move |_| {
        if !ctx.booted() {
            return; // the stand-in cluster before the boot is nobody's work
        }
        let ticked = ctx.wb.with(|w| {
            let mut lp = progress.get_untracked();
            let t = w.update_progress(&mut lp, lesson);
            (!t.is_empty()).then_some(lp)
        });
        if let Some(lp) = ticked {
            let mut all = load_progress();
            *all.lesson_mut(&lesson.id) = lp.clone();
            save_error.set(storage::set(PROGRESS_KEY, &serde_json::to_string(&all).unwrap_or_default()).err());
            progress.set(lp);
        }
    });
    // The diagram draws the current step's ghosts (what it asks for) until they exist.
    Effect::new(move |_| {
        let lp = progress.get();
        let ghosts = lp.current(lesson).map(|i| lesson.steps[i].ghost.iter().filter_map(|g| g.spec()).collect()).unwrap_or_default();
        ctx.ghosts.set(ghosts);
    });
    let restart = move |_| {
        let mut all = load_progress();
        all.reset(&lesson.id);
        let _ = storage::set(PROGRESS_KEY, &serde_json::to_string(&all).unwrap_or_default());
        progress.set(all.lesson(&lesson.id));
        ctx.reset();
    };

    let body = move || {
        let l = lesson_lang(lang());
        let state = prose.get();
        let text = match &state {
            ProseState::Ready(p) => Some(p.get(l)),
            _ => None,
        };
        let section_of = |id: &str| text.and_then(|p| p.section(id));
        let lp = progress.get();
        let current = lp.current(lesson);
        let steps = lesson
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let state = if lp.done.contains(&s.id) { "done" } else if Some(i) == current { "current" } else { "todo" };
                let mark = match state {
                    "done" => "✓",
                    "current" => "→",
                    _ => "·",
                };
                view! { <li class=state aria-current=(state == "current").then_some("step")><span aria-hidden="true">{mark}</span>" "{s.title.get(l).to_string()}</li> }
            })
            .collect_view();
        let section = match current {
            Some(i) => {
                let step: &'static lesson::Step = &lesson.steps[i];
                let html = section_of(&step.id).map(|s| s.html.clone()).unwrap_or_default();
                let title = section_of(&step.id).map(|s| s.title.clone()).unwrap_or_else(|| step.title.get(l).to_string());
                let hint = step.hint.get(l).to_string();
                let goal = move || ctx.wb.with(|w| w.check(step).detail.get(lesson_lang(lang())).to_string());
                view! {
                    <h2>{title}</h2>
                    <div class="prose" inner_html=html></div>
                    <p class="goal"><strong>{t("lesson.goal")}</strong>" "{goal}</p>
                    <details class="hint"><summary>{t("lesson.hint")}</summary><p>{hint}</p></details>
                }
                .into_any()
            }
            None => {
                let html = section_of("recap").map(|s| s.html.clone()).unwrap_or_default();
                let next = lesson::next(&lesson.id);
                view! {
                    <h2>{t("lesson.complete")}</h2>
                    <div class="prose" inner_html=html></div>
                    {next.map(|n| view! { <A href=format!("/lessons/{}", n.id) attr:class="button primary">{format!("{} {:02}. {}", t("lesson.next"), n.number, n.title.get(l))}</A> })}
                }
                .into_any()
            }
        };
        view! {
            // The prose starts with the lesson's own `# Title`; this line only numbers it.
            <p class="kicker">{crate::i18n::fill(t("lesson.number"), &[("n", &format!("{:02}", lesson.number))])}</p>
            {match (&state, text) {
                (_, Some(p)) => view! { <div class="prose intro" inner_html=p.intro_html.clone()></div> }.into_any(),
                (ProseState::Failed(e), _) => view! {
                    <div class="notice error prose-failed" role="alert">
                        <p>{crate::i18n::fill(t("lesson.prose_failed"), &[("error", e)])}</p>
                        <button type="button" on:click=retry>{t("lesson.retry")}</button>
                    </div>
                }
                .into_any(),
                _ => view! { <p class="muted prose-loading" role="status">{t("lesson.loading")}</p> }.into_any(),
            }}
            <ol class="steps" aria-label=t("lesson.steps")>{steps}</ol>
            {section}
        }
    };
    view! {
        <aside class="lesson">
            {body}
            {move || save_error.get().map(|e| view! { <p class="notice error" role="alert">{crate::i18n::fill(t("persist.quota"), &[("error", &e)])}</p> })}
            <p><button type="button" on:click=restart>{move || t("lesson.restart")}</button></p>
        </aside>
    }
}
