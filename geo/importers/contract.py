"""The importer contract: what a source format provides to the reader.

A format is one module with one ``Importer`` subclass, listed in
``geo.importers.registry.FORMATS``; nothing else needs to know about it. The class
attributes describe the format's columns (the reader detects the format from them,
checks the header and reads only those columns); an instance converts the chunks of
one file (or DataFrame) into event-table columns and credits the source.

How the reader uses an importer:

1. ``detect_format`` picks the format whose ``signature`` the header matches best
   (at least ``min_signature`` of its columns).
2. Every ``required`` column must be in the header, and no ``required``/``optional``
   column may appear twice; the reader reads only those columns (``coded`` ones as
   codes, for speed: columns with few distinct values; ``on_demand`` ones decoded
   only in the rows ``convert`` asks for).
3. ``convert`` is called once per chunk with a ``CsvChunk``; it returns a
   ``ConvertedChunk``: the good rows' table columns (``geo.table.EVENT_COLUMNS`` plus
   ``orig:`` ones), the problems that made rows bad and the notices about kept rows
   (``geo.importers.checks.RowChecks`` collects both), and every row's id.
4. After the last chunk the reader drops rows whose id repeats an earlier one,
   reporting ``id_column``, and calls ``source`` for the ``SourceInfo`` that
   ``attribution`` turns into the credit shown on the map.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from geo.importers.csvfile import CsvChunk
from geo.importers.result import ConvertedChunk, SourceInfo


@dataclass(frozen=True)
class SourceFacts:
    """What the reader found out about one imported file, for ``Importer.source``.

    Attributes
    ----------
    file_name : str
        The file's name (no folder), or the name given to a DataFrame.
    rows : int
        Events imported.
    date_first, date_last : str
        First and last day the imported events cover (``YYYY-MM-DD``), or ``""``.
    countries : tuple of str
        ISO3 codes of the imported events, sorted.
    event_types : tuple of str
        The source's own event types present (``ConvertedChunk.event_types``), sorted.
    hdx_row_dropped : bool
        The file was an HDX copy whose hashtag row was dropped.
    """

    file_name: str
    rows: int
    date_first: str
    date_last: str
    countries: tuple[str, ...]
    event_types: tuple[str, ...]
    hdx_row_dropped: bool


class Importer(ABC):
    """One source format; an instance converts one file, chunk by chunk.

    Class attributes
    ----------------
    name : str
        The format's id, as ``detect_format`` returns it (``"acled"``).
    dataset : str
        The event table's ``dataset`` value for its rows (``"ACLED"``).
    label : str
        The format in words with a few of its columns, for messages.
    signature : frozenset of str
        Header columns typical of the format, used to recognise it.
    min_signature : int
        How many ``signature`` columns a header needs to be taken for this format.
    required, optional : tuple of str
        Lower-case column names; a missing required column stops the import, missing
        optional ones read as empty.
    coded : tuple of str
        Columns with few distinct values, read as codes (a speed hint).
    on_demand : tuple of str
        Columns ``convert`` needs in only a few rows, which it reads with
        ``CsvChunk.texts`` (a speed hint: the reader may leave them undecoded).
    id_column : str
        The column holding each event's id (named in duplicate-id problems).
    id_prefix : str
        What the importer puts before the file's id in the table's ``id``.
    aggregate : bool
        Whether ``aggregate=True`` shows this format's rows as counts per area and
        month (the bulk datasets) or leaves them as they are (people's own events).

    Parameters
    ----------
    file : str
        The file's name, used in problems and in the ``source`` column.
    header : tuple of str
        The file's lower-case column names (to know which optional columns exist).
    """

    name: ClassVar[str]
    dataset: ClassVar[str]
    label: ClassVar[str]
    signature: ClassVar[frozenset[str]]
    min_signature: ClassVar[int]
    required: ClassVar[tuple[str, ...]]
    optional: ClassVar[tuple[str, ...]]
    coded: ClassVar[tuple[str, ...]] = ()
    on_demand: ClassVar[tuple[str, ...]] = ()
    id_column: ClassVar[str]
    id_prefix: ClassVar[str] = ""
    aggregate: ClassVar[bool] = True

    def __init__(self, file: str, header: tuple[str, ...]) -> None:
        self.file = file
        self.header = header

    @abstractmethod
    def convert(self, chunk: CsvChunk) -> ConvertedChunk:
        """Convert one chunk of rows into table columns, problems and notices."""

    @abstractmethod
    def source(self, facts: SourceFacts, access_date: str) -> SourceInfo:
        """How to credit the imported rows (``access_date``: ``YYYY-MM-DD`` or ``""``)."""

    @classmethod
    @abstractmethod
    def attribution(cls, source: SourceInfo, aggregated: str | None) -> str:
        """Plain-text credit for one imported file (see ``attribution_text``)."""
