"""What a small page's time is made of: the article's map with parts taken out, beside FastMarkerCluster.

``python bench/knockout.py [--size article|1k|100k|…] [--repeat N] [--quiet-timeout S]``

Issue 9 asks the article's map to be usable as fast as FastMarkerCluster's map of 1k
events, and ours of 100k events six times faster than FastMarkerCluster's. This measures
how far each part of our page stands in the way. It builds our map (``article``: the
article's events alone, the default; else the bench's ACLED file of that size imported)
and FastMarkerCluster's map of the same ACLED file (1k for ``article``) with the same
commands as ``run.py``, then writes copies of our page, each with one more part taken out:

1. ``full``: the page as built;
2. ``no panels``: without every script that extends the page (the timeline strip, the
   event list, search, the story tour, downloads, links, the status line);
3. ``no panels, no overlays``: also without the article's layers (Durand Line, Kabul
   River, …);
4. ``core``: also without the regional basemap (provinces, rivers, borders, cities).
   What is left is Leaflet, the world's land, the events and their clusters, the legend
   and the page's frame (and, for an import, its events' details, read on first use).

Then it loads each page, FastMarkerCluster's and an inert file as large as ours (the
floor, see ``measure_browser``) ``N`` times, in a shuffled order each round (seeded),
each in a fresh Chromium after waiting for idle CPUs, and prints the median time to
*interactive* of each. The copies are written to ``bench/out/maps/knockout-SIZE-*.html``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import generate, measure_build
from bench.folium_maps import map_variable_of
from bench.measure_browser import Flavour, measure_page, write_inert_page
from bench.quiet import wait_for_quiet
from geo.build import DATA_ELEMENT_ID
from geo.safe import json_for_script

MAPS = Path(__file__).resolve().parent / "out" / "maps"
ARTICLE = "article"
_SCRIPT = re.compile(r"<script>(?:(?!</script>).)*</script>\s*", re.DOTALL)
_PAYLOAD = re.compile(rf'<script type="application/json" id="{DATA_ELEMENT_ID}">(.*?)</script>', re.DOTALL)


def without_panels(page: str) -> str:
    """The page without the scripts that extend it (each one calls ``FrontierMap.extend``)."""
    kept = _SCRIPT.sub(lambda m: "" if "FrontierMap.extend(" in m.group(0) else m.group(0), page)
    if kept == page:
        raise ValueError("no script calls FrontierMap.extend: is this one of our pages?")
    return kept


def with_payload(page: str, change: Callable[[dict[str, Any]], None]) -> str:
    """The page with its JSON payload changed in place by ``change``."""
    match = _PAYLOAD.search(page)
    if match is None:
        raise ValueError(f"no {DATA_ELEMENT_ID} element: is this one of our pages?")
    payload = json.loads(match.group(1))
    change(payload)
    return page[: match.start(1)] + json_for_script(payload) + page[match.end(1) :]


def variants(page: str) -> dict[str, str]:
    """The copies of ``page`` measured beside it, each with one more part taken out."""
    no_panels = without_panels(page)
    no_overlays = with_payload(no_panels, lambda payload: payload.update(overlays=[]))
    core = with_payload(no_overlays, lambda payload: payload.update(basemap=[]))
    return {"no panels": no_panels, "no panels, no overlays": no_overlays, "core": core}


def main(argv: Sequence[str] | None = None) -> int:
    """Build, write the copies, load them in turn and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", default=ARTICLE, help=f"{ARTICLE} (the default) or a number of ACLED events: 1k, 100k, …"
    )
    parser.add_argument("--repeat", type=int, default=9, help="loads of each page (default: %(default)s)")
    parser.add_argument(
        "--quiet-timeout", type=float, default=300.0, help="seconds to wait for idle CPUs before each load"
    )
    args = parser.parse_args(argv)
    MAPS.mkdir(parents=True, exist_ok=True)
    rows = 1000 if args.size == ARTICLE else generate.parse_size(args.size)
    events, _ = generate.ensure("acled", rows)
    ours = MAPS / f"knockout-{args.size}-built.html"
    folium_page = MAPS / f"knockout-{args.size}-fastmarkercluster.html"
    for command, output in (
        (measure_build.ours_command(None if args.size == ARTICLE else events, ours), ours),
        (measure_build.folium_command("fastmarkercluster", events, folium_page), folium_page),
    ):
        run = measure_build.run_once(command)
        if run.returncode != 0:
            print(f"{output.name}: build failed: {run.stderr.strip()[-500:]}", file=sys.stderr)
            return 1
    pages: dict[str, tuple[Path, Flavour, str]] = {"ours, full": (ours, "ours", "")}
    for name, text in variants(ours.read_text(encoding="utf-8")).items():
        path = MAPS / f"knockout-{args.size}-{name.replace(',', '').replace(' ', '-')}.html"
        path.write_text(text, encoding="utf-8")
        pages[f"ours, {name}"] = (path, "ours", "")
    floor = MAPS / f"knockout-{args.size}-inert.html"
    write_inert_page(floor, ours.stat().st_size)
    pages["an inert file as large as ours"] = (floor, "inert", "")
    pages[f"FastMarkerCluster, {generate.size_label(rows)} events"] = (
        folium_page,
        "folium",
        map_variable_of(folium_page),
    )

    times: dict[str, list[float]] = {name: [] for name in pages}
    order = list(pages)
    shuffle = random.Random(9)
    for round_ in range(args.repeat):
        shuffle.shuffle(order)
        for name in order:
            path, flavour, variable = pages[name]
            wait_for_quiet(timeout=args.quiet_timeout)
            result = measure_page(path, flavour, variable, ops=1)
            if result.error or result.interactive_s is None:
                print(f"{name}: {result.error or 'no time'}", file=sys.stderr)
                return 1
            times[name].append(result.interactive_s)
        print(f"round {round_ + 1} of {args.repeat} done", flush=True)
    print(f"\nmedian time to interactive, {args.repeat} loads each:")
    for name, values in times.items():
        print(f"  {statistics.median(values):5.2f} s  {name} ({min(values):.2f}-{max(values):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
