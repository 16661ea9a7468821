"""Parse columns of text: numbers, codes, counts and dates, once per distinct value.

Every parser takes a column (a numpy ``object`` array of ``str``) and returns a numpy
array; what cannot be parsed becomes a sentinel (NaN, -1, ``NO_DAY``) that the format
importers turn into row problems. Nothing here raises for bad text: ``inf``, ``NaN``,
``1e400`` or a 20-digit number are just values that do not parse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from geo.importers.factors import Factors, _array, by_value

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
# A calendar unit of ``numpy.datetime64``: day, month or year.
Unit = Literal["D", "M", "Y"]
# The largest death count one event row may give; more is taken as a data error.
MAX_COUNT = 10_000_000
DEATHS_EXPECTED = f"a whole number of deaths from 0 to {MAX_COUNT:,}, or nothing"


_strip = np.frompyfunc(str.strip, 1, 1)


def stripped(values: np.ndarray) -> np.ndarray:
    """Strip surrounding white space from every value."""
    if not len(values):
        return np.empty(0, dtype=object)
    result: np.ndarray = _strip(values)
    return result


def prefixed(prefix: str, values: np.ndarray) -> np.ndarray:
    """``prefix + value`` for every value (a vectorised string concatenation)."""
    if not len(values):
        return np.empty(0, dtype=object)
    result: np.ndarray = np.add(np.array(prefix, dtype=object), values)
    return result


def numbers(values: np.ndarray, factors: Factors | None = None) -> np.ndarray:
    """Parse numbers; anything that is not a finite number becomes NaN.

    Each distinct text is parsed once (coordinates repeat: events cluster at places).
    """
    if not len(values):
        return np.empty(0, dtype=np.float64)
    codes, uniques = (factors or Factors()).factorize(values)
    parsed = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    finite: np.ndarray = np.where(np.isfinite(parsed), parsed, np.nan)[codes]
    return finite


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return np.nan
    return number if np.isfinite(number) else np.nan


def few_numbers(values: np.ndarray, factors: Factors | None = None) -> np.ndarray:
    """Parse numbers in a column with few distinct values (codes, counts): NaN if not finite."""
    return by_value(values, _number, dtype=np.float64, factors=factors)


def death_counts(values: np.ndarray, factors: Factors) -> tuple[np.ndarray, np.ndarray]:
    """Parse death counts: (value, or -1 when empty or bad; mask of non-empty non-counts).

    A count is a whole number from 0 to ``MAX_COUNT``; anything else that is not empty
    (``inf``, ``NaN``, ``-1``, ``2.5``, ``9223372036854775808``) is not a count.
    """
    parsed = few_numbers(values, factors)
    empty = by_value(values, lambda text: not text.strip(), dtype=bool, factors=factors)
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(parsed) & (parsed >= 0) & (parsed == np.round(parsed)) & (parsed <= MAX_COUNT)
    return np.where(whole, parsed, -1).astype(np.int64), ~empty & ~whole


def integer_code(value: str) -> int:
    """A small integer code ('1', ' 2', '3.0'); -1 for anything else (``inf`` and ``NaN`` too)."""
    number = _number(value)
    if np.isfinite(number) and number.is_integer() and abs(number) < 2**31:
        return int(number)
    return -1


def integer_codes(values: np.ndarray, factors: Factors | None = None) -> np.ndarray:
    """Parse small integer codes ('1', ' 2', '3.0'); anything else becomes -1."""
    return by_value(values, integer_code, dtype=np.int64, factors=factors)


def is_number(value: str) -> bool:
    """Whether the text reads as a number at all (``inf``, ``NaN`` and ``1e400`` do)."""
    try:
        float(value)
    except ValueError:
        return False
    return True


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


def day_numbers(
    values: np.ndarray,
    *,
    text: bool = False,
    cache: dict[str, int] | None = None,
    factors: Factors | None = None,
) -> np.ndarray:
    """Parse dates into days since 1970-01-01; ``NO_DAY`` where they do not parse.

    Accepts ``YYYY-MM-DD`` (optionally followed by a time, as UCDP writes
    ``2024-12-25 00:00:00.000``) and, with ``text``, ``25 December 2024``,
    ``25 Dec 2024`` or ``25-Dec-2024``. ``cache`` carries parsed dates between chunks.
    """
    patterns = ("iso", "text") if text else ("iso",)
    return by_value(values, lambda value: _day(value, patterns), dtype=np.int64, cache=cache, factors=factors)


class DayTexts:
    """``YYYY-MM-DD``, ``YYYY-MM`` and ``YYYY`` texts of day numbers for one file.

    Each text is made once per file and shared by every row it belongs to; the texts
    are kept in arrays indexed by day (month, year), so a chunk's rows are looked up
    with one ``numpy.take`` instead of a dictionary lookup per distinct day.
    """

    _SPAN = 400_000  # days kept in one table; a wider file falls back to a dictionary

    def __init__(self) -> None:
        self._tables: dict[str, tuple[int, np.ndarray]] = {}
        self._fallback: dict[tuple[str, int], str] = {}

    def days(self, days: np.ndarray) -> np.ndarray:
        """``YYYY-MM-DD`` for each day number."""
        return self._texts(days, "D")

    def months(self, days: np.ndarray) -> np.ndarray:
        """``YYYY-MM`` of each day number's month."""
        return self._texts(days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64), "M")

    def years(self, days: np.ndarray) -> np.ndarray:
        """``YYYY`` of each day number's year."""
        return self._texts(days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64), "Y")

    def _texts(self, keys: np.ndarray, unit: Unit) -> np.ndarray:
        if not len(keys):
            return np.empty(0, dtype=object)
        low, high = int(keys.min()), int(keys.max())
        base, table = self._tables.get(unit, (low, np.empty(0, dtype=object)))
        start, end = min(base, low), max(base + len(table), high + 1)
        if end - start > self._SPAN:
            return self._by_dictionary(keys, unit)
        if (start, end) != (base, base + len(table)):
            grown = np.empty(end - start, dtype=object)
            grown[base - start : base - start + len(table)] = table
            base, table = start, grown
            self._tables[unit] = (base, table)
        index = keys - base
        texts = table[index]
        missing = pd.isna(texts)
        if missing.any():
            new = np.unique(index[missing])
            table[new] = _as_text((new + base).astype(f"datetime64[{unit}]"), unit)
            texts = table[index]
        result: np.ndarray = texts
        return result

    def _by_dictionary(self, keys: np.ndarray, unit: Unit) -> np.ndarray:
        codes, uniques = pd.factorize(keys)
        found = [self._fallback.get((unit, key)) for key in uniques.tolist()]
        missing = [key for key, text in zip(uniques.tolist(), found, strict=True) if text is None]
        if missing:
            text = _as_text(np.array(missing).astype(f"datetime64[{unit}]"), unit).tolist()
            self._fallback.update(((unit, key), value) for key, value in zip(missing, text, strict=True))
        result: np.ndarray = _array([self._fallback[(unit, key)] for key in uniques.tolist()], object)[codes]
        return result


def _as_text(days: np.ndarray, unit: Unit) -> np.ndarray:
    """ISO texts of ``datetime64`` values at ``unit`` (``D``, ``M`` or ``Y``), as ``object``."""
    dates: npt.NDArray[np.datetime64] = days
    texts: np.ndarray = np.datetime_as_string(dates, unit=unit).astype(object)
    return texts


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
