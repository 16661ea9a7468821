"""How each kind of layer is drawn: Leaflet path options, merged with a file's own ``style``.

The basemap's look lives here and only here: the shipped basemap files carry no ``style``
(a data folder of one's own may still give one, which then wins), and the page reads the
sea and world colours from the payload (``BASEMAP_WORLD``).
"""

from __future__ import annotations

from typing import Any

from geo.model import Layer

_LAND = "#f2efe9"
_BORDER = "#7a7a7a"
SEA = "#cfe3f0"
# Defaults for the offline basemap layers, by layer id; any other basemap layer gets _BASEMAP.
_BASEMAP: dict[str, Any] = {"color": "#8c8c8c", "weight": 1, "fill": False}
BASEMAP_STYLES: dict[str, dict[str, Any]] = {
    # Fill only: the 1:10m countries are cut along the frontier box, and their outlines
    # would draw that box; the borders layer draws the land borders instead.
    "countries": {"stroke": False, "fillColor": _LAND, "fillOpacity": 1},
    "provinces": {"color": "#aaaaaa", "weight": 0.8, "dashArray": "2 3", "fill": False},
    "rivers": {"color": "#6baed6", "weight": 1.5, "fill": False},
    "borders": {"color": _BORDER, "weight": 1.2, "dashArray": "6 4", "fill": False},
    "cities": {"color": "#333333", "weight": 1, "radius": 3, "fillColor": "#ffffff", "fillOpacity": 1},
}
# The world around the frontier (world-atlas, Natural Earth 1:50m), drawn below the 1:10m
# layers: the sea is the map's background, land is drawn over it.
BASEMAP_WORLD: dict[str, Any] = {
    "sea": SEA,
    "land": {"stroke": False, "fillColor": _LAND, "fillOpacity": 1},
    "borders": {"color": _BORDER, "weight": 1, "dashArray": "6 4", "fill": False},
}
OVERLAY_STYLE: dict[str, Any] = {"color": "#1f4e79", "weight": 3, "fillOpacity": 0.15}
# Dashed outline drawn around places and events whose location is only approximate.
UNCERTAINTY_STYLE: dict[str, Any] = {
    "color": "#555555",
    "weight": 1.5,
    "dashArray": "4 4",
    "fillOpacity": 0.06,
}


def layer_style(layer: Layer) -> dict[str, Any]:
    """The Leaflet path options for a layer: role defaults, then the file's own style."""
    base = BASEMAP_STYLES.get(layer.id, _BASEMAP) if layer.role == "basemap" else OVERLAY_STYLE
    return {**base, **layer.style}
