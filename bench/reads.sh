#!/usr/bin/env bash
# Public and common reads against the framework's ceiling (a benchmark, not a test): the release
# binary on SQLite with the demo (its published list), and bench/hello.rs — actix-web serving the
# same bytes — each measured with wrk (2 threads, 64 connections, 10 s) in the same run.
# Usage: bench/reads.sh        (ports 28080-28081; needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin jiebang --example hello
T=${CARGO_TARGET_DIR:-target}
BIN=$T/release/jiebang
HELLO=$T/release/examples/hello
A=127.0.0.1:28080
H=127.0.0.1:28081
PW=bench-admin-password
work=$(mktemp -d)
export JIEBANG__AUTH__SECRET=bench-secret-bench-secret-bench-secret-0001
export JIEBANG__SEALING__KEY=bench-sealing-key-bench-sealing-key-0001
export JIEBANG__AUDIT__SIGNING_KEY=$(printf '%064d' 7)
export JIEBANG__BOOTSTRAP__ADMIN_PASSWORD=$PW JIEBANG__LOG__LEVEL=warn
export JIEBANG__DATABASE__URL="sqlite://$work/reads.db?mode=rwc" JIEBANG__SERVER__ADDR=$A
$BIN demo >/dev/null
$BIN serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://$A/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(curl -fs -X POST "http://$A/api/v1/auth/token" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PW\"}" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
measure() { # url [header] → "req/s p99"
  if [ -n "${2:-}" ]; then out=$(wrk -t2 -c64 -d10s --latency -H "$2" "$1"); else out=$(wrk -t2 -c64 -d10s --latency "$1"); fi
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  echo "$rps $p99 ${non2xx:-0}"
}
echo "| read | bytes | jiebang req/s | p99 | hello-world req/s | p99 | ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for path in /api/v1/rounds/2024/list /api/v1/districts /api/v1/clusters /api/v1/users/me /healthz; do
  hdr=""; [ "$path" = /api/v1/users/me ] && hdr="authorization: Bearer $token"
  if [ -n "$hdr" ]; then curl -fs -H "$hdr" "http://$A$path" >"$work/body"; else curl -fs "http://$A$path" >"$work/body"; fi
  $HELLO $H "$work/body" & hp=$!
  for _ in $(seq 1 50); do curl -fs "http://$H/" >/dev/null 2>&1 && break; sleep 0.1; done
  read -r hrps hp99 _ < <(measure "http://$H$path")
  kill $hp; wait $hp 2>/dev/null || true
  read -r jrps jp99 jbad < <(measure "http://$A$path" "$hdr")
  [ "$jbad" = 0 ] || echo "warning: $jbad non-2xx answers on $path" >&2
  ratio=$(awk -v a="$jrps" -v b="$hrps" 'BEGIN {printf "%.0f %%", 100 * a / b}')
  echo "| \`GET $path\` | $(wc -c <"$work/body") | $jrps | $jp99 | $hrps | $hp99 | $ratio |"
done
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$work"
