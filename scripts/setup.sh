#!/usr/bin/env bash
# Prepares a machine to run or test Trellis. Safe to run again: each step is skipped when done.
#   scripts/setup.sh          Python venv, locked dependencies, front-end build
#   scripts/setup.sh browser  ... and Debian's Chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

find_python() {
  # Django 6 needs Python 3.12+. Use one that is already installed; never download one.
  local candidates=(
    "${TRELLIS_PYTHON:-}"
    "$HOME/.pyenv/versions/3.13"*/bin/python3
    "$HOME/.pyenv/versions/3.12"*/bin/python3
    /root/.pyenv/versions/3.13*/bin/python3
    /root/.pyenv/versions/3.12*/bin/python3
    "$(command -v python3.14 || true)"
    "$(command -v python3.13 || true)"
    "$(command -v python3.12 || true)"
    "$(command -v python3 || true)"
  )
  for py in "${candidates[@]}"; do
    [ -n "$py" ] && [ -x "$py" ] || continue
    if "$py" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  py=$(find_python) || { echo "Trellis needs Python 3.12 or newer, already installed (pyenv or Debian's python3.13). Set TRELLIS_PYTHON to its path." >&2; exit 1; }
  say "Creating .venv with $py ($("$py" --version))"
  rm -rf .venv
  "$py" -m venv .venv
fi

stamp=.venv/.requirements.lock.sha
want=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing locked Python dependencies"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
  echo "$want" > "$stamp"
fi

command -v npm >/dev/null || { say "Installing Node.js and npm (Debian)"; apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
npm_stamp=node_modules/.package-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$npm_stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing locked npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$npm_stamp"
fi

if [ ! -f static/dist/app.css ] || [ -n "$(find assets package-lock.json -newer static/dist/app.css -type f 2>/dev/null | head -n1)" ]; then
  say "Building GOV.UK Frontend (Arial, no crown)"
  npm run --silent build
fi

# WeasyPrint (portfolio PDFs) lays text out with Pango and subsets fonts with HarfBuzz: C libraries
# pip cannot install. Fonts-liberation gives it Arial's metric twin, the font the service uses.
# (grep reads all of ldconfig's list: with -q it could stop early and pipefail would see a SIGPIPE.)
if ! PATH="$PATH:/sbin:/usr/sbin" ldconfig -p | grep 'libpango-1.0' >/dev/null; then
  say "Installing the libraries WeasyPrint needs for PDF exports (Debian)"
  pdf_libs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $pdf_libs >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq $pdf_libs >/dev/null; fi
fi

if [ "${1:-}" = "browser" ] && ! command -v chromium >/dev/null; then
  say "Installing Debian's Chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-liberation >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium fonts-liberation >/dev/null; fi
fi
