"""The events payload, decoded here independently: both wire formats give back the table.

Up to ``BINARY_ABOVE_EVENTS`` events travel as JSON; above, as a gzip-compressed binary
container (typed arrays and UTF-8 blocks, then a JSON header, then its length). The
decoder below is written from the format's description, not from the encoder's code.
"""

from __future__ import annotations

import base64
import gzip
import json
import struct

import numpy as np
import pandas as pd
import pytest

from geo.payload import BINARY_ABOVE_EVENTS, DETAIL_COLUMNS, TextColumn, build_payload, encode_text_column
from geo.table import EVENT_COLUMNS, ORIGIN_PREFIX, combine_tables
from geo.taxonomy import CATEGORIES
from tests.conftest import DATA_DIR, VALID_DIR

AWKWARD = [
    "plain",
    "",
    "د پېښور سیمه",  # Pashto
    "flag 🚩 and 𝔘nicode beyond the BMP",
    "</script><script>alert(1)</script>",
    "{{ 7*7 }} {% raw %}",
    "line\u2028separator\u2029and \r\n breaks",
    "ends in a NUL\x00",
    "\ufeffstarts with a byte-order mark",
    "several, parts, split, at the last",
]


def _table(rows: int) -> pd.DataFrame:
    """An event table with awkward text, shared list cells and dates out of order."""
    figure = [{"kind": "killed", "value": 3, "qualifier": "", "reported_by": "x", "note": ""}]
    table = pd.DataFrame(
        {
            # Ids as real files have them (prefix and number), and a few that are not.
            "id": [
                f"t:{i}" if i % 1000 not in (7, 8) else f"t:{i:012d}" if i % 1000 == 7 else f"t:{i}x"
                for i in range(rows)
            ],
            "title": [
                f"Unplaced {i}" if i % 10 == 0 else f"{AWKWARD[i % len(AWKWARD)]} #{i % 53}, village {i % 97}"
                for i in range(rows)
            ],
            "summary": [AWKWARD[(i * 3) % len(AWKWARD)] * (1 + i % 4) + f" {i}" for i in range(rows)],
            "date": ["2024-12-25"] * rows,
            "date_precision": ["day"] * rows,
            "end_date": [""] * rows,
            "start_day": [20_000 - (i % 7) for i in range(rows)],
            "end_day": [20_001 - (i % 7) + (i % 5) for i in range(rows)],
            "category": ["armed_clash", "explosion"] * (rows // 2) + ["armed_clash"] * (rows % 2),
            "country": ["AFG"] * rows,
            "place": [AWKWARD[i % 3] for i in range(rows)],
            "lon": [69.0 + i * 1e-4 for i in range(rows)],
            "lat": [33.0 + i * 1e-4 for i in range(rows)],
            "precision_kind": [("exact", "radius", "area", "exact", "exact")[i % 5] for i in range(rows)],
            "radius_km": [2.5 + i % 3 if i % 5 == 1 else float("nan") for i in range(rows)],
            "area": [AWKWARD[i % len(AWKWARD)] if i % 5 == 2 else "" for i in range(rows)],
            "area_ref": [""] * rows,
            "layers": [""] * rows,
            "source": ["test"] * rows,
            "figures": [figure if i % 2 else [] for i in range(rows)],
            "claims": [[] for _ in range(rows)],
            "notes": [[] for _ in range(rows)],
            "dataset": ["TEST"] * rows,
            ORIGIN_PREFIX + "code": [str(i % 3) for i in range(rows)],
        }
    )
    assert list(table.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    return table


def _containers(member: dict) -> list[tuple[bytes, dict]]:
    """(bytes, header) of each container of a binary events member: the events, their details."""
    out = []
    for key in ("eventsGzip", "detailsGzip"):
        raw = gzip.decompress(base64.b64decode(member[key]))
        (length,) = struct.unpack("<I", raw[-4:])
        out.append((raw, json.loads(raw[-4 - length : -4].decode("utf-8"))))
    return out


def _decode(member: dict) -> dict[str, list]:
    """Every column of an events member as a Python list, from either format."""
    events_categories = [c.id for c in CATEGORIES]
    containers = [(b"", member["events"])] if "events" in member else _containers(member)
    # Each column with the bytes its blocks are in.
    columns = {key: (raw, spec) for raw, header in containers for key, spec in header.items()}

    def numbers(raw: bytes, spec: dict) -> np.ndarray:
        dtype = np.dtype(spec["type"]).newbyteorder("<")
        if "b64" in spec:
            data = base64.b64decode(spec["b64"])
        else:
            start, size = spec["blob"]
            assert start % 8 == 0, "blocks start 8-byte aligned, so the page can view them in place"
            data = raw[start : start + size]
        values = np.frombuffer(data, dtype=dtype)
        return values / spec["scale"] if spec["scale"] != 1 else values

    def texts(raw: bytes, spec) -> list:
        if isinstance(spec, list):
            return spec
        if "utf8" in spec:
            start, size = spec["utf8"]
            assert start % 8 == 0
            block, out, begin = raw[start : start + size], [], 0
            for end in numbers(raw, spec["ends"]).astype(int):
                out.append(block[begin:end].decode("utf-8"))
                begin = end + 1
            return out
        if "pair" in spec:
            heads, tails = (texts(raw, part) for part in spec["pair"])
            return [
                tail if head is None else head + spec["sep"] + tail
                for head, tail in zip(heads, tails, strict=True)
            ]
        if "numbered" in spec:
            prefixes, values = texts(raw, spec["numbered"][0]), numbers(raw, spec["numbered"][1])
            return [
                prefix if value == spec["none"] else f"{prefix}{value}"
                for prefix, value in zip(prefixes, values.tolist(), strict=True)
            ]
        return [spec["dict"][code] for code in numbers(raw, spec["codes"])]

    out = {key: numbers(*columns[key]).tolist() for key in ("lon", "lat", "start", "end", "cat", "radius")}
    out["cat"] = [events_categories[int(code)] for code in out["cat"]]
    for key in ("id", "title", "summary", "place", "dataset", "figures"):
        out[key] = texts(*columns[key])
    raw, orig = columns["orig"]
    out["orig"] = {o["label"]: texts(raw, o["values"]) for o in orig}
    out["encoding"] = {
        key: sorted(spec) if isinstance(spec, dict) else "list" for key, (_, spec) in columns.items()
    }
    assert len(out["id"]) == columns["n"][1]
    return out


def _member(table: pd.DataFrame) -> dict:
    from geo.loader import load_dataset

    payload = build_payload(load_dataset(VALID_DIR), combine_tables([table]), title="t", attributions=[])
    return {key: payload[key] for key in ("events", "eventsGzip", "detailsGzip") if key in payload}


@pytest.mark.parametrize("rows", [BINARY_ABOVE_EVENTS - 1, BINARY_ABOVE_EVENTS + 501, 25_000])
def test_both_formats_give_back_the_table_in_date_order(rows):
    table = _table(rows)
    member = _member(table)
    assert ("eventsGzip" in member) == (rows > BINARY_ABOVE_EVENTS)
    decoded = _decode(member)
    if rows > BINARY_ABOVE_EVENTS:  # distinct text travels as UTF-8 blocks, ids as prefix and number
        assert decoded["encoding"]["summary"] == ["ends", "utf8"]
        assert decoded["encoding"]["id"] == ["none", "numbered"]
    if rows > 20_000:  # mostly distinct titles made of two repeating parts travel as a pair
        assert decoded["encoding"]["title"] == ["pair", "sep"]
    # By first day, then last day (the page's own order, so it need not sort again).
    expected = table.iloc[np.lexsort((table["end_day"].to_numpy(), table["start_day"].to_numpy()))]
    assert decoded["id"] == expected["id"].tolist()
    assert decoded["title"] == expected["title"].tolist()
    assert decoded["summary"] == expected["summary"].tolist()
    assert decoded["place"] == expected["place"].tolist()
    assert decoded["orig"] == {"code": expected[ORIGIN_PREFIX + "code"].tolist()}
    assert decoded["start"] == expected["start_day"].tolist()
    assert decoded["cat"] == expected["category"].tolist()
    assert decoded["lon"] == pytest.approx(expected["lon"].tolist(), abs=1e-5)
    assert np.array_equal(np.isnan(decoded["radius"]), expected["radius_km"].isna())
    assert decoded["figures"] == [cell or None for cell in expected["figures"]]


def test_the_container_is_the_same_bytes_every_time():
    table = _table(BINARY_ABOVE_EVENTS + 501)
    assert _member(table) == _member(table.copy())


def test_a_pair_is_kept_only_when_the_whole_column_repeats():
    # The first 20,000 rows (the sample) repeat their parts; the 12,000 after them do not.
    values = [f"Kind {i % 150}, Village {i % 149}" for i in range(20_000)]
    assert "pair" in encode_text_column(pd.Series(values + values[:12_000]))
    values += [f"Unique kind {i}, unique village {i}" for i in range(12_000)]
    kept = encode_text_column(pd.Series(values))
    assert not isinstance(kept, dict) or "pair" not in kept


def test_compact_text_is_cut_with_an_ellipsis_in_both_encodings():
    long, short = "x" * 30, "short"
    distinct = encode_text_column(pd.Series([f"{long}{i}" for i in range(6)] + [short]), limit=10)
    repeated = encode_text_column(pd.Series([long, long, long, short]), limit=10)
    assert [text for chunk in distinct.chunks() for text in chunk][-2:] == ["x" * 9 + "…", short]
    assert repeated["dict"] == ["x" * 9 + "…", short]


def test_a_large_set_sends_its_details_apart_from_what_the_map_draws():
    """Summaries, lists and codes travel in the second container, read on first use; nothing twice."""
    (_, events), (_, details) = _containers(_member(_table(BINARY_ABOVE_EVENTS + 1)))
    assert set(details) == DETAIL_COLUMNS
    assert not set(events) & DETAIL_COLUMNS
    assert {"n", "lon", "lat", "start", "end", "cat", "id", "title"} <= set(events)


def test_ids_travel_as_prefix_and_number_only_when_they_read_back_the_same():
    ids = [f"acled:PAK{i}" for i in range(5000)] + ["x", "007", "1234567890", "a1b22", "0", ""]
    assert isinstance(encode_text_column(pd.Series(ids)), TextColumn)  # only ids are split
    numbered = encode_text_column(pd.Series(ids), numbered=True)
    prefixes, values = numbered["numbered"][0], numbered["numbered"][1].array
    assert prefixes["dict"] == ["acled:PAK", "x", "007", "1234567890", "a1b", ""]
    none = numbered["none"]
    assert values[-6:].tolist() == [none, none, none, 22, 0, none] and values[1] == 1
    # Mostly distinct prefixes (or text beyond ASCII) do not pay: the values go whole.
    distinct = [f"id-{i}-x{i}" for i in range(5000)]
    assert isinstance(encode_text_column(pd.Series(distinct), numbered=True), TextColumn)
    assert isinstance(
        encode_text_column(pd.Series([f"د{i}" for i in range(5000)]), numbered=True), TextColumn
    )


def _positions(line: list[int], units: int) -> list[tuple[float, float]]:
    """A coded line read as the format says: the first point, then differences, in 1/units degrees."""
    xy = np.cumsum(np.asarray(line, dtype=np.int64).reshape(-1, 2), axis=0) / units
    return [(float(x), float(y)) for x, y in xy]


def test_basemap_lines_and_areas_travel_coded_and_read_back_as_drawn():
    from geo.loader import load_dataset

    dataset = load_dataset(DATA_DIR)  # the shipped basemap: cities, rivers, borders, countries, provinces
    payload = build_payload(dataset, combine_tables([_table(3)]), title="t", attributions=[])
    sent = {f["id"]: f["geometry"] for layer in payload["basemap"] for f in layer["data"]["features"]}
    places = [place for layer in dataset.basemap for place in layer.places]
    assert {p.geometry.geom_type for p in places} >= {"Point", "Polygon", "MultiPolygon", "LineString"}
    for place in places:
        geometry, kind = sent[place.id], place.geometry.geom_type
        assert geometry["type"] == kind
        if kind == "Point":  # points (city dots) stay GeoJSON
            assert tuple(geometry["coordinates"]) == place.geometry.coords[0]
            continue
        parts = place.geometry.geoms if kind.startswith("Multi") else [place.geometry]
        coded = geometry["coded"] if kind.startswith("Multi") else [geometry["coded"]]
        for part, sent_part in zip(parts, coded, strict=True):
            rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
            lines = sent_part if part.geom_type == "Polygon" else [sent_part]
            for ring, line in zip(rings, lines, strict=True):
                got = _positions(line, geometry["units"])
                assert np.allclose(got, np.asarray(ring.coords)[:, :2], atol=0.6 / geometry["units"], rtol=0)
    # The overlays stay GeoJSON: Leaflet draws them.
    assert all(
        "coordinates" in f["geometry"] for layer in payload["overlays"] for f in layer["data"]["features"]
    )
