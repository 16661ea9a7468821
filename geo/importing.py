"""Bring event files into a build: our GeoJSON through the loader, ACLED/UCDP CSV through importers.

This is where import policy lives: bad rows are skipped and counted (or, strict,
stop the build), ACLED rows embedded raw draw a warning about ACLED's terms, and
``aggregate`` replaces rows by counts per province and month.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import mapping

from geo.errors import DataError, Problem
from geo.importers import ImportResult, aggregate_table, attribution_text, read_event_file
from geo.model import Dataset, Layer

log = logging.getLogger("frontier_map")
GEOJSON_SUFFIXES = (".geojson", ".json")
# How many skipped-row problems a warning lists before it only counts the rest.
SHOWN_PROBLEMS = 20

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ImportedSource:
    """One imported file, ready for the map: its events and how to credit them."""

    table: pd.DataFrame
    credit: str
    attribution: str


def is_geojson(path: Path) -> bool:
    """Whether an event file is one of our own GeoJSON event files (by its suffix)."""
    return Path(path).suffix.lower() in GEOJSON_SUFFIXES


def import_files(
    paths: Sequence[Path],
    dataset: Dataset,
    *,
    strict: bool = False,
    aggregate: bool = False,
    access_date: str | None = None,
    progress: Progress | None = None,
) -> list[ImportedSource]:
    """Import ACLED/UCDP CSV files for a map built from ``dataset``.

    Raises
    ------
    DataError
        With ``strict``, every problem of every file; without it, only problems that
        stop a whole file (unknown format, missing columns).
    """
    results: list[ImportResult] = []
    problems: list[Problem] = []
    for path in paths:
        report = (lambda done, total, name=Path(path).name: progress(name, done, total)) if progress else None
        try:
            results.append(read_event_file(path, strict=strict, progress=report, access_date=access_date))
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    areas = _areas(dataset, "provinces") if aggregate else None
    countries = _areas(dataset, "countries") if aggregate else None
    sources = []
    for result in results:
        _warn(result, aggregate)
        table = result.table
        if aggregate:
            table = aggregate_table(table, areas, "month", countries=countries)
        how = "province and month" if aggregate else None
        credit = f"{result.source.dataset_name}, {result.source.license}"
        sources.append(ImportedSource(table, credit, attribution_text(result.source, aggregated=how)))
    return sources


def _warn(result: ImportResult, aggregate: bool) -> None:
    name = result.source.file_name
    if result.rows_skipped:
        shown = result.problems[:SHOWN_PROBLEMS]
        more = len(result.problems) - len(shown)
        lines = [f"{name}: skipped {result.rows_skipped:,} of {result.rows_read:,} rows:"]
        lines += [f"  - {problem}" for problem in shown]
        if more > 0:
            lines.append(f"  … and {more:,} more problems (use --strict to list them all)")
        log.warning("\n".join(lines))
    for notice in result.notices[:SHOWN_PROBLEMS]:
        log.info("note: %s", notice)
    hidden = len(result.notices) - SHOWN_PROBLEMS
    if hidden > 0:
        log.info("note: … and %s more note%s about %s", f"{hidden:,}", "" if hidden == 1 else "s", name)
    if not result.source.redistribution_allowed and not aggregate:
        log.warning(
            "%s: this map embeds %s raw %s rows. %s's terms of use do not allow "
            "redistributing raw rows; to share the map, rebuild with --aggregate "
            "(counts per province and month instead of rows).",
            name,
            f"{len(result.table):,}",
            result.source.dataset,
            result.source.dataset,
        )


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
