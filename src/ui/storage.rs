//! Browser storage: localStorage reads and writes that report failures (quota) instead of
//! swallowing them, the keys we use, cross-tab notices (storage events), the document's base
//! path, and the offline service worker registration.

use wasm_bindgen::JsCast;

/// Every key starts with this, so our data is easy to find and to clear.
pub const PREFIX: &str = "kubelab.";

pub fn text_key(scope: &str) -> String {
    format!("{PREFIX}text.{scope}")
}
pub fn ping_key(scope: &str) -> String {
    format!("{PREFIX}open.{scope}")
}
pub fn pong_key(scope: &str) -> String {
    format!("{PREFIX}here.{scope}")
}
pub const HISTORY_KEY: &str = "kubelab.history";
pub const LANG_KEY: &str = "kubelab.lang";
pub const THEME_KEY: &str = "kubelab.theme";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Writes a value; the error (e.g. `QuotaExceededError`) is returned for the page to show.
pub fn set(key: &str, value: &str) -> Result<(), String> {
    let s = local().ok_or_else(|| "localStorage is not available".to_string())?;
    s.set_item(key, value).map_err(|e| {
        e.dyn_ref::<web_sys::DomException>()
            .map(|d| format!("{}: {}", d.name(), d.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "storage error".into())
    })
}

/// Calls `f(key, new_value)` for every change another tab makes to our keys.
pub fn on_other_tab_change(f: impl Fn(String, Option<String>) + 'static) {
    use wasm_bindgen::closure::Closure;
    let Some(w) = web_sys::window() else { return };
    let cb = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
        if let Some(k) = e.key() {
            if k.starts_with(PREFIX) {
                f(k, e.new_value());
            }
        }
    });
    let _ = w.add_event_listener_with_callback("storage", cb.as_ref().unchecked_ref());
    // The listener lives as long as the page; leaking its closure is the intended lifetime.
    cb.forget();
}

/// The path the site is served under (`/` or e.g. `/kubelab/`), from `<base href>` trunk fills.
pub fn base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|u| web_sys::Url::new(&u).ok())
        .map(|u| u.pathname())
        .unwrap_or_else(|| "/".into());
    if base.ends_with('/') { base } else { format!("{base}/") }
}

thread_local! {
    static WORKER_ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// How long after mounting a page that boots no cluster (the home page) registers the worker.
const WORKER_FALLBACK: std::time::Duration = std::time::Duration::from_secs(3);
/// How long after the first cluster has booted the worker is registered (the frames after the
/// boot draw the diagram, build the objects table and settle the layout).
const WORKER_AFTER_START: std::time::Duration = std::time::Duration::from_secs(1);

/// Registers the offline worker, but not while the page starts. Its first install downloads and
/// stores the whole site again (2.2 MB of wasm, every lesson's prose file), and on a first visit
/// that competed with the page's own start for the CPU: diagram drawn at a median of 803 / 856 ms
/// with the worker, 620 / 664 ms with it blocked (interleaved cold navigations, 2 cores). So it
/// is registered `WORKER_AFTER_START` after the first cluster has booted (`page_started`), or
/// `WORKER_FALLBACK` after mounting on a page that boots none.
pub fn register_service_worker_after_start() {
    leptos::prelude::set_timeout(register_service_worker, WORKER_FALLBACK);
}

/// The page has booted its first cluster (its diagram draws in the next frames): the worker may be
/// registered (once) a moment later.
pub fn page_started() {
    if !WORKER_ASKED.with(std::cell::Cell::get) {
        leptos::prelude::set_timeout(register_service_worker, WORKER_AFTER_START);
    }
}

/// Registers `sw.js` (copied to the site root by trunk) so the site works offline; once a visit.
fn register_service_worker() {
    if WORKER_ASKED.with(|a| a.replace(true)) {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    if !js_sys::Reflect::has(&w.navigator(), &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let url = format!("{}sw.js", base_path());
    let _ = w.navigator().service_worker().register(&url);
}
