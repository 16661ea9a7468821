#!/usr/bin/env bash
# Set up what frontier-map needs on a Debian machine: a Python venv with the package,
# and the pinned browser assets from npm. Usage: scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "frontier-map needs Python 3.11 or newer" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv 2>/dev/null || { apt_install python3-venv; rm -rf .venv; python3 -m venv .venv; }
fi
# npm first: installing the package runs its build hook (setup.py), which copies the
# pinned browser assets from node_modules into geo/_vendor.
command -v npm >/dev/null || apt_install nodejs npm
npm ci --no-audit --no-fund --loglevel=error

extras="."
if [ "${1:-}" = "--test" ]; then extras=".[test,lint]"; fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$extras"

if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium fonts-dejavu-core
fi
