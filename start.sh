#!/usr/bin/env bash
# Installs Hotline into .venv and starts it on its embedded defaults: a SQLite file, the in-process queue
# stand-in when no Redis answers, the built-in ESL simulator, and a demo tenant cloned from the
# express-delivery template (DID 4008001234). Open http://127.0.0.1:5000/ afterwards.
source "$(dirname "$0")/scripts/bootstrap.sh"
ensure_venv ""  # what running needs, not the test tools (playwright alone is 167 MB)
ensure_frontend
exec "$VENV/bin/hotline" up "$@"
