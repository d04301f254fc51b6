#!/usr/bin/env bash
# Install everything and start the tracker with the Kalimantan Tengah demo at http://127.0.0.1:8000
# (SQLite database file db.sqlite3, background jobs in-process). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_setup.sh
setup_venv prod
python manage.py migrate --noinput
python manage.py seed_demo
echo
echo "SSK Tracker: open http://127.0.0.1:8000 and sign in with a demo user above. Ctrl+C stops it."
exec python manage.py runserver "${PORT:-127.0.0.1:8000}"
