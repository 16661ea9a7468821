#!/usr/bin/env bash
# Set up with test tools (Debian chromium included) and run every check and test,
# including the package as users get it (scripts/check_install.sh: wheel and sdist
# built, the wheel installed into a fresh venv outside the checkout; needs PyPI and npm)
# and the folium-facing tests with the lowest folium and branca declared.
# FRONTIER_SKIP_INSTALL_CHECK=1 skips those two steps for a quicker local run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
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
if [ "${FRONTIER_SKIP_INSTALL_CHECK:-}" != 1 ]; then
  # The folium-facing tests again with the lowest folium and branca pyproject.toml allows.
  lowest=$(mktemp -d)
  pins=$(.venv/bin/python -c 'import re, tomllib; deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]; print(" ".join(re.sub(r">=([^,]+),.*", r"==\1", d) for d in deps if d.startswith(("folium", "branca"))))')
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --target "$lowest" $pins
  echo "lowest declared versions: $pins"
  start=$SECONDS
  PYTHONPATH="$lowest" .venv/bin/python -m pytest -q tests/test_folium_interop.py tests/test_notebook.py
  echo "lowest declared versions: $((SECONDS - start)) s"
  rm -rf "$lowest"
fi
