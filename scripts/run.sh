#!/usr/bin/env bash
# Install, then start the app on the embedded data (or $CREATIVE_MAP_DATA).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
exec .venv/bin/python scripts/serve.py app.py --server.address "${HOST:-127.0.0.1}" --server.port "${PORT:-8501}"
