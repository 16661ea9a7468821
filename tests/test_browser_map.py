"""The built map in real headless Chromium with every request off the machine blocked."""

from __future__ import annotations

import calendar
import json
import re

import pytest

from tests.conftest import ARTIFACTS, DATA_DIR, boxes_overlap, click_event
from tests.png import read_png

pytestmark = pytest.mark.browser

SIX_LAYERS = (
    "Durand Line",
    "Torkham",
    "Peshawar",
    "Patakia (Paktika)",
    "Kabul River",
    "Shahtoot Dam",
)


def _events() -> list[dict]:
    return json.loads((DATA_DIR / "events.geojson").read_text("utf-8"))["features"]


def _overlay_ids() -> dict[str, str]:
    """Layer title -> layer id, read from the shipped files (not from our code)."""
    ids = {}
    for path in DATA_DIR.glob("*.geojson"):
        header = json.loads(path.read_text("utf-8"))["layer"]
        if header["role"] == "overlay":
            ids[header["title"]] = header["id"]
    return ids


def expected_date(iso: str) -> str:
    """An independent reading of a partial ISO date: '2014-12' -> 'December 2014'."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = calendar.month_name[parts[1]]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


def overlay_checkbox(page, title: str):
    label = page.locator(".fm-layers-panel label", has_text=re.compile(rf"^\s*{re.escape(title)}\s*$"))
    return label.locator("input[type=checkbox]")


def close_popup(page) -> None:
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached", timeout=3000)


def test_map_draws_offline(open_map, shipped_map):
    page, log = open_map(shipped_map)
    assert page.locator(".leaflet-container").count() == 1
    # The vector basemap (countries etc.) and the overlays are drawn as SVG paths.
    assert page.locator("path.leaflet-interactive, path").count() > 50
    assert page.locator(".fm-header h1").inner_text().strip()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"))
    assert log.requests == []
    assert log.errors == []


# Read in the same task that marks the page ready, before any frame is painted.
_SIZE_AT_READY = """
// What the map does to its view once it has its first path (a layer drawn), until it is ready.
window.__afterFirstPath = null;
Object.defineProperty(window, "L", { configurable: true, get: function () { return undefined; },
  set: function (L) {
    Object.defineProperty(window, "L", { configurable: true, writable: true, value: L });
    var fire = L.Map.prototype.fire;
    L.Map.prototype.fire = function (type, data) {
      var log = window.__afterFirstPath;
      var path = type === "layeradd" && data && data.layer instanceof L.Path;
      if (path && log === null) window.__afterFirstPath = [];
      else if (log && /^(viewreset|moveend|zoomend|resize)$/.test(type)
        && !document.documentElement.hasAttribute("data-frontier-ready")) log.push(type);
      return fire.apply(this, arguments);
    };
  } });
new MutationObserver(function (changes, observer) {
  if (!document.documentElement.hasAttribute("data-frontier-ready")) return;
  observer.disconnect();
  var map = FrontierMap.app.map, box = map.getContainer();
  window.__sizeAtReady = {
    leaflet: [map.getSize().x, map.getSize().y], box: [box.clientWidth, box.clientHeight],
    frame: map.getBounds().contains(L.latLngBounds(FrontierMap.app.payload.frame)) };
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-frontier-ready"] });
"""


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_the_map_knows_its_final_size_when_ready(browser, shipped_map, size):
    """Its first frame is drawn for the box it has once every panel is in, and frames the frontier.

    The layers are drawn once: no view change (which re-projects or redraws every layer)
    comes between the first layer drawn and the page being ready.
    """
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        page.add_init_script(_SIZE_AT_READY)
        page.goto(shipped_map.resolve().as_uri())
        page.wait_for_function("window.__sizeAtReady")
        at_ready = page.evaluate("window.__sizeAtReady")
        after_first_path = page.evaluate("window.__afterFirstPath")
    finally:
        context.close()
    assert after_first_path == []
    assert at_ready["leaflet"] == at_ready["box"]
    assert at_ready["frame"] is True


def test_sidebar_lists_the_six_layers_first_and_each_category_once(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert shipped_map.read_text("utf-8").startswith('<!DOCTYPE html>\n<html lang="en">')
    names = [n.strip() for n in page.locator(".fm-layers-panel label").all_inner_texts()]
    assert names == list(SIX_LAYERS)
    assert page.locator(".fm-layers-panel .fm-sym").count() == len(SIX_LAYERS), "each layer has its symbol"
    # The layers are the first panel; Leaflet's own layer control (and its lone basemap radio) is gone.
    first = page.locator(".fm-sidebar > .fm-panel").first
    assert "fm-layers-panel" in first.get_attribute("class")
    assert page.locator(".leaflet-control-layers, input[type=radio]").count() == 0
    # Each category once: one row that is filter, symbol and count; not again in the legend.
    labels = {f["properties"]["category"] for f in _events()}
    rows = page.locator(".fm-filters .fm-filter-list li")
    assert rows.count() == len(labels)
    assert page.locator(".fm-filters .fm-filter-list .fm-dot").count() == len(labels)
    sidebar = page.locator(".fm-sidebar")
    for label in page.locator(".fm-filter-name").all_inner_texts():
        outside_list = sidebar.evaluate(
            "(el, t) => [...el.querySelectorAll(':scope > :not(.fm-list-panel)')]"
            ".map(p => p.textContent.split(t).length - 1).reduce((a, b) => a + b, 0)",
            label,
        )
        assert outside_list == 1, f"{label!r} appears {outside_list} times in the sidebar"
    assert all(box.is_checked() for box in page.locator(".fm-sidebar input[type=checkbox]").all())


@pytest.mark.parametrize("size", [(1440, 900), (1280, 800)])
def test_the_six_layer_toggles_are_on_screen_and_a_few_tabs_away(open_map, shipped_map, size):
    width, height = size
    page, _ = open_map(shipped_map, width=width, height=height)
    for title in SIX_LAYERS:
        box = overlay_checkbox(page, title)
        assert box.is_visible()
        bbox = box.bounding_box()
        assert bbox["x"] >= 0 and bbox["y"] >= 0, (title, bbox)
        assert bbox["x"] + bbox["width"] <= width and bbox["y"] + bbox["height"] <= height, (title, bbox)
    first = overlay_checkbox(page, SIX_LAYERS[0])
    for _ in range(15):
        page.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the first layer toggle is not reached within 15 Tab presses")
    page.keyboard.press("Space")
    assert not first.is_checked()
    assert page.locator(".fm-layer-durand-line").count() == 0


@pytest.mark.parametrize("title", SIX_LAYERS)
def test_each_layer_toggles_off_and_on(open_map, shipped_map, title):
    page, log = open_map(shipped_map)
    layer_id = _overlay_ids()[title]
    features = page.locator(f".fm-layer-{layer_id}")
    before = features.count()
    assert before > 0, f"layer {title!r} draws nothing"
    box = overlay_checkbox(page, title)
    box.uncheck()
    assert features.count() == 0
    box.check()
    assert features.count() == before
    assert log.errors == []


def test_event_categories_toggle(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    box = page.locator(".fm-filters input[data-category]").first
    category = box.get_attribute("data-category")
    # The events drawn: single markers and the members of clusters.
    drawn = (
        "(a => a.clusters.drawn().flatMap(d => d.members.map(i => a.store.id(i))).sort())(FrontierMap.app)"
    )
    before = page.evaluate(drawn)
    box.uncheck()
    after = page.evaluate(drawn)
    off = {f["id"] for f in _events() if f["properties"]["category"] == category}
    assert off and set(after) == set(before) - off
    box.check()
    assert page.evaluate(drawn) == before


def test_every_event_opens_a_popup_with_title_and_date(open_map, shipped_map):
    page, log = open_map(shipped_map)
    events = _events()
    assert len(events) >= 20
    assert any(f["properties"]["location_precision"]["type"] == "radius" for f in events)
    # All the events in view: the first view frames the frontier, without the Dubai meeting.
    page.evaluate("(a => void a.map.fitBounds(a.payload.bounds, { animate: false }))(FrontierMap.app)")
    for feature in events:
        props = feature["properties"]
        click_event(page, feature["id"])
        popup = page.locator(".leaflet-popup-content")
        text = popup.inner_text()
        assert props["title"] in text
        assert expected_date(props["date"]) in text, (props["date"], text)
        assert re.search(r"\b\d{4}-\d{2}-\d{2}\b", text) is None, "dates must read as words"
        precision = props["location_precision"]
        if precision["type"] == "radius":
            assert f"within {precision['radius_km']:g} km" in text
        close_popup(page)
    assert log.errors == []
    assert log.requests == []


def test_month_precision_reads_as_month(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    month_events = [f for f in _events() if f["properties"]["date_precision"] == "month"]
    assert month_events, "the article has month-precision events (December 2014)"
    props = month_events[0]["properties"]
    click_event(page, month_events[0]["id"])
    date = page.locator(".leaflet-popup-content time").first.inner_text()
    assert date.startswith(expected_date(props["date"]))
    assert not re.search(r"\b1\b|-01\b", date)


def test_popup_is_a_card_with_the_rest_folded(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    rich = next(f for f in _events() if f["properties"].get("claims") and f["properties"].get("figures"))
    props = rich["properties"]
    click_event(page, rich["id"])
    popup = page.locator(".leaflet-popup-content")
    text = popup.inner_text()
    assert props["place"] in text
    for figure in props["figures"]:
        assert f"{figure['value']:,}" in text and figure["reported_by"] in text
    # Claims, notes and the source are folded: hidden until their section is opened.
    for claim in props["claims"]:
        assert claim["claim"] not in text
    assert props["source"]["title"] not in text
    popup.locator("summary", has_text="Competing claims").click()
    popup.locator("summary", has_text="Source").click()
    text = popup.inner_text()
    for claim in props["claims"]:
        assert claim["by"] in text and claim["claim"] in text
    assert props["source"]["title"] in text


def _popup_text(page) -> str:
    """Everything in the open popup, folded sections included, except the technical details."""
    return page.evaluate(
        """() => {
          const copy = document.querySelector('.leaflet-popup-content').cloneNode(true);
          copy.querySelectorAll('.fm-technical').forEach(n => n.remove());
          return copy.textContent;
        }"""
    )


def _open(page, script: str, arg: str, selector: str) -> None:
    """Run ``script`` (which opens a popup) and wait until that popup alone is open."""
    page.evaluate(script, arg)
    page.wait_for_function(
        "s => document.querySelectorAll('.leaflet-popup').length === 1 && !!document.querySelector(s)",
        arg=f".leaflet-popup-content {selector}",
    )


OPEN_EVENT = "id => FrontierMap.app.openEvent(id)"
OPEN_PLACE = "id => { FrontierMap.app.placeLayers[id].openPopup(); }"  # (returns no Leaflet object)
SNAKE = re.compile(r"\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b")


def test_popups_use_human_labels_and_grammar(open_map, shipped_map):
    page, log = open_map(shipped_map)
    for feature in _events():
        _open(page, OPEN_EVENT, feature["id"], f"[data-event-id='{feature['id']}']")
        text = _popup_text(page)
        assert feature["properties"]["title"] in text
        assert not SNAKE.search(text), (feature["id"], SNAKE.findall(text))
        assert not re.search(r"\b1 (\w+ )?(deaths|soldiers|people|children)\b", text), text
        for figure in feature["properties"].get("figures", []):
            if figure["value"] == 1 and figure["kind"] == "soldiers_killed":
                assert "1 soldier killed" in text
    places = page.evaluate("Object.keys(FrontierMap.app.placeLayers)")
    assert len(places) >= 8
    for place in places:
        _open(page, OPEN_PLACE, place, f"[data-feature-id='{place}']")
        text = _popup_text(page)
        assert not SNAKE.search(text), (place, SNAKE.findall(text))
    # Raw id lists only inside the "Technical details" fold.
    _open(page, OPEN_PLACE, "kabul-river", "[data-feature-id='kabul-river']")
    popup = page.locator(".leaflet-popup-content")
    assert "351960920" not in popup.inner_text()
    technical = popup.locator("details.fm-technical")
    assert "351960920" in technical.text_content()
    assert "OpenStreetMap ways" in technical.text_content()
    assert log.errors == []


_POPUP_BOXES = """() => {
  const p = document.querySelector('.leaflet-popup');
  if (!p) return null;
  const r = p.getBoundingClientRect();
  const m = document.querySelector('.leaflet-container').getBoundingClientRect();
  const z = document.querySelector('.leaflet-control-zoom').getBoundingClientRect();
  return {popup: [r.left, r.top, r.right, r.bottom], map: [m.left, m.top, m.right, m.bottom],
          zoom: [z.left, z.top, z.right, z.bottom], screen: [innerWidth, innerHeight]};
}"""

_POPUP_FITS = (
    """() => {
  const b = (BOXES)();
  if (!b || FrontierMap.app.map._panAnim && FrontierMap.app.map._panAnim._inProgress) return false;
  const [l, t, r, bt] = b.popup, [ml, mt, mr, mb] = b.map, [zl, zt, zr, zb] = b.zoom;
  const inMap = l >= ml - 1 && t >= mt - 1 && r <= mr + 1 && bt <= mb + 1;
  const clearOfZoom = r <= zl || l >= zr || bt <= zt || t >= zb;
  return inMap && clearOfZoom && r <= b.screen[0] && bt <= b.screen[1];
}"""
).replace("BOXES", _POPUP_BOXES)


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_every_article_popup_fits_the_map_and_clears_the_zoom_buttons(open_map, shipped_map, size):
    page, log = open_map(shipped_map, width=size[0], height=size[1])
    for feature in _events():
        page.evaluate("id => FrontierMap.app.openEvent(id)", feature["id"])
        try:
            page.wait_for_function(_POPUP_FITS, timeout=3000)
        except Exception:
            pytest.fail(f"{feature['id']}: popup does not fit: {page.evaluate(_POPUP_BOXES)}")
        props = feature["properties"]
        if props.get("claims") or props.get("notes"):
            # Opening every fold makes it taller: it still fits, scrolling inside.
            for summary in page.locator(".leaflet-popup-content summary").all():
                summary.click()
            try:
                page.wait_for_function(_POPUP_FITS, timeout=3000)
            except Exception:
                pytest.fail(f"{feature['id']} unfolded does not fit: {page.evaluate(_POPUP_BOXES)}")
        close_popup(page)
    assert log.errors == []


def test_place_popup_and_disputed_durand_line(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    label = page.locator(".fm-line-label")
    assert "disputed" in label.inner_text().lower()
    dash = page.locator("path.fm-layer-durand-line").first.get_attribute("stroke-dasharray")
    assert dash and dash.strip() not in ("", "none")
    page.get_by_role("button", name="Torkham", exact=False).first.click()
    text = page.locator(".leaflet-popup-content").inner_text()
    assert "Torkham" in text and "Source" in text


def test_imprecise_places_and_events_show_their_uncertainty(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    radius_ids = {f["id"] for f in _events() if f["properties"]["location_precision"]["type"] == "radius"}
    # One rule on every drawing path: an event within a radius drawn on its own (not in a
    # cluster) shows its footprint, one in a cluster does not.
    alone = set()
    page.evaluate("void FrontierMap.app.map.setZoom(FrontierCluster.MAX_ZOOM - 6, { animate: false })")
    for feature in _events():
        if feature["id"] not in radius_ids:
            continue
        lon, lat = feature["geometry"]["coordinates"]
        page.evaluate(
            f"(m => void m.setView([{lat}, {lon}], m.getZoom(), {{animate: false}}))(FrontierMap.app.map)"
        )
        singles = page.evaluate(
            "(a => a.clusters.drawn().filter(d => d.row >= 0 && a.store.precision(d.row) === 'radius')"
            ".map(d => a.store.id(d.row)))(FrontierMap.app)"
        )
        assert page.locator("path.fm-uncertainty[class*='fm-cat-']").count() == len(singles)
        alone.update(singles)
    assert alone, "zoomed in, some events within a radius are drawn on their own"
    area = next(f for f in _events() if f["properties"]["location_precision"].get("area_ref"))
    click_event(page, area["id"])
    assert page.locator("path.fm-area-highlight").count() >= 1
    close_popup(page)
    assert page.locator("path.fm-area-highlight").count() == 0


def test_event_markers_are_reachable_and_open_with_the_keyboard(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.leaflet-marker-icon[data-event-id]')"):
            break
    else:
        pytest.fail("no event marker reachable with Tab")
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    assert name in page.locator(".leaflet-popup-content h3").inner_text()


_CORNER_BOXES = """() => {
  const box = (selector) => {
    const node = document.querySelector(selector);
    if (!node || !node.offsetWidth) return null;
    const r = node.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  return {map: box("#map_frontier"), scale: box(".leaflet-control-scale"),
    attribution: box(".leaflet-control-attribution"), card: box(".fm-story")};
}"""


@pytest.mark.parametrize("size", [(1440, 900), (1280, 800), (390, 844)])
def test_the_scale_bar_and_the_story_card_stay_clear_of_the_attribution(open_map, shipped_map, size):
    """On a phone the attribution spans the bottom edge: the scale bar and the story card stand on it."""
    page, log = open_map(shipped_map, width=size[0], height=size[1])
    boxes = page.evaluate(_CORNER_BOXES)
    assert boxes["scale"] and boxes["attribution"]
    assert not boxes_overlap(boxes["scale"], boxes["attribution"]), boxes
    assert boxes["map"][1] <= boxes["scale"][1] and boxes["scale"][3] <= boxes["map"][3]
    if size[0] > 700:
        # Where they fit side by side, the scale bar keeps its place at the bottom.
        assert boxes["map"][3] - boxes["scale"][3] < 20, boxes
    page.get_by_role("button", name="Story tour").click()
    page.wait_for_selector(".fm-story")
    page.wait_for_function(
        "() => { const b = (" + _CORNER_BOXES + ")(); return b.card && "
        "!(b.card[1] < b.attribution[3] && b.attribution[1] < b.card[3] && b.card[0] < b.attribution[2]"
        " && b.attribution[0] < b.card[2]); }"
    )
    boxes = page.evaluate(_CORNER_BOXES)
    for name in ("scale", "card"):
        assert not boxes_overlap(boxes[name], boxes["attribution"]), (name, boxes)
    assert not boxes_overlap(boxes["scale"], boxes["card"]), boxes
    assert log.errors == []


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_a_popup_opened_low_on_the_map_pans_clear_of_the_scale_bar_and_the_attribution(
    open_map, shipped_map, size
):
    """An event just above the attribution: its popup, clicked open, ends up above the bottom
    controls (which stand over popups), not behind the scale bar."""
    page, log = open_map(shipped_map, width=size[0], height=size[1])
    boxes = page.evaluate(_CORNER_BOXES)
    single = next(
        d for d in page.evaluate("FrontierMap.app.clusters.drawn()") if d["row"] >= 0 and not d["tag"]
    )
    # Move that event to the middle of the map's width, 12 px above the attribution.
    target = [(boxes["map"][2] - boxes["map"][0]) / 2, boxes["attribution"][1] - boxes["map"][1] - 12]
    shift = [single["x"] - target[0], single["y"] - target[1]]
    page.evaluate(f"void FrontierMap.app.map.panBy({shift}, {{animate: false}})")
    page.mouse.click(boxes["map"][0] + target[0], boxes["map"][1] + target[1])
    page.wait_for_selector(".leaflet-popup-content .fm-popup[data-event-id]")
    page.wait_for_function("() => { const a = FrontierMap.app.map._panAnim; return !a || !a._inProgress; }")
    popup = page.evaluate(
        "() => { const r = document.querySelector('.leaflet-popup').getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; }"
    )
    boxes = page.evaluate(_CORNER_BOXES)
    for name in ("scale", "attribution"):
        assert not boxes_overlap(popup, boxes[name]), (name, popup, boxes)
    assert boxes["map"][1] <= popup[1], "the popup was pushed out of the map's top"
    assert log.errors == []


def test_attribution_credits_sources(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    text = page.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in text
    assert "© OpenStreetMap contributors" in text
    assert "Strained Relationship on the Brink" in text


def test_online_tiles_get_a_basemap_chooser_over_the_offline_basemap(open_map, tmp_path):
    from geo import BuildOptions, build_map, write_map

    path = write_map(build_map(DATA_DIR, BuildOptions(online_tiles=True)), tmp_path / "online.html")
    page, log = open_map(path)
    chooser = page.locator(".fm-layers-panel fieldset.fm-basemaps")
    radios = chooser.locator("input[type=radio]")
    assert radios.count() == 4
    assert chooser.locator("label").first.inner_text().strip() == "Vector basemap (offline)"
    assert radios.first.is_checked()
    assert page.locator(".leaflet-tile").count() == 0 and log.requests == []
    chooser.locator("label", has_text="OpenStreetMap").locator("input").check()
    # The tiles are asked for (and blocked here): the page says so and keeps the vector basemap.
    page.wait_for_selector(".fm-notice")
    assert "could not load" in page.locator(".fm-notice").inner_text()
    assert log.requests and all("tile.openstreetmap.org" in url for url in log.requests)
    assert page.locator("path").count() > 50
    radios.first.check()
    page.wait_for_function("!document.querySelector('.leaflet-tile')")
    assert log.errors == [] or all("ERR_" in e or "Failed to load" in e for e in log.errors)


def _shows(colours: set[tuple[int, int, int]], colour: str) -> bool:
    """Whether an image's colours hold ``colour`` (#rrggbb), give or take antialiasing."""
    rgb = (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))
    return any(sum(abs(a - b) for a, b in zip(rgb, c, strict=True)) < 24 for c in colours)


_CLUSTERS = """(a => a.clusters.symbols.filter(s => s.row < 0).map(s => ({
  id: a.clusters.identity(s), count: s.count,
  colors: a.store.categories.filter((c, k) => s.cats[k] > 0).map(c => c.color) })))(FrontierMap.app)"""


def test_each_cluster_shows_its_count_and_the_colours_of_its_categories(open_map, shipped_map):
    """A cluster button is clear; the symbol under it (the events canvas) is drawn: count and ring."""
    page, log = open_map(shipped_map)
    clusters = page.evaluate(_CLUSTERS)
    assert len(clusters) >= 3
    for cluster in clusters:
        button = page.locator(f'.fm-cluster[data-cluster="{cluster["id"]}"]')
        assert button.get_attribute("data-cluster-count") == str(cluster["count"])
        colours = read_png(button.screenshot()).colours()
        assert _shows(colours, "#1f2d3a"), f"cluster {cluster['id']} shows no count"
        assert any(_shows(colours, c) for c in cluster["colors"]), f"cluster {cluster['id']} shows no ring"
    assert log.errors == []
