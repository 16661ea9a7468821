"""Load a map in headless Chromium and measure time to interactive, JS heap, zoom and pan.

Each measurement starts a fresh Chromium (Debian's, never a downloaded one) with a
1280×800 viewport and opens the page from ``file://``. Every request that is not
``file:`` or ``data:`` is aborted and counted.

* **ready**: ``performance.now()`` (milliseconds since navigation start) when the page
  says it is usable: for ours when ``html[data-frontier-ready]`` appears, for folium
  when the first ``.marker-cluster`` or marker icon is in the DOM. An init script's
  MutationObserver records it, so the test's polling does not shift it.
* **interactive**: after *ready*, two animation frames (so the map has been laid out
  and painted) and then ``requestIdleCallback`` (the main thread is free): the time at
  which a click or a drag would be handled at once. This is the number the targets are
  checked against, for every map alike.
* **heap**: CDP ``Performance.getMetrics`` → ``JSHeapUsedSize`` once interactive, and
  again after a forced garbage collection (what the page keeps).
* **zoom / pan**: median over ``ops`` operations of the time from ``map.setZoom(z ± 1,
  {animate: false})`` / ``map.panBy([±200, 0], {animate: false})`` until two animation
  frames later, so redraw and paint are included.

An *inert* page (``write_inert_page``) is the floor under a page of a given size: the
same number of bytes, almost all of them base64 text in one non-executed script element,
then one line that marks the page ready. It draws nothing, so what it measures is only
Chromium reading and parsing a file that large (no zoom or pan).
"""

from __future__ import annotations

import base64
import random
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
VIEWPORT = {"width": 1280, "height": 800}
Flavour = Literal["ours", "folium", "inert"]

_INIT = """
(() => {
  const bench = window.__bench = {ready: null, interactive: null};
  const flavour = %s;
  const isReady = () => flavour === "folium"
    ? !!document.querySelector(".marker-cluster, .leaflet-marker-icon")
    : document.documentElement.hasAttribute("data-frontier-ready");
  const settle = () => {
    requestAnimationFrame(() => requestAnimationFrame(() => {
      requestIdleCallback(() => { bench.interactive = performance.now(); });
    }));
  };
  const observer = new MutationObserver(() => {
    if (bench.ready === null && isReady()) {
      bench.ready = performance.now();
      observer.disconnect();
      settle();
    }
  });
  observer.observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-frontier-ready"]
  });
})();
"""

_OPERATIONS = """
async ([expression, kind, ops]) => {
  const map = eval(expression);
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const times = [];
  await frame(); await frame();
  for (let i = 0; i < ops; i++) {
    const sign = i % 2 === 0 ? 1 : -1;
    await frame();
    const start = performance.now();
    if (kind === "zoom") map.setZoom(map.getZoom() + sign, {animate: false});
    else map.panBy([200 * sign, 0], {animate: false});
    await frame(); await frame();
    times.push(performance.now() - start);
  }
  return times;
}
"""


@dataclass
class BrowserResult:
    """What one page load measured (times in seconds, sizes in MB, latencies in ms)."""

    ready_s: float | None = None
    interactive_s: float | None = None
    heap_mb: float | None = None
    heap_after_gc_mb: float | None = None
    zoom_ms: float | None = None
    pan_ms: float | None = None
    zoom_runs: list[float] = field(default_factory=list)
    pan_runs: list[float] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    zoom_level: float | None = None
    error: str = ""


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with background networking off."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def map_expression(flavour: Flavour, map_variable: str = "") -> str:
    """JavaScript that evaluates to the page's Leaflet map."""
    return "FrontierMap.app.map" if flavour == "ours" else f"window[{map_variable!r}]"


def measure_page(
    path: Path,
    flavour: Flavour,
    map_variable: str = "",
    *,
    ops: int = 10,
    timeout_s: float = 120.0,
    screenshot: Path | None = None,
) -> BrowserResult:
    """Open ``path`` in a fresh headless Chromium and measure it (see the module docstring)."""
    result = BrowserResult()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            _watch(page, result)
            page.add_init_script(_INIT % f'"{flavour}"')
            timeout_ms = timeout_s * 1000
            page.set_default_timeout(timeout_ms)
            try:
                page.goto(path.resolve().as_uri(), wait_until="commit", timeout=timeout_ms)
                page.wait_for_function(
                    "window.__bench && window.__bench.interactive !== null",
                    polling=200,
                    timeout=timeout_ms,
                )
            except Exception as exc:
                result.error = f"not interactive within {timeout_s:.0f} s ({type(exc).__name__})"
                return result
            marks = page.evaluate("window.__bench")
            result.ready_s = marks["ready"] / 1000
            result.interactive_s = marks["interactive"] / 1000
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            result.heap_mb = _heap_mb(cdp.send("Performance.getMetrics"))
            cdp.send("HeapProfiler.collectGarbage")
            result.heap_after_gc_mb = _heap_mb(cdp.send("Performance.getMetrics"))
            if screenshot:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot))
            if flavour == "inert":
                return result
            expression = map_expression(flavour, map_variable)
            result.zoom_level = page.evaluate(f"{expression}.getZoom()")
            result.zoom_runs = page.evaluate(_OPERATIONS, [expression, "zoom", ops])
            result.pan_runs = page.evaluate(_OPERATIONS, [expression, "pan", ops])
            result.zoom_ms = statistics.median(result.zoom_runs)
            result.pan_ms = statistics.median(result.pan_runs)
        finally:
            browser.close()
    return result


_INERT_HEAD = (
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n'
    '<script type="application/octet-stream">'
)
_INERT_TAIL = (
    '</script>\n<script>document.documentElement.setAttribute("data-frontier-ready", "true");</script>\n'
    "</body></html>\n"
)


def write_inert_page(path: Path, size: int) -> None:
    """An HTML file of exactly ``size`` bytes that only marks itself ready (see the module docstring).

    The text is base64 of seeded pseudo-random bytes, like our compressed containers,
    so the same size always gives the same file.
    """
    room = max(0, size - len(_INERT_HEAD) - len(_INERT_TAIL))
    text = base64.b64encode(random.Random(size).randbytes(room * 3 // 4 + 3))[:room]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_INERT_HEAD.encode() + text + _INERT_TAIL.encode())


def _watch(page: Page, result: BrowserResult) -> None:
    """Abort and count network requests; collect console errors and page errors."""

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            request_route.continue_()
        else:
            result.blocked_requests.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and result.console_errors.append(message.text))
    page.on("pageerror", lambda error: result.console_errors.append(f"page error: {error}"))


def _heap_mb(metrics: dict[str, Any]) -> float:
    values = {item["name"]: item["value"] for item in metrics["metrics"]}
    return values["JSHeapUsedSize"] / 1e6
