#!/bin/bash
# The ML example's two forms print the same metrics: the C program
# (house_prices.c) and the job file (house_prices.yaml, `localmode run`).
# The job prints its metrics views as tables (| metric | value |); the
# program prints "test RMSE: ...". Values must agree to 1e-9 relative, and
# the figures of the committed fixture are spelled out.
#
# usage: check_job.sh ML_HOUSE_PRICES LOCALMODE SOURCE_DIR
set -u
prog=$1 cli=$2 src=$3
c_out=$("$prog" "$src/fixtures/ml/houses.csv") || { echo "C example failed"; exit 1; }
j_out=$("$cli" run "$src/examples/ml/house_prices.yaml") || { echo "job failed"; exit 1; }
echo "$c_out"
echo "$j_out"
c_val() { echo "$c_out" | sed -n "s/^test $1: //p"; }
j_val() { echo "$j_out" | awk -F'|' -v m="$1" '{gsub(/ /, "", $2); gsub(/ /, "", $3)} $2 == m {print $3}'; }
same() { # name, a, b
    awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN {
        if (a == "" || b == "") { print n ": missing (" a " / " b ")"; exit 1 }
        d = a - b; if (d < 0) d = -d; s = a < 0 ? -a : a;
        if (d > 1e-9 * (s > 1 ? s : 1)) { print n ": C " a " != job " b; exit 1 }
        print n ": " a " (C) = " b " (job)" }'
}
near() { # name, value, expected, tolerance
    awk -v n="$1" -v a="$2" -v e="$3" -v t="$4" 'BEGIN {
        d = a - e; if (d < 0) d = -d; if (d > t) { print n ": " a ", expected " e; exit 1 } }'
}
rc=0
same rmse "$(c_val RMSE)" "$(j_val rmse)" || rc=1
same r2 "$(c_val r2)" "$(j_val r2)" || rc=1
same areaUnderROC "$(c_val areaUnderROC)" "$(j_val areaUnderROC)" || rc=1
# the figures of fixtures/ml/houses.csv (169 train rows, 31 test rows)
echo "$c_out" | grep -q "^rows: 169 train, 31 test$" || { echo "split sizes differ"; rc=1; }
near rmse "$(j_val rmse)" 5.91187040439 1e-9 || rc=1
near r2 "$(j_val r2)" 0.995225540059 1e-9 || rc=1
near areaUnderROC "$(j_val areaUnderROC)" 1.0 0 || rc=1
exit $rc
