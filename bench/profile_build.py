"""Where our build spends time and memory: wall time and RSS at each phase of one build.

``python bench/profile_build.py EVENTS.csv [--cprofile N]``

Runs the real command line in this process (``geo.cli.main``) with the main phases
wrapped (CSV import, event encoding, serialising the events, rendering and writing),
while a thread samples this process's RSS every 20 ms. Prints, per phase boundary, the
time since start, the RSS then, and the peak so far with the phase it was reached in.
With ``--cprofile N`` the build runs under cProfile instead and the top N functions by
cumulative time are printed (cProfile adds roughly 20 % to the times).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OUT = Path(__file__).resolve().parent / "out" / "profile.html"
_PAGE = os.sysconf("SC_PAGE_SIZE")


class PhaseLog:
    """Phase boundaries with time, current RSS and the peak RSS so far."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.phase = "imports"
        self.peak = (0.0, "")
        self.rows: list[tuple[str, float, float, float, str]] = []
        threading.Thread(target=self._sample, daemon=True).start()

    @staticmethod
    def rss_mb() -> float:
        """This process's resident set size now."""
        return int(Path("/proc/self/statm").read_text().split()[1]) * _PAGE / 1e6

    def _sample(self) -> None:
        while True:
            rss = self.rss_mb()
            if rss > self.peak[0]:
                self.peak = (rss, self.phase)
            time.sleep(0.02)

    def mark(self, name: str) -> None:
        """Record a phase boundary; what follows counts as phase ``name``."""
        self.rows.append((name, time.perf_counter() - self.start, self.rss_mb(), *self.peak))
        self.phase = name

    def wrap(self, module: Any, name: str) -> None:
        """Mark the start and end of every call of ``module.name``."""
        original: Callable[..., Any] = getattr(module, name)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.mark(f"start {name}")
            value = original(*args, **kwargs)
            self.mark(f"end {name}")
            return value

        setattr(module, name, wrapped)


def main(argv: Sequence[str] | None = None) -> int:
    """Profile one build of the map with the given event file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=Path)
    parser.add_argument("--cprofile", type=int, metavar="N", default=0, help="cProfile, print top N")
    args = parser.parse_args(argv)
    cli_args = ["--events", str(args.events), "-o", str(OUT), "-q"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        from geo import cli

        cli.main(cli_args)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.cprofile)
        return 0
    log = PhaseLog()
    from geo import build, cli, payload

    log.mark("after imports")
    log.wrap(cli, "import_events")
    log.wrap(build, "build_payload")
    log.wrap(payload, "_events_member")
    log.wrap(cli, "render_html")
    log.wrap(cli, "write_text_atomic")
    cli.main(cli_args)
    log.mark("done")
    for name, seconds, rss, peak, peak_phase in log.rows:
        print(
            f"{seconds:7.2f} s  RSS {rss:6.0f} MB  peak so far {peak:6.0f} MB "
            f"(in {peak_phase or '—'})  {name}"
        )
    print(f"ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
