#!/usr/bin/env bash
# The whole suite, browser journeys included. Uses DATABASE_URL / REDIS_URL when set (CI's PostgreSQL run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh browser
export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright's sync API inside pytest-django's live server
exec .venv/bin/python -m pytest -q -n 2 --dist loadfile "$@"
