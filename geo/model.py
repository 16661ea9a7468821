"""Plain typed records for layers, places and events; no folium, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from shapely.geometry.base import BaseGeometry

from geo.dates import PartialDate

LayerRole = Literal["overlay", "basemap", "events"]
PrecisionKind = Literal["exact", "radius", "area"]


@dataclass(frozen=True)
class LocationPrecision:
    """How precisely a place or event is located.

    ``exact``: the geometry is the thing itself (within the source's scale).
    ``radius``: the real location is within ``radius_km`` of the point.
    ``area``: the point only stands for ``area`` (a district, a province, a country);
    ``area_ref`` names the basemap or layer feature that draws that area, if any.
    """

    kind: PrecisionKind
    radius_km: float | None = None
    area: str | None = None
    area_ref: str | None = None

    def label(self) -> str:
        """Human-readable precision: 'exact', 'within 25 km', 'somewhere in Paktika province'.

        The one rule for places and events alike: the page shows this text (see
        ``geo.payload.encode_precision_labels``) and never words a precision itself.
        """
        if self.kind == "radius":
            return f"within {self.radius_km:g} km"
        if self.kind == "area":
            return f"somewhere in {self.area}" if self.area else "exact spot unknown"
        return "exact"


@dataclass(frozen=True)
class Figure:
    """A number exactly as a source gives it, and who reported it."""

    kind: str
    value: int
    reported_by: str
    qualifier: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Claim:
    """One party's account of an event, kept apart from competing accounts."""

    by: str
    claim: str


@dataclass(frozen=True)
class SourceRef:
    """Where a fact comes from: a document and the part of it."""

    title: str
    section: str | None = None
    publisher: str | None = None

    def label(self) -> str:
        """'Title — section'."""
        return f"{self.title} — {self.section}" if self.section else self.title


@dataclass(frozen=True)
class Place:
    """A feature of a map layer: a line, a point or an area, with its provenance."""

    id: str
    name: str
    geometry: BaseGeometry
    description: str
    precision: LocationPrecision
    source: str
    names: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Layer:
    """One GeoJSON file: a named, toggleable set of places."""

    id: str
    title: str
    role: LayerRole
    order: int
    path: str
    places: tuple[Place, ...]
    attribution: str | None = None
    style: dict[str, Any] = field(default_factory=dict)
    story: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """One dated event with its place, numbers, claims and source."""

    id: str
    title: str
    summary: str
    date: PartialDate
    end_date: PartialDate | None
    category: str
    countries: tuple[str, ...]
    place: str
    lon: float
    lat: float
    precision: LocationPrecision
    source: SourceRef
    layers: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    claims: tuple[Claim, ...] = ()
    notes: tuple[str, ...] = ()
    origin: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Dataset:
    """Everything a map is built from: its layers (overlays and basemap) and events."""

    layers: tuple[Layer, ...]
    events: tuple[Event, ...]
    events_path: str | None = None

    @property
    def overlays(self) -> tuple[Layer, ...]:
        """The toggleable place layers, in display order."""
        return tuple(sorted((la for la in self.layers if la.role == "overlay"), key=_order))

    @property
    def event_layers(self) -> tuple[Layer, ...]:
        """The event files' headers (title, attribution); their events are in ``events``."""
        return tuple(sorted((la for la in self.layers if la.role == "events"), key=_order))

    @property
    def story(self) -> tuple[str, ...]:
        """Event ids in the order of the guided tour: the events files' stories, in file order."""
        return tuple(step for layer in self.event_layers for step in layer.story)

    @property
    def basemap(self) -> tuple[Layer, ...]:
        """The offline basemap layers, in drawing order."""
        return tuple(sorted((la for la in self.layers if la.role == "basemap"), key=_order))


def _order(layer: Layer) -> tuple[int, str]:
    return (layer.order, layer.id)
