//! A lesson's prose is not in the wasm (it would be most of the initial download): the page fetches
//! the lesson's own file (`Lesson::prose_file`, content-hashed, cached by the offline worker) when
//! the lesson opens, and keeps it for the rest of the visit, so language switches and revisits
//! need no fetch.

use crate::lesson::{self, Lesson, LessonProse};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Debug)]
pub enum ProseState {
    Loading,
    Ready(Arc<LessonProse>),
    /// Why the file could not be fetched or read.
    Failed(String),
}

thread_local! {
    static FETCHED: RefCell<HashMap<String, Arc<LessonProse>>> = RefCell::new(HashMap::new());
}

/// The lesson's prose if this visit already fetched it; otherwise `Loading`, and a fetch that sets
/// `state` when it ends.
pub fn load(l: &'static Lesson, state: RwSignal<ProseState>) {
    if let Some(p) = FETCHED.with(|f| f.borrow().get(&l.id).cloned()) {
        state.set(ProseState::Ready(p));
        return;
    }
    state.set(ProseState::Loading);
    leptos::task::spawn_local(async move {
        let got = fetch_text(&l.prose_file).await.and_then(|text| lesson::parse_prose(l, &text).map_err(|e| e.message));
        let next = match got {
            Ok(p) => {
                let p = Arc::new(p);
                FETCHED.with(|f| f.borrow_mut().insert(l.id.clone(), p.clone()));
                ProseState::Ready(p)
            }
            Err(e) => ProseState::Failed(e),
        };
        // The page may have moved on to another lesson meanwhile.
        let _ = state.try_set(next);
    });
}

/// GET a path relative to the document's base URL (the site root) as text.
async fn fetch_text(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(path)).await.map_err(js_error)?.unchecked_into();
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(js_error)?).await.map_err(js_error)?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

/// A rejected promise's reason as text (`Failed to fetch` for a thrown TypeError).
fn js_error(e: wasm_bindgen::JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => String::from(err.message()),
        None => e.as_string().unwrap_or_else(|| format!("{e:?}")),
    }
}
