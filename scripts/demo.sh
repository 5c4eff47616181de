#!/usr/bin/env bash
# THE install-and-run command (README): creates .venv, installs policykb, then runs `policykb demo` (the embedded
# default: SQLite store and search, no servers needed). Until the demo command exists it prints `policykb --help`.
# Extra arguments go to `policykb demo`.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
    for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            PYTHON="$candidate"
            break
        fi
    done
fi
if [ -z "$PYTHON" ]; then
    echo "demo.sh: no Python >= 3.11 found (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
echo "==> installing policykb into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e . </dev/null

if .venv/bin/policykb demo --help >/dev/null 2>&1; then
    echo "==> policykb demo $*"
    exec .venv/bin/policykb demo "$@"
fi
echo "==> policykb --help (the demo command is not there yet)"
exec .venv/bin/policykb --help
