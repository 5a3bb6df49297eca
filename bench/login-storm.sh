#!/usr/bin/env bash
# Login under attack (a benchmark, not a test): against the release binary on SQLite with no
# configured secret (keys in the generated key file), measure the server's resident memory at
# idle, after a baseline of 200 parallel GET /healthz, and after storms of 200 parallel wrong
# logins — (a) all on one account, (b) 200 unknown usernames from one address, (c) 200 unknown
# usernames from 200 loopback addresses (127.0.1.x–127.0.2.x, so that no throttle applies and
# every attempt reaches the bounded password hashing). Prints the answers' status counts and
# the peak RSS (VmHWM) after each phase. Linux only (reads /proc).
# Usage: bench/login-storm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin jiebang
BIN=${CARGO_TARGET_DIR:-target}/release/jiebang
ADDR=127.0.0.1:18091
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
export JIEBANG__BOOTSTRAP__ADMIN_PASSWORD=bench-admin-password JIEBANG__SERVER__ADDR=$ADDR
export JIEBANG__LOG__LEVEL=warn JIEBANG__DATABASE__URL="sqlite://$work/bench.db?mode=rwc"
$BIN serve >>"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://$ADDR/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://$ADDR/readyz" >/dev/null || { echo "server did not start"; cat "$work/server.log"; exit 1; }

mem() { awk -v k="$1" '$1 == k":" {printf "%.1f MB", $2 / 1024}' "/proc/$pid/status"; }
statuses() { sort | uniq -c | awk '{printf "%s×%s ", $2, $1} END {print ""}'; }
login() { # username [source address]
  curl -s -o /dev/null -w '%{http_code}\n' ${2:+--interface "$2"} -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"wrong-password-guess\"}" "http://$ADDR/api/v1/auth/token"
}
export -f login
export ADDR

echo "idle:                         RSS $(mem VmRSS), peak $(mem VmHWM)"
seq 1 200 | xargs -P 200 -I{} curl -s -o /dev/null -w '%{http_code}\n' "http://$ADDR/healthz" | statuses >"$work/s"
echo "200 parallel GET /healthz:    peak $(mem VmHWM)   $(cat "$work/s")"
start=$(date +%s.%N)
seq 1 200 | xargs -P 200 -I{} bash -c 'login admin' | statuses >"$work/s"
echo "(a) 200 wrong logins, admin:  peak $(mem VmHWM)   $(cat "$work/s") $(echo "$(date +%s.%N) - $start" | bc) s"
start=$(date +%s.%N)
seq 1 200 | xargs -P 200 -I{} bash -c 'login nobody-{}' | statuses >"$work/s"
echo "(b) 200 unknown, one address: peak $(mem VmHWM)   $(cat "$work/s") $(echo "$(date +%s.%N) - $start" | bc) s"
start=$(date +%s.%N)
seq 1 200 | xargs -P 200 -I{} bash -c 'n={}; login "ghost-$n" "127.0.$((1 + n / 100)).$((n % 100 + 1))"' | statuses >"$work/s"
echo "(c) 200 unknown, 200 addrs:   peak $(mem VmHWM)   $(cat "$work/s") $(echo "$(date +%s.%N) - $start" | bc) s"
echo "after:                        RSS $(mem VmRSS)"
