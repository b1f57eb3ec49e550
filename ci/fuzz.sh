#!/usr/bin/env bash
# Runs one libFuzzer harness for a while:   ci/fuzz.sh TARGET SECONDS
# TARGET is a harness in tests/fuzz (sql, conf, csv, json, parquet, text, yaml). Builds with clang,
# AddressSanitizer and UBSan into build-fuzz/, seeds the corpus from the
# conformance statements and fixtures, and keeps the corpus in
# build-fuzz/corpus/TARGET between runs. A crash, leak, timeout or
# sanitizer report fails the run and leaves the reproducer in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: ci/fuzz.sh TARGET SECONDS}
seconds=${2:-60}
command -v clang >/dev/null || { echo "fuzz: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLM_FUZZ=ON \
    -DLM_SANITIZE=address,undefined >/dev/null
cmake --build build-fuzz -j"${JOBS:-2}" --target "fuzz_$target" >/dev/null

corpus=build-fuzz/corpus/$target
seeds=build-fuzz/seeds/$target
mkdir -p "$corpus" "$seeds"
if [ -z "$(ls -A "$seeds")" ]; then
    case $target in
    sql)
        # every statement of Spark's golden files is a seed
        golden=../shared/conformance/spark-sql/results
        if [ -d "$golden" ]; then
            find "$golden" -name '*.sql.out' -print0 | xargs -0 awk -v dir="$seeds" '
                /^-- !query schema/ { if (stmt != "") { n++; f = dir "/g" n; printf "%s", stmt > f; close(f) } stmt = ""; inq = 0; next }
                /^-- !query output/ { inq = 0; next }
                /^-- !query$/ { inq = 1; stmt = ""; next }
                inq { stmt = stmt $0 "\n" }'
        fi
        echo "SELECT 1 AS a, 'x' AS b" > "$seeds/basic"
        ;;
    csv | json | parquet | text)
        # every fixture of its format, behind option selector bytes
        # (see tests/fuzz/reader_fuzz.h: one option per bit, 0x80 = schema)
        data=../shared/conformance/test-data
        case $target in
        csv) exts="csv tsv"; sels="00 03 0b 83" ;;
        json) exts="json"; sels="00 01 84" ;;
        parquet) exts="parquet parq"; sels="00 81" ;;
        text) exts="txt csv json"; sels="00 01 02 04" ;;
        esac
        n=0
        for ext in $exts; do
            for f in "$data"/*."$ext"; do
                [ -f "$f" ] || continue
                for sel in $sels; do
                    n=$((n + 1))
                    { printf "\\x$sel"; cat "$f"; } > "$seeds/s$n"
                done
            done
        done
        printf '\x03a,b\n1,x\n' > "$seeds/basic"
        ;;
    yaml)
        for f in examples/testing/fixtures/*.yaml fixtures/*.yaml; do
            [ -f "$f" ] && cp "$f" "$seeds/"
        done
        printf 'tables:\n  t:\n    schema: "a INT, b ARRAY<STRING>"\n    rows:\n      - [1, [x, y]]\n      - {a: 2}\n' > "$seeds/basic.yaml"
        ;;
    conf)
        printf 'local[4]' > "$seeds/master"
        printf 'spark.master local[2]\nspark.sql.shuffle.partitions=8\n# c\n' > "$seeds/props"
        printf -- '--master local[2] --conf spark.a=b pyspark-shell' > "$seeds/submit"
        printf '512m' > "$seeds/bytes"
        ;;
    esac
fi
echo "fuzz: $target for ${seconds}s ($(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) corpus files)"
cd build-fuzz
mkdir -p logs
log=logs/$target.log
set +e
"./tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 \
    -print_final_stats=1 "corpus/$target" "seeds/$target" > "$log" 2>&1
rc=$?
set -e
# the last coverage line and the final statistics; a failure's report in full
grep -E '^#[0-9]+' "$log" | tail -n 1 || true
grep -E '^(Done|stat::)' "$log" || true
if [ $rc -ne 0 ]; then
    grep -v -E '^#[0-9]+' "$log" | tail -n 60 || true
    echo "fuzz: $target failed (exit $rc); full log in build-fuzz/$log" >&2
fi
exit $rc
