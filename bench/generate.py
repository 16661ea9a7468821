"""Synthetic ACLED and UCDP GED CSV files in the real column layouts, fast and cached.

Rows are drawn with numpy from a fixed seed, so a size always gives the same file.
Events sit at a fixed set of about 20,000 places (real provinces and districts, made-up
villages) with a skewed popularity, as real event data does; the free text (ACLED
``notes``, UCDP headlines and sources) is built per row from a few hundred words, a
hundred-odd names and numbers, so it compresses about as badly as real notes.

Files are named ``<format>_<size>_<digest>.csv``; the digest covers the seed, the size
and this module's source, so a file is reused only when it would come out the same.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import places, vocab

Kind = Literal["acled", "ucdp"]
SEED = 20_251_124
OUT_DIR = Path(__file__).resolve().parent / "out" / "data"
N_PLACES = 20_000
FIRST_DAY = dt.date(1989, 1, 1)
LAST_DAY = dt.date(2025, 10, 31)
_EPOCH = dt.date(1970, 1, 1)


def _fields(text: str) -> tuple[str, ...]:
    """The comma-separated names of a CSV header."""
    return tuple(text.split(","))


ACLED_COLUMNS: tuple[str, ...] = _fields(
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
)
UCDP_COLUMNS: tuple[str, ...] = _fields(
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,"
    "country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
)
# Boxes the points are kept in: inside the brief's frontier box and inside the
# importer's generous country extents, so no row draws an "outside country" notice.
_BOXES = {"AFG": (60.5, 29.4, 75.0, 37.5), "PAK": (60.9, 24.0, 75.0, 37.1)}
_COUNTRY_NAME = {"AFG": "Afghanistan", "PAK": "Pakistan"}
_COUNTRY_CENTRE = {"AFG": (66.0, 33.9), "PAK": (69.35, 30.0)}
_GW = {"AFG": 700, "PAK": 770}


def size_label(rows: int) -> str:
    """``1000`` → ``1k``, ``1000000`` → ``1M``."""
    if rows >= 1_000_000 and rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}M"
    if rows >= 1000 and rows % 1000 == 0:
        return f"{rows // 1000}k"
    return str(rows)


def parse_size(text: str) -> int:
    """``10k`` → 10000, ``1M`` → 1000000, ``2500`` → 2500."""
    text = text.strip()
    factor = {"k": 1000, "K": 1000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor > 1 else text
    return int(float(number) * factor)


def _digest(kind: Kind, rows: int) -> str:
    here = Path(__file__).resolve().parent
    hasher = hashlib.sha256(f"{kind}:{rows}:{SEED}".encode())
    for name in ("generate.py", "places.py", "vocab.py"):
        hasher.update((here / name).read_bytes())
    return hasher.hexdigest()[:10]


def data_path(kind: Kind, rows: int, out_dir: Path = OUT_DIR) -> Path:
    """Where the file of this format and size lives (whether or not it exists yet)."""
    name = "GEDEvent_v24_1" if kind == "ucdp" else "acled"
    return out_dir / f"{name}_{size_label(rows)}_{_digest(kind, rows)}.csv"


def ensure(kind: Kind, rows: int, out_dir: Path = OUT_DIR) -> tuple[Path, float]:
    """The file of this format and size, generated unless already there.

    Returns the path and the seconds spent generating (0.0 when cached).
    """
    path = data_path(kind, rows, out_dir)
    if path.is_file():
        return path, 0.0
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(path.name.rsplit("_", 1)[0] + "_*.csv"):
        stale.unlink()
    start = time.perf_counter()
    columns = acled_columns(rows) if kind == "acled" else ucdp_columns(rows)
    write_csv(path, columns)
    return path, time.perf_counter() - start


def write_csv(path: Path, columns: dict[str, Any]) -> None:
    """Write columns (arrays or lists of equal length) as a CSV file, atomically."""
    tmp = path.with_suffix(".tmp")
    lists = [col.tolist() if isinstance(col, np.ndarray) else list(col) for col in columns.values()]
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(columns))
        writer.writerows(zip(*lists, strict=True))
    tmp.replace(path)


@dataclass(frozen=True)
class _Places:
    """The fixed set of event locations every file draws from."""

    country: np.ndarray
    province: np.ndarray  # index into places.PROVINCES
    admin1: np.ndarray
    admin2: np.ndarray
    name: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    weight: np.ndarray


def _places() -> _Places:
    rng = np.random.default_rng(SEED)
    provinces = places.PROVINCES
    province_weight = np.array([p.weight for p in provinces])
    province = rng.choice(len(provinces), size=N_PLACES, p=province_weight / province_weight.sum())
    district_count = np.array([len(p.districts) for p in provinces])
    district = (rng.random(N_PLACES) * district_count[province]).astype(np.int64)
    centre = np.array(
        [
            [p.districts[d][1], p.districts[d][2]]
            for p, d in zip((provinces[i] for i in province), district, strict=True)
        ]
    )
    lon = centre[:, 0] + rng.normal(0, 0.2, N_PLACES)
    lat = centre[:, 1] + rng.normal(0, 0.2, N_PLACES)
    country = np.array([provinces[i].country for i in province], dtype=object)
    for code, (west, south, east, north) in _BOXES.items():
        mine = country == code
        lon[mine] = np.clip(lon[mine], west, east)
        lat[mine] = np.clip(lat[mine], south, north)
    heads = np.array(vocab.PLACE_HEADS, dtype=object)
    tails = np.array(vocab.PLACE_TAILS, dtype=object)
    name = heads[rng.integers(0, len(heads), N_PLACES)] + tails[rng.integers(0, len(tails), N_PLACES)]
    second = rng.random(N_PLACES) < 0.3
    name[second] = name[second] + " " + heads[rng.integers(0, len(heads), int(second.sum()))]
    # The first place of each district is the district town itself.
    admin2 = np.array(
        [provinces[i].districts[d][0] for i, d in zip(province, district, strict=True)], dtype=object
    )
    _, first = np.unique(province * 100 + district, return_index=True)
    name[first] = admin2[first]
    lon[first], lat[first] = centre[first, 0], centre[first, 1]
    weight = 1.0 / (rng.permutation(N_PLACES) + 10.0) ** 0.9
    weight[first] *= 20
    return _Places(
        country=country,
        province=province,
        admin1=np.array([provinces[i].name for i in province], dtype=object),
        admin2=admin2,
        name=name,
        lon=lon,
        lat=lat,
        weight=weight / weight.sum(),
    )


def _days(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Day numbers (since 1970) from 1989 to 2025, more of them in later years."""
    first = (FIRST_DAY - _EPOCH).days
    span = (LAST_DAY - FIRST_DAY).days
    return first + (span * rng.random(rows) ** 0.6).astype(np.int64)


def _format_days(days: np.ndarray, fmt: str) -> np.ndarray:
    """``strftime(fmt)`` per day, computed once per distinct day."""
    codes, uniques = pd.factorize(days)
    text = np.array([(_EPOCH + dt.timedelta(days=int(day))).strftime(fmt) for day in uniques], dtype=object)
    return text[codes]


def _long_dates(days: np.ndarray) -> np.ndarray:
    """``3 December 2024`` (no leading zero), as ACLED writes dates in notes."""
    codes, uniques = pd.factorize(days)
    text = []
    for day in uniques:
        date = _EPOCH + dt.timedelta(days=int(day))
        text.append(f"{date.day} {date.strftime('%B %Y')}")
    return np.array(text, dtype=object)[codes]


def _pick(rng: np.random.Generator, values: Sequence[str], rows: int) -> np.ndarray:
    return np.array(values, dtype=object)[rng.integers(0, len(values), rows)]


def _words(rng: np.random.Generator, counts: np.ndarray) -> list[str]:
    """Per row, ``counts[i]`` random words (with names and numbers mixed in), joined."""
    words = np.array(vocab.WORDS, dtype=object)
    most = int(counts.max()) if len(counts) else 0
    matrix = words[rng.integers(0, len(words), (len(counts), most))]
    # A name or a number in about one word of eight, a comma after about one in ten.
    names = np.array([f"{f} {s}" for f in vocab.FIRST_NAMES for s in vocab.LAST_NAMES], dtype=object)
    comma = rng.random(matrix.shape) < 1 / 10
    matrix[comma] = matrix[comma] + ","
    special = rng.random(matrix.shape) < 1 / 8
    count = int(special.sum())
    numbers = rng.integers(2, 400, count).astype(str).astype(object)
    matrix[special] = np.where(rng.random(count) < 0.5, names[rng.integers(0, len(names), count)], numbers)
    return [" ".join(row[:n]) for row, n in zip(matrix.tolist(), counts.tolist(), strict=True)]


def _sentences(
    rng: np.random.Generator, rows: int, base_length: np.ndarray, low: int, high: int
) -> np.ndarray:
    """Filler sentences taking each row's text to a random length in ``[low, high]``."""
    target = rng.integers(low, high + 1, rows)
    counts = np.clip((target - base_length - 45) // 8, 3, 60)
    text = np.array(_words(rng, counts), dtype=object)
    connective = _pick(rng, vocab.CONNECTIVES, rows)
    return connective + " " + text + "."


def _lengths(values: np.ndarray) -> np.ndarray:
    return np.fromiter(map(len, values), dtype=np.int64, count=len(values))


def _coords(values: np.ndarray, digits: int) -> np.ndarray:
    pattern = f"%.{digits}f"
    return np.array([pattern % value for value in values.tolist()], dtype=object)


def acled_columns(rows: int) -> dict[str, Any]:
    """The columns of an ACLED export of ``rows`` events (new-style lower-case header)."""
    rng = np.random.default_rng([SEED, rows, 1])
    where = _places()
    at = rng.choice(N_PLACES, size=rows, p=where.weight)
    country = where.country[at]
    afg = country == "AFG"
    days = _days(rng, rows)
    old_style = rng.random(rows) < 0.1
    event_date = _format_days(days, "%Y-%m-%d")
    event_date[old_style] = _long_dates(days[old_style])
    year = _format_days(days, "%Y")

    weights = np.array([t[3] for t in vocab.ACLED_TYPES])
    type_index = rng.choice(len(vocab.ACLED_TYPES), size=rows, p=weights / weights.sum())
    disorder, event_type, sub_type = (
        np.array([t[i] for t in vocab.ACLED_TYPES], dtype=object)[type_index] for i in range(3)
    )
    actor1, inter1, actor2, inter2 = (np.full(rows, "", dtype=object) for _ in range(4))
    for code in ("AFG", "PAK"):
        actors = vocab.ACLED_ACTORS[code]
        names = np.array([a[0] for a in actors], dtype=object)
        kinds = np.array([a[1] for a in actors], dtype=object)
        armed = np.flatnonzero(~np.isin(kinds, ("Protesters", "Rioters", "Civilians")))
        protesters = np.flatnonzero(kinds == "Protesters")
        rioters = np.flatnonzero(kinds == "Rioters")
        civilians = np.flatnonzero(kinds == "Civilians")
        state = np.flatnonzero(kinds == "State forces")
        mine = country == code
        for family, first, second, second_share in (
            ("Battles", armed, armed, 1.0),
            ("Explosions/Remote violence", armed, civilians, 0.4),
            ("Violence against civilians", armed, civilians, 1.0),
            ("Protests", protesters, state, 0.1),
            ("Riots", rioters, rioters, 0.4),
            ("Strategic developments", armed, armed, 0.3),
        ):
            group = np.flatnonzero(mine & (event_type == family))
            one = first[rng.integers(0, len(first), len(group))]
            two = second[rng.integers(0, len(second), len(group))]
            same = one == two
            two[same] = second[(np.searchsorted(second, two[same]) + 1) % len(second)]
            has_two = rng.random(len(group)) < second_share
            actor1[group], inter1[group] = names[one], kinds[one]
            actor2[group] = np.where(has_two, names[two], "")
            inter2[group] = np.where(has_two, kinds[two], "")
    interaction = np.where(inter2 == "", inter1 + " only", inter1 + "-" + inter2)
    civilian = np.where(inter2 == "Civilians", "Civilian targeting", "")
    assoc1 = np.where(rng.random(rows) < 0.15, _pick(rng, vocab.ACLED_ASSOC, rows), "")
    assoc2 = np.where(rng.random(rows) < 0.05, _pick(rng, vocab.ACLED_ASSOC, rows), "")

    geo_precision = rng.choice([1, 2, 3], size=rows, p=[0.68, 0.24, 0.08])
    time_precision = rng.choice([1, 2, 3], size=rows, p=[0.85, 0.10, 0.05])
    admin1, admin2, location = where.admin1[at], where.admin2[at].copy(), where.name[at].copy()
    lon, lat = where.lon[at].copy(), where.lat[at].copy()
    regional = geo_precision == 3
    province = [places.PROVINCES[i] for i in where.province[at][regional]]
    lon[regional] = [p.lon for p in province]
    lat[regional] = [p.lat for p in province]
    location[regional] = admin1[regional]
    admin2[regional] = ""
    admin3 = np.where(~afg & ~regional & (rng.random(rows) < 0.5), location, "")

    violent = np.isin(event_type, ("Battles", "Explosions/Remote violence", "Violence against civilians"))
    fatalities = np.where(violent, rng.geometric(0.45, rows) - 1, 0)
    big = violent & (rng.random(rows) < 0.01)
    fatalities[big] += rng.integers(10, 120, int(big.sum()))
    fatality_text = fatalities.astype(str).astype(object)
    fatality_text[rng.random(rows) < 0.003] = ""

    source_count = rng.choice([1, 2, 3], size=rows, p=[0.6, 0.3, 0.1])
    source = _pick(rng, vocab.SOURCES, rows)
    for extra in (2, 3):
        more = source_count >= extra
        source[more] = source[more] + "; " + _pick(rng, vocab.SOURCES, int(more.sum()))
    crowd = np.isin(event_type, ("Protests", "Riots"))
    sizes = np.array(
        ["crowd size=no report", "crowd size=around 100", "crowd size=hundreds", "crowd size=large"]
    )
    tags = np.where(crowd, sizes[rng.integers(0, len(sizes), rows)], "")
    timestamp = (days + rng.integers(5, 700, rows)).clip(max=(LAST_DAY - _EPOCH).days) * 86400 + rng.integers(
        0, 86400, rows
    )

    opening = (
        "On "
        + _long_dates(days)
        + ", "
        + np.where(actor1 == "", "unidentified men", actor1)
        + " "
        + _pick(rng, vocab.VERBS, rows)
        + " "
        + np.where(actor2 == "", "people", actor2)
        + " in "
        + location
        + " ("
        + np.where(admin2 == "", admin1, admin2 + ", " + admin1)
        + "). "
    )
    killed = np.where(
        fatalities > 0, " " + fatality_text + " people were reported killed.", " No casualties reported."
    )
    notes = opening + _sentences(rng, rows, _lengths(opening), 150, 300) + killed
    cnty = np.where(afg, "AFG", "PAK")
    columns = {
        "event_id_cnty": cnty + (np.arange(rows) + 10_000).astype(str).astype(object),
        "event_date": event_date,
        "year": year,
        "time_precision": time_precision,
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_type,
        "actor1": actor1,
        "assoc_actor_1": assoc1,
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": assoc2,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": civilian,
        "iso": np.where(afg, 4, 586),
        "region": np.full(rows, "South Asia", dtype=object),
        "country": np.where(afg, "Afghanistan", "Pakistan").astype(object),
        "admin1": admin1,
        "admin2": admin2,
        "admin3": admin3,
        "location": location,
        "latitude": _coords(lat, 4),
        "longitude": _coords(lon, 4),
        "geo_precision": geo_precision,
        "source": source,
        "source_scale": _pick(rng, vocab.SOURCE_SCALES, rows),
        "notes": notes,
        "fatalities": fatality_text,
        "tags": tags,
        "timestamp": timestamp,
    }
    assert tuple(columns) == ACLED_COLUMNS
    return columns


def _headlines(rng: np.random.Generator, rows: int, count: np.ndarray) -> np.ndarray:
    """One to three made-up headlines per row, joined with ``;``."""
    result = np.full(rows, "", dtype=object)
    for n in (1, 2, 3):
        have = np.flatnonzero(count >= n)
        words = np.array(_words(rng, rng.integers(5, 14, len(have))), dtype=object)
        text = np.array([word[:1].upper() + word[1:] for word in words], dtype=object)
        result[have] = np.where(n == 1, text, result[have] + "; " + text)
    return result


def ucdp_columns(rows: int) -> dict[str, Any]:
    """The columns of a UCDP GED CSV file (version 24.1 layout) of ``rows`` events."""
    rng = np.random.default_rng([SEED, rows, 2])
    where = _places()
    at = rng.choice(N_PLACES, size=rows, p=where.weight)
    country = where.country[at]
    afg = country == "AFG"
    ids = np.arange(rows) + 100_000
    start = _days(rng, rows)
    date_prec = rng.choice([1, 2, 3, 4, 5], size=rows, p=[0.7, 0.12, 0.08, 0.07, 0.03])
    end = start.copy()
    end[date_prec == 2] += rng.integers(1, 6, int((date_prec == 2).sum()))
    end[date_prec == 3] += 6
    months = start.astype("datetime64[D]").astype("datetime64[M]")
    monthly = date_prec == 4
    start[monthly] = months[monthly].astype("datetime64[D]").astype(np.int64)
    end[monthly] = (months[monthly] + 1).astype("datetime64[D]").astype(np.int64) - 1
    years = start.astype("datetime64[D]").astype("datetime64[Y]")
    yearly = date_prec == 5
    start[yearly] = years[yearly].astype("datetime64[D]").astype(np.int64)
    end[yearly] = (years[yearly] + 1).astype("datetime64[D]").astype(np.int64) - 1
    year = _format_days(start, "%Y")

    dyad_index = np.empty(rows, dtype=np.int64)
    for code in ("AFG", "PAK"):
        choices = [i for i, d in enumerate(vocab.UCDP_DYADS) if code in d[4]]
        mine = np.flatnonzero(country == code)
        dyad_index[mine] = np.array(choices)[rng.integers(0, len(choices), len(mine))]
    dyads = vocab.UCDP_DYADS
    conflict_name, side_a, side_b = (
        np.array([d[i] for d in dyads], dtype=object)[dyad_index] for i in range(3)
    )
    violence = np.array([d[3] for d in dyads])[dyad_index]
    conflict_ids = 200 + pd.factorize(conflict_name)[0]
    dyad_ids = 700 + dyad_index
    side_names = sorted({d[1] for d in dyads} | {d[2] for d in dyads})
    side_id = {name: 100 + i for i, name in enumerate(side_names)}
    side_a_id = np.array([side_id[d[1]] for d in dyads])[dyad_index]
    side_b_id = np.array([side_id[d[2]] for d in dyads])[dyad_index]

    where_prec = rng.choice([1, 2, 3, 4, 5, 6], size=rows, p=[0.45, 0.2, 0.15, 0.1, 0.05, 0.05])
    lon, lat = where.lon[at].copy(), where.lat[at].copy()
    province = [places.PROVINCES[i] for i in where.province[at]]
    province_lon = np.array([p.lon for p in province])
    province_lat = np.array([p.lat for p in province])
    admin1, admin2, name = where.admin1[at], where.admin2[at], where.name[at]
    district = where_prec == 3
    lon[district] = np.round(lon[district], 1)
    lat[district] = np.round(lat[district], 1)
    for code in (4, 5):
        mask = where_prec == code
        lon[mask], lat[mask] = province_lon[mask], province_lat[mask]
    whole = where_prec == 6
    lon[whole] = np.where(afg[whole], *(_COUNTRY_CENTRE[c][0] for c in ("AFG", "PAK")))
    lat[whole] = np.where(afg[whole], *(_COUNTRY_CENTRE[c][1] for c in ("AFG", "PAK")))
    country_name = np.where(afg, "Afghanistan", "Pakistan").astype(object)
    town = name + np.where(rng.random(rows) < 0.5, " town", " village")
    coordinates = np.select(
        [where_prec <= 2, where_prec == 3, where_prec <= 5],
        [town, admin2 + " district", admin1 + " province"],
        country_name,
    )
    description = np.select(
        [where_prec == 1, where_prec == 2, where_prec == 3, where_prec <= 5],
        [
            town + ", " + admin2 + " district, " + admin1 + " province",
            "near " + town + ", " + admin2 + " district",
            admin2 + " district, " + admin1 + " province",
            "somewhere in " + admin1 + " province",
        ],
        country_name,
    )

    sources = rng.choice([1, 2, 3, 4], size=rows, p=[0.5, 0.3, 0.15, 0.05])
    headline = _headlines(rng, rows, sources)
    outlet = _pick(rng, vocab.SOURCES, rows)
    article = outlet + "," + _format_days(start, "%Y-%m-%d") + ",'" + headline + "'"
    deaths = np.stack([rng.geometric(0.5, rows) - 1 for _ in range(4)])
    deaths[:2, violence == 3] = np.where(
        rng.random((2, int((violence == 3).sum()))) < 0.9, 0, deaths[:2, violence == 3]
    )
    best = deaths.sum(axis=0)
    low = best - np.minimum(best, rng.integers(0, 3, rows))
    high = best + rng.integers(0, 6, rows)
    best_text = best.astype(str).astype(object)
    best_text[rng.random(rows) < 0.002] = ""
    gw = np.where(afg, _GW["AFG"], _GW["PAK"])
    row = ((lat + 90) * 2).astype(np.int64)
    col = ((lon + 180) * 2).astype(np.int64)
    stamp = " 00:00:00.000"
    lon_text, lat_text = _coords(lon, 6), _coords(lat, 6)
    columns = {
        "id": ids,
        "relid": np.where(afg, "AFG-", "PAK-")
        + year
        + "-"
        + violence.astype(str).astype(object)
        + "-"
        + ids.astype(str).astype(object),
        "year": year,
        "active_year": np.where(rng.random(rows) < 0.9, "TRUE", "FALSE"),
        "code_status": np.full(rows, "Clear", dtype=object),
        "type_of_violence": violence,
        "conflict_dset_id": conflict_ids,
        "conflict_new_id": conflict_ids,
        "conflict_name": conflict_name,
        "dyad_dset_id": dyad_ids,
        "dyad_new_id": dyad_ids,
        "dyad_name": side_a + " - " + side_b,
        "side_a_dset_id": side_a_id,
        "side_a_new_id": side_a_id,
        "side_a": side_a,
        "side_b_dset_id": side_b_id,
        "side_b_new_id": side_b_id,
        "side_b": side_b,
        "number_of_sources": sources,
        "source_article": article,
        "source_office": np.full(rows, "", dtype=object),
        "source_date": np.full(rows, "", dtype=object),
        "source_headline": headline,
        "source_original": np.where(rng.random(rows) < 0.5, outlet, ""),
        "where_prec": where_prec,
        "where_coordinates": coordinates,
        "where_description": description,
        "adm_1": admin1 + " province",
        "adm_2": np.where(where_prec <= 3, admin2 + " district", ""),
        "latitude": lat_text,
        "longitude": lon_text,
        "geom_wkt": "POINT (" + lon_text + " " + lat_text + ")",
        "priogrid_gid": row * 720 + col + 1,
        "country": country_name,
        "country_id": gw,
        "region": np.full(rows, "Asia", dtype=object),
        "event_clarity": rng.choice([1, 2], size=rows, p=[0.9, 0.1]),
        "date_prec": date_prec,
        "date_start": _format_days(start, "%Y-%m-%d") + stamp,
        "date_end": _format_days(end, "%Y-%m-%d") + stamp,
        "deaths_a": deaths[0],
        "deaths_b": deaths[1],
        "deaths_civilians": deaths[2],
        "deaths_unknown": deaths[3],
        "best": best_text,
        "high": high,
        "low": low,
        "gwnoa": gw,
        "gwnob": np.where(violence == 1, np.where(side_b == "Government of Pakistan", "770", ""), ""),
    }
    assert tuple(columns) == UCDP_COLUMNS
    return columns


def main(argv: Sequence[str] | None = None) -> int:
    """Generate (or find cached) files: ``python bench/generate.py --sizes 1k,10k``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k,1M", help="comma-separated row counts")
    parser.add_argument("--formats", default="acled,ucdp", help="acled, ucdp or both")
    args = parser.parse_args(argv)
    for kind in args.formats.split(","):
        for size in args.sizes.split(","):
            path, seconds = ensure(kind, parse_size(size))  # type: ignore[arg-type]
            state = f"generated in {seconds:.1f} s" if seconds else "cached"
            print(f"{path} ({path.stat().st_size / 1e6:.1f} MB, {state})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
