"""Importers for event data: ACLED CSV exports, UCDP GED CSV files and the simple schema.

``read_event_file`` (a CSV file) and ``read_event_frame`` (a pandas DataFrame or
GeoDataFrame) detect the format from the column names and return an ``ImportResult``
whose ``table`` has the event-table columns of ``geo.table`` (plus ``orig:…`` columns
holding the source's own codes). The formats are listed in ``registry.FORMATS``; each
is one module implementing ``contract.Importer``. ``aggregate_table`` turns an
imported table into one row per area, period and category (what ACLED's terms allow
to be shown), and ``attribution_text`` credits the data the way the providers ask.
"""

from geo.importers.aggregate import aggregate_table
from geo.importers.contract import Importer, SourceFacts
from geo.importers.reader import Format, detect_format, read_event_file, read_event_frame
from geo.importers.registry import FORMATS, attribution_text
from geo.importers.result import ImportResult, SourceInfo

__all__ = [
    "FORMATS",
    "Format",
    "ImportResult",
    "Importer",
    "SourceFacts",
    "SourceInfo",
    "aggregate_table",
    "attribution_text",
    "detect_format",
    "read_event_file",
    "read_event_frame",
]
