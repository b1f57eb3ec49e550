#!/usr/bin/env bash
# Configures, builds and runs every CTest test (unit, conformance, e2e).
# Extra arguments go to ctest, e.g. `ci/test.sh -L unit`.
# Environment: BUILD_DIR (build), BUILD_TYPE (RelWithDebInfo), JOBS (2).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
JOBS=${JOBS:-2}

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS"
# ctest ends with its summary: "N% tests passed, F tests failed out of T" and
# the time per label.
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS" "$@"
