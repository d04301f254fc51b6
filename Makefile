# Shortcuts for the scripts that a developer and CI run (README, "Development"): each target calls the
# same script, so `make ci` is CI and `make test ARGS="-k scoping"` is scripts/test.sh -k scoping.

.PHONY: help run test ci check lint format mypy mypy-update migrations-check
.DEFAULT_GOAL := help

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/' | expand -t 20

run:  ## install the production requirements, migrate, load the demo, serve http://127.0.0.1:8000
	scripts/run.sh

test:  ## install the development requirements and run the tests (SQLite unless DATABASE_URL is set)
	scripts/test.sh $(ARGS)

ci:  ## what CI runs: services (apt-get installs what is missing), the checks, the tests on PostgreSQL
	bash .ci/run

check:  ## every check that CI runs before the tests
	scripts/check.sh

lint:  ## ruff check and ruff format --check
	scripts/check.sh lint

format:  ## let ruff fix and format the code
	scripts/check.sh lint-fix

mypy:  ## the mypy ratchet: fails if mypy finds more errors than mypy-baseline.json
	scripts/check.sh mypy

mypy-update:  ## lower mypy-baseline.json after fixing type errors
	scripts/check.sh mypy-update

migrations-check:  ## makemigrations --check --dry-run: the migrations match the models
	scripts/check.sh migrations
