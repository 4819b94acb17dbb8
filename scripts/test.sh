#!/usr/bin/env bash
# Install everything (Python packages, Debian's chromium for the browser tests and nginx
# for the deployment's proxy tests),
# then run the whole test suite: unit, AppTest and headless-browser tests; then the fast
# tests once more at a far date (2031-03-15).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: install Debian's chromium package (browser tests need it)" >&2
    exit 1
  fi
fi
# Debian's nginx: tests/test_proxy.py and tests/browser/test_proxy_browser.py start it
# themselves on loopback with deploy/nginx/ (the system service is not used).
if [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "nginx is missing: install Debian's nginx package (the proxy tests need it)" >&2
    exit 1
  fi
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# Line coverage of mapping/ with its floor (pyproject.toml [tool.coverage.report]).
.venv/bin/python -m pytest --cov --cov-report=term "$@"
# The suite must not expire: the fast tests again, with the clock at a far date
# (README, "Tests and the date").
CREATIVE_MAP_TEST_NOW=2031-03-15T10:00 .venv/bin/python -m pytest -q -m "not browser and not load"
