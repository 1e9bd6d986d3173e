# Thin wrappers over scripts/. See README.md.
.PHONY: run test test-fast bench lint setup demo

PORT ?= 8000

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

test-fast:
	@bash scripts/setup.sh && .venv/bin/python -m pytest -m "not e2e" -q

bench:
	@bash scripts/bench.sh

lint:
	@bash scripts/setup.sh && .venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/python manage.py makemigrations --check --dry-run

setup:
	@bash scripts/setup.sh
