"""Convert the simple event schema: a spreadsheet of people's own events.

One row per event, recognised by its header (``date``, ``title``, ``latitude`` and
``longitude``; names are case-insensitive, the order is free, other columns are
ignored). ``data/events_template.csv`` is a filled-in example.

=============  ========  ===============================================================
column         needed    meaning
=============  ========  ===============================================================
date           yes       ISO 8601 at its precision: ``2024``, ``2024-12`` or
                         ``2024-12-25`` (a time after a full date is ignored)
title          yes       short title
latitude       yes       decimal degrees, WGS84
longitude      yes       decimal degrees, WGS84
end_date       no        end of a span, same rules, not before ``date``
summary        no        what happened, in words
place          no        the place in words
category       no        a category id or label of the taxonomy (``data/README.md``);
                         empty: ``strategic_development``
precision_km   no        the point is known to within this many km (a circle)
area           no        the point only stands for this area (a province, a country);
                         give ``precision_km`` or ``area``, not both; neither: the
                         coordinates are the place itself
country        no        ISO 3166-1 alpha-3 codes or English names, ``;`` between several
source         no        where the event comes from, in words (default: the file name)
url            no        a link to the source (``http://`` or ``https://``)
id             no        a stable id, unique in the map; when empty, one is made from
                         the date and the title (``2024-12-25-strike-in-barmal``), the
                         same every time the same row is imported
=============  ========  ===============================================================

Bad rows (a date that is not ISO 8601, an end before the start, an empty title,
missing or impossible coordinates, an unknown category, a radius that is not a
positive number, both a radius and an area, a link that is not a web address, a
repeated id) are problems naming the line and column, as for ACLED and UCDP files.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
import pandas as pd

from geo.dates import PartialDate, day_number
from geo.importers import codes
from geo.importers.attribution import changes_line, file_line, source_filters
from geo.importers.checks import RowChecks, coordinate_checks
from geo.importers.contract import Importer, SourceFacts
from geo.importers.csvfile import CsvChunk
from geo.importers.factors import (
    Coded,
    Factors,
    by_value,
    by_values,
    by_values_split,
    coded_constant,
    raw_columns,
)
from geo.importers.parsing import NO_DAY, numbers, stripped
from geo.importers.result import ConvertedChunk, SourceInfo
from geo.table import ORIGIN_PREFIX
from geo.taxonomy import BY_ID, CATEGORIES

DATASET = "own events"
DEFAULT_CATEGORY = "strategic_development"
MAX_RADIUS_KM = 20_000.0
REQUIRED: tuple[str, ...] = ("date", "title", "latitude", "longitude")
OPTIONAL: tuple[str, ...] = (
    "end_date",
    "summary",
    "place",
    "category",
    "precision_km",
    "area",
    "country",
    "source",
    "url",
    "id",
)
# The link is kept as a source column, which popups show as "Link: …" (as text).
URL_COLUMN = ORIGIN_PREFIX + "link"

_FULL_DAY_WITH_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
)
_CATEGORY_KEYS = {
    **{category.label.casefold(): category.id for category in CATEGORIES},
    **{category.id.casefold(): category.id for category in CATEGORIES},
}
_CATEGORY_IDS = ", ".join(category.id for category in CATEGORIES)
_NO_DATE = ("", "", NO_DAY, NO_DAY)


def _date_parts(text: str) -> tuple[str, str, int, int]:
    """(ISO text, precision, first day, last day) of a date; ``_NO_DATE`` if it is not one."""
    text = text.strip()
    with_time = _FULL_DAY_WITH_TIME.fullmatch(text)
    try:
        date = PartialDate.parse(with_time[1] if with_time else text)
    except ValueError:
        return _NO_DATE
    return date.iso(), date.precision, day_number(date.first_day()), day_number(date.last_day())


def _category(text: str) -> str:
    """The category id for an id or label (any case); the default when empty; ``""`` unknown."""
    text = " ".join(text.split())
    return _CATEGORY_KEYS.get(text.casefold(), "") if text else DEFAULT_CATEGORY


def _countries(text: str) -> tuple[str, str]:
    """(ISO3 codes joined by ``;``, the parts that are no known country joined by ``, ``)."""
    found: list[str] = []
    unknown: list[str] = []
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        code = part.upper() if len(part) == 3 and part.isalpha() and part.isascii() else None
        code = code or codes.iso3_for_name(part)
        if code is None:
            unknown.append(part)
        elif code not in found:
            found.append(code)
    return ";".join(found), ", ".join(unknown)


def _area_ref(area: str, country: str) -> str:
    """The id of a basemap feature drawing ``area``: a province's ISO 3166-2 code or a country's ISO3."""
    if not area:
        return ""
    whole_country = codes.iso3_for_name(area) or (
        area.upper() if area.upper() in codes.COUNTRY_NAMES else None
    )
    if whole_country:
        return whole_country
    for code in country.split(";"):
        found = codes.province_code(code, area)
        if found:
            return found
    return ""


def _is_web_address(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")


def _id_base(date: str, title: str) -> str:
    """``<date>-<title as a slug>``, or a short hash of the title when it has no Latin letters."""
    slug = _slug(title) or hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    return f"{date}-{slug}" if date else slug


class SimpleImporter(Importer):
    """Converts a spreadsheet in the simple event schema (the module docstring)."""

    name = "simple"
    dataset = DATASET
    label = "a simple event sheet (date, title, latitude, longitude)"
    signature = frozenset(REQUIRED)
    min_signature = len(REQUIRED)
    required = REQUIRED
    optional = OPTIONAL
    coded = ("category", "country", "area", "source", "precision_km")
    id_column = "id"
    aggregate = False

    def __init__(self, file: str, header: tuple[str, ...]) -> None:
        super().__init__(file, header)
        self._source = f"events file {file}"
        self._used: set[str] = set()
        self._shared: dict[str, dict[str, str]] = {}
        self._no_items: list[object] = []

    def source(self, facts: SourceFacts, access_date: str) -> SourceInfo:
        """``SourceInfo`` naming the file; the rows carry their own sources."""
        return SourceInfo(
            dataset=DATASET,
            dataset_name=f"Events from {facts.file_name}",
            file_name=facts.file_name,
            rows=facts.rows,
            date_first=facts.date_first,
            date_last=facts.date_last,
            countries=facts.countries,
            event_types=facts.event_types,
            filters=source_filters(facts, "categories"),
            version="",
            access_date=access_date,
            access_date_origin="given" if access_date else "",
            citation="",
            license="",
            url="",
            redistribution_allowed=True,
        )

    @classmethod
    def attribution(cls, source: SourceInfo, aggregated: str | None) -> str:
        """The file, what it covers, and that each event names its own source."""
        access = f", compiled or accessed {source.access_date}" if source.access_date else ""
        return "\n".join(
            [
                f"{source.dataset_name}{access}; each event names its own source.",
                file_line(source),
                changes_line(["locations drawn at the precision the file states"], aggregated),
            ]
        )

    def convert(self, chunk: CsvChunk) -> ConvertedChunk:
        """Convert one chunk of rows into table columns, problems and notices."""
        factors = Factors()
        raw = raw_columns(chunk, (*REQUIRED, *OPTIONAL), factors, self._shared, self.coded)
        check = RowChecks(self.file, chunk.lines, chunk.unit)
        size = len(chunk.lines)

        date_text, end_text = raw["date"], raw["end_date"]
        date, precision, first, last = by_values_split([date_text], _date_parts, 4, factors)
        start_day, date_end_day = first.astype(np.int64), last.astype(np.int64)
        check.fail(
            start_day == NO_DAY,
            "date",
            lambda i: (
                "expected an ISO 8601 date at year, month or day precision ('2024', '2024-12' "
                f"or '2024-12-25'), got {date_text[i]!r}"
            ),
        )
        end_date, _, end_first, end_last = by_values_split([end_text], _date_parts, 4, factors)
        end_first, end_last = end_first.astype(np.int64), end_last.astype(np.int64)
        has_end = stripped(end_text) != ""
        check.fail(
            has_end & (end_first == NO_DAY),
            "end_date",
            lambda i: (
                f"expected an ISO 8601 date like '2025', '2025-01' or '2025-01-31', got {end_text[i]!r}"
            ),
        )
        check.fail(
            has_end & (end_first != NO_DAY) & (start_day != NO_DAY) & (end_first < start_day),
            "end_date",
            lambda i: f"expected an end on or after the date {date_text[i]!r}, got {end_text[i]!r}",
        )
        end_day = np.where(has_end & (end_last != NO_DAY), end_last, date_end_day)

        title = stripped(raw["title"])
        check.fail(title == "", "title", lambda i: "expected a title, got ''")

        country_text = raw["country"]
        country, unknown = by_values_split([country_text], _countries, 2, factors)
        first_country = by_value(country, lambda text: text.split(";")[0], factors=factors)
        lat_text, lon_text = raw["latitude"], raw["longitude"]
        lat, lon = numbers(lat_text, factors), numbers(lon_text, factors)
        coordinate_checks(check, lat, lon, lat_text, lon_text, first_country, factors)

        category_text = raw["category"]
        category = by_value(category_text, _category, factors=factors)
        check.fail(
            category == "",
            "category",
            lambda i: (
                f"expected a category id or label ({_CATEGORY_IDS}) or nothing, got {category_text[i]!r}"
            ),
        )
        radius_text, area = raw["precision_km"], stripped(raw["area"])
        has_radius = stripped(radius_text) != ""
        radius = numbers(radius_text, factors)
        with np.errstate(invalid="ignore"):
            bad_radius = has_radius & ~((radius > 0) & (radius <= MAX_RADIUS_KM))
        check.fail(
            bad_radius,
            "precision_km",
            lambda i: (
                f"expected a radius in km greater than 0 and at most {MAX_RADIUS_KM:,.0f}, "
                f"got {radius_text[i]!r}"
            ),
        )
        check.fail(
            has_radius & (area != ""),
            "precision_km",
            lambda i: (
                f"expected either precision_km or area, got both ({radius_text[i]!r} and {area[i]!r}); "
                "keep the radius for a point known to within a distance, the area for a "
                "point that only stands for an area"
            ),
        )
        url = stripped(raw["url"])
        web = by_value(
            url, lambda text: text.lower().startswith(("http://", "https://")), bool, factors=factors
        )
        check.fail(
            (url != "") & ~web,
            "url",
            lambda i: f"expected a web address starting with http:// or https://, got {url[i]!r}",
        )
        check.notice(
            unknown != "",
            "country",
            lambda i: (
                f"{unknown[i]!r} is not an ISO 3166-1 alpha-3 code nor a country name the "
                "importer knows; kept without it"
            ),
            kind="unknown country",
        )
        ids = self._ids(stripped(raw["id"]), date, title)
        keep = ~check.bad
        kind = np.where(area != "", "area", np.where(has_radius, "radius", "exact")).astype(object)
        source = stripped(raw["source"])
        columns: dict[str, np.ndarray | Coded] = {
            "id": ids,
            "title": title,
            "summary": stripped(raw["summary"]),
            "date": date,
            "date_precision": precision,
            "end_date": np.where(has_end, end_date, "").astype(object),
            "start_day": start_day,
            "end_day": end_day.astype(np.int64),
            "category": category,
            "country": country,
            "place": stripped(raw["place"]),
            "lon": lon,
            "lat": lat,
            "precision_kind": kind,
            "radius_km": np.where(has_radius & (area == ""), radius, np.nan),
            "area": area,
            "area_ref": by_values([area, country], _area_ref, factors=factors),
            "layers": coded_constant(size, ""),
            "source": np.where(source != "", source, self._source).astype(object),
            "figures": coded_constant(size, self._no_items),
            "claims": coded_constant(size, self._no_items),
            "notes": coded_constant(size, self._no_items),
            "dataset": coded_constant(size, DATASET),
        }
        if "url" in self.header:
            columns[URL_COLUMN] = url
        good_days = start_day[keep]
        return ConvertedChunk(
            rows=size,
            columns={name: _rows(values, keep) for name, values in columns.items()},
            lines=chunk.lines[keep],
            ids=ids,
            id_lines=chunk.lines,
            problems=check.problems,
            notices=check.notices,
            first_day=int(good_days.min()) if len(good_days) else None,
            last_day=int(end_day[keep].max()) if len(good_days) else None,
            event_types={BY_ID[code].label for code in pd.unique(category[keep]) if code in BY_ID},
        )

    def _ids(self, given: np.ndarray, date: np.ndarray, title: np.ndarray) -> np.ndarray:
        """The given ids; for rows without one, ``<date>-<slug>`` made unique in the file."""
        ids = given.copy()
        self._used.update(given[given != ""].tolist())
        for row in np.flatnonzero(given == "").tolist():
            base = _id_base(date[row], title[row])
            candidate, number = base, 1
            while candidate in self._used:
                number += 1
                candidate = f"{base}-{number}"
            self._used.add(candidate)
            ids[row] = candidate
        return ids


def _rows(values: np.ndarray | Coded, keep: np.ndarray) -> np.ndarray | Coded:
    """The rows ``keep`` of a column."""
    if isinstance(values, Coded):
        return Coded(values.codes[keep], values.values)
    taken: np.ndarray = values[keep]
    return taken
