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
from typing import Any

import numpy as np
import pandas as pd

from geo.importers import codes
from geo.importers.columns import (
    NO_DAY,
    Factors,
    RowChecks,
    by_value,
    by_values,
    by_values_split,
    choose,
    column,
    constant,
    day_numbers,
    few_numbers,
    integer_codes,
    iso_days,
    join_nonempty,
    month_bounds,
    numbers,
    stripped,
    table_frame,
    text_column,
)
from geo.importers.coords import coordinate_checks
from geo.importers.csvfile import CsvChunk
from geo.importers.result import ConvertedChunk
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


def _category(event_type: str, sub_event_type: str, canonical: dict) -> str:
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
    try:
        return ACTOR_TYPES.get(int(float(text)), text)
    except ValueError:
        return text


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
    try:
        found = codes.ISO3_BY_NUMERIC.get(int(float(iso)))
    except ValueError:
        found = None
    return found or codes.iso3_for_name(name) or ""


def _title(sub: str, event: str, actor1: str, actor2: str, location: str, admin2: str) -> str:
    label = sub.strip() or event.strip()
    actor1, actor2 = actor1.strip(), actor2.strip()
    actors = f"{actor1} vs {actor2}" if actor1 and actor2 else actor1 or actor2
    text = f"{label}: {actors}" if actors else label
    where = location.strip() or admin2.strip()
    return f"{text}, {where}" if where else text


def _place(location: str, admin2: str, admin1: str, country: str) -> str:
    return join_nonempty((location.strip(), admin2.strip(), admin1.strip(), country.strip()))


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


def _clean_text(values: np.ndarray) -> list[str]:
    """Notes with CRLF turned into LF and surrounding white space removed."""
    return [text.replace("\r\n", "\n").strip() if "\r" in text else text.strip() for text in values]


class Converter:
    """Converts the chunks of one ACLED file, sharing lookups between chunks.

    Parameters
    ----------
    file : str
        File name for problems and the ``source`` column.
    header : tuple of str
        The file's columns, to know which optional ones exist.
    """

    def __init__(self, file: str, header: tuple[str, ...]) -> None:
        self.file = file
        self.origin_columns = tuple(name for name in ORIGIN_COLUMNS if name in header)
        self._canonical = _canonical_types()
        self._days: dict[str, int] = {}
        self._categories: dict[tuple[str, str], str] = {}

    def convert(self, chunk: CsvChunk) -> ConvertedChunk:
        """Convert one chunk of rows into table rows, problems and notices."""
        frame, factors = chunk.frame, Factors()
        check = RowChecks(self.file, chunk.lines)
        raw_id = stripped(column(frame, "event_id_cnty"))
        check.fail(raw_id == "", "event_id_cnty", lambda i: "expected an event id, got ''")
        ids = np.array([f"acled:{value}" for value in raw_id], dtype=object)

        date_text = column(frame, "event_date")
        days = day_numbers(date_text, text=True, cache=self._days)
        check.fail(
            days == NO_DAY,
            "event_date",
            lambda i: f"expected a date like '2024-12-25' or '25 December 2024', got {date_text[i]!r}",
        )
        time_text = column(frame, "time_precision")
        time_precision = integer_codes(time_text)
        check.fail(
            ~np.isin(time_precision, (1, 2, 3)),
            "time_precision",
            lambda i: f"expected 1 (day), 2 (week) or 3 (month), got {time_text[i]!r}",
        )
        event_type, sub_event_type = column(frame, "event_type"), column(frame, "sub_event_type")
        category = by_values(
            [event_type, sub_event_type],
            lambda e, s: _category(e, s, self._canonical),
            factors=factors,
        )
        check.fail(
            category == "",
            "event_type",
            lambda i: (
                f"expected one of ACLED's event types ({_EVENT_TYPES}), got {event_type[i]!r} "
                f"(sub_event_type {sub_event_type[i]!r})"
            ),
        )
        geo_text = column(frame, "geo_precision")
        geo_precision = integer_codes(geo_text)
        check.fail(
            ~np.isin(geo_precision, (1, 2, 3)),
            "geo_precision",
            lambda i: f"expected 1 (town), 2 (near a town) or 3 (region), got {geo_text[i]!r}",
        )
        country_name, iso_text = column(frame, "country"), column(frame, "iso")
        country = by_values([column(frame, "iso3"), iso_text, country_name], _country, factors=factors)
        lat_text, lon_text = column(frame, "latitude"), column(frame, "longitude")
        lat, lon = numbers(lat_text), numbers(lon_text)
        coordinate_checks(check, lat, lon, lat_text, lon_text, country)
        fatalities_text = column(frame, "fatalities")
        value = few_numbers(fatalities_text)
        no_fatalities = by_value(fatalities_text, lambda text: not text.strip(), dtype=bool)
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(value) & (value >= 0) & (value == np.round(value))
        check.fail(
            ~no_fatalities & ~whole,
            "fatalities",
            lambda i: f"expected a whole number of deaths (0 or more) or nothing, got {fatalities_text[i]!r}",
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
            "ids": ids,
            "days": days,
            "time_precision": time_precision,
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "category": category,
            "geo_precision": geo_precision,
            "country": country,
            "country_name": country_name,
            "lat": lat,
            "lon": lon,
            "fatalities": np.where(whole & ~no_fatalities, value, -1).astype(np.int64),
            "no_fatalities": no_fatalities,
        }
        good = frame
        if not keep.all():
            good = frame[keep].reset_index(drop=True)
            rows = {name: values[keep] for name, values in rows.items()}
            factors = Factors()
        good_days = rows["days"]
        has_id = raw_id != ""
        return ConvertedChunk(
            rows=len(frame),
            table=self._table(good, rows, factors),
            lines=chunk.lines[keep],
            ids=ids[has_id],
            id_lines=chunk.lines[has_id],
            problems=check.problems,
            notices=check.notices,
            stats={
                "event_types": {text.strip() for text in pd.unique(rows["event_type"])},
                "max_timestamp": _max_timestamp(column(good, "timestamp")),
                "first_day": int(good_days.min()) if len(good_days) else None,
                "last_day": int(good_days.max()) if len(good_days) else None,
            },
        )

    def _table(self, frame: pd.DataFrame, rows: dict[str, np.ndarray], factors: Factors) -> pd.DataFrame:
        size = len(frame)
        days, time_precision = rows["days"], rows["time_precision"]
        geo_precision, country = rows["geo_precision"], rows["country"]
        actor1, actor2 = column(frame, "actor1"), column(frame, "actor2")
        location, admin1, admin2 = (column(frame, name) for name in ("location", "admin1", "admin2"))

        date = iso_days(days)
        monthly, weekly = time_precision == 3, time_precision == 2
        start_day, end_day = days.copy(), days.copy()
        if monthly.any():
            date[monthly] = by_value(date[monthly], lambda text: text[:7])
            start_day[monthly], end_day[monthly] = month_bounds(days[monthly])
        start_day[weekly] -= WEEK_HALF_DAYS
        end_day[weekly] += WEEK_HALF_DAYS
        area, area_ref = by_values_split(
            [geo_precision, country, admin1, rows["country_name"]], _area, 2, factors
        )
        radius = np.array([GEO_RADIUS_KM.get(code, np.nan) for code in (1, 2, 3)])
        empty = constant(size, "")
        titles = by_values(
            [rows["sub_event_type"], rows["event_type"], actor1, actor2, location, admin2],
            _title,
            factors=factors,
        )
        columns: dict[str, Any] = {
            "id": text_column(rows["ids"]),
            "title": text_column(titles),
            "summary": text_column(_clean_text(column(frame, "notes"))),
            "date": text_column(date),
            "date_precision": text_column(choose(monthly, "month", "day")),
            "end_date": empty,
            "start_day": start_day.astype(np.int64),
            "end_day": end_day.astype(np.int64),
            "category": text_column(rows["category"]),
            "country": text_column(country),
            "place": by_values([location, admin2, admin1, rows["country_name"]], _place, factors=factors),
            "lon": rows["lon"].astype(np.float64),
            "lat": rows["lat"].astype(np.float64),
            "precision_kind": choose(geo_precision == 3, "area", "radius"),
            "radius_km": radius[np.clip(geo_precision, 1, 3) - 1],
            "area": area,
            "area_ref": area_ref,
            "layers": empty,
            "source": constant(size, f"ACLED export {self.file}"),
            "figures": by_values([rows["fatalities"], column(frame, "source")], _figures, factors=factors),
            "claims": by_values([np.zeros(size, dtype=np.int8)], lambda _: []),
            "notes": by_values(
                [time_precision, geo_precision, rows["no_fatalities"]], _notes, factors=factors
            ),
            "dataset": constant(size, DATASET),
        }
        for name in self.origin_columns:
            values = column(frame, name)
            if name in ("inter1", "inter2"):
                values = by_value(values, _actor_type)
            elif name == "interaction":
                values = by_value(values, _interaction)
            columns[ORIGIN + name] = values
        return table_frame(columns)


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
