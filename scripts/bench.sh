#!/usr/bin/env bash
# `make bench`: national-scale data in its own database, every page timed against the empty page,
# report in bench/reports/latest.md. Arguments (or BENCH_ARGS) go to bench.run, e.g.
#   bash scripts/bench.sh --requests 20 --regenerate
# Set DATABASE_URL to benchmark another database (e.g. PostgreSQL); the default is bench/bench.sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Production-like settings: no debug, templates render without collectstatic's manifest.
export DEBUG=false
export STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$PWD/bench/bench.sqlite3}"
export DJANGO_SETTINGS_MODULE=config.settings
py=.venv/bin/python

echo "==> Preparing the bench database"
$py manage.py migrate --no-input -v 0
$py manage.py createcachetable -v 0
# shellcheck disable=SC2086  # BENCH_ARGS is a list of words on purpose
exec $py -m bench.run ${BENCH_ARGS:-} "$@"
