"""The world around the frontier: Natural Earth 1:50m land and land borders, cut to the map.

The shapes come from the pinned npm package ``world-atlas`` (``countries-50m.json``, a
TopoJSON topology). The build decodes it once, cuts land and borders to the map's
limits (the reader can never scroll past them) and sends only what is left, as
integer coordinates in thousandths of a degree, each point after a ring's first as
the difference from the one before. That is about a tenth of the world file, and the
page draws it without a TopoJSON decoder.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Polygon
from shapely.geometry.base import BaseGeometry

from geo.assets import asset_path

# Units of the coordinates sent to the page, per degree (0.001° is about 110 m, finer
# than the 1:50m data).
UNITS_PER_DEGREE = 1000
# Context kept beyond the limits, in degrees, so no edge of a cut shows at the map's edge.
MARGIN_DEG = 1.0


def world_shapes(limits: list[list[float]]) -> dict[str, Any]:
    """Land (polygons as lists of rings) and land borders (lines) inside ``limits``, encoded.

    ``limits`` is ``[[south, west], [north, east]]``. Each ring or line is a flat list
    ``[x0, y0, dx1, dy1, ...]`` of longitude and latitude in ``1/units`` degrees.
    """
    (south, west), (north, east) = limits
    box = (west - MARGIN_DEG, south - MARGIN_DEG, east + MARGIN_DEG, north + MARGIN_DEG)
    land, borders = _world()
    return {
        "units": UNITS_PER_DEGREE,
        "land": [
            [encode_line(ring) for ring in _rings(polygon)]
            for polygon in _parts(shapely.clip_by_rect(land, *box))
            if isinstance(polygon, Polygon)
        ],
        "borders": [
            encode_line(line.coords)
            for line in _parts(shapely.clip_by_rect(borders, *box))
            if isinstance(line, LineString)
        ],
    }


@lru_cache(maxsize=1)
def _world() -> tuple[BaseGeometry, BaseGeometry]:
    """Land and the borders between countries (arcs that two countries share), in degrees."""
    topology = json.loads(asset_path("world-atlas", "countries-50m.json").read_text("utf-8"))
    arcs = _arcs(topology)
    land_geometries = _geometries(topology["objects"]["land"])
    land = shapely.GeometryCollection(
        [_polygon(rings, arcs) for geometry in land_geometries for rings in _polygons(geometry)]
    )
    owners: Counter[int] = Counter()
    for geometry in _geometries(topology["objects"]["countries"]):
        owners.update({_arc_id(i) for rings in _polygons(geometry) for ring in rings for i in ring})
    borders = MultiLineString([arcs[i] for i in sorted(owners) if owners[i] > 1])
    return land, borders


def _arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Every arc as an array of (lon, lat), undoing the topology's quantization."""
    transform = topology.get("transform")
    out = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=float)
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        out.append(points)
    return out


def _arc_id(index: int) -> int:
    """The arc an index refers to (a negative index, ``~i``, is arc ``i`` reversed)."""
    return index if index >= 0 else ~index


def _geometries(obj: dict[str, Any]) -> list[dict[str, Any]]:
    return list(obj["geometries"]) if obj["type"] == "GeometryCollection" else [obj]


def _polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    """A TopoJSON geometry's polygons, each a list of rings of arc indexes."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def _polygon(rings: list[list[int]], arcs: list[np.ndarray]) -> Polygon:
    def ring(indexes: list[int]) -> np.ndarray:
        pieces = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        # Consecutive arcs share their joining point.
        return np.concatenate([pieces[0]] + [piece[1:] for piece in pieces[1:]])

    shell, *holes = (ring(r) for r in rings)
    return Polygon(shell, holes)


def _parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    """The simple parts of a geometry, however the cut left it nested."""
    if hasattr(geometry, "geoms"):
        return [part for member in geometry.geoms for part in _parts(member)]
    return [] if geometry.is_empty else [geometry]


def _rings(polygon: Polygon) -> list[Any]:
    return [polygon.exterior.coords, *(hole.coords for hole in polygon.interiors)]


def encode_line(coords: Any, units: int = UNITS_PER_DEGREE) -> list[int]:
    """A ring or line as ``[x0, y0, dx1, dy1, ...]`` in ``1 / units`` degrees."""
    points = np.rint(np.asarray(coords, dtype=float)[:, :2] * units).astype(np.int64)
    points[1:] = np.diff(points, axis=0)
    return [int(v) for v in points.ravel()]
