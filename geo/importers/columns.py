"""Vectorised column helpers shared by the format importers, and the row-problem collector.

Everything here works on whole columns (numpy ``object`` arrays of ``str``): numbers,
dates and codes are parsed once per distinct value and spread back, so a million rows
cost about as much as their few thousand distinct dates.

* ``Factors`` holds each chunk's factorised columns: the reader's codes for columns it
  read as categories, ``pandas.factorize`` for the others, and the codes a derived
  column was built from, so no column is factorised twice.
* ``by_value``/``by_values`` convert once per distinct value (combination); their
  ``cache`` carries results over to the next chunks of the file, so equal results are
  one shared object in the whole table (strings, and the list cells of ``figures`` and
  ``notes``). ``shared_texts`` and ``raw_columns`` do the same for the file's own
  texts, which also makes later lookups compare strings by identity.
* Strings that are different in (almost) every row (titles, summaries, ids) are built
  with vectorised ``numpy.add`` rather than once per row in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, NamedTuple, TypeVar

import numpy as np
import pandas as pd

from geo.errors import Problem
from geo.importers.csvfile import CsvChunk, dense_codes

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


class Coded(NamedTuple):
    """A column as codes into its distinct values: ``values[codes]``, kept small.

    Converted chunks hand most of their columns over in this form (a byte or two per
    row instead of an 8-byte pointer), and the reader builds each table column once
    from all chunks' codes, so no column is held twice over.
    """

    codes: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)

    def expand(self) -> np.ndarray:
        """The column as an array."""
        return self.values[self.codes]


def coded_constant(size: int, value: object) -> Coded:
    """A column holding ``value`` in every row."""
    values = np.empty(1, dtype=object)
    values[0] = value
    return Coded(np.zeros(size, dtype=np.int8), values)


def coded_choice(mask: np.ndarray, if_true: object, if_false: object) -> Coded:
    """A column of two values, picked by ``mask``."""
    values = np.empty(2, dtype=object)
    values[0], values[1] = if_false, if_true
    return Coded(mask.astype(np.int8), values)


def _small(codes: np.ndarray, count: int) -> np.ndarray:
    """``codes`` in the smallest integer type that holds ``count`` codes."""
    for dtype in (np.int8, np.int16, np.int32):
        if count <= np.iinfo(dtype).max:
            return codes.astype(dtype)
    return codes


def join_columns(pieces: Sequence[np.ndarray | Coded], keep: np.ndarray | None = None) -> np.ndarray:
    """The chunks' pieces of one column as one array (rows ``keep`` only, if given)."""
    if all(isinstance(piece, Coded) for piece in pieces):
        offsets = np.cumsum([0, *(len(piece.values) for piece in pieces[:-1])])
        count = int(offsets[-1]) + len(pieces[-1].values) if pieces else 0
        dtype = np.int32 if count <= np.iinfo(np.int32).max else np.int64
        codes = np.concatenate(
            [piece.codes.astype(dtype) + dtype(offset) for piece, offset in zip(pieces, offsets, strict=True)]
        )
        values = np.concatenate([piece.values for piece in pieces])
        return values[codes if keep is None else codes[keep]]
    arrays = [piece.expand() if isinstance(piece, Coded) else piece for piece in pieces]
    joined = np.concatenate(arrays) if len(arrays) > 1 else arrays[0]
    return joined if keep is None else joined[keep]


class Factors:
    """Factorised columns of one chunk, computed once and reused by every lookup.

    Keyed by the identity of the array (which the cache keeps alive, so the key stays
    valid); ``pandas.factorize`` numbers values in order of first appearance. Arrays
    made by ``by_value``/``by_values`` are registered with the codes they were built
    from, so factorising a derived column costs nothing. Every code 0..n-1 occurs in
    the array, but two codes may stand for equal values (codes need not be minimal).
    """

    def __init__(self) -> None:
        self._cache: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def factorize(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Codes of ``values`` and the value of each code."""
        hit = self._cache.get(id(values))
        if hit is None or hit[0] is not values:
            codes, uniques = pd.factorize(values)
            hit = self._cache[id(values)] = (values, codes, uniques)
        return hit[1], hit[2]

    def codes(self, values: np.ndarray) -> tuple[np.ndarray, int]:
        """Codes of ``values`` and the number of codes."""
        codes, uniques = self.factorize(values)
        return codes, len(uniques)

    def register(self, values: np.ndarray, codes: np.ndarray, uniques: np.ndarray) -> None:
        """Record that ``values`` is ``uniques[codes]``."""
        self._cache[id(values)] = (values, codes, uniques)

    def coded(self, values: np.ndarray | Coded) -> np.ndarray | Coded:
        """``values`` as ``Coded`` when its codes are known (else unchanged)."""
        hit = self._cache.get(id(values))
        if hit is None or hit[0] is not values or values.dtype != object:
            return values
        return Coded(_small(hit[1], len(hit[2])), hit[2])

    def subset(
        self, arrays: dict[str, np.ndarray], keep: np.ndarray
    ) -> tuple[dict[str, np.ndarray], Factors]:
        """The rows ``keep`` of each array, and a ``Factors`` that knows their codes."""
        subset = Factors()
        taken: dict[str, np.ndarray] = {}
        for name, values in arrays.items():
            taken[name] = values[keep]
            hit = self._cache.get(id(values))
            if hit is not None and hit[0] is values:
                # Renumber so that every code occurs (``combination_codes`` needs that).
                codes, used = pd.factorize(hit[1][keep])
                subset.register(taken[name], codes, hit[2][used])
        return taken, subset


def raw_columns(
    chunk: CsvChunk,
    names: Iterable[str],
    factors: Factors,
    shared: dict[str, dict[str, str]] | None = None,
    share: Collection[str] = (),
) -> dict[str, np.ndarray]:
    """The chunk's columns ``names`` (all ``""`` where the file lacks one), by name.

    The codes the reader found for a column (``CsvChunk.codes``) are registered with
    ``factors``, so such a column is never factorised again. The texts of the columns
    in ``share`` are replaced by the equal ones seen in earlier chunks (``shared``:
    column → text → text), so they are one object per file, hash once and compare by
    identity in later lookups.
    """
    columns = {}
    for name in names:
        values = column(chunk.frame, name)
        if name in chunk.codes:
            codes, uniques = chunk.codes[name]
            if shared is not None and name in share:
                table = shared.setdefault(name, {})
                uniques = _array([table.setdefault(text, text) for text in uniques.tolist()], object)
                values = uniques[codes]
            factors.register(values, codes, uniques)
        elif name not in chunk.frame.columns:
            factors.register(values, np.zeros(len(values), dtype=np.intp), np.array([""], dtype=object))
        elif shared is not None and name in share:
            values = shared_texts(values, factors, shared.setdefault(name, {}))
        columns[name] = values
    return columns


def shared_texts(values: np.ndarray, factors: Factors, table: dict[str, str]) -> np.ndarray:
    """``values`` with each text replaced by the equal one met first in the file.

    ``table`` (text → text) lives as long as the file's import: equal texts in
    different chunks become one object (less memory, and lookups keyed by them compare
    by identity instead of character by character).
    """
    return by_value(values, _same, cache=table, factors=factors)


def _same(value: str) -> str:
    return value


def masked(values: np.ndarray, mask: np.ndarray, factors: Factors) -> np.ndarray:
    """``values`` where ``mask``, ``""`` elsewhere (registered, so never factorised).

    For lookups whose result ignores a column in some rows: blanking it there keeps
    those rows from multiplying the distinct combinations.
    """
    codes, uniques = factors.factorize(values)
    uniques = np.concatenate((np.array([""], dtype=object), uniques))
    codes, uniques = dense_codes(np.where(mask, codes + 1, 0), uniques)
    result = uniques[codes]
    factors.register(result, codes, uniques)
    return result


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


def _array(values: list, dtype: Any) -> np.ndarray:
    """A 1-d array of ``values``; with ``object``, lists and tuples stay single cells."""
    if np.dtype(dtype) == object:
        return np.fromiter(values, dtype=object, count=len(values))
    return np.array(values, dtype=dtype)


def _converted(keys: list, convert: Callable[[Any], T], cache: dict[Any, T] | None) -> list[T]:
    """``convert(key)`` for each key, looked up in (and added to) ``cache`` when given.

    Keys are distinct (one per code), so each is hashed once; results are never None.
    """
    if cache is None:
        return list(map(convert, keys))
    found = list(map(cache.get, keys))
    for index, value in enumerate(found):
        if value is None:
            key = keys[index]
            found[index] = cache[key] = convert(key)
    return found


def by_value(
    values: np.ndarray,
    convert: Callable[[Any], T],
    dtype: Any = object,
    cache: dict[Any, T] | None = None,
    factors: Factors | None = None,
) -> np.ndarray:
    """Apply ``convert`` once per distinct value and spread the results back.

    ``cache`` (value → result) carries results over between chunks of one file, so
    equal results are one shared object across the whole file.
    """
    if not len(values):
        return np.empty(0, dtype=dtype)
    codes, uniques = (factors or Factors()).factorize(values)
    converted = _array(_converted(uniques.tolist(), convert, cache), dtype)
    result = converted[codes]
    if factors is not None:
        factors.register(result, codes, converted)
    return result


def by_values(
    arrays: Sequence[np.ndarray],
    convert: Callable[..., T],
    dtype: Any = object,
    factors: Factors | None = None,
    cache: dict[tuple, T] | None = None,
) -> np.ndarray:
    """Apply ``convert(a, b, …)`` once per distinct combination of the arrays' values.

    The result objects are shared between rows with the same combination, which keeps
    repeated strings and lists from costing memory once per row; ``cache`` (tuple of
    values → result) shares them between the chunks of a file too.
    """
    codes, results = _per_combination(arrays, convert, factors, cache)
    converted = _array(results, dtype)
    result = converted[codes]
    if factors is not None:
        factors.register(result, codes, converted)
    return result


def by_values_split(
    arrays: Sequence[np.ndarray],
    convert: Callable[..., tuple],
    outputs: int,
    factors: Factors | None = None,
    cache: dict[tuple, tuple] | None = None,
) -> tuple[np.ndarray, ...]:
    """Like ``by_values`` for a ``convert`` that returns a tuple: one array per item."""
    codes, results = _per_combination(arrays, convert, factors, cache)
    split = []
    for items in zip(*results, strict=True) if results else [()] * outputs:
        converted = _array(list(items), object)
        split.append(converted[codes])
        if factors is not None:
            factors.register(split[-1], codes, converted)
    return tuple(split)


def _per_combination(
    arrays: Sequence[np.ndarray],
    convert: Callable[..., T],
    factors: Factors | None,
    cache: dict[tuple, T] | None,
) -> tuple[np.ndarray, list[T]]:
    """Codes of the rows' combinations and ``convert``'s result for each code."""
    codes, first = combination_codes(arrays, factors)
    columns = [values[first].tolist() for values in arrays]
    if cache is None:
        return codes, list(map(convert, *columns))
    keys = list(zip(*columns, strict=True))
    return codes, _converted(keys, lambda key: convert(*key), cache)


def concatenated(
    arrays: Sequence[np.ndarray], factors: Factors | None = None, cache: dict[str, str] | None = None
) -> np.ndarray:
    """The rows' strings joined (``a + b + …``), built once per distinct combination.

    A vectorised ``by_values(arrays, lambda *parts: "".join(parts))`` for columns whose
    combinations are mostly distinct (titles). ``cache`` (text → the same text) shares
    equal results between the chunks of a file.
    """
    codes, first = combination_codes(arrays, factors)
    joined = arrays[0][first]
    for values in arrays[1:]:
        joined = np.add(joined, values[first])
    if cache is not None:
        joined = _array([cache.setdefault(text, text) for text in joined.tolist()], object)
    result = joined[codes]
    if factors is not None:
        factors.register(result, codes, joined)
    return result


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


_strip = np.frompyfunc(str.strip, 1, 1)


def stripped(values: np.ndarray) -> np.ndarray:
    """Strip surrounding white space from every value."""
    if not len(values):
        return np.empty(0, dtype=object)
    return _strip(values)


def prefixed(prefix: str, values: np.ndarray) -> np.ndarray:
    """``prefix + value`` for every value (a vectorised string concatenation)."""
    if not len(values):
        return np.empty(0, dtype=object)
    return np.add(np.array(prefix, dtype=object), values)


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
    return np.where(np.isfinite(parsed), parsed, np.nan)[codes]


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
    """Parse death counts: (value, or -1 when empty or bad; mask of non-empty non-counts)."""
    parsed = few_numbers(values, factors)
    empty = by_value(values, lambda text: not text.strip(), dtype=bool, factors=factors)
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(parsed) & (parsed >= 0) & (parsed == np.round(parsed))
    return np.where(whole, parsed, -1).astype(np.int64), ~empty & ~whole


def _integer_code(value: str) -> int:
    number = _number(value)
    if np.isfinite(number) and number.is_integer() and abs(number) < 2**31:
        return int(number)
    return -1


def integer_codes(values: np.ndarray, factors: Factors | None = None) -> np.ndarray:
    """Parse small integer codes ('1', ' 2', '3.0'); anything else becomes -1."""
    return by_value(values, _integer_code, dtype=np.int64, factors=factors)


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

    def _texts(self, keys: np.ndarray, unit: str) -> np.ndarray:
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
            table[new] = np.datetime_as_string((new + base).astype(f"datetime64[{unit}]"), unit=unit).astype(
                object
            )
            texts = table[index]
        return texts

    def _by_dictionary(self, keys: np.ndarray, unit: str) -> np.ndarray:
        codes, uniques = pd.factorize(keys)
        found = [self._fallback.get((unit, key)) for key in uniques.tolist()]
        missing = [key for key, text in zip(uniques.tolist(), found, strict=True) if text is None]
        if missing:
            text = np.datetime_as_string(np.array(missing).astype(f"datetime64[{unit}]"), unit=unit).tolist()
            self._fallback.update(((unit, key), value) for key, value in zip(missing, text, strict=True))
        return _array([self._fallback[(unit, key)] for key in uniques.tolist()], object)[codes]


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
