"""Imported ACLED / UCDP events in the browser: every valid row drawn, placeholders imprecise,
and a large import on the compressed, canvas-drawn path."""

from __future__ import annotations

import csv
import io

import pytest

from geo import BuildOptions, build_map, write_map
from geo.importers import read_event_file
from tests.conftest import DATA_DIR
from tests.test_importers import IMPORTS

pytestmark = pytest.mark.browser

SMALL = (IMPORTS / "acled_basic.csv", IMPORTS / "GEDEvent_v24_1_sample.csv")


@pytest.fixture(scope="module")
def small_import_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("imports") / "map.html"
    return write_map(build_map(DATA_DIR, BuildOptions(event_files=SMALL)), out)


def test_every_valid_imported_row_is_on_the_map_and_placeholders_are_imprecise(open_map, small_import_map):
    page, log = open_map(small_import_map)
    tables = [read_event_file(path).table for path in SMALL]
    for table in tables:
        for row in table.itertuples():
            marker = page.locator(f'.leaflet-marker-icon[data-event-id="{row.id}"]')
            assert marker.count() == 1, f"{row.id} is not on the map"
            dot = marker.locator(".fm-dot")
            # A centroid placeholder (UCDP where_prec 4-6, ACLED geo_precision 3) must not look exact.
            expected = f"fm-prec-{row.precision_kind}"
            assert expected in dot.get_attribute("class")
            if row.precision_kind == "area":
                assert "fm-prec-exact" not in dot.get_attribute("class")
    assert log.errors == [] and log.requests == []


def test_imported_popup_shows_precision_and_original_codes(open_map, small_import_map):
    page, _ = open_map(small_import_map)
    page.locator('.leaflet-marker-icon[data-event-id="ucdp:900004"]').click()
    popup = page.locator(".leaflet-popup-content")
    assert "Paktika province" in popup.inner_text()
    # The source's own codes, folded, each under a human label.
    popup.locator("summary", has_text="Codes in the source data").click()
    text = popup.inner_text()
    assert "Location precision code (UCDP): 4" in text and "Type of violence (UCDP)" in text
    assert "where_prec" not in text and "type_of_violence" not in text
    sources = page.locator(".fm-sources").inner_text()
    assert "CC BY 4.0" in sources and "ACLED" in sources


def _large_acled(path, rows: int) -> None:
    """Copy the hand-written ACLED fixture's first row `rows` times, spread over the region."""
    reader = csv.DictReader(io.StringIO((IMPORTS / "acled_basic.csv").read_text("utf-8")))
    template = next(reader)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=reader.fieldnames)
        writer.writeheader()
        for n in range(rows):
            row = dict(template)
            row["event_id_cnty"] = f"PAK{100000 + n}"
            # Titles ("type: actor, location") mostly distinct, made of parts that repeat.
            row["actor1"], row["location"] = f"Fictional Group {n % 60}", f"Village {n % 97}"
            # Every row at its own spot (a 50 x 40 grid, three layers 0.02° apart), and every
            # tenth row a region placeholder (geo_precision 3).
            row["latitude"] = f"{31.0 + (n % 50) * 0.08 + (n // 2000) * 0.02:.4f}"
            row["longitude"] = f"{70.6 + (n // 50 % 40) * 0.08:.4f}"
            row["geo_precision"] = "3" if n % 10 == 3 else "1"
            awkward = "د پېښور 🚩 </script><b>bold</b>"
            # A leading U+FEFF, which a default TextDecoder would drop.
            row["notes"] = f"\ufeffFictional bulk row {n} {awkward}: {'forces exchanged fire ' * 3}"
            writer.writerow(row)


def test_a_large_import_loads_compressed_and_draws_on_canvas(open_map, tmp_path):
    source = tmp_path / "acled_bulk.csv"
    _large_acled(source, 6000)
    html = write_map(build_map(DATA_DIR, BuildOptions(event_files=(source,))), tmp_path / "map.html")
    assert '<script type="application/octet-stream" id="frontier-events">H4sI' in html.read_text("utf-8"), (
        "large event sets travel compressed (gzip's magic bytes in base64), beside the JSON"
    )
    page, log = open_map(html)
    state = page.evaluate("[FrontierMap.app.store.n, FrontierMap.app.mode, FrontierMap.app.visibleCount]")
    assert state[0] == 6000 + 27 and state[1] == "canvas" and state[2] == 6027
    # The article's events keep their accessible markers; bulk rows are not DOM markers.
    assert page.locator(".leaflet-marker-icon[data-event-id^='acled:']").count() == 0
    assert page.locator(".leaflet-marker-icon[data-event-id='2024-12-25-paktika-airstrikes']").count() == 1
    # Clicking a cluster of bulk rows zooms in on them.
    zoom = page.evaluate("FrontierMap.app.map.getZoom()")
    point = page.evaluate(
        "(() => { const a = FrontierMap.app, m = a.map, i = a.store.rowOf('acled:PAK100000');"
        " const p = m.latLngToContainerPoint([a.store.lat[i], a.store.lon[i]]);"
        " const r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; })()"
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_function(f"FrontierMap.app.map.getZoom() > {zoom}")
    # A bulk row's popup reads its text back from the compressed block, unchanged and inert;
    # its title from two dictionaries (type and actor; location).
    assert page.evaluate("Object.keys(FrontierMap.app.payload.events.title).sort()") == ["pair", "sep"]
    table = read_event_file(source).table
    row = table.set_index("id").loc["acled:PAK104321"]
    page.evaluate("FrontierMap.app.openRow(FrontierMap.app.store.rowOf('acled:PAK104321'))")
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h3").inner_text() == row["title"]
    assert row["summary"].startswith("\ufeffFictional bulk row 4321")
    assert popup.locator(".fm-summary").text_content() == row["summary"]
    assert "د پېښور 🚩 </script><b>bold</b>" in row["summary"] and popup.locator("b").count() == 0
    # Every valid row is in the map, shown, with its precision; placeholders are areas.
    assert (table["precision_kind"] == "area").sum() == 600
    precisions = page.evaluate(
        "ids => ids.map(id => { const s = FrontierMap.app.store, i = s.rowOf(id);"
        " return i === undefined ? null : s.precision(i); })",
        table["id"].tolist(),
    )
    assert precisions == table["precision_kind"].tolist()
    # On the canvas a placeholder is a hollow diamond (white at its centre), never a dot.
    assert _canvas_centre(page, "acled:PAK100003") == [255, 255, 255, 255]
    r, g, b, alpha = _canvas_centre(page, "acled:PAK100004")
    assert alpha > 0 and (r, g, b) != (255, 255, 255)
    assert log.errors == [] and log.requests == []


def _canvas_centre(page, event_id: str) -> list[int]:
    """The events canvas' pixel at an event, zoomed in on it so it stands alone in its cell.

    Closing a popup may pan the view back a moment later, so the view is set again
    until it stays on the event for two frames.
    """
    return page.evaluate(
        """id => new Promise((done, fail) => {
          const a = FrontierMap.app, i = a.store.rowOf(id), at = [a.store.lat[i], a.store.lon[i]];
          const zoom = Math.min(12, a.map.getMaxZoom());
          const there = () => a.map.getZoom() === zoom &&
            a.map.latLngToContainerPoint(at).distanceTo(a.map.getSize().divideBy(2)) < 1;
          a.map.closePopup();
          const attempt = tries => {
            if (!tries) { fail(new Error("the view would not stay on " + id)); return; }
            a.map.setView(at, zoom, { animate: false });
            requestAnimationFrame(() => requestAnimationFrame(() => {
              if (!there()) { attempt(tries - 1); return; }
              const canvas = a.canvas.canvas, r = window.devicePixelRatio || 1;
              // Where Leaflet puts the event, relative to where the canvas sits on the map pane.
              const p = a.map.latLngToLayerPoint(at).subtract(L.DomUtil.getPosition(canvas));
              const ctx = canvas.getContext("2d");
              done(Array.from(ctx.getImageData(Math.round(p.x * r), Math.round(p.y * r), 1, 1).data));
            }));
          };
          attempt(20);
        })""",
        event_id,
    )
