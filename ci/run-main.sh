#!/usr/bin/env bash
# The main job `make run` runs. This is the one place to change it.
# It is the ETL example (examples/etl/run.sh); without it, one query.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}

if [ -f examples/etl/run.sh ]; then
    export BUILD_DIR
    exec bash examples/etl/run.sh
fi

cli=""
for c in "$BUILD_DIR/localmode" "$BUILD_DIR/cli/localmode" "$BUILD_DIR/localmode/cli/localmode"; do
    if [ -f "$c" ] && [ -x "$c" ]; then
        cli=$c
        break
    fi
done
if [ -z "$cli" ]; then
    echo "run: the localmode CLI was not built (looked for $BUILD_DIR/localmode)" >&2
    exit 1
fi
exec "$cli" sql -e "SELECT 1 AS a, 'x' AS b"
