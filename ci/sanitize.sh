#!/usr/bin/env bash
# Builds with AddressSanitizer and UBSan and runs the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build-asan BUILD_TYPE=Debug ci/build.sh -DLM_SANITIZE=address,undefined
cd build-asan
ctest --output-on-failure -j2
