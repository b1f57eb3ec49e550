#!/usr/bin/env bash
# Installs the Debian packages localmode needs to build and test.
# Idempotent: when everything is installed it does nothing. As root it
# installs what is missing; otherwise it prints the command to run and fails.
# README.md's dependency table says why each package is here.
set -euo pipefail

# Build, test, memcheck and coverage.
BUILD_PACKAGES=(
    build-essential cmake pkg-config
    libcmocka-dev libyaml-dev zlib1g-dev libzstd-dev libsnappy-dev libpcre2-dev libedit-dev
    valgrind lcov tzdata
    clang libclang-rt-14-dev
)

# ---- Interop tests (tests/interop) ---------------------------------------
# Node.js for the interop tests. Installed only with LM_DEPS_INTEROP=1; a node
# and npm already on PATH (e.g. from another packaging) count as installed.
INTEROP_PACKAGES=(nodejs npm)
# ----------------------------------------------------------------------------

# The DuckDB Parquet interop test (tests/interop) needs @duckdb/node-api,
# pinned in tests/interop/package-lock.json. Installed project-locally
# whenever node and npm are on PATH; without node the test skips itself.
install_interop_npm() {
    local dir
    dir="$(cd "$(dirname "$0")/.." && pwd)/tests/interop"
    [ -f "$dir/package-lock.json" ] || return 0
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "deps: node/npm not found; the DuckDB interop test will be skipped"
        return 0
    fi
    if [ -d "$dir/node_modules/@duckdb/node-api" ]; then
        return 0
    fi
    echo "deps: installing the interop test's npm packages (tests/interop)"
    (cd "$dir" && npm ci --no-audit --no-fund)
}

installed() {
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

missing=()
for p in "${BUILD_PACKAGES[@]}"; do
    installed "$p" || missing+=("$p")
done
if [ "${LM_DEPS_INTEROP:-0}" = 1 ]; then
    for p in "${INTEROP_PACKAGES[@]}"; do
        cmd=$p
        [ "$p" = nodejs ] && cmd=node
        installed "$p" || command -v "$cmd" >/dev/null 2>&1 || missing+=("$p")
    done
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all ${#BUILD_PACKAGES[@]} Debian packages present"
    install_interop_npm
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages: ${missing[*]}" >&2
    echo "deps: install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
install_interop_npm
