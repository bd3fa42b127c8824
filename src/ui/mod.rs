//! Leptos components only: they read signals and call model methods; no Kubernetes logic here.

pub mod app;

/// Mounts the app on `<body>` with the panic hook installed.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
