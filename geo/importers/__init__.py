"""Importers for real conflict-event data: ACLED CSV exports and UCDP GED CSV files.

``read_event_file`` detects the format from the header and returns an ``ImportResult``
whose ``table`` has the event-table columns of ``geo.table`` (plus ``orig:ACLED …`` /
``orig:UCDP …`` columns holding the source's own codes). ``aggregate_table`` turns an
imported table into one row per area, period and category (what ACLED's terms allow to
be shown), and ``attribution_text`` credits the data the way the providers ask.
"""

from geo.importers.aggregate import aggregate_table
from geo.importers.attribution import attribution_text
from geo.importers.reader import Format, detect_format, read_event_file
from geo.importers.result import ImportResult, SourceInfo

__all__ = [
    "Format",
    "ImportResult",
    "SourceInfo",
    "aggregate_table",
    "attribution_text",
    "detect_format",
    "read_event_file",
]
