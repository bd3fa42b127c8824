#!/usr/bin/env bash
# Prints every benchmark: native simulator/manifest/RBAC/share figures (release build), the release
# bundle size, and the browser figures (navigation, keystroke → diagram). See BENCHMARKS.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_rust_tools
ensure_node_tools
ensure_browser
cd "$ROOT"
echo "== native (kubelab bench, profile native: release at opt-level 3)"
cargo run --profile native --no-default-features --quiet -- bench
echo; echo "== release bundle"
trunk build --release >/dev/null 2>&1
scripts/size.sh
echo; echo "== browser (headless Chromium, loopback)"
node tests/e2e/bench.mjs
