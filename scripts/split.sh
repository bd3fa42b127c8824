#!/usr/bin/env bash
# Trunk post-build hook (Trunk.toml): splits the page's wasm in two.
# - The page: the app's views, routing, lessons' text, the editor and the share codec. It is what
#   a visit downloads first (the initial-download budget of BENCHMARKS.md).
# - The simulator: the model, kubectl, the manifest checks, the diagram and the objects table.
#   The page fetches it as it mounts and boots it after its first paint, through its one split point
#   (`ui::workbench::start_simulator`, a `wasm_split` function).
#
# Trunk has already built, bound and copied the whole wasm (index.html sets data-wasm-opt="0" so
# it does not also optimise it). This hook takes cargo's own output (linked with --emit-relocs,
# see build.rs) and replaces trunk's two files, keeping their names:
#   wasm-split-cli → the page's module, the simulator's, and the loader between them;
#   wasm-bindgen → the page's JS and wasm, as trunk would (--keep-lld-exports: the simulator
#     imports the page's memory and function table by the names LLD gave them);
#   wasm-opt -Oz → both modules.
# The simulator (sim-<hash>.wasm) and its loader (split-<hash>.js) get content-hashed names, and
# index.html lists them (<link rel="kubelab-module">) so the offline worker caches them.
#
# The tools are the pinned ones of scripts/tools.sh. SPLIT_KEEP_NAMES=1 keeps the functions' names
# (scripts/names-build.sh, for the browser profilers).
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$TRUNK_SOURCE_DIR"
PATH="$TRUNK_SOURCE_DIR/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out="$TRUNK_STAGING_DIR"

# Cargo's wasm: ask cargo, as trunk does (the build trunk just ran, so nothing is rebuilt).
# The same features as index.html gives trunk, or cargo would build another wasm.
args=(build --target=wasm32-unknown-unknown --bin kubelab-web --features split --offline --message-format=json)
if [ "${TRUNK_PROFILE:-debug}" = release ]; then args+=(--release); fi
in="$(cargo "${args[@]}" 2>/dev/null | grep '"reason":"compiler-artifact"' | grep '"name":"kubelab-web"' \
  | sed -n 's/.*"filenames":\["\([^"]*\.wasm\)".*/\1/p' | tail -n 1)"
[ -f "$in" ] || { echo "split.sh: cargo reported no wasm for kubelab-web ('$in')" >&2; exit 1; }
bg="$(cd "$out" && ls kubelab-web-*_bg.wasm)"
name="${bg%_bg.wasm}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
wasm-split-cli "$in" "$work" --out-name "$name" >/dev/null
[ -f "$work/split_simulator.wasm" ] || { echo "split.sh: wasm-split-cli made no simulator module" >&2; exit 1; }
keep=() opt=(-Oz)
if [ -n "${SPLIT_KEEP_NAMES:-}" ]; then keep=(--keep-debug) opt=(-Oz -g); fi
wasm-bindgen --target web --no-typescript --keep-lld-exports "${keep[@]}" --out-dir "$work/bg" --out-name "$name" "$work/$name.wasm"
wasm-opt "${opt[@]}" "$work/bg/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
wasm-opt "${opt[@]}" "$work/split_simulator.wasm" -o "$work/sim.wasm"

hash() { sha256sum "$1" | cut -c1-16; }
rm -f "$out"/sim-*.wasm "$out"/split-*.js
sim="sim-$(hash "$work/sim.wasm").wasm"
mv "$work/sim.wasm" "$out/$sim"
sed -e "s#\"\./split_simulator\.wasm\"#\"./$sim\"#" "$work/__wasm_split.js" >"$work/split.js"
grep -q "$sim" "$work/split.js" || { echo "split.sh: the loader does not name the simulator module" >&2; exit 1; }
loader="split-$(hash "$work/split.js").js"
mv "$work/split.js" "$out/$loader"
# Only the import's path: the wasm's import module keeps its name ("./__wasm_split.js").
sed -e "s#from \"\./__wasm_split\.js\"#from \"./$loader\"#" "$work/bg/$name.js" >"$out/$name.js"
grep -q "from \"./$loader\"" "$out/$name.js" || { echo "split.sh: the page does not import the loader" >&2; exit 1; }

html="$out/index.html"
grep -q '<!-- split modules -->' "$html" || { echo "split.sh: index.html lacks <!-- split modules -->" >&2; exit 1; }
sed -i "s#<!-- split modules -->#<link rel=\"kubelab-module\" href=\"$loader\" /><link rel=\"kubelab-module\" href=\"$sim\" />#" "$html"
