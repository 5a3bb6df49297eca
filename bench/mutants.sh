#!/usr/bin/env bash
# Mutation testing of the rules that decide outcomes (not part of CI: it is slow — each mutant
# rebuilds the rules' crate, jiebang-domain, and runs its unit tests). Needs cargo-mutants:
#   cargo install cargo-mutants --locked
# Usage: [MUTANTS_ARGS="--in-place"] bench/mutants.sh [file …]   (default: every file below)
# Runs one file at a time (each into mutants.out/<file>/, so a long run can be resumed file by
# file and a file re-run after new tests), then prints a table per file: mutants, caught, missed,
# unviable, timeouts, and the share of viable mutants caught; and the missed mutants.
set -euo pipefail
cd "$(dirname "$0")/.."

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(
    domain/src/representativeness.rs
    domain/src/layout.rs
    domain/src/proposal_state.rs
    domain/src/sealing.rs
    domain/src/selection/types.rs
    domain/src/conflict.rs
    domain/src/completeness.rs
    domain/src/call.rs
    domain/src/ranking.rs
    domain/src/selection/diagnose.rs
    domain/src/selection/solve.rs
    domain/src/selection/explain.rs
    domain/src/selection/model.rs
  )
fi

out_dir() { echo "mutants.out/$(echo "$1" | sed 's#domain/src/##; s#/#_#g; s#\.rs$##')"; }

for f in "${files[@]}"; do
  if [ -z "${MUTANTS_SKIP_RUN:-}" ]; then
    # The rules' crate and its unit and property tests only (cargo-mutants tests the package
    # that holds the mutated file): the API suite would multiply the time by ten.
    # A generous fixed timeout: on a busy machine a multiple of the baseline would call slow
    # builds "timeouts", and a timeout counts as caught.
    cargo mutants ${MUTANTS_ARGS:-} --no-shuffle --timeout 180 --build-timeout 900 \
      -f "$f" -o "$(out_dir "$f")" || true
  fi
done

python3 - "${files[@]}" <<'PY'
import json, sys, collections, os, re
print("| file | mutants | caught | missed | unviable | timeouts | caught of viable |")
print("|---|---:|---:|---:|---:|---:|---:|")
missed = []
for f in sys.argv[1:]:
    d = "mutants.out/" + re.sub(r"\.rs$", "", f.replace("domain/src/", "").replace("/", "_"))
    path = os.path.join(d, "mutants.out", "outcomes.json")
    if not os.path.exists(path):
        print(f"| `{f}` | not run | | | | | |")
        continue
    c = collections.Counter()
    for o in json.load(open(path))["outcomes"]:
        scen = o.get("scenario")
        if not isinstance(scen, dict) or "Mutant" not in scen:
            continue
        c[{"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable",
           "Timeout": "timeout"}.get(o["summary"], o["summary"])] += 1
    total = sum(c.values())
    viable = c["caught"] + c["missed"] + c["timeout"]
    share = f"{100 * (c['caught'] + c['timeout']) / viable:.1f} %" if viable else "–"
    print(f"| `{f}` | {total} | {c['caught']} | {c['missed']} | {c['unviable']} | {c['timeout']} | {share} |")
    m = os.path.join(d, "mutants.out", "missed.txt")
    if os.path.exists(m):
        missed += [l.rstrip() for l in open(m) if l.strip()]
print()
print("missed mutants (each needs a test, or a one-line reason it is equivalent):")
for l in missed:
    print(l)
PY
