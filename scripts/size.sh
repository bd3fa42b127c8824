#!/usr/bin/env bash
# Prints the release bundle's size (wasm, JS, CSS): raw, gzip -9 and brotli -q 11.
set -euo pipefail
DIST="${1:-$(cd "$(dirname "$0")/.." && pwd)/dist}"
printf '%-10s %10s %10s %10s\n' kind raw gzip brotli
total_r=0; total_g=0; total_b=0
for ext in wasm js css; do
  r=0; g=0; b=0
  for f in "$DIST"/*."$ext"; do
    [ -f "$f" ] || continue
    r=$((r + $(wc -c <"$f")))
    g=$((g + $(gzip -9c "$f" | wc -c)))
    if command -v brotli >/dev/null; then b=$((b + $(brotli -q 11 -c "$f" | wc -c))); fi
  done
  printf '%-10s %10d %10d %10d\n' "$ext" "$r" "$g" "$b"
  total_r=$((total_r + r)); total_g=$((total_g + g)); total_b=$((total_b + b))
done
printf '%-10s %10d %10d %10d   (bytes; brotli is 0 when the brotli tool is missing)\n' total "$total_r" "$total_g" "$total_b"
