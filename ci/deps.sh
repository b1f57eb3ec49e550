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
)

# ---- Interop tests (not yet in the tree) -----------------------------------
# Node.js for the interop tests. Installed only with LM_DEPS_INTEROP=1; a node
# and npm already on PATH (e.g. from another packaging) count as installed.
INTEROP_PACKAGES=(nodejs npm)
# ----------------------------------------------------------------------------

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
