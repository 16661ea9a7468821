"""Where the map opens and how far it lets the reader go.

The first view frames the frontier: the overlay layers and the events connected to them,
where two events are connected when they fall in the same or neighbouring
``CELL_DEG``-degree cells, transitively. A far-off event such as the Dubai meeting is
left out of that frame (it stays on the map, inside the limits). The limits are every
layer and event, padded by ``PAD_DEG`` so there is context all round; the world
basemap covers them, so the reader never reaches an edge. With nothing to frame, the
map opens on the frontier region (``geo.region.FRONTIER_BOX``).
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import pandas as pd

from geo.model import Dataset
from geo.region import FRONTIER_BOX
from geo.table import StackedTable

# Size of the cells that link events to the frontier (about 330 km of latitude).
CELL_DEG = 3.0
# Context around all the data: longitude, latitude.
PAD_DEG = (25.0, 15.0)
_MAX_LAT = 85.0

Bounds = list[list[float]]


def view_bounds(dataset: Dataset, events: pd.DataFrame | StackedTable) -> dict[str, Bounds]:
    """``frame`` (the first view), ``extent`` (every layer and event) and ``limits`` (max bounds).

    Each is ``[[south, west], [north, east]]``, as Leaflet takes bounds.
    """
    boxes = [place.geometry.bounds for layer in dataset.overlays for place in layer.places]
    lon = np.asarray(events["lon"], dtype=float) if len(events) else np.empty(0)
    lat = np.asarray(events["lat"], dtype=float) if len(events) else np.empty(0)
    linked = _linked_to(boxes, lon, lat)
    frame = _union(boxes, lon[linked], lat[linked])
    extent = _union(boxes, lon, lat)
    if frame is None or extent is None:
        frame = extent = FRONTIER_BOX.leaflet_bounds()
    (south, west), (north, east) = extent
    limits = [
        [max(-_MAX_LAT, south - PAD_DEG[1]), max(-180.0, west - PAD_DEG[0])],
        [min(_MAX_LAT, north + PAD_DEG[1]), min(180.0, east + PAD_DEG[0])],
    ]
    return {"frame": _rounded(frame), "extent": _rounded(extent), "limits": _rounded(limits)}


# Cell columns and rows are below this in magnitude (360 / CELL_DEG is 120), so one
# integer, column * _KEY_SPAN + row, names a cell (a 1-D unique is many times faster).
_KEY_SPAN = 1024


def _cells(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Each event's cell, as one integer key."""
    columns = np.floor(lon / CELL_DEG).astype(np.int64) + _KEY_SPAN // 2
    rows = np.floor(lat / CELL_DEG).astype(np.int64) + _KEY_SPAN // 2
    return columns * _KEY_SPAN + rows


def _linked_to(boxes: list[tuple[float, ...]], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """A mask of the events connected to the overlays (or, without overlays, to the busiest cell)."""
    if not len(lon):
        return np.zeros(0, dtype=bool)
    keys, inverse, counts = np.unique(_cells(lon, lat), return_inverse=True, return_counts=True)
    occupied = np.stack([keys // _KEY_SPAN - _KEY_SPAN // 2, keys % _KEY_SPAN - _KEY_SPAN // 2], axis=1)
    index = {(int(x), int(y)): n for n, (x, y) in enumerate(occupied)}
    seeds: set[tuple[int, int]] = set()
    for west, south, east, north in boxes:
        x0, y0 = (math.floor(v / CELL_DEG) for v in (west, south))
        x1, y1 = (math.floor(v / CELL_DEG) for v in (east, north))
        seeds |= {(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)}
    if not seeds:
        x, y = occupied[int(np.argmax(counts))]
        seeds = {(int(x), int(y))}
    reached: set[tuple[int, int]] = set()
    queue = deque(seeds)
    while queue:
        x, y = queue.popleft()
        for cell in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            if cell in index and cell not in reached:
                reached.add(cell)
                queue.append(cell)
    keep = np.zeros(len(occupied), dtype=bool)
    keep[[index[cell] for cell in reached]] = True
    return keep[inverse.ravel()]


def _union(boxes: list[tuple[float, ...]], lon: np.ndarray, lat: np.ndarray) -> Bounds | None:
    wests = [b[0] for b in boxes] + ([float(lon.min())] if len(lon) else [])
    souths = [b[1] for b in boxes] + ([float(lat.min())] if len(lat) else [])
    easts = [b[2] for b in boxes] + ([float(lon.max())] if len(lon) else [])
    norths = [b[3] for b in boxes] + ([float(lat.max())] if len(lat) else [])
    if not wests:
        return None
    return [[min(souths), min(wests)], [max(norths), max(easts)]]


def _rounded(bounds: Bounds) -> Bounds:
    return [[round(float(v), 4) for v in corner] for corner in bounds]
