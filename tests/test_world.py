"""The world basemap cut to the map (geo/world.py): land where land is, borders where countries meet."""

from __future__ import annotations

import numpy as np
from shapely.geometry import LineString, Point, Polygon

from geo.world import MARGIN_DEG, world_shapes

LIMITS = [[10.0, 30.0], [52.0, 100.0]]


def _decode(flat: list[int], units: int) -> np.ndarray:
    return np.cumsum(np.asarray(flat, dtype=float).reshape(-1, 2), axis=0) / units


def _shapes() -> tuple[list[Polygon], list[LineString], int]:
    world = world_shapes(LIMITS)
    units = world["units"]
    ring = lambda flat: _decode(flat, units)  # noqa: E731
    land = [Polygon(ring(shell), [ring(hole) for hole in holes]) for shell, *holes in world["land"]]
    borders = [LineString(ring(line)) for line in world["borders"]]
    return land, borders, units


def test_land_is_land_and_sea_is_not():
    land, _, _ = _shapes()
    on_land = {"Registan desert": (65.5, 30.5), "Dasht-e Kavir": (54.5, 34.5), "Deccan": (77.0, 17.0)}
    at_sea = {"Arabian Sea": (64.0, 20.0), "Caspian Sea": (51.0, 41.5), "Persian Gulf": (51.5, 27.0)}
    for name, (lon, lat) in on_land.items():
        assert any(p.contains(Point(lon, lat)) for p in land), name
    for name, (lon, lat) in at_sea.items():
        assert not any(p.contains(Point(lon, lat)) for p in land), name


def test_borders_run_between_countries_and_not_along_coasts():
    _, borders, _ = _shapes()
    near = lambda lon, lat: min(line.distance(Point(lon, lat)) for line in borders)  # noqa: E731
    assert near(61.0, 31.5) < 0.3  # Afghanistan and Iran meet near Zaranj
    assert near(66.8, 25.3) > 0.5  # Karachi's coast is no border


def test_nothing_is_sent_beyond_the_limits_and_their_margin():
    land, borders, units = _shapes()
    (south, west), (north, east) = LIMITS
    slack = MARGIN_DEG + 1 / units
    for shape in [*land, *borders]:
        x0, y0, x1, y1 = shape.bounds
        assert west - slack <= x0 and x1 <= east + slack and south - slack <= y0 and y1 <= north + slack
