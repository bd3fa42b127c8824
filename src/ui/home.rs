//! Home: what kubelab is, the lesson map from `crate::lesson` with the learner's progress, and
//! the progress file (download / load) for moving to another browser.

use super::lesson::{load_progress, lesson_lang};
use super::prefs::{lang, t};
use crate::lesson;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let changed = RwSignal::new(0u64);
    let cards = move || {
        changed.track();
        let progress = load_progress();
        let l = lesson_lang(lang());
        lesson::catalog()
            .iter()
            .map(|les| {
                let (done, total) = progress.lesson(&les.id).fraction(les);
                let state = if total > 0 && done == total { "done" } else if done > 0 { "started" } else { "new" };
                view! {
                    <li class=format!("lesson-card {state}")>
                        <A href=format!("/lessons/{}", les.id)>
                            <span class="num">{format!("{:02}", les.number)}</span>
                            <span class="title">{les.title.get(l).to_string()}</span>
                        </A>
                        <p class="summary">{les.summary.get(l).to_string()}</p>
                        <p class="progress">{crate::i18n::fill(t("home.steps_done"), &[("done", &done.to_string()), ("total", &total.to_string())])}</p>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="home">
            <h1>{move || t("home.title")}</h1>
            <p class="lead">{move || t("home.intro")}</p>
            <p><A href="/playground" attr:class="button primary">{move || t("home.open_playground")}</A></p>
            <h2>{move || t("home.lessons")}</h2>
            <ol class="lesson-map">{cards}</ol>
            <super::progress_file::ProgressFile changed=changed />
        </section>
    }
}
