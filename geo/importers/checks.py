"""Row checks: collect row problems (the row is skipped) and notices (the row is kept).

``RowChecks`` gathers them per chunk, naming the physical line (or, for a DataFrame,
the row); ``coordinate_checks`` holds the coordinate rules every format shares.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from geo.errors import Problem
from geo.importers.codes import COUNTRY_EXTENTS
from geo.importers.factors import Factors

_NO_EXTENT = (np.nan, np.nan, np.nan, np.nan)


def expected_got(expected: str, values: np.ndarray) -> Callable[[int], str]:
    """A ``RowChecks.fail`` message: ``expected <expected>, got '<the row's value>'``."""
    return lambda row: f"expected {expected}, got {values[row]!r}"


class RowChecks:
    """Collect row problems (the row is skipped) and notices (the row is kept).

    Parameters
    ----------
    file : str
        File name used in every problem.
    lines : numpy.ndarray
        Physical line of each row (for a DataFrame: its position).
    unit : str, optional
        What ``lines`` count: ``"line"`` (a file) or ``"row"`` (a DataFrame).
    """

    def __init__(self, file: str, lines: np.ndarray, unit: str = "line") -> None:
        self.file = file
        self.lines = lines
        self.unit = unit
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
        return Problem(self.file, f"{self.unit} {int(self.lines[row])}", field, message)


def coordinate_checks(
    check: RowChecks,
    lat: np.ndarray,
    lon: np.ndarray,
    lat_text: np.ndarray,
    lon_text: np.ndarray,
    country: np.ndarray,
    factors: Factors | None = None,
) -> None:
    """Report bad coordinates in the ``latitude``/``longitude`` columns.

    Problems (row skipped): a missing or non-numeric value; a latitude outside
    -90..90 or a longitude outside -180..180; both exactly 0 (a placeholder for "no
    location"); a point outside its country's extent that falls inside it once latitude
    and longitude are exchanged (a likely swap). Notice (row kept): a point outside its
    country's extent that a swap does not explain. ``factors`` holds the chunk's
    factorised columns (``country`` among them), when the caller has them.
    """
    check.fail(
        np.isnan(lat),
        "latitude",
        lambda i: f"expected a latitude in decimal degrees, got {lat_text[i]!r}",
    )
    check.fail(
        np.isnan(lon),
        "longitude",
        lambda i: f"expected a longitude in decimal degrees, got {lon_text[i]!r}",
    )
    with np.errstate(invalid="ignore"):
        lat_out = np.abs(lat) > 90
        lon_out = np.abs(lon) > 180
        swapped_range = lat_out & (np.abs(lat) <= 180) & (np.abs(lon) <= 90)
    check.fail(
        lat_out,
        "latitude",
        lambda i: (
            f"expected a latitude between -90 and 90, got {lat_text[i]!r}"
            + (
                f" (with longitude {lon_text[i]!r}: latitude and longitude look swapped)"
                if swapped_range[i]
                else ""
            )
        ),
    )
    check.fail(
        lon_out, "longitude", lambda i: f"expected a longitude between -180 and 180, got {lon_text[i]!r}"
    )
    check.fail(
        (lat == 0) & (lon == 0),
        "latitude",
        lambda i: (
            "latitude and longitude are both 0, a placeholder for a missing location; "
            "expected the event's coordinates"
        ),
    )
    codes, uniques = (factors or Factors()).factorize(country)
    extents = np.array([COUNTRY_EXTENTS.get(code, _NO_EXTENT) for code in uniques.tolist()], dtype=np.float64)
    west, south, east, north = extents.reshape(-1, 4)[codes].T  # one lookup per distinct country
    with np.errstate(invalid="ignore"):
        known = ~np.isnan(west) & ~check.bad
        inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        swapped = (lat >= west) & (lat <= east) & (lon >= south) & (lon <= north)
    check.fail(
        known & ~inside & swapped,
        "latitude",
        lambda i: (
            f"latitude {lat_text[i]!r} and longitude {lon_text[i]!r} look swapped: the point "
            f"lies outside {country[i]} but inside it once they are exchanged; expected a "
            f"latitude between {south[i]:g} and {north[i]:g}"
        ),
    )
    check.notice(
        known & ~inside & ~swapped,
        "latitude",
        lambda i: (
            f"the point (latitude {lat_text[i]!r}, longitude {lon_text[i]!r}) lies outside "
            f"{country[i]}'s extent; kept as given"
        ),
        kind="outside country",
    )
