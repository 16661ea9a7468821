"""Real Afghan and Pakistani provinces and districts for the synthetic event files.

Coordinates are approximate centres (longitude, latitude), good enough to put
synthetic events in the right part of the frontier; they are not survey data.
Weights say how often a province appears, roughly following where ACLED and UCDP
record events (the border provinces dominate).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Province:
    """A first-level division: ACLED's ``admin1`` (UCDP writes ``<name> province``)."""

    country: str
    name: str
    lon: float
    lat: float
    weight: float
    districts: tuple[tuple[str, float, float], ...]


def _p(country: str, name: str, lon: float, lat: float, weight: float, *districts: str) -> Province:
    """A province whose districts are given as ``"Name lon lat"`` strings."""
    parsed = []
    for text in districts:
        name_part, lon_text, lat_text = text.rsplit(" ", 2)
        parsed.append((name_part, float(lon_text), float(lat_text)))
    return Province(country, name, lon, lat, weight, tuple(parsed))


PROVINCES: tuple[Province, ...] = (
    _p(
        "AFG",
        "Badakhshan",
        70.58,
        37.12,
        1.0,
        "Fayzabad 70.58 37.12",
        "Jurm 70.85 36.86",
        "Baharak 70.9 36.93",
    ),
    _p(
        "AFG", "Badghis", 63.13, 34.98, 0.8, "Qala-e-Naw 63.13 34.98", "Murghab 63.5 35.6", "Jawand 64.1 35.2"
    ),
    _p(
        "AFG",
        "Baghlan",
        68.7,
        35.94,
        1.0,
        "Pul-e-Khumri 68.7 35.94",
        "Baghlan-e-Jadid 68.8 36.2",
        "Nahrin 69.1 35.9",
    ),
    _p(
        "AFG",
        "Balkh",
        67.11,
        36.71,
        1.2,
        "Mazar-e-Sharif 67.11 36.71",
        "Balkh 66.9 36.75",
        "Chimtal 66.7 36.6",
    ),
    _p("AFG", "Bamyan", 67.83, 34.82, 0.3, "Bamyan 67.83 34.82", "Yakawlang 67.2 34.73", "Panjab 67.0 34.4"),
    _p("AFG", "Daykundi", 66.13, 33.72, 0.3, "Nili 66.13 33.72", "Khedir 65.9 33.9", "Shahristan 66.5 33.6"),
    _p("AFG", "Farah", 62.12, 32.37, 1.0, "Farah 62.12 32.37", "Bakwa 63.0 32.2", "Bala Buluk 62.6 32.6"),
    _p("AFG", "Faryab", 64.77, 35.92, 1.2, "Maymana 64.77 35.92", "Dawlatabad 64.9 36.4", "Qaysar 64.3 35.7"),
    _p("AFG", "Ghazni", 68.42, 33.55, 2.0, "Ghazni 68.42 33.55", "Andar 68.5 33.3", "Qarabagh 67.9 33.2"),
    _p("AFG", "Ghor", 65.25, 34.52, 0.5, "Chaghcharan 65.25 34.52", "Shahrak 64.3 34.1", "Taywara 64.4 33.5"),
    _p(
        "AFG",
        "Helmand",
        64.36,
        31.59,
        3.0,
        "Lashkar Gah 64.36 31.59",
        "Nad-e Ali 64.2 31.65",
        "Sangin 64.87 32.07",
        "Musa Qala 64.77 32.45",
        "Garmser 64.1 31.0",
    ),
    _p("AFG", "Herat", 62.2, 34.35, 1.5, "Herat 62.2 34.35", "Injil 62.3 34.4", "Shindand 62.15 33.3"),
    _p("AFG", "Jowzjan", 65.75, 36.67, 0.6, "Sheberghan 65.75 36.67", "Aqcha 66.2 36.9", "Qarqin 65.9 37.4"),
    _p("AFG", "Kabul", 69.18, 34.53, 2.0, "Kabul 69.18 34.53", "Paghman 68.95 34.59", "Surobi 69.8 34.6"),
    _p(
        "AFG",
        "Kandahar",
        65.71,
        31.61,
        3.0,
        "Kandahar 65.71 31.61",
        "Arghandab 65.65 31.7",
        "Panjwayi 65.45 31.5",
        "Spin Boldak 66.4 31.0",
        "Maywand 65.0 31.7",
    ),
    _p(
        "AFG", "Kapisa", 69.34, 35.0, 0.5, "Mahmud-i-Raqi 69.34 35.0", "Tagab 69.65 34.85", "Nijrab 69.6 35.0"
    ),
    _p("AFG", "Khost", 69.92, 33.34, 2.0, "Khost 69.92 33.34", "Sabari 69.95 33.5", "Tani 69.85 33.2"),
    _p("AFG", "Kunar", 71.15, 34.87, 2.0, "Asadabad 71.15 34.87", "Marawara 71.2 34.9", "Dangam 71.4 34.95"),
    _p(
        "AFG",
        "Kunduz",
        68.86,
        36.73,
        1.5,
        "Kunduz 68.86 36.73",
        "Chahar Dara 68.7 36.7",
        "Imam Sahib 68.92 37.18",
    ),
    _p(
        "AFG",
        "Laghman",
        70.2,
        34.67,
        1.0,
        "Mihtarlam 70.2 34.67",
        "Alingar 70.35 34.85",
        "Qarghayi 70.25 34.55",
    ),
    _p(
        "AFG",
        "Logar",
        69.02,
        33.98,
        1.0,
        "Pul-e-Alam 69.02 33.98",
        "Baraki Barak 68.95 33.95",
        "Charkh 68.9 33.8",
    ),
    _p(
        "AFG",
        "Nangarhar",
        70.45,
        34.43,
        3.0,
        "Jalalabad 70.45 34.43",
        "Achin 70.7 34.1",
        "Momand Dara 71.0 34.25",
        "Khogyani 70.2 34.2",
        "Shinwar 70.9 34.2",
    ),
    _p("AFG", "Nimroz", 61.86, 30.96, 0.5, "Zaranj 61.86 30.96", "Chahar Burjak 62.1 30.3", "Kang 61.9 31.1"),
    _p("AFG", "Nuristan", 70.92, 35.42, 0.6, "Parun 70.92 35.42", "Waygal 70.9 35.15", "Kamdesh 71.35 35.4"),
    _p("AFG", "Paktiya", 69.22, 33.6, 1.5, "Gardez 69.22 33.6", "Zurmat 69.0 33.4", "Sayid Karam 69.3 33.7"),
    _p("AFG", "Paktika", 68.55, 33.13, 2.0, "Sharana 68.55 33.13", "Barmal 69.23 32.81", "Urgun 69.15 32.93"),
    _p("AFG", "Panjshir", 69.52, 35.31, 0.5, "Bazarak 69.52 35.31", "Rukha 69.45 35.25", "Dara 69.65 35.4"),
    _p("AFG", "Parwan", 69.17, 35.01, 0.8, "Charikar 69.17 35.01", "Bagram 69.27 34.95", "Salang 69.05 35.3"),
    _p(
        "AFG",
        "Samangan",
        68.02,
        36.26,
        0.4,
        "Aybak 68.02 36.26",
        "Dara-e Suf 67.3 35.9",
        "Hazrat Sultan 67.8 36.4",
    ),
    _p(
        "AFG",
        "Sar-e Pul",
        65.93,
        36.22,
        0.6,
        "Sar-e Pul 65.93 36.22",
        "Sayyad 66.0 36.0",
        "Sozma Qala 66.3 36.1",
    ),
    _p(
        "AFG",
        "Takhar",
        69.53,
        36.73,
        0.8,
        "Taloqan 69.53 36.73",
        "Rustaq 69.83 37.12",
        "Khwaja Ghar 69.4 37.1",
    ),
    _p(
        "AFG",
        "Uruzgan",
        65.87,
        32.63,
        1.0,
        "Tarin Kot 65.87 32.63",
        "Dehrawud 65.45 32.6",
        "Chora 66.0 32.85",
    ),
    _p(
        "AFG",
        "Wardak",
        68.87,
        34.4,
        1.2,
        "Maidan Shahr 68.87 34.4",
        "Sayedabad 68.7 34.0",
        "Jalrez 68.6 34.45",
    ),
    _p("AFG", "Zabul", 66.9, 32.1, 1.0, "Qalat 66.9 32.1", "Shahjoy 67.4 32.5", "Shinkay 66.9 31.6"),
    _p(
        "PAK",
        "Khyber Pakhtunkhwa",
        71.57,
        34.01,
        8.0,
        "Peshawar 71.57 34.01",
        "Khyber 71.14 34.1",
        "Bajaur 71.52 34.73",
        "Mohmand 71.3 34.4",
        "North Waziristan 70.1 32.95",
        "South Waziristan 69.7 32.3",
        "Kurram 70.1 33.9",
        "Orakzai 70.9 33.7",
        "Bannu 70.6 32.99",
        "Dera Ismail Khan 70.9 31.83",
        "Swat 72.36 34.77",
        "Lakki Marwat 70.9 32.6",
        "Tank 70.38 32.22",
        "Kohat 71.44 33.58",
        "Chitral 71.8 35.85",
        "Lower Dir 71.9 34.85",
    ),
    _p(
        "PAK",
        "Balochistan",
        67.0,
        30.18,
        4.0,
        "Quetta 67.0 30.18",
        "Kech 63.05 26.0",
        "Gwadar 62.3 25.13",
        "Panjgur 64.1 26.97",
        "Khuzdar 66.6 27.8",
        "Mastung 66.85 29.8",
        "Zhob 69.45 31.34",
        "Chagai 64.4 28.9",
        "Dera Bugti 69.15 29.03",
        "Kohlu 69.25 29.9",
        "Pishin 67.0 30.58",
    ),
    _p(
        "PAK",
        "Sindh",
        68.37,
        25.39,
        2.0,
        "Karachi 67.0 24.86",
        "Hyderabad 68.37 25.39",
        "Sukkur 68.86 27.7",
        "Larkana 68.2 27.56",
        "Jacobabad 68.44 28.28",
    ),
    _p(
        "PAK",
        "Punjab",
        72.7,
        31.2,
        2.0,
        "Lahore 74.34 31.55",
        "Rawalpindi 73.05 33.6",
        "Faisalabad 73.08 31.42",
        "Multan 71.47 30.2",
        "Dera Ghazi Khan 70.63 30.05",
        "Mianwali 71.53 32.58",
    ),
    _p("PAK", "Islamabad", 73.05, 33.69, 0.5, "Islamabad 73.05 33.69"),
    _p(
        "PAK",
        "Gilgit-Baltistan",
        74.31,
        35.92,
        0.3,
        "Gilgit 74.31 35.92",
        "Diamer 74.1 35.42",
        "Astore 74.86 35.37",
    ),
    _p(
        "PAK",
        "Azad Kashmir",
        73.47,
        34.37,
        0.3,
        "Muzaffarabad 73.47 34.37",
        "Mirpur 73.75 33.15",
        "Kotli 73.9 33.52",
    ),
)
