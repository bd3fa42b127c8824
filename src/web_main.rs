//! The browser entry point (trunk builds this binary to wasm).

fn main() {
    kubelab::ui::start();
}
