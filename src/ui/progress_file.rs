//! Moving to another browser: download the learner's progress (steps done and their manifests)
//! as a small JSON file, and load such a file. The file is untrusted input: `lesson::Progress`
//! bounds and cleans it; this component only reads the file and reports what happened.

use super::lesson::{load_progress, PROGRESS_KEY};
use super::prefs::t;
use super::storage;
use crate::i18n::fill;
use crate::lesson::progress::MAX_IMPORT_BYTES;
use crate::lesson::{self, ImportError, Progress};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

const FILE_NAME: &str = "kubelab-progress.json";

fn text_key(lesson_id: &str) -> String {
    storage::text_key(&format!("lesson.{lesson_id}"))
}

#[derive(Clone, PartialEq)]
enum Message {
    None,
    Saved,
    Loaded(usize),
    Failed(ImportError),
    /// The browser could not read the file or store it (its message).
    Browser(String),
}

/// Starts a download of `text` as `name` (an object URL clicked through a temporary link).
fn download(name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|_| "Blob".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "URL".to_string())?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("document")?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").map_err(|_| "a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The click has handed the blob to the download; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Applies an imported file: progress merged, the file's manifests written where the editor
/// keeps them. Returns how many lessons it held.
fn apply(text: &str) -> Result<usize, Message> {
    let catalog = lesson::catalog();
    let file = Progress::from_json(text, catalog).map_err(Message::Failed)?;
    if file.lessons.is_empty() {
        return Err(Message::Failed(ImportError::Empty));
    }
    let mut all = load_progress();
    let touched = all.merge(&file, catalog);
    for id in &touched {
        if let Some(m) = file.lessons.get(id).and_then(|p| p.manifest.as_ref()) {
            storage::set(&text_key(id), m).map_err(Message::Browser)?;
        }
    }
    storage::set(PROGRESS_KEY, &serde_json::to_string(&all).unwrap_or_default()).map_err(Message::Browser)?;
    Ok(touched.len())
}

/// The home page's "your progress" box. `changed` is bumped after an import so the lesson map
/// re-reads the progress.
#[component]
pub fn ProgressFile(changed: RwSignal<u64>) -> impl IntoView {
    let message = RwSignal::new(Message::None);
    let save = move |_| {
        let catalog = lesson::catalog();
        let out = load_progress().for_export(catalog, |l| storage::get(&text_key(&l.id)));
        message.set(match download(FILE_NAME, &out.to_json()) {
            Ok(()) => Message::Saved,
            Err(e) => Message::Browser(e),
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        // Let the same file be chosen again after a fix.
        input.set_value("");
        let size = file.size() as usize;
        if size > MAX_IMPORT_BYTES {
            message.set(Message::Failed(ImportError::TooLarge(size)));
            return;
        }
        let Ok(reader) = web_sys::FileReader::new() else { return };
        let r = reader.clone();
        let onload = Closure::<dyn FnMut()>::new(move || {
            let text = r.result().ok().and_then(|v| v.as_string());
            let m = match text.map(|t| apply(&t)) {
                Some(Ok(n)) => {
                    changed.update(|c| *c += 1);
                    Message::Loaded(n)
                }
                Some(Err(m)) => m,
                None => Message::Failed(ImportError::NotProgress(String::new())),
            };
            let _ = message.try_set(m);
        });
        reader.set_onload(Some(onload.as_ref().unchecked_ref()));
        let r2 = reader.clone();
        let onerror = Closure::<dyn FnMut()>::new(move || {
            let why = r2.error().map(|e| e.message()).unwrap_or_default();
            let _ = message.try_set(Message::Browser(why));
        });
        reader.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        if let Err(e) = reader.read_as_text(&file) {
            message.set(Message::Browser(e.as_string().unwrap_or_default()));
        }
        // Called at most once each by this reader: their lifetime is the read.
        onload.forget();
        onerror.forget();
    };
    let text = move || match message.get() {
        Message::None => None,
        Message::Saved => Some(("ok", t("progress.saved").to_string())),
        Message::Loaded(n) => Some(("ok", fill(t("progress.loaded"), &[("n", &n.to_string())]))),
        Message::Failed(ImportError::TooLarge(n)) => {
            Some(("error", fill(t("progress.err.too_large"), &[("n", &n.to_string()), ("max", &MAX_IMPORT_BYTES.to_string())])))
        }
        Message::Failed(ImportError::NotProgress(_)) => Some(("error", t("progress.err.not_progress").to_string())),
        Message::Failed(ImportError::Empty) => Some(("error", t("progress.err.empty").to_string())),
        Message::Browser(e) => Some(("error", fill(t("progress.err.browser"), &[("error", &e)]))),
    };
    view! {
        <section class="progress-file" aria-labelledby="progress-file-title">
            <h2 id="progress-file-title">{move || t("progress.title")}</h2>
            <p>{move || t("progress.intro")}</p>
            <div class="progress-actions">
                <button type="button" class="progress-save" on:click=save>{move || t("progress.save")}</button>
                <label class="button progress-load">
                    {move || t("progress.load")}
                    <input type="file" class="visually-hidden" accept=".json,application/json" on:change=on_file />
                </label>
            </div>
            {move || text().map(|(class, msg)| view! {
                <p class=format!("notice progress-msg {class}") role=if class == "error" { "alert" } else { "status" }>{msg}</p>
            })}
        </section>
    }
}
