#!/usr/bin/env bash
# A copy of dist/ whose wasm keeps its function names (wasm-bindgen --keep-debug, wasm-opt -g), for
# the browser profilers in tests/e2e (lazyprof.mjs, keyprof.mjs): run `trunk build --release`
# first. Writes OUT (default target/dist-names); profile it with DIST=target/dist-names.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"
OUT="${1:-target/dist-names}"
tmp="$(mktemp -d)"
wasm-bindgen --target web --keep-debug --no-typescript --out-dir "$tmp" --out-name kb \
  target/wasm32-unknown-unknown/release/kubelab-web.wasm
wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int "$tmp/kb_bg.wasm" -o "$tmp/kb_opt.wasm"
rm -rf "$OUT"; cp -r dist "$OUT"
js=$(cd dist && ls kubelab-web*.js); wasm=$(cd dist && ls ./*.wasm)
cp "$tmp/kb.js" "$OUT/$js"; cp "$tmp/kb_opt.wasm" "$OUT/$wasm"
# The copied files differ from the ones trunk hashed: drop the integrity attributes.
sed -i 's/ integrity="[^"]*"//g' "$OUT/index.html"
rm -rf "$tmp"
echo "$OUT"
