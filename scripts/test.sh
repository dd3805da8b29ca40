#!/usr/bin/env bash
# Install everything and run the whole test suite: on a SQLite file, then on a throwaway
# PostgreSQL database (localhost:5432). A PostgreSQL that cannot be reached is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install.sh --with-browser

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format would change files: run .venv/bin/ruff format ." >&2; exit 1; }

echo "== tests on SQLite (with the real-browser journeys)"
.venv/bin/pytest "$@"

echo "== tests on PostgreSQL"
PG_ADMIN_URL=${PG_ADMIN_URL:-postgresql://postgres@localhost:5432/postgres}
if ! .venv/bin/python - "$PG_ADMIN_URL" <<'PY'
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=5).close()
PY
then
  # On this machine kind PostgreSQL is started before a session; start it if it went down.
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    sleep 2
  fi
fi
dbname="startklaar_test_$$_$RANDOM"
.venv/bin/python - "$PG_ADMIN_URL" "$dbname" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True, connect_timeout=10) as conn:
    conn.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
cleanup() {
  .venv/bin/python - "$PG_ADMIN_URL" "$dbname" <<'PY' || true
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PY
}
trap cleanup EXIT
TEST_DATABASE_URL="${PG_ADMIN_URL%/*}/$dbname" .venv/bin/pytest -m "not browser" "$@"
