#!/usr/bin/env bash
# The public pages in a real browser: Debian's Chromium, headless, driven by chromedriver.
#   1. installs chromium, chromium-driver and a CJK font with apt-get if missing;
#   2. `jiebang demo` into a temporary SQLite database, then `jiebang serve` on 127.0.0.1;
#   3. pages/browser_check.py: each page renders with no console error and no request to another
#      host, Chinese text present, the chart SVG drawn, the list on one A4 page when printed.
# Ports 38090 (server) and 38091 (chromedriver). Artefacts (screenshot, PDF) in $OUT (default a
# temporary folder, kept when a check fails). Run from anywhere; builds the binary if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
PORT=${BROWSER_CHECK_PORT:-38090}
DRIVER_PORT=${BROWSER_CHECK_DRIVER_PORT:-38091}

step() { printf '\n== %s\n' "$*"; }

step "chromium and chromium-driver"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
   || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi
chromium --version

step "build"
cargo build -q
BIN=$TARGET/debug/jiebang

WORK=$(mktemp -d)
OUT=${OUT:-$WORK/out}
mkdir -p "$OUT"
SERVER_PID=
DRIVER_PID=
cleanup() {
  for pid in $DRIVER_PID $SERVER_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK/demo.db"*
}
trap cleanup EXIT
export JIEBANG__DATABASE__URL="sqlite://$WORK/demo.db?mode=rwc"
export JIEBANG__BOOTSTRAP__ADMIN_PASSWORD="browser-check-admin-password"
export JIEBANG__AUTH__SECRET="browser-check-secret-browser-check-secret"
export JIEBANG__AUDIT__KEY_FILE="$WORK/audit.key"
export JIEBANG__SERVER__ADDR="127.0.0.1:$PORT"
export JIEBANG__LOG__LEVEL=warn

step "jiebang demo (temporary SQLite database)"
"$BIN" demo | tail -n 1

step "jiebang serve on 127.0.0.1:$PORT, chromedriver on 127.0.0.1:$DRIVER_PORT"
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
chromedriver --port="$DRIVER_PORT" --allowed-ips=127.0.0.1 >"$WORK/chromedriver.log" 2>&1 &
DRIVER_PID=$!
ready() { python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$1" 2>/dev/null; }
for _ in $(seq 1 100); do ready "http://127.0.0.1:$PORT/healthz" && ready "http://127.0.0.1:$DRIVER_PORT/status" && break; sleep 0.2; done

step "the pages in headless Chromium"
if timeout 180 python3 pages/browser_check.py "http://127.0.0.1:$PORT" "$DRIVER_PORT" "$OUT"; then
  echo "artefacts: $OUT"
else
  echo "artefacts kept in $OUT; server log:"; tail -n 20 "$WORK/server.log"
  exit 1
fi
