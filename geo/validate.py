"""Check one GeoJSON file against the data format and turn it into typed records.

Every check appends a :class:`~geo.errors.Problem` instead of raising, so a file with
ten defects yields ten problems; records are built only from features that passed.
Nothing here trusts the input's types: any JSON value may arrive anywhere.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeGuard, TypeVar

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.dates import PRECISIONS, PartialDate
from geo.errors import Problem
from geo.io import JsonObject
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
from geo.region import FRONTIER_BOX
from geo.taxonomy import BY_ID as CATEGORIES

# \Z, not $: '$' also matches before a trailing newline, letting "AFG\n" through.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*\Z")
LAYER_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
ISO3_PATTERN = re.compile(r"^[A-Z]{3}\Z")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}\Z")
ROLES: tuple[LayerRole, ...] = ("overlay", "basemap", "events")
# A status becomes the CSS class fm-status-<status> on the page (status.js).
STATUS_PATTERN = re.compile(r"^[a-z][a-z-]{0,20}\Z")

# The largest whole number a browser holds exactly (2**53 - 1): a bigger figure would
# show rounded, or as Infinity.
MAX_FIGURE = 2**53 - 1

# The keys data/README.md documents; any other key is a problem (most often a typo whose
# data would silently vanish), reported with the nearest known key.
LAYER_KEYS = ("id", "title", "role", "order", "attribution", "style", "story")
EVENT_KEYS = (
    "title",
    "summary",
    "date",
    "date_precision",
    "end_date",
    "category",
    "country",
    "place",
    "location_precision",
    "placement_note",
    "layers",
    "figures",
    "claims",
    "source",
    "notes",
)
FIGURE_KEYS = ("kind", "value", "qualifier", "reported_by", "note")
CLAIM_KEYS = ("by", "claim")
SOURCE_KEYS = ("title", "section", "publisher")
PRECISION_KEYS = ("type", "radius_km", "area", "area_ref")
STATUS_KEYS = ("status", "from", "to", "note", "events")

# Leaflet path options a layer's style may set, each with its rule. Nothing else is
# accepted: style values reach the page's CSS (the layer control's swatches).
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
DASH_ARRAY = re.compile(r"^\d{1,4}(?:\.\d{1,3})?(?:(?: +|, *)\d{1,4}(?:\.\d{1,3})?){0,7}\Z")
# The 148 CSS named colours (CSS Color Module Level 4).
CSS_NAMED_COLOURS = frozenset(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
    crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
    darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
    dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite
    gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
    lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
    lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
    lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
    magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
    mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
    mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
    palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
    powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
    seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
    steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen""".split()  # noqa: SIM905
)
_STYLE_COLOURS = ("color", "fillColor")
_STYLE_RANGES: dict[str, tuple[float, float]] = {
    "weight": (0, 20),
    "opacity": (0, 1),
    "fillOpacity": (0, 1),
    "radius": (0, 50),
    "dashOffset": (0, 1000),
}
_STYLE_WORDS: dict[str, tuple[str, ...]] = {
    "lineCap": ("butt", "round", "square"),
    "lineJoin": ("miter", "round", "bevel"),
    "fillRule": ("nonzero", "evenodd"),
}
_STYLE_FLAGS = ("stroke", "fill")
STYLE_KEYS = (*_STYLE_COLOURS, *_STYLE_RANGES, "dashArray", *_STYLE_WORDS, *_STYLE_FLAGS)

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
    _check_collection(raw, result, report)
    if _value_problems(raw, report):
        result.layer = None
        result.events.clear()
    return result


def _check_collection(raw: dict[str, Any], result: CheckedFile, report: _Report) -> None:
    role = result.role
    if raw.get("type") != "FeatureCollection":
        report.add("", "type", f"expected 'FeatureCollection', got {raw.get('type')!r}")
    if "crs" in raw:
        report.add("", "crs", "RFC 7946 GeoJSON has no 'crs' member; coordinates must be WGS84")
    header = _check_header(raw.get("layer"), role, report)
    result.layer_id = header["id"] if header is not None else None
    features = raw.get("features")
    if not isinstance(features, list):
        report.add("", "features", f"expected a list of features, got {_kind(features)}")
        return

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
            path=result.name,
            places=tuple(places),
            attribution=header.get("attribution"),
            style=header.get("style", {}),
            story=tuple(header.get("story", ())),
        )


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
    ok &= _check_style(value.get("style", {}), report)
    ok &= _known_keys(value, LAYER_KEYS, "", "layer", report)
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
    label = _feature_label(feature, index)
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
    coords: Any = value.get("coordinates")
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


def _positions(coords: list[Any], depth: int) -> Iterator[list[Any]]:
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


def _ring_problem(gtype: str, coords: list[Any]) -> str | None:
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
    props: dict[str, Any], geometry: BaseGeometry | None, label: str, role: LayerRole, report: _Report
) -> Place | None:
    names = _check_names(props.get("names", {}), label, report)
    if role == "overlay":
        _require_text(props, "description", label, report)
        _require_text(props, "source", label, report)
        precision = check_precision(props.get("location_precision"), label, report)
    else:
        precision = LocationPrecision("exact")
    history_ok = "status_history" not in props or _check_status_history(
        props["status_history"], label, report
    )
    if geometry is None or precision is None or names is None or not history_ok:
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
    if not _known_keys(value, PRECISION_KEYS, label, where, report):
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


def _check_event(
    props: dict[str, Any], geometry: BaseGeometry | None, label: str, report: _Report
) -> Event | None:
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
    category: Any = props.get("category")
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
    _known_keys(props, EVENT_KEYS, label, "properties", report)
    if (
        len(report.problems) != before
        or geometry is None
        or start is None
        or location is None
        or source is None
    ):
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
    props: dict[str, Any],
    key: str,
    label: str,
    report: _Report,
    *,
    required: bool = True,
    prefix: str = "properties.",
) -> PartialDate | None:
    value: Any = props.get(key)
    if value is None and not required:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        report.add(label, f"{prefix}{key}", str(exc))
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
    props: dict[str, Any],
    key: str,
    label: str,
    report: _Report,
    pattern: re.Pattern[str] | None = None,
    prefix: str = "properties.",
) -> list[str]:
    value = props.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.strip() and (pattern is None or pattern.match(v)) for v in value
    ):
        report.add(label, f"{prefix}{key}", f"expected a list of strings, got {_short(value)}")
        return []
    return value


def _check_figures(value: Any, label: str, report: _Report) -> list[Figure]:
    return _check_items(value, label, "figures", report, _figure)


def _figure(item: dict[str, Any], where: str, label: str, report: _Report) -> Figure | None:
    ok = _require_text(item, "kind", label, report, prefix=f"{where}.")
    ok &= _require_text(item, "reported_by", label, report, prefix=f"{where}.")
    value: Any = item.get("value")
    if not _is_int(value) or not 0 <= value <= MAX_FIGURE:
        report.add(
            label,
            f"{where}.value",
            f"expected a whole number >= 0 (at most {MAX_FIGURE:,}), got {_short(value)}",
        )
        ok = False
    for key in ("qualifier", "note"):
        if item.get(key) is not None and not isinstance(item.get(key), str):
            report.add(label, f"{where}.{key}", f"expected text, got {_kind(item.get(key))}")
            ok = False
    ok &= _known_keys(item, FIGURE_KEYS, label, where, report)
    if not ok:
        return None
    return Figure(item["kind"], value, item["reported_by"], item.get("qualifier"), item.get("note"))


def _check_claims(value: Any, label: str, report: _Report) -> list[Claim]:
    return _check_items(value, label, "claims", report, _claim)


def _claim(item: dict[str, Any], where: str, label: str, report: _Report) -> Claim | None:
    ok = _require_text(item, "by", label, report, prefix=f"{where}.")
    ok &= _require_text(item, "claim", label, report, prefix=f"{where}.")
    ok &= _known_keys(item, CLAIM_KEYS, label, where, report)
    return Claim(item["by"], item["claim"]) if ok else None


_Item = TypeVar("_Item")


def _check_items(
    value: Any,
    label: str,
    key: str,
    report: _Report,
    build: Callable[[dict[str, Any], str, str, _Report], _Item | None],
) -> list[_Item]:
    if not isinstance(value, list):
        report.add(label, f"properties.{key}", f"expected a list, got {_kind(value)}")
        return []
    items: list[_Item] = []
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
    ok &= _known_keys(value, SOURCE_KEYS, label, "properties.source", report)
    return SourceRef(value["title"], value.get("section"), value.get("publisher")) if ok else None


def _check_style(value: Any, report: _Report) -> bool:
    """Check a layer's ``style``: known Leaflet path options, each value by its rule."""
    if not isinstance(value, dict):
        report.add("", "layer.style", f"expected an object of Leaflet path options, got {_kind(value)}")
        return False
    ok = _known_keys(value, STYLE_KEYS, "", "layer.style", report)
    for key, item in value.items():
        problem = style_problem(key, item)
        if problem:
            report.add("", f"layer.style.{key}", problem)
            ok = False
    return ok


def style_problem(key: str, value: Any) -> str | None:
    """What is wrong with one style value, or None (also for a key that is not a style option)."""
    if key in _STYLE_COLOURS:
        if isinstance(value, str) and (HEX_COLOUR.match(value) or value.lower() in CSS_NAMED_COLOURS):
            return None
        return f"expected a colour as #rgb, #rrggbb or a CSS colour name such as 'teal', got {_short(value)}"
    if key in _STYLE_RANGES:
        low, high = _STYLE_RANGES[key]
        if _is_number(value) and low <= value <= high:
            return None
        return f"expected a number from {low:g} to {high:g}, got {_short(value)}"
    if key == "dashArray":
        if isinstance(value, str) and DASH_ARRAY.match(value):
            return None
        return (
            f"expected up to 8 dash lengths separated by spaces or commas, such as '6 4', got {_short(value)}"
        )
    if key in _STYLE_WORDS:
        if value in _STYLE_WORDS[key]:
            return None
        return f"expected one of {', '.join(_STYLE_WORDS[key])}, got {_short(value)}"
    if key in _STYLE_FLAGS and not isinstance(value, bool):
        return f"expected true or false, got {_short(value)}"
    return None


def _check_status_history(value: Any, label: str, report: _Report) -> bool:
    """Check a place's ``status_history``: dated statuses in time order, without overlap."""
    where = "properties.status_history"
    if not isinstance(value, list) or not value:
        report.add(
            label,
            where,
            f"expected a list of {{status, from, to, note, events}} objects, got {_short(value)}",
        )
        return False
    before = len(report.problems)
    previous_end: PartialDate | None = None
    previous_read = True  # whether the entry before had readable dates to compare with
    for index, entry in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(entry, dict):
            report.add(label, at, f"expected an object, got {_kind(entry)}")
            continue
        _known_keys(entry, STATUS_KEYS, label, at, report)
        status = entry.get("status")
        if not isinstance(status, str) or not STATUS_PATTERN.match(status):
            report.add(
                label,
                f"{at}.status",
                f"expected a lower-case word such as 'open' or 'closed' (a-z and '-'), got {_short(status)}",
            )
        dates_before = len(report.problems)
        start = _check_date(entry, "from", label, report, required=False, prefix=f"{at}.")
        end = _check_date(entry, "to", label, report, required=False, prefix=f"{at}.")
        read = len(report.problems) == dates_before
        if start is not None and end is not None and end.last_day() < start.first_day():
            report.add(label, f"{at}.to", f"{end.iso()!r} is before from {start.iso()!r}")
        note = entry.get("note")
        if note is not None and not isinstance(note, str):
            report.add(label, f"{at}.note", f"expected text, got {_kind(note)}")
        _check_string_list(entry, "events", label, report, pattern=ID_PATTERN, prefix=f"{at}.")
        overlaps = previous_end is None or start is None or start.first_day() <= previous_end.last_day()
        if index > 0 and read and previous_read and overlaps:
            report.add(
                label,
                f"{at}.from",
                "entries must be in time order without overlap: each starts after the one before ends "
                "(only the first may have from null, only the last to null), "
                f"got {_short(entry.get('from'))}",
            )
        previous_end, previous_read = end, read
    return len(report.problems) == before


def _known_keys(obj: dict[str, Any], known: tuple[str, ...], label: str, where: str, report: _Report) -> bool:
    """Report every key of ``obj`` not in ``known``, with the nearest known key as a hint."""
    ok = True
    for key in obj:
        if key in known:
            continue
        ok = False
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of {', '.join(known)}"
        field_ = f"{where}.{_printable(key)}" if where else _printable(key)
        report.add(label, field_, f"unknown key '{_printable(key)}'; {hint}")
    return ok


def _value_problems(raw: dict[str, Any], report: _Report) -> int:
    r"""Report non-finite numbers, lone surrogates and repeated keys anywhere; return how many.

    Python's JSON reader accepts ``NaN``, ``Infinity`` and numbers beyond the float range
    (as infinity), and ``\ud800``-style escapes that are no character; none of them can be
    written into the page. A key given twice in one object loses its first value. A value
    a specific check already reported is not reported twice.
    """
    labels = _feature_labels(raw.get("features"))
    count = 0
    for path, message in _bad_values(raw):
        label, field_ = "", ".".join(path)
        if path[:1] == ("features",) and len(path) > 1:
            label = labels.get(path[1], path[1])
            field_ = ".".join(path[2:])
        field_ = field_.replace(".[", "[")
        if any(p.feature == label and _covers(p.field, field_) for p in report.problems):
            continue
        report.add(label, field_, message)
        count += 1
    return count


def _bad_values(raw: Any) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path, message) of every non-finite number, text with a lone surrogate and repeated key."""
    stack: list[tuple[tuple[str, ...], Any]] = [((), raw)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            yield (
                path,
                (
                    f"is {value!r}: JSON has no NaN or Infinity (and a number beyond ±1.8e308 reads as "
                    "Infinity); expected a finite number"
                ),
            )
        elif isinstance(value, str) and _SURROGATE.search(value):
            yield path, _surrogate_message(value)
        elif isinstance(value, dict):
            for key in value.repeated if isinstance(value, JsonObject) else ():
                yield (
                    (*path, _printable(key)),
                    (
                        "appears more than once in one object; expected each key once "
                        "(only the last value would be kept)"
                    ),
                )
            for key, item in reversed(value.items()):
                if _SURROGATE.search(key):
                    yield (*path, _printable(key)), "(the key) " + _surrogate_message(key)
                stack.append(((*path, _printable(key)), item))
        elif isinstance(value, list):
            stack.extend(((*path, f"[{i}]"), item) for i, item in reversed(list(enumerate(value))))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_message(text: str) -> str:
    found = _SURROGATE.search(text)
    char = found.group() if found else ""
    return (
        f"has a lone surrogate '{_printable(char)}' (a \\u escape that is half of a UTF-16 pair, "
        "not a character); expected valid Unicode text"
    )


def _printable(text: str) -> str:
    r"""``text`` with lone surrogates written as \uXXXX, so a report can always be printed."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _covers(reported: str, field_: str) -> bool:
    return field_ == reported or field_.startswith((f"{reported}.", f"{reported}["))


def _feature_labels(features: Any) -> dict[str, str]:
    if not isinstance(features, list):
        return {}
    return {f"[{index}]": _feature_label(feature, index) for index, feature in enumerate(features)}


def _feature_label(feature: Any, index: int) -> str:
    fid = feature.get("id") if isinstance(feature, dict) else None
    return fid if isinstance(fid, str) and ID_PATTERN.match(fid) else f"#{index}"


def _require_text(
    obj: dict[str, Any], key: str, label: str, report: _Report, prefix: str = "properties."
) -> bool:
    value = obj.get(key)
    if isinstance(value, str) and value.strip():
        return True
    shown = "missing" if key not in obj else f"got {_short(value)}"
    report.add(label, f"{prefix}{key}", f"expected non-empty text, {shown}")
    return False


def _is_number(value: Any) -> TypeGuard[int | float]:
    if isinstance(value, bool):
        return False
    # JSON integers may have hundreds of digits; math.isfinite() would overflow on them.
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number" if _is_number(value) else type(value).__name__)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
