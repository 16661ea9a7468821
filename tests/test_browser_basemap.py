"""The basemap, the view limits, the labels and Save image, in headless Chromium."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.conftest import DATA_DIR, boxes_overlap
from tests.png import read_png

pytestmark = pytest.mark.browser

SIZES = ((1440, 900), (1280, 800), (390, 844))
# Places that are land and places that are sea, typed from an atlas (lon, lat), away
# from the article's places: deserts and plateaus, open sea.
LAND = {
    "Registan desert": (65.5, 30.2),
    "Cholistan desert": (73.0, 28.2),
    "Badghis": (63.5, 35.5),
    "Dasht-e Kavir": (54.5, 33.5),
    "Rub al Khali": (48.0, 21.5),
    "Karakum": (59.5, 39.5),
    "Deccan": (78.5, 19.0),
    "Tibetan plateau": (88.0, 33.0),
    "Syrian desert": (39.0, 32.0),
}
SEA = {
    "Arabian Sea": (63.0, 19.0),
    "Bay of Bengal": (88.0, 15.0),
    "Persian Gulf": (51.5, 27.5),
    "Caspian Sea": (51.0, 42.0),
}


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _world(page) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    world = page.evaluate("FrontierMap.app.payload.world")
    return _hex(world["land"]["fillColor"]), _hex(world["sea"])


def _settle(page) -> None:
    page.wait_for_function("!FrontierMap.app.labels.pending")


def _colour_at(page, lon: float, lat: float) -> tuple[int, int, int] | None:
    """The most common colour of the 7x7 pixels around a place, or None when it is not in
    view or a marker, a label or a map control covers it."""
    point = page.evaluate(
        """([lat, lon]) => {
          const map = FrontierMap.app.map, p = map.latLngToContainerPoint([lat, lon]);
          const box = map.getContainer().getBoundingClientRect(), size = map.getSize();
          if (p.x < 10 || p.y < 10 || p.x > size.x - 10 || p.y > size.y - 10) return null;
          const x = Math.round(box.left + p.x), y = Math.round(box.top + p.y);
          for (const [dx, dy] of [[0, 0], [-4, -4], [4, -4], [-4, 4], [4, 4]]) {
            const hit = document.elementFromPoint(x + dx, y + dy);
            if (!hit || hit.closest(".leaflet-control, .leaflet-marker-icon, .fm-city-label")) return null;
          }
          return [x, y];
        }""",
        [lat, lon],
    )
    if point is None:
        return None
    png = page.screenshot(clip={"x": point[0] - 3, "y": point[1] - 3, "width": 7, "height": 7})
    image = read_png(png)
    return Counter(c for row in image.rows for c in row).most_common(1)[0][0]


def _check_land_and_sea(page, *, at_least: int) -> int:
    land, sea = _world(page)
    seen = 0
    for name, (lon, lat) in LAND.items():
        colour = _colour_at(page, lon, lat)
        if colour is not None:
            assert colour == land, f"{name} should be land {land}, shows {colour}"
            seen += 1
    for name, (lon, lat) in SEA.items():
        colour = _colour_at(page, lon, lat)
        if colour is not None:
            assert colour == sea, f"{name} should be sea {sea}, shows {colour}"
            seen += 1
    assert seen >= at_least, f"only {seen} reference places in view"
    return seen


def _view_inside_limits(page) -> bool:
    return page.evaluate(
        """(() => {
          const map = FrontierMap.app.map, limits = L.latLngBounds(FrontierMap.app.payload.limits);
          return limits.pad(0.001).contains(map.getBounds());
        })()"""
    )


@pytest.mark.parametrize(("width", "height"), [SIZES[0], SIZES[2]])
def test_land_is_drawn_where_land_is_at_the_first_view_and_fully_zoomed_out(
    open_map, shipped_map, width, height
):
    page, log = open_map(shipped_map, width=width, height=height)
    _settle(page)
    _check_land_and_sea(page, at_least=2)
    assert _view_inside_limits(page)

    page.evaluate("void FrontierMap.app.map.setZoom(0, { animate: false })")
    zoom = page.evaluate("[FrontierMap.app.map.getZoom(), FrontierMap.app.map.getMinZoom()]")
    assert zoom[0] == zoom[1] > 0
    _settle(page)
    _check_land_and_sea(page, at_least=4)
    assert _view_inside_limits(page)
    # Dragged as far as it goes in each direction, the view stays over the drawn world.
    limits = page.evaluate("FrontierMap.app.payload.limits")
    for lat, lon in ((limits[0][0], limits[0][1]), (80, 180)):
        page.evaluate(f"void FrontierMap.app.map.panTo([{lat}, {lon}], {{ animate: false }})")
        page.wait_for_function(
            "(() => { const m = FrontierMap.app.map; return L.latLngBounds(FrontierMap.app.payload.limits)"
            ".pad(0.001).contains(m.getBounds()); })()"
        )
        _settle(page)
        _check_land_and_sea(page, at_least=1)
    assert log.errors == []
    assert log.requests == []


def test_land_stays_land_zoomed_far_in(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    land, _sea = _world(page)
    for name in ("Registan desert", "Dasht-e Kavir", "Deccan"):
        lon, lat = LAND[name]
        page.evaluate(f"void FrontierMap.app.map.setView([{lat}, {lon}], 12, {{ animate: false }})")
        _settle(page)
        assert _colour_at(page, lon, lat) == land, name


def test_first_view_frames_the_frontier_and_the_outlier_stays_reachable(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    events = json.loads((DATA_DIR / "events.geojson").read_text("utf-8"))["features"]
    dubai = next(f for f in events if "dubai" in f["id"])
    others = [f for f in events if f is not dubai]
    inside = page.evaluate(
        """(points) => points.map(([lon, lat]) => FrontierMap.app.map.getBounds().contains([lat, lon]))""",
        [f["geometry"]["coordinates"] for f in [dubai, *others]],
    )
    assert inside[0] is False, "the first view takes in the Dubai outlier"
    assert all(inside[1:]), "an event near the frontier is outside the first view"
    durand = page.evaluate("FrontierMap.app.placeLayers['durand-line'].getBounds().toBBoxString()")
    west, south, east, north = (float(v) for v in durand.split(","))
    assert page.evaluate(
        f"FrontierMap.app.map.getBounds().contains([[{south}, {west}], [{north}, {east}]])"
    ), "the Durand Line is not wholly in the first view"
    # Zoomed out and moved west, as far as the map lets a reader go, the Dubai marker shows.
    lon, lat = dubai["geometry"]["coordinates"]
    page.evaluate(
        "([lat, lon]) => void FrontierMap.app.map.setView([lat, lon], FrontierMap.app.map.getMinZoom(), "
        "{ animate: false })",
        [lat, lon],
    )
    marker = page.locator(f'.leaflet-marker-icon[data-event-id="{dubai["id"]}"]')
    box, area = marker.bounding_box(), page.locator(".leaflet-container").bounding_box()
    assert box and area
    assert area["x"] <= box["x"] and box["x"] + box["width"] <= area["x"] + area["width"]
    assert area["y"] <= box["y"] and box["y"] + box["height"] <= area["y"] + area["height"]


def test_the_basemap_draws_in_its_own_pane_below_the_overlays(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    panes = page.evaluate(
        """(() => {
          const map = FrontierMap.app.map, z = (name) => +getComputedStyle(map.getPane(name)).zIndex;
          return { basemap: z("fm-basemap"), overlay: z("overlayPane"),
                   canvases: map.getPane("fm-basemap").querySelectorAll("canvas").length,
                   dots: map.getPane("fm-basemap").querySelectorAll("path").length,
                   labels: map.getPane("fm-labels").querySelectorAll(".fm-city-name").length };
        })()"""
    )
    assert panes["basemap"] < panes["overlay"]
    # The shapes on one canvas (land, borders, rivers), the cities as dots with names.
    assert panes["canvases"] == 1 and panes["dots"] > 20 and panes["labels"] > 20


_BOXES = """(() => {
  const box = (n) => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const shown = (n) => getComputedStyle(n.closest(".leaflet-marker-icon")).display !== "none";
  const cities = [...document.querySelectorAll(".fm-city-name")].filter(shown);
  return {
    cities: cities.map((n) => [n.textContent, box(n)]),
    hidden: document.querySelectorAll(".fm-city-name").length - cities.length,
    markers: [...FrontierMap.app.map.getPane("markerPane").children].map(box),
    lines: [...document.querySelectorAll(".fm-line-label")].filter(shown).map(box),
    // Symbols on the events canvas, from container to page pixels.
    painted: FrontierMap.app.clusters.paintedBoxes().map(([x0, y0, x1, y1]) => {
      const r = FrontierMap.app.map.getContainer().getBoundingClientRect();
      return [x0 + r.left, y0 + r.top, x1 + r.left, y1 + r.top];
    }),
  };
})()"""


def _check_labels(page, *, at_least: int) -> dict:
    _settle(page)
    boxes = page.evaluate(_BOXES)
    cities = boxes["cities"]
    assert len(cities) >= at_least, f"only {len(cities)} city names shown"
    area = page.evaluate(
        "(() => { const r = FrontierMap.app.map.getContainer().getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })()"
    )
    for n, (name, box) in enumerate(cities):
        assert area[0] <= box[0] and area[1] <= box[1] and box[2] <= area[2] and box[3] <= area[3], (
            f"{name} is cut by the map's edge"
        )
        for other, other_box in cities[n + 1 :]:
            assert not boxes_overlap(box, other_box), f"{name} overlaps {other}"
        for marker in boxes["markers"] + boxes["painted"]:
            assert not boxes_overlap(box, marker), f"{name} overlaps a marker"
        for line in boxes["lines"]:
            assert not boxes_overlap(box, line), f"{name} overlaps the Durand Line label"
    return boxes


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_city_names_do_not_collide_with_each_other_or_markers(open_map, shipped_map, width, height):
    page, log = open_map(shipped_map, width=width, height=height)
    first = _check_labels(page, at_least=5)
    assert first["hidden"] > 0, "some names must give way at the first view"
    page.evaluate("FrontierMap.app.map.zoomIn(1, { animate: false })")
    closer = _check_labels(page, at_least=5)
    page.evaluate("void FrontierMap.app.map.setZoom(0, { animate: false })")
    _check_labels(page, at_least=3)
    names = {name for name, _ in closer["cities"]}
    assert names, "no names zoomed in"
    # Fewer events in the time window: names come back where markers went away.
    page.evaluate("void FrontierMap.app.map.setZoom(FrontierMap.app.map.getZoom() + 2, { animate: false })")
    before = len(_check_labels(page, at_least=1)["cities"])
    page.evaluate("FrontierMap.app.setWindow(0, 1)")
    after = _check_labels(page, at_least=1)
    assert not after["markers"] or len(after["markers"]) < len(first["markers"])
    assert len(after["cities"]) >= before
    assert log.errors == []


def test_city_names_keep_clear_of_the_clusters_a_large_import_draws_on_the_canvas(open_map, tmp_path):
    from bench.generate import acled_columns, write_csv
    from geo import BuildOptions, build_map, write_map

    source = tmp_path / "acled_21k.csv"
    write_csv(source, acled_columns(21_000))
    html = write_map(build_map(DATA_DIR, BuildOptions(event_files=(source,))), tmp_path / "map.html")
    page, log = open_map(html, width=1440, height=900)
    assert page.evaluate("FrontierMap.app.mode") == "canvas"
    boxes = _check_labels(page, at_least=5)
    assert len(boxes["painted"]) > 20
    page.evaluate("FrontierMap.app.map.zoomIn(1, { animate: false })")
    _check_labels(page, at_least=5)
    assert log.errors == []


def test_disputed_border_label_sits_on_the_line_and_takes_no_clicks(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    _settle(page)
    label = page.locator(".fm-line-label")
    assert label.is_visible()
    assert "Durand Line" in label.inner_text() and "disputed border" in label.inner_text()
    found = page.evaluate(
        """(() => {
          const app = FrontierMap.app, map = app.map, node = document.querySelector(".fm-line-label");
          const r = node.getBoundingClientRect(), origin = map.getContainer().getBoundingClientRect();
          const c = L.point((r.left + r.right) / 2 - origin.left, (r.top + r.bottom) / 2 - origin.top);
          const pts = app.placeLayers["durand-line"].getLatLngs().map((ll) => map.latLngToContainerPoint(ll));
          let best = Infinity;
          for (let k = 1; k < pts.length; k++) {
            best = Math.min(best, L.LineUtil.pointToSegmentDistance(c, pts[k - 1], pts[k]));
          }
          const under = document.elementFromPoint(c.x + origin.left, c.y + origin.top);
          return { distance: best, height: node.offsetHeight, x: c.x + origin.left, y: c.y + origin.top,
                   underIsLabel: !!(under && under.closest(".fm-line-label")) };
        })()"""
    )
    assert found["distance"] <= found["height"] / 2, found
    assert not found["underIsLabel"], "the label catches clicks"
    page.mouse.click(found["x"], found["y"])
    assert page.locator('.fm-popup[data-feature-id="paktika"]').count() == 0
    # Switched off with its layer, and back with it.
    page.evaluate("void FrontierMap.app.map.removeLayer(FrontierMap.app.overlayLayers['durand-line'])")
    assert page.locator(".fm-line-label").count() == 0
    page.evaluate("void FrontierMap.app.map.addLayer(FrontierMap.app.overlayLayers['durand-line'])")
    _settle(page)
    assert page.locator(".fm-line-label").is_visible()


def test_save_image_downloads_a_png_of_the_view(open_map, shipped_map, tmp_path):
    page, log = open_map(shipped_map, width=1280, height=800)
    _settle(page)
    size = page.evaluate(
        "[FrontierMap.app.map.getContainer().clientWidth, FrontierMap.app.map.getContainer().clientHeight,"
        " window.devicePixelRatio]"
    )
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Save image").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("frontier-map_1893-01-01_") and path.suffix == ".png"
    image = read_png(path.read_bytes())
    assert (image.width, image.height) == (round(size[0] * size[2]), round(size[1] * size[2]))
    colours = image.colours()
    land, _sea = _world(page)
    assert len(colours) > 200, "the image is nearly blank"
    most = Counter(c for row in image.rows for c in row).most_common(1)[0][0]
    assert most == land, f"the frontier view is mostly land, the image mostly {most}"
    categories = {_hex(c["color"]) for c in page.evaluate("FrontierMap.app.payload.categories") if c["count"]}
    assert categories & colours, "no event marker in the image"
    assert page.locator(".fm-snapshot-card").count() == 0, "the image's card stays on the page"
    assert page.get_by_role("button", name="Save image").is_enabled()
    assert log.requests == []
    assert log.errors == []
