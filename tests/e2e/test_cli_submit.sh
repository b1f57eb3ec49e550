#!/usr/bin/env bash
# `localmode submit`: local masters run on the embedded engine; other
# masters go to $SPARK_HOME/bin/spark-sql with the same master and conf.
set -u
LM=$1
fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf "SELECT 6 * 7 AS answer;\n" > "$dir/job.sql"

out=$("$LM" submit --master 'local[2]' "$dir/job.sql")
case "$out" in *"|    42|"*) echo "ok local master runs embedded" ;; *) echo "FAIL local run: $out"; fail=1 ;; esac

mkdir -p "$dir/spark/bin"
printf '#!/bin/sh\necho "spark-sql $*"\n' > "$dir/spark/bin/spark-sql"
chmod +x "$dir/spark/bin/spark-sql"

out=$(SPARK_HOME="$dir/spark" "$LM" submit --master spark://host:7077 --conf spark.sql.shuffle.partitions=8 --dry-run "$dir/job.sql")
expected="$dir/spark/bin/spark-sql --master spark://host:7077 --conf spark.sql.shuffle.partitions=8 -f $dir/job.sql"
[ "$out" = "$expected" ] && echo "ok dry run prints the spark-sql command" || { echo "FAIL dry run: $out"; fail=1; }

out=$(SPARK_HOME="$dir/spark" "$LM" submit --master yarn "$dir/job.sql")
[ "$out" = "spark-sql --master yarn -f $dir/job.sql" ] && echo "ok cluster master runs spark-sql" || { echo "FAIL exec: $out"; fail=1; }

"$LM" submit --master 'bogus' "$dir/job.sql" >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && echo "ok bad master fails" || { echo "FAIL bad master exit $rc"; fail=1; }

"$LM" submit "$dir/missing.yaml" >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && echo "ok missing job file fails" || { echo "FAIL missing yaml exit $rc"; fail=1; }
"$LM" submit "$dir/job.txt" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && echo "ok unknown job kind is a usage error" || { echo "FAIL txt exit $rc"; fail=1; }
exit $fail
