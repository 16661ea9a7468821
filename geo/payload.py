"""Turn a dataset and its event table into the JSON the page reads; pure data, no HTML.

Events travel column by column (one array per field), and repeated strings are sent
once with a list of codes, so a large import stays compact and the page can filter
on typed arrays without building an object per event.
"""

from __future__ import annotations

import base64
import gzip
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import mapping

from geo.model import Dataset, Layer, LocationPrecision, Place
from geo.safe import json_for_script
from geo.style import UNCERTAINTY_STYLE, layer_style
from geo.table import ORIGIN_PREFIX
from geo.taxonomy import CATEGORIES

# Events whose JSON is larger than this travel compressed; gzip level 3 is the best
# size for the time it takes on 100k-event payloads (see bench/RESULTS.md).
COMPRESS_ABOVE_BYTES = 1_000_000
_GZIP_LEVEL = 3
# Share of distinct values under which a text column is sent as a dictionary and codes.
_DICTIONARY_RATIO = 0.5
_COORD_DIGITS = 5


def build_payload(
    dataset: Dataset,
    events: pd.DataFrame,
    *,
    title: str,
    attributions: Sequence[str],
    sources: Sequence[dict[str, str]] = (),
    tile_layers: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Everything the page script needs, as JSON-ready values."""
    return {
        "title": title,
        "attributions": list(attributions),
        "sources": list(sources),
        "story": list(dataset.story),
        "bounds": _bounds(dataset, events),
        "basemap": [_layer(layer) for layer in dataset.basemap],
        "overlays": [_layer(layer) for layer in dataset.overlays],
        "uncertaintyStyle": UNCERTAINTY_STYLE,
        "categories": _categories(events),
        **_events_member(encode_events(events)),
        "tileLayers": list(tile_layers),
    }


def _events_member(encoded: dict[str, Any]) -> dict[str, Any]:
    """Events as plain JSON, or gzip+base64 when large (the page inflates them)."""
    text = json_for_script(encoded)
    if len(text) < COMPRESS_ABOVE_BYTES:
        return {"events": encoded}
    packed = gzip.compress(text.encode("utf-8"), compresslevel=_GZIP_LEVEL, mtime=0)
    return {"eventsGzip": base64.b64encode(packed).decode("ascii")}


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
    """Encode the event table column by column, vectorised (a million rows stay fast)."""
    category_index = {c.id: i for i, c in enumerate(CATEGORIES)}
    radius = events["radius_km"].astype("float64").to_numpy()
    out: dict[str, Any] = {
        "n": len(events),
        "lon": np.round(events["lon"].to_numpy(dtype="float64"), _COORD_DIGITS).tolist(),
        "lat": np.round(events["lat"].to_numpy(dtype="float64"), _COORD_DIGITS).tolist(),
        "start": events["start_day"].to_numpy(dtype="int64").tolist(),
        "end": events["end_day"].to_numpy(dtype="int64").tolist(),
        "cat": events["category"].map(category_index).to_numpy(dtype="int64").tolist(),
        "radius": [None if r != r else r for r in radius.tolist()],
    }
    for column, key in _TEXT_COLUMNS:
        out[key] = encode_text_column(events[column])
    for key in ("figures", "claims", "notes"):
        out[key] = [value or None for value in events[key].tolist()]
    out["orig"] = [
        {
            "label": column.removeprefix(ORIGIN_PREFIX),
            "values": encode_text_column(events[column].fillna("").astype(str)),
        }
        for column in events.columns
        if column.startswith(ORIGIN_PREFIX)
    ]
    return out


_TEXT_COLUMNS = (
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
)


def encode_text_column(values: pd.Series) -> list[str] | dict[str, list]:
    """A plain list, or ``{"dict": distinct values, "codes": [...]}`` when values repeat.

    Distinct values keep their order of first appearance, so the output is reproducible.
    """
    values = pd.Series(values, dtype=object)
    codes, uniques = pd.factorize(values, sort=False)
    if len(values) and len(uniques) <= _DICTIONARY_RATIO * len(values):
        return {"dict": uniques.tolist(), "codes": codes.tolist()}
    return values.tolist()


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
