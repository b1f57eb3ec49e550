#!/usr/bin/env bash
# The benchmark in one command: builds the CLI (Release), generates the
# data (N = 1e6 unless given) with the anchor harness's gen_data.py,
# installs the harness's npm dependency only when it is absent, and runs
# the harness's bench.sh with localmode added as a command-template system
# on local[2], next to DuckDB (threads=1, 2), pandas and SQLite.
#
#   bench/run.sh [N] [extra bench.sh options, e.g. --queries q1,join --runs 3]
#
# Env: ANCHOR_HARNESS (default ../shared/bench, read as is, never copied),
#      ANCHOR_DATA (default bench/data), BUILD_DIR (default build-bench),
#      LM_MASTER (default local[2]).
# The printed table (median seconds and ratios, same run for every system)
# is also copied to bench/results/; docs/performance.md records it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
harness="$(cd "${ANCHOR_HARNESS:-$root/../shared/bench}" && pwd)"
n="${1:-1e6}"
[ $# -gt 0 ] && shift
build="${BUILD_DIR:-$root/build-bench}"
master="${LM_MASTER:-local[2]}"
export ANCHOR_DATA="${ANCHOR_DATA:-$here/data}"
mkdir -p "$ANCHOR_DATA" "$here/results"

# Release build of the CLI (warnings are not errors: other compilers'
# optimiser warnings must not stop a measurement)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLM_WERROR=OFF > /dev/null
cmake --build "$build" -j2 --target localmode_cli > /dev/null

# DuckDB's node package, once
if [ ! -d "$harness/node_modules/@duckdb/node-api" ]; then
  (cd "$harness" && npm install --no-audit --no-fund)
fi
if ! python3 -c 'import pandas' 2>/dev/null && ! /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
  echo "run.sh: pandas is missing (apt-get install -y python3-pandas); the table will lack it" >&2
fi

(cd "$harness" && python3 gen_data.py "$n")

cli="$build/localmode sql --conf spark.master=$master --timing --output tsv --file {sql}"
status=0
"$harness/bench.sh" "$n" --system "localmode=$cli" "$@" || status=$?
for f in "$harness"/results/anchors-"$n"*.txt "$harness"/results/anchors-"$n"*.tsv; do
  [ -f "$f" ] && cp "$f" "$here/results/"
done
exit $status
