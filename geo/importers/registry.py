"""The event source formats the importers know: one entry per format module.

Adding a format is one module with an ``Importer`` subclass (see
``geo.importers.contract``) plus its entry in ``FORMATS``; the reader detects it,
checks its header, reads its columns and credits it from that entry alone.
"""

from __future__ import annotations

from geo.errors import UsageError
from geo.importers import acled, simple, ucdp
from geo.importers.contract import Importer
from geo.importers.result import SourceInfo

FORMATS: tuple[type[Importer], ...] = (acled.AcledImporter, ucdp.UcdpImporter, simple.SimpleImporter)


def importer_named(name: str) -> type[Importer]:
    """The importer of the format ``name`` (as ``detect_format`` returns it)."""
    for importer in FORMATS:
        if importer.name == name:
            return importer
    known = ", ".join(repr(importer.name) for importer in FORMATS)
    raise UsageError(f"unknown event format {name!r}; expected one of {known}")


def attribution_text(source: SourceInfo, *, aggregated: str | None = None) -> str:
    """Plain-text attribution for one imported file (the page escapes it).

    Parameters
    ----------
    source : SourceInfo
        From ``ImportResult.source``.
    aggregated : str, optional
        How the events were aggregated for display (e.g. ``"province and month"``), to
        state that change; ``None`` when the events are shown one by one.

    Returns
    -------
    str
        Several lines: the dataset with link, access date and licence; the file and
        what it covers; the changes made for the map; the citation(s), as the format's
        importer words them.
    """
    for importer in FORMATS:
        if importer.dataset == source.dataset:
            return importer.attribution(source, aggregated)
    raise UsageError(f"no importer credits the dataset {source.dataset!r}")
