#!/usr/bin/env bash
# Line coverage of localmode/ and testkit/ with lcov; HTML in build-cov/coverage-html.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build-cov BUILD_TYPE=Debug ci/build.sh -DLM_COVERAGE=ON
(cd build-cov && ctest -j2 >/dev/null)
lcov -q --capture --directory build-cov --output-file build-cov/all.info
lcov -q --extract build-cov/all.info "$PWD/localmode/*" "$PWD/testkit/*" \
     --output-file build-cov/coverage.info
genhtml -q build-cov/coverage.info --output-directory build-cov/coverage-html
lcov --summary build-cov/coverage.info 2>&1 |
    sed -n 's/^ *lines\.*: *\([0-9.]*%\) (\([0-9]*\) of \([0-9]*\) lines).*/line coverage: \1 (\2\/\3)/p'
