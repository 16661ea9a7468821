"""PartialDate: parsing ISO 8601 at year/month/day precision and calendar bounds.

How dates read ("December 2014") is the page's job: tests/test_browser_time.py checks it.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.dates import PRECISIONS, PartialDate, day_number


@pytest.mark.parametrize(
    ("text", "parts", "precision"),
    [
        ("1893", (1893, None, None), "year"),
        ("2014-12", (2014, 12, None), "month"),
        ("2024-12-25", (2024, 12, 25), "day"),
        ("0001-01-01", (1, 1, 1), "day"),
        ("9999-12-31", (9999, 12, 31), "day"),
    ],
)
def test_parse_keeps_the_precision_given(text, parts, precision):
    date = PartialDate.parse(text)
    assert (date.year, date.month, date.day) == parts
    assert date.precision == precision
    assert date.iso() == text


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("1893", dt.date(1893, 1, 1), dt.date(1893, 12, 31)),
        ("2014-12", dt.date(2014, 12, 1), dt.date(2014, 12, 31)),
        ("2014-04", dt.date(2014, 4, 1), dt.date(2014, 4, 30)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),  # leap year
        ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
        ("2000-02", dt.date(2000, 2, 1), dt.date(2000, 2, 29)),  # divisible by 400: leap
        ("1900-02", dt.date(1900, 2, 1), dt.date(1900, 2, 28)),  # divisible by 100: not leap
        ("2024-12-25", dt.date(2024, 12, 25), dt.date(2024, 12, 25)),
    ],
)
def test_first_and_last_day_span_the_precision(text, first, last):
    date = PartialDate.parse(text)
    assert date.first_day() == first
    assert date.last_day() == last


@pytest.mark.parametrize("text", ["2024-02-29", "2000-02-29", "1896-02-29"])
def test_leap_day_accepted_in_leap_years(text):
    assert PartialDate.parse(text).last_day().day == 29


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2024-02-30", "day 30, expected 01-29"),
        ("2023-02-29", "day 29, expected 01-28"),
        ("1900-02-29", "day 29, expected 01-28"),
        ("2024-04-31", "day 31, expected 01-30"),
        ("2024-12-00", "day 0, expected 01-31"),
        ("2024-13", "month 13, expected 01-12"),
        ("2024-13-01", "month 13, expected 01-12"),
        ("2024-00", "month 0, expected 01-12"),
        ("0000", "year 0000"),
    ],
)
def test_impossible_calendar_dates_rejected(text, fragment):
    with pytest.raises(ValueError, match="expected") as info:
        PartialDate.parse(text)
    assert fragment in str(info.value)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "93",
        "18930",
        "2024-1-5",
        "2024/12/25",
        "25 December 2024",
        "December 2014",
        "2024-12-25T10:00",
        "2024-12-25 ",
        " 2024",
        "2024\n",  # '$' in a regex would let a trailing newline through
        "2024-12-25\n",
        "\u0662\u0660\u0662\u0664",  # Arabic-Indic digits: \d would take them as 2024
        "-1893",
        "+1893",
        None,
        2024,
        20241225,
        ["2024"],
        {"date": "2024"},
    ],
)
def test_not_iso_8601_rejected_with_value_error(value):
    with pytest.raises(ValueError, match="not an ISO 8601 date"):
        PartialDate.parse(value)


def test_day_number_counts_from_1970():
    assert day_number(dt.date(1970, 1, 1)) == 0
    assert day_number(dt.date(1970, 1, 2)) == 1
    assert day_number(dt.date(1969, 12, 31)) == -1
    assert day_number(dt.date(2000, 1, 1)) == 10957


def test_precisions_are_the_documented_three():
    assert PRECISIONS == ("year", "month", "day")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_any_real_day_round_trips(day):
    for text, precision in (
        (f"{day.year:04d}", "year"),
        (f"{day.year:04d}-{day.month:02d}", "month"),
        (day.isoformat(), "day"),
    ):
        date = PartialDate.parse(text)
        assert date.precision == precision
        assert date.iso() == text
        assert date.first_day() <= day <= date.last_day()
    assert PartialDate.parse(day.isoformat()).first_day() == day


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=12),
        st.text(alphabet="0123456789-", max_size=12),
        st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
        st.from_regex(r"\A[0-9]{4}-[0-9]{2}\Z"),
    )
)
def test_any_text_parses_or_raises_value_error(text):
    try:
        date = PartialDate.parse(text)
    except ValueError as exc:
        assert str(exc)
        return
    # Whatever parses is a real calendar span that every method can handle.
    assert date.first_day() <= date.last_day()
    assert date.iso() == text
    assert date.precision in PRECISIONS


def test_dates_of_different_precision_sort_by_first_then_last_day():
    texts = ["2014-12-16", "1893", "2014", "2014-12", "2014-01", "2025-03-11"]
    ordered = sorted(PartialDate.parse(text) for text in texts)
    assert [d.iso() for d in ordered] == ["1893", "2014-01", "2014", "2014-12", "2014-12-16", "2025-03-11"]
    assert PartialDate.parse("2014") != PartialDate.parse("2014-01")
    assert PartialDate.parse("2014-12") <= PartialDate.parse("2014-12")


@settings(max_examples=200)
@given(st.lists(st.dates(min_value=dt.date(1, 1, 1)), min_size=2, max_size=6), st.data())
def test_order_is_total_and_agrees_with_first_days(days, data):
    dates = [PartialDate.parse(day.isoformat()[: data.draw(st.sampled_from([4, 7, 10]))]) for day in days]
    ordered = sorted(dates)
    firsts = [d.first_day() for d in ordered]
    assert firsts == sorted(firsts)
    for a, b in itertools.pairwise(ordered):
        assert a <= b and not b < a
