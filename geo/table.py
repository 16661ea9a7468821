"""The event table: one pandas DataFrame column per field, the common form of every event source.

Curated events (``geo.model.Event``) and imported ACLED/UCDP rows both become this
table; the page payload is built from it. Keeping it columnar lets a million
imported rows stay well inside the build's time and memory budget.

Columns (``EVENT_COLUMNS``):

==================  =========  ==============================================
column              dtype      meaning
==================  =========  ==============================================
id                  str        stable id, unique in the table
title               str        short title
summary             str        summary / notes (may be empty)
date                str        ISO 8601 at its precision (``2014-12``)
date_precision      str        ``year`` | ``month`` | ``day``
end_date            str        ISO 8601 end of a span, or ``""``
start_day           int64      first possible day, days since 1970-01-01
end_day             int64      last possible day (end of ``end_date`` or of ``date``)
category            str        a ``geo.taxonomy`` category id
country             str        ISO3 codes joined by ``;``
place               str        place in words
lon, lat            float64    the marker position
precision_kind      str        ``exact`` | ``radius`` | ``area``
radius_km           float64    uncertainty radius (NaN when not ``radius``)
area                str        the area the point stands for (``""`` when not ``area``)
area_ref            str        id of the feature that draws the area, or ``""``
layers              str        related overlay ids joined by ``;``
source              str        where it comes from, in words
figures             object     list of ``{"kind","value","qualifier","reported_by","note"}``
claims              object     list of ``{"by","claim"}``
notes               object     list of caveat strings
dataset             str        ``curated`` (our GeoJSON files) | ``ACLED`` | ``UCDP GED``
==================  =========  ==============================================

Importers may add columns named ``orig:<label>`` holding the source's own codes
(e.g. ``orig:event_type``); popups show them under their label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from geo.dates import day_number
from geo.errors import DataError, Problem
from geo.model import Event, Figure

EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "summary",
    "date",
    "date_precision",
    "end_date",
    "start_day",
    "end_day",
    "category",
    "country",
    "place",
    "lon",
    "lat",
    "precision_kind",
    "radius_km",
    "area",
    "area_ref",
    "layers",
    "source",
    "figures",
    "claims",
    "notes",
    "dataset",
)
ORIGIN_PREFIX = "orig:"


def events_to_table(events: Iterable[Event]) -> pd.DataFrame:
    """Turn curated events into the event table, in the given order."""
    rows = []
    for event in events:
        end = event.end_date or event.date
        rows.append(
            {
                "id": event.id,
                "title": event.title,
                "summary": event.summary,
                "date": event.date.iso(),
                "date_precision": event.date.precision,
                "end_date": event.end_date.iso() if event.end_date else "",
                "start_day": day_number(event.date.first_day()),
                "end_day": day_number(end.last_day()),
                "category": event.category,
                "country": ";".join(event.countries),
                "place": event.place,
                "lon": event.lon,
                "lat": event.lat,
                "precision_kind": event.precision.kind,
                "radius_km": event.precision.radius_km
                if event.precision.radius_km is not None
                else float("nan"),
                "area": event.precision.area or "",
                "area_ref": event.precision.area_ref or "",
                "layers": ";".join(event.layers),
                "source": event.source.label(),
                "figures": [_figure_dict(f) for f in event.figures],
                "claims": [{"by": c.by, "claim": c.claim} for c in event.claims],
                "notes": list(event.notes),
                "dataset": "curated",
                **{ORIGIN_PREFIX + key: value for key, value in event.origin.items()},
            }
        )
    return pd.DataFrame(rows, columns=_columns_in_order(key for row in rows for key in row))


def empty_table() -> pd.DataFrame:
    """An event table with no rows and every standard column."""
    return pd.DataFrame({column: [] for column in EVENT_COLUMNS})


def _figure_dict(figure: Figure) -> dict[str, object]:
    return {
        "kind": figure.kind,
        "value": figure.value,
        "qualifier": figure.qualifier,
        "reported_by": figure.reported_by,
        "note": figure.note,
    }


class StackedTable:
    """Event tables read as one, without copying them into one frame.

    ``table[column]`` stacks that one column from every table (a missing ``orig:``
    column reads as empty text), so a million imported rows are never duplicated
    whole: only one column at a time.
    """

    def __init__(self, tables: Sequence[pd.DataFrame]) -> None:
        self.tables = list(tables)
        self.columns = pd.Index(_columns_in_order(c for t in self.tables for c in t.columns))
        self._length = sum(len(t) for t in self.tables)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, column: str) -> pd.Series:
        if len(self.tables) == 1:
            return self.tables[0][column].reset_index(drop=True)
        parts = [
            t[column].to_numpy() if column in t.columns else np.full(len(t), "", dtype=object)
            for t in self.tables
        ]
        return pd.Series(np.concatenate(parts) if parts else np.array([], dtype=object))


def combine_tables(tables: Sequence[pd.DataFrame]) -> StackedTable:
    """Stack event tables (unsorted: ``date_order`` gives the order, without copying rows).

    Raises
    ------
    DataError
        When an id occurs in more than one table.
    """
    stacked = StackedTable([t for t in tables if len(t)] or [empty_table()])
    ids = stacked["id"]
    duplicated = ids.duplicated(keep="first")
    if duplicated.any():
        problems = [
            Problem("events", str(event_id), "id", "duplicate id: another event source already uses it")
            for event_id in ids[duplicated].head(50)
        ]
        raise DataError(problems)
    return stacked


def _columns_in_order(names: Iterable[str]) -> list[str]:
    """The standard columns, then the ``orig:`` ones among ``names``, sorted."""
    return [*EVENT_COLUMNS, *sorted({name for name in names if name.startswith(ORIGIN_PREFIX)})]


def date_order(table: pd.DataFrame | StackedTable) -> np.ndarray:
    """Row positions sorted by first day, then last day; stable, so rows that tie keep their order.

    The page's own date order (``common.js`` ``order``) is the same, so it finds the rows
    already sorted and needs no sort of its own (seconds at a million rows).
    """
    return np.lexsort((table["end_day"].to_numpy(), table["start_day"].to_numpy()))
