#!/usr/bin/env bash
# `localmode explain`: Spark's plan text (simple and extended) for SQL and
# job files, and --dot, a Graphviz graph of the physical operators with
# exchanges and stage clusters.
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

setup="CREATE TEMPORARY VIEW v AS SELECT id, id % 3 AS g FROM range(10);"
query="SELECT g, count(*) AS c FROM v WHERE id > 2 GROUP BY g ORDER BY c"

out=$("$LM" explain -e "$setup $query")
check "simple explain is the physical plan" "== Physical Plan ==
AdaptiveSparkPlan isFinalPlan=false
+- *(1) Sort [c#3L ASC NULLS FIRST], true, 0
   +- Exchange rangepartitioning(c#3L ASC NULLS FIRST, 200), ENSURE_REQUIREMENTS, [plan_id=1]
      +- *(2) Project [g#1L, count(1)#2L AS c#3L]
         +- *(2) HashAggregate(keys=[g#1L], functions=[count(1)])
            +- Exchange hashpartitioning(g#1L, 200), ENSURE_REQUIREMENTS, [plan_id=2]
               +- *(3) HashAggregate(keys=[g#1L], functions=[partial_count(1)])
                  +- *(3) Filter (id#0L > cast(2 as bigint))
                     +- *(3) Project [id#0L, (id#0L % cast(3 as bigint)) AS g#1L]" \
    "$(echo "$out" | sed '$d')"

out=$("$LM" explain --extended -e "$setup $query" | grep '^== ')
check "extended explain has the four plans" "== Parsed Logical Plan ==
== Analyzed Logical Plan ==
== Optimized Logical Plan ==
== Physical Plan ==" "$out"

out=$("$LM" explain --dot --conf spark.sql.shuffle.partitions=4 -e "$setup $query")
check "--dot draws operators, exchanges and stages" 'digraph plan_1 {
  rankdir=BT;
  node [shape=box, style="rounded,filled", fillcolor="#e8f0fe", fontname="Helvetica", fontsize=10];
  edge [color="#5f6368"];
  n0 [label="Sort\n[c ASC NULLS FIRST]"];
  n1 [label="Project\n[g, count(1) AS c]"];
  n2 [label="HashAggregate\nkeys=[g], functions=[count(1)]"];
  n3 [label="Filter\n(id > 2)"];
  n4 [label="Project\n[id, (id % 3) AS g]"];
  n5 [label="Range\n[id]"];
  n5 -> n4;
  n4 -> n3;
  n6 [label="Exchange\nhashpartitioning(g, 4)", shape=box, style="filled,dashed", fillcolor="#fff4d6"];
  n3 -> n6;
  n6 -> n2;
  n2 -> n1;
  n7 [label="Exchange\nrangepartitioning(c ASC NULLS FIRST, 4)", shape=box, style="filled,dashed", fillcolor="#fff4d6"];
  n1 -> n7;
  n7 -> n0;
  subgraph cluster_stage_0 {
    label="Stage 0"; style=dashed; color="#9aa0a6";
    n3; n4; n5;
  }
  subgraph cluster_stage_1 {
    label="Stage 1"; style=dashed; color="#9aa0a6";
    n1; n2;
  }
  subgraph cluster_stage_2 {
    label="Stage 2"; style=dashed; color="#9aa0a6";
    n0;
  }
}' "$out"
if command -v dot >/dev/null 2>&1; then
    echo "$out" | dot -Tsvg >/dev/null && echo "ok dot renders the graph" || { echo "FAIL dot"; fail=1; }
fi

out=$("$LM" explain --dot -e "SELECT a.k, b.v FROM VALUES (1, 'x') AS a(k, s) JOIN VALUES (1, 'y') AS b(k, v) ON a.k = b.k" | grep -c 'Exchange')
check "a join shuffles both sides" "2" "$out"

out=$("$LM" explain --dot -e "SELECT k, sum(v) OVER (PARTITION BY k) AS s, rank() OVER (PARTITION BY k ORDER BY v) AS r FROM VALUES (1, 2), (1, 3) AS t(k, v)" | grep -c 'Exchange')
check "a second window on the same partitioning does not shuffle again" "1" "$out"
out=$("$LM" explain --dot -e "SELECT k, sum(s) OVER (PARTITION BY k) FROM (SELECT k, sum(v) AS s FROM VALUES (1, 2) AS t(k, v) GROUP BY k)" | grep -c 'Exchange')
check "a window over an aggregate by its keys does not shuffle again" "1" "$out"

printf 'steps:\n  - {name: a, sql: "SELECT id FROM range(5)"}\n  - {name: b, filter: id > 2}\nsinks:\n  - {from: b, format: console}\n  - {from: a, format: console}\n' > job.yaml
out=$("$LM" explain job.yaml | grep -E '^== sink|Filter')
check "a job file explains each sink's input" "== sink 1: b ==
*(1) Filter (id#0L > cast(2 as bigint))
== sink 2: a ==" "$out"
out=$("$LM" explain --dot job.yaml | grep -c '^digraph')
check "a graph per sink" "2" "$out"

printf 'SELECT 1;\n' > q.sql
out=$("$LM" explain -f q.sql); out=$(echo "$out" | head -1)
check "-f reads a SQL file" "== Physical Plan ==" "$out"

err=$("$LM" explain -e "SELECT nope" 2>&1); rc=$?
check "a bad query fails with Spark's error" "1|Error: [UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name \`nope\` cannot be resolved." "$rc|$err"
err=$("$LM" explain -e "CREATE TEMPORARY VIEW w AS SELECT 1" 2>&1); rc=$?
check "nothing to explain" "1|localmode explain: no query to explain" "$rc|$err"
"$LM" explain --extended --dot -e "SELECT 1" >/dev/null 2>&1; check "--extended with --dot is a usage error" "2" "$?"
exit $fail
