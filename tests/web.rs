//! wasm-bindgen tests: components mount in headless Chromium and react to input.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn model_runs_in_the_browser() {
    let c = kubelab::model::Cluster::new();
    assert!(c.store.len() > 0);
}
