#!/usr/bin/env bash
# The benchmark in one command: builds the CLI (Release), generates the
# data (N = 1e6 unless given) with the anchor harness's gen_data.py,
# installs the harness's npm dependency only when it is absent, and runs
# the anchor systems (DuckDB threads=1 and 2, pandas, SQLite) and localmode
# (local[2], through the harness's command-template runner run_cmd.py) one
# after the other in the same run, then prints the harness's comparison
# table (compare.py: median seconds, ratio to DuckDB threads=1, checksums).
#
#   bench/run.sh [N] [--runs R] [--queries q1,join] [--systems duckdb-t1,localmode,localmode-cold]
#
# Why not the harness's bench.sh: at the time of writing it passes
# --load-runs to run_duckdb.mjs, run_pandas.py and run_sqlite.sh, which
# reject that option, so every built-in system fails; this script runs the
# same runners with the same arguments minus that one. The harness is used
# in place (read-only), never copied.
#
# Env: ANCHOR_HARNESS (default ../shared/bench), ANCHOR_DATA (default
#      bench/data), BUILD_DIR (default build-bench), LM_MASTER (default
#      local[2]), PANDAS_PYTHON, ANCHOR_TIMEOUT.
# Output: bench/results/anchors-N.tsv and .txt (docs/performance.md keeps
# the table of record).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
harness="$(cd "${ANCHOR_HARNESS:-$root/../shared/bench}" && pwd)"
n="${1:-1e6}"
[ $# -gt 0 ] && shift
runs="" queries="" systems=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --queries) queries="$2"; shift 2 ;;
    --systems) systems="$2"; shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$runs" ] || runs=$(python3 -c "import sys; print(3 if float(sys.argv[1]) >= 1e7 else 5)" "$n")
build="${BUILD_DIR:-$root/build-bench}"
master="${LM_MASTER:-local[2]}"
export ANCHOR_DATA="${ANCHOR_DATA:-$here/data}"
mkdir -p "$ANCHOR_DATA/logs" "$here/results"
want() { [ -z "$systems" ] || [[ ",$systems," == *",$1,"* ]]; }
qopt=(); [ -n "$queries" ] && qopt=(--only "$queries")

# Release build of the CLI; warnings are not errors here so that another
# compiler's optimiser warnings cannot stop a measurement
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLM_WERROR=OFF > /dev/null || exit 1
cmake --build "$build" -j2 --target localmode_cli > /dev/null || exit 1

if [ ! -d "$harness/node_modules/@duckdb/node-api" ]; then
  (cd "$harness" && npm install --no-audit --no-fund) || exit 1
fi
pandas_py="${PANDAS_PYTHON:-}"
if [ -z "$pandas_py" ]; then
  for p in python3 /usr/bin/python3; do
    if "$p" -c 'import pandas' 2>/dev/null; then pandas_py="$p"; break; fi
  done
fi
[ -n "$pandas_py" ] || echo "run.sh: no python with pandas (apt-get install -y python3-pandas)" >&2

cd "$harness"
python3 gen_data.py "$n" || exit 1
cat "$ANCHOR_DATA"/g1_"$n".csv "$ANCHOR_DATA"/x_"$n".csv "$ANCHOR_DATA"/y_"$n".csv > /dev/null

tsv="$here/results/anchors-$n.tsv"
log="$ANCHOR_DATA/logs/run-$n.log"
printf 'system\tquery\tmedian_s\tchecksum\tmin_s\truns_s\n' > "$tsv"
: > "$log"
failed=()
run_system() { # label cmd...
  local label="$1"; shift
  want "$label" || return 0
  echo "== $label" >&2
  local out rc
  out="$("$@" 2> >(tee -a "$log" >&2))"; rc=$?
  [ $rc -ne 0 ] && { echo "!! $label failed (exit $rc)" | tee -a "$log" >&2; failed+=("$label"); }
  [ -n "$out" ] && printf '%s\n' "$out" | sed "s/^/$label\t/" >> "$tsv"
  return 0
}
run_system duckdb-t1 node run_duckdb.mjs "$n" --threads 1 --runs "$runs" "${qopt[@]}"
run_system duckdb-t2 node run_duckdb.mjs "$n" --threads 2 --runs "$runs" "${qopt[@]}"
[ -n "$pandas_py" ] && run_system pandas "$pandas_py" run_pandas.py "$n" --runs "$runs" "${qopt[@]}"
run_system sqlite ./run_sqlite.sh "$n" --runs "$runs" "${qopt[@]}"
# localmode: like the DuckDB and pandas runners, each process times the
# query warm (the median of $runs runs in the process, --timing-runs);
# localmode-cold times only the first run of a fresh process, where the
# first touch of the query's memory counts
cli="$build/localmode sql --conf spark.master=$master --timing-runs $runs --output tsv -f {sql}"
run_system localmode python3 run_cmd.py "$n" --label localmode --cmd "$cli" --runs "$runs" \
  --timeout "${ANCHOR_TIMEOUT:-600}" "${qopt[@]}"
cli="$build/localmode sql --conf spark.master=$master --timing --output tsv -f {sql}"
run_system localmode-cold python3 run_cmd.py "$n" --label localmode-cold --cmd "$cli" \
  --runs "$runs" --timeout "${ANCHOR_TIMEOUT:-600}" "${qopt[@]}"

{
  echo "anchors N=$n runs=$runs  $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) cores, localmode on $master"
  python3 compare.py "$tsv"; rc=$?
  [ ${#failed[@]} -gt 0 ] && { echo "FAILED systems (see $log): ${failed[*]}"; rc=1; }
  exit $rc
} | tee "$here/results/anchors-$n.txt"
exit "${PIPESTATUS[0]}"
