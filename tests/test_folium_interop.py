"""folium objects added to our map, and layers added with geo.add_layer, in headless Chromium."""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Polygon

import geo
from geo import DataError, add_layer, build_map, render_html, write_map
from tests.conftest import VALID_DIR, map_pixel

# A square in Balochistan, clear of the article's places: the opaque basemap is under it.
SQUARE = [[64.0, 27.0], [65.5, 27.0], [65.5, 28.0], [64.0, 28.0], [64.0, 27.0]]
SQUARE_MIDDLE = (27.5, 64.75)
RED, GREEN, BLUE = "#ff0000", "#00aa00", "#0000ff"
HOSTILE = "{{ 7*7 }} </script><b>x</b>"


def _square(name: str = "My area") -> dict:
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }


@pytest.fixture(scope="module")
def folium_map(tmp_path_factory):
    """The article map plus what a folium user adds with .add_to(m) and gdf.explore(m=m)."""
    fmap = build_map()
    folium.GeoJson(
        _square(), style_function=lambda f: {"color": RED, "fillColor": RED, "fillOpacity": 0.6}
    ).add_to(fmap)
    folium.CircleMarker([25.8, 64.0], radius=14, color=GREEN, fill=True, fill_opacity=1).add_to(fmap)
    folium.Marker([28.5, 66.0], popup=folium.Popup("<b>Kabul</b> marker popup", max_width=200)).add_to(fmap)
    explored = gpd.GeoDataFrame(
        {"name": ["Box"]},
        geometry=[Polygon([(66.0, 26.5), (67.0, 26.5), (67.0, 27.3), (66.0, 27.3)])],
        crs=4326,
    )
    explored.explore(m=fmap, color=BLUE, style_kwds={"fillOpacity": 0.6})
    return write_map(fmap, tmp_path_factory.mktemp("folium") / "map.html")


@pytest.mark.browser
def test_folium_layers_draw_above_the_basemap_offline(open_map, folium_map):
    page, log = open_map(folium_map)
    red, green, blue = map_pixel(page, *SQUARE_MIDDLE)
    assert red > 200 and green < 150 and blue < 150, f"folium.GeoJson is hidden: {(red, green, blue)}"
    red, green, blue = map_pixel(page, 25.8, 64.0)
    assert green > 120 and red < 60 and blue < 60, f"folium.CircleMarker is hidden: {(red, green, blue)}"
    red, green, blue = map_pixel(page, 26.9, 66.5)
    assert blue > 200 and red < 150 and green < 150, f"gdf.explore(m=m) is hidden: {(red, green, blue)}"
    assert log.requests == []
    assert log.errors == []


@pytest.mark.browser
def test_folium_marker_has_its_default_icon_and_its_popup_opens(open_map, folium_map):
    page, log = open_map(folium_map)
    page.evaluate("() => { FrontierMap.app.map.setView([28.5, 66.0], 7, {animate: false}); }")
    icon = page.locator("img.leaflet-marker-icon")
    assert icon.count() == 1
    page.wait_for_function("document.querySelector('img.leaflet-marker-icon').complete")
    assert icon.evaluate("img => img.naturalWidth") == 25, "the default marker image did not load"
    assert icon.evaluate("img => img.src").startswith("data:image/png;base64,")
    icon.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=3000)
    assert popup.inner_text().strip() == "Kabul marker popup"
    assert log.requests == []
    assert log.errors == []


def test_jquery_only_in_maps_holding_folium_elements():
    plain = build_map(VALID_DIR)
    assert "jQuery v" not in render_html(plain)
    folium.Marker([34.5, 69.2]).add_to(plain)
    assert "jQuery v3.7.1" in render_html(plain)


@pytest.fixture(scope="module")
def layered_map(tmp_path_factory):
    fmap = build_map()
    collection = {"type": "FeatureCollection", "features": [_square(HOSTILE)]}
    collection["features"][0]["properties"].update({"operator": "NGO survey", "year": 2024})
    assert add_layer(fmap, collection, "Survey areas", color="#aa00aa", source="Our survey 2024") == (
        "added-survey-areas"
    )
    return write_map(fmap, tmp_path_factory.mktemp("layered") / "map.html")


@pytest.mark.browser
def test_added_layer_joins_layer_list_search_and_popups(open_map, layered_map):
    page, log = open_map(layered_map)
    features = page.locator(".fm-layer-added-survey-areas")
    assert features.count() == 1
    label = page.locator(".fm-layers-panel label", has_text="Survey areas")
    assert label.count() == 1
    fill = label.locator(".fm-sym-fill").evaluate("s => getComputedStyle(s).backgroundColor")
    assert fill == "rgb(170, 0, 170)"
    shown = map_pixel(page, *SQUARE_MIDDLE)
    label.locator("input").uncheck()
    page.wait_for_function("!document.querySelector('.fm-layer-added-survey-areas')")
    hidden = map_pixel(page, *SQUARE_MIDDLE)
    # Its translucent purple fill tints what is under it (less green), above the basemap.
    assert shown[1] < hidden[1] - 20 and shown[0] > shown[1], (
        f"the added layer is hidden: {shown} vs {hidden}"
    )
    label.locator("input").check()
    page.wait_for_function("!!document.querySelector('.fm-layer-added-survey-areas')")

    page.fill("#fm-search", "7*7")
    option = page.get_by_role("option").filter(has_text=HOSTILE).first
    option.wait_for(timeout=3000)
    option.click()
    popup = page.locator(".leaflet-popup-content .fm-popup")
    popup.wait_for(timeout=3000)
    assert popup.locator("h3").inner_text() == HOSTILE  # text, never markup or template
    text = popup.inner_text()
    assert "Layer: Survey areas" in text
    assert "Operator: NGO survey" in text
    popup.locator("summary", has_text="Source").click()
    assert "Our survey 2024" in popup.inner_text()
    assert "Our survey 2024" in page.locator(".leaflet-control-attribution").inner_text()
    assert log.errors == []


def test_added_geodataframe_is_reprojected_to_longitude_latitude():
    fmap = build_map(VALID_DIR)
    frame = gpd.GeoDataFrame({"name": ["box"]}, geometry=[Polygon(SQUARE)], crs=4326).to_crs(3857)
    layer_id = add_layer(fmap, frame, "Boxes")
    html = render_html(fmap)
    payload = json.loads(html.split('id="frontier-data">', 1)[1].split("</script>", 1)[0])
    (layer,) = [la for la in payload["overlays"] if la["id"] == layer_id]
    ring = layer["data"]["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == pytest.approx(SQUARE[0])
    assert ring[2] == pytest.approx(SQUARE[2])


def test_added_layer_reports_every_feature_without_a_geometry(tmp_path):
    fmap = build_map(VALID_DIR)
    path = tmp_path / "mine.geojson"
    features = [
        _square(),
        {"type": "Feature", "properties": {}, "geometry": None},
        _square(),
        {"type": "Feature"},
    ]
    features[2]["geometry"]["coordinates"] = [[[700000, 4000000], [710000, 4000000], [700000, 4010000]]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    with pytest.raises(DataError) as caught:
        add_layer(fmap, path, "Mine")
    assert [(p.file, p.feature, p.field) for p in caught.value.problems] == [
        (str(path), "#1", "geometry"),
        (str(path), "#2", "geometry"),
        (str(path), "#3", "geometry"),
    ]
    assert "WGS84" in caught.value.report()


@pytest.mark.parametrize("data", [42, ["a.geojson"], None])
def test_added_layer_of_an_unsupported_type_says_what_is_accepted(data):
    with pytest.raises(TypeError, match="GeoJSON file path, a GeoJSON dict or a GeoDataFrame"):
        add_layer(build_map(VALID_DIR), data, "x")


def test_add_layer_needs_one_of_our_maps():
    with pytest.raises(TypeError, match=r"geo\.build_map"):
        add_layer(folium.Map(), _square(), "x")


def test_notebook_output_has_the_asked_height():
    assert "height:600px;" in build_map(VALID_DIR)._repr_html_()
    assert "height:80vh;" in build_map(VALID_DIR, height="80vh")._repr_html_()
    with pytest.raises(geo.UsageError, match="CSS length"):
        build_map(VALID_DIR, height="tall")
