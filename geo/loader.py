"""Load a data folder into a :class:`~geo.model.Dataset`, checking across files.

Per-file checks live in :mod:`geo.validate`; this module adds what needs the whole
folder: ids unique everywhere, layer and area references that exist, and each event
inside the countries it claims, measured against our own basemap borders.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.errors import DataError, Problem
from geo.io import COUNTRIES_FILE, EVENTS_FILE, discover, read_json
from geo.model import Dataset, Event, Layer, LayerRole
from geo.validate import CheckedFile, check_file

# Slack for events claimed by a country but placed exactly: the basemap's borders are
# Natural Earth 1:10m, good to a few hundred metres.
BORDER_TOLERANCE_KM = 1.0
# Simplification for the quick distance screen of points far outside their country.
ROUGH_TOLERANCE_DEG = 0.01
# Up to this far from the point (a quarter of the globe is 10,000 km) the azimuthal
# equidistant projection in distance_km() measures correctly.
HEMISPHERE_KM = 9000.0
_GEOD = Geod(ellps="WGS84")


def load_dataset(
    data_dir: Path, extra_event_files: Iterable[Path] = (), replacements: Iterable[Path] = ()
) -> Dataset:
    """Read and check every file of ``data_dir``, extra event files and replacement files.

    Parameters
    ----------
    data_dir
        A folder laid out like ``data/geojson``.
    extra_event_files
        GeoJSON event files to add.
    replacements
        Files checked in the folder's context with the role their ``layer.role`` declares;
        one named like a folder file (``events.geojson``) takes that file's place.

    Raises
    ------
    DataError
        With every problem found in every file, when there is at least one.
    """
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), "", "", "is not a folder of GeoJSON files")])
    replacing = {Path(p).name: Path(p) for p in replacements}
    files: list[tuple[str, LayerRole | None, Path]] = []
    countries_name = COUNTRIES_FILE
    for found in discover(data_dir):
        if found.path.name not in replacing:
            files.append((found.name, found.role, found.path))
            continue
        # A replacement takes the folder file's place, and with it the role that place gives.
        path = replacing.pop(found.path.name)
        files.append((str(path), found.role, path))
        if found.name == COUNTRIES_FILE:
            countries_name = str(path)
    files += [(str(p), None, p) for p in replacing.values()]
    files += [(str(p), "events", Path(p)) for p in extra_event_files]
    checked: list[CheckedFile] = []
    for name, role, path in files:
        raw, read_problems = read_json(path, name)
        problems += read_problems
        if not read_problems:  # JSON null is a value to check, not a file to skip
            result = check_file(raw, name, role)
            problems += result.problems
            checked.append(result)
    if not any(c.role == "events" for c in checked) and not any(
        p.file.endswith(EVENTS_FILE) for p in problems
    ):
        problems.append(Problem(str(data_dir), "", "", f"has no {EVENTS_FILE}"))

    layers = tuple(c.layer for c in checked if c.layer is not None)
    events = tuple(e for c in checked for e in c.events)
    problems += _duplicate_ids(checked)
    problems += _layer_id_problems(checked)
    problems += _reference_problems(checked)
    countries = next((c.layer for c in checked if c.name == countries_name), None)
    if countries is None:
        if not any(p.file == countries_name for p in problems):
            problems.append(Problem(COUNTRIES_FILE, "", "", "is missing; events are checked against it"))
    else:
        problems += _country_problems(checked, countries)
    if problems:
        raise DataError(problems)
    events_path = next((c.name for c in checked if c.role == "events"), None)
    return Dataset(layers=layers, events=events, events_path=events_path)


def _duplicate_ids(checked: list[CheckedFile]) -> list[Problem]:
    first: dict[str, str] = {}
    problems = []
    for result in checked:
        for label, fid in result.ids:
            if fid in first:
                message = f"duplicate id {fid!r}: already used in {first[fid]}; ids must be unique"
                problems.append(Problem(result.name, label, "id", message))
            else:
                first[fid] = result.name
    return problems


def _layer_id_problems(checked: list[CheckedFile]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for result in checked:
        if result.layer is None:
            continue
        if result.layer.id in seen:
            message = f"duplicate layer id {result.layer.id!r}: already used by {seen[result.layer.id]}"
            problems.append(Problem(result.name, "", "layer.id", message))
        seen[result.layer.id] = result.name
    return problems


def _reference_problems(checked: list[CheckedFile]) -> list[Problem]:
    # A layer whose header is fine exists even if some of its features are wrong (reported
    # already): events naming it must not be told the layer is unknown.
    overlay_ids = {c.layer_id for c in checked if c.role == "overlay" and c.layer_id}
    feature_ids = {fid for c in checked for _, fid in c.ids}
    event_ids = {fid for c in checked if c.role == "events" for _, fid in c.ids}
    problems = []
    for result in checked:
        for event in result.events:
            for layer_id in event.layers:
                if layer_id not in overlay_ids:
                    known = ", ".join(sorted(overlay_ids)) or "none loaded"
                    message = f"unknown layer {layer_id!r}; expected one of: {known}"
                    problems.append(Problem(result.name, event.id, "properties.layers", message))
            ref = event.precision.area_ref
            if ref and ref not in feature_ids:
                message = f"area_ref {ref!r} is not the id of any feature in the data folder"
                problems.append(
                    Problem(result.name, event.id, "properties.location_precision.area_ref", message)
                )
        problems += _status_event_problems(result, event_ids)
        story = result.layer.story if result.layer else ()
        known_events = {event_id for _, event_id in result.ids}
        for step in story:
            if step not in known_events:
                message = f"story step {step!r} is not the id of an event in this file"
                problems.append(Problem(result.name, "", "layer.story", message))
    return problems


def _status_event_problems(result: CheckedFile, event_ids: set[str]) -> list[Problem]:
    """Events named in the places' status histories that no events file has."""
    problems = []
    for place in result.layer.places if result.layer else ():
        history = place.extra.get("status_history", [])
        for index, entry in enumerate(history):
            for event_id in entry.get("events", []):
                if event_id not in event_ids:
                    message = f"{event_id!r} is not the id of an event in the data"
                    field = f"properties.status_history[{index}].events"
                    problems.append(Problem(result.name, place.id, field, message))
    return problems


def _country_problems(checked: list[CheckedFile], countries: Layer) -> list[Problem]:
    shapes = {place.id: place.geometry for place in countries.places}
    coverage = unary_union(list(shapes.values())).envelope if shapes else None
    for shape in shapes.values():
        shapely.prepare(shape)
    problems = []
    for result in checked:
        inside = _inside_claimed(result.events, shapes)
        for event, claims_hold in zip(result.events, inside, strict=True):
            if claims_hold:
                continue  # the common case, settled in one vectorised test per country
            point = Point(event.lon, event.lat)
            slack = BORDER_TOLERANCE_KM + (event.precision.radius_km or 0.0)
            for code in event.countries:
                message = _country_message(code, point, slack, shapes, coverage)
                if message:
                    problems.append(Problem(result.name, event.id, "properties.country", message))
    return problems


def _inside_claimed(events: list[Event], shapes: dict[str, BaseGeometry]) -> np.ndarray:
    """True for each event whose point lies inside every country it claims."""
    holds = np.ones(len(events), dtype=bool)
    if not events:
        return holds
    lon = np.fromiter((e.lon for e in events), dtype="float64", count=len(events))
    lat = np.fromiter((e.lat for e in events), dtype="float64", count=len(events))
    for code in {code for event in events for code in event.countries}:
        claims = np.fromiter((code in e.countries for e in events), dtype=bool, count=len(events))
        if code not in shapes:
            holds &= ~claims
            continue
        holds &= ~claims | shapely.contains_xy(shapes[code], lon, lat)
    return holds


def _country_message(
    code: str,
    point: Point,
    slack_km: float,
    shapes: dict[str, BaseGeometry],
    coverage: BaseGeometry | None,
) -> str | None:
    if code not in shapes:
        if coverage is not None and coverage.contains(point):
            return (
                f"{code!r} is not in {COUNTRIES_FILE}, yet the point "
                f"({point.x:.4f}, {point.y:.4f}) lies inside the basemap's area"
            )
        return None
    rough = _rough_distance_km(point, shapes[code])
    distance = rough if rough > 1.2 * slack_km + 2 else distance_km(point, shapes[code])
    if distance <= slack_km:
        return None
    about = "about " if distance is rough else ""
    return (
        f"the point ({point.x:.4f}, {point.y:.4f}) is {about}{distance:.1f} km outside {code} "
        f"(allowed: {slack_km:g} km = border tolerance + location radius)"
    )


@functools.lru_cache(maxsize=64)
def _simplified(geometry: BaseGeometry) -> BaseGeometry:
    return geometry.simplify(ROUGH_TOLERANCE_DEG)


def _rough_distance_km(point: Point, geometry: BaseGeometry) -> float:
    """Great-circle distance to the shape simplified by ~1 km: cheap and rough.

    Within a few per cent (plus the simplification) of the true distance, so it is
    used only where a point is clearly past the limit.
    """
    (x1, y1), (x2, y2) = shapely.shortest_line(_simplified(geometry), point).coords
    lat1, lat2, dlon = np.radians(y1), np.radians(y2), np.radians(x2 - x1)
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    return float(2 * 6371.0088 * np.arcsin(min(1.0, np.sqrt(h))))


def distance_km(point: Point, geometry: BaseGeometry) -> float:
    """Distance in km from a point to a geometry, in an equidistant projection about the point."""
    if geometry.contains(point):
        return 0.0
    # The projection folds the far side of the globe onto itself (a shape around the point's
    # antipode would come out around the point); beyond a hemisphere use the nearest vertex.
    coords = shapely.get_coordinates(geometry)
    far = np.full(len(coords), point.x), np.full(len(coords), point.y)
    vertex_km = _GEOD.inv(*far, coords[:, 0], coords[:, 1])[2] / 1000.0
    if len(coords) and vertex_km.max() > HEMISPHERE_KM:
        return float(vertex_km.min())
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={point.y} +lon_0={point.x} +datum=WGS84 +units=m")
    to_local = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    local = shapely.transform(geometry, lambda xy: np.column_stack(to_local.transform(xy[:, 0], xy[:, 1])))
    return float(local.distance(Point(0, 0))) / 1000.0


__all__ = ["Dataset", "Event", "load_dataset"]
