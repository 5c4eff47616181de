#!/usr/bin/env bash
# THE test command (README, .ci/run): system packages, .venv, the local OpenSearch and PostgreSQL, ruff, pytest.
# Fails on any failure, including "no tests collected". Extra arguments go to pytest (e.g. tests/scripts -x).
#
# Servers: a server already answering on its port is reused (the dev servers); otherwise this script starts
# one and stops it on exit. Ports: POLICYKB_TEST_OS_PORT (default 9201), POLICYKB_TEST_PG_PORT (default 55432).
set -uo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
T0=$(date +%s)
OS_PORT="${POLICYKB_TEST_OS_PORT:-9201}"
PG_PORT="${POLICYKB_TEST_PG_PORT:-55432}"
declare -a SUMMARY=()
STARTED_OS=0
STARTED_PG=0

step() { printf '\n==> [%4ss] %s\n' "$(($(date +%s) - T0))" "$*"; }
note() { SUMMARY+=("$*"); }
die() {
    echo "test.sh: FAILED: $*" >&2
    note "FAILED: $*"
    exit 1
}

cleanup() {
    local rc=$?
    if [ "$STARTED_OS" = 1 ]; then python3 scripts/search_server.py stop --port "$OS_PORT" || true; fi
    if [ "$STARTED_PG" = 1 ]; then python3 scripts/pg_server.py stop --port "$PG_PORT" || true; fi
    printf '\n==================== test.sh summary (%ss) ====================\n' "$(($(date +%s) - T0))"
    printf '  %s\n' "${SUMMARY[@]}"
    if [ "$rc" -eq 0 ]; then echo "  RESULT: PASS"; else echo "  RESULT: FAIL (exit $rc)"; fi
    exit "$rc"
}
trap cleanup EXIT

step "system packages (scripts/system_deps.sh)"
bash scripts/system_deps.sh </dev/null || die "system packages could not be installed"
note "system packages: ok"

step "python virtualenv (.venv)"
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
[ -n "$PYTHON" ] || die "no Python >= 3.11 found (set PYTHON=/path/to/python3.11)"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv || die "could not create .venv with $PYTHON"
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Editable install: code changes need no reinstall, only a changed pyproject.toml does (stamp in .venv).
STAMP=.venv/.policykb-install-stamp
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x .venv/bin/policykb ]; then
    note "venv: $(.venv/bin/python -V 2>&1), pyproject.toml unchanged since the last install"
else
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]' </dev/null ||
        die "pip install -e '.[dev]' failed"
    echo "$WANT" >"$STAMP"
    note "venv: $(.venv/bin/python -V 2>&1), installed -e '.[dev]'"
fi

step "OpenSearch on 127.0.0.1:$OS_PORT (scripts/search_server.py)"
if python3 scripts/search_server.py status --port "$OS_PORT"; then
    note "OpenSearch: reused the server already up on :$OS_PORT"
else
    python3 scripts/search_server.py start --port "$OS_PORT" </dev/null || die "OpenSearch did not start (log above)"
    STARTED_OS=1
    note "OpenSearch: started on :$OS_PORT for this run (stopped at exit)"
fi

step "PostgreSQL on 127.0.0.1:$PG_PORT (scripts/pg_server.py)"
if python3 scripts/pg_server.py status --port "$PG_PORT"; then
    note "PostgreSQL: reused the server already up on :$PG_PORT"
else
    python3 scripts/pg_server.py start --port "$PG_PORT" </dev/null || die "PostgreSQL did not start (log above)"
    STARTED_PG=1
    note "PostgreSQL: started on :$PG_PORT for this run (stopped at exit)"
fi
python3 scripts/pg_server.py start --port "$PG_PORT" >/dev/null || die "could not create database policykb_test"

export POLICYKB_TEST_OPENSEARCH_URL="http://127.0.0.1:$OS_PORT"
export POLICYKB_TEST_DATABASE_URL="$(python3 scripts/pg_server.py url --port "$PG_PORT")"
export POLICYKB_SHARED_DATA="${POLICYKB_SHARED_DATA:-$REPO/../shared/data}"
export POLICYKB_CHROMIUM="${POLICYKB_CHROMIUM:-/usr/bin/chromium}"
[ -d "$POLICYKB_SHARED_DATA" ] || die "shared data not found at $POLICYKB_SHARED_DATA (clone beside ../shared)"

# ruff and pytest both run, so one report shows every problem; either failing fails the run.
FAILED=0
step "ruff check ."
if .venv/bin/ruff check . </dev/null; then
    note "ruff: clean"
else
    note "FAILED: ruff check found problems (see above)"
    FAILED=1
fi

step "pytest (all tests; per-test timeout from pyproject, whole run at most 75 min)"
mkdir -p test-artifacts
timeout --signal=TERM 4500 .venv/bin/python -m pytest --durations=15 "$@" </dev/null 2>&1 | tee test-artifacts/pytest.log
PYTEST_RC=${PIPESTATUS[0]}
PYTEST_LINE="$(grep -E '^=+ .*[0-9.]+s( \([0-9:]+\))? =+$' test-artifacts/pytest.log | tail -1 | sed -E 's/^=+ //; s/ =+$//')"
[ -n "$PYTEST_LINE" ] && note "pytest: $PYTEST_LINE (full output: test-artifacts/pytest.log)"
case "$PYTEST_RC" in
    0) note "pytest: all passed" ;;
    5) note "FAILED: pytest collected no tests (exit 5)" ;;
    124) note "FAILED: pytest did not finish within 75 minutes" ;;
    *) note "FAILED: pytest failed (exit $PYTEST_RC)" ;;
esac
[ "$PYTEST_RC" -eq 0 ] || FAILED=1
exit "$FAILED"
