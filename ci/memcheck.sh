#!/usr/bin/env bash
# Runs every unit suite (CTest label `unit`) under valgrind memcheck, from a
# Debug build in build-memcheck/. A suite fails on any memory error or any
# definite, indirect or possible leak; its valgrind log is printed.
# Logs: build-memcheck/memcheck/<suite>.log
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BUILD_DIR=${BUILD_DIR:-build-memcheck}
JOBS=${JOBS:-2}
VALGRIND=(valgrind --tool=memcheck --leak-check=full
          --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1
          --track-origins=yes --num-callers=30)

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS"

LOG_DIR=$BUILD_DIR/memcheck
rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"

# `ctest -N -V` lists each test's command as "<n>: Test command: <exe> [args]".
mapfile -t commands < <(ctest --test-dir "$BUILD_DIR" -N -V -L unit |
                        sed -n 's/^[0-9]*: Test command: //p')
# Tests registered with localmode_add_test() have a valgrind twin (label
# memcheck) that CTest runs with the test's own environment; leave those to it.
mapfile -t twins < <(ctest --test-dir "$BUILD_DIR" -N -L memcheck |
                     sed -n 's/^ *Test *#[0-9]*: \(.*\)\.memcheck$/\1/p')
if [ ${#twins[@]} -gt 0 ]; then
    kept=()
    for c in "${commands[@]}"; do
        eval "parts=($c)"
        skip=0
        for t in "${twins[@]}"; do
            [ "$(basename "${parts[0]}")" = "$t" ] && skip=1
        done
        [ $skip -eq 0 ] && kept+=("$c")
    done
    commands=("${kept[@]}")
fi
if [ ${#commands[@]} -eq 0 ]; then
    echo "memcheck: no unit suites found" >&2
    exit 1
fi

export LM_SOURCE_DIR=$ROOT
run_one() {
    # ctest prints each argument in double quotes; let the shell unquote them
    local cmd
    eval "cmd=($1)"
    local name
    name=$(basename "${cmd[0]}")
    if (cd "$BUILD_DIR" && "${VALGRIND[@]}" "${cmd[@]}") >"$LOG_DIR/$name.log" 2>&1; then
        echo "ok" >"$LOG_DIR/$name.status"
    else
        echo "FAILED" >"$LOG_DIR/$name.status"
    fi
}

# At most JOBS suites at a time.
running=0
for c in "${commands[@]}"; do
    run_one "$c" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait

failed=()
for c in "${commands[@]}"; do
    eval "parts=($c)"
    name=$(basename "${parts[0]}")
    status=$(cat "$LOG_DIR/$name.status" 2>/dev/null || echo FAILED)
    if [ "$status" != ok ]; then
        failed+=("$name")
        echo "==== memcheck FAILED: $name (log: $LOG_DIR/$name.log) ===="
        tail -n 80 "$LOG_DIR/$name.log"
    fi
done

if [ ${#twins[@]} -gt 0 ]; then
    if ! ctest --test-dir "$BUILD_DIR" -L memcheck --output-on-failure >"$LOG_DIR/twins.log" 2>&1; then
        failed+=("${twins[@]/%/.memcheck}")
        tail -n 80 "$LOG_DIR/twins.log"
    fi
fi

total=$(( ${#commands[@]} + ${#twins[@]} ))
clean=$((total - ${#failed[@]}))
if [ ${#failed[@]} -eq 0 ]; then
    echo "memcheck: $clean/$total unit suites valgrind-clean"
else
    echo "memcheck: $clean/$total unit suites valgrind-clean; failed: ${failed[*]}"
    exit 1
fi
