"""Geographic sanity checks on data/geojson, independent of the geo package.

Distances are measured in metres: point-to-geometry distances in a projection chosen for the
place (UTM zone, or an azimuthal equidistant projection centred on the point, which is exact for
distances from its centre), point-to-point distances on the WGS84 ellipsoid. Reference
coordinates below are typed in independently of the data files, from published sources.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pyproj import CRS, Geod, Transformer
from shapely import transform as shapely_transform
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

DATA = Path(__file__).resolve().parents[1] / "data" / "geojson"
GEOD = Geod(ellps="WGS84")

# Independent reference coordinates (lon, lat).
KABUL = (69.2075, 34.5553)  # Wikipedia "Kabul", 34°33′19″N 69°12′27″E
JALALABAD = (70.4515, 34.4265)  # city centre
TORKHAM_REF = (71.088, 34.110)  # the crossing gate area
PESHAWAR_REF = (71.578, 34.008)  # old-city centre
APS_REF = (71.5361, 34.0136)  # Wikipedia "2014 Peshawar school massacre", 34°00′49″N 71°32′10″E
SHAHTOOT_REF = (69.03, 34.40)  # Lalandar gorge, Chahar Asiab district
ANGUR_ADA = (69.2825, 32.5156)  # Wikipedia "Angur Ada": a Barmal-valley town on the border
MAKEEN = (69.8394, 32.6210)  # Wikipedia "Makin, Pakistan", 32°37′15.6″N 69°50′21.7″E
ISLAMABAD_REF = (73.0479, 33.6844)  # city centre
INDUS_CONFLUENCE = (72.23, 33.92)  # Kabul River joins the Indus at Khairabad/Attock

OVERLAYS = {
    "durand_line.geojson": "durand-line",
    "torkham.geojson": "torkham",
    "peshawar.geojson": "peshawar",
    "patakia.geojson": "patakia",
    "kabul_river.geojson": "kabul-river",
    "shahtoot_dam.geojson": "shahtoot-dam",
}

# Countries that events may name although the basemap (clipped to 60-78 E, 23-38.5 N) lacks them.
OUTSIDE_BASEMAP = {"ARE"}


@cache
def load(relative: str) -> dict[str, Any]:
    with (DATA / relative).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def feature_by_id(relative: str, feature_id: str) -> dict[str, Any]:
    for feat in load(relative)["features"]:
        if feat["id"] == feature_id:
            return feat
    raise AssertionError(f"{feature_id!r} not in {relative}")


def geom(relative: str, feature_id: str) -> BaseGeometry:
    return shape(feature_by_id(relative, feature_id)["geometry"])


def durand_line() -> BaseGeometry:
    return geom("durand_line.geojson", "durand-line")


def country(iso3: str) -> BaseGeometry:
    return geom("basemap/countries.geojson", iso3)


def _projector(crs: CRS) -> Any:
    transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def apply(coords: Any) -> Any:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        coords[:, 0] = x
        coords[:, 1] = y
        return coords

    return apply


def km_from_point(lon_lat: tuple[float, float], other: BaseGeometry) -> float:
    """Shortest distance in km from a point to a geometry (azimuthal equidistant at the point)."""
    lon, lat = lon_lat
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    projected = shapely_transform(other, _projector(aeqd))
    return float(projected.distance(Point(0, 0))) / 1000


def km_between(a: BaseGeometry, b: BaseGeometry) -> float:
    """Distance in km between two geometries in UTM zone 42N (66-72 E, the frontier)."""
    to_utm = _projector(CRS.from_epsg(32642))
    return float(shapely_transform(a, to_utm).distance(shapely_transform(b, to_utm))) / 1000


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    _, _, metres = GEOD.inv(a[0], a[1], b[0], b[1])
    return float(metres) / 1000


def lon_lat(feat: dict[str, Any]) -> tuple[float, float]:
    assert feat["geometry"]["type"] == "Point", feat["id"]
    lon, lat = feat["geometry"]["coordinates"]
    return (lon, lat)


def stated_radius_km(feat: dict[str, Any]) -> float:
    precision = feat["properties"]["location_precision"]
    assert precision["type"] == "radius", f"{feat['id']} should carry a radius precision"
    return float(precision["radius_km"])


# ----------------------------------------------------------------------------------------------
# The Durand Line and Torkham
# ----------------------------------------------------------------------------------------------


def test_durand_line_length_matches_fresh_geodesic_computation() -> None:
    feat = feature_by_id("durand_line.geojson", "durand-line")
    fresh = GEOD.geometry_length(shape(feat["geometry"])) / 1000
    assert feat["properties"]["length_km"] == pytest.approx(round(fresh, 1), abs=0.05)
    # NE's 1:10m line under-measures the ~2,600 km usually quoted, but not absurdly so.
    assert 2000 < fresh < 2700


def test_durand_line_runs_between_afghanistan_and_pakistan() -> None:
    line = durand_line()
    assert km_between(line, country("AFG")) < 0.5
    assert km_between(line, country("PAK")) < 0.5
    # Its ends are the China and Iran tripoints, not somewhere in the middle of a country.
    start, end = line.coords[0], line.coords[-1]
    assert km_from_point(start, country("CHN")) < 5
    assert km_from_point(end, country("IRN")) < 5


def test_torkham_is_on_the_durand_line() -> None:
    torkham = lon_lat(feature_by_id("torkham.geojson", "torkham"))
    assert km_from_point(torkham, durand_line()) <= 2.0


# ----------------------------------------------------------------------------------------------
# Kabul River
# ----------------------------------------------------------------------------------------------


def test_kabul_river_crosses_the_durand_line() -> None:
    river = geom("kabul_river.geojson", "kabul-river")
    assert river.intersects(durand_line())
    # It flows from Afghanistan into Pakistan: the upstream end is in Afghanistan, the mouth
    # (at the Indus) in Pakistan.
    upstream = river.geoms[0].coords[0]
    mouth = river.geoms[-1].coords[-1]
    assert country("AFG").contains(Point(upstream))
    assert country("PAK").contains(Point(mouth))
    assert geodesic_km(mouth, INDUS_CONFLUENCE) <= 5.0, "the river should end at the Indus"


@pytest.mark.parametrize(("city", "where"), [("Kabul", KABUL), ("Jalalabad", JALALABAD)])
def test_kabul_river_passes_close_to(city: str, where: tuple[float, float]) -> None:
    river = geom("kabul_river.geojson", "kabul-river")
    assert km_from_point(where, river) <= 3.0, f"the Kabul River should pass through {city}"


def test_kabul_river_layer_credits_openstreetmap() -> None:
    collection = load("kabul_river.geojson")
    assert "OpenStreetMap" in collection["layer"]["attribution"]
    assert feature_by_id("kabul_river.geojson", "kabul-river")["properties"]["osm_relation"]


# ----------------------------------------------------------------------------------------------
# Peshawar, Paktika/Barmal, Shahtoot Dam
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("feature_id", ["peshawar", "army-public-school-peshawar"])
def test_peshawar_features_are_in_pakistan(feature_id: str) -> None:
    where = lon_lat(feature_by_id("peshawar.geojson", feature_id))
    assert country("PAK").contains(Point(where))


def test_peshawar_is_not_natural_earths_displaced_point() -> None:
    # NE's point sits ~3-4 km west of the centre; the overlay must use a real centre.
    where = lon_lat(feature_by_id("peshawar.geojson", "peshawar"))
    assert geodesic_km(where, PESHAWAR_REF) <= 2.0


def test_paktika_is_in_afghanistan_and_touches_the_durand_line() -> None:
    paktika = geom("patakia.geojson", "paktika")
    afg = country("AFG")
    assert paktika.representative_point().within(afg)
    # Same NE geometry family, different quantization: allow 1 km, and a negligible sliver.
    to_utm = _projector(CRS.from_epsg(32642))
    outside = shapely_transform(paktika, to_utm).difference(shapely_transform(afg, to_utm).buffer(1000))
    assert outside.area < 1e6  # < 1 km² of Paktika outside Afghanistan (+1 km)
    assert km_between(paktika, durand_line()) < 0.5
    assert "Patakia" in feature_by_id("patakia.geojson", "paktika")["properties"]["alt_names"]


def test_barmal_is_inside_paktika_and_afghanistan() -> None:
    barmal = Point(lon_lat(feature_by_id("patakia.geojson", "barmal-district")))
    assert barmal.within(geom("patakia.geojson", "paktika"))
    assert barmal.within(country("AFG"))


def test_shahtoot_dam_is_nearer_kabul_than_the_border() -> None:
    dam = lon_lat(feature_by_id("shahtoot_dam.geojson", "shahtoot-dam"))
    assert country("AFG").contains(Point(dam))
    assert geodesic_km(dam, KABUL) < km_from_point(dam, durand_line())
    assert geodesic_km(dam, KABUL) < 40


# ----------------------------------------------------------------------------------------------
# Every hand-placed place within its stated precision of an independent reference
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "feature_id", "reference"),
    [
        ("torkham.geojson", "torkham", TORKHAM_REF),
        ("peshawar.geojson", "peshawar", PESHAWAR_REF),
        ("peshawar.geojson", "army-public-school-peshawar", APS_REF),
        ("shahtoot_dam.geojson", "shahtoot-dam", SHAHTOOT_REF),
        ("patakia.geojson", "barmal-district", ANGUR_ADA),
    ],
)
def test_place_within_stated_precision_of_reference(
    relative: str, feature_id: str, reference: tuple[float, float]
) -> None:
    feat = feature_by_id(relative, feature_id)
    assert geodesic_km(lon_lat(feat), reference) <= stated_radius_km(feat)


def test_durand_line_and_paktika_lie_where_the_references_say() -> None:
    # The two NE-drawn overlays: the line passes Torkham and Angur Ada within NE's ~1-2 km
    # generalisation, and Paktika contains Angur Ada's Afghan side (the Barmal valley).
    line = durand_line()
    assert km_from_point(TORKHAM_REF, line) <= 2.0
    assert km_from_point(ANGUR_ADA, line) <= 2.0
    assert km_from_point(ANGUR_ADA, geom("patakia.geojson", "paktika")) <= 2.0


def test_corrected_city_labels() -> None:
    islamabad = lon_lat(feature_by_id("basemap/cities.geojson", "city-islamabad"))
    peshawar = lon_lat(feature_by_id("basemap/cities.geojson", "city-peshawar"))
    kabul = lon_lat(feature_by_id("basemap/cities.geojson", "city-kabul"))
    assert geodesic_km(islamabad, ISLAMABAD_REF) <= 3.0  # NE's point is ~12 km east
    assert geodesic_km(peshawar, PESHAWAR_REF) <= 2.0
    assert geodesic_km(kabul, KABUL) <= 2.0
    names = {f["properties"]["name"] for f in load("basemap/cities.geojson")["features"]}
    assert "Zareh Sharan" not in names


def test_basemap_borders_keep_the_durand_line_under_the_overlay() -> None:
    """The basemap draws the Afghanistan-Pakistan border once, on the overlay's line,
    so the border stays on the map when the Durand Line overlay is switched off."""
    afpak = [
        feat
        for feat in load("basemap/borders.geojson")["features"]
        if {feat["properties"]["left"], feat["properties"]["right"]} == {"AFG", "PAK"}
    ]
    assert len(afpak) == 1
    overlay = shape(feature_by_id("durand_line.geojson", "durand-line")["geometry"])
    assert shape(afpak[0]["geometry"]).hausdorff_distance(overlay) < 1e-4


def test_shipped_basemap_files_leave_their_look_to_geo_style() -> None:
    """Basemap styles live in geo/style.py only (a file's own style would override it)."""
    for path in sorted((DATA / "basemap").glob("*.geojson")):
        assert "style" not in json.loads(path.read_text("utf-8"))["layer"], path.name


# ----------------------------------------------------------------------------------------------
# Events
# ----------------------------------------------------------------------------------------------


def events() -> list[dict[str, Any]]:
    return list(load("events.geojson")["features"])


def event_radius_km(feat: dict[str, Any]) -> float:
    precision = feat["properties"]["location_precision"]
    return float(precision["radius_km"]) if precision["type"] == "radius" else 0.0


@pytest.mark.parametrize("feat", events(), ids=lambda f: f["id"])
def test_event_inside_each_claimed_country(feat: dict[str, Any]) -> None:
    claimed = feat["properties"]["country"]
    codes = [claimed] if isinstance(claimed, str) else list(claimed)
    where = lon_lat(feat)
    allowed = event_radius_km(feat) + 0.001
    basemap = {f["id"] for f in load("basemap/countries.geojson")["features"]}
    for code in codes:
        if code not in basemap:
            assert code in OUTSIDE_BASEMAP, f"{feat['id']}: {code} is not in the basemap"
            continue
        assert km_from_point(where, country(code)) <= allowed, f"{feat['id']} not in {code}"


def test_area_events_point_inside_their_area() -> None:
    ids = {
        f["id"]: f
        for relative in ["basemap/countries.geojson", "basemap/provinces.geojson"]
        for f in load(relative)["features"]
    }
    for relative in OVERLAYS:
        ids.update({f["id"]: f for f in load(relative)["features"]})
    for feat in events():
        precision = feat["properties"]["location_precision"]
        if precision["type"] != "area" or "area_ref" not in precision:
            continue
        area = ids[precision["area_ref"]]
        where = lon_lat(feat)
        if area["geometry"]["type"] == "Point":  # an area drawn as a circle
            assert geodesic_km(where, lon_lat(area)) <= stated_radius_km(area), feat["id"]
        else:
            assert shape(area["geometry"]).contains(Point(where)), feat["id"]


def test_events_placed_from_other_reporting_match_references() -> None:
    outpost = feature_by_id("events.geojson", "2024-12-21-ttp-outpost-attack")
    assert geodesic_km(lon_lat(outpost), MAKEEN) <= event_radius_km(outpost)
    assert outpost["properties"]["placement_note"]
    for event_id in ["2025-02-21-torkham-closed", "2025-03-03-torkham-firefight"]:
        feat = feature_by_id("events.geojson", event_id)
        assert geodesic_km(lon_lat(feat), TORKHAM_REF) <= event_radius_km(feat)
    strikes = feature_by_id("events.geojson", "2024-12-25-paktika-airstrikes")
    assert Point(lon_lat(strikes)).within(geom("patakia.geojson", "paktika"))


def test_events_reference_existing_layers_and_are_in_date_order() -> None:
    overlay_ids = {load(relative)["layer"]["id"] for relative in OVERLAYS}
    assert overlay_ids == set(OVERLAYS.values())
    dates = []
    for feat in events():
        assert set(feat["properties"]["layers"]) <= overlay_ids, feat["id"]
        dates.append(feat["properties"]["date"])
    assert dates == sorted(dates)
