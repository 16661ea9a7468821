"""Run by scripts/check_install.sh with the python of a venv where the wheel is installed.

Builds, in OUTDIR, the article's map with events from a DataFrame of a UCDP file and
from a spreadsheet in the simple schema, a folium polygon and a folium Marker with a
popup (folium.html), and the same map as a notebook shows it, in an iframe's srcdoc
(notebook.html). tests/test_package.py opens both in Chromium.
Usage: python tests/installed_maps.py OUTDIR UCDP_CSV SIMPLE_CSV
"""

from __future__ import annotations

import sys
from pathlib import Path

# A square in Balochistan, clear of the article's places, and a marker beside it.
SQUARE = [[64.0, 27.0], [65.5, 27.0], [65.5, 28.0], [64.0, 28.0], [64.0, 27.0]]
SQUARE_MIDDLE = (27.5, 64.75)
SQUARE_COLOR = "#ff0000"
MARKER = (28.5, 66.0)
POPUP = "Marker popup"


def main(out: Path, ucdp: Path, simple: Path) -> None:
    """Write folium.html and notebook.html into ``out``."""
    import folium
    import pandas as pd

    import geo

    fmap = geo.build_map(events=[pd.read_csv(ucdp), simple], height=500)
    square = {"type": "Polygon", "coordinates": [SQUARE]}
    style = {"color": SQUARE_COLOR, "fillColor": SQUARE_COLOR, "fillOpacity": 0.6}
    folium.GeoJson(square, style_function=lambda feature: style).add_to(fmap)
    folium.Marker(MARKER, popup=folium.Popup(POPUP)).add_to(fmap)
    geo.write_map(fmap, out / "folium.html")
    page = f"<!doctype html><html><body><h1>Notebook</h1>{fmap._repr_html_()}</body></html>"
    (out / "notebook.html").write_text(page, "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
