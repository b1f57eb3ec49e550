#!/usr/bin/env bash
# Builds with ThreadSanitizer in build-tsan/ and runs the test suite (every
# CTest test, or the ones selected by the arguments, e.g. -L unit or
# -R test_rdd). Any data race, lock-order inversion or thread leak fails the
# test that produced it (halt_on_error), and the report is printed.
#
# clang is preferred (its TSan runtime is the reference); CC=gcc works too.
# The RDD scheduler runs tasks on worker threads, so the suites run with
# several masters' worth of threads; registries built once (pthread_once)
# and the time-zone cache are shared by every session of the process.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build-tsan}
JOBS=${JOBS:-2}
CC=${CC:-clang}
command -v "$CC" >/dev/null || { echo "tsan: $CC is needed" >&2; exit 1; }

CC=$CC cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DLM_SANITIZE=thread >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS"
# second_deadlock_stack: both stacks of a lock-order inversion;
# report_signal_unsafe=0: cmocka's longjmp out of a failing test is not a race;
# allocator_may_return_null=1: tests that provoke allocation failure expect NULL
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:report_signal_unsafe=0:history_size=4:allocator_may_return_null=1}
export LM_SOURCE_DIR=$PWD
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS" "$@"
