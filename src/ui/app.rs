//! The app shell: skip link, header (navigation, language and theme switches), routes, 404.

use super::home::Home;
use super::prefs::{self, t, Prefs};
use super::workbench::WorkbenchPage;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_params_map;
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let p = prefs::provide();
    let base = super::storage::base_path();
    let base = base.trim_end_matches('/').to_string();
    view! {
        <Router base=base>
            <a class="skip" href="#main">{move || t("app.skip")}</a>
            <header class="top">
                <A href="/" attr:class="brand">"kubelab"</A>
                <nav aria-label=move || t("nav.label")>
                    <A href="/">{move || t("nav.lessons")}</A>
                    <A href="/playground">{move || t("nav.playground")}</A>
                </nav>
                <div class="switches">
                    <div class="lang" role="group" aria-label=move || t("header.language")>
                        <LangButton p=p l=Lang::Ko label="한국어" />
                        <LangButton p=p l=Lang::En label="English" />
                    </div>
                    <button class="theme" type="button" aria-pressed=move || p.dark.get().to_string()
                        on:click=move |_| p.toggle_theme()>
                        {move || if p.dark.get() { t("header.theme_light") } else { t("header.theme_dark") }}
                    </button>
                </div>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/playground") view=|| view! { <WorkbenchPage scope="playground".to_string() start=String::new() /> } />
                    <Route path=path!("/lessons/:slug") view=LessonPage />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn LangButton(p: Prefs, l: Lang, label: &'static str) -> impl IntoView {
    view! {
        <button type="button" lang=l.code() aria-pressed=move || (p.lang.get() == l).to_string()
            on:click=move |_| p.choose_lang(l)>{label}</button>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="notfound">
            <h1>{move || t("notfound.title")}</h1>
            <p>{move || t("notfound.body")}</p>
            <A href="/">{move || t("notfound.home")}</A>
        </section>
    }
}

/// `/lessons/<slug>`: the lesson's prose beside a workbench that starts from its manifest.
#[component]
fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let slug = params.with(|p| p.get("slug").unwrap_or_default());
        match crate::lesson::find(&slug) {
            Some(l) => view! { <WorkbenchPage scope=format!("lesson.{slug}") start=l.start.clone() lesson=l /> }.into_any(),
            None => view! {
                <section class="notfound">
                    <h1>{move || t("notfound.title")}</h1>
                    <p>{move || crate::i18n::fill(t("lesson.missing"), &[("slug", &slug)])}</p>
                    <A href="/">{move || t("notfound.home")}</A>
                </section>
            }
            .into_any(),
        }
    }
}
