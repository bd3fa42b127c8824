#!/usr/bin/env bash
# Trunk post-build hook (Trunk.toml): puts each lesson's prose file, which build.rs rendered into
# its OUT_DIR (prose/<lesson>.<content hash>.json), into the site's prose/ directory, and lists the
# files in index.html (<link rel="kubelab-prose">) so the offline worker caches them with the build.
# The page fetches a lesson's file when the lesson opens (src/ui/lesson_prose.rs).
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$TRUNK_SOURCE_DIR"

# Ask cargo where the wasm build's build script wrote: the same build trunk just ran (so nothing is
# rebuilt), as trunk itself asks cargo for the wasm file.
# The same features as index.html gives trunk, or cargo would build another wasm.
args=(build --target=wasm32-unknown-unknown --bin kubelab-web --features split --offline --message-format=json)
if [ "${TRUNK_PROFILE:-debug}" = release ]; then args+=(--release); fi
out="$(cargo "${args[@]}" 2>/dev/null | grep '"reason":"build-script-executed"' | grep '#kubelab@' \
  | sed -n 's/.*"out_dir":"\([^"]*\)".*/\1/p' | tail -n 1)"
if [ -z "$out" ] || ! compgen -G "$out/prose/*.json" >/dev/null; then
  echo "lesson-files.sh: no rendered prose found (cargo reported OUT_DIR '$out')" >&2
  exit 1
fi

mkdir -p "$TRUNK_STAGING_DIR/prose"
cp "$out"/prose/*.json "$TRUNK_STAGING_DIR/prose/"
links=""
for f in "$out"/prose/*.json; do links+="<link rel=\"kubelab-prose\" href=\"prose/$(basename "$f")\" />"; done
html="$TRUNK_STAGING_DIR/index.html"
grep -q '<!-- lesson prose -->' "$html" || { echo "lesson-files.sh: index.html lacks <!-- lesson prose -->" >&2; exit 1; }
sed -i "s#<!-- lesson prose -->#$links#" "$html"
