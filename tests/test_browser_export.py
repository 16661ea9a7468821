"""The CSV download neutralises every cell a spreadsheet would run as a formula.

Excel, LibreOffice and Google Sheets start a formula at ``=``, ``+``, ``-`` or ``@``, also
behind leading white space or invisible characters, and fold the fullwidth forms
(``＝``, ``＋``, ``－``, ``＠``) to them. Each hostile event below carries one such
prefix in every text field the CSV writes; the download must start each of those cells
with an apostrophe and leave plain text and numbers alone.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import VALID_DIR

pytestmark = pytest.mark.browser

PREFIXES = {
    "space": " =1+1",
    "nbsp": "\u00a0=1+1",
    "zero-width-space": "\u200b=1+1",
    "zero-width-joiner": "\u200d+1+1",
    "word-joiner": "\u2060-1+1",
    "byte-order-mark": "\ufeff@SUM(A1)",
    "ideographic-space": "\u3000=1+1",
    "several": " \u00a0\u200b =1+1",
    "fullwidth-equals": "\uff1d1+1",
    "fullwidth-plus": "\uff0b1+1",
    "fullwidth-minus": "\uff0d1+1",
    "fullwidth-at": "\uff20SUM(A1)",
    "tab": "\tx",
    "carriage-return": "\rx",
    "plain-equals": "=1+1",
    "plain-at": "@SUM(A1)",
}
# Cells of each hostile event that carry the prefix, as the CSV names them.
TEXT_COLUMNS = ("title", "place", "summary", "claims")


@pytest.fixture(scope="module")
def hostile_csv_map(tmp_path_factory) -> Path:
    from geo import build_map, write_map

    root = tmp_path_factory.mktemp("export")
    data = Path(shutil.copytree(VALID_DIR, root / "data"))
    doc = json.loads((data / "events.geojson").read_text("utf-8"))
    template = next(f for f in doc["features"] if f["id"] == "2014-12-school")
    for name, prefix in PREFIXES.items():
        feature = copy.deepcopy(template)
        feature["id"] = f"formula-{name}"
        props = feature["properties"]
        props.update(title=prefix + " title", place=prefix + " place", summary=prefix + " summary")
        props["claims"] = [{"by": prefix + " by", "claim": "a claim"}]
        doc["features"].append(feature)
    plain = copy.deepcopy(template)
    plain["id"] = "plain-text"
    plain["properties"].update(title="A title - with a dash", place="Town @ river", summary="1+1 = 2")
    doc["features"].append(plain)
    (data / "events.geojson").write_text(json.dumps(doc), "utf-8")
    return write_map(build_map(data), root / "map.html")


def test_csv_neutralises_formulas_behind_spaces_invisible_and_fullwidth_characters(open_map, hostile_csv_map):
    page, log = open_map(hostile_csv_map)
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV").click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    for name, prefix in PREFIXES.items():
        row = rows[f"formula-{name}"]
        for column in TEXT_COLUMNS:
            assert row[column].startswith("'" + prefix), (name, column, row[column])
    plain = rows["plain-text"]
    assert (plain["title"], plain["place"], plain["summary"]) == (
        "A title - with a dash",
        "Town @ river",
        "1+1 = 2",
    )
    assert plain["lon"] == "71.5" and plain["lat"] == "34"  # numbers stay numbers
    assert log.errors == [] and log.requests == []
