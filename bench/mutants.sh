#!/usr/bin/env bash
# Mutation testing of the rules that decide outcomes (not part of CI: it is slow — each mutant
# rebuilds the rules' crate, jiebang-domain, and runs its unit and property tests). Needs
# cargo-mutants:
#   cargo install cargo-mutants --locked
# Usage: bench/mutants.sh [file …]   (default: every file below, in two runs: rules, selection)
#   MUTANTS_JOBS   parallel builds (default 2; each holds its own copy of the tree)
#   MUTANTS_ARGS   more cargo-mutants options (e.g. "--timeout 60" on a busy machine: by default
#                  cargo-mutants sets the test timeout from the baseline's, and a timeout counts
#                  as caught)
#   MUTANTS_SKIP_RUN=1   print the table from earlier runs only
#   MUTANTS_RETEST=1   test only the mutants bench/mutants-outcomes.tsv does not show caught (no
#                  outcome yet, or missed): after new tests, on a new machine where mutants.out/
#                  and so --iterate are gone, or after edits moved lines and so renamed mutants
# A run goes to mutants.out/<name>/ (rules and selection by default, else the files' names), so
# a file can be re-run after new tests without losing the others. After adding tests,
# MUTANTS_ARGS=--iterate re-tests only the mutants not caught before. The table takes each
# mutant's newest outcome, and lists the missed ones with the reason, for those judged
# equivalent, from bench/mutants-equivalent.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."

rules=(
  domain/src/representativeness.rs
  domain/src/layout.rs
  domain/src/proposal_state.rs
  domain/src/sealing.rs
  domain/src/conflict.rs
  domain/src/completeness.rs
  domain/src/call.rs
  domain/src/ranking.rs
)
selection=(
  domain/src/selection/types.rs
  domain/src/selection/diagnose.rs
  domain/src/selection/solve.rs
  domain/src/selection/explain.rs
  domain/src/selection/model.rs
)

# One cargo-mutants run into mutants.out/<name>/; the arguments after the files go to `cargo
# test` (after a second `--`, to the test binary).
#   -p: mutate the rules' crate and run its own tests (cargo-mutants tests the package that holds
#       the mutated file); the API suite would multiply the time by ten.
#   --lib: the crate's unit and property tests (it has no integration or doc tests), so the
#       doc-test pass is skipped; the `mutants` profile has no debug info (Cargo.toml).
run() {
  local name=$1
  shift
  local filters=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do filters+=(-f "$1"); shift; done
  if [ -n "${MUTANTS_RETEST:-}" ]; then
    # One exact-name regex per mutant listed now that the record does not show caught.
    local names
    names=$(cargo mutants --list -p jiebang-domain "${filters[@]}" | python3 -c '
import sys
def esc(s):
    return "".join("\\" + c if c in "\\.+*?()|[]{}^$" else c for c in s)
done = set()
for line in open("bench/mutants-outcomes.tsv"):
    if "\t" in line and not line.startswith("#"):
        name, outcome = line.rstrip("\n").rsplit("\t", 1)
        if outcome != "missed":
            done.add(name)
for n in sys.stdin.read().splitlines():
    if n.strip() and n.strip() not in done:
        print("^" + esc(n.strip()) + "$")')
    if [ -z "$names" ]; then echo "$name: every mutant is caught (or unviable)"; return; fi
    echo "$name: $(printf '%s\n' "$names" | wc -l) mutants to (re)test"
    while IFS= read -r re; do filters+=(-F "$re"); done <<<"$names"
  fi
  mkdir -p "mutants.out/$name"
  cargo mutants -p jiebang-domain --no-shuffle -j "${MUTANTS_JOBS:-2}" --build-timeout 900 \
    --profile mutants ${MUTANTS_ARGS:-} "${filters[@]}" -o "mutants.out/$name" "$@" || true
  # Keep every run's outcomes: a later --iterate run re-tests only some mutants, and cargo-mutants
  # keeps one earlier run (mutants.out.old).
  mkdir -p mutants.out/history
  cp "mutants.out/$name/mutants.out/outcomes.json" "mutants.out/history/$(date +%s)-$name.json" || true
}

files=("$@")
if [ -z "${MUTANTS_SKIP_RUN:-}" ]; then
  if [ ${#files[@]} -eq 0 ]; then
    # Two runs, each with the tests that can tell its mutants apart: the selection's property
    # tests (brute force over every subset) are 60 % of the crate's test time and exercise only
    # the selection (and its stored run); the other rules' tests do not reach the selection.
    run rules "${rules[@]}" -- --lib -- --skip selection::
    run selection "${selection[@]}" -- --lib -- selection
  else
    run "$(printf '%s\n' "${files[@]}" | sed 's#domain/src/##; s#/#_#g; s#\.rs$##' | paste -sd+ -)" \
      "${files[@]}" -- --lib
  fi
fi
[ ${#files[@]} -eq 0 ] && files=("${rules[@]}" "${selection[@]}")

python3 - "${files[@]}" <<'PY'
import collections, glob, json, os, re, sys
wanted = sys.argv[1:]
# Each mutant's newest outcome over every run kept (a run with --iterate re-tests only the
# mutants not caught before).
# bench/mutants-outcomes.tsv, committed, holds the outcomes of earlier sessions' runs (mutants.out
# is not kept); it is read first and rewritten with every newer outcome.
newest = {}
record = "bench/mutants-outcomes.tsv"
if os.path.exists(record):
    for line in open(record):
        if "\t" in line and not line.startswith("#"):
            name, kind = line.rstrip("\n").rsplit("\t", 1)
            newest[name] = kind
runs = glob.glob("mutants.out/history/*.json") + glob.glob("mutants.out/*/mutants.out*/outcomes.json")
for path in sorted(runs, key=os.path.getmtime):
    for o in json.load(open(path))["outcomes"]:
        scen = o.get("scenario")
        if isinstance(scen, dict) and "Mutant" in scen:
            kind = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable",
                    "Timeout": "timeout"}.get(o["summary"], o["summary"])
            newest[scen["Mutant"]["name"]] = kind
def order(n):
    f, line = n.split(":")[:2]
    return (f, int(line), n)
# Only the mutants the code has now count (an edit moves lines, so names change); the others are
# reported as not yet tested.
import subprocess
listed = subprocess.run(
    ["cargo", "mutants", "--list", "-p", "jiebang-domain"]
    + [a for f in sorted({n.split(":")[0] for n in newest} | set(wanted)) for a in ("-f", f)],
    check=True, capture_output=True, text=True).stdout.splitlines()
current = {n.strip() for n in listed if n.strip()}
newest = {n: k for n, k in newest.items() if n in current}
for n in current:
    newest.setdefault(n, "not tested")
with open(record, "w") as out:
    out.write("# Each mutant's newest outcome (bench/mutants.sh writes it): name, tab, outcome.\n")
    for name in sorted(newest, key=order):
        if newest[name] != "not tested":
            out.write(f"{name}\t{newest[name]}\n")
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
print("| file | mutants | caught | missed | unviable | timeouts | not yet tested | caught of viable |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
total_c = collections.Counter()
for f in wanted:
    c = by_file.get(f)
    if not c:
        print(f"| `{f}` | no mutants | | | | | | |")
        continue
    total_c.update(c)
    viable = c["caught"] + c["missed"] + c["timeout"]
    share = f"{100 * (c['caught'] + c['timeout']) / viable:.1f} %" if viable else "–"
    print(f"| `{f}` | {sum(c.values())} | {c['caught']} | {c['missed']} | {c['unviable']} | {c['timeout']} | {c['not tested']} | {share} |")
viable = total_c["caught"] + total_c["missed"] + total_c["timeout"]
if viable:
    print(f"| all | {sum(total_c.values())} | {total_c['caught']} | {total_c['missed']} | {total_c['unviable']} | {total_c['timeout']} | {total_c['not tested']} | {100 * (total_c['caught'] + total_c['timeout']) / viable:.1f} % |")
print()
print("missed mutants (each killed by a test, or equivalent with the reason in bench/mutants-equivalent.tsv):")
for name in sorted(missed, key=order):
    print(f"{name}\t{reasons.get(name, 'NO REASON YET')}")
PY
