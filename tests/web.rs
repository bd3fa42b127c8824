//! wasm-bindgen tests: components mount in headless Chromium and react to input.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn model_runs_in_the_browser() {
    let c = kubelab::model::Cluster::new();
    assert!(c.store.len() > 0);
}

fn doc() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("document")
}

fn text_of(sel: &str) -> String {
    doc().query_selector(sel).ok().flatten().and_then(|e| e.text_content()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_switches_language() {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item("kubelab.lang", "en");
    }
    leptos::mount::mount_to_body(kubelab::ui::app::App);
    leptos::task::tick().await;
    assert_eq!(text_of("header nav a:nth-child(2)"), "Playground");
    let ko = doc()
        .query_selector(".lang button[lang=ko]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("Korean button");
    ko.click();
    leptos::task::tick().await;
    assert_eq!(text_of("header nav a:nth-child(2)"), "실습 공간");
    assert_eq!(doc().document_element().and_then(|e| e.get_attribute("lang")).as_deref(), Some("ko"));
}
