#!/usr/bin/env bash
# Mutation testing of the rules that decide outcomes (not part of CI: it is slow — each mutant
# rebuilds the rules' crate, jiebang-domain, and runs its unit and property tests). Needs
# cargo-mutants:
#   cargo install cargo-mutants --locked
# Usage: bench/mutants.sh [file …]   (default: every file below, one run)
#   MUTANTS_JOBS   parallel builds (default 2; each holds its own copy of the tree)
#   MUTANTS_ARGS   more cargo-mutants options (e.g. "--timeout 60" on a busy machine: by default
#                  cargo-mutants sets the test timeout from the baseline's, and a timeout counts
#                  as caught)
#   MUTANTS_SKIP_RUN=1   print the table from earlier runs only
# A run goes to mutants.out/<name>/ (name "all" for the default list, else the files' names), so
# a file can be re-run after new tests without losing the others; the table takes each file
# from the newest run that mutated it, and lists the missed mutants.
set -euo pipefail
cd "$(dirname "$0")/.."

files=("$@")
name=all
if [ ${#files[@]} -eq 0 ]; then
  files=(
    domain/src/representativeness.rs
    domain/src/layout.rs
    domain/src/proposal_state.rs
    domain/src/sealing.rs
    domain/src/conflict.rs
    domain/src/completeness.rs
    domain/src/call.rs
    domain/src/ranking.rs
    domain/src/selection/types.rs
    domain/src/selection/diagnose.rs
    domain/src/selection/solve.rs
    domain/src/selection/explain.rs
    domain/src/selection/model.rs
  )
else
  name=$(printf '%s\n' "${files[@]}" | sed 's#domain/src/##; s#/#_#g; s#\.rs$##' | paste -sd+ -)
fi

if [ -z "${MUTANTS_SKIP_RUN:-}" ]; then
  filters=()
  for f in "${files[@]}"; do filters+=(-f "$f"); done
  # -p: mutate the rules' crate and run its own tests (cargo-mutants tests the package that
  # holds the mutated file); the API suite would multiply the time by ten.
  mkdir -p "mutants.out/$name"
  # --lib: the crate's unit and property tests (it has no integration or doc tests), so the
  # doc-test pass is skipped; the `mutants` profile has no debug info (Cargo.toml).
  cargo mutants -p jiebang-domain --no-shuffle -j "${MUTANTS_JOBS:-2}" --build-timeout 900 \
    --profile mutants --cargo-test-arg=--lib \
    ${MUTANTS_ARGS:-} "${filters[@]}" -o "mutants.out/$name" || true
fi

python3 - "${files[@]}" <<'PY'
import collections, glob, json, os, sys
wanted = sys.argv[1:]
# For each file, the outcomes of the newest run that mutated it.
newest = {}
for path in sorted(glob.glob("mutants.out/*/mutants.out/outcomes.json"), key=os.path.getmtime):
    by_file = collections.defaultdict(list)
    for o in json.load(open(path))["outcomes"]:
        scen = o.get("scenario")
        if isinstance(scen, dict) and "Mutant" in scen:
            by_file[scen["Mutant"]["file"]].append(o)
    for f, outcomes in by_file.items():
        newest[f] = outcomes
print("| file | mutants | caught | missed | unviable | timeouts | caught of viable |")
print("|---|---:|---:|---:|---:|---:|---:|")
missed = []
total_c = collections.Counter()
for f in wanted:
    if f not in newest:
        print(f"| `{f}` | not run | | | | | |")
        continue
    c = collections.Counter()
    for o in newest[f]:
        kind = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable",
                "Timeout": "timeout"}.get(o["summary"], o["summary"])
        c[kind] += 1
        if kind == "missed":
            missed.append(o["scenario"]["Mutant"]["name"])
    total_c.update(c)
    total = sum(c.values())
    viable = c["caught"] + c["missed"] + c["timeout"]
    share = f"{100 * (c['caught'] + c['timeout']) / viable:.1f} %" if viable else "–"
    print(f"| `{f}` | {total} | {c['caught']} | {c['missed']} | {c['unviable']} | {c['timeout']} | {share} |")
viable = total_c["caught"] + total_c["missed"] + total_c["timeout"]
if viable:
    print(f"| all | {sum(total_c.values())} | {total_c['caught']} | {total_c['missed']} | {total_c['unviable']} | {total_c['timeout']} | {100 * (total_c['caught'] + total_c['timeout']) / viable:.1f} % |")
print()
print("missed mutants (each needs a test, or a one-line reason it is equivalent):")
for l in missed:
    print(l)
PY
