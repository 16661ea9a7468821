#!/usr/bin/env bash
# Set up with test tools (Debian chromium included) and run every check and test,
# including the package as users get it (scripts/check_install.sh: wheel and sdist
# built, the wheel installed into a fresh venv outside the checkout; needs PyPI and npm).
# FRONTIER_SKIP_INSTALL_CHECK=1 skips that step for a quicker local run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python make_map.py --check
if [ "${FRONTIER_SKIP_INSTALL_CHECK:-}" != 1 ]; then
  maps=$(mktemp -d)
  trap 'rm -rf "$maps"' EXIT
  start=$SECONDS
  bash scripts/check_install.sh "$maps"
  echo "check_install: $((SECONDS - start)) s"
  export FRONTIER_INSTALLED_MAPS="$maps"
fi
.venv/bin/python -m pytest "$@"
