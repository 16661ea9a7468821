"""Detect an event file's format from its header and import it into the event table."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Literal

import numpy as np
import pandas as pd

from geo.errors import DataError, Problem, UsageError
from geo.importers import acled, ucdp
from geo.importers.attribution import acled_source, ucdp_source
from geo.importers.columns import iso_of_day, join_columns, table_frame
from geo.importers.csvfile import CsvReader, LayoutMismatch, Progress
from geo.importers.result import ConvertedChunk, ImportResult, SourceInfo
from geo.table import EVENT_COLUMNS, empty_table

Format = Literal["acled", "ucdp_ged", "geojson"]

MAX_NOTICES_PER_KIND = 20
_SNIFF_BYTES = 4096
_ACLED_SIGNATURE = frozenset(
    {"event_id_cnty", "event_date", "sub_event_type", "geo_precision", "fatalities", "actor1"}
)
_UCDP_SIGNATURE = frozenset(
    {"type_of_violence", "where_prec", "date_prec", "date_start", "best", "side_a", "dyad_name"}
)


@dataclass(frozen=True)
class _Spec:
    name: Format
    module: ModuleType
    required: tuple[str, ...]
    optional: tuple[str, ...]
    coded: tuple[str, ...] = ()


_SPECS: dict[str, _Spec] = {
    "acled": _Spec("acled", acled, acled.REQUIRED, acled.OPTIONAL, acled.CODED),
    "ucdp_ged": _Spec("ucdp_ged", ucdp, ucdp.REQUIRED, ucdp.OPTIONAL, ucdp.CODED),
}


def detect_format(path: Path | str) -> Format:
    """Tell an ACLED export, a UCDP GED file and a GeoJSON file apart by their start.

    Parameters
    ----------
    path : pathlib.Path or str
        The file.

    Returns
    -------
    {"acled", "ucdp_ged", "geojson"}
        ``"geojson"`` when the file starts with ``{`` or ``[`` (after a BOM and white
        space); otherwise the CSV format whose signature columns the header has.

    Raises
    ------
    DataError
        The file is empty, an Excel workbook, or a CSV whose header matches neither.
    """
    path = Path(path)
    with path.open("rb") as handle:
        start = handle.read(_SNIFF_BYTES)
    text = start.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"{", b"["):
        return "geojson"
    if start.startswith(b"PK\x03\x04"):
        raise DataError(
            [
                Problem(
                    path.name,
                    "",
                    "",
                    "this is an Excel workbook or other zip file; expected a CSV export "
                    "(save the sheet as 'CSV UTF-8')",
                )
            ]
        )
    return _classify(path.name, CsvReader(path).columns)


def _classify(file: str, columns: Iterable[str]) -> Format:
    present = set(columns)
    acled_score = len(present & _ACLED_SIGNATURE)
    ucdp_score = len(present & _UCDP_SIGNATURE)
    if max(acled_score, ucdp_score) >= 2 and acled_score != ucdp_score:
        return "acled" if acled_score > ucdp_score else "ucdp_ged"
    shown = ", ".join(repr(column) for column in list(columns)[:8])
    raise DataError(
        [
            Problem(
                file,
                "line 1",
                "",
                "the header matches neither an ACLED export (event_id_cnty, event_date, "
                "sub_event_type, …) nor a UCDP GED file (id, type_of_violence, where_prec, "
                f"date_start, best, …); it starts with {shown}",
            )
        ]
    )


def read_event_file(
    path: Path | str,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    access_date: dt.date | str | None = None,
) -> ImportResult:
    """Import an ACLED export or a UCDP GED CSV file into the event table.

    Parameters
    ----------
    path : pathlib.Path or str
        The CSV file; its format is detected from the header.
    strict : bool, optional
        Raise ``DataError`` listing every problem in the file when any row is bad,
        instead of skipping bad rows.
    progress : callable, optional
        ``progress(bytes_done, bytes_total)``, called after each block of about 16 MB
        (and once at the end), for a progress bar. When a file turns out to need the
        slow reader (a ``"`` inside an unquoted field), counting starts again from 0.
    access_date : datetime.date or str, optional
        The day the data were downloaded (``YYYY-MM-DD``), for the attribution. Without
        it, an ACLED import takes the newest row ``timestamp`` instead (and says so).

    Returns
    -------
    ImportResult
        The table, the problems of skipped rows, notices, counts and ``SourceInfo``.

    Raises
    ------
    UsageError
        The file is GeoJSON (read it with the GeoJSON loader), or ``access_date`` is not
        a date.
    DataError
        The header lacks a required column, the file is empty, not UTF-8 or not a known
        format; or, with ``strict``, any row is bad.
    """
    path = Path(path)
    given_access = _access_date(access_date)
    found = detect_format(path)
    if found == "geojson":
        raise UsageError(
            f"{path.name} is GeoJSON; event GeoJSON files are read by the GeoJSON loader, "
            "the importers read ACLED and UCDP GED CSV files"
        )
    spec = _SPECS[found]
    reader = CsvReader(path)
    _check_header(reader, spec)
    usecols = (*spec.required, *spec.optional)
    with _collector_paused():
        for slow in (False, True):
            converter = spec.module.Converter(reader.file, reader.columns)
            try:
                chunks = reader.chunks(usecols, progress, slow=slow, coded=spec.coded)
                with closing(chunks):
                    parts = [converter.convert(chunk) for chunk in chunks]
                break
            except LayoutMismatch:
                continue
        del converter  # its lookup caches are not needed any more
        return _finish(reader, spec, parts, strict, given_access)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is imported.

    An import creates hundreds of thousands of small lists, dicts and tuples (figures,
    notes, lookup keys), none of them in reference cycles; every collection the
    collector makes meanwhile walks all of them again, which costs up to a quarter of
    the conversion time at a million rows. Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _access_date(value: dt.date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise UsageError(f"access date {value!r} is not a date; expected YYYY-MM-DD") from None


def _check_header(reader: CsvReader, spec: _Spec) -> None:
    problems = []
    columns = reader.columns
    for name in spec.required:
        if name not in columns:
            problems.append(
                Problem(
                    reader.file,
                    "line 1",
                    name,
                    f"missing required column {name!r} for {spec.module.DATASET} data; "
                    f"the header has {len(columns)} columns",
                )
            )
    for name in (*spec.required, *spec.optional):
        if columns.count(name) > 1:
            problems.append(
                Problem(
                    reader.file,
                    "line 1",
                    name,
                    f"column {name!r} appears {columns.count(name)} times in the header; expected it once",
                )
            )
    if problems:
        raise DataError(problems)


def _line_key(problem: Problem) -> tuple[int, str, str]:
    _, _, number = problem.feature.partition(" ")
    return (int(number) if number.isdigit() else 0, problem.field, problem.message)


def _finish(
    reader: CsvReader,
    spec: _Spec,
    parts: list[ConvertedChunk],
    strict: bool,
    access_date: str,
) -> ImportResult:
    file = reader.file
    problems = list(reader.problems)
    notices: list[tuple[str, Problem]] = []
    for part in parts:
        problems.extend(part.problems)
        notices.extend(part.notices)
    lines = np.concatenate([part.lines for part in parts]) if parts else np.empty(0, dtype=np.int64)
    ids = np.concatenate([part.ids for part in parts]) if parts else np.empty(0, dtype=object)
    id_lines = np.concatenate([part.id_lines for part in parts]) if parts else np.empty(0, np.int64)
    keep: np.ndarray | None = None
    duplicate = pd.Series(ids, dtype=object, copy=False).duplicated(keep="first").to_numpy()
    if duplicate.any():
        first_line = dict(zip(ids[~duplicate], id_lines[~duplicate], strict=True))
        id_column = "event_id_cnty" if spec.name == "acled" else "id"
        for event_id, line in zip(ids[duplicate], id_lines[duplicate], strict=True):
            problems.append(
                Problem(
                    file,
                    f"line {line}",
                    id_column,
                    f"duplicate id {event_id.partition(':')[2]!r}: already used on line "
                    f"{first_line[event_id]}; expected each event once",
                )
            )
        drop = np.isin(lines, id_lines[duplicate])
        if drop.any():
            keep = ~drop
    del ids, id_lines, lines
    problems.sort(key=_line_key)
    if strict and problems:
        raise DataError(problems)
    rows_read = sum(part.rows for part in parts) + reader.rows_rejected
    table = _joined(parts, keep)
    source = _source(reader, spec, parts, table, access_date)
    return ImportResult(
        table=table,
        problems=problems,
        rows_read=rows_read,
        rows_skipped=rows_read - len(table),
        source=source,
        notices=_capped(file, notices),
    )


def _joined(parts: list[ConvertedChunk], keep: np.ndarray | None) -> pd.DataFrame:
    """The chunks' columns joined into the table (standard columns first), rows ``keep``.

    Each column is joined on its own and the chunks' pieces of it released at once; most
    pieces are codes (``columns.Coded``), so the rows are never held twice over as
    8-byte pointers, and no DataFrame is made per chunk.
    """
    if not parts:
        return empty_table()
    names = list(parts[0].columns)
    names = [*EVENT_COLUMNS, *(name for name in names if name not in EVENT_COLUMNS)]
    return table_frame(
        {name: join_columns([part.columns.pop(name) for part in parts], keep) for name in names}
    )


def _capped(file: str, notices: list[tuple[str, Problem]]) -> list[Problem]:
    """Keep the first few notices of each kind and summarise the rest."""
    kept: list[Problem] = []
    counts: dict[str, int] = {}
    for kind, notice in notices:
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] <= MAX_NOTICES_PER_KIND:
            kept.append(notice)
    kept.sort(key=_line_key)
    for kind, count in counts.items():
        if count > MAX_NOTICES_PER_KIND:
            kept.append(
                Problem(
                    file,
                    "",
                    "",
                    f"{count - MAX_NOTICES_PER_KIND} more rows with the notice '{kind}' "
                    f"({count} in all; the first {MAX_NOTICES_PER_KIND} are listed)",
                )
            )
    return kept


def _source(
    reader: CsvReader,
    spec: _Spec,
    parts: list[ConvertedChunk],
    table: pd.DataFrame,
    access_date: str,
) -> SourceInfo:
    first_days = [part.stats["first_day"] for part in parts if part.stats.get("first_day") is not None]
    last_days = [part.stats["last_day"] for part in parts if part.stats.get("last_day") is not None]
    date_first = iso_of_day(min(first_days)) if first_days else ""
    date_last = iso_of_day(max(last_days)) if last_days else ""
    countries = sorted({code for code in pd.unique(table["country"]) if code})
    event_types = set().union(*(part.stats.get("event_types", set()) for part in parts))
    common = {
        "file_name": reader.file,
        "rows": len(table),
        "date_first": date_first,
        "date_last": date_last,
        "countries": countries,
        "event_types": event_types,
        "hdx_row_dropped": reader.hdx_line is not None,
    }
    if spec.name == "acled":
        origin = "given" if access_date else ""
        if not access_date:
            stamps = [p.stats["max_timestamp"] for p in parts if p.stats.get("max_timestamp")]
            access_date = acled.access_date_from_timestamp(max(stamps)) if stamps else ""
            origin = "latest timestamp" if access_date else ""
        return acled_source(access_date=access_date, access_date_origin=origin, **common)
    return ucdp_source(version=ucdp.version_from_name(reader.file), access_date=access_date, **common)
