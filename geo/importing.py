"""Bring events into a build: our GeoJSON through the loader, CSV files and DataFrames through importers.

This is where import policy lives: which event sources a caller may pass, bad rows
skipped and counted (or, strict, stopping the build), a warning when raw ACLED rows
are embedded, ``aggregate`` replacing rows by counts per province and month, and the
``ImportReport`` of each source that the command line prints and the Python API
raises as warnings, each in its own terms (``--aggregate`` or ``aggregate=True``).
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import mapping

from geo.errors import DataError, Problem, UsageError
from geo.importers import (
    FORMATS,
    ImportResult,
    aggregate_table,
    attribution_text,
    read_event_file,
    read_event_frame,
)
from geo.model import Dataset, Layer

log = logging.getLogger("frontier_map")
GEOJSON_SUFFIXES = (".geojson", ".json")
# How many skipped-row problems a report lists before it only counts the rest.
SHOWN_PROBLEMS = 20

Progress = Callable[[str, int, int], None]
# What a caller may pass as one event source: a file path or a (Geo)DataFrame.
EventSource = Path | pd.DataFrame
# Whose terms a report's messages use: the command line's flags or the Python API's.
Wording = Literal["api", "cli"]
_OPTIONS: dict[Wording, dict[str, str]] = {
    "cli": {"strict": "--strict", "aggregate": "--aggregate"},
    "api": {"strict": "strict=True", "aggregate": "aggregate=True"},
}
_ACCEPTED = (
    "a list of event sources: paths (str or pathlib.Path) of CSV or GeoJSON event files, "
    "pandas DataFrames or geopandas GeoDataFrames"
)


class EventSourceError(UsageError, TypeError):
    """``events`` is not a list of paths and DataFrames (a ``UsageError`` and a ``TypeError``)."""


class EventImportWarning(UserWarning):
    """Rows were skipped, nothing was imported, or raw ACLED rows are embedded."""


@dataclass(frozen=True)
class ImportReport:
    """What importing one file or DataFrame did, for the caller to show.

    Attributes
    ----------
    name : str
        The file's name, or ``events[i]`` for the i-th item of ``events`` that is a
        DataFrame.
    dataset : str
        The source's dataset (``"ACLED"``, ``"UCDP GED"``, ``"own events"``).
    rows_read, rows_imported, rows_skipped : int
        Data rows in the source, rows in the map (before any aggregation), rows left out;
        ``rows_read == rows_imported + rows_skipped``.
    problems : tuple of Problem
        Why rows were skipped, in line order (one or more per skipped row).
    notices : tuple of Problem
        Things worth knowing about kept rows; the reader lists the first few of each
        kind and adds one summary (with an empty ``feature``) for the rest.
    raw_restricted_rows : bool
        The map embeds raw rows whose terms forbid redistributing them (ACLED, not
        aggregated).
    """

    name: str
    dataset: str
    rows_read: int
    rows_imported: int
    rows_skipped: int
    problems: tuple[Problem, ...]
    notices: tuple[Problem, ...]
    raw_restricted_rows: bool = False

    def summary(self) -> str:
        """``imported 1,234 rows from FILE (5 skipped)``."""
        plural = "" if self.rows_imported == 1 else "s"
        return f"imported {self.rows_imported:,} row{plural} from {self.name} ({self.rows_skipped:,} skipped)"

    def warnings(self, wording: Wording = "api") -> list[str]:
        """What the caller should be warned about, in the terms of ``wording``.

        Skipped rows (the first ``SHOWN_PROBLEMS`` problems, then a count), an import of
        nothing, and raw ACLED rows in the map.
        """
        options = _OPTIONS[wording]
        messages = []
        if self.rows_skipped:
            shown = self.problems[:SHOWN_PROBLEMS]
            lines = [f"{self.name}: skipped {self.rows_skipped:,} of {self.rows_read:,} rows:"]
            lines += [f"  - {problem}" for problem in shown]
            more = len(self.problems) - len(shown)
            if more > 0:
                lines.append(f"  … and {more:,} more problems (use {options['strict']} to list them all)")
            messages.append("\n".join(lines))
        if not self.rows_imported:
            why = "it has no data rows" if not self.rows_read else f"all {self.rows_read:,} rows were skipped"
            messages.append(f"{self.name}: no events imported: {why}")
        if self.raw_restricted_rows:
            messages.append(
                f"{self.name}: this map embeds {self.rows_imported:,} raw {self.dataset} rows. "
                f"{self.dataset}'s terms of use do not allow redistributing raw rows; to share the "
                f"map, rebuild with {options['aggregate']} (counts per province and month instead of rows)."
            )
        return messages

    def notes(self) -> list[str]:
        """Every notice, as ``note: …`` lines (summaries of repeated notices included)."""
        return [f"note: {notice}" for notice in self.notices]


@dataclass(frozen=True)
class ImportedSource:
    """One imported file or DataFrame, ready for the map: its events, credit and report."""

    table: pd.DataFrame
    credit: str
    attribution: str
    report: ImportReport


def is_geojson(path: Path) -> bool:
    """Whether an event file is one of our own GeoJSON event files (by its suffix)."""
    return Path(path).suffix.lower() in GEOJSON_SUFFIXES


def event_sources(events: object, parameter: str = "events") -> list[EventSource]:
    """Check what a caller passed as event sources; paths become ``Path`` (``None``: none).

    Raises
    ------
    EventSourceError
        ``events`` is a single path, string or DataFrame instead of a list of them, or
        an item is of another type.
    """
    if events is None:
        return []
    if isinstance(events, str | bytes | os.PathLike | pd.DataFrame):
        raise EventSourceError(
            f"{parameter} takes {_ACCEPTED}; got a single {type(events).__name__} "
            f"{_shown(events)}: put it in a list, e.g. {parameter}=[{_shown(events)}]"
        )
    if not isinstance(events, Iterable):
        raise EventSourceError(f"{parameter} takes {_ACCEPTED}; got {type(events).__name__}")
    sources: list[EventSource] = []
    for index, item in enumerate(events):
        if isinstance(item, pd.DataFrame):
            sources.append(item)
        elif isinstance(item, str | os.PathLike) and not isinstance(item, bytes):
            sources.append(Path(item))
        else:
            raise EventSourceError(
                f"{parameter}[{index}] is a {type(item).__name__}; {parameter} takes {_ACCEPTED}"
            )
    return sources


def _shown(value: object) -> str:
    if isinstance(value, pd.DataFrame):
        return "df"
    text = repr(os.fspath(value)) if isinstance(value, os.PathLike) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def import_events(
    sources: Sequence[EventSource],
    dataset: Dataset,
    *,
    strict: bool = False,
    aggregate: bool = False,
    access_date: str | None = None,
    progress: Progress | None = None,
) -> list[ImportedSource]:
    """Import event CSV files and DataFrames for a map built from ``dataset``.

    GeoJSON files among ``sources`` are skipped (the loader reads them). DataFrames are
    named ``events[i]`` after their position in ``sources``. With ``aggregate``, the
    rows of every ACLED or UCDP source are counted per province and month, all sources
    of one dataset together (so two files covering the same province and month give one
    count); rows in the simple schema stay as they are.

    Raises
    ------
    DataError
        With ``strict``, every problem of every source; without it, only problems that
        stop a whole source (unreadable, unknown format, missing columns), and an event
        id that two sources both use.
    """
    results: list[ImportResult] = []
    names: list[str] = []
    problems: list[Problem] = []
    for index, source in enumerate(sources):
        try:
            if isinstance(source, pd.DataFrame):
                name = f"events[{index}]"
                result = read_event_frame(source, name, strict=strict, access_date=access_date)
            elif is_geojson(source):
                continue
            else:
                name = source.name
                file_progress = _file_progress(progress, name)
                result = read_event_file(
                    source, strict=strict, progress=file_progress, access_date=access_date
                )
        except DataError as exc:
            problems += exc.problems
            continue
        results.append(result)
        names.append(name)
    problems += _shared_ids(results)
    if problems:
        raise DataError(problems)
    tables = _aggregated(results, dataset) if aggregate else [result.table for result in results]
    imported = []
    for name, result, table in zip(names, results, tables, strict=True):
        info = result.source
        aggregated = aggregate and _aggregates(info.dataset)
        how = "province and month" if aggregated else None
        credit = ", ".join(part for part in (info.dataset_name, info.license) if part)
        report = ImportReport(
            name=name,
            dataset=info.dataset,
            rows_read=result.rows_read,
            rows_imported=len(result.table),
            rows_skipped=result.rows_skipped,
            problems=tuple(result.problems),
            notices=tuple(result.notices),
            raw_restricted_rows=not info.redistribution_allowed and not aggregated and len(result.table) > 0,
        )
        imported.append(ImportedSource(table, credit, attribution_text(info, aggregated=how), report))
    return imported


def _file_progress(progress: Progress | None, name: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(name, done, total)


def _shared_ids(results: Sequence[ImportResult]) -> list[Problem]:
    """An event id in more than one source: the later source's rows are problems."""
    if len(results) < 2:
        return []
    ids = np.concatenate([result.table["id"].to_numpy(dtype=object) for result in results])
    owner = np.repeat(np.arange(len(results)), [len(result.table) for result in results])
    repeated = pd.Series(ids, dtype=object, copy=False).duplicated(keep="first").to_numpy()
    if not repeated.any():
        return []
    first = dict(zip(ids[~repeated], owner[~repeated], strict=True))
    return [
        Problem(
            results[source].source.file_name,
            str(event_id),
            "id",
            f"duplicate id: {results[first[event_id]].source.file_name} already has this event; "
            "expected each event in one source only (remove the overlap between the files)",
        )
        for event_id, source in zip(ids[repeated][:50], owner[repeated][:50], strict=True)
    ]


def _aggregates(dataset: str) -> bool:
    return any(importer.aggregate for importer in FORMATS if importer.dataset == dataset)


def _aggregated(results: Sequence[ImportResult], dataset: Dataset) -> list[pd.DataFrame]:
    """Each source's table; each aggregated dataset's counts go with its first source."""
    areas, countries = _areas(dataset, "provinces"), _areas(dataset, "countries")
    tables = [result.table for result in results]
    groups: dict[str, list[int]] = {}
    for index, result in enumerate(results):
        if _aggregates(result.source.dataset):
            groups.setdefault(result.source.dataset, []).append(index)
    for members in groups.values():
        parts = [tables[index] for index in members]
        rows = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        tables[members[0]] = aggregate_table(rows, areas, "month", countries=countries)
        for index in members[1:]:
            tables[index] = tables[members[0]].iloc[0:0]
    return tables


def log_report(report: ImportReport, wording: Wording = "cli") -> None:
    """Log a report on the ``frontier_map`` logger: its summary and notes as INFO, its warnings as WARNING."""
    log.info("%s", report.summary())
    for message in report.warnings(wording):
        log.warning("%s", message)
    for note in report.notes():
        log.info("%s", note)


def warn_report(report: ImportReport, stacklevel: int = 3) -> None:
    """Raise a report as one ``EventImportWarning`` in the Python API's terms, if it has news.

    The warning holds the summary line, the warnings and the notes; a report with
    neither warnings nor notes raises nothing (it is in ``ImportReport`` form anyway).
    """
    lines = [*report.warnings("api"), *report.notes()]
    if lines:
        warnings.warn("\n".join([report.summary(), *lines]), EventImportWarning, stacklevel=stacklevel)


def _areas(dataset: Dataset, layer_id: str) -> gpd.GeoDataFrame | None:
    layer = next((la for la in dataset.basemap if la.id == layer_id), None)
    return _frame(layer) if layer is not None else None


def _frame(layer: Layer) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame.from_features(
        [
            {"type": "Feature", "geometry": mapping(p.geometry), "properties": {"id": p.id, "name": p.name}}
            for p in layer.places
        ],
        crs="EPSG:4326",
    )
