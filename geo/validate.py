"""Check one GeoJSON file against the data format and turn it into typed records.

Every check appends a :class:`~geo.errors.Problem` instead of raising, so a file with
ten defects yields ten problems; records are built only from features that passed.
Nothing here trusts the input's types: any JSON value may arrive anywhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.dates import PRECISIONS, PartialDate
from geo.errors import Problem
from geo.model import (
    Claim,
    Event,
    Figure,
    Layer,
    LayerRole,
    LocationPrecision,
    Place,
    SourceRef,
)
from geo.taxonomy import BY_ID as CATEGORIES

# Lon/lat box of the frontier basemap; a geometry outside it that would fall inside with
# its axes swapped is reported as a likely longitude/latitude swap.
FRONTIER_BOX = (60.0, 23.0, 78.0, 38.5)

# \Z, not $: '$' also matches before a trailing newline, letting "AFG\n" through.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*\Z")
LAYER_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
ISO3_PATTERN = re.compile(r"^[A-Z]{3}\Z")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}\Z")
ROLES: tuple[LayerRole, ...] = ("overlay", "basemap", "events")

# How deep each geometry type nests its positions.
_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


@dataclass
class CheckedFile:
    """What one file yielded: its layer (overlay/basemap), its events, and its problems."""

    name: str
    role: LayerRole
    layer: Layer | None = None
    events: list[Event] = field(default_factory=list)
    ids: list[tuple[str, str]] = field(default_factory=list)  # (feature label, id)
    layer_id: str | None = None  # the header's id once the header passed, whatever the features
    problems: list[Problem] = field(default_factory=list)


class _Report:
    """Collects problems for one file."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def add(self, feature: str, field_: str, message: str) -> None:
        self.problems.append(Problem(self.file, feature, field_, message))


def check_file(raw: Any, name: str, role: LayerRole | None) -> CheckedFile:
    """Validate one parsed GeoJSON file and build its records.

    ``role`` is what the file's place in the data folder makes it; ``None`` for a file
    given on its own, whose declared ``layer.role`` is then trusted.
    """
    if role is None:
        declared = raw.get("layer") if isinstance(raw, dict) else None
        declared = declared.get("role") if isinstance(declared, dict) else None
        role = declared if declared in ROLES else "overlay"
    result = CheckedFile(name, role)
    report = _Report(name, result.problems)
    if not isinstance(raw, dict):
        report.add("", "", f"expected a GeoJSON FeatureCollection object, got {_kind(raw)}")
        return result
    if raw.get("type") != "FeatureCollection":
        report.add("", "type", f"expected 'FeatureCollection', got {raw.get('type')!r}")
    if "crs" in raw:
        report.add("", "crs", "RFC 7946 GeoJSON has no 'crs' member; coordinates must be WGS84")
    header = _check_header(raw.get("layer"), role, report)
    result.layer_id = header["id"] if header is not None else None
    features = raw.get("features")
    if not isinstance(features, list):
        report.add("", "features", f"expected a list of features, got {_kind(features)}")
        return result

    places: list[Place] = []
    for index, feature in enumerate(features):
        label, record = _check_feature(feature, index, role, report)
        if label.startswith("#"):
            continue
        result.ids.append((label, label))
        if isinstance(record, Event):
            result.events.append(record)
        elif isinstance(record, Place):
            places.append(record)

    if header is not None and len(report.problems) == 0:
        result.layer = Layer(
            id=header["id"],
            title=header["title"],
            role=role,
            order=header["order"],
            path=name,
            places=tuple(places),
            attribution=header.get("attribution"),
            style=header.get("style", {}),
            story=tuple(header.get("story", ())),
        )
    return result


def _check_header(value: Any, role: LayerRole, report: _Report) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        report.add("", "layer", f"expected a 'layer' object (id, title, role, order), got {_kind(value)}")
        return None
    ok = True
    layer_id = value.get("id")
    if not isinstance(layer_id, str) or not LAYER_ID_PATTERN.match(layer_id):
        report.add("", "layer.id", f"expected lower-case letters, digits and '-', got {layer_id!r}")
        ok = False
    ok &= _require_text(value, "title", "", report, prefix="layer.")
    declared = value.get("role")
    if declared not in ROLES:
        report.add("", "layer.role", f"expected one of {', '.join(ROLES)}, got {declared!r}")
        ok = False
    elif declared != role:
        report.add(
            "",
            "layer.role",
            f"is {declared!r} but the file's place in the folder makes it {role!r} "
            "(events.geojson is 'events', basemap/ holds 'basemap', the rest are 'overlay')",
        )
        ok = False
    order = value.get("order")
    if not _is_int(order):
        report.add("", "layer.order", f"expected an integer, got {order!r}")
        ok = False
    attribution = value.get("attribution")
    if attribution is not None and not isinstance(attribution, str):
        report.add("", "layer.attribution", f"expected text, got {_kind(attribution)}")
        ok = False
    style = value.get("style", {})
    if not isinstance(style, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int | float | bool) for k, v in style.items()
    ):
        report.add("", "layer.style", "expected an object of Leaflet path options (text/number values)")
        ok = False
    story = value.get("story", [])
    if not isinstance(story, list) or not all(isinstance(s, str) and ID_PATTERN.match(s) for s in story):
        report.add("", "layer.story", f"expected a list of event ids in tour order, got {_short(story)}")
        ok = False
    elif story and role != "events":
        report.add("", "layer.story", "only an events file has a story")
        ok = False
    elif len(set(story)) != len(story):
        twice = sorted({s for s in story if story.count(s) > 1})
        report.add("", "layer.story", f"lists {', '.join(twice)} more than once; each step is one event")
        ok = False
    return value if ok else None


def _check_feature(
    feature: Any, index: int, role: LayerRole, report: _Report
) -> tuple[str, Place | Event | None]:
    """Check one feature; return its label (id, or '#index' when it has none) and record."""
    if not isinstance(feature, dict):
        report.add(f"#{index}", "", f"expected a GeoJSON Feature object, got {_kind(feature)}")
        return f"#{index}", None
    fid = feature.get("id")
    label = fid if isinstance(fid, str) and ID_PATTERN.match(fid) else f"#{index}"
    before = len(report.problems)
    if feature.get("type") != "Feature":
        report.add(label, "type", f"expected 'Feature', got {feature.get('type')!r}")
    if label.startswith("#"):
        report.add(label, "id", f"expected a string id of letters, digits, '-', '_', '.', ':'; got {fid!r}")
    geometry = check_geometry(feature.get("geometry"), label, report)
    props = feature.get("properties")
    if not isinstance(props, dict):
        report.add(label, "properties", f"expected an object, got {_kind(props)}")
        return label, None
    _require_text(props, "name" if role != "events" else "title", label, report)
    if role == "events":
        record: Place | Event | None = _check_event(props, geometry, label, report)
    else:
        record = _check_place(props, geometry, label, role, report)
    if len(report.problems) != before:
        return label, None
    return label, record


def check_geometry(value: Any, label: str, report: _Report) -> BaseGeometry | None:
    """Check a GeoJSON geometry object and return it as shapely, or None with problems."""
    if not isinstance(value, dict):
        report.add(label, "geometry", f"expected a geometry object, got {_kind(value)}")
        return None
    gtype = value.get("type")
    if not isinstance(gtype, str) or gtype not in _DEPTH:
        allowed = ", ".join(_DEPTH)
        report.add(label, "geometry.type", f"expected one of {allowed}, got {gtype!r}")
        return None
    coords = value.get("coordinates")
    bad = _position_problem(coords, _DEPTH[gtype])
    if bad:
        report.add(label, "geometry.coordinates", f"{gtype} {bad}")
        return None
    positions = list(_positions(coords, _DEPTH[gtype]))
    if not positions:
        report.add(label, "geometry.coordinates", f"{gtype} has no positions")
        return None
    out_of_range = [p for p in positions if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90)]
    # (An out-of-range position never lies in the frontier area once swapped: swapped,
    # its longitude or latitude is still out of the area's range.)
    if out_of_range:
        report.add(
            label,
            "geometry.coordinates",
            f"position {list(out_of_range[0])!r} is out of range: expected longitude -180..180 "
            "and latitude -90..90",
        )
        return None
    if _looks_swapped(positions):
        report.add(
            label,
            "geometry.coordinates",
            f"position {list(positions[0])!r} lies outside the frontier map area but inside it "
            "when swapped; longitude and latitude look swapped "
            "(GeoJSON wants [longitude, latitude])",
        )
        return None
    ring_problem = _ring_problem(gtype, coords)
    if ring_problem:
        report.add(label, "geometry.coordinates", ring_problem)
        return None
    try:
        geom = shape(value)
    except (ValueError, TypeError, shapely.errors.ShapelyError) as exc:
        report.add(label, "geometry", f"is not a valid {gtype}: {exc}")
        return None
    if not geom.is_valid:
        report.add(label, "geometry", f"is not valid: {shapely.is_valid_reason(geom)}")
        return None
    return geom


def _position_problem(coords: Any, depth: int) -> str | None:
    if depth == 0:
        if (
            not isinstance(coords, list)
            or len(coords) not in (2, 3)
            or not all(_is_number(c) for c in coords)
        ):
            return f"expected a position [longitude, latitude], got {_short(coords)}"
        return None
    if not isinstance(coords, list):
        return f"expected nested lists of positions, got {_short(coords)}"
    for item in coords:
        problem = _position_problem(item, depth - 1)
        if problem:
            return problem
    return None


def _positions(coords: list, depth: int):
    if depth == 0:
        yield coords
        return
    for item in coords:
        yield from _positions(item, depth - 1)


def _in_frontier(lon: float, lat: float) -> bool:
    west, south, east, north = FRONTIER_BOX
    return west <= lon <= east and south <= lat <= north


def _looks_swapped(positions: list[list[float]]) -> bool:
    return not any(_in_frontier(p[0], p[1]) for p in positions) and all(
        _in_frontier(p[1], p[0]) for p in positions
    )


def _ring_problem(gtype: str, coords: list) -> str | None:
    if gtype == "LineString" and len(coords) < 2:
        return f"LineString needs at least 2 positions, got {len(coords)}"
    if gtype == "MultiLineString" and any(len(line) < 2 for line in coords):
        return "MultiLineString: every line needs at least 2 positions"
    polygons = [coords] if gtype == "Polygon" else coords if gtype == "MultiPolygon" else []
    for polygon in polygons:
        if not polygon:
            return f"{gtype} has a polygon with no rings"
        for ring in polygon:
            if len(ring) < 4:
                return f"{gtype} ring needs at least 4 positions, got {len(ring)}"
            if ring[0] != ring[-1]:
                return f"{gtype} ring is not closed: first {ring[0]!r} != last {ring[-1]!r}"
    return None


def _check_place(
    props: dict, geometry: BaseGeometry | None, label: str, role: LayerRole, report: _Report
) -> Place | None:
    names = _check_names(props.get("names", {}), label, report)
    if role == "overlay":
        _require_text(props, "description", label, report)
        _require_text(props, "source", label, report)
        precision = check_precision(props.get("location_precision"), label, report)
    else:
        precision = LocationPrecision("exact")
    if geometry is None or precision is None or names is None:
        return None
    known = {"name", "names", "description", "source", "location_precision"}
    return Place(
        id=label,
        name=props.get("name", ""),
        geometry=geometry,
        description=props.get("description", "") if isinstance(props.get("description"), str) else "",
        precision=precision,
        source=props.get("source", "") if isinstance(props.get("source"), str) else "",
        names=names,
        extra={k: v for k, v in props.items() if k not in known},
    )


def _check_names(value: Any, label: str, report: _Report) -> dict[str, str] | None:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and LANG_PATTERN.match(k) and isinstance(v, str) and v.strip()
        for k, v in value.items()
    ):
        report.add(
            label,
            "properties.names",
            "expected an object of language code to name, e.g. {'ps': '…', 'fa': '…', 'ur': '…'}",
        )
        return None
    return dict(value)


def check_precision(value: Any, label: str, report: _Report) -> LocationPrecision | None:
    """Check a ``location_precision`` object."""
    where = "properties.location_precision"
    if not isinstance(value, dict):
        report.add(label, where, f"expected an object with 'type' exact/radius/area, got {_kind(value)}")
        return None
    kind = value.get("type")
    if kind == "exact":
        return LocationPrecision("exact")
    if kind == "radius":
        radius = value.get("radius_km")
        if not _is_number(radius) or not 0 < radius <= 2000:
            report.add(label, f"{where}.radius_km", f"expected a number of km in (0, 2000], got {radius!r}")
            return None
        return LocationPrecision("radius", radius_km=float(radius))
    if kind == "area":
        area, ref = value.get("area"), value.get("area_ref")
        if not isinstance(area, str) or not area.strip():
            report.add(label, f"{where}.area", f"expected the name of the area, got {area!r}")
            return None
        if ref is not None and (not isinstance(ref, str) or not ID_PATTERN.match(ref)):
            report.add(label, f"{where}.area_ref", f"expected a feature id, got {ref!r}")
            return None
        return LocationPrecision("area", area=area, area_ref=ref)
    report.add(label, f"{where}.type", f"expected 'exact', 'radius' or 'area', got {kind!r}")
    return None


def _check_event(props: dict, geometry: BaseGeometry | None, label: str, report: _Report) -> Event | None:
    before = len(report.problems)
    if geometry is not None and geometry.geom_type != "Point":
        report.add(label, "geometry.type", f"an event is a Point (its marker), got {geometry.geom_type!r}")
    for key in ("summary", "place"):
        _require_text(props, key, label, report)
    start = _check_date(props, "date", label, report)
    precision = props.get("date_precision")
    if precision not in PRECISIONS:
        report.add(
            label,
            "properties.date_precision",
            f"expected one of {', '.join(PRECISIONS)}, got {precision!r}",
        )
    elif start is not None and start.precision != precision:
        report.add(
            label,
            "properties.date_precision",
            f"is {precision!r} but date {start.iso()!r} is given to the {start.precision}",
        )
    end = _check_date(props, "end_date", label, report, required=False)
    if start is not None and end is not None and end.last_day() < start.first_day():
        report.add(label, "properties.end_date", f"{end.iso()!r} is before date {start.iso()!r}")
    category = props.get("category")
    if not isinstance(category, str) or category not in CATEGORIES:
        report.add(
            label,
            "properties.category",
            f"expected one of {', '.join(CATEGORIES)}, got {category!r}",
        )
    countries = _check_countries(props.get("country"), label, report)
    location = check_precision(props.get("location_precision"), label, report)
    layers = _check_string_list(props, "layers", label, report, pattern=LAYER_ID_PATTERN)
    notes = _check_string_list(props, "notes", label, report)
    figures = _check_figures(props.get("figures", []), label, report)
    claims = _check_claims(props.get("claims", []), label, report)
    source = _check_source(props.get("source"), label, report)
    note = props.get("placement_note")
    if note is not None and not (isinstance(note, str) and note.strip()):
        report.add(label, "properties.placement_note", f"expected text, got {note!r}")
    if len(report.problems) != before or None in (geometry, start, location, source):
        return None
    placement = (note,) if isinstance(note, str) else ()
    return Event(
        id=label,
        title=props.get("title", ""),  # a missing title is already reported
        summary=props["summary"],
        date=start,
        end_date=end,
        category=category,
        countries=countries,
        place=props["place"],
        lon=geometry.x,
        lat=geometry.y,
        precision=location,
        source=source,
        layers=tuple(layers),
        figures=tuple(figures),
        claims=tuple(claims),
        notes=(*placement, *notes),
    )


def _check_date(
    props: dict, key: str, label: str, report: _Report, *, required: bool = True
) -> PartialDate | None:
    value = props.get(key)
    if value is None and not required:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        report.add(label, f"properties.{key}", str(exc))
        return None


def _check_countries(value: Any, label: str, report: _Report) -> tuple[str, ...]:
    codes = [value] if isinstance(value, str) else value
    if (
        not isinstance(codes, list)
        or not codes
        or not all(isinstance(c, str) and ISO3_PATTERN.match(c) for c in codes)
    ):
        report.add(
            label,
            "properties.country",
            f"expected an ISO 3166-1 alpha-3 code such as 'AFG', or a list of them, got {value!r}",
        )
        return ()
    return tuple(codes)


def _check_string_list(
    props: dict, key: str, label: str, report: _Report, pattern: re.Pattern[str] | None = None
) -> list[str]:
    value = props.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.strip() and (pattern is None or pattern.match(v)) for v in value
    ):
        report.add(label, f"properties.{key}", f"expected a list of strings, got {_short(value)}")
        return []
    return value


def _check_figures(value: Any, label: str, report: _Report) -> list[Figure]:
    return _check_items(value, label, "figures", report, _figure)


def _figure(item: dict, where: str, label: str, report: _Report) -> Figure | None:
    ok = _require_text(item, "kind", label, report, prefix=f"{where}.")
    ok &= _require_text(item, "reported_by", label, report, prefix=f"{where}.")
    value = item.get("value")
    if not _is_int(value) or value < 0:
        report.add(label, f"{where}.value", f"expected a whole number >= 0, got {value!r}")
        ok = False
    for key in ("qualifier", "note"):
        if item.get(key) is not None and not isinstance(item.get(key), str):
            report.add(label, f"{where}.{key}", f"expected text, got {_kind(item.get(key))}")
            ok = False
    if not ok:
        return None
    return Figure(item["kind"], value, item["reported_by"], item.get("qualifier"), item.get("note"))


def _check_claims(value: Any, label: str, report: _Report) -> list[Claim]:
    return _check_items(value, label, "claims", report, _claim)


def _claim(item: dict, where: str, label: str, report: _Report) -> Claim | None:
    ok = _require_text(item, "by", label, report, prefix=f"{where}.")
    ok &= _require_text(item, "claim", label, report, prefix=f"{where}.")
    return Claim(item["by"], item["claim"]) if ok else None


def _check_items(
    value: Any,
    label: str,
    key: str,
    report: _Report,
    build: Callable[[dict, str, str, _Report], Any],
) -> list:
    if not isinstance(value, list):
        report.add(label, f"properties.{key}", f"expected a list, got {_kind(value)}")
        return []
    items = []
    for i, item in enumerate(value):
        where = f"properties.{key}[{i}]"
        if not isinstance(item, dict):
            report.add(label, where, f"expected an object, got {_kind(item)}")
            continue
        built = build(item, where, label, report)
        if built is not None:
            items.append(built)
    return items


def _check_source(value: Any, label: str, report: _Report) -> SourceRef | None:
    if not isinstance(value, dict):
        report.add(
            label,
            "properties.source",
            f"expected an object with 'title' and 'section', got {_kind(value)}",
        )
        return None
    ok = _require_text(value, "title", label, report, prefix="properties.source.")
    for key in ("section", "publisher"):
        if value.get(key) is not None and not isinstance(value.get(key), str):
            report.add(label, f"properties.source.{key}", f"expected text, got {_kind(value.get(key))}")
            ok = False
    return SourceRef(value["title"], value.get("section"), value.get("publisher")) if ok else None


def _require_text(obj: dict, key: str, label: str, report: _Report, prefix: str = "properties.") -> bool:
    value = obj.get(key)
    if isinstance(value, str) and value.strip():
        return True
    shown = "missing" if key not in obj else f"got {_short(value)}"
    report.add(label, f"{prefix}{key}", f"expected non-empty text, {shown}")
    return False


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    # JSON integers may have hundreds of digits; math.isfinite() would overflow on them.
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number" if _is_number(value) else type(value).__name__)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
