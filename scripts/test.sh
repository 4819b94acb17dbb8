#!/usr/bin/env bash
# Install everything (Python packages, Debian's chromium for the browser tests, its
# postgresql for the members' database tests and nginx for the deployment's proxy tests),
# then run the whole test suite: unit, AppTest and headless-browser tests; then the fast
# tests once more at a far date (2031-03-15).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
# Debian packages the tests start themselves (never a system service): chromium for the
# browser tests; postgresql for the store's tests on a throw-away server (tests/postgres.py)
# and backup/restore's pg_dump/pg_restore; nginx for the proxy tests with deploy/nginx/
# on loopback (tests/test_proxy.py, tests/browser/test_proxy_browser.py).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages the tests need: ${missing[*]} (install them with apt-get)" >&2
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
