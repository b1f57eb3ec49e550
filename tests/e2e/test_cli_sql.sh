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

"$LM" sql >/dev/null 2>&1; rc=$?
check "usage error exit status" "2" "$rc"

exit $fail
