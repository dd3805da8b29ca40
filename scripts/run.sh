#!/usr/bin/env bash
# Install everything, migrate, load the demo data (once) and start Startklaar at
# http://127.0.0.1:5000 on the embedded defaults: a SQLite file under instance/, mail kept in
# the outbox viewer. Prints the demo logins.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install.sh
export FLASK_APP=wsgi
.venv/bin/flask db upgrade
if .venv/bin/flask demo; then :; else echo "(demo data was already loaded)"; fi
.venv/bin/python -c "from app.demo import print_logins; print_logins()"
exec .venv/bin/flask run --host 127.0.0.1 --port 5000
