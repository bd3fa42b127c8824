#!/usr/bin/env bash
# Installs exactly the pinned tools this project builds and tests with, only those missing.
# Sourced by scripts/serve.sh and scripts/test.sh. Idempotent; nothing downloads at build time.
set -euo pipefail

TRUNK_VERSION=0.21.14
# Splits the page's wasm from the simulator's (scripts/split.sh); it reads what wasm_split_helpers
# (under leptos, in Cargo.lock) writes, so the two move together.
WASM_SPLIT_VERSION=0.2.4
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The wasm-bindgen CLI must equal the crate in Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")"
export PATH="$ROOT/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[tools]\033[0m %s\n' "$*" >&2; }

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
    log "installing trunk $TRUNK_VERSION (about 13 minutes on a fresh machine)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  if ! cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    log "installing wasm-split-cli $WASM_SPLIT_VERSION (about 1 minute)"
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
    # No --locked: its lock file names a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

# npm packages pinned in tests/e2e/package-lock.json: binaryen (wasm-opt 132) and playwright-core.
ensure_node_tools() {
  if [ ! -x "$ROOT/tests/e2e/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ] \
     || [ "$ROOT/tests/e2e/package-lock.json" -nt "$ROOT/tests/e2e/node_modules/.package-lock.json" ]; then
    log "installing npm tools (binaryen, playwright-core) from tests/e2e/package-lock.json"
    (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # Debian's wasm-opt 108 emits wasm that loads blank: ours must come first.
  case "$(command -v wasm-opt)" in
    "$ROOT"/tests/e2e/node_modules/.bin/wasm-opt) ;;
    *) log "warning: wasm-opt on PATH is $(command -v wasm-opt), not the pinned one" ;;
  esac
}

ensure_browser() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v brotli >/dev/null \
     || [ ! -d /usr/share/fonts/opentype/noto ]; then
    log "installing Debian's chromium and chromium-driver"
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver brotli fonts-noto-cjk >/dev/null
  fi
}
