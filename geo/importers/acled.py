"""Convert ACLED CSV export rows into event-table rows.

Works with exports from ACLED's Data Export Tool and API (lower-case columns,
``event_date`` as ``2024-12-25``), older exports (upper-case columns, ``25 December
2024``, ``iso3``) and HDX copies (hashtag row; dropped by ``csvfile``); date styles
may be mixed within one file.

Location precision (``geo_precision``)
--------------------------------------

=============  ===============================  =================================
geo_precision  ACLED's meaning                  event table
=============  ===============================  =================================
1              the town or village itself       ``radius``, 2 km
2              near the town / part of a        ``radius``, 25 km
               region around it
3              only a larger region; ACLED      ``area``: ``admin1`` (else the
               places the point at its          country); ``area_ref`` = ISO 3166-2
               capital or centre                of an Afghan/Pakistani province, the
                                                ISO3 for a country, else ``""``
=============  ===============================  =================================

Date precision (``time_precision``)
-----------------------------------

==============  ==========================  ==========================================
time_precision  ACLED's meaning             event table
==============  ==========================  ==========================================
1               the day is known            ``day``; start_day = end_day = the day
2               only the week or weekend    ``day`` (ACLED's coded day is kept and
                is known                    shown); start_day/end_day widened to the
                                            day ± 3 so time filters include it; a
                                            note says the day is approximate
3               only the month (or a        ``month`` (``2024-12``); start_day/end_day
                longer span) is known       = the calendar month of ``event_date``
==============  ==========================  ==========================================

Other columns
-------------

* ``id`` = ``acled:<event_id_cnty>``; ``category`` from ``geo.taxonomy.category_for_acled``
  (case-insensitive); an unknown ``event_type`` is a row problem.
* ``country``: ``iso3`` if the file has it, else ISO numeric ``iso`` (4 → AFG, 586 → PAK,
  …), else the ``country`` name; unknown codes keep the row with ``country = ""`` and a notice.
* ``figures``: ``fatalities`` as ``deaths`` reported by "<ACLED source> via ACLED"; an
  empty ``fatalities`` means unknown (no figure, and a note says so), never 0.
* ``inter1``/``inter2`` may be codes (``2``) or words (``Rebel group``); codes become
  ACLED's current words so both kinds of file read the same; ``interaction`` likewise.
* Bad rows (no id, a date that does not parse, a precision code outside 1-3, missing or
  out-of-range coordinates, coordinates that look swapped for the row's country, an
  unknown event type, a fatality count that is not a whole number ≥ 0) are problems.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Any

import numpy as np
import pandas as pd

from geo.importers import codes
from geo.importers.attribution import acled_attribution, acled_source
from geo.importers.checks import RowChecks, coordinate_checks, expected_got
from geo.importers.contract import Importer, SourceFacts
from geo.importers.csvfile import CsvChunk
from geo.importers.factors import (
    Coded,
    Factors,
    by_value,
    by_values,
    by_values_split,
    coded_choice,
    coded_constant,
    concatenated,
    raw_columns,
)
from geo.importers.parsing import (
    DEATHS_EXPECTED,
    NO_DAY,
    DayTexts,
    day_numbers,
    death_counts,
    integer_code,
    integer_codes,
    is_number,
    join_nonempty,
    month_bounds,
    numbers,
    prefixed,
    stripped,
)
from geo.importers.result import ConvertedChunk, SourceInfo
from geo.taxonomy import CATEGORIES, category_for_acled

DATASET = "ACLED"
ORIGIN = "orig:ACLED "
REQUIRED: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
)
OPTIONAL: tuple[str, ...] = (
    "disorder_type",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "iso3",
    "admin1",
    "admin2",
    "location",
    "source",
    "notes",
    "timestamp",
)
# Columns with few distinct values, read as codes (see ``CsvReader.chunks``).
CODED: tuple[str, ...] = (
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "iso3",
    "country",
    "admin1",
    "admin2",
    "geo_precision",
    "fatalities",
)
# Shown in popups as ``orig:ACLED <name>`` when the file has them. (admin3, source_scale
# and tags are not read: they add parse time and say little on a map.)
ORIGIN_COLUMNS: tuple[str, ...] = (
    "event_type",
    "sub_event_type",
    "disorder_type",
    "time_precision",
    "geo_precision",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "admin1",
    "admin2",
    "location",
    "source",
)

GEO_RADIUS_KM: dict[int, float] = {1: 2.0, 2: 25.0}
WEEK_HALF_DAYS = 3

ACTOR_TYPES: dict[int, str] = {
    0: "No actor",
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}

_NOTE_WEEK = (
    "ACLED time precision 2: the source gives only the week; the day shown is ACLED's "
    "coded day within it (the event may be up to 3 days either side)."
)
_NOTE_MONTH = (
    "ACLED time precision 3: the source gives only the month (or a longer span); shown as the month."
)
_NOTE_NEAR = (
    "ACLED geo precision 2: the event happened near this place or in the area around it "
    "(shown as within 25 km)."
)
_NOTE_REGION = (
    "ACLED geo precision 3: only the larger region is known; the marker is a placeholder "
    "point, not where it happened."
)
_NOTE_NO_FATALITIES = "The ACLED row gives no fatality figure: unknown, not zero."
_EVENT_TYPES = (
    "Battles, Explosions/Remote violence, Violence against civilians, Protests, Riots, Strategic developments"
)


def _canonical_types() -> dict[tuple[str, str], tuple[str, str]]:
    """ACLED's (event_type, sub_event_type) names, keyed case-insensitively."""
    pairs: dict[tuple[str, str], tuple[str, str]] = {("riots", ""): ("Riots", "")}
    for category in CATEGORIES:
        event_type = category.acled_event_type
        if event_type is not None:
            pairs[(event_type.casefold(), "")] = (event_type, "")
            for sub in category.acled_sub_event_types:
                pairs[(event_type.casefold(), sub.casefold())] = (event_type, sub)
    return pairs


def _category(event_type: str, sub_event_type: str, canonical: dict[tuple[str, str], tuple[str, str]]) -> str:
    """Our category id for an ACLED type pair (case-insensitive), or ``""``."""
    event_type, sub_event_type = event_type.strip(), sub_event_type.strip()
    found = category_for_acled(event_type, sub_event_type)
    if found is None:
        key = (event_type.casefold(), sub_event_type.casefold())
        event, sub = canonical.get(key, canonical.get((key[0], ""), ("", "")))
        found = category_for_acled(event, sub or sub_event_type) if event else None
    return found or ""


def _actor_type(value: str) -> str:
    text = value.strip()
    return ACTOR_TYPES.get(integer_code(text), text) if is_number(text) else text


def _bad_actor_code(value: str) -> bool:
    """A number that is not one of ACLED's actor type codes 0-8 (words are fine)."""
    text = value.strip()
    return is_number(text) and integer_code(text) not in ACTOR_TYPES


def _bad_numeric_iso(value: str) -> bool:
    """Not empty and not an ISO 3166-1 numeric code (a whole number from 0 to 999)."""
    text = value.strip()
    return bool(text) and not 0 <= integer_code(text) <= 999


def _interaction(value: str) -> str:
    text = value.strip()
    if not text.isdigit() or len(text) > 2:
        return text
    first, second = int(text[0]), int(text[1]) if len(text) == 2 else 0
    if first not in ACTOR_TYPES or second not in ACTOR_TYPES:
        return text
    if second == 0:
        return f"{ACTOR_TYPES[first]} only"
    return f"{ACTOR_TYPES[first]}-{ACTOR_TYPES[second]}"


def _country(iso3: str, iso: str, name: str) -> str:
    text = iso3.strip().upper()
    if len(text) == 3 and text.isalpha():
        return text
    found = codes.ISO3_BY_NUMERIC.get(integer_code(iso))
    return found or codes.iso3_for_name(name) or ""


def _title_head(sub: str, event: str, actor1: str, actor2: str) -> str:
    """The title up to the place: ``Armed clash: A vs B``."""
    label = sub.strip() or event.strip()
    actor1, actor2 = actor1.strip(), actor2.strip()
    actors = f"{actor1} vs {actor2}" if actor1 and actor2 else actor1 or actor2
    return f"{label}: {actors}" if actors else label


def _places(location: str, admin2: str, admin1: str, country: str) -> tuple[str, str]:
    """(place, end of the title: ``, <location or admin2>``, or ``""`` when both are empty)."""
    location, admin2 = location.strip(), admin2.strip()
    where = location or admin2
    return join_nonempty((location, admin2, admin1.strip(), country.strip())), f", {where}" if where else ""


def _area(precision: int, country: str, admin1: str, country_name: str) -> tuple[str, str]:
    if precision != 3:
        return "", ""
    admin1 = admin1.strip()
    if admin1:
        return admin1, codes.province_code(country, admin1)
    return country_name.strip() or codes.COUNTRY_NAMES.get(country, country), country


def _notes(time_precision: int, geo_precision: int, no_fatalities: bool) -> list[str]:
    notes = []
    if time_precision == 2:
        notes.append(_NOTE_WEEK)
    elif time_precision == 3:
        notes.append(_NOTE_MONTH)
    if geo_precision == 2:
        notes.append(_NOTE_NEAR)
    elif geo_precision == 3:
        notes.append(_NOTE_REGION)
    if no_fatalities:
        notes.append(_NOTE_NO_FATALITIES)
    return notes


def _figures(fatalities: int, source: str) -> list[dict[str, Any]]:
    if fatalities < 0:
        return []
    source = source.strip()
    return [
        {
            "kind": "deaths",
            "value": int(fatalities),
            "qualifier": None,
            "reported_by": f"{source} via ACLED" if source else "ACLED",
            "note": None,
        }
    ]


# ``orig:`` columns shown in words rather than as the file's codes.
_ORIGIN_CONVERSIONS = {"inter1": _actor_type, "inter2": _actor_type, "interaction": _interaction}
# Repeated texts that are not read as codes, shared across chunks as soon as read.
_SHARED_TEXT = ("location", "source")
# Text columns the table is built from, besides the ``orig:`` ones.
_TABLE_TEXT = (
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "admin1",
    "admin2",
    "country",
    "source",
    "notes",
    "timestamp",
)


def _clean_text(values: np.ndarray) -> np.ndarray:
    """Notes with CRLF turned into LF and surrounding white space removed."""
    cleaned = stripped(values)
    for row in np.flatnonzero(_contains(values, "\r").astype(bool)).tolist():
        cleaned[row] = values[row].replace("\r\n", "\n").strip()
    return cleaned


_contains = np.frompyfunc(operator.contains, 2, 1)


class AcledImporter(Importer):
    """Converts the chunks of one ACLED file, sharing lookups between chunks.

    Every conversion of repeated values (dates, codes, countries, places, title parts,
    figures, notes, the ``orig:`` texts) is cached for the whole file, so equal values
    are one shared object in every chunk.
    """

    name = "acled"
    dataset = DATASET
    label = "an ACLED export (event_id_cnty, event_date, sub_event_type, …)"
    signature = frozenset(
        {"event_id_cnty", "event_date", "sub_event_type", "geo_precision", "fatalities", "actor1"}
    )
    min_signature = 2
    required = REQUIRED
    optional = OPTIONAL
    coded = CODED
    id_column = "event_id_cnty"
    id_prefix = "acled:"

    def __init__(self, file: str, header: tuple[str, ...]) -> None:
        super().__init__(file, header)
        self.origin_columns = tuple(name for name in ORIGIN_COLUMNS if name in header)
        self._canonical = _canonical_types()
        self._days: dict[str, int] = {}
        self._cache: dict[str, dict[Any, Any]] = {}
        self._shared: dict[str, dict[str, str]] = {}
        self._day_texts = DayTexts()
        self._no_claims: list[dict[str, str]] = []
        self._source = f"ACLED export {file}"
        self._max_timestamp: float | None = None

    def _lookup(self, name: str) -> dict[Any, Any]:
        """The file-wide cache named ``name``."""
        return self._cache.setdefault(name, {})

    def source(self, facts: SourceFacts, access_date: str) -> SourceInfo:
        """``SourceInfo`` for the file; without ``access_date``, the newest ``timestamp``."""
        origin = "given" if access_date else ""
        if not access_date:
            access_date = access_date_from_timestamp(self._max_timestamp)
            origin = "latest timestamp" if access_date else ""
        return acled_source(facts, access_date=access_date, access_date_origin=origin)

    @classmethod
    def attribution(cls, source: SourceInfo, aggregated: str | None) -> str:
        """ACLED's credit: link, access date, the changes made, the citation."""
        return acled_attribution(source, aggregated)

    def convert(self, chunk: CsvChunk) -> ConvertedChunk:
        """Convert one chunk of rows into table columns, problems and notices."""
        frame, factors = chunk.frame, Factors()
        raw = raw_columns(chunk, (*REQUIRED, *OPTIONAL), factors, self._shared, (*CODED, *_SHARED_TEXT))
        check = RowChecks(self.file, chunk.lines, chunk.unit)
        raw_id = stripped(raw["event_id_cnty"])
        check.fail(raw_id == "", "event_id_cnty", lambda i: "expected an event id, got ''")
        ids = prefixed("acled:", raw_id)

        date_text = raw["event_date"]
        days = day_numbers(date_text, text=True, cache=self._days, factors=factors)
        check.fail(
            days == NO_DAY,
            "event_date",
            lambda i: f"expected a date like '2024-12-25' or '25 December 2024', got {date_text[i]!r}",
        )
        time_text = raw["time_precision"]
        time_precision = integer_codes(time_text, factors)
        check.fail(
            ~np.isin(time_precision, (1, 2, 3)),
            "time_precision",
            lambda i: f"expected 1 (day), 2 (week) or 3 (month), got {time_text[i]!r}",
        )
        event_type, sub_event_type = raw["event_type"], raw["sub_event_type"]
        category = by_values(
            [event_type, sub_event_type],
            lambda e, s: _category(e, s, self._canonical),
            factors=factors,
            cache=self._lookup("category"),
        )
        check.fail(
            category == "",
            "event_type",
            lambda i: (
                f"expected one of ACLED's event types ({_EVENT_TYPES}), got {event_type[i]!r} "
                f"(sub_event_type {sub_event_type[i]!r})"
            ),
        )
        geo_text = raw["geo_precision"]
        geo_precision = integer_codes(geo_text, factors)
        check.fail(
            ~np.isin(geo_precision, (1, 2, 3)),
            "geo_precision",
            lambda i: f"expected 1 (town), 2 (near a town) or 3 (region), got {geo_text[i]!r}",
        )
        country_name, iso_text = raw["country"], raw["iso"]
        check.fail(
            by_value(iso_text, _bad_numeric_iso, bool, factors=factors),
            "iso",
            lambda i: f"expected an ISO 3166-1 numeric country code (0-999) or nothing, got {iso_text[i]!r}",
        )
        for name in ("inter1", "inter2"):
            actor_text = raw[name]
            check.fail(
                by_value(actor_text, _bad_actor_code, bool, factors=factors),
                name,
                expected_got("an ACLED actor type: a code 0-8 or its name", actor_text),
            )
        country = by_values(
            [raw["iso3"], iso_text, country_name], _country, factors=factors, cache=self._lookup("country")
        )
        lat_text, lon_text = raw["latitude"], raw["longitude"]
        lat, lon = numbers(lat_text, factors), numbers(lon_text, factors)
        coordinate_checks(check, lat, lon, lat_text, lon_text, country, factors)
        fatalities_text = raw["fatalities"]
        fatalities, not_a_count = death_counts(fatalities_text, factors)
        check.fail(
            not_a_count,
            "fatalities",
            lambda i: f"expected {DEATHS_EXPECTED}, got {fatalities_text[i]!r}",
        )
        check.notice(
            country == "",
            "iso",
            lambda i: (
                f"country {country_name[i]!r} (iso {iso_text[i]!r}) is not in the importer's "
                "table of country codes; kept without a country code"
            ),
            kind="unknown country",
        )
        keep = ~check.bad
        rows = {
            **{name: raw[name] for name in (*_TABLE_TEXT, *self.origin_columns)},
            "ids": ids,
            "days": days,
            "time_code": time_precision,
            "category": category,
            "geo_code": geo_precision,
            "country_code": country,
            "lat": lat,
            "lon": lon,
            "fatalities": fatalities,
        }
        if not keep.all():
            rows, factors = factors.subset(rows, keep)
        good_days = rows["days"]
        stamp = _max_timestamp(rows["timestamp"])
        if stamp is not None and (self._max_timestamp is None or stamp > self._max_timestamp):
            self._max_timestamp = stamp
        has_id = raw_id != ""
        return ConvertedChunk(
            rows=len(frame),
            columns=self._table(rows, factors),
            lines=chunk.lines[keep],
            ids=ids[has_id],
            id_lines=chunk.lines[has_id],
            problems=check.problems,
            notices=check.notices,
            first_day=int(good_days.min()) if len(good_days) else None,
            last_day=int(good_days.max()) if len(good_days) else None,
            event_types={text.strip() for text in pd.unique(rows["event_type"])},
        )

    def _table(self, rows: dict[str, np.ndarray], factors: Factors) -> dict[str, np.ndarray | Coded]:
        size = len(rows["ids"])
        cache = self._lookup
        days, time_code, geo_code = rows["days"], rows["time_code"], rows["geo_code"]
        country, country_name = rows["country_code"], rows["country"]
        location, admin1, admin2 = rows["location"], rows["admin1"], rows["admin2"]

        date = self._day_texts.days(days)
        monthly, weekly = time_code == 3, time_code == 2
        start_day, end_day = days.copy(), days.copy()
        if monthly.any():
            date[monthly] = self._day_texts.months(days[monthly])
            start_day[monthly], end_day[monthly] = month_bounds(days[monthly])
        start_day[weekly] -= WEEK_HALF_DAYS
        end_day[weekly] += WEEK_HALF_DAYS
        area, area_ref = by_values_split(
            [geo_code, country, admin1, country_name], _area, 2, factors, cache("area")
        )
        radius = np.array([GEO_RADIUS_KM.get(code, np.nan) for code in (1, 2, 3)])
        head = by_values(
            [rows["sub_event_type"], rows["event_type"], rows["actor1"], rows["actor2"]],
            _title_head,
            factors=factors,
            cache=cache("title_head"),
        )
        place, where = by_values_split(
            [location, admin2, admin1, country_name], _places, 2, factors, cache("place")
        )
        columns: dict[str, np.ndarray | Coded] = {
            "id": rows["ids"],
            "title": concatenated([head, where], factors),
            "summary": _clean_text(rows["notes"]),
            "date": date,
            "date_precision": coded_choice(monthly, "month", "day"),
            "end_date": coded_constant(size, ""),
            "start_day": start_day.astype(np.int64),
            "end_day": end_day.astype(np.int64),
            "category": rows["category"],
            "country": country,
            "place": place,
            "lon": rows["lon"].astype(np.float64),
            "lat": rows["lat"].astype(np.float64),
            "precision_kind": coded_choice(geo_code == 3, "area", "radius"),
            "radius_km": radius[np.clip(geo_code, 1, 3) - 1],
            "area": area,
            "area_ref": area_ref,
            "layers": coded_constant(size, ""),
            "source": coded_constant(size, self._source),
            "figures": by_values(
                [rows["fatalities"], rows["source"]], _figures, factors=factors, cache=cache("figures")
            ),
            "claims": coded_constant(size, self._no_claims),
            "notes": by_values(
                [time_code, geo_code, rows["fatalities"] < 0], _notes, factors=factors, cache=cache("notes")
            ),
            "dataset": coded_constant(size, DATASET),
        }
        for name in self.origin_columns:
            # The texts are shared across chunks already (``raw_columns``, _SHARED_TEXT).
            values = rows[name]
            if name in _ORIGIN_CONVERSIONS:
                convert = _ORIGIN_CONVERSIONS[name]
                values = by_value(values, convert, cache=cache(ORIGIN + name), factors=factors)
            columns[ORIGIN + name] = values
        return {name: factors.coded(values) for name, values in columns.items()}


def _max_timestamp(values: np.ndarray) -> float | None:
    """The newest ACLED ``timestamp`` (seconds since 1970, or an ISO date) in the chunk."""
    if not len(values):
        return None
    try:
        return float(values.astype(np.int64).max())
    except (ValueError, OverflowError):
        pass
    numeric = numbers(values)
    if np.isfinite(numeric).any():
        return float(np.nanmax(numeric))
    texts = [text.strip() for text in values if text.strip()]
    day = day_numbers(np.array([max(texts)], dtype=object))[0] if texts else NO_DAY
    return None if day == NO_DAY else float(day) * 86400.0


def access_date_from_timestamp(timestamp: float | None) -> str:
    """The UTC day of ACLED's newest ``timestamp`` (seconds since 1970), or ``""``."""
    if timestamp is None:
        return ""
    try:
        return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return ""
