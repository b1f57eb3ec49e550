#!/usr/bin/env bash
# Runs every unit suite under valgrind memcheck; fails on any error or leak.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build-memcheck BUILD_TYPE=Debug ci/build.sh
failed=0
total=0
for t in $(cd build-memcheck && ctest -N -L unit | sed -n 's/^ *Test *#[0-9]*: //p'); do
    total=$((total + 1))
    if ! valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
        --error-exitcode=1 "build-memcheck/$t" >"build-memcheck/$t.memcheck.log" 2>&1; then
        echo "memcheck: $t FAILED (see build-memcheck/$t.memcheck.log)"
        failed=$((failed + 1))
    fi
done
echo "memcheck: $((total - failed))/$total suites clean"
[ "$failed" -eq 0 ]
