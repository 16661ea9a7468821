"""What an import returns: the event table, the problems, and what attribution needs."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.errors import Problem
from geo.importers.factors import Coded


@dataclass(frozen=True)
class SourceInfo:
    """Everything an attribution block needs to credit one imported file.

    Attributes
    ----------
    dataset : str
        ``"ACLED"`` or ``"UCDP GED"`` (the table's ``dataset`` value).
    dataset_name : str
        The dataset's full name.
    file_name : str
        The imported file's name (no directory).
    rows : int
        Events imported (rows kept in the table).
    date_first, date_last : str
        First and last day covered by the imported events (``YYYY-MM-DD``), or ``""``.
    countries : tuple of str
        ISO3 codes of the imported events' countries, sorted.
    event_types : tuple of str
        The source's own event types present (ACLED ``event_type``; UCDP type of
        violence in words), sorted.
    filters : tuple of str
        The export's filters as inferred from its content, in words, e.g.
        ``"countries: AFG, PAK"``; the source files do not record the real query.
    version : str
        Dataset version when detectable (UCDP GED ``"24.1"`` from the file name), or ``""``.
    access_date : str
        ``YYYY-MM-DD`` the data was accessed, or ``""`` when unknown.
    access_date_origin : str
        ``"given"`` (passed by the caller), ``"latest timestamp"`` (ACLED: the newest
        row ``timestamp`` in the file, so the real download was that day or later) or ``""``.
    citation : str
        The citation the data provider asks for.
    license : str
        Licence or terms, in words.
    url : str
        The provider's website.
    redistribution_allowed : bool
        False for ACLED: its terms forbid giving others access to the raw rows, so a
        map should show aggregates (see ``aggregate_table``) and the CLI should warn.
    hdx_row_dropped : bool
        The file was an HDX copy whose hashtag row was dropped.
    """

    dataset: str
    dataset_name: str
    file_name: str
    rows: int
    date_first: str
    date_last: str
    countries: tuple[str, ...]
    event_types: tuple[str, ...]
    filters: tuple[str, ...]
    version: str
    access_date: str
    access_date_origin: str
    citation: str
    license: str
    url: str
    redistribution_allowed: bool
    hdx_row_dropped: bool = False


@dataclass
class ImportResult:
    """The outcome of importing one file.

    Attributes
    ----------
    table : pandas.DataFrame
        The event table (``geo.table.EVENT_COLUMNS`` plus ``orig:`` columns), bad rows
        left out. The list and dict cells of ``figures``, ``claims`` and ``notes`` may
        be shared between rows (that is what keeps a million rows small): treat them as
        read-only and copy before changing one.
    problems : list of Problem
        Why rows were skipped, one or more per skipped row, in line order.
    notices : list of Problem
        Things worth knowing about rows that were kept (unknown country codes,
        UCDP estimates out of order, points outside their country's extent).
    rows_read : int
        Data rows in the file (not counting the header, an HDX hashtag row or blank lines).
    rows_skipped : int
        Rows left out of ``table`` because of problems.
    source : SourceInfo
        What the attribution needs.
    """

    table: pd.DataFrame
    problems: list[Problem]
    rows_read: int
    rows_skipped: int
    source: SourceInfo
    notices: list[Problem] = field(default_factory=list)


@dataclass
class ConvertedChunk:
    """One chunk of rows after conversion (internal to the importers).

    ``rows`` counts the chunk's rows; ``columns`` holds the good ones (one array or
    ``columns.Coded`` per table column, in table order; the reader joins the chunks
    column by column),
    ``lines`` their physical lines; ``ids`` and ``id_lines`` cover every row that had
    an id (bad ones too), for the duplicate check across the whole file; ``notices``
    pairs each notice with a kind used to cap repetitive notices; ``first_day``,
    ``last_day`` (day numbers of the good rows) and ``event_types`` (the source's own
    types present) feed ``SourceInfo``.
    """

    rows: int
    columns: dict[str, np.ndarray | Coded]
    lines: np.ndarray
    ids: np.ndarray
    id_lines: np.ndarray
    problems: list[Problem]
    notices: list[tuple[str, Problem]]
    first_day: int | None = None
    last_day: int | None = None
    event_types: set[str] = field(default_factory=set)
