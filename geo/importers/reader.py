"""Detect an event file's format from its header and import it into the event table.

The formats come from ``geo.importers.registry``; a file or a pandas DataFrame goes
through the same importer, so both give the same table, problems and notices (a
DataFrame's problems name its rows by position, ``row 0`` being ``frame.iloc[0]``).
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import DataError, Problem, UsageError
from geo.importers.contract import Importer, SourceFacts
from geo.importers.csvfile import CsvChunk, CsvReader, LayoutMismatch, Progress
from geo.importers.factors import join_columns, table_frame
from geo.importers.parsing import iso_of_day
from geo.importers.registry import FORMATS, importer_named
from geo.importers.result import ConvertedChunk, ImportResult
from geo.table import EVENT_COLUMNS, empty_table

# A format id (``Importer.name``: "acled", "ucdp_ged", "simple") or "geojson".
Format = str

MAX_NOTICES_PER_KIND = 20
# Rows of a DataFrame converted at a time.
FRAME_CHUNK_ROWS = 200_000
_SNIFF_BYTES = 4096
_SHOWN_NAME_CHARS = 40


@dataclass
class _Origin:
    """Where the rows came from, and what reading them found before conversion."""

    file: str
    unit: str  # "line" (a file) or "row" (a DataFrame)
    problems: list[Problem] = field(default_factory=list)
    rows_rejected: int = 0
    hdx_line: int | None = None


def detect_format(path: Path | str) -> Format:
    """Tell the event formats apart by the start of a file.

    Parameters
    ----------
    path : pathlib.Path or str
        The file.

    Returns
    -------
    str
        ``"geojson"`` when the file starts with ``{`` or ``[`` (after a BOM and white
        space); otherwise the name of the format (``"acled"``, ``"ucdp_ged"``,
        ``"simple"``) whose signature columns the CSV header has.

    Raises
    ------
    DataError
        The file cannot be read (missing, a folder, a device or FIFO, no permission), is
        empty, an Excel workbook, or a CSV whose header matches no format.
    """
    path = Path(path)
    _check_readable(path)
    try:
        with path.open("rb") as handle:
            start = handle.read(_SNIFF_BYTES)
    except OSError as error:
        raise _unreadable(path, error) from None
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
    return _classify(path.name, CsvReader(path).columns, "line 1").name


def _check_readable(path: Path) -> None:
    """Refuse what is not a regular file before opening it (a FIFO would block)."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise _unreadable(path, error) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, FIFO or socket)"
        raise DataError([Problem(path.name, "", "", f"{str(path)!r} is {kind}; expected a CSV file")])


def _unreadable(path: Path, error: OSError) -> DataError:
    reason = error.strerror or type(error).__name__
    return DataError(
        [Problem(path.name, "", "", f"cannot read {str(path)!r}: {reason}; expected a CSV file")]
    )


def _classify(file: str, columns: Iterable[str], where: str) -> type[Importer]:
    """The importer whose signature the columns match best (ties are refused)."""
    present = set(columns)
    scores = [(len(present & importer.signature), importer) for importer in FORMATS]
    matching = [(score, importer) for score, importer in scores if score >= importer.min_signature]
    best = max((score for score, _ in matching), default=0)
    winners = [importer for score, importer in matching if score == best]
    if len(winners) == 1:
        return winners[0]
    shown = ", ".join(repr(_shortened(column)) for column in list(columns)[:8])
    labels = [importer.label for importer in FORMATS]
    expected = ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]
    what = "more than one" if len(winners) > 1 else "none"
    names = list(columns)
    separator = next((char for char in ";\t" if len(names) == 1 and char in names[0]), "")
    hint = (
        f"; the columns look separated by {separator!r}: save the sheet as CSV with commas"
        if separator
        else ""
    )
    raise DataError(
        [
            Problem(
                file,
                where,
                "",
                f"the header matches {what} of the known event formats; expected {expected}; "
                f"it starts with {shown}{hint}",
            )
        ]
    )


def _shortened(name: str) -> str:
    return name if len(name) <= _SHOWN_NAME_CHARS else name[: _SHOWN_NAME_CHARS - 1] + "…"


def read_event_file(
    path: Path | str,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    access_date: dt.date | str | None = None,
) -> ImportResult:
    """Import an event CSV file (ACLED, UCDP GED or the simple schema) into the event table.

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
        The file cannot be read, the header lacks a required column, the file is empty,
        not UTF-8 or not a known format; or, with ``strict``, any row is bad.
    """
    path = Path(path)
    given_access = _access_date(access_date)
    found = detect_format(path)
    if found == "geojson":
        raise UsageError(
            f"{path.name} is GeoJSON; event GeoJSON files are read by the GeoJSON loader, "
            "the importers read CSV files"
        )
    kind = importer_named(found)
    usecols = (*kind.required, *kind.optional)
    try:
        reader = CsvReader(path)
        _check_header(reader.file, reader.columns, kind, "line 1")
        with _collector_paused():
            for slow in (False, True):
                importer = kind(reader.file, reader.columns)
                try:
                    source = reader.chunks(
                        usecols, progress, slow=slow, coded=kind.coded, on_demand=kind.on_demand
                    )
                    with _closing(source) as chunks:
                        parts = [importer.convert(chunk) for chunk in chunks]
                    break
                except LayoutMismatch:
                    continue
            origin = _Origin(reader.file, "line", reader.problems, reader.rows_rejected, reader.hdx_line)
            return _finish(origin, importer, parts, strict, given_access)
    except OSError as error:  # the file changed or vanished while it was read
        raise _unreadable(path, error) from None


@contextmanager
def _closing(chunks: Iterator[CsvChunk]) -> Iterator[Iterator[CsvChunk]]:
    """Close a chunk generator (and its prefetch thread) however the loop ends."""
    try:
        yield chunks
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def read_event_frame(
    frame: pd.DataFrame,
    name: str = "DataFrame",
    *,
    strict: bool = False,
    access_date: dt.date | str | None = None,
) -> ImportResult:
    """Import a pandas DataFrame or GeoDataFrame of events, as ``read_event_file`` does a file.

    The columns are recognised as for a file (ACLED, UCDP GED or the simple schema; names
    are stripped and lower-cased). Cells are read as the text a CSV file would hold:
    missing values (``None``, ``NaN``, ``NaT``) are empty, whole floats lose their
    ``.0`` (``586.0`` reads as ``586``), timestamps at midnight read as their day. A
    GeoDataFrame without ``latitude``/``longitude`` columns takes them from its Point
    geometries (in WGS84); other geometries are row problems.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        One event per row.
    name : str, optional
        What problems and the attribution call the frame (it has no file name).
    strict, access_date
        As for ``read_event_file``.

    Returns
    -------
    ImportResult
        As for a file; problems name rows by position (``row 0`` is ``frame.iloc[0]``).

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame.
    UsageError
        ``access_date`` is not a date.
    DataError
        The columns match no format or lack a required one; or, with ``strict``, any
        row is bad.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame or GeoDataFrame, got {type(frame).__name__}")
    given_access = _access_date(access_date)
    names, values = _frame_columns(frame)
    kind = _classify(name, names, "columns")
    _check_header(name, names, kind, "columns")
    wanted = [column for column in dict.fromkeys((*kind.required, *kind.optional)) if column in names]
    texts = {column: _texts(values[names.index(column)]) for column in wanted}
    importer = kind(name, names)
    parts = []
    with _collector_paused():
        for start in range(0, len(frame), FRAME_CHUNK_ROWS):
            stop = min(start + FRAME_CHUNK_ROWS, len(frame))
            piece = table_frame({column: text[start:stop] for column, text in texts.items()})
            chunk = CsvChunk(piece, np.arange(start, stop, dtype=np.int64), unit="row")
            parts.append(importer.convert(chunk))
        return _finish(_Origin(name, "row"), importer, parts, strict, given_access)


def _frame_columns(frame: pd.DataFrame) -> tuple[tuple[str, ...], list[pd.Series | np.ndarray]]:
    """The frame's lower-case column names and columns, plus coordinates from its geometry."""
    names = [str(column).strip().lower() for column in frame.columns]
    values: list[pd.Series | np.ndarray] = [frame.iloc[:, index] for index in range(frame.shape[1])]
    geometry = _active_geometry(frame)
    if geometry is not None and "latitude" not in names and "longitude" not in names:
        latitude, longitude = _point_coordinates(geometry)
        names += ["latitude", "longitude"]
        values += [latitude, longitude]
    return tuple(names), values


def _active_geometry(frame: pd.DataFrame) -> gpd.GeoSeries | None:
    if not isinstance(frame, gpd.GeoDataFrame):
        return None
    try:
        geometry = frame.geometry
    except AttributeError:  # a GeoDataFrame without an active geometry column
        return None
    if geometry.crs is not None and not geometry.crs.equals("EPSG:4326"):
        geometry = geometry.to_crs("EPSG:4326")
    return geometry


def _point_coordinates(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude texts of Point geometries; what the others are, in words."""
    kinds = geometry.geom_type.to_numpy(dtype=object)
    empty = geometry.is_empty.to_numpy() | geometry.isna().to_numpy()
    points = (kinds == "Point") & ~empty
    latitude = np.empty(len(geometry), dtype=object)
    longitude = np.empty(len(geometry), dtype=object)
    described = np.array(
        [
            "" if missing else f"a {kind} geometry, not a Point"
            for kind, missing in zip(kinds, empty, strict=True)
        ],
        dtype=object,
    )
    latitude[:], longitude[:] = described, described
    if points.any():
        latitude[points] = [repr(float(y)) for y in geometry[points].y]
        longitude[points] = [repr(float(x)) for x in geometry[points].x]
    return latitude, longitude


def _texts(column: pd.Series | np.ndarray) -> np.ndarray:
    """A column as the text a CSV file would hold, converted once per distinct value."""
    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists, dicts)
        return np.array([_text(value) for value in column], dtype=object)
    texts = np.empty(len(uniques) + 1, dtype=object)
    texts[:-1] = [_text(value) for value in uniques]
    texts[-1] = ""
    return texts[codes]


def _text(value: Any) -> str:
    """One cell as text: ``""`` for missing, whole floats without ``.0``, days as ISO dates."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        if number.is_integer() and abs(number) < 2**53:
            return str(int(number))
        return repr(number)
    if isinstance(value, pd.Timestamp | dt.datetime):
        if value.tzinfo is None and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


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


def _check_header(file: str, columns: tuple[str, ...], kind: type[Importer], where: str) -> None:
    problems = []
    for name in kind.required:
        if name not in columns:
            problems.append(
                Problem(
                    file,
                    where,
                    name,
                    f"missing required column {name!r} for {kind.dataset} data; "
                    f"the header has {len(columns)} columns",
                )
            )
    for name in (*kind.required, *kind.optional):
        if columns.count(name) > 1:
            problems.append(
                Problem(
                    file,
                    where,
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
    origin: _Origin,
    importer: Importer,
    parts: list[ConvertedChunk],
    strict: bool,
    access_date: str,
) -> ImportResult:
    file, unit = origin.file, origin.unit
    problems = list(origin.problems)
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
        prefix = len(importer.id_prefix)
        for event_id, line in zip(ids[duplicate], id_lines[duplicate], strict=True):
            problems.append(
                Problem(
                    file,
                    f"{unit} {line}",
                    importer.id_column,
                    f"duplicate id {event_id[prefix:]!r}: already used on {unit} "
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
    rows_read = sum(part.rows for part in parts) + origin.rows_rejected
    table = _joined(parts, keep)
    return ImportResult(
        table=table,
        problems=problems,
        rows_read=rows_read,
        rows_skipped=rows_read - len(table),
        source=importer.source(_facts(origin, parts, table), access_date),
        notices=_capped(file, notices),
    )


def _joined(parts: list[ConvertedChunk], keep: np.ndarray | None) -> pd.DataFrame:
    """The chunks' columns joined into the table (standard columns first), rows ``keep``.

    Each column is joined on its own and the chunks' pieces of it released at once; most
    pieces are codes (``factors.Coded``), so the rows are never held twice over as
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


def _facts(origin: _Origin, parts: list[ConvertedChunk], table: pd.DataFrame) -> SourceFacts:
    first_days = [part.first_day for part in parts if part.first_day is not None]
    last_days = [part.last_day for part in parts if part.last_day is not None]
    return SourceFacts(
        file_name=origin.file,
        rows=len(table),
        date_first=iso_of_day(min(first_days)) if first_days else "",
        date_last=iso_of_day(max(last_days)) if last_days else "",
        countries=tuple(
            sorted({code for codes in pd.unique(table["country"]) for code in codes.split(";") if code})
        ),
        event_types=tuple(sorted(set().union(*(part.event_types for part in parts)))),
        hdx_row_dropped=origin.hdx_line is not None,
    )
