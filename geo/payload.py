"""Turn a dataset and its event table into the JSON the page reads; pure data, no HTML.

Events travel column by column (one array per field), and repeated strings are sent
once with a list of codes, so a large import stays compact and the page can filter
on typed arrays without building an object per event.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from shapely.geometry import mapping

from geo.model import Dataset, Layer, LocationPrecision, Place
from geo.style import UNCERTAINTY_STYLE, layer_style
from geo.table import ORIGIN_PREFIX
from geo.taxonomy import CATEGORIES

# Share of distinct values under which a text column is sent as a dictionary and codes.
_DICTIONARY_RATIO = 0.5
_COORD_DIGITS = 5


def build_payload(
    dataset: Dataset,
    events: pd.DataFrame,
    *,
    title: str,
    attributions: Sequence[str],
    tile_layers: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Everything the page script needs, as JSON-ready values."""
    return {
        "title": title,
        "attributions": list(attributions),
        "bounds": _bounds(dataset, events),
        "basemap": [_layer(layer) for layer in dataset.basemap],
        "overlays": [_layer(layer) for layer in dataset.overlays],
        "uncertaintyStyle": UNCERTAINTY_STYLE,
        "categories": _categories(events),
        "events": encode_events(events),
        "tileLayers": list(tile_layers),
    }


def _layer(layer: Layer) -> dict[str, Any]:
    return {
        "id": layer.id,
        "title": layer.title,
        "attribution": layer.attribution,
        "style": layer_style(layer),
        "data": {
            "type": "FeatureCollection",
            "features": [_place_feature(place) for place in layer.places],
        },
    }


def _place_feature(place: Place) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": mapping(place.geometry),
        "properties": {
            "name": place.name,
            "names": place.names,
            "description": place.description,
            "precision": precision_dict(place.precision),
            "source": place.source,
            "extra": place.extra,
        },
    }


def precision_dict(precision: LocationPrecision) -> dict[str, Any]:
    """A location precision as JSON, with its reader-facing label."""
    return {
        "kind": precision.kind,
        "radius_km": precision.radius_km,
        "area": precision.area,
        "area_ref": precision.area_ref,
        "label": precision.label(),
    }


def _categories(events: pd.DataFrame) -> list[dict[str, Any]]:
    counts = events["category"].value_counts().to_dict() if len(events) else {}
    return [
        {
            "id": c.id,
            "label": c.label,
            "color": c.color,
            "description": c.description,
            "acled": c.acled_event_type,
            "acledSub": list(c.acled_sub_event_types),
            "count": int(counts.get(c.id, 0)),
        }
        for c in CATEGORIES
    ]


def encode_events(events: pd.DataFrame) -> dict[str, Any]:
    """Encode the event table column by column."""
    category_index = {c.id: i for i, c in enumerate(CATEGORIES)}
    out: dict[str, Any] = {
        "n": len(events),
        "lon": _coords(events["lon"]),
        "lat": _coords(events["lat"]),
        "start": events["start_day"].astype("int64").tolist(),
        "end": events["end_day"].astype("int64").tolist(),
        "cat": [category_index[c] for c in events["category"]],
        "radius": [None if _missing(r) else float(r) for r in events["radius_km"]],
    }
    for column, key in (
        ("id", "id"),
        ("title", "title"),
        ("summary", "summary"),
        ("date", "date"),
        ("date_precision", "datePrecision"),
        ("end_date", "endDate"),
        ("country", "country"),
        ("place", "place"),
        ("precision_kind", "precision"),
        ("area", "area"),
        ("area_ref", "areaRef"),
        ("layers", "layers"),
        ("source", "source"),
        ("dataset", "dataset"),
    ):
        out[key] = encode_text_column(events[column].tolist())
    for key in ("figures", "claims", "notes"):
        out[key] = [value if value else None for value in events[key].tolist()]
    out["orig"] = [
        {"label": column.removeprefix(ORIGIN_PREFIX), "values": encode_text_column(values)}
        for column in events.columns
        if column.startswith(ORIGIN_PREFIX)
        for values in [["" if _missing(v) else str(v) for v in events[column].tolist()]]
    ]
    return out


def encode_text_column(values: list[str]) -> list[str] | dict[str, list]:
    """A plain list, or ``{"dict": distinct values, "codes": [...]}`` when values repeat."""
    distinct: dict[str, int] = {}
    codes = [distinct.setdefault(v, len(distinct)) for v in values]
    if values and len(distinct) <= _DICTIONARY_RATIO * len(values):
        return {"dict": list(distinct), "codes": codes}
    return values


def _coords(series: pd.Series) -> list[float]:
    return [round(float(v), _COORD_DIGITS) for v in series]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _bounds(dataset: Dataset, events: pd.DataFrame) -> list[list[float]]:
    west, south, east, north = math.inf, math.inf, -math.inf, -math.inf
    for layer in dataset.overlays:
        for place in layer.places:
            w, s, e, n = place.geometry.bounds
            west, south, east, north = min(west, w), min(south, s), max(east, e), max(north, n)
    if len(events):
        west, east = min(west, events["lon"].min()), max(east, events["lon"].max())
        south, north = min(south, events["lat"].min()), max(north, events["lat"].max())
    if not math.isfinite(west):
        return [[23.0, 60.0], [38.5, 78.0]]
    return [
        [round(float(south), 4), round(float(west), 4)],
        [round(float(north), 4), round(float(east), 4)],
    ]
