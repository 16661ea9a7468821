"""The map's region: one lon/lat box, the single definition every module uses."""

from __future__ import annotations

from typing import NamedTuple


class Box(NamedTuple):
    """A longitude/latitude box in degrees (WGS84)."""

    west: float
    south: float
    east: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the position lies in the box (edges included)."""
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def leaflet_bounds(self) -> list[list[float]]:
        """The box as Leaflet wants bounds: ``[[south, west], [north, east]]``."""
        return [[self.south, self.west], [self.north, self.east]]


# The Pakistan-Afghanistan frontier basemap's extent. The validator reports a geometry
# outside it that would fall inside with its axes swapped as a likely lon/lat swap; the
# payload frames a map with no places or events on it.
FRONTIER_BOX = Box(west=60.0, south=23.0, east=78.0, north=38.5)
