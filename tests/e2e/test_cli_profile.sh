#!/usr/bin/env bash
# `localmode profile` runs a job under callgrind and reports the operators.
set -u
LM=$1
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed: skipped"; exit 0; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf "CREATE TEMPORARY VIEW t AS SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(k, v);\nSELECT k, count(*) FROM t GROUP BY k;\n" > "$dir/job.sql"
out=$(cd "$dir" && "$LM" profile --top 5 job.sql)
rc=$?
fail=0
[ $rc -eq 0 ] || { echo "FAIL exit status $rc"; fail=1; }
case "$out" in *"PROGRAM TOTALS"*) echo "ok totals" ;; *) echo "FAIL totals: $out"; fail=1 ;; esac
case "$out" in *"lm_op_aggregate"*) echo "ok operators listed" ;; *) echo "FAIL operators: $out"; fail=1 ;; esac
[ -s "$dir/callgrind.out.localmode" ] && echo "ok raw profile kept" || { echo "FAIL raw profile"; fail=1; }
"$LM" profile "$dir/missing.sql" >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && echo "ok missing job fails" || { echo "FAIL missing job exit $rc"; fail=1; }
exit $fail
