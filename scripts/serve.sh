#!/usr/bin/env bash
# Serves the site on http://127.0.0.1:8080/ (installs missing pinned tools first).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_rust_tools
ensure_node_tools
cd "$ROOT"
cargo fetch --quiet
echo "kubelab: building and serving at http://127.0.0.1:${PORT:-8080}/"
exec trunk serve --address 127.0.0.1 --port "${PORT:-8080}" "$@"
