"""Where a page load spends its time: a CDP CPU profile of one load, self time per function.

``python bench/profile_page.py MAP.html [--folium] [--top N]``

Loads the page like ``measure_browser`` does (fresh headless Chromium, 1280×800,
``file://``), samples the main thread every 0.2 ms from navigation until the page is
interactive, and prints the navigation timing marks, *ready* and *interactive*, and
the functions with the most self time. ``(program)`` is native work outside
JavaScript (HTML parsing, layout, paint, native builtins), ``(idle)`` is the main
thread waiting (for example on ``DecompressionStream``).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from bench.measure_browser import _INIT, VIEWPORT, launch


def profile(path: Path, flavour: str) -> tuple[dict[str, Any], dict[str, float], collections.Counter[str]]:
    """Bench marks, navigation timing (ms) and self time per function (ms) of one load."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.add_init_script(_INIT % json.dumps(flavour))
            cdp = context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            cdp.send("Profiler.start")
            page.goto(path.resolve().as_uri(), wait_until="commit")
            page.wait_for_function(
                "window.__bench && window.__bench.interactive !== null", polling=200, timeout=300_000
            )
            result = cdp.send("Profiler.stop")["profile"]
            marks = page.evaluate("window.__bench")
            navigation = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
        finally:
            browser.close()
    timing = {key: navigation[key] for key in ("responseEnd", "domInteractive", "loadEventEnd")}
    nodes = {node["id"]: node["callFrame"] for node in result["nodes"]}
    self_ms: collections.Counter[str] = collections.Counter()
    deltas = result["timeDeltas"]
    for i, node_id in enumerate(result["samples"]):
        frame = nodes[node_id]
        where = f"{frame['url'].rsplit('/', 1)[-1][:24]}:{frame['lineNumber']}" if frame["url"] else ""
        key = f"{frame['functionName'] or '(anonymous)'} {where}".strip()
        self_ms[key] += (deltas[i + 1] if i + 1 < len(deltas) else 0) / 1000
    return marks, timing, self_ms


def main(argv: Sequence[str] | None = None) -> int:
    """Profile one load of a map page and print where the time went."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--folium", action="store_true", help="the page is a folium cluster map")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    marks, timing, self_ms = profile(args.page, "folium" if args.folium else "ours")
    print(", ".join(f"{key} {value:.0f} ms" for key, value in timing.items()))
    print(f"ready {marks['ready']:.0f} ms, interactive {marks['interactive']:.0f} ms")
    print(f"profiled {sum(self_ms.values()):.0f} ms of main thread:")
    for key, value in self_ms.most_common(args.top):
        print(f"{value:8.1f} ms  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
