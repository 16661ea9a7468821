"""Imported ACLED / UCDP events in the browser: every valid row drawn, placeholders imprecise,
and a large import on the compressed, canvas-drawn path."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from geo import BuildOptions, build_map, write_map
from geo.importers import read_event_file
from tests.conftest import DATA_DIR, click_event
from tests.test_importers import IMPORTS

pytestmark = pytest.mark.browser

SMALL = (IMPORTS / "acled_basic.csv", IMPORTS / "GEDEvent_v24_1_sample.csv")


@pytest.fixture(scope="module")
def small_import_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("imports") / "map.html"
    return write_map(build_map(DATA_DIR, BuildOptions(event_files=SMALL)), out)


def test_every_valid_imported_row_is_on_the_map_and_placeholders_are_imprecise(open_map, small_import_map):
    page, log = open_map(small_import_map)
    # Zoomed in to the maximum on each row, every row is drawn on its own or listed by its
    # cluster, with its precision: a centroid placeholder (UCDP where_prec 4-6, ACLED
    # geo_precision 3) never looks exact.
    for table in (read_event_file(path).table for path in SMALL):
        for row in table.itertuples():
            page.evaluate(
                "([lat, lon]) => void FrontierMap.app.map.setView([lat, lon], FrontierCluster.MAX_ZOOM,"
                " { animate: false })",
                [row.lat, row.lon],
            )
            symbol = page.evaluate(
                "id => { const a = FrontierMap.app, c = a.clusters, i = a.store.rowOf(id);"
                " const s = c.symbols.find(s => c.members(s).includes(i));"
                " return s && { single: s.row === i, area: s.area }; }",
                row.id,
            )
            assert symbol is not None, f"{row.id} is not on the map"
            assert symbol["area"] == (row.precision_kind == "area"), "placeholders cluster apart"
            if symbol["single"]:
                dot = page.locator(f'.leaflet-marker-icon[data-event-id="{row.id}"] .fm-dot')
                assert f"fm-prec-{row.precision_kind}" in dot.get_attribute("class")
    assert log.errors == [] and log.requests == []


def test_imported_popup_shows_precision_and_original_codes(open_map, small_import_map):
    page, _ = open_map(small_import_map)
    click_event(page, "ucdp:900004")
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
    state = page.evaluate("[FrontierMap.app.store.n, FrontierMap.app.visibleCount]")
    assert state == [6000 + 27, 6027]
    # The details (summaries, lists, codes) wait in a container of their own until first
    # asked for: here by a search for words only a summary holds.
    table = read_event_file(source).table
    row = table.set_index("id").loc["acled:PAK104321"]
    assert page.evaluate("FrontierMap.app.store.detailsLoaded") is False
    page.fill("#fm-search", "bulk row 4321")
    option = page.locator(".fm-search-option .fm-search-main").first
    option.wait_for()
    assert option.inner_text() == row["title"]
    page.fill("#fm-search", "")
    # Many symbols in view go on the canvas; the article's single events keep their
    # accessible markers, bulk rows get none.
    page.evaluate("void FrontierMap.app.map.setView([32.5, 72.2], 9, { animate: false })")
    assert page.evaluate("FrontierMap.app.mode") == "canvas"
    assert page.locator(".leaflet-marker-icon[data-event-id^='acled:']").count() == 0
    curated_singles = page.evaluate(
        "(a => a.clusters.drawn().filter(d => d.row >= 0 && a.curated[d.row]).map(d => a.store.id(d.row)))"
        "(FrontierMap.app)"
    )
    for event_id in curated_singles:
        assert page.locator(f".leaflet-marker-icon[data-event-id='{event_id}']").count() == 1
    # Clicking a canvas cluster of bulk rows zooms in on them.
    zoom = page.evaluate("FrontierMap.app.map.getZoom()")
    assert click_event(page, "acled:PAK100000") > 1
    assert page.evaluate("FrontierMap.app.map.getZoom()") > zoom
    # A bulk row's popup reads its text back from the compressed block, unchanged and inert;
    # its title from two dictionaries (type and actor; location).
    assert page.evaluate("Object.keys(FrontierMap.app.payload.events.title).sort()") == ["pair", "sep"]
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    page.evaluate("FrontierMap.app.openRow(FrontierMap.app.store.rowOf('acled:PAK104321'))")
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h3").inner_text() == row["title"]
    popup.locator(".fm-summary:not(.fm-reading)").wait_for()
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

    # On a fresh page the first popup asks for the details: its card says it is reading
    # the summary, then fills in with it, its figures and the source's codes.
    page, log = open_map(html)
    page.evaluate("FrontierMap.app.openRow(FrontierMap.app.store.rowOf('acled:PAK104321'))")
    popup = page.locator(".leaflet-popup-content")
    popup.locator(".fm-summary:not(.fm-reading)").wait_for()
    assert popup.locator(".fm-summary").text_content() == row["summary"]
    assert popup.locator(".fm-codes li").count() > 0
    assert log.errors == [] and log.requests == []


def _canvas_centre(page, event_id: str) -> list[int]:
    """The events canvas' pixel at an event, zoomed in on it so it stands alone in its cell.

    Closing a popup may pan the view back a moment later, so the view is set again
    until it stays on the event for two frames.
    """
    page.evaluate(
        "FrontierMap.app.clusters.domLimit = 0"
    )  # everything but the article's events on the canvas
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
              const canvas = a.clusters.canvas, r = window.devicePixelRatio || 1;
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


# ------------------------------------------------ placement of a UCDP-shaped import

KARACHI = (24.8608, 67.0104)
STACK = 400  # events on Karachi's coordinates, as in the real UCDP file for Pakistan
# (latitude, longitude, where_prec, adm_1, country, country_id, rows): placeholders as UCDP
# writes them, at a province's or a country's centroid.
PLACEHOLDERS = (
    (30.0, 70.0, 6, "", "Pakistan", "770", 300),
    (33.0, 66.0, 6, "", "Afghanistan", "700", 120),
    (28.5, 65.5, 4, "Balochistan province", "Pakistan", "770", 150),
    (34.5, 72.0, 4, "Khyber Pakhtunkhwa province", "Pakistan", "770", 150),
)
# Exact events on the Balochistan placeholders' very coordinates (a town at a centroid).
ON_PLACEHOLDERS = (28.5, 65.5, 40)
# One Punjab placeholder under as many exact events on its coordinates.
ONE_UNDER_PLACES = (31.0, 72.5, 25)


def _ucdp_stacks(path) -> int:
    """A UCDP GED file shaped like the real one for Pakistan: a stack of hundreds of
    events on Karachi, province and country placeholders, a few hundred places with many
    events each (exact and within 25 km), dates from 1989 to 2024. Returns the row count."""
    import random

    reader = csv.DictReader(io.StringIO((IMPORTS / "GEDEvent_v24_1_sample.csv").read_text("utf-8")))
    template = next(reader)
    rng = random.Random(9)
    places = [(round(rng.uniform(25.5, 34.5), 4), round(rng.uniform(67.0, 73.0), 4)) for _ in range(250)]
    spots = [(*KARACHI, 1, "", "Pakistan", "770")] * STACK
    for lat, lon, prec, adm_1, country, country_id, count in PLACEHOLDERS:
        spots += [(lat, lon, prec, adm_1, country, country_id)] * count
    spots += [(ON_PLACEHOLDERS[0], ON_PLACEHOLDERS[1], 1, "", "Pakistan", "770")] * ON_PLACEHOLDERS[2]
    lat, lon, count = ONE_UNDER_PLACES
    spots += [(lat, lon, 4, "Punjab province", "Pakistan", "770")]
    spots += [(lat, lon, 1, "", "Pakistan", "770")] * count
    spots += [(*rng.choice(places), rng.choice((1, 1, 1, 2)), "", "Pakistan", "770") for _ in range(2500)]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=reader.fieldnames)
        writer.writeheader()
        for n, (lat, lon, prec, adm_1, country, country_id) in enumerate(spots):
            day = dt.date(1989, 1, 1) + dt.timedelta(days=rng.randrange(36 * 365))
            row = dict(template)
            row.update(
                id=str(1_000_000 + n),
                relid=f"PAK-{day.year}-1-{n}",
                year=str(day.year),
                where_prec=str(prec),
                adm_1=adm_1,
                adm_2="",
                country=country,
                country_id=country_id,
                latitude=f"{lat}",
                longitude=f"{lon}",
                geom_wkt=f"POINT ({lon} {lat})",
                where_coordinates=f"Place {n % 250}",
                where_description=f"Place {n % 250}",
                date_start=f"{day} 00:00:00.000",
                date_end=f"{day} 00:00:00.000",
                type_of_violence=str(1 + n % 3),
                source_headline=f"Fictional headline {n}",
            )
            writer.writerow(row)
    return len(spots)


@pytest.fixture(scope="module")
def ucdp_map(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ucdp")
    rows = _ucdp_stacks(folder / "GEDEvent_stacks.csv")
    html = write_map(
        build_map(DATA_DIR, BuildOptions(event_files=(folder / "GEDEvent_stacks.csv",))), folder / "map.html"
    )
    return html, rows


# Every symbol in view, read in one go: its container position, its members' extent, its
# members' own projected positions and precisions; for a DOM symbol where its marker's
# centre is, for a canvas symbol whether the canvas is painted there. Also every visible
# event whose position is in view.
_DRAWN = """() => {
  const a = FrontierMap.app, m = a.map, s = a.store, c = a.clusters, size = m.getSize();
  const box = m.getContainer().getBoundingClientRect();
  const centre = el => { const r = el.getBoundingClientRect();
    return [r.left + r.width / 2 - box.left, r.top + r.height / 2 - box.top]; };
  const ratio = window.devicePixelRatio || 1, shift = m.containerPointToLayerPoint([0, 0])
    .subtract(L.DomUtil.getPosition(c.canvas));
  const ctx = c.canvas.width ? c.canvas.getContext("2d") : null;
  const painted = (x, y) => {
    const px = Math.round((x + shift.x) * ratio), py = Math.round((y + shift.y) * ratio);
    const d = ctx.getImageData(px - 1, py - 1, 3, 3).data;
    for (let k = 3; k < d.length; k += 4) if (d[k] > 0) return true;
    return false;
  };
  const clusters = new Map([...document.querySelectorAll(".fm-cluster")].map(el =>
    [el.getAttribute("data-cluster"), centre(el)]));
  const drawn = c.drawn().map((d, k) => {
    const out = Object.assign({}, d);
    out.points = d.members.map(i => {
      const p = m.latLngToContainerPoint([s.lat[i], s.lon[i]]);
      return [p.x, p.y];
    });
    out.kinds = d.members.map(i => s.precision(i));
    out.visible = d.members.every(i => a.mask[i] === 1);
    if (d.canvas) out.painted = d.x < 0 || d.y < 0 || d.x > size.x || d.y > size.y || painted(d.x, d.y);
    else if (d.row >= 0) {
      const el = document.querySelector(`.leaflet-marker-icon[data-event-id="${CSS.escape(s.id(d.row))}"]`);
      out.dom = el ? centre(el) : null;
    } else out.dom = clusters.get(c.identity(c.symbols[k])) || null;
    return out;
  });
  const inView = [];
  for (let i = 0; i < s.n; i++) {
    if (!a.mask[i]) continue;
    const p = m.latLngToContainerPoint([s.lat[i], s.lon[i]]);
    if (p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y) inView.push(i);
  }
  return { drawn: drawn, inView: inView, mode: a.mode };
}"""


def _check_placement(page, where: str) -> tuple[int, str]:
    """Every drawn symbol where its events are; every visible event in view in a symbol.

    Returns how many symbols are drawn and the drawing path ("dom" or "canvas").
    """
    state = page.evaluate(_DRAWN)
    drawn = state["drawn"]
    members = [i for d in drawn for i in d["members"]]
    assert len(members) == len(set(members)), f"{where}: an event is in two symbols"
    assert set(state["inView"]) <= set(members), f"{where}: a visible event in view is not drawn"
    for d in drawn:
        assert d["visible"], f"{where}: a symbol holds an event outside the window or filters"
        assert len({k == "area" for k in d["kinds"]}) == 1, f"{where}: placeholders merged with places"
        west, north, east, south = d["extent"]
        for x, y in d["points"]:
            assert west - 0.5 <= x <= east + 0.5 and north - 0.5 <= y <= south + 0.5
        if d["row"] >= 0:  # a single event: exactly where it happened
            ((x, y),) = d["points"]
            assert abs(d["x"] - x) < 1 and abs(d["y"] - y) < 1
        else:  # a cluster: its symbol inside its members' extent
            assert west - 1 <= d["x"] <= east + 1 and north - 1 <= d["y"] <= south + 1, (where, d)
        if d["canvas"]:
            assert d["painted"], f"{where}: nothing painted for {d}"
        else:
            assert d["dom"] is not None, f"{where}: no marker for {d}"
            assert abs(d["dom"][0] - d["x"]) <= 2 and abs(d["dom"][1] - d["y"]) <= 2, (where, d)
    return len(drawn), state["mode"]


VIEWS = (None, (30.0, 69.0, 6), (24.9, 67.0, 9), (30.0, 70.0, 12), (33.9, 71.6, 8))


def test_every_marker_sits_where_its_events_happened(open_map, ucdp_map):
    html, rows = ucdp_map
    page, log = open_map(html, width=1440, height=900)
    assert page.evaluate("FrontierMap.app.store.n") == rows + 27
    presets = page.locator(".fm-tl-presets button")
    windows = presets.all_inner_texts()
    assert len(windows) >= 3, "the timeline's presets give several time windows"
    modes = set()
    # Both drawing paths: DOM markers for few symbols (the default here), then the canvas.
    for dom_limit in (None, 0):
        if dom_limit is not None:
            page.evaluate(f"FrontierMap.app.clusters.domLimit = {dom_limit}")
        for label in windows:
            presets.filter(has_text=label).click()
            for view in VIEWS:
                if view:
                    page.evaluate(
                        "v => void FrontierMap.app.map.setView([v[0], v[1]], v[2], { animate: false })", view
                    )
                drawn, mode = _check_placement(page, f"{label} {view}")
                assert drawn > 0
                modes.add(mode)
    assert modes == {"dom", "canvas"}
    assert log.errors == [] and log.requests == []


def test_the_largest_stack_opens_into_a_list_within_a_few_clicks(open_map, ucdp_map):
    html, _ = ucdp_map
    page, log = open_map(html)
    karachi = page.evaluate(
        "([lat, lon]) => { const s = FrontierMap.app.store, out = [];"
        " for (let i = 0; i < s.n; i++) if (s.lat[i] === lat && s.lon[i] === lon) out.push(s.id(i));"
        " return out; }",
        list(KARACHI),
    )
    assert len(karachi) == STACK
    page.evaluate(
        """() => { const m = FrontierMap.app.map; window.__maxZoomSeen = 0;
        m.on("zoomend", () => { window.__maxZoomSeen = Math.max(window.__maxZoomSeen, m.getZoom()); }); }"""
    )
    clicks = click_event(page, karachi[-1])
    assert clicks <= 5, f"the stack took {clicks} clicks to open"
    assert page.evaluate("window.__maxZoomSeen") <= page.evaluate("FrontierMap.app.map.getMaxZoom()")
    assert page.evaluate("FrontierMap.app.map.getMaxZoom()") == page.evaluate("FrontierCluster.MAX_ZOOM")
    # The list holds the whole stack, a page at a time; from the keyboard as well.
    close_popup = "FrontierMap.app.map.closePopup()"
    page.evaluate(close_popup)
    cluster = page.locator(".fm-cluster[data-cluster-count='400']")
    cluster.focus()
    page.keyboard.press("Enter")
    listed = page.locator(".fm-list-popup button[data-event-id]")
    page.wait_for_function("document.activeElement.matches('.fm-list-popup button[data-event-id]')")
    assert page.locator(".fm-list-popup h3").inner_text() == "400 events here"
    assert listed.count() == 50
    while page.locator(".fm-list-more").is_visible():
        page.locator(".fm-list-more").click()
    assert sorted(listed.evaluate_all("els => els.map(e => e.dataset.eventId)")) == sorted(karachi)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content .fm-popup[data-event-id]")
    assert log.errors == []


def _placeholders_and_places_at(open_map, ucdp_map, dom_limit, lat, lon):
    """Open the map at zoom 10 on (lat, lon), drawn with `dom_limit` (None: as it chooses);
    the page, its log, and the placeholders' and the places' symbols drawn on that spot."""
    html, _ = ucdp_map
    page, log = open_map(html)
    if dom_limit is not None:
        page.evaluate(f"FrontierMap.app.clusters.domLimit = {dom_limit}")
    page.evaluate(f"void FrontierMap.app.map.setView([{lat}, {lon}], 10, {{ animate: false }})")
    drawn = page.evaluate("FrontierMap.app.clusters.drawn()")
    size = page.evaluate("FrontierMap.app.map.getSize()")
    centre = [d for d in drawn if abs(d["x"] - size["x"] / 2) < 2 and abs(d["y"] - size["y"] / 2) < 2]
    (area,) = [d for d in centre if d["area"]]
    (exact,) = [d for d in centre if not d["area"]]
    return page, log, area, exact


@pytest.mark.parametrize("dom_limit", [None, 0])
def test_placeholders_under_a_cluster_of_places_show_their_number_on_a_tag(open_map, ucdp_map, dom_limit):
    """Placeholders on the spot of exact events: the places' cluster covers theirs, whose
    count then goes on a tag above it, which opens the placeholders (DOM and canvas alike)."""
    lat, lon, places = ON_PLACEHOLDERS
    page, log, area, exact = _placeholders_and_places_at(open_map, ucdp_map, dom_limit, lat, lon)
    assert (area["count"], exact["count"]) == (150, places)
    assert exact.get("tag") is None and area.get("tag") is not None
    x0, y0, x1, y1 = area["tag"]
    assert x0 < area["x"] < x1 and y1 < area["y"], "the tag stands on the placeholders' symbol"
    box = page.evaluate("FrontierMap.app.map.getContainer().getBoundingClientRect().toJSON()")
    page.mouse.click(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2)
    page.wait_for_selector(".fm-list-popup")
    assert page.locator(".fm-list-popup h3").inner_text() == "150 events here"
    assert all(
        t == "area"
        for t in page.evaluate("""() => [...document.querySelectorAll(
        '.fm-list-popup button[data-event-id]')].map(b => FrontierMap.app.store.precision(
        FrontierMap.app.store.rowOf(b.dataset.eventId)))""")
    ), "the tag opened the placeholders"
    # The places' own symbol still opens the places.
    page.evaluate("FrontierMap.app.map.closePopup()")
    page.mouse.click(box["x"] + exact["x"], box["y"] + exact["y"])
    page.wait_for_selector(".fm-list-popup")
    assert page.locator(".fm-list-popup h3").inner_text() == f"{places} events here"
    assert log.errors == []


@pytest.mark.parametrize("dom_limit", [None, 0])
def test_a_single_placeholder_under_a_cluster_of_places_can_be_seen_and_opened(open_map, ucdp_map, dom_limit):
    """One placeholder on the spot of exact events: its diamond would hide under the places'
    symbol (canvas) or hide their count (a DOM marker); it gets a tag with its 1, which opens it,
    and the places' symbol still opens the places."""
    lat, lon, places = ONE_UNDER_PLACES
    page, log, single, exact = _placeholders_and_places_at(open_map, ucdp_map, dom_limit, lat, lon)
    assert page.evaluate("FrontierMap.app.mode") == ("canvas" if dom_limit == 0 else "dom")
    assert (single["count"], exact["count"]) == (1, places) and single["row"] >= 0
    assert single["tag"] is not None, "the placeholder under the places has no tag"
    x0, y0, x1, y1 = single["tag"]
    assert x0 < single["x"] < x1 and y1 < single["y"]
    box = page.evaluate("FrontierMap.app.map.getContainer().getBoundingClientRect().toJSON()")
    if dom_limit is None:  # its own marker stays on its spot (for the keyboard), unseen
        event_id = page.evaluate("row => FrontierMap.app.store.id(row)", single["row"])
        marker = page.locator(f'.leaflet-marker-icon[data-event-id="{event_id}"]')
        r = marker.bounding_box()
        assert abs(r["x"] + r["width"] / 2 - box["x"] - single["x"]) <= 2
        assert abs(r["y"] + r["height"] / 2 - box["y"] - single["y"]) <= 2
        assert marker.locator(".fm-dot").is_hidden()
    # What a click on the places' centre hits is theirs, not the placeholder's.
    page.mouse.click(box["x"] + exact["x"], box["y"] + exact["y"])
    page.wait_for_selector(".fm-list-popup")
    assert page.locator(".fm-list-popup h3").inner_text() == f"{places} events here"
    page.evaluate("FrontierMap.app.map.closePopup()")
    page.mouse.click(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2)
    popup = page.wait_for_selector(".leaflet-popup-content .fm-popup[data-event-id]")
    opened = page.evaluate(
        "id => FrontierMap.app.store.precision(FrontierMap.app.store.rowOf(id))",
        popup.get_attribute("data-event-id"),
    )
    assert opened == "area", "the tag opened another event than the placeholder"
    assert log.errors == []


def _cells(page) -> dict[str, list[int]]:
    return page.evaluate(
        "() => Object.fromEntries(FrontierMap.app.clusters.symbols.map(s =>"
        " [s.zoom + '/' + s.cell + '/' + s.area, FrontierMap.app.clusters.members(s).sort((a, b) => a - b)]))"
    )


def test_clusters_keep_their_members_when_the_map_pans_and_nest_across_zooms(open_map, ucdp_map):
    html, _ = ucdp_map
    page, _ = open_map(html)
    page.evaluate("void FrontierMap.app.map.setView([30.0, 69.5], 7, { animate: false })")
    before = _cells(page)
    for dx, dy in ((20, 0), (137, -61), (-300, 200)):
        page.evaluate(f"void FrontierMap.app.map.panBy([{dx}, {dy}], {{ animate: false }})")
        after = _cells(page)
        shared = before.keys() & after.keys()
        assert len(shared) > 10
        assert all(before[key] == after[key] for key in shared), "a pan changed a cluster's members"
    # One zoom step splits each cluster into clusters of the next zoom, never mixing two.
    page.evaluate("void FrontierMap.app.map.setView([30.0, 69.5], 8, { animate: false })")
    finer = _cells(page)
    page.evaluate("void FrontierMap.app.map.setZoom(7, { animate: false })")
    coarser = {frozenset(members) for members in _cells(page).values()}
    for members in finer.values():
        assert any(set(members) <= parent for parent in coarser), "a cluster of zoom 8 spans two of zoom 7"


def test_each_change_of_view_clusters_the_events_once(open_map, ucdp_map):
    """A zoom fires viewreset, zoomend and moveend; each pass over the rows is done once."""
    html, _ = ucdp_map
    page, _ = open_map(html)
    passes = page.evaluate(
        """() => {
          const app = FrontierMap.app, map = app.map, clusters = app.clusters, pass = clusters.cluster;
          let n = 0;
          clusters.cluster = function () { n++; return pass.apply(this, arguments); };
          const count = (change) => { n = 0; change(); return n; };
          return {
            zoom: count(() => map.setZoom(map.getZoom() + 1, { animate: false })),
            view: count(() => map.setView([30.0, 69.5], 7, { animate: false })),
            pan: count(() => map.panBy([120, 40], { animate: false })),
          };
        }"""
    )
    assert passes == {"zoom": 1, "view": 1, "pan": 1}
