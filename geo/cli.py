"""Command line: parse options, run a check or a build, map outcomes to exit codes.

Exit codes: 0 success, 1 data or asset problems (reported on stderr), 2 usage errors.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from geo.build import DEFAULT_DATA_DIR, DEFAULT_TITLE, BuildOptions, build_map, write_map
from geo.errors import AssetError, DataError, UsageError
from geo.loader import load_dataset

log = logging.getLogger("frontier_map")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if not args.quiet else logging.WARNING, format="%(message)s")
    try:
        if args.check:
            return _check(args)
        return _build(args)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make_map.py",
        description="Build one self-contained, offline HTML map of the Af-Pak frontier.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help="data folder laid out like data/geojson (default: %(default)s)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("map.html"),
        metavar="PATH",
        help="HTML file to write",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only validate the data: report problems, exit 1 if any",
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="with --check: GeoJSON files to check in the data folder's context "
        "(a file named like one in the folder replaces it)",
    )
    parser.add_argument(
        "--events",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="add events from an ACLED export or UCDP GED CSV file (detected by its header) "
        "or from a GeoJSON event file like data/geojson/events.geojson (repeatable)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="stop on any bad CSV row instead of skipping and counting it"
    )
    parser.add_argument(
        "--aggregate",
        action="store_true",
        help="show imported events as counts per province and month instead of rows "
        "(what ACLED's terms allow to be redistributed)",
    )
    parser.add_argument(
        "--access-date",
        metavar="YYYY-MM-DD",
        help="when the imported data were downloaded, for their attribution",
    )
    parser.add_argument(
        "--online-tiles",
        action="store_true",
        help="also offer online base layers (OSM, satellite, topographic) to online viewers",
    )
    parser.add_argument("--title", default=None, help="title shown on the map")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    return parser


def _check(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.data, args.events, args.files)
    places = sum(len(layer.places) for layer in dataset.layers)
    print(
        f"OK: {len(dataset.overlays)} layers, {len(dataset.basemap)} basemap layers, "
        f"{places} features and {len(dataset.events)} events in {args.data} passed every check"
    )
    return 0


class ProgressBar:
    """Import progress on stderr: a redrawn bar on a terminal, a line per quarter in logs.

    Files under ``QUIET_BELOW_BYTES`` import in a blink and show nothing.
    """

    WIDTH = 30
    QUIET_BELOW_BYTES = 8_000_000

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.reported: dict[str, int] = {}

    def __call__(self, name: str, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` bytes of file ``name`` are imported."""
        if total < self.QUIET_BELOW_BYTES:
            return
        share = done / total if total else 1.0
        if self.live:
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            end = "\n" if done >= total else ""
            self.stream.write(f"\rimporting {name} [{bar}] {share:4.0%}{end}")
            self.stream.flush()
            return
        quarter = int(share * 4)
        if quarter > self.reported.get(name, -1):
            self.reported[name] = quarter
            self.stream.write(f"importing {name}: {share:.0%}\n")


def _build(args: argparse.Namespace) -> int:
    if args.files:
        raise UsageError("FILE arguments are only for --check; use --data DIR or --events FILE to build")
    options = BuildOptions(
        title=args.title or DEFAULT_TITLE,
        online_tiles=args.online_tiles,
        event_files=tuple(args.events),
        strict=args.strict,
        aggregate=args.aggregate,
        access_date=args.access_date,
    )
    fmap = build_map(args.data, options, progress=None if args.quiet else ProgressBar(sys.stderr))
    path = write_map(fmap, args.output)
    log.info("wrote %s (%s bytes)", path, f"{path.stat().st_size:,}")
    return 0
