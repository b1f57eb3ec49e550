#!/usr/bin/env bash
# `localmode sql` prints results exactly as Spark's show() does and exits
# with Spark's error text and status 1 on bad SQL, 2 on bad usage.
set -u
LM=$1
fail=0
check() { # name expected actual
    if [ "$2" != "$3" ]; then
        echo "FAIL $1"; echo "--- expected"; echo "$2"; echo "--- actual"; echo "$3"; fail=1
    else
        echo "ok $1"
    fi
}

out=$("$LM" sql -e "SELECT 1 AS a, 'x' AS b")
check "select literals" "+---+---+
|  a|  b|
+---+---+
|  1|  x|
+---+---+" "$out"

out=$("$LM" sql -e "CREATE TEMPORARY VIEW v AS SELECT * FROM VALUES (2), (1) AS t(n); SELECT n FROM v ORDER BY n")
check "view then query" "+---+
|  n|
+---+
|  1|
|  2|
+---+" "$out"

tmp=$(mktemp)
printf 'SELECT 3 AS c;\n-- a comment; with a semicolon\nSELECT '"'"'a;b'"'"' AS s;\n' > "$tmp"
out=$("$LM" sql -f "$tmp")
rm -f "$tmp"
check "file with comments and quoted semicolons" "+---+
|  c|
+---+
|  3|
+---+
+---+
|  s|
+---+
|a;b|
+---+" "$out"

err=$("$LM" sql -e "SELECT nope" 2>&1 >/dev/null); rc=$?
check "unresolved column exit status" "1" "$rc"
case "$err" in
    *UNRESOLVED_COLUMN*) echo "ok unresolved column message" ;;
    *) echo "FAIL unresolved column message: $err"; fail=1 ;;
esac

"$LM" sql --bogus >/dev/null 2>&1; rc=$?
check "usage error exit status" "2" "$rc"

out=$("$LM" sql --output tsv -e "SELECT 1 AS a, 'x' AS b, array(1, 2) AS c, CAST(NULL AS INT) AS d")
check "tsv output as spark-sql -S" "$(printf '1\tx\t[1,2]\tNULL')" "$out"

out=$("$LM" sql --output csv -e "SELECT 1 AS a, 'x,y' AS b")
check "csv output quotes separators" "a,b
1,\"x,y\"" "$out"

out=$("$LM" sql --output json -e "SELECT 1 AS a, 'q\"' AS b, CAST(NULL AS INT) AS n, named_struct('f', 1.5D) AS s")
check "json lines omit nulls" '{"a":1,"b":"q\"","s":{"f":1.5}}' "$out"

out=$(printf 'SELECT 7 AS seven;\n' | "$LM" sql --output tsv)
check "statements from standard input" "7" "$out"

err=$("$LM" sql --timing --output tsv -e "SELECT 1" 2>&1 >/dev/null)
case "$err" in
    query_time_s=*) echo "ok timing line" ;;
    *) echo "FAIL timing line: $err"; fail=1 ;;
esac

# the last statement runs R times in one process, its result printed once;
# the statements before it run once
errfile=$(mktemp)
out=$("$LM" sql --timing-runs 3 --output tsv -e "CREATE TEMPORARY VIEW t AS SELECT 1 AS a; SELECT count(*) FROM t; SELECT sum(a) + 1 FROM t" 2>"$errfile")
err=$(cat "$errfile"); rm -f "$errfile"
check "timing runs print the result once" "$(printf '1\n2')" "$out"
case "$err" in
    *query_first_s=*query_time_s=*) echo "ok timing runs lines" ;;
    *) echo "FAIL timing runs lines: $err"; fail=1 ;;
esac
if "$LM" sql --timing-runs 0 -e "SELECT 1" >/dev/null 2>&1; then
    echo "FAIL timing runs 0 accepted"; fail=1
else
    echo "ok timing runs 0 refused"
fi

out=$("$LM" env --master 'local[3]')
case "$out" in
    *"spark.master = local[3]  (command line)"*) echo "ok env shows origin" ;;
    *) echo "FAIL env shows origin: $out"; fail=1 ;;
esac

if command -v script >/dev/null 2>&1; then
    # the interactive shell, on a pseudo-terminal: a statement over two lines
    out=$(printf 'SELECT 40 +\n2 AS answer;\n' | HOME=$(mktemp -d) script -qec "$LM sql --output tsv" /dev/null 2>&1 | tr -d '\r')
    case "$out" in
        *"> 2 AS answer;"*"42"*) echo "ok interactive shell" ;;
        *) echo "FAIL interactive shell: $out"; fail=1 ;;
    esac
fi

"$LM" --version | grep -q "Spark 3.5" && echo "ok version" || { echo "FAIL version"; fail=1; }

exit $fail
