#!/usr/bin/env bash
# Runs the ETL example's job file (examples/etl/job.yaml) with the built
# CLI and prints a short summary of what it wrote. `make run` calls this
# through ci/run-main.sh.
#
#   BUILD_DIR=build OUTPUT=/tmp/daily_sales METRICS=1 bash examples/etl/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

BUILD_DIR=${BUILD_DIR:-build}
cli=$BUILD_DIR/localmode
if [ ! -x "$cli" ]; then
    echo "run.sh: the localmode CLI was not built (looked for $cli)" >&2
    exit 1
fi
out=${OUTPUT:-$BUILD_DIR/etl/daily_sales}
input=fixtures/etl
flags=()
[ "${METRICS:-0}" = 1 ] && flags+=(--metrics)

echo "ETL example: $input/orders.csv ($(($(wc -l < "$input/orders.csv") - 1)) order lines)" \
     "and $input/products.csv -> $out"
start=$(date +%s%N)
"$cli" run "${flags[@]}" --var input="$input" --var output="$out" examples/etl/job.yaml
end=$(date +%s%N)
files=$(find "$out" -name 'part-*.parquet' | wc -l)
echo "job done in $(( (end - start) / 1000000 )) ms: $files Parquet files in $(find "$out" -mindepth 1 -type d -name 'day=*' | wc -l) day partitions"

"$cli" sql -e "
CREATE TEMPORARY VIEW daily_sales USING parquet OPTIONS (path '$out');
SELECT count(*) AS rows, min(day) AS first_day, max(day) AS last_day,
       sum(orders) AS orders, sum(units) AS units, sum(revenue) AS revenue
FROM daily_sales;
SELECT category, sum(revenue) AS revenue, sum(orders) AS orders,
       count_if(rank_in_day = 1) AS days_on_top
FROM daily_sales GROUP BY category ORDER BY revenue DESC LIMIT 5;"
