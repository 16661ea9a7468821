"""The package as users get it: packaged browser assets, and maps built by an installed wheel."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from geo import assets
from tests.conftest import DATA_DIR, REPO

# Set by scripts/test.sh to the folder where scripts/check_install.sh had a wheel,
# installed into a fresh venv outside the checkout, build cli.html and api.html.
INSTALLED_MAPS = os.environ.get("FRONTIER_INSTALLED_MAPS")


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


@pytest.mark.browser
@pytest.mark.skipif(not INSTALLED_MAPS, reason="scripts/test.sh runs scripts/check_install.sh first")
@pytest.mark.parametrize("name", ["cli.html", "api.html"])
def test_maps_built_by_the_installed_wheel_draw_the_article(open_map, shipped_map, name):
    built = Path(str(INSTALLED_MAPS)) / name
    # The wheel carries the same data and assets as this checkout: the same bytes.
    assert built.read_bytes() == shipped_map.read_bytes()
    page, log = open_map(built)
    events = len(json.loads((DATA_DIR / "events.geojson").read_text("utf-8"))["features"])
    assert page.evaluate("FrontierMap.app.store.n") == events
    assert page.locator(".leaflet-overlay-pane path").count() > 50
    assert log.requests == []
    assert log.errors == []
