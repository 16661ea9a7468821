"""The comparison: the same events as a plain folium map with MarkerCluster or FastMarkerCluster.

``python bench/folium_maps.py {markercluster|fastmarkercluster} EVENTS.csv OUT.html``

This is what a folium user would write: read the ACLED CSV with pandas, add one
marker per event with the event's notes as its popup (MarkerCluster: a
``folium.Marker`` with a ``folium.Popup`` each; FastMarkerCluster: the rows as data
and a JavaScript callback that binds the popup), save. No tiles, like ours.

folium's page loads Leaflet, Leaflet.markercluster, jQuery, Bootstrap and
Font Awesome from CDNs, which this machine cannot reach, so the saved page is then
rewritten: Leaflet and Leaflet.markercluster (JS and CSS, with the CSS images as data
URIs) are inlined from the versions pinned in ``node_modules``, the other CDN tags,
which default cluster icons and popups do not use, are dropped, and a three-line
stand-in replaces jQuery, which folium's popups use only to parse their HTML. The rewrite is part of
the measured build time (it takes well under a second even at 100k events).
"""

from __future__ import annotations

import base64
import html
import re
import sys
from pathlib import Path

import folium
import pandas as pd
from folium.plugins import FastMarkerCluster, MarkerCluster

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
KINDS = ("markercluster", "fastmarkercluster")

# FastMarkerCluster's callback: one marker per row, the notes as its popup.
CALLBACK = """\
function (row) {
    var marker = L.marker(new L.LatLng(row[0], row[1]));
    marker.bindPopup(row[2], {maxWidth: 300});
    return marker;
}"""
# folium's popups call jQuery only as ``$(`<div …>…</div>`)[0]`` to turn their HTML into an
# element; jQuery is not in node_modules, so this stand-in does just that (the same
# innerHTML parse jQuery does for such markup).
JQUERY_STAND_IN = """\
window.$ = window.jQuery = function (markup) {
    var template = document.createElement("template");
    template.innerHTML = markup;
    return Array.prototype.slice.call(template.content.children);
};"""
_CDN_SCRIPT = re.compile(r'<script src="https?://[^"]+"></script>\s*')
_CDN_LINK = re.compile(r'<link rel="stylesheet" href="https?://[^"]+"/>\s*')
_CSS_URL = re.compile(r"url\((['\"]?)(?!data:|#)([^'\")]+)\1\)")
_MAP_VAR = re.compile(r"var (map_[0-9a-f]+) = L\.map\(")


def read_events(path: Path) -> pd.DataFrame:
    """Latitude, longitude and notes of an ACLED CSV file."""
    frame = pd.read_csv(
        path, usecols=["latitude", "longitude", "notes"], dtype={"notes": str}, keep_default_na=False
    )
    frame["notes"] = frame["notes"].map(html.escape)
    return frame


def build(kind: str, events: Path) -> folium.Map:
    """The folium map of ``kind`` for the events."""
    frame = read_events(events)
    centre = [float(frame["latitude"].mean()), float(frame["longitude"].mean())]
    # Without a tile layer Leaflet has no maxZoom, which markercluster needs.
    fmap = folium.Map(location=centre, zoom_start=6, tiles=None, maxZoom=18)
    lat, lon, notes = (frame[c].tolist() for c in ("latitude", "longitude", "notes"))
    if kind == "markercluster":
        cluster = MarkerCluster().add_to(fmap)
        for y, x, text in zip(lat, lon, notes, strict=True):
            folium.Marker([y, x], popup=folium.Popup(text, max_width=300)).add_to(cluster)
    elif kind == "fastmarkercluster":
        FastMarkerCluster(list(zip(lat, lon, notes, strict=True)), callback=CALLBACK).add_to(fmap)
    else:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    return fmap


def offline(page: str) -> str:
    """Inline the pinned Leaflet and Leaflet.markercluster; drop every other CDN tag."""
    head, marker, body = page.partition("</head>")
    head = _CDN_SCRIPT.sub("", _CDN_LINK.sub("", head))
    leaflet = NODE_MODULES / "leaflet" / "dist"
    cluster = NODE_MODULES / "leaflet.markercluster" / "dist"
    styles = [
        _inline_urls((leaflet / "leaflet.css").read_text("utf-8"), leaflet),
        (cluster / "MarkerCluster.css").read_text("utf-8"),
        (cluster / "MarkerCluster.Default.css").read_text("utf-8"),
    ]
    scripts = [
        (leaflet / "leaflet.js").read_text("utf-8"),
        (cluster / "leaflet.markercluster.js").read_text("utf-8"),
        _default_icon_fix(leaflet / "images"),
        JQUERY_STAND_IN,
    ]
    assets = "".join(f"<style>{css}</style>\n" for css in styles)
    assets += "".join(f"<script>{js}</script>\n" for js in scripts)
    return head.replace("<head>", "<head>\n" + assets, 1) + marker + body


def map_variable(page: str) -> str:
    """The global variable folium gave the Leaflet map (``map_<id>``)."""
    found = _MAP_VAR.search(page)
    if not found:
        raise ValueError("no `var map_… = L.map(` in the page")
    return found.group(1)


def map_variable_of(path: Path) -> str:
    """The map variable of the folium page at ``path``, read only as far as it is needed."""
    with path.open(encoding="utf-8") as handle:
        text = ""
        while chunk := handle.read(1 << 20):
            text += chunk
            if "L.map(" in text:
                break
    return map_variable(text)


def _data_uri(path: Path) -> str:
    mime = {".png": "image/png", ".svg": "image/svg+xml"}.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_urls(css: str, base: Path) -> str:
    return _CSS_URL.sub(lambda m: f'url("{_data_uri(base / m.group(2))}")', css)


def _default_icon_fix(images: Path) -> str:
    """Leaflet finds its marker images next to its CSS file; point it at data URIs."""
    return (
        "L.Icon.Default.imagePath = '';\n"
        "L.Icon.Default.mergeOptions({"
        f"iconUrl: '{_data_uri(images / 'marker-icon.png')}', "
        f"iconRetinaUrl: '{_data_uri(images / 'marker-icon-2x.png')}', "
        f"shadowUrl: '{_data_uri(images / 'marker-shadow.png')}'}});"
    )


def main(argv: list[str]) -> int:
    """Build, rewrite for offline use and save; see the module docstring."""
    if len(argv) != 3 or argv[0] not in KINDS:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    kind, events, output = argv[0], Path(argv[1]), Path(argv[2])
    page = build(kind, events).get_root().render()
    output.write_text(offline(page), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
