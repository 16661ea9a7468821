"""Lookup tables the importers need: country codes, province codes and country extents.

Only the countries of the frontier and its neighbourhood are listed (South and Central
Asia, Iran, the Gulf, the Middle East, the Caucasus and Russia), which covers every
country an ACLED or UCDP GED export for this map is likely to contain. A code not
listed here is not an error: the row is kept with an empty ``country`` and the
importer reports a notice naming the code.

``PROVINCE_CODES`` maps Afghan and Pakistani first-level divisions to their ISO 3166-2
codes, which are the ``id`` of the basemap's province features; the spellings used by
ACLED, UCDP and common transliterations are listed. The former FATA (ISO ``PK-TA``,
merged into Khyber Pakhtunkhwa in 2018) is deliberately absent: the basemap has no such
feature.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def _frozen(mapping: dict[K, V]) -> Mapping[K, V]:
    return MappingProxyType(mapping)


# ISO3, ISO 3166-1 numeric, Gleditsch-Ward number (UCDP country_id), English name.
_COUNTRIES: tuple[tuple[str, int, int | None, str], ...] = (
    ("AFG", 4, 700, "Afghanistan"),
    ("PAK", 586, 770, "Pakistan"),
    ("IRN", 364, 630, "Iran"),
    ("IND", 356, 750, "India"),
    ("TJK", 762, 702, "Tajikistan"),
    ("TKM", 795, 701, "Turkmenistan"),
    ("UZB", 860, 704, "Uzbekistan"),
    ("CHN", 156, 710, "China"),
    ("KGZ", 417, 703, "Kyrgyzstan"),
    ("KAZ", 398, 705, "Kazakhstan"),
    ("MNG", 496, 712, "Mongolia"),
    ("BTN", 64, 760, "Bhutan"),
    ("BGD", 50, 771, "Bangladesh"),
    ("MMR", 104, 775, "Myanmar"),
    ("LKA", 144, 780, "Sri Lanka"),
    ("MDV", 462, 781, "Maldives"),
    ("NPL", 524, 790, "Nepal"),
    ("TUR", 792, 640, "Turkey"),
    ("IRQ", 368, 645, "Iraq"),
    ("EGY", 818, 651, "Egypt"),
    ("SYR", 760, 652, "Syria"),
    ("LBN", 422, 660, "Lebanon"),
    ("JOR", 400, 663, "Jordan"),
    ("ISR", 376, 666, "Israel"),
    ("PSE", 275, None, "Palestine"),
    ("SAU", 682, 670, "Saudi Arabia"),
    ("YEM", 887, 678, "Yemen"),
    ("KWT", 414, 690, "Kuwait"),
    ("BHR", 48, 692, "Bahrain"),
    ("QAT", 634, 694, "Qatar"),
    ("ARE", 784, 696, "United Arab Emirates"),
    ("OMN", 512, 698, "Oman"),
    ("RUS", 643, 365, "Russia"),
    ("ARM", 51, 371, "Armenia"),
    ("GEO", 268, 372, "Georgia"),
    ("AZE", 31, 373, "Azerbaijan"),
)

ISO3_BY_NUMERIC: Mapping[int, str] = _frozen({num: iso3 for iso3, num, _, _ in _COUNTRIES})
ISO3_BY_GW: Mapping[int, str] = _frozen({gw: iso3 for iso3, _, gw, _ in _COUNTRIES if gw is not None})
COUNTRY_NAMES: Mapping[str, str] = _frozen({iso3: name for iso3, _, _, name in _COUNTRIES})

_NAME_ALIASES: dict[str, str] = {
    "iran islamic republic of": "IRN",
    "islamic republic of iran": "IRN",
    "burma": "MMR",
    "soviet union": "RUS",
    "russian federation": "RUS",
    "north yemen": "YEM",
    "turkiye": "TUR",
    "türkiye": "TUR",
    "uae": "ARE",
    "palestinian territory": "PSE",
    "kyrgyz republic": "KGZ",
}
ISO3_BY_NAME: Mapping[str, str] = _frozen(
    {**{name.lower(): iso3 for iso3, _, _, name in _COUNTRIES}, **_NAME_ALIASES}
)

# Generous extents (lon_min, lat_min, lon_max, lat_max), about 1 degree wider than the
# country, used only to spot swapped coordinates and points far outside their country.
COUNTRY_EXTENTS: Mapping[str, tuple[float, float, float, float]] = _frozen(
    {
        "AFG": (59.5, 28.3, 75.9, 39.5),
        "PAK": (59.9, 22.7, 78.9, 38.1),
        "IRN": (43.0, 24.0, 64.4, 40.8),
        "IND": (67.1, 5.7, 98.4, 38.1),
        "TJK": (66.3, 35.6, 76.2, 42.1),
        "TKM": (51.4, 34.1, 67.8, 43.8),
        "UZB": (55.0, 36.1, 74.2, 46.6),
        "CHN": (72.5, 17.2, 135.8, 54.6),
    }
)


def normalise_name(name: str) -> str:
    """Reduce a place or country name to lower-case letters and digits for lookups.

    Parenthesised parts and trailing administrative words (province, district …) are
    dropped, so ``"Paktika province"``, ``"PAKTIKA"`` and ``"Paktika"`` all match.
    """
    text = re.sub(r"\(.*?\)", " ", name.casefold())
    text = re.sub(r"\b(province|provinces|district|agency|division|region|state)\b", " ", text)
    return re.sub(r"[^0-9a-z]", "", text)


def iso3_for_name(name: str) -> str | None:
    """Return the ISO3 code for a country name as ACLED or UCDP spell it, or None."""
    key = re.sub(r"\s+", " ", re.sub(r"\(.*?\)", " ", name.casefold())).strip()
    return ISO3_BY_NAME.get(key)


_AF_PROVINCES: dict[str, tuple[str, ...]] = {
    "AF-BDS": ("Badakhshan",),
    "AF-BDG": ("Badghis",),
    "AF-BGL": ("Baghlan",),
    "AF-BAL": ("Balkh",),
    "AF-BAM": ("Bamyan", "Bamiyan"),
    "AF-DAY": ("Daykundi", "Daikundi", "Daykondi", "Daikondi"),
    "AF-FRA": ("Farah",),
    "AF-FYB": ("Faryab",),
    "AF-GHA": ("Ghazni",),
    "AF-GHO": ("Ghor", "Ghowr"),
    "AF-HEL": ("Helmand", "Hilmand"),
    "AF-HER": ("Herat", "Hirat"),
    "AF-JOW": ("Jowzjan", "Jawzjan", "Jozjan"),
    "AF-KAB": ("Kabul",),
    "AF-KAN": ("Kandahar", "Qandahar"),
    "AF-KAP": ("Kapisa",),
    "AF-KHO": ("Khost", "Khowst"),
    "AF-KNR": ("Kunar", "Konar"),
    "AF-KDZ": ("Kunduz", "Kondoz", "Qunduz"),
    "AF-LAG": ("Laghman",),
    "AF-LOG": ("Logar",),
    "AF-NAN": ("Nangarhar", "Ningarhar"),
    "AF-NIM": ("Nimroz", "Nimruz"),
    "AF-NUR": ("Nuristan", "Nurestan"),
    "AF-PIA": ("Paktiya", "Paktia"),
    "AF-PKA": ("Paktika",),
    "AF-PAN": ("Panjshir", "Panjsher"),
    "AF-PAR": ("Parwan", "Parvan"),
    "AF-SAM": ("Samangan",),
    "AF-SAR": ("Sar-e Pul", "Sar-e-Pul", "Sari Pul", "Sar-i-Pul", "Sarpul", "Sar-e Pol"),
    "AF-TAK": ("Takhar",),
    "AF-URU": ("Uruzgan", "Oruzgan", "Urozgan"),
    "AF-WAR": ("Wardak", "Maidan Wardak", "Maydan Wardak"),
    "AF-ZAB": ("Zabul",),
}
_PK_PROVINCES: dict[str, tuple[str, ...]] = {
    "PK-BA": ("Balochistan", "Baluchistan"),
    "PK-GB": ("Gilgit-Baltistan", "Gilgit Baltistan", "Northern Areas"),
    "PK-IS": ("Islamabad", "Islamabad Capital Territory"),
    "PK-JK": ("Azad Kashmir", "Azad Jammu and Kashmir", "AJK"),
    "PK-KP": ("Khyber Pakhtunkhwa", "Khyber-Pakhtunkhwa", "KPK", "North-West Frontier"),
    "PK-PB": ("Punjab",),
    "PK-SD": ("Sindh", "Sind"),
}

PROVINCE_CODES: Mapping[tuple[str, str], str] = _frozen(
    {
        (country, normalise_name(name)): code
        for country, table in (("AFG", _AF_PROVINCES), ("PAK", _PK_PROVINCES))
        for code, names in table.items()
        for name in names
    }
)


def province_code(country: str, name: str) -> str:
    """Return the ISO 3166-2 code of an Afghan or Pakistani province, or ``""``."""
    return PROVINCE_CODES.get((country, normalise_name(name)), "")
