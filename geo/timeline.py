"""The timeline's first axis and its presets, made from the events' dates.

The page keeps no periods of its own: it shows the axis and the preset buttons this
module computes (``payload["timeline"]``). Days are counted from 1970-01-01, as
everywhere in the page's data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from geo.dates import day_number

# At most this share of the events may lie off the first axis (so none of fewer than 20).
OFF_AXIS_SHARE = 0.05
# Events are left off the first axis only across an empty stretch longer than this
# share of what the axis then shows: so empty decades never fill the first view.
EMPTY_SHARE = 0.5
# The recent periods offered as presets, in calendar years ending with the last event's year.
RECENT_YEARS = (10, 2)


def timeline_payload(
    start_days: Sequence[int] | np.ndarray | pd.Series, end_days: Sequence[int] | np.ndarray | pd.Series
) -> dict[str, Any]:
    """The first axis ``[first_day, last_day]`` and the presets (``label``, ``from``, ``to``).

    The first axis covers the events but for a few lying far before or after the rest
    (the article's 1893 against 1979-2025); "All" is always the first preset, then the
    dense period when it differs from all, then the last ten and two calendar years
    when they hold events and are shorter than the preset before them.
    """
    start = np.asarray(start_days, dtype=np.int64)
    end = np.asarray(end_days, dtype=np.int64)
    if not len(start):
        return {"axis": None, "presets": []}
    lo, hi = int(start.min()), int(end.max())
    axis_lo = _trimmed_start(start, end)
    axis_hi = -_trimmed_start(-end, -start)
    if axis_lo >= axis_hi:
        axis_lo, axis_hi = lo, hi
    presets = [_preset("All", lo, hi)]
    if (axis_lo, axis_hi) != (lo, hi):
        presets.append(_preset(_years(axis_lo, axis_hi), axis_lo, axis_hi))
    last_year = _year(hi)
    for years in (y for y in RECENT_YEARS if last_year - y >= 0):
        first = day_number(dt.date(last_year - years + 1, 1, 1))
        previous = presets[-1]
        if first > previous["from"] and bool(np.any((start >= first) & (start <= hi))):
            presets.append(_preset(_years(first, hi), first, hi))
    return {"axis": [axis_lo, axis_hi], "presets": presets}


def _trimmed_start(start: np.ndarray, end: np.ndarray) -> int:
    """The first day of the axis: the earliest start once a few outlying events are left off.

    The k earliest-starting events are left off when k is at most ``OFF_AXIS_SHARE`` of
    the events and the empty stretch after them is longer than ``EMPTY_SHARE`` of what
    remains; the largest such k wins. (Called with negated days for the last day.)
    """
    order = np.lexsort((end, start))
    start, end = start[order], end[order]
    budget = min(int(len(start) * OFF_AXIS_SHARE), len(start) - 1)
    if budget < 1:
        return int(start[0])
    after = start[1 : budget + 1]  # the first event kept, for k = 1 .. budget left off
    gaps = after - np.maximum.accumulate(end)[:budget]
    left_off = np.flatnonzero(gaps > EMPTY_SHARE * (int(end.max()) - after))
    return int(after[left_off[-1]]) if len(left_off) else int(start[0])


def _year(day: int) -> int:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).year


def _years(first: int, last: int) -> str:
    a, b = _year(first), _year(last)
    return str(a) if a == b else f"{a}\u2013{b}"


def _preset(label: str, first: int, last: int) -> dict[str, Any]:
    return {"label": label, "from": first, "to": last}
