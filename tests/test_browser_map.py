"""The built map in real headless Chromium with every request off the machine blocked."""

from __future__ import annotations

import calendar
import json
import re

import pytest

from tests.conftest import ARTIFACTS, DATA_DIR

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
    label = page.locator(".leaflet-control-layers-overlays label").filter(
        has=page.locator("span", has_text=re.compile(rf"^\s*{re.escape(title)}\s*$"))
    )
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


def test_layer_control_lists_the_six_layers_and_one_overlay_per_category(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    names = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    names = [n.strip() for n in names if n.strip()]
    for title in SIX_LAYERS:
        assert title in names, f"{title!r} missing from the layer control: {names}"
    categories = {f["properties"]["category"] for f in _events()}
    event_entries = [n for n in names if n.startswith("Events:")]
    assert len(event_entries) == len(categories)
    assert all(box.is_checked() for box in page.locator(".leaflet-control-layers-overlays input").all())


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
    label = page.locator(".leaflet-control-layers-overlays label span", has_text="Events:").first
    category_markers = page.locator(".leaflet-marker-icon[data-event-id]")
    before = category_markers.count()
    box = label.locator("xpath=ancestor::label//input")
    box.uncheck()
    after = category_markers.count()
    assert before > 0 and after < before
    box.check()
    assert category_markers.count() == before


def test_every_event_opens_a_popup_with_title_and_date(open_map, shipped_map):
    page, log = open_map(shipped_map)
    events = _events()
    assert len(events) >= 20
    for feature in events:
        props = feature["properties"]
        marker = page.get_by_role("button", name=props["title"], exact=True)
        marker.click()
        popup = page.locator(".leaflet-popup-content")
        text = popup.inner_text()
        assert props["title"] in text
        assert expected_date(props["date"]) in text, (props["date"], text)
        assert re.search(r"\b\d{4}-\d{2}-\d{2}\b", text) is None, "dates must read as words"
        close_popup(page)
    assert log.errors == []
    assert log.requests == []


def test_month_precision_reads_as_month(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    month_events = [f for f in _events() if f["properties"]["date_precision"] == "month"]
    assert month_events, "the article has month-precision events (December 2014)"
    props = month_events[0]["properties"]
    page.get_by_role("button", name=props["title"], exact=True).click()
    date = page.locator(".leaflet-popup-content time").first.inner_text()
    assert date.startswith(expected_date(props["date"]))
    assert not re.search(r"\b1\b|-01\b", date)


def test_popup_shows_place_precision_numbers_claims_and_source(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    rich = next(f for f in _events() if f["properties"].get("claims") and f["properties"].get("figures"))
    props = rich["properties"]
    page.get_by_role("button", name=props["title"], exact=True).click()
    text = page.locator(".leaflet-popup-content").inner_text()
    assert props["place"] in text
    for figure in props["figures"]:
        assert f"{figure['value']:,}" in text and figure["reported_by"] in text
    for claim in props["claims"]:
        assert claim["by"] in text and claim["claim"] in text
    assert props["source"]["title"] in text
    radius = props["location_precision"].get("radius_km")
    if radius:
        assert f"within {radius:g} km" in text


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
    radius_events = [f for f in _events() if f["properties"]["location_precision"]["type"] == "radius"]
    circles = page.locator("path.fm-uncertainty")
    assert circles.count() >= len(radius_events)
    area = next(f for f in _events() if f["properties"]["location_precision"].get("area_ref"))
    page.get_by_role("button", name=area["properties"]["title"], exact=True).click()
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


def test_attribution_credits_sources(open_map, shipped_map):
    page, _ = open_map(shipped_map)
    text = page.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in text
    assert "© OpenStreetMap contributors" in text
    assert "Strained Relationship on the Brink" in text
