"""Screenshots of the article map and of a large import at three screen sizes.

Every run writes them to ``tests/artifacts/screenshots/``; with ``FRONTIER_UPDATE_DOCS=1``
they are also copied to ``docs/``, where README.md shows them. Look at them before
committing them.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import ARTIFACTS, DATA_DIR, REPO
from tests.png import read_png

pytestmark = pytest.mark.browser

SIZES = ((1440, 900), (1280, 800), (390, 844))
IMPORT_ROWS = 20_000


@pytest.fixture(scope="module")
def import_map(tmp_path_factory):
    """The article map plus a 20,000-row ACLED-shaped file (bench/generate.py, fixed seed)."""
    from bench.generate import acled_columns, write_csv
    from geo import BuildOptions, build_map, write_map

    folder = tmp_path_factory.mktemp("screenshots")
    source = folder / "acled_20k.csv"
    write_csv(source, acled_columns(IMPORT_ROWS))
    return write_map(build_map(DATA_DIR, BuildOptions(event_files=(source,))), folder / "map.html")


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("which", ["article", "import"])
def test_screenshot(open_map, shipped_map, import_map, which, width, height):
    page, log = open_map(shipped_map if which == "article" else import_map, width=width, height=height)
    page.wait_for_function("!FrontierMap.app.labels.pending")
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{which}-{width}x{height}.png"
    page.screenshot(path=str(path))
    image = read_png(path.read_bytes())
    assert (image.width, image.height) == (width, height)
    assert len(image.colours()) > 200
    assert log.requests == []
    assert log.errors == []
    if os.environ.get("FRONTIER_UPDATE_DOCS") == "1":
        (REPO / "docs").mkdir(exist_ok=True)
        shutil.copyfile(path, REPO / "docs" / path.name)
