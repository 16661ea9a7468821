"""Command line: parse options, run a check or a build, map outcomes to exit codes.

Exit codes: 0 success, 1 data or asset problems (reported on stderr), 2 usage errors,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM). Whatever goes wrong, the output is
checked before any input is read, an existing output is replaced only by a complete new
file, and no temporary file is left behind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import TextIO

from geo.assets import load_bundle
from geo.build import DEFAULT_DATA_DIR, DEFAULT_TITLE, BuildOptions, map_from_dataset, render_html
from geo.errors import AssetError, DataError, Problem, UsageError
from geo.importing import ImportedSource, import_events, is_geojson, log_report
from geo.io import BASEMAP_DIR, check_output, discover, unreadable, write_text_atomic
from geo.loader import load_dataset
from geo.model import Dataset

log = logging.getLogger("frontier_map")

STDOUT = "-"
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM
# Options that only shape the map a build writes: with --check they would be ignored.
BUILD_ONLY = (("output", "-o/--output"), ("title", "--title"), ("online_tiles", "--online-tiles"))


class Terminated(Exception):
    """SIGTERM arrived: unwind (removing any temporary file) and exit with 143."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args = _parser(program_name()).parse_args(argv)
    logging.basicConfig(level=logging.INFO if not args.quiet else logging.WARNING, format="%(message)s")
    with _sigterm_raises():
        try:
            return _check(args) if args.check else _build(args)
        except DataError as exc:
            print(exc.report(), file=sys.stderr)
            return 1
        except AssetError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except UsageError as exc:
            print(f"usage error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("interrupted (Ctrl-C); nothing was written", file=sys.stderr)
            return EXIT_INTERRUPTED
        except Terminated:
            print("terminated (SIGTERM); nothing was written", file=sys.stderr)
            return EXIT_TERMINATED


def program_name(argv0: str | None = None) -> str:
    """How the program was called, for its usage line: make_map.py, frontier-map, python -m geo."""
    path = Path(argv0 if argv0 is not None else sys.argv[0])
    if path.name == "__main__.py" and path.parent.name == "geo":
        return "python -m geo"
    if path.name == "cli.py" and path.parent.name == "geo":
        return "python -m geo.cli"
    return path.name or "frontier-map"


def _version() -> str:
    try:
        return metadata.version("frontier-map")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Build one self-contained, offline HTML map of the Af-Pak frontier.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help="data folder laid out like data/geojson (default: the shipped data)",
    )
    parser.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="PATH",
        help="HTML file to write (default: map.html); '-' writes the HTML to standard output",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only validate the data and --events files, as a build would read them; "
        "report problems and exit 1 if any",
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


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while the command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _check(args: argparse.Namespace) -> int:
    given = [flag for name, flag in BUILD_ONLY if getattr(args, name) not in (None, False)]
    if given:
        raise UsageError(
            f"{', '.join(given)} only shape the map a build writes; --check writes nothing. "
            "Drop them, or build without --check"
        )
    _check_inputs(args)
    dataset, imported = _read_inputs(args)
    places = sum(len(layer.places) for layer in dataset.layers)
    rows = sum(len(source.table) for source in imported)
    count = len(imported)
    files = f" and {rows:,} rows from {count} imported file{'s' if count != 1 else ''}" if imported else ""
    print(
        f"OK: {len(dataset.overlays)} layers, {len(dataset.basemap)} basemap layers, "
        f"{places} features and {len(dataset.events)} events in {args.data}{files} passed every check"
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    if args.files:
        raise UsageError("FILE arguments are only for --check; use --data DIR or --events FILE to build")
    title = args.title or DEFAULT_TITLE
    _check_text("--title", title)
    if args.output == "":
        raise UsageError(
            "the output path is empty; give a file name such as map.html, or - for standard output"
        )
    to_stdout = args.output == STDOUT
    target = None if to_stdout else _output_target(Path(args.output or "map.html"), args)
    _check_inputs(args)
    bundle = load_bundle()  # fail fast, before a long import
    dataset, imported = _read_inputs(args)
    options = BuildOptions(title=title, online_tiles=args.online_tiles)
    fmap = map_from_dataset(dataset, options, imported, bundle=bundle)
    del imported  # the event tables (a million rows: over a gigabyte); the map holds its payload
    html = render_html(fmap)
    if target is None:
        _write_stdout(html)
        log.info("wrote the map to standard output (%s bytes)", f"{len(html.encode('utf-8')):,}")
        return 0
    write_text_atomic(target, html)
    log.info("wrote %s (%s bytes)", args.output or "map.html", f"{target.stat().st_size:,}")
    return 0


def _check_inputs(args: argparse.Namespace) -> None:
    """Refuse what cannot work before anything is read: the access date, unusable paths."""
    _check_access_date(args.access_date)
    _refuse_unreadable([*args.files, *args.events])
    _refuse_repeated_events(args.events, Path(args.data))


def _read_inputs(args: argparse.Namespace) -> tuple[Dataset, list[ImportedSource]]:
    """The data folder, --events files and FILE replacements, read as a build reads them.

    --check and a build both come here, so they accept the same inputs.
    """
    dataset = load_dataset(args.data, _geojson(args.events), args.files)
    imported = import_events(
        _csv(args.events),
        dataset,
        strict=args.strict,
        aggregate=args.aggregate,
        access_date=args.access_date,
        progress=None if args.quiet else ProgressBar(sys.stderr),
    )
    for source in imported:
        log_report(source.report)
    return dataset, imported


def _output_target(path: Path, args: argparse.Namespace) -> Path:
    """Check the output path against every input before anything is read; where to write."""
    data_dir = Path(args.data)
    inputs = [*args.events]
    if data_dir.is_dir():
        inputs += [found.path for found in discover(data_dir)]
    return check_output(path, inputs, data_dir if data_dir.is_dir() else None)


def _refuse_unreadable(paths: Sequence[Path]) -> None:
    """Report every input file that cannot be read (missing, a folder, a FIFO …) at once."""
    problems: list[Problem] = [p for p in (unreadable(path, str(path)) for path in paths) if p]
    if problems:
        raise DataError(problems)


def _refuse_repeated_events(events: Sequence[Path], data_dir: Path) -> None:
    """An --events file given twice, or one of the data folder's own files, is a usage error.

    Its events would all be reported as duplicates of themselves.
    """
    earlier: list[Path] = [found.path for found in discover(data_dir)] if data_dir.is_dir() else []
    for path in events:
        same = next((other for other in earlier if os.path.samefile(path, other)), None)
        if same is not None and same.parent in (data_dir, data_dir / BASEMAP_DIR):
            raise UsageError(
                f"--events {str(path)!r} is the data folder's own file {str(same)!r}, which every "
                "build reads; drop it from --events"
            )
        if same is not None:
            raise UsageError(
                f"--events {str(path)!r} is given twice (also as {str(same)!r}); give each file once"
            )
        earlier.append(path)


def _check_text(option: str, text: str) -> None:
    """Refuse option text that cannot be written as UTF-8 (bytes that were not UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = os.fsencode(text[exc.start : exc.end])
        raise UsageError(
            f"{option} is not valid UTF-8 text: byte {bad[:1].hex(' ').upper()} at character "
            f"{exc.start + 1}; give the text in UTF-8"
        ) from None


def _check_access_date(value: str | None) -> None:
    if value is None:
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--access-date {value!r} is not a date; expected YYYY-MM-DD") from None


def _geojson(paths: Sequence[Path]) -> list[Path]:
    return [path for path in paths if is_geojson(path)]


def _csv(paths: Sequence[Path]) -> list[Path]:
    return [path for path in paths if not is_geojson(path)]


def _write_stdout(html: str) -> None:
    data = html.encode("utf-8")
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): nothing more to say, and Python must not
        # complain again when it flushes standard output at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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


if __name__ == "__main__":
    sys.exit(main())
