#!/usr/bin/env bash
# Install everything the app needs into .venv (idempotent). Python 3.11+ required.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# The argument names the extras: dev (default: tests and tools), test, or app (the app's
# own dependencies only: the container image, deploy/Dockerfile).
EXTRAS=${1:-dev}
if [ "$EXTRAS" = app ]; then
  .venv/bin/python -m pip install --quiet -e .
else
  .venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
fi
