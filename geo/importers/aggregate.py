"""Aggregate imported events into one row per area, period and category.

ACLED's terms forbid giving others access to raw ACLED rows, so a published map should
show ACLED data as aggregates: counts and summed deaths per province and month, with no
notes, actors or event ids. ``aggregate_table`` returns such rows in the event-table
form, so the page treats them like any other event (``precision_kind = "area"``).
"""

from __future__ import annotations

import calendar
import math
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import UsageError
from geo.importers.codes import COUNTRY_NAMES
from geo.importers.factors import by_value, combination_codes, constant
from geo.importers.parsing import month_bounds, year_bounds
from geo.table import EVENT_COLUMNS, empty_table
from geo.taxonomy import BY_ID

Period = Literal["month", "year"]
_UNKNOWN_AREA = "an unknown area"


def aggregate_table(
    table: pd.DataFrame,
    areas: gpd.GeoDataFrame | None,
    period: Period = "month",
    *,
    id_column: str = "id",
    name_column: str = "name",
    countries: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Aggregate events into one row per dataset × area × period × category.

    Parameters
    ----------
    table : pandas.DataFrame
        An event table (``ImportResult.table``), possibly several concatenated.
    areas : geopandas.GeoDataFrame or None
        Polygons to count events in (the basemap provinces: ``id`` = ISO 3166-2,
        ``name``). Events inside none of them, or all events when ``None``, fall back
        to their country, as do events whose point only stands for an area wider than a
        province (a country's centroid, UCDP ``where_prec`` 5-7).
    period : {"month", "year"}
        The time bucket. Events known only to the year land in a year bucket even when
        ``period`` is ``"month"``.
    id_column, name_column : str
        The columns of ``areas`` (and ``countries``) holding the feature id and name.
    countries : geopandas.GeoDataFrame, optional
        Country polygons with ``id_column`` = ISO3, used for the marker of the country
        fallback; without them the marker is the mean position of the events.

    Returns
    -------
    pandas.DataFrame
        An event table (``EVENT_COLUMNS`` only, no ``orig:`` columns) with
        ``precision_kind = "area"``, the point at the area's representative point, the
        count in the title and summary, and the summed deaths as a figure (qualified
        "at least" when some events have no figure).

    Raises
    ------
    UsageError
        ``period`` is not "month" or "year", or an areas frame lacks the id/name column.
    """
    if period not in ("month", "year"):
        raise UsageError(f"aggregation period {period!r} is not supported; expected 'month' or 'year'")
    if not len(table):
        return empty_table()
    size = len(table)
    lon = table["lon"].to_numpy(dtype=np.float64)
    lat = table["lat"].to_numpy(dtype=np.float64)
    country = by_value(table["country"].to_numpy(dtype=object), lambda text: text.split(";")[0])
    area_id = constant(size, "")
    area_name = constant(size, "")
    points: dict[str, tuple[float, float]] = {}
    if areas is not None and len(areas):
        placed = ~_wider_than_province(table, country)
        area_id[placed], area_name[placed], points = _locate(
            lon[placed], lat[placed], _prepared(areas, id_column, name_column)
        )
    fallback = area_id == ""
    area_id[fallback] = country[fallback]
    area_name[fallback] = by_value(
        country[fallback], lambda code: COUNTRY_NAMES.get(code, code) or _UNKNOWN_AREA
    )
    if countries is not None and len(countries):
        country_points = _representative_points(_prepared(countries, id_column, name_column))
        points.update({code: point for code, point in country_points.items() if code not in points})

    bucket, bucket_precision = _buckets(table["date"].to_numpy(dtype=object), period)
    frame = pd.DataFrame(
        {
            "dataset": table["dataset"].to_numpy(dtype=object),
            "area_id": area_id,
            "area_name": area_name,
            "bucket": bucket,
            "category": table["category"].to_numpy(dtype=object),
            "country": country,
            "source": table["source"].to_numpy(dtype=object),
            "lon": lon,
            "lat": lat,
            "deaths": _deaths(table["figures"]),
        }
    )
    frame["precision"] = bucket_precision
    codes, _ = combination_codes(
        [frame[key].to_numpy(dtype=object) for key in ("dataset", "area_id", "bucket", "category")]
    )
    grouped = frame.groupby(codes, sort=True)
    summary = grouped.agg(
        dataset=("dataset", "first"),
        area_id=("area_id", "first"),
        area_name=("area_name", "first"),
        bucket=("bucket", "first"),
        precision=("precision", "first"),
        category=("category", "first"),
        events=("dataset", "size"),
        deaths=("deaths", "sum"),
        known=("deaths", "count"),
        lon=("lon", "mean"),
        lat=("lat", "mean"),
    )
    summary["countries"] = _distinct_per_group(codes, country, len(summary), ";", sort=True)
    summary["sources"] = _distinct_per_group(
        codes, frame["source"].to_numpy(dtype=object), len(summary), "; "
    )
    rows = [_row(record, points) for record in summary.itertuples(index=False)]
    result = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    result = result.sort_values(["start_day", "area", "category"], kind="stable")
    return result.reset_index(drop=True)


def _distinct_per_group(
    codes: np.ndarray, values: np.ndarray, groups: int, separator: str, *, sort: bool = False
) -> list[str]:
    """The distinct non-empty values of each group (codes 0..groups-1), joined."""
    pairs = pd.DataFrame({"group": codes, "value": values}).drop_duplicates()
    found: list[list[str]] = [[] for _ in range(groups)]
    for group, value in zip(pairs["group"].to_numpy(), pairs["value"].to_numpy(dtype=object), strict=True):
        if value:
            found[group].append(value)
    return [separator.join(sorted(items) if sort else items) for items in found]


def _wider_than_province(table: pd.DataFrame, country: np.ndarray) -> np.ndarray:
    """Rows whose point is a placeholder for an area wider than a province.

    Their point (a country's centroid, a point between provinces) says nothing about
    which province the event was in, so they are counted in their country: ``area``
    rows whose ``area_ref`` is their country code, and UCDP rows with ``where_prec``
    5 (part of a country), 6 (country) or 7 (water, airspace).
    """
    kind = table["precision_kind"].to_numpy(dtype=object)
    area_ref = table["area_ref"].to_numpy(dtype=object)
    wider = (kind == "area") & (area_ref == country) & (area_ref != "")
    where = "orig:UCDP where_prec"
    if where in table.columns:
        wider |= np.isin(table[where].to_numpy(dtype=object), ("5", "6", "7"))
    result: np.ndarray = wider
    return result


def _prepared(frame: gpd.GeoDataFrame, id_column: str, name_column: str) -> gpd.GeoDataFrame:
    missing = [column for column in (id_column, name_column) if column not in frame.columns]
    if missing:
        raise UsageError(
            f"the areas GeoDataFrame has no column {missing[0]!r}; expected feature ids in "
            f"{id_column!r} and names in {name_column!r} (columns: {list(frame.columns)})"
        )
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    prepared = frame[[id_column, name_column, frame.geometry.name]].copy()
    prepared.columns = ["area_id", "area_name", "geometry"]
    prepared = prepared.set_geometry("geometry")
    prepared["area_id"] = prepared["area_id"].astype(str)
    prepared["area_name"] = prepared["area_name"].astype(str)
    return prepared[~prepared.geometry.is_empty & prepared.geometry.notna()]


def _locate(
    lon: np.ndarray, lat: np.ndarray, areas: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray, dict[str, tuple[float, float]]]:
    """The area each point falls in (``""`` for none), looked up once per distinct point.

    A point inside several (overlapping) areas goes to the first of them.
    """
    codes, first = combination_codes([lon, lat])
    points = shapely.points(lon[first], lat[first])
    tree = shapely.STRtree(areas.geometry.to_numpy())
    point_index, area_index = tree.query(points, predicate="within")
    order = np.lexsort((area_index, point_index))
    point_index, area_index = point_index[order], area_index[order]
    firsts = np.ones(len(point_index), dtype=bool)
    firsts[1:] = point_index[1:] != point_index[:-1]
    found = np.full(len(first), len(areas), dtype=np.int64)
    found[point_index[firsts]] = area_index[firsts]
    ids = np.append(areas["area_id"].to_numpy(dtype=object), "")
    names = np.append(areas["area_name"].to_numpy(dtype=object), "")
    return ids[found][codes], names[found][codes], _representative_points(areas)


def _representative_points(areas: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    points = areas.geometry.representative_point()
    return {
        area: (point.x, point.y)
        for area, point in zip(areas["area_id"], points, strict=True)
        if area not in ("", "nan")
    }


def _buckets(dates: np.ndarray, period: Period) -> tuple[np.ndarray, np.ndarray]:
    """The period key of each ISO date (``2024-12`` or ``2024``) and its precision."""
    size = 7 if period == "month" else 4
    bucket = by_value(dates, lambda text: text[:size] if len(text) >= size else text[:4])
    precision = by_value(bucket, lambda key: "month" if len(key) == 7 else "year")
    return bucket, precision


def _deaths(figures: pd.Series) -> np.ndarray:
    """The first ``deaths`` figure of each row, NaN when there is none."""
    cache: dict[int, float] = {}
    values = np.empty(len(figures), dtype=np.float64)
    for index, items in enumerate(figures.to_numpy(dtype=object)):
        key = id(items)
        value = cache.get(key)
        if value is None:
            value = math.nan
            for figure in items if isinstance(items, list) else ():
                if figure.get("kind") == "deaths" and figure.get("value") is not None:
                    value = float(figure["value"])
                    break
            cache[key] = value
        values[index] = value
    return values


def _period_label(key: str) -> str:
    if len(key) == 7:
        return f"{calendar.month_name[int(key[5:7])]} {key[:4]}"
    return key


def _period_days(key: str) -> tuple[int, int]:
    day = np.array([np.datetime64(key + "-01" if len(key) == 7 else key + "-01-01", "D")])
    day = day.astype(np.int64)
    first, last = month_bounds(day) if len(key) == 7 else year_bounds(day)
    return int(first[0]), int(last[0])


def _row(record: Any, points: dict[str, tuple[float, float]]) -> dict[str, Any]:
    dataset, events = record.dataset, int(record.events)
    area = record.area_name or _UNKNOWN_AREA
    label = BY_ID[record.category].label if record.category in BY_ID else record.category
    when = _period_label(record.bucket)
    plural = "s" if events != 1 else ""
    missing = events - int(record.known)
    lon, lat = points.get(record.area_id, (float(record.lon), float(record.lat)))
    figures = []
    if record.known:
        figures.append(
            {
                "kind": "deaths",
                "value": int(record.deaths),
                "qualifier": "at least" if missing else None,
                "reported_by": f"sum of {dataset} figures",
                "note": f"{missing} of the {events} events have no figure" if missing else None,
            }
        )
    deaths_text = f"{int(record.deaths):,} deaths reported in total" if record.known else "no deaths figure"
    if record.known and missing:
        deaths_text += f" ({missing} event{'s' if missing != 1 else ''} without a figure)"
    notes = [
        f"An aggregate of {events} {dataset} event{plural}: individual events, actors and "
        "source notes are not shown."
    ]
    if dataset == "ACLED":
        notes.append("ACLED's terms do not allow redistributing its raw event data.")
    start_day, end_day = _period_days(record.bucket)
    slug = dataset.lower().replace(" ", "-")
    return {
        "id": f"agg:{slug}:{record.area_id or 'unknown'}:{record.bucket}:{record.category}",
        "title": f"{events} {dataset} event{plural} ({label}), {area}, {when}",
        "summary": (
            f"{events} {dataset} event{plural} of the kind '{label}' in {area} in {when}; {deaths_text}."
        ),
        "date": record.bucket,
        "date_precision": record.precision,
        "end_date": "",
        "start_day": start_day,
        "end_day": end_day,
        "category": record.category,
        "country": record.countries,
        "place": area,
        "lon": float(lon),
        "lat": float(lat),
        "precision_kind": "area",
        "radius_km": float("nan"),
        "area": area,
        "area_ref": record.area_id,
        "layers": "",
        "source": f"{record.sources}, aggregated by frontier-map",
        "figures": figures,
        "claims": [],
        "notes": notes,
        "dataset": dataset,
    }
