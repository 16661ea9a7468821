"""The package as users get it: packaged browser assets, and maps built by an installed wheel."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from geo import assets
from tests import installed_maps
from tests.conftest import DATA_DIR, LOCAL_SCHEMES, REPO, PageLog, map_pixel

# Set by scripts/test.sh to the folder where scripts/check_install.sh had a wheel,
# installed into a fresh venv outside the checkout, build cli.html and api.html (the
# article's map) and, with tests/installed_maps.py, folium.html and notebook.html.
INSTALLED_MAPS = os.environ.get("FRONTIER_INSTALLED_MAPS")
needs_installed_maps = pytest.mark.skipif(
    not INSTALLED_MAPS, reason="scripts/test.sh runs scripts/check_install.sh first"
)


def _manifest() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    import geo._assets_manifest as manifest

    return manifest.PACKAGES, manifest.FILES


def test_packaged_assets_are_the_pinned_ones():
    """geo/_vendor holds, byte for byte, the listed files of the versions package-lock.json pins."""
    packages, files = _manifest()
    lock = json.loads((REPO / "package-lock.json").read_text("utf-8"))["packages"]
    for asset in assets.THIRD_PARTY:
        pin = lock[f"node_modules/{asset.package}"]
        assert packages[asset.package]["version"] == pin["version"]
        assert packages[asset.package]["integrity"] == pin["integrity"]
        assert f"{asset.package}/{asset.path}" in files
    for name in files:
        packaged = assets.VENDOR_DIR / name
        installed = REPO / "node_modules" / name
        assert packaged.read_bytes() == installed.read_bytes(), f"{name} is stale: run python -m geo.vendor"


def test_outdated_packaged_assets_say_how_to_fix(monkeypatch):
    monkeypatch.setattr(
        assets, "THIRD_PARTY", (*assets.THIRD_PARTY, assets.ThirdParty("not-vendored", "x.js", "script"))
    )
    with pytest.raises(assets.AssetError, match=r"lack not-vendored; run `npm ci && python -m geo\.vendor`"):
        assets.load_bundle()


def test_default_data_is_the_checkout_folder_in_a_checkout():
    from geo.build import DEFAULT_DATA_DIR

    assert DEFAULT_DATA_DIR == DATA_DIR


def _article_events() -> int:
    return len(json.loads((DATA_DIR / "events.geojson").read_text("utf-8"))["features"])


@pytest.mark.browser
@needs_installed_maps
@pytest.mark.parametrize("name", ["cli.html", "api.html"])
def test_maps_built_by_the_installed_wheel_draw_the_article(open_map, shipped_map, name):
    built = Path(str(INSTALLED_MAPS)) / name
    # The wheel carries the same data and assets as this checkout: the same bytes.
    assert built.read_bytes() == shipped_map.read_bytes()
    page, log = open_map(built)
    assert page.evaluate("FrontierMap.app.store.n") == _article_events()
    assert page.locator(".leaflet-container svg path").count() > 50  # basemap and layers
    assert log.requests == []
    assert log.errors == []


@pytest.mark.browser
@needs_installed_maps
def test_installed_wheel_map_with_an_import_and_folium_elements(open_map):
    page, log = open_map(Path(str(INSTALLED_MAPS)) / "folium.html")
    # The article's events, the UCDP sample's 9 rows and the template's 3.
    assert page.evaluate("FrontierMap.app.store.n") == _article_events() + 9 + 3
    red, green, blue = map_pixel(page, *installed_maps.SQUARE_MIDDLE)
    assert red > 200 and green < 150 and blue < 150, f"the folium polygon is hidden: {(red, green, blue)}"
    page.evaluate(
        "([lat, lon]) => { FrontierMap.app.map.setView([lat, lon], 7, {animate: false}); }",
        installed_maps.MARKER,
    )
    icon = page.locator("img.leaflet-marker-icon")
    page.wait_for_function("document.querySelector('img.leaflet-marker-icon').complete")
    assert icon.evaluate("img => img.naturalWidth") > 0
    icon.click()
    page.locator(".leaflet-popup-content").filter(has_text=installed_maps.POPUP).wait_for(timeout=3000)
    assert log.requests == []
    assert log.errors == []


@pytest.mark.browser
@needs_installed_maps
def test_installed_wheel_map_in_a_notebook_iframe(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    log = PageLog()
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(LOCAL_SCHEMES)
            else (log.requests.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.on("pageerror", lambda e: log.errors.append(f"uncaught: {e}"))
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto((Path(str(INSTALLED_MAPS)) / "notebook.html").as_uri())
        assert page.locator("iframe").bounding_box()["height"] == 500
        frame = page.frames[1]
        frame.wait_for_selector("html[data-frontier-ready]", timeout=20_000)
        assert frame.evaluate("FrontierMap.app.store.n") == _article_events() + 9 + 3
        frame.evaluate("() => { FrontierMap.app.map.panBy([40, 40], {animate: false}); }")
        frame.evaluate("() => { FrontierMap.app.openRow(0); }")
        frame.wait_for_selector(".leaflet-popup-content")
        assert log.errors == []
        assert log.requests == []
    finally:
        context.close()
