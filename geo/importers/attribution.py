"""Credit the imported data the way ACLED and UCDP ask: ``SourceInfo`` and its text.

ACLED's Terms of Use and Attribution Policy require a prominent acknowledgement with a
link to acleddata.com and the access date, a clear account of any manipulation of the
data, and forbid giving others direct access to the raw rows (hence
``SourceInfo.redistribution_allowed = False`` and ``aggregate_table``).

UCDP data are licensed CC BY 4.0; UCDP asks users of the GED to cite Sundberg & Melander
(2013) and the yearly "Organized violence" article by Davies, Pettersson, Öberg and
colleagues in the Journal of Peace Research that goes with the release used. CC BY also
asks that changes be indicated.
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.importers.result import SourceInfo

ACLED_NAME = "Armed Conflict Location & Event Data (ACLED)"
ACLED_URL = "https://acleddata.com"
ACLED_TERMS = (
    "ACLED Terms of Use and Attribution Policy (no redistribution of raw ACLED data; "
    "acknowledge ACLED with a link and the access date)"
)
ACLED_CITATION = (
    "Raleigh, Clionadh, Roudabeh Kishi and Andrew Linke (2023). Political instability "
    "patterns are obscured by conflict dataset scope conditions, sources, and coding "
    "choices. Humanities and Social Sciences Communications 10, 74."
)

UCDP_NAME = "UCDP Georeferenced Event Dataset (GED) Global"
UCDP_URL = "https://ucdp.uu.se"
UCDP_LICENSE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
UCDP_GED_ARTICLE = (
    "Sundberg, Ralph and Erik Melander (2013). Introducing the UCDP Georeferenced Event "
    "Dataset. Journal of Peace Research 50(4): 523–532."
)
# The yearly article that goes with each GED release, keyed by the release's major number.
UCDP_RELEASE_ARTICLES: dict[str, str] = {
    "22": (
        "Davies, Shawn, Therése Pettersson and Magnus Öberg (2022). Organized violence "
        "1989–2021 and drone warfare. Journal of Peace Research 59(4): 593–610."
    ),
    "23": (
        "Davies, Shawn, Therése Pettersson and Magnus Öberg (2023). Organized violence "
        "1989–2022, and the return of conflict between states. Journal of Peace Research "
        "60(4): 691–708."
    ),
    "24": (
        "Davies, Shawn, Garoun Engström, Therése Pettersson and Magnus Öberg (2024). "
        "Organized violence 1989–2023, and the prevalence of organized crime groups. "
        "Journal of Peace Research 61(4): 673–693."
    ),
    "25": (
        "Davies, Shawn, Therése Pettersson, Margareta Sollenberg and Magnus Öberg (2025). "
        "Organized violence 1989–2024, and the challenges of identifying civilian victims. "
        "Journal of Peace Research 62(4): 1223–1240."
    ),
}
UCDP_RELEASE_ARTICLE_UNKNOWN = (
    'Davies, Shawn, Therése Pettersson, Magnus Öberg et al.: the yearly "Organized '
    'violence" article in the Journal of Peace Research that goes with the GED release used.'
)


def ucdp_citation(version: str) -> str:
    """The citation UCDP asks for, for a GED version such as ``"24.1"`` (or ``""``)."""
    article = UCDP_RELEASE_ARTICLES.get(version.split(".")[0], UCDP_RELEASE_ARTICLE_UNKNOWN)
    return f"{UCDP_GED_ARTICLE} {article}"


def acled_source(
    *,
    file_name: str,
    rows: int,
    date_first: str,
    date_last: str,
    countries: Iterable[str],
    event_types: Iterable[str],
    access_date: str,
    access_date_origin: str,
    hdx_row_dropped: bool,
) -> SourceInfo:
    """``SourceInfo`` for an ACLED export."""
    countries, event_types = tuple(sorted(countries)), tuple(sorted(event_types))
    return SourceInfo(
        dataset="ACLED",
        dataset_name=ACLED_NAME,
        file_name=file_name,
        rows=rows,
        date_first=date_first,
        date_last=date_last,
        countries=countries,
        event_types=event_types,
        filters=_filters(countries, date_first, date_last, event_types),
        version="",
        access_date=access_date,
        access_date_origin=access_date_origin,
        citation=ACLED_CITATION,
        license=ACLED_TERMS,
        url=ACLED_URL,
        redistribution_allowed=False,
        hdx_row_dropped=hdx_row_dropped,
    )


def ucdp_source(
    *,
    file_name: str,
    rows: int,
    date_first: str,
    date_last: str,
    countries: Iterable[str],
    event_types: Iterable[str],
    version: str,
    access_date: str,
    hdx_row_dropped: bool,
) -> SourceInfo:
    """``SourceInfo`` for a UCDP GED file."""
    countries, event_types = tuple(sorted(countries)), tuple(sorted(event_types))
    return SourceInfo(
        dataset="UCDP GED",
        dataset_name=UCDP_NAME,
        file_name=file_name,
        rows=rows,
        date_first=date_first,
        date_last=date_last,
        countries=countries,
        event_types=event_types,
        filters=_filters(countries, date_first, date_last, event_types),
        version=version,
        access_date=access_date,
        access_date_origin="given" if access_date else "",
        citation=ucdp_citation(version),
        license=UCDP_LICENSE,
        url=UCDP_URL,
        redistribution_allowed=True,
        hdx_row_dropped=hdx_row_dropped,
    )


def _filters(
    countries: tuple[str, ...], first: str, last: str, event_types: tuple[str, ...]
) -> tuple[str, ...]:
    filters = []
    if countries:
        filters.append(f"countries: {', '.join(countries)}")
    if first:
        filters.append(f"dates: {first} to {last}")
    if event_types:
        filters.append(f"event types: {', '.join(event_types)}")
    return tuple(filters)


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
        what it covers; the changes made for the map; the citation(s).
    """
    lines = []
    if source.dataset == "ACLED":
        access = "access date unknown"
        if source.access_date and source.access_date_origin == "given":
            access = f"data accessed {source.access_date}"
        elif source.access_date:
            access = f"data accessed on or after {source.access_date} (the newest row timestamp in the file)"
        lines.append(f"Conflict events: {source.dataset_name}, {source.url}, {access}.")
    else:
        version = f" version {source.version}" if source.version else ""
        access = f", accessed {source.access_date}" if source.access_date else ""
        lines.append(
            f"Conflict events: {source.dataset_name}{version}, Uppsala Conflict Data Program, "
            f"{source.url}{access}; licensed {source.license}."
        )
    covers = f"File {source.file_name}: {source.rows:,} event{'s' if source.rows != 1 else ''}"
    if source.filters:
        covers += f" ({'; '.join(source.filters)})"
    lines.append(covers + ".")
    kind = "event types" if source.dataset == "ACLED" else "types of violence"
    changes = [
        f"{source.dataset} {kind} mapped to this map's categories",
        "locations drawn at the precision the data state",
    ]
    if aggregated:
        changes.append(f"events aggregated by {aggregated} (counts and summed deaths)")
    lines.append(f"Changes: {'; '.join(changes)}.")
    lines.append(f"Cite: {source.citation}")
    return "\n".join(lines)
