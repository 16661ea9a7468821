#!/usr/bin/env bash
# Set up (scripts/setup.sh) and build map.html; extra arguments go to make_map.py.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python make_map.py "$@"
