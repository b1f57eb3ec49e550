#!/usr/bin/env bash
# Installs the Debian packages localmode builds and tests with. Idempotent:
# does nothing when everything is present. As root it installs what is
# missing; otherwise it prints the exact command to run.
set -euo pipefail

PACKAGES=(build-essential cmake pkg-config libcmocka-dev libyaml-dev zlib1g-dev libzstd-dev
          libsnappy-dev libpcre2-dev libedit-dev valgrind lcov tzdata)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "localmode needs these Debian packages; run:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
