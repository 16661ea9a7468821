"""Convert UCDP Georeferenced Event Dataset (GED) CSV rows into event-table rows.

Location precision (``where_prec``)
-----------------------------------

==========  ========================================  ==================================
where_prec  UCDP's meaning                            event table
==========  ========================================  ==================================
1           the exact location                        ``exact``
2           a limited area around a named place       ``radius``, 25 km
3           a second-order division (district); the   ``area``: ``adm_2`` (``radius``
            point is its centroid                     50 km when ``adm_2`` is empty)
4           a first-order division (province); the    ``area``: ``adm_1``, ``area_ref`` =
            point is its centroid                     ISO 3166-2 for Afghan/Pakistani
                                                      provinces; the country if empty
5           a part of a country larger than a         ``area``: ``where_description``
            province, a point between two places,     (else the country)
            or a vaguely given location
6           the whole country; its centroid           ``area``: the country, ``area_ref``
                                                      = ISO3
7           over water or in international airspace   ``area``: ``where_description``
==========  ========================================  ==================================

Date precision (``date_prec``)
------------------------------

``date`` is ``date_start``; ``end_date`` is ``date_end`` when it differs; ``start_day``
and ``end_day`` are always ``date_start`` and ``date_end`` (time of day ignored).

=========  ============================================  ===========================
date_prec  UCDP's meaning                                event table
=========  ============================================  ===========================
1          the exact date (start and end) is known        ``day`` (a span if they differ)
2          somewhere in a span of 2-6 days                ``day`` span + note
3          somewhere in a given week                      ``day`` span + note
4          somewhere in a given month                     ``day`` span + note
5          somewhere in a given year                      ``day`` span + note
=========  ============================================  ===========================

Whatever the code, a ``date_start``-``date_end`` span that is exactly one calendar month
is written as that month (``2024-12``, precision ``month``) and one that is exactly a
calendar year as that year (``2024``, precision ``year``), with no ``end_date``.

Deaths
------

``figures`` holds UCDP's ``best`` estimate (``reported_by`` "UCDP GED (best estimate)")
with ``low``-``high`` in its ``note``. An empty ``best`` means unknown (no figure; a note
says so), not 0. When the estimates are out of order (``low > best``, ``best > high`` or
``low > high``) the figures are kept exactly as UCDP gives them: the row is kept, the
figure's note and the row's ``notes`` say the estimates are inconsistent, and a notice
(not a problem) is reported: the row is real data, only its range is odd.

``country`` comes from ``country_id`` (Gleditsch-Ward: 700 → AFG, 770 → PAK, 630 → IRN,
750 → IND …) or the ``country`` name; unknown ones keep the row with ``country = ""``
and a notice.

Source text
-----------

``summary`` is ``source_headline``, then ``Location: <where_description>``. GED's
``source_article`` (``Source, date, 'headline'`` per source) repeats those headlines,
so ``orig:UCDP source_article`` is kept only for rows without a headline and is ``""``
elsewhere: the text is in the table once (the article's outlet and date are not kept
for rows that have a headline).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from geo.importers import codes
from geo.importers.attribution import ucdp_attribution, ucdp_source
from geo.importers.checks import RowChecks, coordinate_checks, expected_got
from geo.importers.contract import Importer, SourceFacts
from geo.importers.csvfile import CsvChunk
from geo.importers.factors import (
    Coded,
    Factors,
    by_value,
    by_values,
    by_values_split,
    coded_constant,
    concatenated,
    constant,
    masked,
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
    join_nonempty,
    month_bounds,
    numbers,
    prefixed,
    stripped,
    year_bounds,
)
from geo.importers.result import ConvertedChunk, SourceInfo
from geo.taxonomy import UCDP_TYPE_OF_VIOLENCE

DATASET = "UCDP GED"
ORIGIN = "orig:UCDP "
REQUIRED: tuple[str, ...] = (
    "id",
    "type_of_violence",
    "date_start",
    "date_end",
    "date_prec",
    "where_prec",
    "latitude",
    "longitude",
    "best",
    "country",
)
OPTIONAL: tuple[str, ...] = (
    "relid",
    "conflict_name",
    "dyad_name",
    "side_a",
    "side_b",
    "low",
    "high",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "country_id",
    "source_headline",
    "source_article",
    "number_of_sources",
    "event_clarity",
    "code_status",
)
# Columns with few distinct values, read as codes (see ``CsvReader.chunks``).
CODED: tuple[str, ...] = (
    "type_of_violence",
    "date_prec",
    "where_prec",
    "best",
    "country",
    "conflict_name",
    "dyad_name",
    "side_a",
    "side_b",
    "low",
    "high",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "adm_1",
    "adm_2",
    "country_id",
    "number_of_sources",
    "event_clarity",
    "code_status",
)
# Needed only in the rows without a headline (see "Source text" above).
ON_DEMAND: tuple[str, ...] = ("source_article",)
ORIGIN_COLUMNS: tuple[str, ...] = (
    "type_of_violence",
    "where_prec",
    "date_prec",
    "relid",
    "conflict_name",
    "dyad_name",
    "side_a",
    "side_b",
    "low",
    "high",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "where_coordinates",
    "adm_1",
    "adm_2",
    "event_clarity",
    "code_status",
    "number_of_sources",
    "source_article",
)

VIOLENCE_TYPES: dict[int, str] = {
    1: "State-based conflict",
    2: "Non-state conflict",
    3: "One-sided violence",
}
WHERE_RADIUS_KM: dict[int, float] = {2: 25.0, 3: 50.0}

_WHERE_NOTES: dict[int, str] = {
    2: "UCDP location precision 2: somewhere around this place (shown as within 25 km).",
    3: "UCDP location precision 3: only the district (ADM2) is known; the marker is its centroid.",
    4: "UCDP location precision 4: only the province (ADM1) is known; the marker is its centroid.",
    5: (
        "UCDP location precision 5: only a part of the country, or a point between places, is "
        "known; the marker is a placeholder."
    ),
    6: "UCDP location precision 6: only the country is known; the marker is its centroid.",
    7: "UCDP location precision 7: over water or in international airspace; approximate.",
}
_DATE_NOTES: dict[int, str] = {
    2: "UCDP date precision 2: on some day between the start and end dates (up to six days).",
    3: "UCDP date precision 3: on some day in the week between the start and end dates.",
    4: "UCDP date precision 4: on some day in the month; the exact date is not known.",
    5: "UCDP date precision 5: on some day in the year; the exact date is not known.",
}
_NOTE_NO_BEST = "UCDP gives no best estimate of deaths for this event: unknown, not zero."
_NOTE_ORDER = "UCDP's low, best and high estimates are out of order; they are shown as UCDP gives them."
_VERSION = re.compile(r"ged(?:event)?[_-]?v?(\d{2})[_.]?(\d{1,2})(?:[_.](\d{1,2}))?(?![0-9a-z])", re.I)


def version_from_name(file_name: str) -> str:
    """The GED version in a UCDP file name (``GEDEvent_v24_1.csv`` → ``24.1``), or ``""``."""
    match = _VERSION.search(file_name)
    if not match:
        return ""
    return ".".join(str(int(part)) for part in match.groups() if part is not None)


def _country(country_id: str, name: str) -> str:
    found = codes.ISO3_BY_GW.get(integer_code(country_id.split(",")[0]))
    return found or codes.iso3_for_name(name) or ""


def _bad_country_id(value: str) -> bool:
    """Not empty and not Gleditsch-Ward numbers (whole numbers 1-999, commas between)."""
    parts = [part.strip() for part in value.split(",")]
    return any(parts) and not all(1 <= integer_code(part) <= 999 for part in parts)


def _where(
    precision: int, country: str, country_name: str, adm_1: str, adm_2: str, description: str
) -> tuple[str, str, str]:
    """(precision_kind, area, area_ref) for a where_prec code."""
    adm_1, adm_2, description = adm_1.strip(), adm_2.strip(), description.strip()
    country_area = country_name.strip() or codes.COUNTRY_NAMES.get(country, country)
    if precision == 1:
        return "exact", "", ""
    if precision == 2:
        return "radius", "", ""
    if precision == 3:
        return ("area", adm_2, "") if adm_2 else ("radius", "", "")
    if precision == 4:
        if adm_1:
            return "area", adm_1, codes.province_code(country, adm_1)
        return "area", country_area, country
    if precision == 6:
        return "area", country_area, country
    if precision == 7:
        return "area", description or "water or international airspace", ""
    return "area", description or country_area, "" if description else country


def _places(coordinates: str, adm_2: str, adm_1: str, country: str) -> tuple[str, str]:
    """(place, end of the title: ``, <the first part of the place>``, or ``""``)."""
    parts = (coordinates.strip(), adm_2.strip(), adm_1.strip(), country.strip())
    short = next((part for part in parts if part), "")
    return join_nonempty(parts), f", {short}" if short else ""


def _title_head(violence: int, side_a: str, side_b: str) -> str:
    """The title up to the place: ``State-based conflict: A vs B``."""
    label = VIOLENCE_TYPES.get(violence, "Organised violence")
    side_a, side_b = side_a.strip(), side_b.strip()
    if violence == 3:
        return f"{label} by {side_a}" if side_a else label
    if side_a and side_b:
        return f"{label}: {side_a} vs {side_b}"
    return f"{label}: {side_a or side_b}" if side_a or side_b else label


def _figures(best: int, low: int, high: int, disordered: bool) -> list[dict[str, Any]]:
    if best < 0:
        return []
    parts = []
    if low >= 0 or high >= 0:
        low_text = str(low) if low >= 0 else "not given"
        high_text = str(high) if high >= 0 else "not given"
        parts.append(f"UCDP low estimate {low_text}, high estimate {high_text}")
    if disordered:
        parts.append("the estimates are out of order in UCDP's data and are shown as given")
    return [
        {
            "kind": "deaths",
            "value": int(best),
            "qualifier": None,
            "reported_by": "UCDP GED (best estimate)",
            "note": "; ".join(parts) or None,
        }
    ]


def _notes(where_prec: int, date_prec: int, no_best: bool, disordered: bool) -> list[str]:
    notes = []
    if where_prec in _WHERE_NOTES:
        notes.append(_WHERE_NOTES[where_prec])
    if date_prec in _DATE_NOTES:
        notes.append(_DATE_NOTES[date_prec])
    if no_best:
        notes.append(_NOTE_NO_BEST)
    if disordered:
        notes.append(_NOTE_ORDER)
    return notes


def _summaries(headline: np.ndarray, description: np.ndarray, factors: Factors) -> np.ndarray:
    """``headline — Location: description``, each part only when not empty, vectorised.

    The same as ``join_nonempty((headline, location), " — ")`` row by row: the stripped
    headline, the location alone when there is no headline, the headline alone when
    there is no location or the two are the same text.
    """
    codes, uniques = factors.factorize(description)
    uniques = stripped(uniques)
    known = uniques != ""
    location, tail = np.full(len(uniques), "", dtype=object), np.full(len(uniques), "", dtype=object)
    location[known] = np.add("Location: ", uniques[known])
    tail[known] = np.add(" — ", location[known])
    location, tail = location[codes], tail[codes]
    summary = np.add(headline, tail)
    alone = headline == ""
    if alone.any():
        summary[alone] = location[alone]
    same = ~alone & (headline == location)
    if same.any():
        summary[same] = headline[same]
    result: np.ndarray = summary
    return result


class UcdpImporter(Importer):
    """Converts the chunks of one UCDP GED file, sharing lookups between chunks."""

    name = "ucdp_ged"
    dataset = DATASET
    label = "a UCDP GED file (id, type_of_violence, where_prec, date_start, best, …)"
    signature = frozenset(
        {"type_of_violence", "where_prec", "date_prec", "date_start", "best", "side_a", "dyad_name"}
    )
    min_signature = 2
    required = REQUIRED
    optional = OPTIONAL
    coded = CODED
    on_demand = ON_DEMAND
    id_column = "id"
    id_prefix = "ucdp:"

    def __init__(self, file: str, header: tuple[str, ...]) -> None:
        super().__init__(file, header)
        self.origin_columns = tuple(name for name in ORIGIN_COLUMNS if name in header)
        self.version = version_from_name(file)
        self._source = f"UCDP GED {self.version} {file}" if self.version else f"UCDP GED {file}"
        self._days: dict[str, int] = {}
        self._cache: dict[str, dict[Any, Any]] = {}
        self._shared: dict[str, dict[str, str]] = {}
        self._day_texts = DayTexts()
        self._no_claims: list[dict[str, str]] = []

    def _lookup(self, name: str) -> dict[Any, Any]:
        """The file-wide cache named ``name``."""
        return self._cache.setdefault(name, {})

    def source(self, facts: SourceFacts, access_date: str) -> SourceInfo:
        """``SourceInfo`` for the file, its GED version read from the file name."""
        return ucdp_source(facts, version=self.version, access_date=access_date)

    @classmethod
    def attribution(cls, source: SourceInfo, aggregated: str | None) -> str:
        """UCDP's credit: version, licence, the changes made, the citations."""
        return ucdp_attribution(source, aggregated)

    def convert(self, chunk: CsvChunk) -> ConvertedChunk:
        """Convert one chunk of rows into table columns, problems and notices."""
        frame, factors = chunk.frame, Factors()
        # The on-demand columns are read row by row where needed (``_articles``), never whole.
        read = [name for name in (*REQUIRED, *OPTIONAL) if name not in ON_DEMAND]
        raw = raw_columns(chunk, read, factors, self._shared, (*CODED, *_SHARED_TEXT))
        check = RowChecks(self.file, chunk.lines, chunk.unit)
        raw_id = stripped(raw["id"])
        check.fail(raw_id == "", "id", lambda i: "expected a UCDP event id, got ''")
        ids = prefixed("ucdp:", raw_id)

        violence_text = raw["type_of_violence"]
        violence = integer_codes(violence_text, factors)
        check.fail(
            ~np.isin(violence, list(UCDP_TYPE_OF_VIOLENCE)),
            "type_of_violence",
            lambda i: f"expected 1 (state-based), 2 (non-state) or 3 (one-sided), got {violence_text[i]!r}",
        )
        start_text, end_text = raw["date_start"], raw["date_end"]
        start = day_numbers(start_text, cache=self._days, factors=factors)
        end = day_numbers(end_text, cache=self._days, factors=factors)
        check.fail(
            start == NO_DAY,
            "date_start",
            lambda i: f"expected a date like '2024-12-25', got {start_text[i]!r}",
        )
        check.fail(
            end == NO_DAY,
            "date_end",
            lambda i: f"expected a date like '2024-12-25', got {end_text[i]!r}",
        )
        check.fail(
            (start != NO_DAY) & (end != NO_DAY) & (end < start),
            "date_end",
            lambda i: f"expected date_end on or after date_start {start_text[i]!r}, got {end_text[i]!r}",
        )
        date_prec_text = raw["date_prec"]
        date_prec = integer_codes(date_prec_text, factors)
        check.fail(
            ~np.isin(date_prec, (1, 2, 3, 4, 5)),
            "date_prec",
            lambda i: f"expected a date precision code 1-5, got {date_prec_text[i]!r}",
        )
        where_text = raw["where_prec"]
        where_prec = integer_codes(where_text, factors)
        check.fail(
            ~np.isin(where_prec, (1, 2, 3, 4, 5, 6, 7)),
            "where_prec",
            lambda i: f"expected a location precision code 1-7, got {where_text[i]!r}",
        )
        country_name, country_id = raw["country"], raw["country_id"]
        check.fail(
            by_value(country_id, _bad_country_id, bool, factors=factors),
            "country_id",
            lambda i: f"expected a Gleditsch-Ward country number (1-999) or nothing, got {country_id[i]!r}",
        )
        country = by_values(
            [country_id, country_name], _country, factors=factors, cache=self._lookup("country")
        )
        lat_text, lon_text = raw["latitude"], raw["longitude"]
        lat, lon = numbers(lat_text, factors), numbers(lon_text, factors)
        coordinate_checks(check, lat, lon, lat_text, lon_text, country, factors)
        counts = {}
        for name in ("best", "low", "high"):
            text = raw[name]
            counts[name], bad = death_counts(text, factors)
            check.fail(
                bad,
                name,
                expected_got(DEATHS_EXPECTED, text),
            )
        best, low, high = counts["best"], counts["low"], counts["high"]
        disordered = (
            ((low >= 0) & (best >= 0) & (low > best))
            | ((best >= 0) & (high >= 0) & (best > high))
            | ((low >= 0) & (high >= 0) & (low > high))
        )
        check.notice(
            disordered,
            "best",
            lambda i: (
                f"UCDP estimates out of order (low {low[i]}, best {best[i]}, high {high[i]}); "
                "kept as given, with a note"
            ),
            kind="estimates out of order",
        )
        check.notice(
            country == "",
            "country_id",
            lambda i: (
                f"country {country_name[i]!r} (country_id {country_id[i]!r}) is not in the "
                "importer's table of country codes; kept without a country code"
            ),
            kind="unknown country",
        )
        keep = ~check.bad
        headline = stripped(raw["source_headline"])
        rows = {
            **{name: raw[name] for name in (*_TABLE_TEXT, *self.origin_columns) if name not in ON_DEMAND},
            "source_article": _articles(chunk, headline == ""),
            "headline": headline,
            "ids": ids,
            "violence": violence,
            "start": start,
            "end": end,
            "date_code": date_prec,
            "where_code": where_prec,
            "country_code": country,
            "lat": lat,
            "lon": lon,
            "best_count": best,
            "low_count": low,
            "high_count": high,
            "disordered": disordered,
        }
        if not keep.all():
            rows, factors = factors.subset(rows, keep)
        has_id = raw_id != ""
        return ConvertedChunk(
            rows=len(frame),
            columns=self._table(rows, factors),
            lines=chunk.lines[keep],
            ids=ids[has_id],
            id_lines=chunk.lines[has_id],
            problems=check.problems,
            notices=check.notices,
            first_day=int(rows["start"].min()) if keep.any() else None,
            last_day=int(rows["end"].max()) if keep.any() else None,
            event_types={VIOLENCE_TYPES[int(code)] for code in pd.unique(rows["violence"])},
        )

    def _table(self, rows: dict[str, np.ndarray], factors: Factors) -> dict[str, np.ndarray | Coded]:
        size = len(rows["ids"])
        cache = self._lookup
        start, end = rows["start"], rows["end"]
        where_prec, country, country_name = rows["where_code"], rows["country_code"], rows["country"]
        adm_1, adm_2 = rows["adm_1"], rows["adm_2"]
        coordinates = rows["where_coordinates"]
        description = rows["where_description"]
        violence, best, disordered = rows["violence"], rows["best_count"], rows["disordered"]

        date, end_date, date_precision = _dates(start, end, self._day_texts)
        # ``_where`` reads adm_2 only for code 3, adm_1 only for 4 and the description
        # only for 5 and 7: blank them elsewhere, so they do not multiply the lookups.
        kind, area, area_ref = by_values_split(
            [
                where_prec,
                country,
                country_name,
                masked(adm_1, where_prec == 4, factors),
                masked(adm_2, where_prec == 3, factors),
                masked(description, ~np.isin(where_prec, (1, 2, 3, 4, 6)), factors),
            ],
            _where,
            3,
            factors,
            cache("where"),
        )
        radius = np.full(size, np.nan)
        for code, km in WHERE_RADIUS_KM.items():
            radius[(where_prec == code) & (kind == "radius")] = km
        place, where = by_values_split(
            [coordinates, adm_2, adm_1, country_name], _places, 2, factors, cache("place")
        )
        head = by_values(
            [violence, rows["side_a"], rows["side_b"]],
            _title_head,
            factors=factors,
            cache=cache("title_head"),
        )
        headline = rows["headline"]
        columns: dict[str, np.ndarray | Coded] = {
            "id": rows["ids"],
            "title": concatenated([head, where], factors),
            "summary": _summaries(headline, description, factors),
            "date": date,
            "date_precision": date_precision,
            "end_date": end_date,
            "start_day": start.astype(np.int64),
            "end_day": end.astype(np.int64),
            "category": by_value(violence, UCDP_TYPE_OF_VIOLENCE.__getitem__, cache=cache("category")),
            "country": country,
            "place": place,
            "lon": rows["lon"].astype(np.float64),
            "lat": rows["lat"].astype(np.float64),
            "precision_kind": kind,
            "radius_km": radius,
            "area": area,
            "area_ref": area_ref,
            "layers": coded_constant(size, ""),
            "source": coded_constant(size, self._source),
            "figures": by_values(
                [best, rows["low_count"], rows["high_count"], disordered],
                _figures,
                factors=factors,
                cache=cache("figures"),
            ),
            "claims": coded_constant(size, self._no_claims),
            "notes": by_values(
                [where_prec, rows["date_code"], best < 0, disordered],
                _notes,
                factors=factors,
                cache=cache("notes"),
            ),
            "dataset": coded_constant(size, DATASET),
        }
        for name in self.origin_columns:
            # Texts are shared across chunks already (``raw_columns``, _SHARED_TEXT), but
            # for relid, which differs in every row, and the articles (``_articles``).
            columns[ORIGIN + name] = rows[name]
        return {name: factors.coded(values) for name, values in columns.items()}


def _articles(chunk: CsvChunk, wanted: np.ndarray) -> np.ndarray:
    """``source_article`` in the rows ``wanted``, ``""`` in the others.

    The summary already holds the headlines; the article line is kept only where there
    is no headline (GED writes "Source, date, 'headline'").
    """
    articles = constant(len(wanted), "")
    rows = np.flatnonzero(wanted)
    if rows.size:
        articles[rows] = chunk.texts("source_article", rows)
    return articles


# Repeated texts that are not read as codes, shared across chunks as soon as read.
_SHARED_TEXT = ("where_coordinates",)
# Text columns the table is built from, besides the ``orig:`` ones.
_TABLE_TEXT = (
    "side_a",
    "side_b",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "country",
)


def _dates(start: np.ndarray, end: np.ndarray, texts: DayTexts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``date``, ``end_date`` and ``date_precision`` for UCDP start/end day numbers."""
    size = len(start)
    date, end_date = texts.days(start), texts.days(end)
    precision = constant(size, "day")
    same = start == end
    end_date[same] = ""
    if size:
        month_first, month_last = month_bounds(start)
        whole_month = (start == month_first) & (end == month_last)
        year_first, year_last = year_bounds(start)
        whole_year = (start == year_first) & (end == year_last)
        if whole_month.any():
            date[whole_month] = texts.months(start[whole_month])
            end_date[whole_month] = ""
            precision[whole_month] = "month"
        if whole_year.any():
            date[whole_year] = texts.years(start[whole_year])
            end_date[whole_year] = ""
            precision[whole_year] = "year"
    return date, end_date, precision
