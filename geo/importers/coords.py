"""Coordinate checks shared by the importers: missing, out of range, swapped, misplaced."""

from __future__ import annotations

import numpy as np

from geo.importers.codes import COUNTRY_EXTENTS
from geo.importers.columns import Factors, RowChecks

_NO_EXTENT = (np.nan, np.nan, np.nan, np.nan)


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
