#!/usr/bin/env bash
# The contract as integrators meet it, checked with their tools (pip and npm installs only):
#   1. Redocly lint (@redocly/cli, the recommended rules): 0 errors;
#   2. every request-body example validates against its schema, every error response has an
#      example problem document (examples.py);
#   3. openapi-python-client generates a client with no warnings and every operation, and
#      flow.py drives token → round → … → the anonymous list with it against a fresh server;
#   4. schemathesis (fixed seed, bounded examples; the checks the issue names) against another
#      fresh server, as the commission: 0 failures, or the check fails. contract/schemathesis.toml
#      holds what the schema cannot say, each with its reason: hooks.py completes generated
#      USCCs with their check character; 412 (a stale If-Match) counts as an accepted answer to
#      valid data everywhere, 422 only on the operations whose rules depend on stored data or
#      tie members together. The two password operations are left out: their examples change
#      the admin's own password, and every later request would be a 401.
# Tools go into $CONTRACT_VENV (default target/contract-venv) and npx's cache; the generated
# client into a temporary directory. Run from anywhere; builds the binary if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
VENV=${CONTRACT_VENV:-$TARGET/contract-venv}
REDOCLY_VERSION=2.77.0
SPEC=$ROOT/openapi/openapi.json
SEED=${ST_SEED:-20240129}
MAX_EXAMPLES=${ST_MAX_EXAMPLES:-10}

step() { printf '\n== %s\n' "$*"; }

# Python 3.12 or later where there is one: CPython 3.11 can fail inside ast.parse ("AST
# constructor recursion depth mismatch") under schemathesis' worker threads. CONTRACT_PYTHON
# chooses another interpreter.
PYTHON=${CONTRACT_PYTHON:-}
if [ -z "$PYTHON" ]; then
  # pyenv keeps other versions beside the global one without putting them on PATH.
  for p in python3.13 python3.12 \
    $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V -r) \
    python3; do
    if "$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then PYTHON=$p; break; fi
  done
  PYTHON=${PYTHON:-python3}
fi
# One schemathesis worker on an older Python (slower, but the crash above is in the threads).
ST_WORKERS=2
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 12))' || ST_WORKERS=1
STAMP=$(cat "$ROOT/contract/requirements.txt"; "$PYTHON" --version)

step "Python tools in $VENV ($("$PYTHON" --version))"
if [ "$STAMP" != "$(cat "$VENV/stamp" 2>/dev/null)" ]; then
  "$PYTHON" -m venv --clear "$VENV"
  "$VENV/bin/pip" install -q -r "$ROOT/contract/requirements.txt"
  printf '%s' "$STAMP" >"$VENV/stamp"
fi

step "Redocly lint (@redocly/cli@$REDOCLY_VERSION, recommended rules)"
npx --yes "@redocly/cli@$REDOCLY_VERSION" lint "$SPEC" --format=summary 2>&1 | grep -v -e '^ *║' -e '^ *╔' -e '^ *╚'

step "request-body and error examples"
"$VENV/bin/python" "$ROOT/contract/examples.py" "$SPEC"

step "build"
cargo build -q
BIN=$TARGET/debug/jiebang

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
ADMIN_PASSWORD="contract-check-admin-password"

# Starts `jiebang serve` on a fresh SQLite database in $WORK/$1; prints its base URL.
serve() {
  local dir=$WORK/$1 port
  mkdir -p "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  JIEBANG__DATABASE__URL="sqlite://$dir/db.sqlite?mode=rwc" \
  JIEBANG__BOOTSTRAP__ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  JIEBANG__AUDIT__KEY_FILE="$dir/audit.key" \
  JIEBANG__SERVER__ADDR="127.0.0.1:$port" \
  JIEBANG__LOG__LEVEL=warn \
    "$BIN" serve >"$dir/server.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/readyz', timeout=1)" 2>/dev/null; then
      echo "http://127.0.0.1:$port"
      return
    fi
    sleep 0.2
  done
  echo "the server did not start:" >&2
  cat "$dir/server.log" >&2
  return 1
}

step "openapi-python-client: a complete client, no warnings"
"$VENV/bin/openapi-python-client" generate --path "$SPEC" --meta none \
  --output-path "$WORK/client/jiebang_client" --config "$ROOT/contract/openapi-python-client.yaml" \
  2>&1 | tee "$WORK/generate.log"
if grep -qi -e warning -e error "$WORK/generate.log"; then
  echo "openapi-python-client reported warnings or errors"
  exit 1
fi
operations=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for i in d['paths'].values() for m in i if m in ('get','put','post','patch','delete')))" "$SPEC")
generated=$(find "$WORK/client/jiebang_client/api" -name '*.py' ! -name '__init__.py' | wc -l)
echo "$generated of $operations operations generated"
[ "$generated" -eq "$operations" ] || { echo "operations are missing from the client"; exit 1; }

step "the main path through the generated client"
BASE=$(serve flow)
PYTHONPATH="$WORK/client" "$VENV/bin/python" "$ROOT/contract/flow.py" "$BASE" "$ADMIN_PASSWORD"

step "schemathesis (seed $SEED, at most $MAX_EXAMPLES examples per operation)"
BASE=$(serve fuzz)
TOKEN=$(python3 -c "
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + '/api/v1/auth/token', method='POST',
    data=json.dumps({'username': 'admin', 'password': sys.argv[2]}).encode(),
    headers={'content-type': 'application/json'})
print(json.load(urllib.request.urlopen(req))['access_token'])" "$BASE" "$ADMIN_PASSWORD")
"$VENV/bin/st" --config-file "$ROOT/contract/schemathesis.toml" run "$SPEC" --url "$BASE" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,positive_data_acceptance,ignored_auth \
  --phases examples,coverage,fuzzing,stateful \
  --seed "$SEED" --max-examples "$MAX_EXAMPLES" --generation-database none \
  --exclude-operation-id change_own_password --exclude-operation-id reset_password \
  --no-color --workers "$ST_WORKERS" --request-timeout 30 \
  ${ST_EXTRA:-}
echo "contract check passed"

