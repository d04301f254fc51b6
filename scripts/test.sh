#!/usr/bin/env bash
# Install everything and run the whole test suite. SQLite by default; set DATABASE_URL for PostgreSQL.
# Extra arguments go to pytest (e.g. scripts/test.sh -k milestones).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_setup.sh
setup_venv dev
exec python -m pytest "$@"
