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

from geo.importers.contract import SourceFacts
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


def acled_source(facts: SourceFacts, *, access_date: str, access_date_origin: str) -> SourceInfo:
    """``SourceInfo`` for an ACLED export."""
    return SourceInfo(
        dataset="ACLED",
        dataset_name=ACLED_NAME,
        file_name=facts.file_name,
        rows=facts.rows,
        date_first=facts.date_first,
        date_last=facts.date_last,
        countries=facts.countries,
        event_types=facts.event_types,
        filters=source_filters(facts),
        version="",
        access_date=access_date,
        access_date_origin=access_date_origin,
        citation=ACLED_CITATION,
        license=ACLED_TERMS,
        url=ACLED_URL,
        redistribution_allowed=False,
        hdx_row_dropped=facts.hdx_row_dropped,
    )


def ucdp_source(facts: SourceFacts, *, version: str, access_date: str) -> SourceInfo:
    """``SourceInfo`` for a UCDP GED file."""
    return SourceInfo(
        dataset="UCDP GED",
        dataset_name=UCDP_NAME,
        file_name=facts.file_name,
        rows=facts.rows,
        date_first=facts.date_first,
        date_last=facts.date_last,
        countries=facts.countries,
        event_types=facts.event_types,
        filters=source_filters(facts),
        version=version,
        access_date=access_date,
        access_date_origin="given" if access_date else "",
        citation=ucdp_citation(version),
        license=UCDP_LICENSE,
        url=UCDP_URL,
        redistribution_allowed=True,
        hdx_row_dropped=facts.hdx_row_dropped,
    )


def source_filters(facts: SourceFacts, types: str = "event types") -> tuple[str, ...]:
    """The export's filters as inferred from its content, in words."""
    filters = []
    if facts.countries:
        filters.append(f"countries: {', '.join(facts.countries)}")
    if facts.date_first:
        filters.append(f"dates: {facts.date_first} to {facts.date_last}")
    if facts.event_types:
        filters.append(f"{types}: {', '.join(facts.event_types)}")
    return tuple(filters)


def file_line(source: SourceInfo) -> str:
    """The line ``File <name>: <n> events (<filters>).``."""
    covers = f"File {source.file_name}: {source.rows:,} event{'s' if source.rows != 1 else ''}"
    if source.filters:
        covers += f" ({'; '.join(source.filters)})"
    return covers + "."


def changes_line(changes: list[str], aggregated: str | None) -> str:
    """``Changes: …`` naming what the map changed, aggregation included."""
    if aggregated:
        changes = [*changes, f"events aggregated by {aggregated} (counts and summed deaths)"]
    return f"Changes: {'; '.join(changes)}."


def acled_attribution(source: SourceInfo, aggregated: str | None) -> str:
    """ACLED's credit: link, access date, file, changes, citation (see ``attribution_text``)."""
    access = "access date unknown"
    if source.access_date and source.access_date_origin == "given":
        access = f"data accessed {source.access_date}"
    elif source.access_date:
        access = f"data accessed on or after {source.access_date} (the newest row timestamp in the file)"
    changes = ["ACLED event types mapped to this map's categories", _PRECISION_KEPT]
    return "\n".join(
        [
            f"Conflict events: {source.dataset_name}, {source.url}, {access}.",
            file_line(source),
            changes_line(changes, aggregated),
            f"Cite: {source.citation}",
        ]
    )


def ucdp_attribution(source: SourceInfo, aggregated: str | None) -> str:
    """UCDP's credit: version, licence, file, changes, citation (see ``attribution_text``)."""
    version = f" version {source.version}" if source.version else ""
    access = f", accessed {source.access_date}" if source.access_date else ""
    changes = ["UCDP GED types of violence mapped to this map's categories", _PRECISION_KEPT]
    return "\n".join(
        [
            f"Conflict events: {source.dataset_name}{version}, Uppsala Conflict Data Program, "
            f"{source.url}{access}; licensed {source.license}.",
            file_line(source),
            changes_line(changes, aggregated),
            f"Cite: {source.citation}",
        ]
    )


_PRECISION_KEPT = "locations drawn at the precision the data state"
