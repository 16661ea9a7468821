"""Rebuild the map's overlay and basemap layers from the shared Natural Earth / OSM extracts.

Writes every file under ``data/geojson/`` except ``events.geojson`` (which is edited by hand):
the six overlays (``durand_line``, ``torkham``, ``peshawar``, ``patakia``, ``kabul_river``,
``shahtoot_dam``) and the five basemap layers in ``basemap/``.

Run from the repository root::

    .venv/bin/python data/scripts/build_layers.py                 # reads ../shared/data
    .venv/bin/python data/scripts/build_layers.py /path/to/shared/data

The argument is the folder that holds ``naturalearth/`` and ``osm/``; relative paths are taken
relative to the repository root. Output is deterministic: coordinates rounded to 5 decimals,
1-space-indented UTF-8 JSON with positions kept on one line, keys in a fixed order, and a
trailing newline, so running the script twice gives byte-identical files.

Hand-placed coordinates (Torkham, Peshawar, the Army Public School, Barmal district, Shahtoot
Dam, and the corrected city labels) are the constants below, each with its reference. The
script checks them against the Natural Earth geometry and stops with an error if one drifts
outside what its stated precision allows.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pyproj import Geod, Transformer
from shapely import transform as shapely_transform
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = REPO_ROOT / "data" / "geojson"
DEFAULT_SHARED = Path("../shared/data")

GEOD = Geod(ellps="WGS84")
DECIMALS = 5

NATURAL_EARTH = "Natural Earth"
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"

# Provenance strings, copied from the shared extract's README (naturalearth/README.md).
NE_BOUNDARIES_SRC = (
    "Natural Earth 1:10m Admin-0 Boundary Lines (land) v4.0.0, public domain; via "
    "martynafford/natural-earth-geojson@0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e "
    "(10m/cultural/ne_10m_admin_0_boundary_lines_land.json), clipped in the shared extract"
)
NE_ADMIN1_SRC = (
    "Natural Earth 1:10m Admin-1 States/Provinces (NE 4.x attributes), public domain; via "
    "elastic/ems-file-service@d4c50cfbdcc9137ed33212c1ae414e2a8e64e3fe "
    "(sources/world/ne_10m_admin_1_states_provinces.topo.json.gz); FATA dissolved into "
    "Khyber Pakhtunkhwa and the AF-PKA/AF-PIA codes corrected in the shared extract "
    "(admin1_provinces_current.geojson)"
)
NE_PLACES_SRC = (
    "Natural Earth 1:10m Populated Places v4.0.0, public domain; via "
    "martynafford/natural-earth-geojson@0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e "
    "(10m/cultural/ne_10m_populated_places.7z), clipped in the shared extract"
)
OSM_RIVER_SRC = (
    "OpenStreetMap waterway relation 1676476 (Kabul River, 28 ways), ODbL 1.0; Overpass "
    "download committed to srajma/xatra@10cf8e54200cd8a60deb901a8ff4c153a28983ec "
    "(src/xatra/data/rivers_overpass_india/river_relation_1676476_kubha (kabul).json), "
    "line-merged and snapped to 1e-5 deg in the shared extract"
)

# ---------------------------------------------------------------------------------------------
# Hand-placed coordinates: (longitude, latitude), WGS84. Each with its reference and precision.
# ---------------------------------------------------------------------------------------------

# Torkham border crossing (Khyber district, Pakistan / Nangarhar, Afghanistan).
# Reference: Wikipedia "Torkham border crossing", infobox via GeoHack: 34°06′53″N 71°05′05″E.
# Kept at its real position rather than snapped to Natural Earth's generalised line, which runs
# about 1.4 km to the north-west here (the build computes and stores the exact offset).
TORKHAM = (71.08472, 34.11472)
TORKHAM_RADIUS_KM = 2
# Open/closed periods as far as the article tells them (it was written in March 2025).
# Earlier closures are not in the article, so the first period only says what the
# article implies: the crossing was operating until 21 February 2025.
TORKHAM_STATUS = [
    {
        "status": "open",
        "from": None,
        "to": "2025-02-20",
        "note": "Operating as the busiest Pakistan-Afghanistan crossing; earlier closures "
        "are not covered by the article.",
        "events": [],
    },
    {
        "status": "closed",
        "from": "2025-02-21",
        "to": None,
        "note": "Closed since 21 February 2025 over a dispute about building a border post; "
        "border forces exchanged heavy fire at the crossing on 3 March 2025, killing an "
        "Afghan soldier. Still closed when the article was written (March 2025); later "
        "reopening is outside the source.",
        "events": ["2025-02-21-torkham-closed", "2025-03-03-torkham-firefight"],
    },
]

# Peshawar city centre. Reference: Wikipedia "Peshawar", infobox: 34°00′52″N 71°34′03″E.
# NE's populated-place point (71.535, 34.005) is ~3 km west of this and is not used.
# The radius stands for the city itself: Wikipedia gives 215 km² for the city (radius of an
# equal-area circle ~8.3 km), so 10 km covers the built-up city around the centre.
PESHAWAR = (71.5675, 34.01444)
PESHAWAR_RADIUS_KM = 10

# Army Public School, Warsak Road, Peshawar (site of the December 2014 attack).
# Reference: Wikipedia "2014 Peshawar school massacre", infobox: 34°00′49″N 71°32′10″E.
# Radius 1 km: the campus is a few hundred metres across and the reference is not surveyed.
ARMY_PUBLIC_SCHOOL = (71.53611, 34.01361)
ARMY_PUBLIC_SCHOOL_RADIUS_KM = 1

# Barmal district, Paktika (where the 24/25 December 2024 strikes fell). Natural Earth has no
# districts and we found no published district-centre coordinate, so this is an approximate
# centre of the district: it runs along the Durand Line opposite North and South Waziristan,
# from the Angur Ada crossing in the south (Wikipedia "Angur Ada": 32°30′56″N 69°16′57″E)
# north towards the Khost boundary, and west towards Urgun. The 30 km radius is meant to cover
# the whole district; treat the point as "somewhere in Barmal", not as a town.
BARMAL_DISTRICT = (69.25, 32.68)
BARMAL_RADIUS_KM = 30
ANGUR_ADA = (69.2825, 32.51556)

# Shahtoot (Lalandar) Dam, Chahar Asiab district, Kabul province. Project descriptions (Afghan
# Ministry of Energy and Water and Kabul governor's office, 2018-2021; Indian press on the 2021
# agreement) place it in the Lalandar area of Chahar Asiab on the Maidan river, the upper Kabul
# River, south-west of Kabul. No surveyed dam-axis coordinate was available to us, so the point
# is on the OSM Kabul River line in the Lalandar gorge (~69.03-69.07 E), ~23 km SW of central
# Kabul; 5 km radius covers the uncertainty along the gorge.
SHAHTOOT_DAM = (69.05, 34.398)
SHAHTOOT_RADIUS_KM = 5

# Kabul city centre, used only to check the dam.
# Reference: Wikipedia "Kabul", infobox: 34°33′19″N 69°12′27″E.
KABUL = (69.2075, 34.5553)

# City labels whose Natural Earth point sits several km from the city centre (see the shared NE
# README). key: NE `name`; value: (lon, lat, reference).
CITY_CORRECTIONS: dict[str, tuple[float, float, str]] = {
    "Kabul": (69.2075, 34.5553, "Wikipedia 'Kabul' infobox, 34°33′19″N 69°12′27″E"),
    "Peshawar": (71.5675, 34.01444, "Wikipedia 'Peshawar' infobox, 34°00′52″N 71°34′03″E"),
    "Islamabad": (
        73.0369,
        33.6989,
        "Wikipedia/Wikidata 'Islamabad', 33°41′56″N 73°02′13″E",
    ),
    "Quetta": (67.007, 30.192, "Wikipedia 'Quetta', 30°11′31″N 67°00′25″E"),
}

# NE place names that must not appear as labels. "Zareh Sharan" is tagged as Paktika's capital
# but sits at Zarghun Shahr/Khairkot, ~45-50 km SW of Sharana (shared NE README).
CITY_EXCLUDE = {"Zareh Sharan"}

# Preferred English labels where NE's name_en is odd or missing.
CITY_LABELS = {
    "Yarkant County": "Yarkant",
    "Gardēz": "Gardez",
    "Maidan Shar": "Maidan Shahr",
    "Meymaneh": "Maymana",
}

# Current names for NE 4.0.0's old admin-1 names on populated places.
ADMIN1_CURRENT = {
    "N.W.F.P.": "Khyber Pakhtunkhwa",
    "F.A.T.A.": "Khyber Pakhtunkhwa",
    "Baluchistan": "Balochistan",
    "Sind": "Sindh",
    "Northern Areas": "Gilgit-Baltistan",
    "F.C.T.": "Islamabad Capital Territory",
    "Hilmand": "Helmand",
    "Hirat": "Herat",
    "Paktya": "Paktia",
}


# ---------------------------------------------------------------------------------------------
# Deterministic GeoJSON output
# ---------------------------------------------------------------------------------------------

_KEY_ORDER = ("type", "id", "layer", "metadata", "properties", "geometry", "features")


def _ordered_keys(obj: dict[str, Any]) -> list[str]:
    first = [k for k in _KEY_ORDER if k in obj]
    return first + sorted(k for k in obj if k not in _KEY_ORDER)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _encode(value: Any, depth: int) -> str:
    pad = " " * (depth + 1)
    end = " " * depth
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{pad}{json.dumps(key, ensure_ascii=False)}: {_encode(value[key], depth + 1)}"
            for key in _ordered_keys(value)
        ]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if all(_is_number(v) for v in value):
            return "[" + ",".join(_encode(v, 0) for v in value) + "]"
        items = [pad + _encode(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + end + "]"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite number {value!r} cannot be written as JSON")
        if value.is_integer() and abs(value) < 1e15:
            return repr(value)  # keep 2.0 as 2.0 so the type is stable
    return json.dumps(value, ensure_ascii=False)


def dumps_geojson(obj: dict[str, Any]) -> str:
    """Serialise a GeoJSON object the way every file in ``data/geojson`` is written.

    One-space indentation, numeric arrays (positions, bounding boxes, id lists) on one line,
    ``type``/``id``/``layer``/``properties``/``geometry``/``features`` first and all other keys
    sorted, UTF-8 text, trailing newline.
    """
    return _encode(obj, 0) + "\n"


def write_geojson(path: Path, obj: dict[str, Any]) -> None:
    """Write ``obj`` to ``path`` with :func:`dumps_geojson`, creating folders as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_geojson(obj), encoding="utf-8")


def round_coords(coords: Any) -> Any:
    """Round every number in a (nested) GeoJSON coordinate array to 5 decimals."""
    if _is_number(coords):
        rounded = round(float(coords), DECIMALS)
        return 0.0 if rounded == 0 else rounded
    return [round_coords(c) for c in coords]


def geometry_json(geom: BaseGeometry | dict[str, Any]) -> dict[str, Any]:
    """GeoJSON geometry dict with coordinates rounded to 5 decimals."""
    data = mapping(geom) if isinstance(geom, BaseGeometry) else geom
    return {"type": data["type"], "coordinates": round_coords(data["coordinates"])}


def point(lon_lat: tuple[float, float]) -> dict[str, Any]:
    """GeoJSON Point geometry for a (lon, lat) pair."""
    return geometry_json({"type": "Point", "coordinates": list(lon_lat)})


def feature(feature_id: str, props: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature with a string ``id`` member; ``None`` properties are dropped."""
    clean = {k: v for k, v in props.items() if v is not None}
    return {"type": "Feature", "id": feature_id, "properties": clean, "geometry": geometry}


def collection(layer: dict[str, Any], features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection with the ``layer`` foreign member the map reads."""
    return {"type": "FeatureCollection", "layer": layer, "features": list(features)}


def layer_meta(
    layer_id: str,
    title: str,
    role: str,
    order: int,
    attribution: str | None = None,
    style: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``layer`` member: id, title, role, order and the optional attribution/style."""
    meta: dict[str, Any] = {"id": layer_id, "title": title, "role": role, "order": order}
    if attribution is not None:
        meta["attribution"] = attribution
    if style is not None:
        meta["style"] = style
    return meta


def radius(km: float) -> dict[str, Any]:
    """``location_precision`` for a point known to within ``km`` kilometres."""
    return {"type": "radius", "radius_km": km}


EXACT = {"type": "exact"}


def slug(text: str) -> str:
    """Lower-case ASCII id fragment: 'Amu  Darya' -> 'amu-darya', 'Gardēz' -> 'gardez'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ---------------------------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------------------------


def _utm_transformer(lon: float, lat: float) -> Callable[[Any], Any]:
    zone = int((lon + 180) // 6) + 1
    epsg = (32600 if lat >= 0 else 32700) + zone
    transformer = Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)

    def apply(coords: Any) -> Any:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        coords[:, 0] = x
        coords[:, 1] = y
        return coords

    return apply


def distance_km(a: BaseGeometry, b: BaseGeometry, near: tuple[float, float]) -> float:
    """Distance between two geometries in km, measured in the UTM zone of ``near``."""
    to_utm = _utm_transformer(*near)
    return float(shapely_transform(a, to_utm).distance(shapely_transform(b, to_utm))) / 1000


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """WGS84 geodesic distance between two (lon, lat) points in km."""
    _, _, metres = GEOD.inv(a[0], a[1], b[0], b[1])
    return float(metres) / 1000


class BuildError(RuntimeError):
    """A hand-placed coordinate or a source file failed a sanity check."""


def require(condition: bool, message: str) -> None:
    """Stop the build with ``message`` unless ``condition`` holds."""
    if not condition:
        raise BuildError(message)


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------


class Sources:
    """The shared input files, loaded once."""

    def __init__(self, shared: Path) -> None:
        ne = shared / "naturalearth"
        self.countries = _load(ne / "admin0_countries.geojson")
        self.provinces = _load(ne / "admin1_provinces_current.geojson")
        self.afpak = _load(ne / "afpak_border.geojson")
        self.borders = _load(ne / "boundary_lines_land.geojson")
        self.rivers = _load(ne / "rivers.geojson")
        self.places = _load(ne / "populated_places.geojson")
        self.kabul_river = _load(shared / "osm" / "kabul_river_osm.geojson")

    def country(self, iso3: str) -> BaseGeometry:
        """Admin-0 polygon by ISO 3166-1 alpha-3 code."""
        for feat in self.countries["features"]:
            if feat["properties"]["iso_a3"] == iso3:
                return shape(feat["geometry"])
        raise BuildError(f"country {iso3} not in admin0_countries.geojson")

    def province(self, iso: str) -> dict[str, Any]:
        """Admin-1 feature by ISO 3166-2 code."""
        for feat in self.provinces["features"]:
            if feat["properties"]["iso_3166_2"] == iso:
                return feat
        raise BuildError(f"province {iso} not in admin1_provinces_current.geojson")

    def durand_line(self) -> BaseGeometry:
        """Natural Earth's Afghanistan-Pakistan boundary as one LineString."""
        features = self.afpak["features"]
        require(len(features) == 1, "afpak_border.geojson should hold exactly one feature")
        return shape(features[0]["geometry"])


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise BuildError(f"missing input file: {path}")
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


# ---------------------------------------------------------------------------------------------
# Overlays
# ---------------------------------------------------------------------------------------------


def build_durand_line(src: Sources) -> dict[str, Any]:
    """``durand_line.geojson``: NE's Afghanistan-Pakistan boundary with its status."""
    line = src.durand_line()
    length_km = round(GEOD.geometry_length(line) / 1000, 1)
    props = src.afpak["features"][0]["properties"]
    return collection(
        layer_meta(
            "durand-line",
            "Durand Line",
            "overlay",
            1,
            NATURAL_EARTH,
            {"color": "#8b0000", "weight": 3, "dashArray": "10 6"},
        ),
        [
            feature(
                "durand-line",
                {
                    "name": "Durand Line",
                    "names": {"ps": "ډیورنډ کرښه", "fa": "خط دیورند", "ur": "ڈیورنڈ لائن"},
                    "description": (
                        "The 1893 line between British India and the Emirate of Afghanistan, "
                        "today the working border between Afghanistan and Pakistan. It cuts "
                        "through Pashtun lands, so many families live on both sides of it. "
                        "Pakistan has been fencing it to stop militants crossing, which the "
                        "Taliban government opposes. Drawn here as Natural Earth's de-facto "
                        "boundary at 1:10 million scale."
                    ),
                    "status": "contested",
                    "status_note": (
                        "Pakistan treats the line as its settled international border. "
                        "Afghan governments, the Taliban included, have never accepted it: "
                        "they call it a colonial imposition that lapsed with British rule, "
                        "and the Taliban refer to it as a 'hypothetical line'."
                    ),
                    "drawn": "1893",
                    "length_km": length_km,
                    "length_note": (
                        "Geodesic length of this Natural Earth 1:10m line (pyproj, WGS84). "
                        "The generalised line smooths out mountain detail, so it measures "
                        "less than the ~2,600 km usually quoted for the border."
                    ),
                    "location_precision": EXACT,
                    "precision_note": (
                        "Exact at Natural Earth's 1:10 million scale: about one vertex every "
                        "3-4 km, and up to 1-2 km from the line on the ground (1.4 km at "
                        "Torkham, 1.2 km at Angur Ada)."
                    ),
                    "north_end": props.get("north_end"),
                    "south_end": props.get("south_end"),
                    "source": NE_BOUNDARIES_SRC
                    + "; feature adm0_a3_l=AFG, adm0_a3_r=PAK merged north to south",
                },
                geometry_json(line),
            )
        ],
    )


def build_torkham(src: Sources) -> dict[str, Any]:
    """``torkham.geojson``: the crossing point, checked against NE's line."""
    line = src.durand_line()
    offset = distance_km(Point(TORKHAM), line, TORKHAM)
    require(
        offset <= TORKHAM_RADIUS_KM,
        f"Torkham is {offset:.2f} km from the Durand Line, more than its {TORKHAM_RADIUS_KM} km radius",
    )
    return collection(
        layer_meta("torkham", "Torkham", "overlay", 2, style={"color": "#b35806"}),
        [
            feature(
                "torkham",
                {
                    "name": "Torkham",
                    "names": {"ps": "تورخم", "fa": "تورخم", "ur": "طورخم"},
                    "description": (
                        "The busiest crossing between Pakistan and Afghanistan, where the "
                        "Peshawar-Khyber Pass road meets the road to Jalalabad and Kabul. It "
                        "links Khyber district (Khyber Pakhtunkhwa) with Nangarhar. In 2025 it "
                        "was shut from 21 February over a disputed border post, and the two "
                        "sides' border forces fought there on 3 March."
                    ),
                    "location_precision": radius(TORKHAM_RADIUS_KM),
                    "ne_line_offset_km": round(offset, 2),
                    "status_history": TORKHAM_STATUS,
                    "precision_note": (
                        f"Placed at the crossing's published coordinates, not snapped to the "
                        f"map's border line: Natural Earth's generalised Durand Line passes "
                        f"{offset:.1f} km from it, so at high zoom the marker sits just off "
                        f"the drawn line."
                    ),
                    "source": (
                        "Hand-placed: Wikipedia 'Torkham border crossing' (GeoHack "
                        "34°06′53″N 71°05′05″E); distance to the Natural Earth v4.0.0 line "
                        "computed in UTM 42N"
                    ),
                },
                point(TORKHAM),
            )
        ],
    )


def build_peshawar(src: Sources) -> dict[str, Any]:
    """``peshawar.geojson``: city centre and the Army Public School."""
    pak = src.country("PAK")
    for name, where in (("Peshawar", PESHAWAR), ("Army Public School", ARMY_PUBLIC_SCHOOL)):
        require(pak.contains(Point(where)), f"{name} is not inside Pakistan")
    apart = geodesic_km(PESHAWAR, ARMY_PUBLIC_SCHOOL)
    require(apart <= PESHAWAR_RADIUS_KM, "the school should lie within the city radius")
    return collection(
        layer_meta("peshawar", "Peshawar", "overlay", 3, style={"color": "#542788"}),
        [
            feature(
                "peshawar",
                {
                    "name": "Peshawar",
                    "names": {"ps": "پېښور", "ur": "پشاور", "fa": "پیشاور"},
                    "description": (
                        "Capital of Khyber Pakhtunkhwa and the main city of Pakistan's "
                        "north-west, about 50 km east of Torkham at the foot of the Khyber "
                        "Pass. The marker is the city centre; the circle stands for the city."
                    ),
                    "location_precision": radius(PESHAWAR_RADIUS_KM),
                    "city_area_km2": 215,
                    "precision_note": (
                        "City centre from Wikipedia. The 10 km radius stands for the city "
                        "(about 215 km²). Natural Earth's point for Peshawar lies ~3 km west "
                        "of the centre and is not used."
                    ),
                    "source": "Hand-placed: Wikipedia 'Peshawar' (34°00′52″N 71°34′03″E)",
                },
                point(PESHAWAR),
            ),
            feature(
                "army-public-school-peshawar",
                {
                    "name": "Army Public School, Peshawar",
                    "names": {"ur": "آرمی پبلک اسکول"},
                    "description": (
                        "Army-run school on Warsak Road, west of the city centre, where TTP "
                        "gunmen killed schoolchildren and staff in December 2014; no terrorist "
                        "attack in Pakistan has killed more. The article names only "
                        "Peshawar; the school is identified from other reporting."
                    ),
                    "location_precision": radius(ARMY_PUBLIC_SCHOOL_RADIUS_KM),
                    "source": (
                        "Hand-placed: Wikipedia '2014 Peshawar school massacre' (34°00′49″N 71°32′10″E)"
                    ),
                },
                point(ARMY_PUBLIC_SCHOOL),
            ),
        ],
    )


def build_patakia(src: Sources) -> dict[str, Any]:
    """``patakia.geojson``: Paktika province (NE) and an approximate Barmal district."""
    paktika_feature = src.province("AF-PKA")
    paktika = shape(paktika_feature["geometry"])
    line = src.durand_line()
    afg = src.country("AFG")
    gap = distance_km(paktika, line, BARMAL_DISTRICT)
    require(gap < 0.5, f"Paktika should touch the Durand Line, but is {gap:.2f} km away")
    require(paktika.contains(Point(BARMAL_DISTRICT)), "Barmal point is not inside Paktika")
    require(afg.contains(Point(BARMAL_DISTRICT)), "Barmal point is not inside Afghanistan")
    require(
        geodesic_km(BARMAL_DISTRICT, ANGUR_ADA) < BARMAL_RADIUS_KM,
        "Angur Ada (in Barmal) should fall inside the Barmal radius",
    )
    return collection(
        layer_meta(
            "patakia",
            "Patakia (Paktika)",
            "overlay",
            4,
            NATURAL_EARTH,
            {"color": "#d95f02", "weight": 2, "fillOpacity": 0.15},
        ),
        [
            feature(
                "paktika",
                {
                    "name": "Paktika",
                    "alt_names": ["Patakia", "Paktika Province"],
                    "names": {"ps": "پکتیکا", "fa": "پکتیکا"},
                    "iso_3166_2": "AF-PKA",
                    "admin_level": "province",
                    "description": (
                        "Province of south-eastern Afghanistan on the Durand Line, facing "
                        "North and South Waziristan and Balochistan's Zhob. The article spells "
                        "it 'Patakia' and calls it a district; it is a province, and the "
                        "December 2024 Pakistani air strikes fell in its Barmal district."
                    ),
                    "location_precision": EXACT,
                    "precision_note": (
                        "Exact at Natural Earth's 1:10 million scale (boundary generalised, "
                        "TopoJSON-quantized to ~50 m)."
                    ),
                    "source": NE_ADMIN1_SRC,
                },
                geometry_json(paktika),
            ),
            feature(
                "barmal-district",
                {
                    "name": "Barmal district",
                    "names": {"ps": "برمل ولسوالۍ", "fa": "ولسوالی برمل"},
                    "admin_level": "district",
                    "approximate": True,
                    "description": (
                        "District of eastern Paktika on the Durand Line, across from North and "
                        "South Waziristan; the Angur Ada crossing is at its southern end. "
                        "Reporting other than the article places the Pakistani air strikes of "
                        "the night of 24/25 December 2024 on villages here."
                    ),
                    "location_precision": radius(BARMAL_RADIUS_KM),
                    "precision_note": (
                        "Approximate: Natural Earth has no district boundaries and we found no "
                        "published district-centre coordinate. The point is a rough centre "
                        "and the 30 km circle is drawn wide enough to cover the district; it "
                        "does not show the district's real outline."
                    ),
                    "source": (
                        "Hand-placed approximate centre; anchored on Angur Ada (Wikipedia "
                        "'Angur Ada', 32°30′56″N 69°16′57″E) and Natural Earth's Paktika "
                        "polygon and Durand Line"
                    ),
                },
                point(BARMAL_DISTRICT),
            ),
        ],
    )


def build_kabul_river(src: Sources) -> dict[str, Any]:
    """``kabul_river.geojson``: the OSM relation, with its ODbL attribution."""
    features = src.kabul_river["features"]
    require(len(features) == 1, "kabul_river_osm.geojson should hold exactly one feature")
    props = features[0]["properties"]
    geom = shape(features[0]["geometry"])
    require(geom.intersects(src.durand_line()), "the Kabul River must cross the Durand Line")
    return collection(
        layer_meta(
            "kabul-river",
            "Kabul River",
            "overlay",
            5,
            OSM_ATTRIBUTION,
            {"color": "#2166ac", "weight": 3},
        ),
        [
            feature(
                "kabul-river",
                {
                    "name": "Kabul River",
                    "names": {"ps": "کابل سیند", "fa": "دریای کابل", "ur": "دریائے کابل"},
                    "description": (
                        "Rises west of Kabul, runs east through Kabul, Sarobi and Jalalabad, "
                        "enters Pakistan north of Torkham and passes Peshawar and Nowshera to "
                        "join the Indus at Attock. The article says 20 million people depend "
                        "on it; with no water-sharing treaty between the two countries, "
                        "Afghan dams upstream such as Shahtoot worry Pakistan."
                    ),
                    "location_precision": EXACT,
                    "precision_note": (
                        "OpenStreetMap main channel (not simplified). Missing: the headwaters "
                        "west of Maidan Shahr and the tributaries (Kunar, Swat, Logar, ...)."
                    ),
                    "osm_relation": props["osm_relation"],
                    "osm_way_ids": props.get("osm_way_ids"),
                    "length_km": round(GEOD.geometry_length(geom) / 1000, 1),
                    "license": "ODbL-1.0",
                    "attribution": "© OpenStreetMap contributors",
                    "source": OSM_RIVER_SRC,
                },
                geometry_json(geom),
            )
        ],
    )


def build_shahtoot_dam(src: Sources) -> dict[str, Any]:
    """``shahtoot_dam.geojson``: the dam site south-west of Kabul."""
    dam = Point(SHAHTOOT_DAM)
    require(src.country("AFG").contains(dam), "Shahtoot Dam is not inside Afghanistan")
    to_kabul = geodesic_km(SHAHTOOT_DAM, KABUL)
    to_border = distance_km(dam, src.durand_line(), SHAHTOOT_DAM)
    require(to_kabul < to_border, "Shahtoot Dam should be nearer Kabul than the border")
    river = shape(src.kabul_river["features"][0]["geometry"])
    to_river = distance_km(dam, river, SHAHTOOT_DAM)
    require(to_river < 1, f"Shahtoot Dam point is {to_river:.2f} km from the OSM river")
    return collection(
        layer_meta("shahtoot-dam", "Shahtoot Dam", "overlay", 6, style={"color": "#1b7837"}),
        [
            feature(
                "shahtoot-dam",
                {
                    "name": "Shahtoot Dam",
                    "alt_names": ["Lalandar Dam"],
                    "names": {"fa": "بند شاه توت"},
                    "description": (
                        "Planned India-funded dam on the Maidan river (the upper Kabul River) "
                        "in the Lalandar area of Chahar Asiab district, south-west of Kabul, "
                        "meant to store drinking water for Kabul and irrigate farmland. "
                        "Pakistan fears such dams will cut the flow reaching it downstream."
                    ),
                    "location_precision": radius(SHAHTOOT_RADIUS_KM),
                    "distance_to_kabul_km": round(to_kabul, 1),
                    "distance_to_durand_line_km": round(to_border, 1),
                    "precision_note": (
                        "Project site as described by the Afghan authorities (Lalandar, Chahar "
                        "Asiab), placed on the river line; no surveyed coordinate of the dam "
                        "axis was available, hence the 5 km radius."
                    ),
                    "source": (
                        "Hand-placed: Lalandar area of Chahar Asiab district per Afghan Ministry "
                        "of Energy and Water / Kabul province statements (2018-2021), on the "
                        "OSM Kabul River line"
                    ),
                },
                point(SHAHTOOT_DAM),
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# Basemap
# ---------------------------------------------------------------------------------------------


def build_countries(src: Sources) -> dict[str, Any]:
    """``basemap/countries.geojson``: admin-0 polygons keyed by ISO3."""
    features = []
    for feat in src.countries["features"]:
        p = feat["properties"]
        features.append(
            feature(
                p["iso_a3"],
                {
                    "name": p["name"],
                    "name_long": p["name_long"],
                    "iso_a2": p["iso_a2"],
                    "iso_a3": p["iso_a3"],
                },
                geometry_json(feat["geometry"]),
            )
        )
    features.sort(key=lambda f: f["id"])
    return collection(
        layer_meta(
            "countries",
            "Countries",
            "basemap",
            1,
            NATURAL_EARTH,
        ),
        features,
    )


def build_provinces(src: Sources) -> dict[str, Any]:
    """``basemap/provinces.geojson``: admin-1 units with current English names."""
    features = []
    for feat in src.provinces["features"]:
        p = feat["properties"]
        features.append(
            feature(
                p["iso_3166_2"],
                {
                    "name": p["name_en"],
                    "name_ne": p["name"] if p["name"] != p["name_en"] else None,
                    "country": p["adm0_a3"],
                    "iso_3166_2": p["iso_3166_2"],
                    "type": p.get("type_en"),
                    "note": p.get("note"),
                },
                geometry_json(feat["geometry"]),
            )
        )
    features.sort(key=lambda f: f["id"])
    return collection(
        layer_meta(
            "provinces",
            "Provinces",
            "basemap",
            2,
            NATURAL_EARTH,
        ),
        features,
    )


def build_rivers(src: Sources) -> dict[str, Any]:
    """``basemap/rivers.geojson``: NE rivers and lake centrelines (no Kabul River in NE)."""
    features = []
    counts: dict[str, int] = {}
    for feat in src.rivers["features"]:
        p = feat["properties"]
        name = " ".join((p.get("name_en") or p.get("name") or "unnamed river").split())
        base = f"river-{slug(name)}"
        counts[base] = counts.get(base, 0) + 1
        features.append(
            feature(
                f"{base}-{counts[base]}",
                {
                    "name": name,
                    "kind": p.get("featurecla"),
                    "scalerank": p.get("scalerank"),
                    "rivernum": p.get("rivernum"),
                },
                geometry_json(feat["geometry"]),
            )
        )
    return collection(
        layer_meta(
            "rivers",
            "Rivers",
            "basemap",
            3,
            NATURAL_EARTH,
        ),
        features,
    )


def build_borders(src: Sources) -> dict[str, Any]:
    """``basemap/borders.geojson``: every NE land boundary, the Afghanistan-Pakistan one included.

    The Durand Line overlay draws that boundary again, on top; the basemap keeps it so the
    border stays on the map when the overlay is switched off.
    """
    features = []
    counts: dict[str, int] = {}
    for feat in src.borders["features"]:
        p = feat["properties"]
        base = f"border-{p['adm0_a3_l'].lower()}-{p['adm0_a3_r'].lower()}"
        counts[base] = counts.get(base, 0) + 1
        if p.get("name"):
            name = f"{p['name'].replace('control', 'Control')} ({p['adm0_left']}-{p['adm0_right']})"
        else:
            name = f"{p['adm0_left']}-{p['adm0_right']} boundary"
        features.append(
            feature(
                f"{base}-{counts[base]}",
                {
                    "name": name,
                    "kind": p.get("featurecla"),
                    "line_type": p.get("type"),
                    "left": p["adm0_a3_l"],
                    "right": p["adm0_a3_r"],
                    "scalerank": p.get("scalerank"),
                },
                geometry_json(feat["geometry"]),
            )
        )
    require(
        any({f["properties"]["left"], f["properties"]["right"]} == {"AFG", "PAK"} for f in features),
        "the Afghanistan-Pakistan boundary is missing from the boundary lines",
    )
    return collection(
        layer_meta(
            "borders",
            "Borders",
            "basemap",
            4,
            NATURAL_EARTH,
        ),
        features,
    )


def _keep_city(p: dict[str, Any]) -> bool:
    if p["name"] in CITY_EXCLUDE:
        return False
    rank = p["scalerank"]
    capital = "capital" in (p.get("featurecla") or "").lower()
    if p["adm0_a3"] in {"AFG", "PAK", "IRN"}:
        return rank <= 7 and (capital or (p.get("pop_max") or 0) >= 50_000)
    return rank <= 4


def build_cities(src: Sources) -> dict[str, Any]:
    """``basemap/cities.geojson``: major NE places, with the worst-placed points corrected."""
    features = []
    seen: set[str] = set()
    for feat in src.places["features"]:
        p = feat["properties"]
        if not _keep_city(p):
            continue
        label = CITY_LABELS.get(p.get("name_en") or "", p.get("name_en") or p["name"])
        label = CITY_LABELS.get(p["name"], label)
        fid = f"city-{slug(label)}"
        require(fid not in seen, f"duplicate city id {fid}")
        seen.add(fid)
        lon, lat = feat["geometry"]["coordinates"]
        props: dict[str, Any] = {
            "name": label,
            "name_ne": p["name"] if p["name"] != label else None,
            "country": p["adm0_a3"],
            "province": ADMIN1_CURRENT.get(p.get("adm1name") or "", p.get("adm1name")),
            "kind": p.get("featurecla"),
            "scalerank": p["scalerank"],
            "pop_max": p.get("pop_max"),
            "source": NE_PLACES_SRC,
        }
        if p["name"] in CITY_CORRECTIONS:
            new_lon, new_lat, ref = CITY_CORRECTIONS[p["name"]]
            moved = geodesic_km((lon, lat), (new_lon, new_lat))
            props["source"] = f"Position hand-corrected: {ref}; attributes {NE_PLACES_SRC}"
            props["position_note"] = (
                f"Natural Earth's point ({lon}, {lat}) is {moved:.1f} km from the city "
                f"centre; moved to the reference coordinates."
            )
            lon, lat = new_lon, new_lat
        features.append(feature(fid, props, point((lon, lat))))
    features.sort(key=lambda f: (f["properties"]["country"], f["properties"]["scalerank"], f["id"]))
    missing = {"Kabul", "Jalalabad", "Peshawar", "Islamabad", "Quetta", "Kandahar", "Lahore"}
    missing -= {f["properties"].get("name_ne") or f["properties"]["name"] for f in features}
    require(not missing, f"expected cities missing from the label layer: {sorted(missing)}")
    return collection(
        layer_meta(
            "cities",
            "Cities",
            "basemap",
            5,
            NATURAL_EARTH,
        ),
        features,
    )


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

OUTPUTS: dict[str, Callable[[Sources], dict[str, Any]]] = {
    "durand_line.geojson": build_durand_line,
    "torkham.geojson": build_torkham,
    "peshawar.geojson": build_peshawar,
    "patakia.geojson": build_patakia,
    "kabul_river.geojson": build_kabul_river,
    "shahtoot_dam.geojson": build_shahtoot_dam,
    "basemap/countries.geojson": build_countries,
    "basemap/provinces.geojson": build_provinces,
    "basemap/rivers.geojson": build_rivers,
    "basemap/borders.geojson": build_borders,
    "basemap/cities.geojson": build_cities,
}


def build(shared: Path, out_dir: Path = OUT_DIR) -> list[Path]:
    """Build every layer from ``shared`` into ``out_dir``; return the files written."""
    src = Sources(shared)
    written = []
    for relative, builder in OUTPUTS.items():
        path = out_dir / relative
        write_geojson(path, builder(src))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "shared",
        nargs="?",
        default=str(DEFAULT_SHARED),
        help="folder holding naturalearth/ and osm/ (default: ../shared/data from the repo root)",
    )
    parser.add_argument(
        "--out", default=str(OUT_DIR), help="output folder (default: data/geojson in the repo)"
    )
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not shared.is_absolute():
        shared = (REPO_ROOT / shared).resolve()
    out = Path(args.out)
    if not out.is_absolute():
        out = (REPO_ROOT / out).resolve()
    try:
        written = build(shared, out)
    except BuildError as exc:
        print(f"build_layers: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(out)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
