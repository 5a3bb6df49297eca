#!/usr/bin/env bash
# Deadline burst (a benchmark, not a test): 200 clients submit 2,000 bids across 5 calls against the
# release binary, on SQLite and then on PostgreSQL; the server is killed with SIGKILL and restarted,
# and every receipt is checked (history, current receipt, and the opening's hash re-verification).
# Usage: bench/bid-burst.sh [sqlite|postgres|both]   (PostgreSQL at 127.0.0.1:5432, user postgres)
# BURST_ARGS=--flat-out sends every bid as fast as the server takes them instead of within 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-both}
cargo build --release --bin jiebang --example bid_burst
BIN=target/release/jiebang
EX=target/release/examples/bid_burst
ADDR=127.0.0.1:18090
PW=bench-admin-password
export JIEBANG__AUTH__SECRET=bench-secret-bench-secret-bench-secret-0001
export JIEBANG__SEALING__KEY=bench-sealing-key-bench-sealing-key-0001
export JIEBANG__BOOTSTRAP__ADMIN_PASSWORD=$PW JIEBANG__SERVER__ADDR=$ADDR JIEBANG__LOG__LEVEL=warn
work=$(mktemp -d)

start() {
  JIEBANG__DATABASE__URL=$1 $BIN serve >>"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://$ADDR/readyz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "server did not start"; cat "$work/server.log"; exit 1
}

run() {
  local name=$1 url=$2
  echo "== $name"
  start "$url"
  $EX --base "http://$ADDR" --admin-password $PW --out "$work/$name.json" --close-in-secs 120 ${BURST_ARGS:-}
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  echo "killed with SIGKILL; restarting"
  start "$url"
  $EX --base "http://$ADDR" --admin-password $PW --verify "$work/$name.json"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

if [ "$which" != postgres ]; then run sqlite "sqlite://$work/bench.db?mode=rwc"; fi
if [ "$which" != sqlite ]; then
  psql -q postgres://postgres@127.0.0.1:5432/postgres -c 'drop database if exists jiebang_bench' -c 'create database jiebang_bench'
  run postgres postgres://postgres@127.0.0.1:5432/jiebang_bench
fi
rm -rf "$work"
