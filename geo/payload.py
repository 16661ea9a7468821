"""Turn a dataset and its event table into the data the page reads; pure data, no HTML.

The format, member by member and column by column, is written down in
``docs/payload.md``: the contract with ``geo/static/store.js``, which decodes it.

Events travel column by column: numbers and codes as little-endian typed arrays,
repeated strings once with a code per row, and mostly distinct text (ids, titles,
summaries) as one UTF-8 block with the end offset of each row. The page reads a row's
text only when it shows it, so a million events need no million strings at load.

Up to ``BINARY_ABOVE_EVENTS`` events the columns are plain JSON (arrays in base64);
above it they travel as gzip-compressed binary containers (see ``_Container``): one
with what the map draws, filters and lists, and one with the ``DETAIL_COLUMNS`` that
only a popup, a search of summaries or a download reads (summaries, figures, claims,
notes and the source's own codes). The page inflates the second
on first use: summaries are most of a large import's bytes.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from geo.model import Dataset, Layer, LocationPrecision, Place
from geo.style import BASEMAP_WORLD, UNCERTAINTY_STYLE, layer_style
from geo.table import ORIGIN_PREFIX, StackedTable, date_order
from geo.taxonomy import CATEGORIES
from geo.timeline import timeline_payload
from geo.view import view_bounds
from geo.world import encode_line, world_shapes

# More events than this travel as compressed binary containers.
BINARY_ABOVE_EVENTS = 2_000
# Columns only a popup, a search of summaries or a download reads: in a large map they
# travel in a container of their own, inflated on first use.
DETAIL_COLUMNS = frozenset({"summary", "figures", "claims", "notes", "orig"})
# Level 3 measured on a 100k-event payload (first JSON format): 0.32 s for 6.1 MB,
# against level 1 0.18 s / 7.0 MB and level 6 0.90 s / 5.1 MB.
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
# Uncompressed bytes a container may have waiting for its compressing thread.
_MAX_PENDING_BYTES = 64 * 2**20


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
    view = view_bounds(dataset, events)
    return {
        "title": title,
        "attributions": list(attributions),
        "sources": list(sources),
        "story": list(dataset.story),
        "bounds": view["extent"],
        "frame": view["frame"],
        "limits": view["limits"],
        "basemap": [layer_payload(layer, coded=True) for layer in dataset.basemap],
        "world": {**BASEMAP_WORLD, "shapes": world_shapes(view["limits"])},
        "overlays": [layer_payload(layer) for layer in dataset.overlays],
        "uncertaintyStyle": UNCERTAINTY_STYLE,
        "categories": _categories(events),
        "timeline": timeline_payload(events["start_day"], events["end_day"]),
        **_events_member(len(events), encode_events(events)),
        "tileLayers": list(tile_layers),
    }


def _events_member(n: int, columns: Iterator[tuple[str, Any]]) -> dict[str, Any]:
    """Events as JSON (``events``), or as two gzip-compressed binary containers in base64.

    ``eventsGzip`` holds every column but the ``DETAIL_COLUMNS``, ``detailsGzip`` those.
    Columns are encoded, written and freed one at a time, so a large table's encoded
    form never sits in memory whole. Base64 cannot end a script element, so the
    containers need no HTML escaping.
    """
    if n <= BINARY_ABOVE_EVENTS:
        return {"events": {key: _inline(value) for key, value in columns}}
    level = _GZIP_LEVEL if n < _FAST_GZIP_ABOVE_EVENTS else 1
    containers = {"eventsGzip": _Container(level), "detailsGzip": _Container(_GZIP_LEVEL)}
    pieces: dict[str, list[str]] = {name: [] for name in containers}
    for key, value in columns:
        name = "detailsGzip" if key in DETAIL_COLUMNS else "eventsGzip"
        pieces[name].append(json.dumps(key) + ":" + _header_json(value, containers[name]))
        del value  # free this column before the next is encoded
    return {
        name: base64.b64encode(container.finish("{" + ",".join(pieces[name]) + "}")).decode("ascii")
        for name, container in containers.items()
    }


@dataclass(frozen=True)
class NumberColumn:
    """A numeric column as a typed array; integer types hold ``round(value * scale)``."""

    array: np.ndarray
    scale: int = 1

    def description(self) -> dict[str, Any]:
        """The array's type name (``int32``, ``uint16`` …) and scale, for the page."""
        return {"type": self.array.dtype.name, "scale": self.scale}


@dataclass(frozen=True)
class TextColumn:
    """A text column sent whole: a JSON array, or in a container one UTF-8 block.

    With ``limit``, values longer than ``limit`` characters are cut to it, the last
    character an ellipsis (done while writing, so no shortened copy is kept).
    """

    values: list[str]
    limit: int | None = None

    def chunks(self, size: int = 65_536) -> Iterator[list[str]]:
        """The values (shortened to ``limit``) in slices of ``size``."""
        for at in range(0, len(self.values), size):
            chunk = self.values[at : at + size]
            yield chunk if self.limit is None else [_shortened(text, self.limit) for text in chunk]


def _shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis, if it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _header_json(value: Any, container: _Container) -> str:
    """A column's header JSON, its arrays and texts written to the container as blocks.

    An iterator (the origin columns) is encoded and written one entry at a time.
    """
    if isinstance(value, Iterator):
        return "[" + ",".join(_header_json(item, container) for item in value) + "]"
    return json.dumps(
        value, default=container.reference, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def _inline(value: Any) -> Any:
    """A column as plain JSON values: typed arrays in base64, texts as an array."""
    if isinstance(value, Iterator):
        return [_inline(item) for item in value]
    if isinstance(value, NumberColumn):
        return {**value.description(), "b64": base64.b64encode(value.array.tobytes()).decode("ascii")}
    if isinstance(value, TextColumn):
        return [text for chunk in value.chunks() for text in chunk]
    if isinstance(value, dict):
        return {key: _inline(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_inline(item) for item in value]
    return value


class _Container:
    """The binary events container, written through gzip as it is built.

    Layout: the blocks (typed arrays and UTF-8 text, each starting at a multiple of 8
    bytes so the page can view them in place), then the header, the JSON description
    of every column with ``[offset, length]`` references to its blocks, then the
    header's length as a little-endian uint32.
    """

    def __init__(self, level: int) -> None:
        self._packer = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # a gzip stream
        self._chunks: list[bytes] = []
        self._offset = 0
        # zlib works without the GIL: one worker compresses, in order, while the caller
        # encodes the next column (a million rows: seconds saved on a second core).
        self._worker = ThreadPoolExecutor(max_workers=1)
        self._pending: deque[tuple[Future[bytes], int]] = deque()
        self._pending_bytes = 0

    def _write(self, data: bytes) -> None:
        self._pending.append((self._worker.submit(self._packer.compress, data), len(data)))
        self._pending_bytes += len(data)
        self._offset += len(data)
        while self._pending_bytes > _MAX_PENDING_BYTES:
            self._collect()

    def _collect(self) -> None:
        """Wait for the oldest piece handed to the worker and keep its compressed bytes."""
        future, size = self._pending.popleft()
        self._chunks.append(future.result())
        self._pending_bytes -= size

    def _align(self) -> int:
        self._write(bytes(-self._offset % 8))
        return self._offset

    def reference(self, value: Any) -> dict[str, Any]:
        """Write a typed array or a text column as blocks; its description for the header."""
        if isinstance(value, NumberColumn):
            start = self._align()
            self._write(value.array.tobytes())
            return {**value.description(), "blob": [start, self._offset - start]}
        if isinstance(value, TextColumn):
            start = self._align()
            ends = [self._utf8_chunk(chunk, start) for chunk in value.chunks()]
            size = self._offset - start
            offsets = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
            return {
                "utf8": [start, size],
                "ends": self.reference(NumberColumn(offsets.astype("<u4" if size < 2**32 else "<f8"))),
            }
        raise TypeError(f"cannot write {type(value).__name__} to the events container")

    def _utf8_chunk(self, values: list[str], start: int) -> np.ndarray:
        """Write values as UTF-8, each followed by a NUL; each NUL's offset from ``start``.

        The offsets come from scanning the bytes in numpy, or, when a value itself
        holds a NUL, from each value's encoded length.
        """
        joined = "\0".join(values)
        data = joined.encode("utf-8") + b"\0"
        base = self._offset - start
        if joined.count("\0") == len(values) - 1:
            ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0)
        else:
            lengths = np.fromiter((len(value.encode("utf-8")) + 1 for value in values), np.int64, len(values))
            ends = np.cumsum(lengths) - 1
        self._write(data)
        return ends + base

    def finish(self, header: str) -> bytes:
        """Append the header and its length; the whole compressed container."""
        data = header.encode("utf-8")
        self._write(data)
        self._write(struct.pack("<I", len(data)))
        while self._pending:
            self._collect()
        self._worker.shutdown()
        self._chunks.append(self._packer.flush())
        compressed = b"".join(self._chunks)
        self._chunks.clear()
        return compressed


def layer_payload(layer: Layer, *, coded: bool = False) -> dict[str, Any]:
    """A basemap or overlay layer as the page draws it (also for layers added by ``geo.add_layer``).

    ``coded``: lines and areas are sent as integer coordinates (``coded_geometry``), as
    the basemap's are: the page draws them on its canvas without GeoJSON.
    """
    return {
        "id": layer.id,
        "title": layer.title,
        "attribution": layer.attribution,
        "style": layer_style(layer),
        "data": {
            "type": "FeatureCollection",
            "features": [_place_feature(place, coded) for place in layer.places],
        },
    }


def coded_geometry(geometry: BaseGeometry) -> dict[str, Any]:
    """A line or area as ``{type, units, coded}``: GeoJSON's nesting, each ring or line coded.

    Each ring or line is a flat ``[x0, y0, dx1, dy1, ...]`` of longitude and latitude
    in ``1 / units`` degrees (``geo.world.encode_line``); ``units`` keeps the events'
    precision (10⁻⁵ degree, about a metre). Points stay GeoJSON.
    """
    units = 10**_COORD_DIGITS
    if isinstance(geometry, (Point, MultiPoint)):
        return dict(mapping(geometry))
    if isinstance(geometry, LineString):
        coded: Any = encode_line(geometry.coords, units)
    elif isinstance(geometry, Polygon):
        coded = [encode_line(ring.coords, units) for ring in (geometry.exterior, *geometry.interiors)]
    elif isinstance(geometry, (MultiLineString, MultiPolygon)):
        coded = [coded_geometry(part)["coded"] for part in geometry.geoms]
    else:  # the loader accepts no other geometry (geo/validate.py)
        raise TypeError(f"cannot code a {geometry.geom_type}")
    return {"type": geometry.geom_type, "units": units, "coded": coded}


def _place_feature(place: Place, coded: bool) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": coded_geometry(place.geometry) if coded else mapping(place.geometry),
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


def encode_events(table: pd.DataFrame | StackedTable) -> Iterator[tuple[str, Any]]:
    """The event table as ``(key, column)`` pairs, in date order, each encoded when taken.

    Numbers become typed arrays, repeated text a dictionary and codes, mostly distinct
    text a text column (see the module docstring). Above ``COMPACT_ABOVE_ROWS`` events,
    summaries are cut to ``COMPACT_SUMMARY_CHARS``.
    """
    category_index = {c.id: i for i, c in enumerate(CATEGORIES)}
    events = _ColumnsInOrder(table, date_order(table))
    yield "n", len(events)
    yield "lon", encode_numbers(events["lon"], "int32", scale=10**_COORD_DIGITS)
    yield "lat", encode_numbers(events["lat"], "int32", scale=10**_COORD_DIGITS)
    yield "start", encode_numbers(events["start_day"], "int32")
    yield "end", encode_numbers(events["end_day"], "int32")
    yield "cat", encode_numbers(events["category"].map(category_index), "uint8")
    yield "radius", encode_numbers(events["radius_km"], "float64")
    yield (
        "precisionLabel",
        encode_precision_labels(events["precision_kind"], events["radius_km"], events["area"]),
    )
    compact = len(events) > COMPACT_ABOVE_ROWS
    yield "compact", compact
    for column, key in _TEXT_COLUMNS:
        limit = COMPACT_SUMMARY_CHARS if column == "summary" and compact else None
        yield key, encode_text_column(events[column], limit=limit, numbered=column == "id")
    for key in ("figures", "claims", "notes"):
        yield key, encode_list_column(events[key])
    yield (
        "orig",
        (  # encoded one source column at a time, as the writer takes them
            {
                "label": column.removeprefix(ORIGIN_PREFIX),
                "values": encode_text_column(events[column].fillna("").astype(str)),
            }
            for column in events.columns
            if column.startswith(ORIGIN_PREFIX)
        ),
    )


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


def encode_precision_labels(kinds: pd.Series, radii: pd.Series, areas: pd.Series) -> dict[str, Any]:
    """Each row's reader-facing precision label, as a dictionary and codes.

    ``LocationPrecision.label`` (the one rule) makes it once per distinct (kind, radius, area).
    """
    frame = pd.DataFrame({"kind": kinds, "radius": radii.fillna(0.0), "area": areas.fillna("")})
    codes = frame.groupby(["kind", "radius", "area"], sort=False).ngroup().to_numpy()
    distinct = frame.drop_duplicates()
    labels = [
        LocationPrecision(kind, radius_km=radius or None, area=area or None).label()
        for kind, radius, area in distinct.itertuples(index=False)
    ]
    return {"dict": labels, "codes": _codes(codes, len(labels))}


def encode_numbers(values: pd.Series, dtype: str, *, scale: int = 1) -> NumberColumn:
    """A numeric column as a little-endian typed array of ``dtype``.

    Integer types hold ``round(value * scale)``; the page divides by ``scale``.
    ``float64`` keeps NaN for "no value".
    """
    array = values.to_numpy(dtype="float64")
    if dtype != "float64":
        array = np.rint(array * scale)
    return NumberColumn(array.astype(np.dtype(dtype).newbyteorder("<")), scale)


def _codes(codes: np.ndarray, count: int) -> NumberColumn:
    """Dictionary codes in the smallest unsigned type that holds ``count`` values."""
    dtype = "<u1" if count <= 2**8 else "<u2" if count <= 2**16 else "<u4"
    return NumberColumn(codes.astype(dtype))


def encode_list_column(values: pd.Series) -> list[Any] | dict[str, Any]:
    """Lists of figures, claims or notes; cells shared between rows are sent once.

    Importers share one list object among rows with the same content, so rows are
    grouped by object identity (cheap), not by value; empty lists become null.
    """
    cells = [value or None for value in values.tolist()]
    codes, uniques = pd.factorize(np.fromiter((id(c) for c in cells), dtype=np.int64, count=len(cells)))
    if len(cells) and len(uniques) <= _DICTIONARY_RATIO * len(cells):
        _, first = np.unique(codes, return_index=True)  # first row of each code, by code
        return {"dict": [cells[i] for i in first.tolist()], "codes": _codes(codes, len(uniques))}
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


def encode_text_column(
    values: pd.Series, *, limit: int | None = None, numbered: bool = False
) -> TextColumn | dict[str, Any]:
    """The values as a dictionary and codes when they repeat, else whole.

    * ``{"dict": distinct values, "codes": ...}`` when values repeat;
    * ``{"pair": [head, tail], "sep": ", "}`` when mostly distinct values are made of two
      parts that repeat (``"Armed clash: A vs B, Village"``): each part a dictionary,
      a row without the separator has a ``null`` head;
    * with ``numbered`` (ids), ``{"numbered": [prefix, number], "none": n}`` when mostly
      distinct values are a prefix that repeats and a number (``"acled:PAK12345"``):
      the prefix a dictionary, the number a uint32 column, ``n`` where a row is its
      prefix alone (the ids are read at load; other columns, such as the source's own
      codes, are not worth the build time);
    * a ``TextColumn`` otherwise.

    Distinct values keep their order of first appearance, so the output is reproducible.
    With ``limit``, longer values are shortened (see ``TextColumn``).
    """
    values = pd.Series(values, dtype=object)
    sample = values.iloc[:_SAMPLE_ROWS]
    # Mostly distinct values (ids, titles, summaries) skip the dictionary, which would not pay.
    if len(values) <= _SAMPLE_ROWS or sample.nunique() <= _DICTIONARY_RATIO * len(sample):
        codes, uniques = pd.factorize(values, sort=False)
        if len(values) and len(uniques) <= _DICTIONARY_RATIO * len(values):
            distinct = uniques.tolist()
            if limit is not None:
                distinct = [_shortened(text, limit) for text in distinct]
            return {"dict": distinct, "codes": _codes(codes, len(uniques))}
    if limit is None and _pays_to_split(sample.tolist()):
        pair = _pair(values.tolist())
        # The sample is the oldest rows; the whole column must repeat as well.
        if sum(len(part["dict"]) for part in pair["pair"]) <= _DICTIONARY_RATIO * len(values):
            return pair
    if numbered and limit is None and _numbered_pays(sample.tolist()):
        split = _numbered(values.tolist())
        if split is not None and len(split["numbered"][0]["dict"]) <= _DICTIONARY_RATIO * len(values):
            return split
    return TextColumn(values.tolist(), limit)


# Numbers of at most this many digits (below 2**32) follow a prefix; the largest uint32
# stands for "no number" (the row is its prefix alone).
_MAX_DIGITS = 9
_NO_NUMBER = 2**32 - 1


def _numbered_pays(sample: list[str]) -> bool:
    """Whether the sample's values are mostly a repeating prefix and a number (ids)."""
    numbered = _numbered(sample)
    return numbered is not None and len(numbered["numbered"][0]["dict"]) <= _DICTIONARY_RATIO * len(sample)


def _numbered(values: list[str]) -> dict[str, Any] | None:
    """ASCII values as a prefix (a dictionary) and the decimal number ending them ("acled:PAK12345").

    A value whose ending digits would not read back the same (none, a leading zero,
    more than ``_MAX_DIGITS``) is all prefix. None when a value is not ASCII or holds a NUL.
    """
    joined = "\0".join(values)
    if not joined.isascii() or joined.count("\0") != len(values) - 1:
        return None
    data = np.frombuffer(joined.encode("ascii") + b"\0", dtype=np.uint8)
    ends = np.flatnonzero(data == 0)
    starts = np.concatenate(([0], ends[:-1] + 1))
    # Each value's ending digits start after the last non-digit before its end.
    nondigits = np.flatnonzero((data < 48) | (data > 57))
    at = np.searchsorted(nondigits, ends)  # where each value's NUL is among them
    begin = np.maximum(np.where(at > 0, nondigits[np.maximum(at - 1, 0)] + 1, 0), starts)
    digits = ends - begin
    lead = data[np.minimum(begin, len(data) - 1)]
    numbered = (digits >= 1) & (digits <= _MAX_DIGITS) & ((lead != 48) | (digits == 1))
    number = np.zeros(len(values), dtype=np.int64)
    for place in range(_MAX_DIGITS):  # digit by digit, every row at once
        digit = data[np.minimum(begin + place, len(data) - 1)].astype(np.int64) - 48
        number = np.where(numbered & (digits > place), number * 10 + digit, number)
    number = np.where(numbered, number, _NO_NUMBER).astype("<u4")
    cut = np.where(numbered, begin - starts, ends - starts).tolist()
    codes, uniques = pd.factorize(
        pd.Series([value[:k] for value, k in zip(values, cut, strict=True)], dtype=object), sort=False
    )
    return {
        "numbered": [{"dict": uniques.tolist(), "codes": _codes(codes, len(uniques))}, NumberColumn(number)],
        "none": _NO_NUMBER,
    }


_PAIR_SEPARATOR = ", "


def _split(values: list[str]) -> tuple[list[str | None], list[str]]:
    parts = [value.rpartition(_PAIR_SEPARATOR) for value in values]
    return [head if separator else None for head, separator, _ in parts], [tail for _, _, tail in parts]


def _pays_to_split(sample: list[str]) -> bool:
    """Whether both parts of the sample's values repeat enough for two dictionaries."""
    heads, tails = _split(sample)
    return bool(sample) and len(set(heads)) + len(set(tails)) <= _DICTIONARY_RATIO * len(sample)


def _pair(values: list[str]) -> dict[str, Any]:
    heads, tails = _split(values)
    parts = []
    for part in (heads, tails):
        codes, uniques = pd.factorize(pd.Series(part, dtype=object), sort=False, use_na_sentinel=False)
        parts.append(
            {
                "dict": [None if pd.isna(u) else u for u in uniques.tolist()],
                "codes": _codes(codes, len(uniques)),
            }
        )
    return {"pair": parts, "sep": _PAIR_SEPARATOR}
