#!/usr/bin/env bash
# Runs the whole test suite for real: installs the project into .venv, starts (installing if needed)
# PostgreSQL and Redis, checks lint, then runs pytest. Extra arguments go to pytest.
source "$(dirname "$0")/scripts/bootstrap.sh"
ensure_venv test
ensure_postgres
ensure_redis
ensure_chromium
ensure_espeak
ensure_frontend
cd "$ROOT"
log "ruff"
"$VENV/bin/ruff" check --quiet .

# The whole suite (no test paths, markers or selections given, only output options): most tests on every CPU
# (pytest-xdist, one module per worker at a time so a module's database is built once), then the tests marked
# `serial` in one process: browser tests and the runtime/CLI process tests, whose timed waits must not share the
# machine with another worker (tests/conftest.py). Anything else goes to pytest as given.
whole_suite=1
for arg in "$@"; do
  case "$arg" in -q|-qq|-v|-vv|-x|-ra|-rA|--tb=*|--durations=*) ;; *) whole_suite=0 ;; esac
done
workers="${HOTLINE_TEST_WORKERS:-$(nproc)}"
if [ "$whole_suite" = 1 ] && [ "$workers" -gt 1 ]; then
  log "pytest: the parallel phase on $workers workers"
  status=0
  "$VENV/bin/pytest" -n "$workers" --dist loadfile -m "not serial" "$@" || status=$?
  log "pytest: the serial phase (runtime, CLI and browser tests)"
  serial_status=0
  "$VENV/bin/pytest" -m serial "$@" || serial_status=$?
  [ "$serial_status" = 5 ] && serial_status=0  # none collected
  [ "$status" != 0 ] && exit "$status"
  exit "$serial_status"
fi
log "pytest"
exec "$VENV/bin/pytest" "$@"
