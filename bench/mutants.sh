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
# a file can be re-run after new tests without losing the others. After adding tests,
# MUTANTS_ARGS=--iterate re-tests only the mutants not caught before. The table takes each
# mutant's newest outcome, and lists the missed ones with the reason, for those judged
# equivalent, from bench/mutants-equivalent.tsv.
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
import collections, glob, json, os, re, sys
wanted = sys.argv[1:]
# Each mutant's newest outcome over every run (a run with --iterate re-tests only the mutants
# not caught before and lists the others in previously_caught.txt).
newest = {}
for run in sorted(glob.glob("mutants.out/*/mutants.out"), key=lambda d: os.path.getmtime(d + "/outcomes.json") if os.path.exists(d + "/outcomes.json") else 0):
    prev = os.path.join(run, "previously_caught.txt")
    if os.path.exists(prev):
        for line in open(prev):
            if line.strip():
                newest[line.strip()] = "caught"
    if not os.path.exists(run + "/outcomes.json"):
        continue
    for o in json.load(open(run + "/outcomes.json"))["outcomes"]:
        scen = o.get("scenario")
        if isinstance(scen, dict) and "Mutant" in scen:
            kind = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable",
                    "Timeout": "timeout"}.get(o["summary"], o["summary"])
            newest[scen["Mutant"]["name"]] = kind
# Survivors judged equivalent (same behaviour, so no test can tell): "name<TAB>reason" lines.
reasons = {}
if os.path.exists("bench/mutants-equivalent.tsv"):
    for line in open("bench/mutants-equivalent.tsv"):
        if "\t" in line and not line.startswith("#"):
            name, why = line.rstrip("\n").split("\t", 1)
            reasons[name] = why
by_file = collections.defaultdict(collections.Counter)
missed = []
for name, kind in newest.items():
    f = name.split(":", 1)[0]
    by_file[f][kind] += 1
    if kind == "missed":
        missed.append(name)
print("| file | mutants | caught | missed | unviable | timeouts | caught of viable |")
print("|---|---:|---:|---:|---:|---:|---:|")
total_c = collections.Counter()
for f in wanted:
    c = by_file.get(f)
    if not c:
        print(f"| `{f}` | not run | | | | | |")
        continue
    total_c.update(c)
    viable = c["caught"] + c["missed"] + c["timeout"]
    share = f"{100 * (c['caught'] + c['timeout']) / viable:.1f} %" if viable else "–"
    print(f"| `{f}` | {sum(c.values())} | {c['caught']} | {c['missed']} | {c['unviable']} | {c['timeout']} | {share} |")
viable = total_c["caught"] + total_c["missed"] + total_c["timeout"]
if viable:
    print(f"| all | {sum(total_c.values())} | {total_c['caught']} | {total_c['missed']} | {total_c['unviable']} | {total_c['timeout']} | {100 * (total_c['caught'] + total_c['timeout']) / viable:.1f} % |")
print()
print("missed mutants (each killed by a test, or equivalent with the reason in bench/mutants-equivalent.tsv):")
for name in sorted(missed, key=lambda n: (n.split(":")[0], int(n.split(":")[1]))):
    print(f"{name}\t{reasons.get(name, 'NO REASON YET')}")
PY
