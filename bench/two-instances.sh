#!/usr/bin/env bash
# Two instances on one PostgreSQL database (a benchmark, not a test): two release binaries start
# together on a fresh database (the migration lock lets one migrate while the other waits), share
# the keys through the settings, and take a bid burst spread over both (200 clients, 2,000 bids
# over 5 calls) and then 10 concurrent editors of one round, each reading through one instance
# and writing with If-Match through the other. Both are killed with SIGKILL and one restarts;
# every receipt is checked (history, the opening's re-verification). Nothing may be lost.
# Usage: bench/two-instances.sh   (PostgreSQL at 127.0.0.1:5432, user postgres; ports 28090-28091)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin jiebang --example bid_burst
T=${CARGO_TARGET_DIR:-target}
BIN=$T/release/jiebang
EX=$T/release/examples/bid_burst
A=127.0.0.1:28090
B=127.0.0.1:28091
PW=bench-admin-password
DB=postgres://postgres@127.0.0.1:5432/jiebang_two
export JIEBANG__AUTH__SECRET=bench-secret-bench-secret-bench-secret-0001
export JIEBANG__SEALING__KEY=bench-sealing-key-bench-sealing-key-0001
export JIEBANG__AUDIT__SIGNING_KEY=$(printf '%064d' 7)
export JIEBANG__BOOTSTRAP__ADMIN_PASSWORD=$PW JIEBANG__LOG__LEVEL=warn JIEBANG__DATABASE__URL=$DB
# One webhook worker is enough (the other instance's claims would only compete).
work=$(mktemp -d)
psql -q postgres://postgres@127.0.0.1:5432/postgres -c 'drop database if exists jiebang_two' -c 'create database jiebang_two'

start() { # addr → pid in $started
  JIEBANG__SERVER__ADDR=$1 $BIN serve >>"$work/server-$1.log" 2>&1 &
  started=$!
}
ready() {
  for _ in $(seq 1 200); do curl -fs "http://$1/readyz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "instance $1 did not become ready"; cat "$work"/server-*.log; exit 1
}

start $A; pa=$started
start $B; pb=$started
ready $A; ready $B
echo "== two instances on one database, started together"
$EX --base "http://$A,http://$B" --admin-password $PW --out "$work/two.json" --close-in-secs 120 --edits 10 ${BURST_ARGS:-}
kill -9 $pa $pb; wait $pa $pb 2>/dev/null || true
echo "both killed with SIGKILL; restarting one"
start $B; pb=$started; ready $B
$EX --base "http://$B" --admin-password $PW --verify "$work/two.json"
kill $pb; wait $pb 2>/dev/null || true
rm -rf "$work"
