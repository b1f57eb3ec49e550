#!/usr/bin/env bash
# CTest driver of the DuckDB Parquet interop test (label `interop`).
# Usage: run_interop.sh <interop_parquet binary> <work dir>
# Skips (exit 77) only when node is not installed. The npm dependency is
# installed from the lockfile on first use (ci/deps.sh does it up front);
# a failed install is a failure, not a skip.
set -euo pipefail
HERE="$(cd "${0%/*}" && pwd)"
HELPER=$1
WORK=$2

if ! command -v node >/dev/null 2>&1; then
    echo "SKIPPED: node is not installed; the DuckDB Parquet interop test needs Node.js (LM_DEPS_INTEROP=1 ci/deps.sh)"
    exit 77
fi
if [ ! -d "$HERE/node_modules/@duckdb/node-api" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "interop: node is installed but npm is not; cannot install @duckdb/node-api" >&2
        exit 1
    fi
    (cd "$HERE" && npm ci --no-audit --no-fund)
fi
exec node "$HERE/duckdb_interop.mjs" "$HELPER" "$WORK"
