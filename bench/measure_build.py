"""Run one build command in a fresh process and measure its wall time and peak memory.

Each build runs as its own child process; ``os.wait4`` returns that child's own
resource usage, so ``ru_maxrss`` is the build's peak resident set size (not the
benchmark's, nor an earlier build's). Wall time covers the whole process: interpreter
start, imports, reading the CSV, building and writing the HTML, as a user sees it.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.quiet import cpu_times, wait_for_quiet

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Run:
    """One finished (or killed) build process."""

    seconds: float
    peak_mb: float
    returncode: int
    timed_out: bool
    stderr: str
    others_cpu: float  # share of all CPUs used by other processes during the run


@dataclass
class BuildResult:
    """Median wall time over the runs, the largest peak RSS, and the output's size."""

    seconds: float | None = None
    runs: list[float] = field(default_factory=list)
    peak_mb: float | None = None
    html_mb: float | None = None
    error: str = ""
    stderr: str = ""
    idle_before: list[float] = field(default_factory=list)
    others_cpu: list[float] = field(default_factory=list)


def run_once(command: Sequence[str], timeout: float | None = None, cwd: Path = REPO) -> Run:
    """Run ``command`` as a child process; kill it after ``timeout`` seconds.

    Returns its wall time, its own peak RSS (MB, from ``wait4``), exit code and stderr.
    """
    with tempfile.TemporaryFile(mode="w+b") as err:
        idle0, total0 = cpu_times()
        start = time.perf_counter()
        proc = subprocess.Popen(list(command), cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.kill(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        seconds = time.perf_counter() - start
        idle1, total1 = cpu_times()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    ticks = os.sysconf("SC_CLK_TCK")
    busy = (total1 - total0) - (idle1 - idle0) - (usage.ru_utime + usage.ru_stime) * ticks
    others = max(0.0, busy / max(total1 - total0, 1))
    # Linux reports ru_maxrss in kilobytes.
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, killed.is_set(), stderr, round(others, 3))


def measure(
    command: Sequence[str],
    output: Path,
    repeat: int = 3,
    timeout: float | None = None,
    quiet_timeout: float = 300.0,
) -> BuildResult:
    """Run a build ``repeat`` times; median wall time, max peak RSS, size of ``output``.

    Each run waits first for the machine to be idle, up to ``quiet_timeout`` seconds
    (see ``bench/quiet.py``).
    """
    result = BuildResult()
    peaks = []
    for _ in range(repeat):
        output.unlink(missing_ok=True)
        result.idle_before.append(round(wait_for_quiet(timeout=quiet_timeout), 3))
        run = run_once(command, timeout)
        result.stderr = run.stderr[-2000:]
        if run.timed_out:
            result.error = f"killed after the {timeout:.0f} s time limit"
            return result
        if run.returncode != 0 or not output.is_file():
            result.error = f"exit code {run.returncode}: {run.stderr.strip()[-500:]}"
            return result
        result.runs.append(run.seconds)
        result.others_cpu.append(run.others_cpu)
        peaks.append(run.peak_mb)
    result.seconds = statistics.median(result.runs)
    result.peak_mb = max(peaks)
    result.html_mb = output.stat().st_size / 1e6
    return result


def ours_command(events: Path | None, output: Path) -> list[str]:
    """Our real command line, as a user runs it (``events`` None: the article's map alone)."""
    imports = ["--events", str(events)] if events else []
    return [PYTHON, str(REPO / "make_map.py"), *imports, "-o", str(output), "-q"]


def folium_command(kind: str, events: Path, output: Path) -> list[str]:
    """The folium comparison build (see ``bench/folium_maps.py``)."""
    return [PYTHON, str(REPO / "bench" / "folium_maps.py"), kind, str(events), str(output)]
