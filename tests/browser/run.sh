#!/usr/bin/env bash
# End-to-end browser tests: builds `parallax`, ingests a small corpus into a
# fresh database, starts `parallax serve` on a free loopback port and runs
# every tests/browser/*.test.mjs with node --test against it (PARALLAX_URL).
#
#   tests/browser/run.sh                 # run the tests
#   SCREENSHOTS=1 tests/browser/run.sh   # also write docs/img/*.png
#
# Needs: cargo, node >= 18, npm, Debian chromium (/usr/bin/chromium or $CHROMIUM).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
cargo build -q -p parallax-cli
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/parallax"
cd "$HERE"
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "installing Debian chromium (needed by the browser tests)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium
fi
# Screenshots for the README show an emoji of the test article: a colour
# emoji font, so that it is not drawn as an empty box.
if [ -n "${SCREENSHOTS:-}" ] && ! fc-list 2>/dev/null | grep -qi "color emoji"; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq fonts-noto-color-emoji
fi
if [ ! -d node_modules/playwright-core ]; then
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
WORK="$(mktemp -d)"
PID=""
cleanup() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT
DB="$WORK/corpus.db"
INPUTS=("$HERE/fixtures")
for s in "$ROOT/../shared/samples" "$ROOT/../../shared/samples"; do
  if [ -d "$s" ]; then INPUTS+=("$s"/*.txt); break; fi
done
"$BIN" ingest --no-progress --db "$DB" "${INPUTS[@]}"
"$BIN" serve --db "$DB" --addr 127.0.0.1:0 >"$WORK/serve.log" 2>&1 &
PID=$!
URL=""
for _ in $(seq 1 100); do
  URL="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.log" | head -n1 || true)"
  [ -n "$URL" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "server did not start"; cat "$WORK/serve.log"; exit 1; }
echo "parallax serving at $URL"
export PARALLAX_URL="$URL"
export PARALLAX_ROOT="$ROOT"
shopt -s nullglob
TESTS=("$HERE"/*.test.mjs)
node --test "${TESTS[@]}"
