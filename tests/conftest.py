"""Shared fixtures: built maps and a headless Chromium page with the network blocked."""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# Tests write only under pytest's temporary folder: no example database in the checkout.
# No deadline: speed is measured in bench/, and a first example on a busy 2-core CI
# machine can take longer than hypothesis's 200 ms without anything being wrong.
settings.register_profile("frontier", database=None, deadline=None)
settings.load_profile("frontier")

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data" / "geojson"
VALID_DIR = Path(__file__).resolve().parent / "data" / "valid"
INVALID_DIR = Path(__file__).resolve().parent / "data" / "invalid"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run make_map.py's main with ``args``; its exit code, stdout and stderr."""
    from geo.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps caches (e.g. of constants) in .hypothesis/: put it under pytest's tmp."""
    factory: pytest.TempPathFactory = config._tmp_path_factory  # type: ignore[attr-defined]
    set_hypothesis_home_dir(factory.mktemp("hypothesis"))


def map_pixel(page, lat: float, lon: float) -> tuple[int, int, int]:
    """The colour a frontier map page shows at a map position, read from a one-pixel screenshot.

    The map is first centred on the position (at the same zoom), so it is in view.
    """
    x, y = page.evaluate(
        """([lat, lon]) => {
          const map = FrontierMap.app.map;
          map.setView([lat, lon], map.getZoom(), {animate: false});
          const p = map.latLngToContainerPoint([lat, lon]);
          const box = map.getContainer().getBoundingClientRect();
          return [Math.round(box.left + p.x), Math.round(box.top + p.y)];
        }""",
        [lat, lon],
    )
    png = page.screenshot(clip={"x": x, "y": y, "width": 1, "height": 1}, animations="disabled")
    width, height, depth, color = struct.unpack(">IIBB", png[16:26])
    assert (width, height, depth) == (1, 1, 8) and color in (2, 6), "unexpected screenshot format"
    chunks, at = b"", 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == b"IDAT":
            chunks += png[at + 8 : at + 8 + length]
        at += 12 + length
    row = zlib.decompress(chunks)
    # Every PNG filter leaves the first pixel of the first row as it is.
    return row[1], row[2], row[3]


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def chromium_path() -> str:
    """Debian's chromium (or $FRONTIER_CHROMIUM); the test script installs it when missing."""
    path = os.environ.get("FRONTIER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"no Chromium at {path}: run `bash scripts/test.sh`, which installs Debian chromium")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                # Belt and braces: no host name resolves, so nothing can leave the machine.
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ],
        )
        yield chromium
        chromium.close()


@dataclass
class PageLog:
    """What a page did that it should not: requests off the machine and console errors."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# Recorded in every page, and saved with a screenshot when a browser test fails.
_EVENT_LOG = """
window.__fmLog = [];
["pointerdown", "click", "keydown"].forEach(function (type) {
  document.addEventListener(type, function (e) {
    var t = e.target, name = t && t.getAttribute ? (t.getAttribute("class") || t.tagName) : String(t);
    window.__fmLog.push(type + " " + String(name).slice(0, 60) + " @" + Math.round(performance.now()));
  }, true);
});
"""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


@pytest.fixture
def open_map(browser, request):
    """Open a built map file with the network blocked; returns (page, log)."""
    contexts = []
    pages = []

    def _open(path: Path, *, width: int = 1280, height: int = 800, hash: str = ""):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        log = PageLog()

        def block(route) -> None:
            url = route.request.url
            if url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                log.requests.append(url)
                route.abort()

        context.route("**/*", block)
        page = context.new_page()
        page.add_init_script(_EVENT_LOG)
        pages.append(page)
        page.on(
            "request",
            lambda r: None if r.url.startswith(LOCAL_SCHEMES) else log.requests.append(r.url),
        )
        page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: log.errors.append(f"uncaught: {e}"))
        page.goto(path.resolve().as_uri() + hash)
        page.wait_for_selector("html[data-frontier-ready]", timeout=15_000)
        return page, log

    yield _open
    if getattr(request.node, "failed_call", False):
        _save_evidence(request.node.name, pages)
    for context in contexts:
        context.close()


def _save_evidence(test_name: str, pages: list) -> None:
    """A screenshot and the page's event log for each page of a failed test."""
    ARTIFACTS.mkdir(exist_ok=True)
    for n, page in enumerate(pages):
        stem = ARTIFACTS / f"failed-{test_name}-{n}"
        try:
            page.screenshot(path=str(stem.with_suffix(".png")))
            log = page.evaluate("JSON.stringify(window.__fmLog || [], null, 1)")
            stem.with_suffix(".log").write_text(log, "utf-8")
        except Exception as exc:  # the page may be what broke; keep the test's own error
            stem.with_suffix(".log").write_text(f"could not save evidence: {exc}", "utf-8")


@pytest.fixture(scope="session")
def shipped_map(tmp_path_factory) -> Path:
    """map.html built from the shipped data, once per test session."""
    from geo import build_map, write_map

    return write_map(build_map(DATA_DIR), tmp_path_factory.mktemp("shipped") / "map.html")


@pytest.fixture(scope="session")
def valid_map(tmp_path_factory) -> Path:
    """A map built from the small hand-written fixture folder."""
    from geo import build_map, write_map

    return write_map(build_map(VALID_DIR), tmp_path_factory.mktemp("valid") / "map.html")


_SYMBOL_OF = """id => {
  const a = FrontierMap.app, c = a.clusters, i = a.store.rowOf(id);
  const sym = c.symbols.find(s => c.members(s).includes(i));
  if (!sym) return null;
  const p = a.map.latLngToContainerPoint(c.latLng(sym)), box = a.map.getContainer().getBoundingClientRect();
  const tag = c.drawn()[c.symbols.indexOf(sym)].tag;
  return { single: sym.row === i, identity: c.identity(sym), canvas: c.onCanvas.includes(sym),
    x: box.left + p.x, y: box.top + p.y, zoom: a.map.getZoom(),
    tag: tag && [box.left + (tag[0] + tag[2]) / 2, box.top + (tag[1] + tag[3]) / 2] };
}"""


_CENTRE_ON = """id => { const a = FrontierMap.app, i = a.store.rowOf(id);
  a.map.panTo([a.store.lat[i], a.store.lon[i]], { animate: false }); }"""
_SETTLED = "(m => !(m._panAnim && m._panAnim._inProgress) && !m._animatingZoom)(FrontierMap.app.map)"


def _click_visible_part(cluster) -> None:
    """Click a cluster where it shows: its centre, else a side of its ring (a marker of a
    place or a single event may sit on part of it, as they would for a reader)."""
    side = cluster.bounding_box()["height"]
    for x, y in (
        (side / 2, side / 2),
        (6, side / 2),
        (side - 6, side / 2),
        (side / 2, 6),
        (side / 2, side - 6),
    ):
        try:
            cluster.click(position={"x": x, "y": y}, trial=True, timeout=300)
        except Exception:  # covered there: try another side
            continue
        cluster.click(position={"x": x, "y": y})
        return
    pytest.fail("a cluster is covered on every side")


def boxes_overlap(a, b) -> bool:
    """Whether two boxes ``[left, top, right, bottom]`` share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def click_event(page, event_id: str, *, max_clicks: int = 8) -> int:
    """Open an event's popup as a reader would: click its marker, or click the cluster
    holding it (zooming in, or opening its list) until the marker or a list item shows.

    Returns the number of clicks it took; fails when the map does not reveal the event.
    """
    popup = f'.leaflet-popup-content .fm-popup[data-event-id="{event_id}"]'
    for clicks in range(1, max_clicks + 1):
        # A popup that opened may still be panning the map into view: let it settle first.
        page.wait_for_function(_SETTLED)
        item = page.locator(f'.fm-list-popup button[data-event-id="{event_id}"]')
        more = page.locator(".fm-list-popup .fm-list-more")
        while not item.count() and more.count() and more.is_visible():  # a long list: page on
            more.click()
        if item.count():
            item.click()
            page.wait_for_selector(popup)
            page.wait_for_selector(".fm-list-popup", state="detached")
            return clicks
        symbol = page.evaluate(_SYMBOL_OF, event_id)
        if symbol is None and clicks == 1:  # out of view: show all the events first
            page.evaluate(
                "(a => void a.map.fitBounds(a.payload.bounds, { animate: false }))(FrontierMap.app)"
            )
            symbol = page.evaluate(_SYMBOL_OF, event_id)
        assert symbol is not None, f"{event_id} is in no symbol on the map"
        if symbol["canvas"]:  # a placeholder under places shows (and opens) by its tag
            page.mouse.click(*(symbol["tag"] or (symbol["x"], symbol["y"])))
        elif symbol["tag"]:  # placeholders (one or more) under places: their tag opens them
            page.locator(f'.fm-cluster-tag[data-cluster="{symbol["identity"]}"]').click()
        elif symbol["single"]:
            marker = page.locator(f'.leaflet-marker-icon[data-event-id="{event_id}"]')
            try:
                marker.click(trial=True, timeout=300)
            except Exception:  # under a control (the attribution bar): drag it into view first
                page.evaluate(_CENTRE_ON, event_id)
                page.wait_for_function(_SETTLED)
            marker.click()
        else:
            _click_visible_part(page.locator(f'.fm-cluster[data-cluster="{symbol["identity"]}"]'))
        if symbol["single"]:
            page.wait_for_selector(popup)
            return clicks
        page.wait_for_function(
            "z => FrontierMap.app.map.getZoom() > z || document.querySelector('.fm-list-popup')",
            arg=symbol["zoom"],
        )
    pytest.fail(f"{event_id} was not revealed in {max_clicks} clicks")
