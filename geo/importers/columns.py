"""Vectorised column helpers shared by the format importers, and the row-problem collector.

Everything here works on whole columns (numpy ``object`` arrays of ``str``): numbers
go through ``pandas.to_numeric``, dates and codes are parsed once per distinct value
(``pandas.factorize``) and spread back, so a million rows cost about as much as their
few thousand distinct dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from geo.errors import Problem

T = TypeVar("T")

_EPOCH = dt.date(1970, 1, 1)
_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*")
_TEXT_DAY = re.compile(r"\s*(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})\s*")
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (dt.date(2000, number, 1).strftime("%B"), dt.date(2000, number, 1).strftime("%b"))
}
_MONTHS["sept"] = 9
NO_DAY = np.iinfo(np.int64).min


class RowChecks:
    """Collect row problems (the row is skipped) and notices (the row is kept).

    Parameters
    ----------
    file : str
        File name used in every problem.
    lines : numpy.ndarray
        Physical line of each row.
    """

    def __init__(self, file: str, lines: np.ndarray) -> None:
        self.file = file
        self.lines = lines
        self.bad = np.zeros(len(lines), dtype=bool)
        self.problems: list[Problem] = []
        self.notices: list[tuple[str, Problem]] = []

    def fail(self, mask: np.ndarray, field: str, message: Callable[[int], str]) -> None:
        """Mark the rows in ``mask`` bad, with ``message(row_index)`` for each."""
        rows = np.flatnonzero(mask)
        if rows.size:
            self.bad[rows] = True
            self.problems.extend(self._problem(int(i), field, message(int(i))) for i in rows)

    def notice(self, mask: np.ndarray, field: str, message: Callable[[int], str], kind: str = "") -> None:
        """Record ``message(row_index)`` for each good row in ``mask``; the row is kept.

        ``kind`` groups notices of one sort so that the caller can cap their number.
        """
        rows = np.flatnonzero(mask & ~self.bad)
        kind = kind or field
        self.notices.extend((kind, self._problem(int(i), field, message(int(i)))) for i in rows)

    def _problem(self, row: int, field: str, message: str) -> Problem:
        return Problem(self.file, f"line {int(self.lines[row])}", field, message)


class Factors:
    """Factorised columns of one chunk, computed once and reused by every lookup.

    Keyed by the identity of the array (which the cache keeps alive, so the key stays
    valid); ``pandas.factorize`` numbers values in order of first appearance.
    """

    def __init__(self) -> None:
        self._cache: dict[int, tuple[np.ndarray, np.ndarray, int]] = {}

    def codes(self, values: np.ndarray) -> tuple[np.ndarray, int]:
        """Codes of ``values`` and the number of distinct values."""
        hit = self._cache.get(id(values))
        if hit is None or hit[0] is not values:
            codes, uniques = pd.factorize(values)
            hit = self._cache[id(values)] = (values, codes, len(uniques))
        return hit[1], hit[2]


def column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """The column as an ``object`` array of ``str``; all ``""`` when the file lacks it."""
    if name in frame.columns:
        return frame[name].to_numpy(dtype=object)
    return constant(len(frame), "")


def constant(size: int, value: object) -> np.ndarray:
    """An ``object`` array holding ``value`` ``size`` times, as one shared object.

    (``numpy.full`` would create a separate ``str`` per cell: 50 MB per million rows.)
    """
    array = np.empty(size, dtype=object)
    array.fill(value)
    return array


def choose(mask: np.ndarray, if_true: object, if_false: object) -> np.ndarray:
    """An ``object`` array of two shared values, picked by ``mask``."""
    return np.where(mask, np.array(if_true, dtype=object), np.array(if_false, dtype=object))


def by_value(
    values: np.ndarray,
    convert: Callable[[Any], T],
    dtype: Any = object,
    cache: dict[Any, T] | None = None,
) -> np.ndarray:
    """Apply ``convert`` once per distinct value and spread the results back.

    ``cache`` (value → result) carries results over between chunks of one file.
    """
    if not len(values):
        return np.empty(0, dtype=dtype)
    codes, uniques = pd.factorize(values)
    if cache is None:
        converted = [convert(value) for value in uniques]
    else:
        converted = []
        for value in uniques:
            if value not in cache:
                cache[value] = convert(value)
            converted.append(cache[value])
    return np.array(converted, dtype=dtype)[codes]


def by_values(
    arrays: Sequence[np.ndarray],
    convert: Callable[..., T],
    dtype: Any = object,
    factors: Factors | None = None,
) -> np.ndarray:
    """Apply ``convert(a, b, …)`` once per distinct combination of the arrays' values.

    The result objects are shared between rows with the same combination, which keeps
    repeated strings and lists from costing memory once per row.
    """
    codes, first = combination_codes(arrays, factors)
    converted = np.empty(len(first), dtype=dtype)
    for code, row in enumerate(first):
        converted[code] = convert(*(values[row] for values in arrays))
    return converted[codes]


def by_values_split(
    arrays: Sequence[np.ndarray],
    convert: Callable[..., tuple],
    outputs: int,
    factors: Factors | None = None,
) -> tuple[np.ndarray, ...]:
    """Like ``by_values`` for a ``convert`` that returns a tuple: one array per item."""
    codes, first = combination_codes(arrays, factors)
    converted = [np.empty(len(first), dtype=object) for _ in range(outputs)]
    for code, row in enumerate(first):
        for target, value in zip(converted, convert(*(v[row] for v in arrays)), strict=True):
            target[code] = value
    return tuple(target[codes] for target in converted)


def combination_codes(
    arrays: Sequence[np.ndarray], factors: Factors | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """A code per row for its combination of values, and the first row of each code."""
    factors = factors or Factors()
    size = len(arrays[0])
    codes, count = factors.codes(arrays[0])
    for values in arrays[1:]:
        value_codes, value_count = factors.codes(values)
        codes, uniques = pd.factorize(codes * value_count + value_codes)
        count = len(uniques)
    first = np.empty(count, dtype=np.int64)
    first[codes[::-1]] = np.arange(size - 1, -1, -1)
    return codes, first


def stripped(values: np.ndarray) -> np.ndarray:
    """Strip surrounding white space from every value."""
    return np.array([value.strip() for value in values], dtype=object)


def numbers(values: np.ndarray) -> np.ndarray:
    """Parse numbers; anything that is not a finite number becomes NaN."""
    parsed = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return np.where(np.isfinite(parsed), parsed, np.nan)


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return np.nan
    return number if np.isfinite(number) else np.nan


def few_numbers(values: np.ndarray) -> np.ndarray:
    """Parse numbers in a column with few distinct values (codes, counts): NaN if not finite."""
    return by_value(values, _number, dtype=np.float64)


def integer_codes(values: np.ndarray) -> np.ndarray:
    """Parse small integer codes ('1', ' 2', '3.0'); anything else becomes -1."""
    parsed = few_numbers(values)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(parsed) & (parsed == np.round(parsed)) & (np.abs(parsed) < 2**31)
    return np.where(ok, parsed, -1).astype(np.int64)


def _day(value: str, patterns: tuple[str, ...]) -> int:
    for pattern in patterns:
        if pattern == "iso":
            match = _ISO_DAY.fullmatch(value)
            if match:
                try:
                    day = dt.date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError:
                    return NO_DAY
                return (day - _EPOCH).days
        elif pattern == "text":
            match = _TEXT_DAY.fullmatch(value)
            month = _MONTHS.get(match[2].lower()) if match else None
            if match and month:
                try:
                    day = dt.date(int(match[3]), month, int(match[1]))
                except ValueError:
                    return NO_DAY
                return (day - _EPOCH).days
    return NO_DAY


def day_numbers(values: np.ndarray, *, text: bool = False, cache: dict[str, int] | None = None) -> np.ndarray:
    """Parse dates into days since 1970-01-01; ``NO_DAY`` where they do not parse.

    Accepts ``YYYY-MM-DD`` (optionally followed by a time, as UCDP writes
    ``2024-12-25 00:00:00.000``) and, with ``text``, ``25 December 2024``,
    ``25 Dec 2024`` or ``25-Dec-2024``. ``cache`` carries parsed dates between chunks.
    """
    patterns = ("iso", "text") if text else ("iso",)
    return by_value(values, lambda value: _day(value, patterns), dtype=np.int64, cache=cache)


def iso_days(days: np.ndarray) -> np.ndarray:
    """``YYYY-MM-DD`` strings for day numbers (objects shared between equal days)."""
    if not len(days):
        return np.empty(0, dtype=object)
    codes, uniques = pd.factorize(days)
    text = np.datetime_as_string(uniques.astype("datetime64[D]"), unit="D").astype(object)
    return text[codes]


def month_bounds(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last day number of the calendar month of each day."""
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    first = months.astype("datetime64[D]").astype(np.int64)
    last = (months + 1).astype("datetime64[D]").astype(np.int64) - 1
    return first, last


def year_bounds(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last day number of the calendar year of each day."""
    years = days.astype("datetime64[D]").astype("datetime64[Y]")
    first = years.astype("datetime64[D]").astype(np.int64)
    last = (years + 1).astype("datetime64[D]").astype(np.int64) - 1
    return first, last


def iso_of_day(day: int) -> str:
    """One day number as ``YYYY-MM-DD``."""
    return (_EPOCH + dt.timedelta(days=int(day))).isoformat()


def join_nonempty(parts: Iterable[str], separator: str = ", ") -> str:
    """Join the non-empty parts, dropping repeats of an earlier part."""
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return separator.join(seen)


def text_column(values: np.ndarray | list[str]) -> np.ndarray:
    """A string column of the table: an ``object`` array of ``str`` (see ``table_frame``)."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    return np.asarray(values, dtype=object)


def table_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame from column arrays, keeping ``object`` columns as ``object``.

    (pandas 3 would otherwise infer its ``str`` dtype for every string column, which
    validates each cell: about a second per million rows over the table.)
    """
    return pd.DataFrame(
        {
            name: pd.Series(values, dtype=object, copy=False)
            if isinstance(values, np.ndarray) and values.dtype == object
            else values
            for name, values in columns.items()
        },
        copy=False,
    )
