"""The timeline's first axis and presets, computed from the events' dates (geo/timeline.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.timeline import timeline_payload

EPOCH = dt.date(1970, 1, 1)


def day(text: str) -> int:
    return (dt.date.fromisoformat(text) - EPOCH).days


def spread(first: str, last: str, n: int) -> tuple[list[int], list[int]]:
    days = np.linspace(day(first), day(last), n).astype(int).tolist()
    return days, days


def test_a_lone_early_event_is_left_off_the_first_axis_but_not_off_all():
    start, end = spread("1980-01-01", "2025-03-31", 26)
    start, end = [day("1893-01-01"), *start], [day("1893-12-31"), *end]
    timeline = timeline_payload(start, end)
    assert timeline["axis"] == [day("1980-01-01"), day("2025-03-31")]
    presets = timeline["presets"]
    assert presets[0] == {"label": "All", "from": day("1893-01-01"), "to": day("2025-03-31")}
    assert [p["label"] for p in presets] == ["All", "1980\u20132025", "2016\u20132025", "2024\u20132025"]
    assert presets[-1]["from"] == day("2024-01-01") and presets[-1]["to"] == day("2025-03-31")


def test_a_lone_late_event_is_left_off_at_the_other_end():
    start, end = spread("1990-01-01", "2000-12-31", 40)
    timeline = timeline_payload([*start, day("2040-05-01")], [*end, day("2040-05-01")])
    assert timeline["axis"] == [day("1990-01-01"), day("2000-12-31")]


def test_evenly_spread_events_keep_the_whole_span_and_small_sets_are_never_trimmed():
    start, end = spread("1989-01-01", "2025-10-31", 500)
    assert timeline_payload(start, end)["axis"] == [start[0], end[-1]]
    # Fewer than 20 events: none is left off, however far it lies.
    few = [day("1800-01-01"), *spread("2000-01-01", "2001-01-01", 10)[0]]
    assert timeline_payload(few, few)["axis"] == [few[0], few[-1]]


def test_no_events_no_axis_and_a_recent_preset_only_where_events_are():
    assert timeline_payload([], []) == {"axis": None, "presets": []}
    # Everything in the last year: no "last ten years" preset that shows the same.
    start, end = spread("2025-01-01", "2025-06-30", 30)
    labels = [p["label"] for p in timeline_payload(start, end)["presets"]]
    assert labels == ["All"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(-50_000, 30_000), st.integers(0, 4_000)), min_size=1, max_size=80))
def test_the_axis_and_presets_always_lie_inside_the_events_span(rows):
    start = [s for s, _ in rows]
    end = [s + length for s, length in rows]
    timeline = timeline_payload(start, end)
    lo, hi = min(start), max(end)
    a0, a1 = timeline["axis"]
    assert lo <= a0 <= a1 <= hi
    for preset in timeline["presets"]:
        assert lo <= preset["from"] <= preset["to"] <= hi
    # At most 5% of the events lie wholly off the first axis.
    off = sum(1 for s, e in zip(start, end, strict=True) if e < a0 or s > a1)
    assert off <= 0.05 * len(rows) * 2
