#!/usr/bin/env bash
# Prove the lower bounds in pyproject.toml: install the LOWEST version that each direct
# dependency (the [project] dependencies and the "test" extra) allows, into a separate
# throw-away venv .venv-lowest (never .venv), then run the unit + AppTest suites there.
# Indirect dependencies resolve to their newest allowed versions (uv's "lowest-direct").
# A failure here means a lower bound in pyproject.toml is too low: raise it and say why.
#
# Usage: bash scripts/test_lowest.sh [extra pytest args]   (PYTHON=python3.11 to pick one;
#        add "-m browser" for the headless-Chromium tests, which need Debian chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=.venv-lowest

"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "Python 3.11+ needed (set PYTHON=...)" >&2; exit 1; }

# Fresh every time, so nothing from an earlier resolution lingers.
rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check uv
"$VENV/bin/python" -m uv pip install --quiet --python "$VENV/bin/python" \
  --resolution lowest-direct -e ".[test]"

echo "== direct dependencies installed in $VENV (lowest allowed versions) =="
"$VENV/bin/python" - <<'EOF'
import re
import tomllib
from importlib.metadata import version

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for req in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
    name = re.match(r"[A-Za-z0-9._-]+", req).group(0)
    print(f"{name:24} {version(name):12} (wanted {req})")
EOF
echo "== python $("$VENV/bin/python" -c 'import platform; print(platform.python_version())') =="

# (pyproject's filterwarnings ignores the one NumPy 2.0-2.3 warning pyproj gives here.)
exec "$VENV/bin/python" -m pytest -m "not browser" -p no:cacheprovider "$@"
