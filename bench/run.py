"""The benchmark of issues 5 and 9: our map against folium's cluster plugins, 1k to 1M events.

``python bench/run.py [--sizes article,1k,10k,100k,1M] [--quick] [--no-folium]``

``article`` is the map of the article's 27 events alone (no import, no folium build: it
is compared with FastMarkerCluster's 1k map). For each other size: generate (or reuse)
the synthetic ACLED and UCDP GED files, build our map with the real command line
(``make_map.py --events FILE -o OUT -q``) in a fresh process per run, build folium's
MarkerCluster and FastMarkerCluster maps of the same ACLED events, load every page in
headless Chromium, and write ``bench/RESULTS.md`` (raw numbers in
``bench/out/results.json``). See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import generate, measure_build, report
from bench.folium_maps import map_variable_of
from bench.measure_browser import CHROMIUM, BrowserResult, measure_page, write_inert_page
from bench.quiet import wait_for_quiet

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
MAPS = OUT / "maps"
SCREENS = OUT / "screens"
RESULTS_JSON = OUT / "results.json"
RESULTS_MD = BENCH / "RESULTS.md"
FOLIUM_KINDS = ("markercluster", "fastmarkercluster")
# The size label of the article-only map (no import).
ARTICLE = "article"
# Sizes up to this many events are built and loaded three times (median); larger once.
REPEAT_UP_TO = 100_000
# folium is skipped at a size when its measured cost one size down, scaled linearly,
# says one build and one load would take longer than this, or its build would need
# more memory than this (the machine has 24 GB, shared with other work).
FOLIUM_BUDGET_S = 600.0
FOLIUM_BUDGET_MB = 6000.0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write RESULTS.md."""
    args = _parser().parse_args(argv)
    sizes = [ARTICLE, "1k", "10k"] if args.quick else args.sizes.split(",")
    started = time.perf_counter()
    MAPS.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "machine": machine_facts(),
        "command": " ".join(["python bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "sizes": {},
    }
    previous: dict[str, dict[str, Any]] = {}
    for label in sizes:
        if label == ARTICLE:
            print(f"== {ARTICLE}: the article's events alone", flush=True)
            output = MAPS / f"ours-{ARTICLE}.html"
            command = measure_build.ours_command(None, output)
            repeat = args.repeat
            tools = {"ours": _measure("ours", command, output, "ours", repeat, args, ARTICLE)}
            results["sizes"][ARTICLE] = {"rows": 0, "generate_s": {}, "tools": tools}
            _save(results)
            continue
        rows = generate.parse_size(label)
        label = generate.size_label(rows)
        print(f"== {label} events", flush=True)
        entry: dict[str, Any] = {"rows": rows, "generate_s": {}, "tools": {}}
        files = {}
        for kind in ("acled", "ucdp"):
            path, seconds = generate.ensure(kind, rows)  # type: ignore[arg-type]
            files[kind] = path
            entry["generate_s"][kind] = round(seconds, 2)
            entry.setdefault("csv_mb", {})[kind] = round(path.stat().st_size / 1e6, 1)
            state = f"generated in {seconds:.1f} s" if seconds else "cached"
            print(f"   {path.name}: {state}", flush=True)
        repeat = args.repeat if rows <= REPEAT_UP_TO else 1
        for tool, kind in (("ours", "acled"), ("ours_ucdp", "ucdp")):
            output = MAPS / f"{tool}-{label}.html"
            command = measure_build.ours_command(files[kind], output)
            entry["tools"][tool] = _measure(tool, command, output, "ours", repeat, args, label)
        for kind in FOLIUM_KINDS:
            if args.no_folium:
                continue
            reason = _folium_skip(previous.get(kind), rows)
            if reason:
                entry["tools"][kind] = {"skipped": reason}
                print(f"   {kind}: {entry['tools'][kind]['skipped']}", flush=True)
                continue
            output = MAPS / f"{kind}-{label}.html"
            command = measure_build.folium_command(kind, files["acled"], output)
            entry["tools"][kind] = _measure(kind, command, output, "folium", repeat, args, label)
            entry["tools"][kind]["label"] = label
            previous[kind] = {**entry["tools"][kind], "rows": rows}
        results["sizes"][label] = entry
        results["total_s"] = round(time.perf_counter() - started, 1)
        _save(results)
    results["total_s"] = round(time.perf_counter() - started, 1)
    _save(results)
    print(f"wrote {RESULTS_MD} and {RESULTS_JSON} in {results['total_s'] / 60:.1f} min", flush=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=f"{ARTICLE},1k,10k,100k,1M",
        help=f"comma-separated sizes; {ARTICLE} is the article's map alone (default: %(default)s)",
    )
    parser.add_argument("--quick", action="store_true", help=f"only {ARTICLE}, 1k and 10k")
    parser.add_argument("--no-folium", action="store_true", help="measure only our map")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per build and page load up to 100k (median)"
    )
    parser.add_argument("--ops", type=int, default=10, help="zoom and pan operations per page load")
    parser.add_argument(
        "--build-timeout", type=float, default=1200.0, help="seconds before a build is killed"
    )
    parser.add_argument("--page-timeout", type=float, default=300.0, help="seconds a page may take to load")
    parser.add_argument(
        "--quiet-timeout",
        type=float,
        default=300.0,
        help="seconds to wait for idle CPUs before each measurement (0: do not wait; for a smoke test)",
    )
    return parser


def _measure(
    tool: str,
    command: list[str],
    output: Path,
    flavour: str,
    repeat: int,
    args: argparse.Namespace,
    label: str,
) -> dict[str, Any]:
    """Build ``repeat`` times, then load the page ``repeat`` times; medians of both."""
    print(f"   {tool}: building ×{repeat}", flush=True)
    build = measure_build.measure(command, output, repeat, args.build_timeout, args.quiet_timeout)
    result: dict[str, Any] = asdict(build)
    if build.error:
        print(f"   {tool}: build failed: {build.error}", flush=True)
        return result
    variable = map_variable_of(output) if flavour == "folium" else ""
    loads: list[BrowserResult] = []
    idle: list[float] = []
    for i in range(repeat):
        idle.append(round(wait_for_quiet(timeout=args.quiet_timeout), 3))
        screenshot = SCREENS / f"{tool}-{label}.png" if i == 0 else None
        load = measure_page(
            output, flavour, variable, ops=args.ops, timeout_s=args.page_timeout, screenshot=screenshot
        )  # type: ignore[arg-type]
        loads.append(load)
        if load.error:
            break
    result["browser"] = _combine(loads)
    result["browser"]["idle_before"] = idle
    browser = result["browser"]
    print(
        f"   {tool}: build {build.seconds:.2f} s, peak {build.peak_mb:.0f} MB, HTML {build.html_mb:.1f} MB, "
        f"interactive {browser.get('interactive_s')} s, zoom {browser.get('zoom_ms')} ms, "
        f"pan {browser.get('pan_ms')} ms {browser.get('error', '')}",
        flush=True,
    )
    if flavour == "ours":
        result["floor"] = _measure_floor(output.stat().st_size, repeat, args, f"{tool}-{label}")
        print(f"   {tool}: an inert file of the same size: interactive {result['floor']['interactive_s']} s")
    return result


def _measure_floor(size: int, repeat: int, args: argparse.Namespace, name: str) -> dict[str, Any]:
    """Load an inert page as large as one of ours ``repeat`` times: the floor under its time."""
    path = MAPS / f"inert-{name}.html"
    write_inert_page(path, size)
    loads = []
    for _ in range(repeat):
        wait_for_quiet(timeout=args.quiet_timeout)
        loads.append(measure_page(path, "inert", timeout_s=args.page_timeout))
    path.unlink()
    combined = _combine(loads)
    return {key: combined[key] for key in ("interactive_s", "ready_s", "error")} | {"html_bytes": size}


def _combine(loads: list[BrowserResult]) -> dict[str, Any]:
    """Median of each number over the page loads; requests and errors of all of them."""
    good = [load for load in loads if not load.error]
    combined: dict[str, Any] = {
        "loads": len(good),
        "blocked_requests": sorted({url for load in loads for url in load.blocked_requests}),
        "console_errors": sorted({text for load in loads for text in load.console_errors}),
        "error": next((load.error for load in loads if load.error), ""),
        "runs": [asdict(load) for load in loads],
    }
    for name in (
        "ready_s",
        "interactive_s",
        "heap_mb",
        "heap_after_gc_mb",
        "zoom_ms",
        "pan_ms",
        "zoom_level",
    ):
        values = [getattr(load, name) for load in good if getattr(load, name) is not None]
        combined[name] = round(statistics.median(values), 4) if values else None
    return combined


def _folium_skip(before: dict[str, Any] | None, rows: int) -> str:
    """Why a folium plugin is not run at ``rows`` (``""``: run it), from a smaller size.

    One build and one page load, scaled linearly from the previous size, must fit in
    ``FOLIUM_BUDGET_S`` and the build's peak memory in ``FOLIUM_BUDGET_MB``.
    """
    if not before or before.get("seconds") is None:
        return ""
    scale = rows / before["rows"]
    load = (before.get("browser") or {}).get("interactive_s") or 0.0
    seconds = scale * (before["seconds"] + load)
    memory = scale * (before.get("peak_mb") or 0.0)
    basis = f"the {before['label']} run scaled linearly"
    if seconds > FOLIUM_BUDGET_S:
        return (
            f"skipped: one build and page load estimated at {seconds / 60:.0f} min ({basis}; "
            f"limit {FOLIUM_BUDGET_S / 60:.0f} min)"
        )
    if memory > FOLIUM_BUDGET_MB:
        return (
            f"skipped: build memory estimated at {memory / 1000:.1f} GB ({basis}; "
            f"limit {FOLIUM_BUDGET_MB / 1000:.0f} GB)"
        )
    return ""


def machine_facts() -> dict[str, str]:
    """CPU, memory, versions: what the numbers depend on."""
    import folium

    memory = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    chromium = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    lock = json.loads((BENCH.parent / "package-lock.json").read_text())["packages"]
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory_gb": f"{int(memory) / 1024 / 1024:.1f}",
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": chromium,
        "folium": folium.__version__,
        "leaflet": lock["node_modules/leaflet"]["version"],
        "leaflet.markercluster": lock["node_modules/leaflet.markercluster"]["version"],
    }


def _save(results: dict[str, Any]) -> None:
    RESULTS_JSON.write_text(json.dumps(results, indent=1), encoding="utf-8")
    RESULTS_MD.write_text(report.render(results), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
