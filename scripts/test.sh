#!/usr/bin/env bash
# Install everything and run the whole test suite: on a SQLite file, then on a throwaway
# PostgreSQL database (localhost:5432). A PostgreSQL that cannot be reached is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install.sh --with-browser

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format would change files: run .venv/bin/ruff format ." >&2; exit 1; }

# Tests run in parallel, one pytest-xdist worker per core (each with its own database and browser).
workers=${PYTEST_WORKERS:-auto}

echo "== tests on SQLite (with the real-browser journeys)"
.venv/bin/pytest -n "$workers" "$@"

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
    # the run's database and the ones its xdist workers made beside it (<name>_gw0, …)
    names = [row[0] for row in conn.execute(
        "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
        (sys.argv[2], sys.argv[2] + "_gw%"),
    )]
    for name in names:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
PY
}
trap cleanup EXIT
TEST_DATABASE_URL="${PG_ADMIN_URL%/*}/$dbname" .venv/bin/pytest -n "$workers" -m "not browser" "$@"
