#!/usr/bin/env bash
# Reader throughput: MB/s of CSV and Parquet scans, localmode against
# DuckDB's readers (threads=1 and 2) measured in the same run.
#
#   bench/readers.sh [N] [--runs R]
#
# The data is the anchor harness's g1_N.csv (gen_data.py; 9 columns: three
# strings, six numbers). Parquet copies of it are written once by each side
# (DuckDB COPY ... snappy; localmode's writer through a job file, snappy), and
# every system reads every file. Each measurement is one process that scans
# the whole file and computes count(*) and max() of every column, so every
# value is decoded and nothing can be skipped; each system's start-up (its
# `SELECT 1` process, same number of runs) is subtracted. The maxima are
# compared between systems as the check that all of them read the same rows.
#
# Env: ANCHOR_HARNESS (default ../shared/bench), ANCHOR_DATA (default
#      bench/data), BUILD_DIR (default build-bench), LM_MASTER (default local[2]).
# Output: bench/results/readers-N.txt (docs/performance.md keeps the table of record).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
harness="$(cd "${ANCHOR_HARNESS:-$root/../shared/bench}" && pwd)"
n="${1:-1e6}"
[ $# -gt 0 ] && shift
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) echo "readers.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
build="${BUILD_DIR:-$root/build-bench}"
export ANCHOR_DATA="${ANCHOR_DATA:-$here/data}"
export LM_MASTER="${LM_MASTER:-local[2]}"
mkdir -p "$ANCHOR_DATA" "$here/results"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLM_WERROR=OFF > /dev/null || exit 1
cmake --build "$build" -j2 --target localmode_cli > /dev/null || exit 1
if [ ! -d "$harness/node_modules/@duckdb/node-api" ]; then
  (cd "$harness" && npm install --no-audit --no-fund) || exit 1
fi
(cd "$harness" && python3 gen_data.py "$n") || exit 1

python3 "$here/readers.py" --n "$n" --runs "$runs" --cli "$build/localmode" \
  --duck "$harness/duck_cli.mjs" --data "$ANCHOR_DATA" | tee "$here/results/readers-$n.txt"
exit "${PIPESTATUS[0]}"
