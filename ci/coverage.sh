#!/usr/bin/env bash
# Line coverage of localmode/ and testkit/ by the CTest tests: a gcov build in
# build-cov/, an lcov report in build-cov/coverage-html/index.html, and one
# summary line: "line coverage: NN.N% (covered/total)".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BUILD_DIR=${BUILD_DIR:-build-cov}
JOBS=${JOBS:-2}

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DLM_COVERAGE=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS"
lcov --quiet --zerocounters --directory "$BUILD_DIR"
# Failing tests still count towards coverage; report them but go on.
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS" "$@" || echo "coverage: some tests failed"

# Debian's lcov 1.16 warns "Subroutine ... redefined" on every run; drop that noise.
quiet() { "$@" 2> >(grep -v 'redefined at' >&2) >/dev/null; }

INFO=$BUILD_DIR/coverage.info
quiet lcov --quiet --capture --directory "$BUILD_DIR" --output-file "$INFO.all"
quiet lcov --quiet --extract "$INFO.all" "$ROOT/localmode/*" "$ROOT/testkit/*" --output-file "$INFO"
rm -rf "$BUILD_DIR/coverage-html"
quiet genhtml --quiet --output-directory "$BUILD_DIR/coverage-html" "$INFO"

# lcov --summary prints "lines......: 85.3% (1234 of 1446 lines)".
summary=$(lcov --summary "$INFO" 2>&1 | grep -E '^ *lines\.*:' || true)
if [[ $summary =~ ([0-9.]+)%\ \(([0-9]+)\ of\ ([0-9]+)\ lines\) ]]; then
    echo "line coverage: ${BASH_REMATCH[1]}% (${BASH_REMATCH[2]}/${BASH_REMATCH[3]})"
else
    echo "line coverage: no data" >&2
    exit 1
fi
echo "coverage: report in $BUILD_DIR/coverage-html/index.html"
