#!/usr/bin/env bash
# `localmode run JOB.yaml`: sources, steps (SQL and DataFrame ops), sinks,
# variables; every error path names the file, line, column and the source,
# step or sink, with exit status 1 (2 for usage errors).
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

# a job's stderr and exit status: "rc|message"
run_err() { # file [args...]
    local f=$1; shift
    local err
    err=$("$LM" run "$@" "$f" 2>&1 >/dev/null)
    echo "$?|$err"
}

printf 'id,name,amount,day\n1,alice,10.5,2024-01-01\n2,bob,,2024-01-01\n3,carol,7,2024-01-02\n2,bob,,2024-01-01\n' > people.csv
printf 'day,label\n2024-01-01,new year\n' > days.csv

cat > job.yaml <<'EOF'
name: people
vars:
  min: 5
  out: out
sources:
  - name: people
    format: csv
    path: people.csv
    options: {header: true, inferSchema: true}
  - name: days
    format: csv
    path: days.csv
    options: {header: true}
    schema: "day DATE, label STRING"
steps:
  - name: paid
    sql: |
      SELECT id, name, amount, day
      FROM people
      WHERE amount > ${min}
  - name: labelled
    join: {with: days, using: [day], how: left}
    select: [name, amount, "coalesce(label, '-') AS label"]
    order_by: name
  - name: unique_people
    from: people
    dedupe: [id]
    aggregate: {agg: "count(*) AS n"}
sinks:
  - name: show
    from: labelled
    format: console
  - {from: labelled, format: csv, path: "${out}/labelled", mode: overwrite, options: {header: true}}
  - {from: unique_people, format: json, path: "${out}/count", mode: overwrite}
EOF

out=$("$LM" run job.yaml); rc=$?
check "job runs" "0" "$rc"
check "console sink prints as show()" "+-----+------+--------+
| name|amount|   label|
+-----+------+--------+
|alice|  10.5|new year|
|carol|   7.0|       -|
+-----+------+--------+" "$out"
check "csv sink written" "name,amount,label
alice,10.5,new year
carol,7.0,-" "$(cat out/labelled/part-*.csv)"
check "json sink written" '{"n":3}' "$(cat out/count/part-*.json)"
[ -f out/labelled/_SUCCESS ] && echo "ok _SUCCESS marker" || { echo "FAIL _SUCCESS"; fail=1; }

out=$("$LM" run --var min=8 --var out=out2 job.yaml | grep -c '|')
check "--var overrides vars:" "2" "$out"
[ -d out2/labelled ] && echo "ok --var in a sink path" || { echo "FAIL --var path"; fail=1; }

rm -rf out3
out=$("$LM" run --check --var out=out3 job.yaml); rc=$?
check "--check runs nothing" "0|" "$rc|$out"
[ ! -e out3 ] && echo "ok --check writes nothing" || { echo "FAIL --check wrote"; fail=1; }

# ------------------------------------------------------------ bad jobs
bad() { # name file-content expected [args]
    printf '%s\n' "$2" > bad.yaml
    local got
    got=$(run_err bad.yaml "${@:4}")
    check "$1" "$3" "$got"
}

bad "YAML syntax error" 'steps: [
  - sql: x' "1|bad.yaml:2:3: YAML error: did not find expected node content while parsing a flow node"

bad "unknown top-level key, with a suggestion" 'stesp:
  - sql: SELECT 1' "1|bad.yaml:1:1: unknown key \`stesp\` in a job (did you mean \`steps\`?)"

bad "empty job" '' "1|bad.yaml: the job file is empty (a job has sources, steps and sinks)"

bad "source without a format" 'sources:
  - name: people
    path: people.csv' "1|bad.yaml:2:5: source \"people\": a source needs a \`format\` (csv, json, text or parquet)"

bad "unsupported format" 'sources:
  - {name: people, format: avro, path: people.csv}' "1|bad.yaml:2:28: source \"people\": unsupported format \`avro\` (localmode reads csv, json, text and parquet)"

bad "missing input file" 'sources:
  - {name: people, format: csv, path: nowhere.csv}' "1|bad.yaml:2:39: source \"people\": [PATH_NOT_FOUND] Path does not exist: file:$dir/nowhere.csv."

bad "name is not an identifier" 'steps:
  - name: my step
    sql: SELECT 1' "1|bad.yaml:2:11: step 1: step name \`my step\` must be an identifier (letters, digits and _, not starting with a digit): it becomes a view name"

bad "duplicate names" 'sources:
  - {name: t, format: csv, path: people.csv}
steps:
  - name: t
    sql: SELECT 1' "1|bad.yaml:4:11: step 1: name \`t\` is already used by the source at line 2"

bad "sql and ops together" 'steps:
  - name: s
    sql: SELECT 1 AS a
    filter: a > 0' "1|bad.yaml:4:5: step \"s\": a step has \`sql\` or DataFrame ops (\`filter\` ...), not both: split it in two steps"

bad "unknown op, with a suggestion" 'steps:
  - name: s
    sql: SELECT 1 AS a
  - name: t
    filtr: a > 0' "1|bad.yaml:5:5: step \"t\": unknown key \`filtr\` in a step (did you mean \`filter\`?)"

bad "undefined variable" 'steps:
  - name: s
    sql: SELECT ${nope} AS a' "1|bad.yaml:3:17: step \"s\": undefined variable \${nope}: give it with --var nope=VALUE or under \`vars:\`"

bad "unresolved column in a SQL block, at its line and column" 'steps:
  - name: s
    sql: |
      SELECT 1 AS amount,
             amout + 1 AS more' "1|bad.yaml:5:14: step \"s\": [UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name \`amout\` cannot be resolved."

bad "unresolved column in an op, at the op" 'steps:
  - name: s
    sql: SELECT 1 AS amount
  - name: t
    filter: amount > 0
    select: [amount, amont]' "1|bad.yaml:6:22: step \"t\": [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name \`amont\` cannot be resolved. Did you mean one of the following? [\`s\`.\`amount\`]."

bad "syntax error in SQL" 'steps:
  - name: s
    sql: SELEC 1' "1|bad.yaml:3:10: step \"s\": [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos 0)"

bad "unknown view in from" 'steps:
  - name: s
    from: nowhere
    filter: x > 1' "1|bad.yaml:3:11: step \"s\": [TABLE_OR_VIEW_NOT_FOUND] The table or view \`nowhere\` cannot be found. Verify the spelling and correctness of the schema and catalog."

bad "bad join type" 'steps:
  - {name: a, sql: SELECT 1 AS k}
  - {name: b, join: {with: a, using: [k], how: sideways}}' "1|bad.yaml:3:48: step \"b\": Unsupported join type 'sideways'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'."

bad "bad save mode" 'steps:
  - {name: a, sql: SELECT 1 AS k}
sinks:
  - {format: csv, path: o, mode: upsert}' "1|bad.yaml:4:34: sink 1: Unknown save mode: upsert. Accepted save modes are 'overwrite', 'append', 'ignore', 'error', 'errorifexists', 'default'."

mkdir -p exists && touch exists/part-0
bad "sink target exists (errorifexists)" 'steps:
  - {name: a, sql: SELECT 1 AS k}
sinks:
  - {name: out, format: csv, path: exists}' "1|bad.yaml:4:36: sink \"out\": [PATH_ALREADY_EXISTS] Path file:$dir/exists already exists. Set mode as \"overwrite\" to overwrite the existing path."

bad "runtime error at the sink" 'conf: {spark.sql.ansi.enabled: true}
steps:
  - {name: a, sql: "SELECT CAST('"'"'x'"'"' AS INT) AS k"}
sinks:
  - {format: console}' "1|bad.yaml:5:5: sink 1: [CAST_INVALID_INPUT] The value 'x' of the type \"STRING\" cannot be cast to \"INT\" because it is malformed. Correct the value as per the syntax, or change its target type. Use \`try_cast\` to tolerate malformed input and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error."

bad "named command step" 'steps:
  - name: v
    sql: CREATE TEMPORARY VIEW w AS SELECT 1 AS k' "1|bad.yaml:2:11: step \"v\": its SQL is a command with no rows to name: drop \`name:\`, or make the SQL a query"

# ---------------------------------------------------------------- usage
"$LM" run >/dev/null 2>&1; check "no job file is a usage error" "2" "$?"
"$LM" run --bogus job.yaml >/dev/null 2>&1; check "unknown option is a usage error" "2" "$?"
err=$("$LM" run --var nokey job.yaml 2>&1); rc=$?
check "malformed --var" "2|--var expects NAME=VALUE (NAME of letters, digits, _ . -), got 'nokey'" "$rc|$err"
"$LM" run missing.yaml >/dev/null 2>&1; check "missing job file fails" "1" "$?"

exit $fail
