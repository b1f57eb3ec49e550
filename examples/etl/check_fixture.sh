#!/usr/bin/env bash
# The committed fixtures/etl/ is exactly what the generator writes.
# usage: check_fixture.sh ETL_GEN FIXTURE_DIR SCRATCH_DIR
set -eu
gen=$1 fixture=$2 scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
"$gen" "$scratch"
for f in orders.csv products.csv; do
    if ! cmp -s "$scratch/$f" "$fixture/$f"; then
        echo "FAIL $fixture/$f differs from the generator's output: regenerate with $gen $fixture"
        exit 1
    fi
done
echo "ok fixtures/etl is the generator's output ($(wc -l < "$fixture/orders.csv") order lines)"
