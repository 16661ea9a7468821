"""Partial ISO 8601 dates (year, year-month or full date).

How people read a date ("December 2014", "25 December 2024") is made in one place,
the page (``FrontierMap.dateLabel`` in geo/static/frontier.js), which also labels the
days of the time window that no event file names.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["year", "month", "day"]
PRECISIONS: tuple[Precision, ...] = ("year", "month", "day")

# ASCII digits only (\d would take any script's digits) and no trailing newline ($ would).
_ISO = re.compile(r"^(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?\Z")
_EPOCH = dt.date(1970, 1, 1)


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Dates of any precision compare by the first day they can mean, then by the last:
    ``2014 < 2014-12 < 2014-12-16``, and ``2014-01 < 2014``.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise."""
        match = _ISO.match(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"{text!r} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")
        year = int(match["y"])
        month = int(match["m"]) if match["m"] else None
        day = int(match["d"]) if match["d"] else None
        if year < 1:
            raise ValueError(f"{text!r} has year {year:04d}, expected 0001-9999")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} has month {month}, expected 01-12")
        if month is not None and day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{text!r} has day {day}, expected 01-{last:02d}")
        return cls(year, month, day)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.first_day(), self.last_day()) < (other.first_day(), other.last_day())

    @property
    def precision(self) -> Precision:
        """How precisely the date is known."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def first_day(self) -> dt.date:
        """The earliest calendar day this date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest calendar day this date can mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def iso(self) -> str:
        """The date in ISO 8601 at its own precision."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01, the page's compact date unit."""
    return (day - _EPOCH).days
