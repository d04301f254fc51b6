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
# Two processes (pytest-xdist), one per core of CI's machine: a test process mostly waits on PostgreSQL and
# on the programs it starts, so two keep both cores busy. Whole files go to one process (--dist loadfile):
# a module's shared rows and browser are built once, and the only files that use the shared Redis's
# database 15 (or a real worker) never run beside themselves. TEST_WORKERS=0 runs in this process (--pdb).
workers="${TEST_WORKERS:-2}"
[ "$workers" != 0 ] || exec python -m pytest "$@"
exec python -m pytest -n "$workers" --dist loadfile "$@"
