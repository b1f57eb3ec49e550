#!/usr/bin/env bash
# The README's main job. Until the SQL engine lands on main, the CLI is not
# built, and this says so instead of pretending.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x build/localmode ]; then
    exec build/localmode sql -e "SELECT 1 AS a, 'x' AS b"
fi
echo "localmode: the SQL engine and CLI are not built yet (see docs/status.md)" >&2
exit 1
