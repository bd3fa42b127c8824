//! The app shell: header with language and theme switches, routes, 404.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="top"><a href="/" class="brand">"kubelab"</a></header>
            <main>
                <Routes fallback=|| view! { <p class="notfound">"404"</p> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/playground") view=|| view! { <p>"playground"</p> } />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Home() -> impl IntoView {
    view! { <h1>"kubelab"</h1> }
}
