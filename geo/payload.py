"""Turn a dataset and its event table into the JSON the page reads; pure data, no HTML.

Events travel column by column (one array per field), and repeated strings are sent
once with a list of codes, so a large import stays compact and the page can filter
on typed arrays without building an object per event.
"""

from __future__ import annotations

import base64
import json
import math
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import mapping

from geo.model import Dataset, Layer, LocationPrecision, Place
from geo.style import UNCERTAINTY_STYLE, layer_style
from geo.table import ORIGIN_PREFIX, StackedTable, date_order
from geo.taxonomy import CATEGORIES

# Events whose JSON is larger than this travel compressed. Level 3 measured here on a
# 100k-event payload: 0.32 s for 6.1 MB, against level 1 0.18 s / 7.0 MB and level 6
# 0.90 s / 5.1 MB.
COMPRESS_ABOVE_BYTES = 1_000_000
_GZIP_LEVEL = 3
# Past this many events level 1 (twice as fast, ~15% larger) keeps big builds in budget.
_FAST_GZIP_ABOVE_EVENTS = 400_000
# Above this many events popups are compact: summaries are cut to this many characters.
COMPACT_ABOVE_ROWS = 250_000
COMPACT_SUMMARY_CHARS = 160
_SAMPLE_ROWS = 20_000
# Share of distinct values under which a text column is sent as a dictionary and codes.
_DICTIONARY_RATIO = 0.5
_COORD_DIGITS = 5


def build_payload(
    dataset: Dataset,
    events: pd.DataFrame | StackedTable,
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
    """Events as plain JSON, or gzip+base64 when large (the page inflates them).

    The events are serialised and compressed one member at a time, so the whole JSON
    text never sits in memory beside the table. The compressed text is base64, which
    cannot end a script element, so it needs no HTML escaping.
    """
    level = _GZIP_LEVEL if encoded["n"] < _FAST_GZIP_ABOVE_EVENTS else 1
    packer = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # a gzip stream
    chunks, size = [], 0
    for index, (key, value) in enumerate(encoded.items()):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        piece = ("{" if index == 0 else ",") + json.dumps(key) + ":" + text
        size += len(piece)
        chunks.append(packer.compress(piece.encode("utf-8")))
    chunks.append(packer.compress(b"}"))
    chunks.append(packer.flush())
    if size < COMPRESS_ABOVE_BYTES:
        return {"events": encoded}
    return {"eventsGzip": base64.b64encode(b"".join(chunks)).decode("ascii")}


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


def _categories(events: pd.DataFrame | StackedTable) -> list[dict[str, Any]]:
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


def encode_events(events: pd.DataFrame | StackedTable) -> dict[str, Any]:
    """Encode the event table column by column, vectorised (a million rows stay fast).

    Numbers travel as little-endian typed arrays in base64 (``encode_numbers``), text
    and list columns as plain lists or dictionaries of repeated values. Above
    ``COMPACT_ABOVE_ROWS`` events, summaries are cut to ``COMPACT_SUMMARY_CHARS``.
    """
    category_index = {c.id: i for i, c in enumerate(CATEGORIES)}
    order = date_order(events)
    events = _ColumnsInOrder(events, order)
    out: dict[str, Any] = {
        "n": len(events),
        "lon": encode_numbers(events["lon"], "int32", scale=10**_COORD_DIGITS),
        "lat": encode_numbers(events["lat"], "int32", scale=10**_COORD_DIGITS),
        "start": encode_numbers(events["start_day"], "int32"),
        "end": encode_numbers(events["end_day"], "int32"),
        "cat": encode_numbers(events["category"].map(category_index), "uint8"),
        "radius": encode_numbers(events["radius_km"], "float64"),
    }
    summaries = events["summary"]
    if len(events) > COMPACT_ABOVE_ROWS:
        long = summaries.str.len() > COMPACT_SUMMARY_CHARS
        summaries = summaries.where(~long, summaries.str.slice(0, COMPACT_SUMMARY_CHARS - 1) + "…")
        out["compact"] = True
    for column, key in _TEXT_COLUMNS:
        out[key] = encode_text_column(summaries if column == "summary" else events[column])
    for key in ("figures", "claims", "notes"):
        out[key] = encode_list_column(events[key])
    out["orig"] = [
        {
            "label": column.removeprefix(ORIGIN_PREFIX),
            "values": encode_text_column(events[column].fillna("").astype(str)),
        }
        for column in events.columns
        if column.startswith(ORIGIN_PREFIX)
    ]
    return out


class _ColumnsInOrder:
    """A table's columns, each reordered when taken: one column is copied at a time."""

    def __init__(self, table: pd.DataFrame | StackedTable, order: np.ndarray) -> None:
        self.table = table
        self.order = order
        self.columns = table.columns

    def __len__(self) -> int:
        return len(self.table)

    def __getitem__(self, column: str) -> pd.Series:
        return self.table[column].take(self.order).reset_index(drop=True)


def encode_numbers(values: pd.Series, dtype: str, *, scale: int = 1) -> dict[str, Any]:
    """A numeric column as ``{"type", "scale", "b64"}``: little-endian bytes in base64.

    Integer types hold ``round(value * scale)``; the page divides by ``scale``.
    ``float64`` keeps NaN for "no value".
    """
    array = values.to_numpy(dtype="float64")
    if dtype != "float64":
        array = np.rint(array * scale)
    packed = array.astype(np.dtype(dtype).newbyteorder("<")).tobytes()
    return {"type": dtype, "scale": scale, "b64": base64.b64encode(packed).decode("ascii")}


def encode_list_column(values: pd.Series) -> list | dict[str, list]:
    """Lists of figures, claims or notes; cells shared between rows are sent once.

    Importers share one list object among rows with the same content, so rows are
    grouped by object identity (cheap), not by value; empty lists become null.
    """
    cells = [value or None for value in values.tolist()]
    codes, uniques = pd.factorize(np.fromiter((id(c) for c in cells), dtype=np.int64, count=len(cells)))
    if len(cells) and len(uniques) <= _DICTIONARY_RATIO * len(cells):
        _, first = np.unique(codes, return_index=True)  # first row of each code, by code
        return {"dict": [cells[i] for i in first.tolist()], "codes": codes.tolist()}
    return cells


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
    sample = values.iloc[:_SAMPLE_ROWS]
    if len(values) > _SAMPLE_ROWS and sample.nunique() > _DICTIONARY_RATIO * len(sample):
        return values.tolist()  # mostly distinct (ids, titles): a dictionary would not pay
    codes, uniques = pd.factorize(values, sort=False)
    if len(values) and len(uniques) <= _DICTIONARY_RATIO * len(values):
        return {"dict": uniques.tolist(), "codes": codes.tolist()}
    return values.tolist()


def _bounds(dataset: Dataset, events: pd.DataFrame | StackedTable) -> list[list[float]]:
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
