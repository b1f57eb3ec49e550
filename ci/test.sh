#!/usr/bin/env bash
# Builds and runs the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j2
