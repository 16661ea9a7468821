"""Error classes and the problem record shared by the loader, validator and importers."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where it is and what was expected.

    ``feature`` is the feature's id when it has one, else ``#<index>``; for CSV
    imports it is ``line <n>``. ``field`` is a dotted path such as
    ``properties.date``.
    """

    file: str
    feature: str
    field: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.feature, self.field) if part)
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


class FrontierMapError(Exception):
    """Root of every error this package raises on purpose."""


class DataError(FrontierMapError, ValueError):
    """Input data is wrong; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_reading_order)
        super().__init__(self.report())

    def report(self) -> str:
        """Return a human-readable report listing every problem."""
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found in the input data:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class AssetError(FrontierMapError, FileNotFoundError):
    """A pinned third-party browser asset (Leaflet) is missing from the package."""


class UsageError(FrontierMapError, ValueError):
    """The command line or API was called with options that cannot work."""


_Natural = tuple[int | str, ...]


def _reading_order(problem: Problem) -> tuple[_Natural, _Natural, str, str]:
    """Sort key that reads numbers as numbers: 'line 5' before 'line 10', '#2' before '#10'."""

    def natural(text: str) -> _Natural:
        return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))

    return (natural(problem.file), natural(problem.feature), problem.field, problem.message)
