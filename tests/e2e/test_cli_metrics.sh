#!/usr/bin/env bash
# --metrics prints each job's operators with rows in, rows out and time;
# on a terminal, jobs over half a second draw Spark's progress bar on
# stderr, wiped when they end; never when stderr is not a terminal.
set -u
LM=$1
fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

check() { # name expected actual
    if [ "$2" != "$3" ]; then
        echo "FAIL $1"; echo "--- expected"; echo "$2"; echo "--- actual"; echo "$3"; fail=1
    else
        echo "ok $1"
    fi
}

# the table without its time columns, which vary
shape() { sed -E 's/^ +([0-9]+) +([0-9]+) +[0-9.]+ +[0-9.]+  /\1 \2 /; s/: succeeded, [0-9.]+ s,/: succeeded,/'; }

cat > job.yaml <<'EOF'
steps:
  - name: nums
    sql: SELECT id, id % 3 AS g FROM range(10)
  - name: counts
    filter: id > 2
    aggregate: {group_by: g, agg: "count(*) AS n"}
sinks:
  - {name: counts, format: console}
EOF
err=$("$LM" run --metrics job.yaml 2>&1 >/dev/null)
check "run --metrics" "== Metrics ==
Job 0 (sink \"counts\": console): succeeded, 5 operators, 10 rows read, 3 rows out
      rows in    rows out    time ms    self ms  operator
3 3 Project [g, count(1) AS n]
7 3 +- HashAggregate keys=[g], functions=[count(1)]
10 7    +- Filter (id > 2)
10 10       +- Project [id, (id % 3) AS g]
10 10          +- Range [id]" "$(echo "$err" | shape)"

err=$("$LM" sql --metrics --output tsv -e "SELECT 1; SELECT count(*) FROM range(4)" 2>&1 >/dev/null | grep '^Job')
check "sql --metrics: a job per query" "Job 0 (SELECT 1): succeeded, 2 operators, 1 rows read, 1 rows out
Job 1 (SELECT count(*) FROM range(4)): succeeded, 3 operators, 4 rows read, 1 rows out" "$(echo "$err" | shape)"

err=$("$LM" sql --metrics -e "SELECT nope" 2>&1 >/dev/null)
check "no job ran" "Error: [UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name \`nope\` cannot be resolved.
== Metrics ==
no jobs ran" "$err"

# a job long enough for the bar (about a second and more)
cat > slow.yaml <<'EOF'
steps:
  - {name: a, sql: "SELECT id % 1000 AS k, id FROM range(1500000)"}
  - {name: b, aggregate: {group_by: k, agg: "count(*) AS n"}, order_by: k}
sinks:
  - {format: console, options: {numRows: 1}}
EOF
err=$("$LM" run slow.yaml 2>&1 >/dev/null)
check "no progress bar when stderr is not a terminal" "" "$err"
if command -v script >/dev/null 2>&1; then
    out=$(COLUMNS=50 script -qec "$LM run slow.yaml 2>&1 >/dev/null" /dev/null | od -An -c -v | tr -d ' \n')
    case "$out" in
        *'\r[Stage0:'*'/'*']'*) echo "ok progress bar on a terminal" ;;
        *) echo "FAIL progress bar: $out"; fail=1 ;;
    esac
    blank=$(printf '%50s' '' | tr -d ' ')
    case "$out" in
        *'\r'"$blank"'\r') echo "ok the bar is wiped at the end" ;;
        *) echo "FAIL wipe: $out"; fail=1 ;;
    esac
    out=$(script -qec "$LM run --conf spark.ui.showConsoleProgress=false slow.yaml 2>&1 >/dev/null" /dev/null)
    check "spark.ui.showConsoleProgress=false turns it off" "" "$out"
fi
exit $fail
