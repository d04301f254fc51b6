#!/usr/bin/env bash
# Install everything and run the whole test suite. SQLite by default; set DATABASE_URL for PostgreSQL.
# Extra arguments go to pytest (e.g. scripts/test.sh -k milestones).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_setup.sh
setup_venv dev
# Bytecode caches halve the time pytest takes to import the project on every run after the first;
# some environments switch them off with PYTHONDONTWRITEBYTECODE (__pycache__ is git-ignored).
unset PYTHONDONTWRITEBYTECODE
exec python -m pytest "$@"
