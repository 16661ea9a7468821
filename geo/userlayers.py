"""Layers a user adds to a built map with ``geo.add_layer``: GeoJSON in, a layer of our model out.

A path to a GeoJSON file, a GeoJSON dict (FeatureCollection, Feature or bare
geometry) or anything with ``__geo_interface__`` (a GeoDataFrame, GeoSeries or
shapely geometry) becomes an overlay :class:`~geo.model.Layer`: each feature a
place with an exact location (its geometry is the thing itself), named by its
``name`` or ``title`` property (or ``label``), the other properties kept as
details. Bad input is reported whole: every feature without a usable geometry.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import DataError, Problem, UsageError
from geo.io import read_json
from geo.model import Layer, LocationPrecision, Place
from geo.validate import style_problem

NAME_PROPERTIES = ("name", "title", "NAME", "Name")
ACCEPTED = "a GeoJSON file path, a GeoJSON dict or a GeoDataFrame (anything with __geo_interface__)"
_EXACT = LocationPrecision(kind="exact")


def user_layer(
    data: object,
    title: str,
    *,
    layer_id: str,
    order: int,
    color: str | None = None,
    source: str = "",
    label: str | None = None,
) -> Layer:
    """Read ``data`` into an overlay layer.

    Raises ``TypeError`` for an unsupported type, ``UsageError`` for a colour that is not
    one, and ``DataError`` for bad data.
    """
    bad_colour = style_problem("color", color) if color is not None else None
    if bad_colour:
        raise UsageError(f"color: {bad_colour}")
    where, collection = _geojson(data)
    features = _features(collection, where)
    places: list[Place] = []
    problems: list[Problem] = []
    for index, feature in enumerate(features):
        ref = f"#{index}"
        geometry = _geometry(feature, where, ref, problems)
        if geometry is None:
            continue
        properties = feature.get("properties") or {}
        name = _name(properties, label) or f"{title} {index + 1}"
        places.append(
            Place(
                id=f"{layer_id}-{index + 1}",
                name=name,
                geometry=geometry,
                description=str(properties.get("description") or ""),
                precision=_EXACT,
                source=source,
                extra={
                    key: _plain(value)
                    for key, value in properties.items()
                    if key not in (label, "description", *NAME_PROPERTIES) and value is not None
                },
            )
        )
    if problems:
        raise DataError(problems)
    if not places:
        raise DataError([Problem(where, "", "features", "has no features to draw")])
    return Layer(
        id=layer_id,
        title=title,
        role="overlay",
        order=order,
        path=where,
        places=tuple(places),
        attribution=source or None,
        style={"color": color} if color else {},
    )


def layer_id_for(title: str, taken: set[str]) -> str:
    """A CSS-safe id for a layer titled ``title``, unlike any in ``taken``."""
    base = "added-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "layer")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _geojson(data: object) -> tuple[str, Any]:
    """Where the data came from (for reports) and its GeoJSON value."""
    if isinstance(data, (str, Path)):
        path = Path(data)
        if not path.is_file():
            raise DataError([Problem(str(path), "", "", "no such GeoJSON file")])
        value, problems = read_json(path, str(path))
        if problems:
            raise DataError(problems)
        return str(path), value
    if isinstance(data, dict):
        return "GeoJSON dict", data
    if hasattr(data, "__geo_interface__"):
        geo: Any = data
        crs = getattr(geo, "crs", None)
        if crs is not None and crs.to_epsg() != 4326:
            geo = geo.to_crs(4326)
        return type(geo).__name__, _json_safe(geo.__geo_interface__)
    raise TypeError(f"add_layer takes {ACCEPTED}, not {type(data).__name__}")


def _features(collection: Any, where: str) -> list[dict[str, Any]]:
    kind = collection.get("type") if isinstance(collection, dict) else None
    if kind == "FeatureCollection" and isinstance(collection.get("features"), list):
        return [f if isinstance(f, dict) else {} for f in collection["features"]]
    if kind == "Feature":
        return [collection]
    if (isinstance(kind, str) and "coordinates" in collection) or kind == "GeometryCollection":
        return [{"type": "Feature", "geometry": collection, "properties": {}}]
    raise DataError([Problem(where, "", "type", "expected a GeoJSON FeatureCollection, Feature or geometry")])


def _geometry(feature: dict[str, Any], where: str, ref: str, problems: list[Problem]) -> BaseGeometry | None:
    raw = feature.get("geometry")
    if not raw:
        problems.append(Problem(where, ref, "geometry", "has no geometry, so it cannot be drawn"))
        return None
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        problems.append(Problem(where, ref, "geometry", f"is not a GeoJSON geometry ({exc})"))
        return None
    if geometry.is_empty:
        problems.append(Problem(where, ref, "geometry", "is empty"))
        return None
    west, south, east, north = geometry.bounds
    if not all(math.isfinite(v) for v in (west, south, east, north)) or not (
        -180 <= west <= east <= 180 and -90 <= south <= north <= 90
    ):
        problems.append(
            Problem(where, ref, "geometry", "has coordinates outside longitude/latitude (expected WGS84)")
        )
        return None
    return geometry


def _name(properties: dict[str, Any], label: str | None) -> str:
    for key in (label, *NAME_PROPERTIES) if label else NAME_PROPERTIES:
        value = properties.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _plain(value: Any) -> Any:
    """A property value as JSON: numbers, text, booleans, lists and dicts of them."""
    if isinstance(value, (str, bool, int)) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _json_safe(value: Any) -> Any:
    """NumPy numbers and timestamps (as a GeoDataFrame gives them) as plain JSON values."""

    def default(obj: Any) -> Any:
        item = getattr(obj, "item", None)
        return item() if callable(item) else str(obj)

    return json.loads(json.dumps(value, default=default, allow_nan=True))
