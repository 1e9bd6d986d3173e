#!/usr/bin/env bash
# Everything a newcomer needs: set-up, database, demo data, web server and background worker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DEBUG="${DEBUG:-true}"
PORT="${PORT:-8000}"
py=.venv/bin/python

$py manage.py migrate --no-input -v 0
$py manage.py createcachetable
$py manage.py load_pathway
$py manage.py load_frameworks
$py manage.py load_demo

$py manage.py db_worker --interval 2 --no-reload &
worker=$!
$py manage.py runserver "0.0.0.0:$PORT" --noreload --skip-checks &
web=$!
stop() { kill $web $worker 2>/dev/null; wait 2>/dev/null; echo; echo "Trellis stopped."; }
trap 'stop; exit 0' INT TERM
trap stop EXIT

sleep 2
$py manage.py demo_logins --url "http://localhost:$PORT/"
wait -n $web $worker
