"""Factor caching: convert each distinct value (or combination) once and share the results.

Everything here works on whole columns (numpy ``object`` arrays of ``str``): a million
rows cost about as much as their few thousand distinct values.

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
* ``Coded`` columns (codes into distinct values) are how converted chunks hand their
  columns to the reader, which joins them with ``join_columns``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, NamedTuple, TypeVar

import numpy as np
import pandas as pd

from geo.importers.csvfile import CsvChunk, dense_codes

T = TypeVar("T")


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
        expanded: np.ndarray = self.values[self.codes]
        return expanded


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
    coded = [piece for piece in pieces if isinstance(piece, Coded)]
    if len(coded) == len(pieces):
        offsets = np.cumsum([0, *(len(piece.values) for piece in coded[:-1])])
        count = int(offsets[-1]) + len(coded[-1].values) if coded else 0
        dtype = np.int32 if count <= np.iinfo(np.int32).max else np.int64
        codes = np.concatenate(
            [
                piece.codes.astype(dtype) + offset
                for piece, offset in zip(coded, offsets.tolist(), strict=True)
            ]
        )
        values = np.concatenate([piece.values for piece in coded])
        taken: np.ndarray = values[codes if keep is None else codes[keep]]
        return taken
    arrays = [piece.expand() if isinstance(piece, Coded) else piece for piece in pieces]
    joined: np.ndarray = np.concatenate(arrays) if len(arrays) > 1 else arrays[0]
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
    result: np.ndarray = uniques[codes]
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


def _array(values: Sequence[Any], dtype: Any) -> np.ndarray:
    """A 1-d array of ``values``; with ``object``, lists and tuples stay single cells."""
    if np.dtype(dtype) == object:
        return np.fromiter(values, dtype=object, count=len(values))
    return np.array(values, dtype=dtype)


def _converted(keys: Sequence[Any], convert: Callable[[Any], T], cache: dict[Any, T] | None) -> list[T]:
    """``convert(key)`` for each key, looked up in (and added to) ``cache`` when given.

    Keys are distinct (one per code), so each is hashed once; results are never None.
    """
    if cache is None:
        return list(map(convert, keys))
    found: list[Any] = list(map(cache.get, keys))
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
    result: np.ndarray = converted[codes]
    if factors is not None:
        factors.register(result, codes, converted)
    return result


def by_values(
    arrays: Sequence[np.ndarray],
    convert: Callable[..., T],
    dtype: Any = object,
    factors: Factors | None = None,
    cache: dict[tuple[Any, ...], T] | None = None,
) -> np.ndarray:
    """Apply ``convert(a, b, …)`` once per distinct combination of the arrays' values.

    The result objects are shared between rows with the same combination, which keeps
    repeated strings and lists from costing memory once per row; ``cache`` (tuple of
    values → result) shares them between the chunks of a file too.
    """
    codes, results = _per_combination(arrays, convert, factors, cache)
    converted = _array(results, dtype)
    result: np.ndarray = converted[codes]
    if factors is not None:
        factors.register(result, codes, converted)
    return result


def by_values_split(
    arrays: Sequence[np.ndarray],
    convert: Callable[..., tuple[Any, ...]],
    outputs: int,
    factors: Factors | None = None,
    cache: dict[tuple[Any, ...], tuple[Any, ...]] | None = None,
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
    cache: dict[tuple[Any, ...], T] | None,
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
    result: np.ndarray = joined[codes]
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
