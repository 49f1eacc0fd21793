# Shared set-up for start.sh and test.sh: a virtual environment with the project installed, and (for the
# tests) the real services. Sourced, not run. Idempotent: a second run installs nothing new.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

log() { printf '\033[1m[hotline]\033[0m %s\n' "$*" >&2; }

find_python() {
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 13) else 1)'; then
      command -v "$candidate"; return 0
    fi
  done
  log "Python 3.11 or 3.12 is required"; return 1
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  log "installing $* (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_venv() {
  local extras="${1:-}" stamp="$VENV/.installed-${1:-run}"
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating virtual environment in .venv"
    "$(find_python)" -m venv "$VENV"
  fi
  # Reinstall only when the dependency list changed since the last install.
  local want; want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing Python dependencies"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    # No extras (start.sh): only what running needs; "test" adds pytest, playwright, ruff (test.sh).
    if [ -n "$extras" ]; then "$VENV/bin/python" -m pip install -q -e "$ROOT[$extras]"
    else "$VENV/bin/python" -m pip install -q -e "$ROOT"; fi
    echo "$want" > "$stamp"
  fi
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql postgresql-client; fi
  local version; version="$(ls /etc/postgresql | sort -V | tail -n1)"
  # Trust local TCP connections, as on the development machines (the tests create throwaway databases).
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q "hotline-tests" "$hba" 2>/dev/null; then
    printf 'host all all 127.0.0.1/32 trust # hotline-tests\nhost all all ::1/128 trust # hotline-tests\n' |
      cat - "$hba" | as_root tee "$hba.new" >/dev/null && as_root mv "$hba.new" "$hba"
  fi
  log "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='test'" | grep -q 1 ||
    psql -h 127.0.0.1 -U postgres -c "create database test" >/dev/null
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return 0; fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
}

ensure_chromium() {
  # Debian's chromium for the browser tests (never a browser downloaded by a test tool), and a Chinese
  # font so the UI's default language renders in the screenshots the tests save.
  local want=()
  command -v chromium >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromium ] || want+=(chromium)
  dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || want+=(fonts-wqy-microhei)
  if [ ${#want[@]} -gt 0 ]; then apt_install "${want[@]}"; fi
}

ensure_espeak() {
  # espeak-ng renders text prompts to audio in the tests of the prompt TTS (its Mandarin voice, cmn).
  command -v espeak-ng >/dev/null 2>&1 || apt_install espeak-ng
}

ensure_frontend() {
  # The designer's JavaScript and CSS, built with Vite from frontend/ into static/designer/. Rebuilt only
  # when the sources or the lock file changed since the last build (a stamp beside the output).
  local src="$ROOT/frontend" out="$ROOT/static/designer"
  [ -f "$src/package.json" ] || return 0
  if ! command -v npm >/dev/null 2>&1; then apt_install nodejs npm; fi
  local want
  want="$(cd "$src" && find . -path ./node_modules -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)"
  if [ -f "$out/.build-stamp" ] && [ "$(cat "$out/.build-stamp")" = "$want" ]; then return 0; fi
  log "building the designer's front end (npm)"
  if [ -f "$src/package-lock.json" ]; then
    (cd "$src" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  else
    (cd "$src" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  (cd "$src" && npm run --silent build >/dev/null)
  mkdir -p "$out" && echo "$want" > "$out/.build-stamp"
}
