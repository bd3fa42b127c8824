#!/usr/bin/env bash
# A copy of dist/ whose two wasm modules keep their function names (scripts/split.sh with
# SPLIT_KEEP_NAMES: wasm-bindgen --keep-debug, wasm-opt -g), for the browser profilers in tests/e2e
# (lazyprof.mjs, keyprof.mjs): run `trunk build --release` first. Writes OUT (default
# target/dist-names); profile it with DIST=target/dist-names.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
OUT="${1:-target/dist-names}"
rm -rf "$OUT"; cp -r dist "$OUT"
# Back to the page trunk wrote, for the hook to fill in again.
sed -i 's#<link rel="kubelab-module" href="[^"]*" />##g; s#</head>#<!-- split modules -->\n</head>#' "$OUT/index.html"
SPLIT_KEEP_NAMES=1 TRUNK_STAGING_DIR="$(cd "$OUT" && pwd)" TRUNK_SOURCE_DIR="$ROOT" TRUNK_PROFILE=release bash scripts/split.sh
echo "$OUT"
