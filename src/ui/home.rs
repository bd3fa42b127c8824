//! Home: what kubelab is, and the lesson map (from `crate::lesson` once lessons exist).

use super::prefs::t;
use leptos::prelude::*;
use leptos_router::components::A;

/// The start manifest of a lesson, if a lesson with this slug exists.
// The lesson engine (`crate::lesson`) exposes no lessons yet; until it does, no slug matches.
pub fn lesson_start(_slug: &str) -> Option<String> {
    None
}

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section class="home">
            <h1>{move || t("home.title")}</h1>
            <p class="lead">{move || t("home.intro")}</p>
            <p><A href="/playground" attr:class="button primary">{move || t("home.open_playground")}</A></p>
            <h2>{move || t("home.lessons")}</h2>
            <p class="muted">{move || t("home.no_lessons")}</p>
        </section>
    }
}
