#!/usr/bin/env bash
# Validates the OCDS export of the demo database with libcoveocds, offline but for pip:
#   1. a virtual environment with libcoveocds (pinned) under $OCDS_VENV (default target/ocds-venv);
#   2. `jiebang demo` into a temporary SQLite database (intake, list, calls, awards, agreements,
#      progress reports, acceptance, plaques, a year's evaluations), then `jiebang serve` on it so the extension is served from 127.0.0.1;
#   3. `jiebang ocds export --year 2024` with base_url = that server;
#   4. libcoveocds on both packages against the standard's schema ZIP in ocds/schema/ (record
#      packages' remote schema references answered from the same ZIP: ocds/cove.py).
# Exit status 1 on any validation error, closed-codelist violation, extension that did not load
# or field outside the schema and the extension. Run from anywhere; builds the binary if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
VENV=${OCDS_VENV:-$TARGET/ocds-venv}
LIBCOVEOCDS_VERSION=0.17.0
ZIP=$ROOT/ocds/schema/ocds-standard-1__1__5-schema.zip
YEAR=2024

step() { printf '\n== %s\n' "$*"; }

step "libcoveocds $LIBCOVEOCDS_VERSION in $VENV"
if ! "$VENV/bin/python" -c "import libcoveocds, importlib.metadata as m; assert m.version('libcoveocds') == '$LIBCOVEOCDS_VERSION'" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "libcoveocds==$LIBCOVEOCDS_VERSION"
fi

step "build"
cargo build -q
BIN=$TARGET/debug/jiebang

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export JIEBANG__DATABASE__URL="sqlite://$WORK/demo.db?mode=rwc"
export JIEBANG__BOOTSTRAP__ADMIN_PASSWORD="validate-ocds-admin-password"
export JIEBANG__AUTH__SECRET="validate-ocds-secret-validate-ocds-secret"
export JIEBANG__AUDIT__KEY_FILE="$WORK/audit.key"
export JIEBANG__SERVER__ADDR="127.0.0.1:$PORT"
export JIEBANG__OCDS__BASE_URL="http://127.0.0.1:$PORT"
export JIEBANG__LOG__LEVEL=warn

step "jiebang demo (temporary SQLite database)"
"$BIN" demo | tail -n 1

step "jiebang serve on 127.0.0.1:$PORT (serves the extension)"
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/api/v1/ocds/extension/extension.json', timeout=1)" 2>/dev/null; then
    break
  fi
  sleep 0.2
done

step "jiebang ocds export --year $YEAR"
"$BIN" ocds export --year "$YEAR" --out "$WORK/out"

step "libcoveocds"
status=0
for f in release-package record-package; do
  "$VENV/bin/python" "$ROOT/ocds/cove.py" "$ZIP" "$WORK/out/$f.json" "$WORK/out/$f.cove.json" || status=1
done
if [ "$status" -ne 0 ]; then
  echo "OCDS validation FAILED"
  exit 1
fi
echo "OCDS validation passed: 0 errors, 0 closed-codelist violations"
