#!/usr/bin/env bash
# Set up with test tools (Debian chromium included) and run every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python make_map.py --check
.venv/bin/python -m pytest "$@"
