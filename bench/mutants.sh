#!/usr/bin/env bash
# Mutation testing of the rules that decide outcomes (not part of CI: it is slow — each mutant
# rebuilds the library and runs its unit tests). Needs cargo-mutants:
#   cargo install cargo-mutants --locked
# Usage: [MUTANTS_ARGS="--in-place -j 2"] bench/mutants.sh [file …]   (default: every file below)
# Output: mutants.out/ (cargo-mutants' own), and a table per file: mutants, caught, missed,
# unviable, timeouts, and the share of viable mutants caught.
set -euo pipefail
cd "$(dirname "$0")/.."

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(
    src/domain/ranking.rs
    src/domain/sealing.rs
    src/domain/conflict.rs
    src/domain/proposal_state.rs
    src/domain/call.rs
    src/domain/completeness.rs
    src/domain/representativeness.rs
    src/domain/layout.rs
    src/domain/project.rs
    src/domain/selection/types.rs
    src/domain/selection/model.rs
    src/domain/selection/solve.rs
    src/domain/selection/diagnose.rs
    src/domain/selection/explain.rs
  )
fi
args=()
for f in "${files[@]}"; do args+=(-f "$f"); done

# Unit tests only: the rules are tested there (the API suite would multiply the time by ten).
cargo mutants ${MUTANTS_ARGS:-} --no-shuffle --timeout-multiplier 3 "${args[@]}" -- --lib || true

python3 - "${files[@]}" <<'PY'
import json, sys, collections
outcomes = json.load(open("mutants.out/outcomes.json"))["outcomes"]
per = collections.defaultdict(collections.Counter)
for o in outcomes:
    scen = o.get("scenario")
    if not isinstance(scen, dict) or "Mutant" not in scen:
        continue
    f = scen["Mutant"]["file"]
    s = o["summary"]
    per[f][{"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable",
            "Timeout": "timeout"}.get(s, s)] += 1
print("| file | mutants | caught | missed | unviable | timeouts | caught of viable |")
print("|---|---:|---:|---:|---:|---:|---:|")
for f in sys.argv[1:]:
    c = per.get(f, collections.Counter())
    total = sum(c.values())
    viable = c["caught"] + c["missed"] + c["timeout"]
    share = f"{100 * (c['caught'] + c['timeout']) / viable:.1f} %" if viable else "–"
    print(f"| `{f}` | {total} | {c['caught']} | {c['missed']} | {c['unviable']} | {c['timeout']} | {share} |")
PY
echo
echo "missed mutants (each needs a test, or a one-line reason it is equivalent):"
cat mutants.out/missed.txt 2>/dev/null || true
