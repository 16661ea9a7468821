"""Time and story (issue 4) in headless Chromium with the network blocked.

Expected event sets come from data/geojson/events.geojson through an independent
Python reading of the window rule, never from the page's own code.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, DATA_DIR, VALID_DIR, click_event

pytestmark = pytest.mark.browser

EPOCH = dt.date(1970, 1, 1)
SCREENSHOTS = ARTIFACTS  # the documented screenshot folder; tests write nowhere else
HOSTILE_EVENT = {
    "id": "2025-03-20-formula-test",
    "title": '=HYPERLINK("http://example.invalid","click"), with "quotes"',
    "place": "@SUM(1+1)\nsecond line",
    "summary": "+cmd|' /C calc'!A0",
}


# ------------------------------------------------------------ independent truth


def day_number(iso: str, last: bool) -> int:
    parts = [int(p) for p in iso.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if last else 1)
    day = parts[2] if len(parts) > 2 else (calendar.monthrange(year, month)[1] if last else 1)
    return (dt.date(year, month, day) - EPOCH).days


def words(day: int) -> str:
    date = EPOCH + dt.timedelta(days=day)
    return f"{date.day} {calendar.month_name[date.month]} {date.year}"


def in_window(start: int, end: int, lo: int, hi: int) -> bool:
    """Most of the event's days lie in the window, or the window lies inside them."""
    overlap = min(end, hi) - max(start, lo) + 1
    if overlap <= 0:
        return False
    if lo >= start and hi <= end:
        return True
    return overlap * 2 >= end - start + 1


def load_events(folder: Path = DATA_DIR) -> list[dict]:
    rows = []
    for f in json.loads((folder / "events.geojson").read_text("utf-8"))["features"]:
        p = f["properties"]
        rows.append(
            {
                "id": f["id"],
                "title": p["title"],
                "category": p["category"],
                "layers": p.get("layers") or [],
                "start": day_number(p["date"], False),
                "end": day_number(p.get("end_date") or p["date"], True),
            }
        )
    return rows


def by_date(events: list[dict]) -> list[dict]:
    return sorted(events, key=lambda e: (e["start"], e["end"]))


def expected_ids(events, lo, hi, off_categories=()) -> list[str]:
    return [
        e["id"]
        for e in by_date(events)
        if e["category"] not in off_categories and in_window(e["start"], e["end"], lo, hi)
    ]


def payload_of(path: Path) -> dict:
    html = path.read_text("utf-8")
    start = html.index('id="frontier-data">') + len('id="frontier-data">')
    return json.loads(html[start : html.index("</script>", start)])


# ------------------------------------------------------------------ page helpers


def map_ids(page) -> list[str]:
    """Ids of the events drawn on the map: single markers and the members of clusters,
    read with every event's position in view (the first view leaves outliers out)."""
    return page.evaluate(
        "(a => { a.map.fitBounds(a.payload.bounds, { animate: false });"
        " return a.clusters.drawn().flatMap(d => d.members.map(i => a.store.id(i))); })(FrontierMap.app)"
    )


def list_ids(page) -> list[str]:
    """Every row of the virtual list, collected while scrolling it from top to bottom."""
    return page.evaluate(
        """async () => {
        const vp = document.querySelector('.fm-list-viewport');
        const seen = new Map();
        for (let top = 0; ; top += 150) {
          vp.scrollTop = top;
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          vp.querySelectorAll('li[data-row]').forEach(li =>
            seen.set(+li.dataset.row, li.querySelector('button').dataset.event));
          if (top >= vp.scrollHeight) break;
        }
        vp.scrollTop = 0;
        return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
      }"""
    )


def window_days(page) -> tuple[int, int]:
    return tuple(
        int(page.get_attribute(f".fm-tl-handle[aria-label='Window {end}']", "aria-valuenow"))
        for end in ("start", "end")
    )


def popup_title(page) -> str:
    """The title of the open popup, once a closing one has faded out."""
    page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 1")
    return page.locator(".leaflet-popup-content h3").inner_text()


def no_motion(page) -> None:
    page.emulate_media(reduced_motion="reduce")


def assert_clean(log) -> None:
    assert log.errors == []
    assert log.requests == []


@pytest.fixture(scope="module")
def events() -> list[dict]:
    return load_events()


@pytest.fixture(scope="module")
def large_import(tmp_path_factory, events):
    """The article plus 3,000 UCDP-shaped rows from bench/generate.py (1989-2025): its map and rows."""
    from bench.generate import ensure
    from geo import BuildOptions, build_map, write_map
    from geo.importers import read_event_file

    folder = tmp_path_factory.mktemp("large")
    csv_path, _ = ensure("ucdp", 3000, folder)
    table = read_event_file(csv_path).table
    days = zip(table["start_day"], table["end_day"], strict=True)
    rows = events + [{"start": int(s), "end": int(e)} for s, e in days]
    path = write_map(build_map(DATA_DIR, BuildOptions(event_files=(csv_path,))), folder / "map.html")
    return path, rows


@pytest.fixture(scope="module")
def tweaked(tmp_path_factory):
    """The shipped data plus one event whose text looks like spreadsheet formulas."""
    from geo import build_map, write_map

    data = tmp_path_factory.mktemp("tweaked") / "data"
    shutil.copytree(DATA_DIR, data)
    doc = json.loads((data / "events.geojson").read_text("utf-8"))
    feature = json.loads(json.dumps(doc["features"][-1]))
    feature["id"] = HOSTILE_EVENT["id"]
    feature["properties"].update({k: v for k, v in HOSTILE_EVENT.items() if k != "id"}, date="2025-03-20")
    doc["features"].append(feature)
    (data / "events.geojson").write_text(json.dumps(doc), "utf-8")
    path = write_map(build_map(data), data.parent / "map.html")
    return {"path": path, "events": load_events(data)}


# ---------------------------------------------------------------------- timeline


def test_timeline_draws_histogram_event_spans_and_readable_labels(open_map, shipped_map, events):
    page, log = open_map(shipped_map)
    lo, hi = min(e["start"] for e in events), max(e["end"] for e in events)
    assert window_days(page) == (lo, hi)
    start = page.locator(".fm-tl-handle[aria-label='Window start']")
    assert start.get_attribute("role") == "slider"
    assert start.get_attribute("aria-valuetext") == words(lo)
    assert page.get_attribute(".fm-tl-handle[aria-label='Window end']", "aria-valuetext") == words(hi)
    assert page.locator("svg.fm-tl-svg rect.fm-tl-bin").count() > 5
    assert page.locator("svg.fm-tl-svg rect.fm-tl-span").count() >= 20
    labels = page.locator("svg.fm-tl-svg text.fm-tl-label").all_text_contents()
    assert "1980" in labels and "2000" in labels
    # The histogram is coloured by category: each bar part in its category's colour.
    colours = {c["id"]: c["color"] for c in payload_of(shipped_map)["categories"]}
    parts = page.eval_on_selector_all(
        "rect.fm-tl-bin", "els => els.map(e => [e.dataset.category, e.getAttribute('fill')])"
    )
    assert all(colours[cat] == fill for cat, fill in parts)
    assert len({cat for cat, _ in parts}) >= 5
    summary = page.locator(".fm-tl-summary").inner_text()
    assert summary == f"Showing {len(events)} events, {words(lo)} – {words(hi)}"
    page.locator(".fm-tl-presets button", has_text="2024–2025").click()
    page.screenshot(path=str(SCREENSHOTS / "fm-timeline.png"))
    page.locator(".fm-timeline").screenshot(path=str(SCREENSHOTS / "fm-timeline-strip.png"))
    # Zoomed to 2024-2025 the ticks are months.
    labels = page.locator("svg.fm-tl-svg text.fm-tl-label").all_text_contents()
    assert any(label.startswith("Jan 2025") for label in labels), labels
    assert_clean(log)


def test_month_precision_event_spans_its_month(open_map, shipped_map, events):
    page, log = open_map(shipped_map)
    page.fill(".fm-tl-from", "2014-11-01")
    page.fill(".fm-tl-to", "2015-01-31")
    page.click(".fm-tl-fit")
    svg = page.locator("svg.fm-tl-svg")
    axis_lo = day_number(svg.get_attribute("data-axis-from"), False)
    axis_hi = day_number(svg.get_attribute("data-axis-to"), False)
    plot_width = page.evaluate("document.querySelector('.fm-tl-plot').clientWidth") - 24
    month = next(e for e in events if e["id"] == "2014-12-peshawar-school-attack")
    bar = page.locator("rect.fm-tl-span[data-event='2014-12-peshawar-school-attack']")
    width = float(bar.get_attribute("width"))
    expected = (month["end"] - month["start"] + 1) / (axis_hi + 1 - axis_lo) * plot_width
    assert month["end"] - month["start"] + 1 == 31
    assert width == pytest.approx(expected, abs=1.5)
    assert "December 2014" in bar.locator("title").text_content()
    assert_clean(log)


def test_brush_drag_and_edges_set_the_window(open_map, shipped_map, events):
    page, log = open_map(shipped_map)
    page.locator(".fm-tl-presets button", has_text="2024–2025").click()
    page.fill(".fm-tl-from", "2024-06-01")
    page.fill(".fm-tl-to", "2024-06-30")
    box = page.locator(".fm-tl-plot").bounding_box()
    y = box["y"] + 30
    # Draw a new window from outside the current one.
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.8, y, steps=5)
    page.mouse.up()
    lo, hi = window_days(page)
    assert 300 > hi - lo > 30
    page.wait_for_timeout(50)
    assert sorted(map_ids(page)) == sorted(expected_ids(events, lo, hi))
    # Drag the start handle to the right: only the start moves.
    handle = page.locator(".fm-tl-handle[aria-label='Window start']").bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(handle["x"] + 60, handle["y"] + handle["height"] / 2, steps=4)
    page.mouse.up()
    lo2, hi2 = window_days(page)
    assert lo2 > lo and hi2 == hi
    # Drag the window body to the left: it keeps its length.
    brush = page.locator(".fm-tl-brush").bounding_box()
    page.mouse.move(brush["x"] + brush["width"] / 2, brush["y"] + 20)
    page.mouse.down()
    page.mouse.move(brush["x"] + brush["width"] / 2 - 80, brush["y"] + 20, steps=4)
    page.mouse.up()
    lo3, hi3 = window_days(page)
    assert lo3 < lo2 and hi3 - lo3 == hi2 - lo2
    page.wait_for_timeout(50)
    assert sorted(map_ids(page)) == sorted(expected_ids(events, lo3, hi3))
    assert_clean(log)


def test_handles_work_with_the_keyboard_alone(open_map, shipped_map):
    page, log = open_map(shipped_map)
    page.locator(".fm-tl-presets button", has_text="2024–2025").focus()
    page.keyboard.press("Enter")
    lo, hi = window_days(page)
    assert words(lo) == "1 January 2024"
    # Tab on: zoom buttons, date fields, then the window and its two handles.
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Window start":
            break
    else:
        pytest.fail("the window start handle is not reachable with Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    start = page.locator(".fm-tl-handle[aria-label='Window start']")
    assert start.get_attribute("aria-valuetext") == "3 January 2024"
    page.keyboard.press("PageUp")
    assert start.get_attribute("aria-valuetext") == "3 February 2024"
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowLeft")
    end = page.locator(".fm-tl-handle[aria-label='Window end']")
    assert end.get_attribute("aria-valuetext") == words(hi - 1)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.classList.contains('fm-tl-brush')")
    page.keyboard.press("ArrowLeft")
    assert window_days(page) == (day_number("2024-02-02", False), hi - 2)
    assert "2 February 2024" in page.get_attribute(".fm-tl-brush", "aria-valuetext")
    assert_clean(log)


def test_axis_zooms_with_buttons_wheel_and_zoom_to_window(open_map, shipped_map):
    page, log = open_map(shipped_map)
    svg = page.locator("svg.fm-tl-svg")

    def axis_days():
        return day_number(svg.get_attribute("data-axis-to"), False) - day_number(
            svg.get_attribute("data-axis-from"), False
        )

    full = axis_days()
    page.get_by_role("button", name="Zoom the axis in").click()
    assert axis_days() == pytest.approx(full / 2, abs=2)
    page.get_by_role("button", name="Zoom the axis out").click()
    assert axis_days() == pytest.approx(full, abs=2)
    box = page.locator(".fm-tl-plot").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + 30)
    for _ in range(8):
        page.mouse.wheel(0, -120)
    assert axis_days() < full * 0.25
    page.fill(".fm-tl-from", "2024-12-01")
    page.fill(".fm-tl-to", "2025-03-31")
    page.click(".fm-tl-fit")
    assert 121 <= axis_days() <= 160
    assert_clean(log)


def start_playback(page) -> list[int]:
    """Press Play; the window it starts from, read in the same turn of the page."""
    return page.evaluate(
        "() => { document.querySelector('.fm-tl-play').click(); return FrontierMap.app.window; }"
    )


def test_playback_slides_the_window_and_pauses(open_map, shipped_map):
    page, log = open_map(shipped_map)
    page.locator(".fm-tl-presets button", has_text="2016–2025").click()
    first = start_playback(page)
    play = page.locator(".fm-tl-play")
    assert play.get_attribute("aria-pressed") == "true"
    page.wait_for_function(
        "w => { const a = FrontierMap.app.window; return a[0] > w[0] && a[1] - a[0] === w[1] - w[0]; }",
        arg=first,
    )
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    # Paused: no playback timer is left to move the window.
    assert page.evaluate("FrontierMap.app.timeline.timer") is None
    assert_clean(log)


def test_playback_starts_at_the_first_event_and_skips_empty_stretches(open_map, shipped_map, events):
    page, log = open_map(shipped_map)
    first = by_date(events)[0]
    assert start_playback(page)[0] == first["start"], "play starts at the first event in the window"
    # The next event after 1893 starts in 1980: the window reaches it within a few steps (at
    # 1x, without skipping, the empty 86 years would take some 40 s, twice the axis' 20 s).
    second = by_date(events)[1]
    page.wait_for_function(
        "s => FrontierMap.app.window[1] >= s && FrontierMap.app.window[0] < s",
        arg=second["start"],
        timeout=8000,
    )
    page.wait_for_function("() => FrontierMap.kit.visible().length > 0")
    page.locator(".fm-tl-play").click()
    assert_clean(log)


# ------------------------------------------------------- the timeline's first view


def empty_share(events, lo, hi) -> float:
    """The share of the axis lo..hi taken by calendar decades in which no event falls."""
    empty = 0
    first = (EPOCH + dt.timedelta(days=lo)).year // 10 * 10
    last = (EPOCH + dt.timedelta(days=hi)).year
    for year in range(first, last + 1, 10):
        d0 = max(lo, day_number(str(year), False))
        d1 = min(hi, day_number(str(year + 9), True))
        if d0 <= d1 and not any(e["start"] <= d1 and e["end"] >= d0 for e in events):
            empty += d1 - d0 + 1
    return empty / (hi - lo + 1)


@pytest.mark.parametrize("which", ["article", "import"])
def test_the_first_view_spends_at_most_a_third_on_empty_decades(
    open_map, shipped_map, events, which, large_import
):
    path, rows = (shipped_map, events) if which == "article" else large_import
    page, log = open_map(path, width=1440, height=900)
    svg = page.locator("svg.fm-tl-svg")
    lo = day_number(svg.get_attribute("data-axis-from"), False)
    hi = day_number(svg.get_attribute("data-axis-to"), False)
    assert empty_share(rows, lo, hi) <= 1 / 3
    # The window still holds every event, and the ones off the axis are announced and one click away.
    assert window_days(page) == (min(e["start"] for e in rows), max(e["end"] for e in rows))
    off = sum(1 for e in rows if e["end"] < lo)
    before = page.locator(".fm-tl-before")
    if off:
        assert before.inner_text() == f"◂ {off} event{'s' if off > 1 else ''} earlier"
        before.click()
        assert svg.get_attribute("data-axis-from") == page.evaluate(
            "FrontierMap.kit.isoDay(FrontierMap.app.span[0])"
        )
        assert before.is_hidden()
    page.screenshot(path=str(SCREENSHOTS / f"fm-first-view-{which}.png"))
    assert_clean(log)


# -------------------------------------------------- window, filters and the list


def test_window_from_link_shows_only_its_events_on_map_and_list(open_map, shipped_map, events):
    page, log = open_map(shipped_map, hash="#from=2024-12-01&to=2025-03-31")
    lo, hi = day_number("2024-12-01", False), day_number("2025-03-31", True)
    want = expected_ids(events, lo, hi)
    assert "2024-deadliest-year" not in want and "2025-03-03-torkham-firefight" in want
    assert sorted(map_ids(page)) == sorted(want)
    assert list_ids(page) == want
    text = f"{len(want)} events shown, 1 December 2024 – 31 March 2025"
    page.wait_for_function("t => document.querySelector('.fm-announce').textContent === t", arg=text)
    assert page.locator(".fm-list-count").inner_text() == f"({len(want)} of {len(events)})"
    assert_clean(log)


def test_category_filters_combine_with_window_and_follow_the_map(open_map, shipped_map, events):
    page, log = open_map(shipped_map, hash="#from=2024-12-01&to=2025-03-31")
    lo, hi = day_number("2024-12-01", False), day_number("2025-03-31", True)
    sidebar_box = page.locator(".fm-filters input[data-category='armed_clash']")
    sidebar_box.uncheck()
    want = expected_ids(events, lo, hi, off_categories={"armed_clash"})
    assert sorted(map_ids(page)) == sorted(want)
    assert list_ids(page) == want
    # The row follows the category when something else switches it (here the page's API).
    page.evaluate("FrontierMap.app.setCategory('armed_clash', true)")
    assert sidebar_box.is_checked()
    assert sorted(map_ids(page)) == sorted(expected_ids(events, lo, hi))
    page.evaluate("FrontierMap.app.setCategory('armed_clash', false)")
    assert not sidebar_box.is_checked()
    inside = sum(
        1 for e in events if e["category"] == "armed_clash" and in_window(e["start"], e["end"], lo, hi)
    )
    total = sum(1 for e in events if e["category"] == "armed_clash")
    count = page.locator(
        ".fm-filters li:has(input[data-category='armed_clash']) .fm-filter-count"
    ).inner_text()
    assert count == f"{inside} of {total}"
    page.get_by_role("button", name="Hide all").click()
    assert map_ids(page) == [] and list_ids(page) == []
    assert page.locator(".fm-list-empty").is_visible()
    page.get_by_role("button", name="Show all").click()
    assert len(map_ids(page)) == len(expected_ids(events, lo, hi))
    assert_clean(log)


def test_a_map_click_makes_the_event_current_in_the_list_and_scrolls_to_it(open_map, shipped_map, events):
    page, log = open_map(shipped_map, width=1280, height=800)
    no_motion(page)
    last = by_date(events)[-1]  # far down the list: its row is not drawn until scrolled to
    row = page.locator(f".fm-list-item[data-event='{last['id']}']")
    assert row.count() == 0
    page.locator(f".leaflet-marker-pane [data-event-id='{last['id']}']").click()
    page.wait_for_function(
        """id => {
          const b = document.querySelector(`.fm-list-item[data-event="${id}"]`);
          if (!b || b.getAttribute('aria-current') !== 'true') return false;
          const r = b.getBoundingClientRect();
          const v = document.querySelector('.fm-list-viewport').getBoundingClientRect();
          return r.top >= v.top - 1 && r.bottom <= v.bottom + 1 && r.bottom <= innerHeight;
        }""",
        arg=last["id"],
    )
    assert page.locator(".fm-list-item[aria-current='true']").count() == 1
    # The focus stays on the map: the reader chose on the map.
    assert not page.evaluate("document.activeElement.classList.contains('fm-list-item')")
    assert_clean(log)


def test_escape_closes_the_phone_drawer_when_no_popup_is_open(open_map, shipped_map):
    page, log = open_map(shipped_map, width=390, height=844)
    toggle = page.locator(".fm-sidebar-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('fm-sidebar-toggle')")
    assert_clean(log)


def test_escape_closes_the_search_results_before_the_popup(open_map, shipped_map):
    page, log = open_map(shipped_map)
    no_motion(page)
    click_event(page, "2025-03-03-torkham-firefight")
    popup_title(page)
    search(page, "Torkham")
    page.keyboard.press("Escape")
    assert page.locator("#fm-search-list").is_hidden()
    assert page.locator(".leaflet-popup").count() == 1, "one Escape, one thing closed"
    page.locator(".leaflet-container").focus()
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert_clean(log)


def test_dates_read_as_words_at_their_own_precision(open_map, valid_map):
    page, _ = open_map(valid_map)
    cases = {
        "1893": "1893",
        "2014-12": "December 2014",
        "2014-01": "January 2014",
        "2024-12-25": "25 December 2024",
        "2024-02-01": "1 February 2024",
    }
    for iso, words_ in cases.items():
        assert page.evaluate("d => FrontierMap.dateLabel(d)", iso) == words_
    spans = [
        (("1979", "1989"), "1979 \u2013 1989"),
        (("2014-12", "2015"), "December 2014 \u2013 2015"),
        (("2025-03-03", "2025-03-04"), "3 March 2025 \u2013 4 March 2025"),
        (("2024-12-25", None), "25 December 2024"),
        (("2024-12", "2024-12"), "December 2024"),
    ]
    for (start, end), label in spans:
        assert page.evaluate("a => FrontierMap.spanLabel(a[0], a[1])", [start, end]) == label


def test_event_list_keyboard_virtual_rows_and_phone_drawer(open_map, shipped_map, events):
    page, log = open_map(shipped_map, width=390, height=844)
    no_motion(page)
    page.locator(".fm-sidebar-toggle").click()
    page.wait_for_timeout(300)
    rows = page.locator(".fm-list li[data-row]")
    assert 0 < rows.count() < len(events), "the list renders only the rows in view"
    assert rows.first.get_attribute("aria-setsize") == str(len(events))
    ordered = [e["id"] for e in by_date(events)]
    page.screenshot(path=str(SCREENSHOTS / "fm-phone-list.png"))
    page.locator(".fm-list-item").first.focus()
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.event") == ordered[3]
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.dataset.event") == ordered[-1]
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup")
    assert popup_title(page) == by_date(events)[-1]["title"]
    assert page.locator(".fm-sidebar-toggle").get_attribute("aria-expanded") == "false"
    assert page.locator(".fm-list-item[aria-current='true']").count() <= 1
    page.screenshot(path=str(SCREENSHOTS / "fm-phone-popup.png"))
    # The section collapses and expands.
    page.locator(".fm-sidebar-toggle").click()
    toggle = page.locator(".fm-collapse")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(".fm-list-viewport").is_visible()
    toggle.click()
    assert page.locator(".fm-list-viewport").is_visible()
    # The timeline fits the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="✕ Close").click()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "fm-phone.png"))
    assert_clean(log)


# -------------------------------------------------------------------- story mode


def story_order(path: Path, events: list[dict]) -> list[str]:
    known = {e["id"] for e in events}
    story = [i for i in payload_of(path).get("story") or [] if i in known]
    return list(dict.fromkeys(story)) or [e["id"] for e in by_date(events)]


def test_story_mode_steps_through_the_article(open_map, shipped_map, events):
    page, log = open_map(shipped_map)
    no_motion(page)
    order = story_order(shipped_map, events)
    titles = {e["id"]: e["title"] for e in events}
    layers = {e["id"]: e["layers"] for e in events}
    page.get_by_role("button", name="Story tour").click()
    card = page.locator(".fm-story")
    assert card.locator(".fm-story-step").text_content() == f"Step 1 of {len(order)}"
    assert popup_title(page) == titles[order[0]]
    assert page.evaluate("document.activeElement.classList.contains('fm-story-next')")
    page.keyboard.press("ArrowRight")
    assert card.locator(".fm-story-step").text_content() == f"Step 2 of {len(order)}"
    assert popup_title(page) == titles[order[1]]
    page.get_by_role("button", name="Next ▶").click()
    assert card.locator(".fm-story-step").text_content() == f"Step 3 of {len(order)}"
    page.keyboard.press("ArrowLeft")
    assert popup_title(page) == titles[order[1]]
    # A step that names layers highlights them, and only them.
    k = next(k for k, i in enumerate(order) if layers[i])
    page.evaluate("k => FrontierMap.app.story.go(k)", k)
    assert popup_title(page) == titles[order[k]]
    lit = page.eval_on_selector_all(".fm-story-hl", "els => els.map(e => e.getAttribute('class'))")
    assert lit and all(any(f"fm-layer-{layer}" in c for layer in layers[order[k]]) for c in lit)
    for layer in layers[order[k]]:
        assert page.locator(f".fm-story-hl.fm-layer-{layer}").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "fm-story.png"))
    plain = next(j for j, i in enumerate(order) if not layers[i])
    page.evaluate("k => FrontierMap.app.story.go(k)", plain)
    assert page.locator(".fm-story-hl").count() == 0
    # Each step marks its dates on the timeline, over exactly the event's days.
    for k in (plain, 0):
        page.evaluate("k => FrontierMap.app.story.go(k)", k)
        event = next(e for e in events if e["id"] == order[k])
        mark = page.locator(f"rect.fm-tl-mark[data-event='{order[k]}']")
        assert mark.count() == 1 and page.locator("rect.fm-tl-mark").count() == 1
        svg = page.locator("svg.fm-tl-svg")
        a0 = day_number(svg.get_attribute("data-axis-from"), False)
        a1 = day_number(svg.get_attribute("data-axis-to"), False)
        assert a0 <= event["start"] and event["end"] <= a1, "the axis shows the step's dates"
        width = page.evaluate("document.querySelector('.fm-tl-plot').clientWidth") - 24
        x = 12 + (event["start"] - a0) / (a1 + 1 - a0) * width
        assert float(mark.get_attribute("x")) == pytest.approx(x, abs=1.5)
    # Escape leaves the tour and keeps its popup; the next Escape closes the popup.
    page.locator(".fm-story-next").focus()
    page.keyboard.press("Escape")
    assert card.count() == 0
    assert page.get_by_role("button", name="Story tour").get_attribute("aria-pressed") == "false"
    assert page.locator("rect.fm-tl-mark").count() == 0
    assert popup_title(page) == titles[order[0]]
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    # Arrows no longer step anything.
    page.keyboard.press("ArrowRight")
    assert page.locator(".fm-story").count() == 0
    assert_clean(log)


def test_story_without_an_order_tours_events_by_date(open_map, valid_map):
    events = load_events(VALID_DIR)
    assert not payload_of(valid_map).get("story")
    page, log = open_map(valid_map)
    no_motion(page)
    page.get_by_role("button", name="Story tour").click()
    seen = []
    for k in range(len(events)):
        seen.append(popup_title(page))
        assert page.locator(".fm-story-step").text_content() == f"Step {k + 1} of {len(events)}"
        page.keyboard.press("ArrowRight")
    assert seen == [e["title"] for e in by_date(events)]
    assert list_ids(page) == [e["id"] for e in by_date(events)]
    assert_clean(log)


# -------------------------------------------------------------------- deep links


def test_event_links_open_their_popups_on_load_and_on_hashchange(open_map, shipped_map, events):
    ids = ["2014-12-peshawar-school-attack", "2025-03-03-torkham-firefight", "1893-durand-line-drawn"]
    titles = {e["id"]: e["title"] for e in events}
    ids.append("2025-01-08-india-afghanistan-dubai-meeting")  # far from the rest: off the first view
    for event_id in ids:
        page, log = open_map(shipped_map, hash=f"#event={event_id}", width=1440, height=900)
        assert popup_title(page) == titles[event_id]
        # The event's place (its marker, or the cluster holding it) is brought into view
        # with its popup.
        assert page.evaluate(
            "id => { const a = FrontierMap.app, i = a.store.rowOf(id);"
            " return a.map.getBounds().contains([a.store.lat[i], a.store.lon[i]]); }",
            event_id,
        ), event_id
        assert_clean(log)
    ids.pop()
    no_motion(page)
    for event_id in ids[:2]:
        page.evaluate("h => { location.hash = h; }", f"#event={event_id}")
        page.wait_for_function(
            "t => document.querySelector('.leaflet-popup-content h3')?.textContent === t",
            arg=titles[event_id],
        )
    page, log2 = open_map(
        shipped_map, hash="#from=2024-12-01&to=2025-03-31&event=2025-03-03-torkham-firefight"
    )
    assert popup_title(page) == titles["2025-03-03-torkham-firefight"]
    assert window_days(page) == (day_number("2024-12-01", False), day_number("2025-03-31", True))
    assert_clean(log)
    assert_clean(log2)


def test_a_hash_change_applies_even_when_a_pending_write_lands_first(open_map, shipped_map):
    # The map writes its state to the hash a moment after each change; if that write lands
    # between the user's new hash and its hashchange event, the new hash must still apply.
    page, log = open_map(shipped_map)
    no_motion(page)
    page.evaluate(
        "() => { const before = location.hash; location.hash = '#from=2024-06-01&to=2024-12-31';"
        " history.replaceState(history.state, '', before || '#'); }"
    )
    page.wait_for_function(
        "w => FrontierMap.app.window[0] === w[0] && FrontierMap.app.window[1] === w[1]",
        arg=[day_number("2024-06-01", False), day_number("2024-12-31", True)],
    )
    assert_clean(log)


def test_malformed_link_values_are_ignored_and_the_rest_applies(open_map, shipped_map, events):
    page, log = open_map(
        shipped_map,
        hash="#from=2024-13-45&to=2025-03-31&event=no-such-event&cats=bogus&layers=&map=abc"
        "&%E0%A4%A=1&zoom=99&event=2025-02-21-torkham-closed&to=2025-02-30x",
    )
    lo = min(e["start"] for e in events)
    assert window_days(page) == (lo, day_number("2025-03-31", True))
    assert popup_title(page) == next(e["title"] for e in events if e["id"] == "2025-02-21-torkham-closed")
    assert all(box.is_checked() for box in page.locator(".fm-filters input").all())
    assert_clean(log)


def test_hash_records_state_and_round_trips(open_map, shipped_map, events):
    page, log = open_map(shipped_map)
    no_motion(page)
    length = page.evaluate("history.length")
    page.locator(".fm-tl-presets button", has_text="2024–2025").click()
    page.locator(".fm-filters input[data-category='diplomacy_policy']").uncheck()
    page.locator(".fm-layers-panel input[data-layer='kabul-river']").uncheck()
    page.mouse.move(400, 300)
    page.mouse.down()
    page.mouse.move(300, 250, steps=5)
    page.mouse.up()
    click_event(page, "2025-03-03-torkham-firefight")
    # The hash catches up with the open event and the view (after any pan to fit the popup).
    # The hash is read in the same turn as the view it must match: the map may still be
    # settling (a pan to fit the popup), and a second read could see a later view.
    hash_ = page.wait_for_function(
        """() => {
          const c = FrontierMap.app.map.getCenter();
          const m = /map=([\\d.]+)\\/([-\\d.]+)\\/([-\\d.]+)/.exec(location.hash);
          const ok = location.hash.includes('event=2025-03-03-torkham-firefight') && !!m &&
            Math.abs(+m[2] - c.lat) < 1e-3 && Math.abs(+m[3] - c.lng) < 1e-3;
          return ok ? location.hash : null;
        }"""
    ).json_value()
    params = dict(pair.split("=", 1) for pair in hash_[1:].split("&"))
    assert params["from"] == "2024-01-01" and params["to"] == "2025-03-31"
    categories = {e["category"] for e in events}
    assert set(params["cats"].split(",")) == categories - {"diplomacy_policy"}
    assert "kabul-river" not in params["layers"].split(",") and "torkham" in params["layers"]
    zoom = params["map"].split("/")[0]
    assert page.evaluate("history.length") == length, "replaceState, not new history entries"
    # The same link opened afresh restores it all.
    other, log2 = open_map(shipped_map, hash=hash_)
    assert window_days(other) == window_days(page)
    assert not other.locator(".fm-filters input[data-category='diplomacy_policy']").is_checked()
    assert other.locator("path.fm-layer-kabul-river").count() == 0
    assert float(zoom) == other.evaluate("FrontierMap.app.map.getZoom()"), "a fractional zoom round-trips"
    assert popup_title(other) == popup_title(page)
    assert_clean(log)
    assert_clean(log2)


# ------------------------------------------------------------------------ search


def search(page, text):
    box = page.get_by_role("combobox", name="Search events and places")
    box.fill("")
    page.wait_for_selector("#fm-search-list", state="hidden")
    box.fill(text)
    page.wait_for_selector("#fm-search-list:not([hidden]) [role=option]")
    return box


def test_search_finds_places_in_any_script_and_spelling(open_map, shipped_map):
    page, log = open_map(shipped_map)
    no_motion(page)
    box = search(page, "Patakia")
    options = page.locator("#fm-search-list [role=option]")
    assert "Paktika" in options.first.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_selector(".leaflet-popup-content [data-feature-id='paktika']")
    assert box.get_attribute("aria-expanded") == "false"
    box = search(page, "تورخم")  # Pashto/Dari
    assert "Torkham" in options.first.inner_text()
    box.press("Enter")
    page.wait_for_selector(".leaflet-popup-content [data-feature-id='torkham']")
    search(page, "پکتیکا")
    assert "Paktika" in options.first.inner_text()
    search(page, "Quetta")  # a basemap city has no popup of its own: one is made
    box.press("Enter")
    assert popup_title(page) == "Quetta"
    assert_clean(log)


def test_search_finds_events_by_title_place_and_summary(open_map, shipped_map):
    page, log = open_map(shipped_map)
    no_motion(page)
    box = search(page, "hijack")
    texts = page.locator("#fm-search-list [role=option]").all_inner_texts()
    assert any("Baloch separatists hijack a train" in t for t in texts)
    search(page, "Barmal")  # a place: the Barmal district feature and the strike event
    texts = page.locator("#fm-search-list [role=option]").all_inner_texts()
    assert any("Barmal district" in t for t in texts)
    assert any("Event" in t and "Paktika" in t for t in texts)
    search(page, "handlers in afghanistan")  # only in a summary
    texts = page.locator("#fm-search-list [role=option]").all_inner_texts()
    assert any("hijack" in t for t in texts)
    # Keyboard: down to the event, Enter opens it even with its category off.
    page.locator(".fm-filters input[data-category='abduction']").uncheck()
    box.focus()
    search(page, "Baloch separatists")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_selector(".leaflet-popup-content [data-event-id='2025-03-11-train-hijacking']")
    assert page.locator(".fm-filters input[data-category='abduction']").is_checked()
    box.fill("zzzz-nothing")
    page.wait_for_timeout(200)
    assert page.locator("#fm-search-list").is_hidden()
    assert_clean(log)


# ------------------------------------------------------------------ site status


def test_torkham_status_follows_the_window_end_and_shows_in_its_popup(open_map, shipped_map, events):
    torkham = json.loads((DATA_DIR / "torkham.geojson").read_text("utf-8"))["features"][0]
    history = torkham["properties"]["status_history"]
    closed = next(h for h in history if h["status"] == "closed")
    before = next(h for h in history if h["status"] == "open" and h["to"])
    page, log = open_map(shipped_map, hash=f"#from=2025-01-01&to={closed['from']}")
    marker = page.locator(".leaflet-marker-pane [data-feature-id='torkham']")
    assert "fm-status-closed" in marker.get_attribute("class")
    assert marker.get_attribute("aria-label") == "Torkham (closed)"
    assert "fm-status-closed" in page.locator(".fm-legend .fm-status-key").get_attribute("class")
    page.screenshot(path=str(SCREENSHOTS / "fm-status-closed.png"))
    # Torkham's own events are drawn over its marker (events sit where they happened);
    # the place opens from the keyboard.
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    text = popup.inner_text()
    assert "status over time" in text.lower()
    assert f"On {words(day_number(closed['from'], False))} (end of the time window): closed" in text
    assert "status history" not in text.lower() and "[object Object]" not in text
    for entry in history:
        for key in ("from", "to"):
            if entry[key]:
                assert words(day_number(entry[key], False)) in text
    assert popup.locator(".fm-current").inner_text().startswith("Closed")
    titles = {e["id"]: e["title"] for e in events}
    for event_id in closed["events"]:
        assert popup.get_by_role("button", name=titles[event_id]).count() == 1
    page.keyboard.press("Escape")
    page.evaluate("h => { location.hash = h; }", f"#from=2024-06-01&to={before['to']}")
    page.wait_for_function(
        "() => document.querySelector('[data-feature-id=torkham]').classList.contains('fm-status-open')"
    )
    assert marker.get_attribute("aria-label") == "Torkham (open)"
    # Toggling the layer keeps the status on the re-made marker.
    box = page.locator(".fm-layers-panel input[data-layer='torkham']")
    page.evaluate("h => { location.hash = h; }", f"#from=2025-01-01&to={closed['from']}")
    page.wait_for_function(
        "() => document.querySelector('[data-feature-id=torkham]').classList.contains('fm-status-closed')"
    )
    box.uncheck()
    box.check()
    assert "fm-status-closed" in marker.get_attribute("class")
    assert marker.get_attribute("title") == "Torkham (closed)"
    assert_clean(log)


# ------------------------------------------------------------------------ export


def test_export_downloads_the_events_shown_as_geojson_and_safe_csv(open_map, tweaked):
    events = tweaked["events"]
    page, log = open_map(tweaked["path"], hash="#from=2024-12-01&to=2025-03-31")
    page.locator(".fm-filters input[data-category='diplomacy_policy']").uncheck()
    lo, hi = day_number("2024-12-01", False), day_number("2025-03-31", True)
    want = expected_ids(events, lo, hi, off_categories={"diplomacy_policy"})
    assert HOSTILE_EVENT["id"] in want
    with page.expect_download() as info:
        page.get_by_role("button", name="GeoJSON").click()
    download = info.value
    assert download.suggested_filename == "frontier-events_2024-12-01_2025-03-31.geojson"
    collection = json.loads(Path(download.path()).read_text("utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == want
    first = collection["features"][0]
    assert first["geometry"]["type"] == "Point" and len(first["geometry"]["coordinates"]) == 2
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV").click()
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    text = raw[3:].decode("utf-8")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0].keys()) == [
        "id",
        "title",
        "date",
        "date_precision",
        "end_date",
        "category",
        "place",
        "lon",
        "lat",
        "location_precision",
        "summary",
        "figures",
        "claims",
        "source",
    ]
    assert [r["id"] for r in rows] == want
    hostile = next(r for r in rows if r["id"] == HOSTILE_EVENT["id"])
    assert hostile["title"] == "'" + HOSTILE_EVENT["title"]
    assert hostile["place"] == "'" + HOSTILE_EVENT["place"]
    assert hostile["summary"] == "'" + HOSTILE_EVENT["summary"]
    assert float(hostile["lon"]) and float(hostile["lat"])
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r" or value.lstrip("-").replace(".", "").isdigit()
    strike = next(r for r in rows if r["id"] == "2024-12-25-paktika-airstrikes")
    assert strike["date"] == "2024-12-25" and strike["category"] == "air_strike"
    assert_clean(log)


def test_print_keeps_legend_window_text_and_attribution(open_map, shipped_map, events):
    page, log = open_map(shipped_map, hash="#from=2024-12-01&to=2025-03-31")
    page.emulate_media(media="print")
    lo, hi = day_number("2024-12-01", False), day_number("2025-03-31", True)
    n = len(expected_ids(events, lo, hi))
    summary = page.locator(".fm-tl-summary")
    assert summary.is_visible()
    assert summary.inner_text() == f"Showing {n} events, 1 December 2024 – 31 March 2025"
    assert page.locator(".fm-legend").is_visible()
    assert page.locator(".leaflet-control-attribution").is_visible()
    for chrome in (
        ".fm-search",
        ".fm-tl-plot",
        ".fm-tl-controls",
        ".fm-list-panel",
        ".fm-filter-all",
        ".leaflet-control-zoom",
        ".fm-story-start",
    ):
        assert page.locator(chrome).is_hidden(), chrome
    # The layer and category lists print as the legend of what is shown, without their switches.
    assert page.locator(".fm-layers-panel").is_visible() and page.locator(".fm-filters").is_visible()
    assert page.locator(".fm-sidebar input[type=checkbox]:visible").count() == 0
    assert page.locator(".fm-filters li", has_text="Diplomacy and policy").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "fm-print.png"), full_page=True)
    assert_clean(log)


def test_the_timeline_follows_a_resized_window(open_map, shipped_map):
    """The histogram is redrawn for a new plot width (the first view is drawn once, not twice)."""
    page, log = open_map(shipped_map, width=1440, height=900)
    drawn = """(() => {
      const plot = document.querySelector(".fm-tl-plot");
      return { svg: +plot.querySelector(".fm-tl-svg").getAttribute("width"), plot: plot.clientWidth };
    })()"""
    before = page.evaluate(drawn)
    assert before["svg"] == before["plot"]
    page.set_viewport_size({"width": 1000, "height": 900})
    page.wait_for_function(
        "() => { const p = document.querySelector('.fm-tl-plot'); "
        "return +p.querySelector('.fm-tl-svg').getAttribute('width') === p.clientWidth; }"
    )
    after = page.evaluate(drawn)
    assert after["plot"] < before["plot"] and after["svg"] == after["plot"]
    assert log.errors == []
