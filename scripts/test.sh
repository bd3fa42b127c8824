#!/usr/bin/env bash
# Runs every test: native (model, manifest, kubectl, lessons, share, fuzz/property), the
# wasm-bindgen tests in headless Chromium, then the end-to-end browser tests against a release
# build served on loopback. Installs missing pinned tools first. Prints the bundle size.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_rust_tools
ensure_node_tools
ensure_browser
cd "$ROOT"
cargo fetch --quiet

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "model builds without the web stack"
cargo build --no-default-features --quiet

step "native tests"
cargo test --no-default-features 2>&1 | grep -vE '^\s+(Compiling|Running|Doc-tests)' 

step "wasm tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --target wasm32-unknown-unknown --test web 2>&1 | grep -vE '^\s+Compiling'

step "release build"
trunk build --release 2>&1 | tail -n 3
scripts/size.sh

step "end-to-end browser tests"
(cd tests/e2e && node --test --test-concurrency=1 *.test.mjs)
