"""How each kind of layer is drawn: Leaflet path options, merged with a file's own ``style``."""

from __future__ import annotations

from typing import Any

from geo.model import Layer

# Defaults for the offline basemap layers, by layer id; any other basemap layer gets _BASEMAP.
_BASEMAP: dict[str, Any] = {"color": "#8c8c8c", "weight": 1, "fill": False}
BASEMAP_STYLES: dict[str, dict[str, Any]] = {
    "countries": {
        "color": "#6e6e6e",
        "weight": 1.2,
        "fillColor": "#f4f1ea",
        "fillOpacity": 1,
    },
    "provinces": {"color": "#b0aaa0", "weight": 0.7, "dashArray": "2 3", "fill": False},
    "rivers": {"color": "#6fa8dc", "weight": 1.2, "fill": False},
    "borders": {"color": "#6e6e6e", "weight": 1.2, "fill": False},
    "cities": {"color": "#444444", "radius": 3, "fillColor": "#ffffff", "fillOpacity": 1},
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
