#!/usr/bin/env bash
# Check the package as users get it (run by scripts/test.sh; needs PyPI and npm):
#  1. build the sdist and, from it, the wheel; install the wheel into a fresh venv
#     outside the checkout and build the article map with it from another folder,
#     with the command line (cli.html) and from Python (api.html), and with events
#     from a DataFrame of a UCDP file and a simple-schema spreadsheet and folium
#     elements, as a file and as a notebook shows it
#     (tests/installed_maps.py: folium.html, notebook.html), into OUTDIR;
#  2. a copy of the checkout without node_modules: building says which command
#     fixes it, and after that command the build works.
# tests/test_package.py then opens the maps in Chromium (FRONTIER_INSTALLED_MAPS=OUTDIR).
# Usage: scripts/check_install.sh OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
out=$(mkdir -p "${1:?usage: scripts/check_install.sh OUTDIR}" && cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pip_install() { "$1" -m pip install -q --disable-pip-version-check "${@:2}"; }

.venv/bin/python -m build --outdir "$work/dist" . >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
python3 -m venv "$work/venv"
pip_install "$work/venv/bin/python" "$work"/dist/*.whl
mkdir "$work/elsewhere"
cd "$work/elsewhere"
"$work/venv/bin/frontier-map" -q -o "$out/cli.html"
"$work/venv/bin/python" -c 'import sys, geo; geo.write_map(geo.build_map(), sys.argv[1])' "$out/api.html"
"$work/venv/bin/python" "$repo/tests/installed_maps.py" "$out" \
  "$repo/tests/data/imports/GEDEvent_v24_1_sample.csv" "$repo/data/events_template.csv"
echo "check_install: the wheel installed in $work/venv built cli.html, api.html, folium.html and notebook.html in $out"

# A checkout without node_modules (tracked and new files, nothing generated).
mkdir "$work/checkout"
cd "$repo"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/checkout"
cd "$work/checkout"
if "$repo/.venv/bin/python" -c 'import geo; geo.build_map()' 2>"$work/error.txt"; then
  echo "check_install: a checkout without node_modules built a map" >&2; exit 1
fi
grep -q 'run `npm ci && python -m geo.vendor`' "$work/error.txt" \
  || { echo "check_install: unexpected error without node_modules:" >&2; cat "$work/error.txt" >&2; exit 1; }
PATH="$repo/.venv/bin:$PATH" bash -c 'npm ci --no-audit --no-fund --loglevel=error && python -m geo.vendor' >/dev/null
"$repo/.venv/bin/python" -c 'import geo; geo.write_map(geo.build_map(), "map.html")'
echo "check_install: a checkout without node_modules names \`npm ci && python -m geo.vendor\`, which fixes it"
