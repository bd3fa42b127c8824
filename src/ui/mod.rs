//! Leptos components only: they read signals and call model methods; no Kubernetes logic here.

pub mod app;
pub mod cluster_view;
pub mod diagram;
pub mod editor;
pub mod home;
pub mod lesson;
pub mod lesson_prose;
pub mod panic;
pub mod prefs;
pub mod progress_file;
pub mod share;
pub mod storage;
pub mod terminal;
pub mod timebar;
pub mod workbench;

/// Mounts the app on `<body>` with the panic hook installed; the offline worker is registered
/// once the page has started (`storage::register_service_worker_after_start`).
pub fn start() {
    panic::install();
    storage::register_service_worker_after_start();
    // index.html's waiting page (`#boot`) goes as the app takes its place.
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
