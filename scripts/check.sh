#!/usr/bin/env bash
# The checks CI runs before the tests, one definition for CI, the Makefile and pre-commit.
# No argument: all of them, in CI's order. Or name some: lint, mypy, django, migrations, messages;
# and two that rewrite files, for developers: lint-fix (ruff's fixes and formatting), mypy-update (lower the baseline).
#   scripts/check.sh              # everything
#   scripts/check.sh lint mypy    # ruff, then the mypy ratchet
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_setup.sh
setup_venv dev

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(lint mypy django migrations messages)
for step in "${steps[@]}"; do
  case "$step" in
    lint)
      echo "== ruff"
      ruff check .
      ruff format --check .
      ;;
    lint-fix)
      echo "== ruff, fixing"
      ruff check --fix .
      ruff format .
      ;;
    mypy)
      echo "== mypy ratchet (mypy.ini, mypy-baseline.json)"
      python scripts/mypy_ratchet.py
      ;;
    mypy-update)
      echo "== mypy ratchet, lowering mypy-baseline.json"
      python scripts/mypy_ratchet.py --update
      ;;
    django)
      echo "== django system checks"
      python manage.py check --fail-level WARNING
      ;;
    migrations)
      echo "== migrations match the models"
      python manage.py makemigrations --check --dry-run
      ;;
    messages)
      echo "== translations: every message in the source is in locale/id (complete and compiled: see the tests)"
      python scripts/check_messages.py
      ;;
    *) die "Unknown check '$step': use lint, mypy, django, migrations, messages, lint-fix or mypy-update." ;;
  esac
done
