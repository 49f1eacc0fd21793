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
log "pytest"
exec "$VENV/bin/pytest" "$@"
