"""Wait for the machine to be idle before a measurement, and say how idle it was.

The machine has two cores and other work (tests, other builds) may run on it; a
measurement taken while something else uses a core is not a measurement of our code.
Before each build and each page load the benchmark waits until the CPUs have been at
least ``threshold`` idle over one second (from ``/proc/stat``), for at most ``timeout``
seconds, and records the idle share it saw, so RESULTS.md can say whether any number
was taken on a busy machine.
"""

from __future__ import annotations

import time
from pathlib import Path

_STAT = Path("/proc/stat")


def cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies of all CPUs since boot."""
    fields = [int(x) for x in _STAT.read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return idle, sum(fields[:8])


def idle_share(interval: float = 1.0) -> float:
    """Share of CPU time (all cores) that was idle over the next ``interval`` seconds."""
    idle0, total0 = cpu_times()
    time.sleep(interval)
    idle1, total1 = cpu_times()
    return (idle1 - idle0) / max(total1 - total0, 1)


def wait_for_quiet(threshold: float = 0.9, timeout: float = 300.0) -> float:
    """Block until the CPUs are ``threshold`` idle (or ``timeout`` passes); return the last share."""
    deadline = time.monotonic() + timeout
    share = idle_share()
    while share < threshold and time.monotonic() < deadline:
        time.sleep(2.0)
        share = idle_share()
    return share
