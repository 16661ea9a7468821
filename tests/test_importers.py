"""ACLED and UCDP GED importers: formats, real-file quirks, bad rows, speed paths, aggregates.

The fixtures in tests/data/imports/ are hand-written: invented rows in the shape of the
real exports (ACLED's terms forbid redistributing real rows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geo.dates import day_number
from geo.errors import DataError, Problem, UsageError
from geo.importers import (
    ImportResult,
    aggregate_table,
    attribution_text,
    csvfile,
    detect_format,
    read_event_file,
)
from geo.importers.csvfile import CsvReader, LayoutMismatch
from geo.table import EVENT_COLUMNS, combine_tables, date_order
from geo.taxonomy import BY_ID

IMPORTS = Path(__file__).resolve().parent / "data" / "imports"
ACLED_BASIC = IMPORTS / "acled_basic.csv"
ACLED_QUIRKS = IMPORTS / "acled_hdx_bom_crlf.csv"
ACLED_BAD = IMPORTS / "acled_bad_rows.csv"
UCDP_SAMPLE = IMPORTS / "GEDEvent_v24_1_sample.csv"
UCDP_BAD = IMPORTS / "ucdp_bad_rows.csv"


def day(year: int, month: int, dom: int) -> int:
    return day_number(dt.date(year, month, dom))


def row(result: ImportResult, event_id: str) -> dict:
    table = result.table
    return table[table["id"] == event_id].iloc[0].to_dict()


def where(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.feature, p.field) for p in problems]


# -- format detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("acled_basic.csv", "acled"),
        ("acled_hdx_bom_crlf.csv", "acled"),
        ("acled_old_style.csv", "acled"),
        ("GEDEvent_v24_1_sample.csv", "ucdp_ged"),
        ("events.geojson", "geojson"),
    ],
)
def test_format_is_detected_from_the_header(name, expected):
    assert detect_format(IMPORTS / name) == expected


def test_geojson_is_left_to_the_geojson_loader():
    with pytest.raises(UsageError, match="GeoJSON loader"):
        read_event_file(IMPORTS / "events.geojson")


def test_unknown_header_is_a_whole_file_problem():
    with pytest.raises(DataError) as caught:
        read_event_file(IMPORTS / "unrelated.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.feature) == ("unrelated.csv", "line 1")
    assert "matches none of the known event formats" in problem.message
    assert "an ACLED export" in problem.message and "a simple event sheet" in problem.message
    assert "'name', 'population'" in problem.message


def test_excel_workbook_is_refused(tmp_path):
    path = tmp_path / "acled.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(DataError, match="Excel workbook"):
        read_event_file(path)


def test_missing_required_column_is_a_whole_file_problem():
    with pytest.raises(DataError) as caught:
        read_event_file(IMPORTS / "acled_missing_latitude.csv")
    assert where(caught.value.problems) == [("line 1", "latitude")]
    assert "missing required column 'latitude'" in caught.value.problems[0].message


def test_repeated_header_column_is_a_whole_file_problem(tmp_path):
    text = ACLED_BASIC.read_text(encoding="utf-8").replace(",tags,", ",notes,", 1)
    path = tmp_path / "twice.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_event_file(path)
    assert where(caught.value.problems) == [("line 1", "notes")]


def test_empty_file_is_a_data_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n")
    with pytest.raises(DataError, match="the file is empty"):
        read_event_file(path)


def test_header_only_gives_an_empty_table(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(ACLED_BASIC.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = read_event_file(path)
    assert (result.rows_read, result.rows_skipped, len(result.table)) == (0, 0, 0)
    assert tuple(result.table.columns[: len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    assert result.source.date_first == ""


# -- ACLED ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def acled() -> ImportResult:
    return read_event_file(ACLED_BASIC)


def test_acled_table_has_the_contract_columns(acled):
    table = acled.table
    assert tuple(table.columns[: len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    assert all(c.startswith("orig:ACLED ") for c in table.columns[len(EVENT_COLUMNS) :])
    assert table["start_day"].dtype == np.int64 and table["end_day"].dtype == np.int64
    assert table["lon"].dtype == np.float64 and table["radius_km"].dtype == np.float64
    assert set(table["category"]) <= set(BY_ID)
    assert set(table["dataset"]) == {"ACLED"}
    assert set(table["source"]) == {"ACLED export acled_basic.csv"}
    assert (acled.rows_read, acled.rows_skipped, acled.problems, acled.notices) == (7, 0, [], [])


def test_acled_categories_follow_the_taxonomy(acled):
    assert dict(zip(acled.table["id"], acled.table["category"], strict=True)) == {
        "acled:PAK90001": "armed_clash",
        "acled:AFG90002": "air_strike",
        "acled:AFG90003": "abduction",
        "acled:PAK90004": "protest",
        "acled:PAK90005": "strategic_development",
        "acled:PAK90006": "protest",
        "acled:IRN90007": "armed_clash",
    }


def test_acled_geo_precision_1_is_a_2_km_radius(acled):
    clash = row(acled, "acled:PAK90001")
    assert (clash["precision_kind"], clash["radius_km"], clash["area"], clash["area_ref"]) == (
        "radius",
        2.0,
        "",
        "",
    )
    assert (clash["lon"], clash["lat"]) == (71.523, 34.727)
    assert clash["title"] == (
        "Armed clash: Military Forces of Pakistan (2018-) vs TTP: Tehreek-i-Taliban Pakistan, Khar"
    )
    assert clash["place"] == "Khar, Bajaur, Khyber Pakhtunkhwa, Pakistan"
    assert clash["summary"] == (
        "Fictional test row: security forces and militants exchanged fire near a checkpoint."
    )
    assert clash["country"] == "PAK"
    assert clash["notes"] == []
    assert clash["claims"] == []
    assert clash["figures"] == [
        {"kind": "deaths", "value": 3, "qualifier": None, "reported_by": "Dawn via ACLED", "note": None}
    ]


def test_acled_geo_precision_2_is_a_25_km_radius_and_week_precision_widens_the_days(acled):
    strike = row(acled, "acled:AFG90002")
    assert (strike["precision_kind"], strike["radius_km"]) == ("radius", 25.0)
    assert (strike["date"], strike["date_precision"], strike["end_date"]) == ("2024-12-10", "day", "")
    assert (strike["start_day"], strike["end_day"]) == (day(2024, 12, 7), day(2024, 12, 13))
    assert any("time precision 2" in note for note in strike["notes"])
    assert any("geo precision 2" in note for note in strike["notes"])


def test_acled_empty_fatalities_are_unknown_not_zero(acled):
    strike = row(acled, "acled:AFG90002")
    assert strike["figures"] == []
    assert "The ACLED row gives no fatality figure: unknown, not zero." in strike["notes"]
    protest = row(acled, "acled:PAK90004")
    assert protest["figures"][0]["value"] == 0


def test_acled_region_placeholder_is_an_area_never_exact(acled):
    abduction = row(acled, "acled:AFG90003")
    assert (abduction["precision_kind"], abduction["area"], abduction["area_ref"]) == (
        "area",
        "Paktika",
        "AF-PKA",
    )
    assert math.isnan(abduction["radius_km"])
    riot = row(acled, "acled:PAK90006")
    assert (riot["precision_kind"], riot["area"], riot["area_ref"]) == ("area", "Balochistan", "PK-BA")
    country_level = row(acled, "acled:IRN90007")
    assert (country_level["area"], country_level["area_ref"], country_level["country"]) == (
        "Iran",
        "IRN",
        "IRN",
    )
    assert "exact" not in set(acled.table["precision_kind"])


def test_acled_month_precision_is_shown_as_the_month(acled):
    abduction = row(acled, "acled:AFG90003")
    assert (abduction["date"], abduction["date_precision"]) == ("2024-11", "month")
    assert (abduction["start_day"], abduction["end_day"]) == (day(2024, 11, 1), day(2024, 11, 30))


def test_acled_numeric_actor_types_read_as_words(acled):
    clash = row(acled, "acled:PAK90001")
    assert (clash["orig:ACLED inter1"], clash["orig:ACLED inter2"]) == ("State forces", "Rebel group")
    assert clash["orig:ACLED interaction"] == "State forces-Rebel group"
    protest = row(acled, "acled:PAK90004")
    assert (protest["orig:ACLED inter2"], protest["orig:ACLED interaction"]) == (
        "No actor",
        "Protesters only",
    )
    assert protest["title"] == "Peaceful protest: Protesters (Pakistan), Peshawar"


def test_acled_keeps_the_source_codes_as_orig_columns(acled):
    abduction = row(acled, "acled:AFG90003")
    assert {
        key: abduction[f"orig:ACLED {key}"]
        for key in ("event_type", "sub_event_type", "geo_precision", "time_precision", "source")
    } == {
        "event_type": "Violence against civilians",
        "sub_event_type": "Abduction/forced disappearance",
        "geo_precision": "3",
        "time_precision": "3",
        "source": "Hasht-e Subh",
    }


def test_hdx_copy_with_bom_and_crlf():
    result = read_event_file(ACLED_QUIRKS)
    assert (result.rows_read, result.rows_skipped, result.problems) == (4, 0, [])
    assert result.source.hdx_row_dropped
    assert list(result.table["id"]) == [
        "acled:PAK91001",
        "acled:PAK91002",
        "acled:AFG91003",
        "acled:PAK91004",
    ]
    # Both date styles (and an abbreviated month) in one file.
    assert list(result.table["date"]) == ["2024-12-25", "2024-12-26", "2025-01-03", "2024-12-27"]
    # The quoted note kept its line break, as LF.
    assert row(result, "acled:PAK91001")["summary"] == (
        "First line of a fictional note, with a comma,\nsecond line of it."
    )
    # Actor types given as words stay words.
    assert row(result, "acled:PAK91002")["orig:ACLED inter1"] == "Political militia"
    # The CR of each CRLF line end stays out of the last field.
    [chunk] = CsvReader(ACLED_QUIRKS).chunks(["timestamp"])
    assert chunk.frame["timestamp"].tolist() == ["1735200000", "1735300000", "1735900000", "1735400000"]


def test_hdx_row_line_is_reported_by_the_reader():
    reader = CsvReader(ACLED_QUIRKS)
    chunks = list(reader.chunks(["event_id_cnty"]))
    assert reader.hdx_line == 2
    assert chunks[0].lines.tolist() == [3, 5, 6, 7]


def test_old_style_upper_case_export_with_iso3():
    result = read_event_file(IMPORTS / "acled_old_style.csv")
    assert list(result.table["country"]) == ["PAK", ""]
    assert list(result.table["place"]) == [
        "Mir Ali, North Waziristan, Khyber Pakhtunkhwa, Pakistan",
        "Poseidonia, Atlantis",
    ]
    assert list(result.table["date"]) == ["2019-03-14", "2019-04-02"]
    assert where(result.notices) == [("line 3", "iso")]
    assert "'Atlantis'" in result.notices[0].message
    assert "orig:ACLED disorder_type" not in result.table.columns


BAD_ROW_PROBLEMS = [
    ("line 5", "event_date"),
    ("line 8", "latitude"),
    ("line 9", "latitude"),
    ("line 10", "longitude"),
    ("line 11", "event_type"),
    ("line 12", "event_id_cnty"),
    ("line 13", "fatalities"),
    ("line 14", "geo_precision"),
    ("line 15", ""),
    ("line 16", "event_date"),
    ("line 16", "latitude"),
]


def test_repeated_notices_are_summarised_and_the_summary_is_always_shown(tmp_path, caplog):
    from geo.importing import import_events, log_report
    from geo.loader import load_dataset
    from tests.conftest import VALID_DIR

    rows = ACLED_BASIC.read_text("utf-8").splitlines()
    header, first = rows[0], rows[1].replace(",586,", ",999,").replace(",Pakistan,", ",Atlantis,")
    assert "Atlantis" in first
    lines = [header] + [first.replace("PAK90001", f"PAK{80000 + n}", 1) for n in range(30)]
    path = tmp_path / "acled_atlantis.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    [source] = import_events([path], load_dataset(VALID_DIR))
    with caplog.at_level("INFO", logger="frontier_map"):
        log_report(source.report)
    notes = [r.getMessage() for r in caplog.records if r.getMessage().startswith("note: ")]
    # The reader lists 20 rows with the notice, then its summary of the other 10; all shown.
    assert len(notes) == 21
    assert notes[-1] == (
        "note: acled_atlantis.csv: 10 more rows with the notice 'unknown country' "
        "(30 in all; the first 20 are listed)"
    )
    assert not any("more note" in message for message in caplog.messages)


def test_bad_rows_are_skipped_and_named_by_physical_line():
    result = read_event_file(ACLED_BAD)
    assert where(result.problems) == BAD_ROW_PROBLEMS
    assert list(result.table["id"]) == ["acled:PAK92001", "acled:PAK92003", "acled:PAK92012"]
    assert (result.rows_read, result.rows_skipped) == (13, 10)
    messages = {(p.feature, p.field): p.message for p in result.problems}
    assert messages[("line 5", "event_date")] == (
        "expected a date like '2024-12-25' or '25 December 2024', got '2024-13-45'"
    )
    assert "look swapped" in messages[("line 8", "latitude")]
    assert messages[("line 9", "latitude")].startswith(
        "latitude '69.1700' and longitude '34.5300' look swapped"
    )
    assert messages[("line 12", "event_id_cnty")] == (
        "duplicate id 'PAK92001': already used on line 2; expected each event once"
    )
    assert messages[("line 13", "fatalities")].endswith("got 'about 5'")
    assert "expected 31 fields" in messages[("line 15", "")]
    assert all(p.file == "acled_bad_rows.csv" for p in result.problems)


def test_strict_mode_raises_with_every_problem_in_the_file():
    with pytest.raises(DataError) as caught:
        read_event_file(ACLED_BAD, strict=True)
    assert sorted(where(caught.value.problems)) == sorted(BAD_ROW_PROBLEMS)
    assert "11 problems found" in str(caught.value)


def test_strict_mode_accepts_a_clean_file():
    assert len(read_event_file(ACLED_BASIC, strict=True).table) == 7


@pytest.mark.parametrize("block", [7, 64, 97, 300, 1000])
@pytest.mark.parametrize("path", [ACLED_BAD, ACLED_QUIRKS, UCDP_SAMPLE, UCDP_BAD])
def test_block_boundaries_do_not_change_the_result(monkeypatch, path, block):
    whole = read_event_file(path)
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", block)
    pieces = read_event_file(path)
    assert pieces.problems == whole.problems
    assert (pieces.rows_read, pieces.rows_skipped) == (whole.rows_read, whole.rows_skipped)
    pd.testing.assert_frame_equal(pieces.table, whole.table)


def test_old_mac_line_ends(tmp_path):
    path = tmp_path / "cr.csv"
    path.write_bytes(ACLED_BAD.read_bytes().replace(b"\n", b"\r"))
    result = read_event_file(path)
    assert where(result.problems) == BAD_ROW_PROBLEMS
    assert list(result.table["id"]) == ["acled:PAK92001", "acled:PAK92003", "acled:PAK92012"]


def test_blank_lines_are_skipped_but_counted_as_lines(tmp_path):
    lines = ACLED_BASIC.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "blank.csv"
    path.write_text("\n".join([lines[0], "", lines[1], "  ", lines[2].replace("2024-12-10", "x")]) + "\n")
    result = read_event_file(path)
    assert result.rows_read == 2
    assert where(result.problems) == [("line 5", "event_date")]


def test_quote_inside_unquoted_field_falls_back_to_python_csv():
    path = IMPORTS / "acled_stray_quote.csv"
    reader = CsvReader(path)
    with pytest.raises(LayoutMismatch):
        list(reader.chunks(["event_id_cnty", "notes"]))
    result = read_event_file(path)
    assert list(result.table["id"]) == ["acled:PAK94001", "acled:PAK94002"]
    assert row(result, "acled:PAK94001")["summary"] == 'Fictional: a 5" shell hit a wall.'
    assert where(result.problems) == [("line 5", "event_date")]


def test_unclosed_quote_is_reported_at_its_line():
    result = read_event_file(IMPORTS / "acled_unclosed_quote.csv")
    assert list(result.table["id"]) == ["acled:PAK95001"]
    assert where(result.problems) == [("line 3", "")]
    assert "never closed" in result.problems[0].message
    assert "lines 3-4" in result.problems[0].message
    assert (result.rows_read, result.rows_skipped) == (2, 1)


def test_text_that_is_not_utf8_is_a_data_error():
    with pytest.raises(DataError) as caught:
        read_event_file(IMPORTS / "acled_latin1.csv")
    [problem] = caught.value.problems
    assert problem.feature == "line 3"
    assert "not UTF-8" in problem.message and "b'\\xe9'" in problem.message


def test_progress_reports_bytes_up_to_the_file_size(monkeypatch):
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 512)
    calls: list[tuple[int, int]] = []
    read_event_file(ACLED_BASIC, progress=lambda done, total: calls.append((done, total)))
    size = ACLED_BASIC.stat().st_size
    assert len(calls) >= 3
    assert all(total == size for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1][0] == size


# -- UCDP GED -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ged() -> ImportResult:
    return read_event_file(UCDP_SAMPLE)


def test_ucdp_rows_and_source(ged):
    table = ged.table
    assert tuple(table.columns[: len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    assert (ged.rows_read, ged.rows_skipped, ged.problems) == (9, 0, [])
    assert set(table["dataset"]) == {"UCDP GED"}
    assert set(table["source"]) == {"UCDP GED 24.1 GEDEvent_v24_1_sample.csv"}
    assert ged.source.version == "24.1"
    assert list(table["country"]) == ["PAK", "PAK", "PAK", "AFG", "AFG", "AFG", "PAK", "PAK", "PAK"]
    assert list(table["category"]) == [
        "armed_clash",
        "armed_clash",
        "attack_on_civilians",
        "armed_clash",
        "armed_clash",
        "attack_on_civilians",
        "armed_clash",
        "armed_clash",
        "armed_clash",
    ]


def test_ucdp_where_prec_maps_to_precision(ged):
    got = {
        event_id: (kind, None if math.isnan(radius) else radius, area, area_ref)
        for event_id, kind, radius, area, area_ref in zip(
            ged.table["id"],
            ged.table["precision_kind"],
            ged.table["radius_km"],
            ged.table["area"],
            ged.table["area_ref"],
            strict=True,
        )
    }
    assert got == {
        "ucdp:900001": ("exact", None, "", ""),
        "ucdp:900002": ("radius", 25.0, "", ""),
        "ucdp:900003": ("area", None, "Kurram district", ""),
        "ucdp:900004": ("area", None, "Paktika province", "AF-PKA"),
        "ucdp:900005": ("area", None, "border areas of Kunar and Nangarhar provinces", ""),
        "ucdp:900006": ("area", None, "Afghanistan", "AFG"),
        "ucdp:900007": ("radius", 50.0, "", ""),
        "ucdp:900008": ("exact", None, "", ""),
        "ucdp:900009": ("area", None, "Arabian Sea off Gwadar", ""),
    }


def test_ucdp_dates_start_end_and_precision(ged):
    got = {
        event_id: (date, precision, end_date, start, end)
        for event_id, date, precision, end_date, start, end in zip(
            ged.table["id"],
            ged.table["date"],
            ged.table["date_precision"],
            ged.table["end_date"],
            ged.table["start_day"],
            ged.table["end_day"],
            strict=True,
        )
    }
    assert got["ucdp:900001"] == ("2023-05-14", "day", "", day(2023, 5, 14), day(2023, 5, 14))
    assert got["ucdp:900002"] == ("2023-06-01", "day", "2023-06-04", day(2023, 6, 1), day(2023, 6, 4))
    assert got["ucdp:900003"] == ("2023-07-03", "day", "2023-07-09", day(2023, 7, 3), day(2023, 7, 9))
    assert got["ucdp:900004"] == ("2023-08", "month", "", day(2023, 8, 1), day(2023, 8, 31))
    assert got["ucdp:900005"] == ("2023", "year", "", day(2023, 1, 1), day(2023, 12, 31))
    assert any("date precision 3" in note for note in row(ged, "ucdp:900003")["notes"])


def test_ucdp_figures_best_with_low_and_high(ged):
    assert row(ged, "ucdp:900001")["figures"] == [
        {
            "kind": "deaths",
            "value": 4,
            "qualifier": None,
            "reported_by": "UCDP GED (best estimate)",
            "note": "UCDP low estimate 3, high estimate 6",
        }
    ]
    unknown = row(ged, "ucdp:900006")
    assert unknown["figures"] == []
    assert any("unknown, not zero" in note for note in unknown["notes"])


def test_ucdp_estimates_out_of_order_are_kept_as_given_with_a_note(ged):
    disordered = row(ged, "ucdp:900008")
    [figure] = disordered["figures"]
    assert figure["value"] == 5
    assert figure["note"].startswith("UCDP low estimate 10, high estimate 8")
    assert "out of order" in figure["note"]
    assert any("out of order" in note for note in disordered["notes"])
    assert where(ged.notices) == [("line 10", "best")]


def test_ucdp_text_fields(ged):
    first = row(ged, "ucdp:900001")
    assert first["title"] == "State-based conflict: Government of Pakistan vs TTP, Mir Ali town"
    assert first["summary"] == (
        "Fictional: soldiers and militants clash;\nsecond fictional headline — "
        "Location: Mir Ali town, North Waziristan district"
    )
    assert first["place"] == (
        "Mir Ali town, North Waziristan district, Khyber Pakhtunkhwa province, Pakistan"
    )
    assert row(ged, "ucdp:900003")["title"] == "One-sided violence by IS, Kurram district"
    assert {
        key: first[f"orig:UCDP {key}"]
        for key in ("type_of_violence", "where_prec", "date_prec", "side_a", "side_b", "relid")
    } == {
        "type_of_violence": "1",
        "where_prec": "1",
        "date_prec": "1",
        "side_a": "Government of Pakistan",
        "side_b": "TTP",
        "relid": "PAK-2023-1-900001",
    }


def test_ucdp_article_line_is_kept_only_where_there_is_no_headline(tmp_path):
    with open(UCDP_SAMPLE, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["source_headline"] = ""
    rows[0]["source_article"] = "Fictional Wire, 2023-05-15, 'Only the article line names it'"
    rows[1]["source_article"] = "Fictional Wire, 2023-05-16, 'A headline repeated'"
    assert rows[1]["source_headline"], "the fixture's second row has a headline"
    path = tmp_path / "GEDEvent_v24_1_headlines.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = read_event_file(path)
    without, with_headline = (row(result, f"ucdp:{r['id']}") for r in rows[:2])
    # No headline: the article line is the only text naming the report, so it is kept.
    assert without["orig:UCDP source_article"] == rows[0]["source_article"]
    # A headline: the summary holds it; the article line would repeat it, so it is dropped.
    assert with_headline["orig:UCDP source_article"] == ""
    assert with_headline["summary"].startswith(rows[1]["source_headline"])


def _ucdp_with_articles(path: Path, count: int) -> list[dict[str, str]]:
    """``count`` UCDP rows, every third without a headline, with articles of varied lengths."""
    with open(UCDP_SAMPLE, newline="", encoding="utf-8") as handle:
        sample = list(csv.DictReader(handle))
    rows = []
    for number in range(count):
        fields = dict(sample[number % len(sample)], id=str(800000 + number))
        text = "x" * (number * 37 % 300)
        fields["source_article"] = f"Fictional Wire é, 2023-05-{number % 28 + 1:02}, '{text}'"
        if number % 3 == 0:
            fields["source_headline"] = ""
        rows.append(fields)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


@pytest.mark.parametrize("block", [None, 700, 3000])
def test_ucdp_articles_read_on_demand_are_the_file_text(tmp_path, monkeypatch, block):
    rows = _ucdp_with_articles(tmp_path / "GEDEvent_v24_1_articles.csv", 60)
    if block:
        monkeypatch.setattr(csvfile, "BLOCK_BYTES", block)
    result = read_event_file(tmp_path / "GEDEvent_v24_1_articles.csv")
    assert (result.rows_read, result.rows_skipped) == (60, 0)
    expected = ["" if fields["source_headline"] else fields["source_article"] for fields in rows]
    assert result.table["orig:UCDP source_article"].tolist() == expected


@pytest.mark.parametrize("block", [None, 700])
def test_an_article_that_is_not_utf8_is_a_data_error_even_where_it_is_not_kept(tmp_path, monkeypatch, block):
    path = tmp_path / "GEDEvent_v24_1_latin1.csv"
    rows = _ucdp_with_articles(path, 60)
    assert rows[13]["source_headline"]  # a row whose article the table leaves out (line 15)
    path.write_bytes(path.read_bytes().replace(b"Wire \xc3\xa9, 2023-05-14", b"Wire \xe9, 2023-05-14"))
    if block:
        monkeypatch.setattr(csvfile, "BLOCK_BYTES", block)
    with pytest.raises(DataError) as caught:
        read_event_file(path)
    [problem] = caught.value.problems
    assert problem.feature == "line 15"
    assert "not UTF-8" in problem.message


def test_ucdp_bad_rows_by_physical_line():
    result = read_event_file(UCDP_BAD)
    assert where(result.problems) == [
        ("line 4", "type_of_violence"),
        ("line 5", "date_end"),
        ("line 6", "where_prec"),
        ("line 7", "date_prec"),
        ("line 8", "latitude"),
        ("line 9", "id"),
        ("line 10", "best"),
    ]
    assert list(result.table["id"]) == ["ucdp:910001", "ucdp:910008"]
    assert (result.rows_read, result.rows_skipped) == (9, 7)
    with pytest.raises(DataError) as caught:
        read_event_file(UCDP_BAD, strict=True)
    assert len(caught.value.problems) == 7


# -- attribution ----------------------------------------------------------------------------


def test_acled_source_info_infers_access_date_and_filters(acled):
    source = acled.source
    assert (source.dataset, source.file_name, source.rows) == ("ACLED", "acled_basic.csv", 7)
    assert (source.date_first, source.date_last) == ("2024-11-15", "2024-12-26")
    assert source.countries == ("AFG", "IRN", "PAK")
    assert source.access_date == "2025-01-04"
    assert source.access_date_origin == "latest timestamp"
    assert source.redistribution_allowed is False
    assert source.filters[0] == "countries: AFG, IRN, PAK"
    assert "Riots" in source.event_types
    text = attribution_text(source)
    assert "https://acleddata.com" in text
    assert "on or after 2025-01-04" in text
    assert "Raleigh" in text


def test_acled_access_date_given_by_the_caller():
    result = read_event_file(ACLED_BASIC, access_date="2025-01-10")
    assert (result.source.access_date, result.source.access_date_origin) == ("2025-01-10", "given")
    text = attribution_text(result.source, aggregated="province and month")
    assert "data accessed 2025-01-10." in text
    assert "aggregated by province and month" in text


def test_bad_access_date_is_a_usage_error():
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        read_event_file(ACLED_BASIC, access_date="10/01/2025")


def test_ucdp_citation_follows_ucdp_request(ged):
    source = ged.source
    assert source.redistribution_allowed is True
    assert "CC BY 4.0" in source.license
    assert "Sundberg, Ralph and Erik Melander (2013)" in source.citation
    assert "Journal of Peace Research 50(4)" in source.citation
    # GED 24.1 goes with the 2024 article (authors, title and pages as published).
    assert (
        "Davies, Shawn, Garoun Engström, Therése Pettersson and Magnus Öberg (2024). "
        "Organized violence 1989–2023, and the prevalence of organized crime groups. "
        "Journal of Peace Research 61(4): 673–693."
    ) in source.citation
    text = attribution_text(source)
    assert text.splitlines()[0].startswith(
        "Conflict events: UCDP Georeferenced Event Dataset (GED) Global version 24.1"
    )


# -- aggregation ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def provinces() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["AF-PKA", "PK-KP"], "name": ["Paktika", "Khyber Pakhtunkhwa"]},
        geometry=[box(67.5, 31.5, 70.0, 33.5), box(69.0, 33.5, 74.0, 36.5)],
        crs="EPSG:4326",
    )


def test_aggregate_counts_per_area_month_and_category(acled, provinces):
    result = aggregate_table(acled.table, provinces, "month")
    assert tuple(result.columns) == EVENT_COLUMNS
    by_id = {r["id"]: r for r in result.to_dict("records")}
    assert set(by_id) == {
        "agg:acled:AF-PKA:2024-11:abduction",
        "agg:acled:AF-PKA:2024-12:air_strike",
        "agg:acled:PK-KP:2024-12:armed_clash",
        "agg:acled:PK-KP:2024-12:protest",
        "agg:acled:PK-KP:2024-12:strategic_development",
        "agg:acled:PAK:2024-12:protest",
        "agg:acled:IRN:2024-12:armed_clash",
    }
    strike = by_id["agg:acled:AF-PKA:2024-12:air_strike"]
    assert strike["title"] == "1 ACLED event (Air or drone strike), Paktika, December 2024"
    assert (strike["precision_kind"], strike["area"], strike["area_ref"]) == ("area", "Paktika", "AF-PKA")
    assert (strike["lon"], strike["lat"]) == (68.75, 32.5)
    assert (strike["date"], strike["date_precision"]) == ("2024-12", "month")
    assert (strike["start_day"], strike["end_day"]) == (day(2024, 12, 1), day(2024, 12, 31))
    assert strike["figures"] == []
    quetta = by_id["agg:acled:PAK:2024-12:protest"]
    assert (quetta["area"], quetta["area_ref"], quetta["country"]) == ("Pakistan", "PAK", "PAK")


def test_aggregate_shows_no_raw_acled_content(acled, provinces):
    result = aggregate_table(acled.table, provinces, "year")
    text = " ".join(str(value) for value in result.to_numpy().ravel())
    for raw in ("Fictional test row", "Military Forces", "PAK90001", "Dawn"):
        assert raw not in text
    assert not any(column.startswith("orig:") for column in result.columns)


def test_aggregate_sums_deaths_and_flags_missing_figures():
    table = read_event_file(ACLED_QUIRKS).table
    result = aggregate_table(table, None, "year")
    clash = result[result["id"] == "agg:acled:PAK:2024:armed_clash"].iloc[0]
    assert clash["title"] == "1 ACLED event (Armed clash), Pakistan, 2024"
    afghan = result[result["id"] == "agg:acled:AFG:2025:armed_clash"].iloc[0]
    assert afghan["figures"] == []
    combined = pd.concat([table, table.assign(id=table["id"] + "x")], ignore_index=True)
    both = aggregate_table(combined, None, "year")
    explosion = both[both["id"] == "agg:acled:PAK:2024:explosion"].iloc[0]
    assert explosion["figures"][0]["value"] == 4
    assert explosion["title"].startswith("2 ACLED events")


def test_aggregate_marks_partial_death_sums_as_at_least(ged):
    result = aggregate_table(ged.table, None, "year")
    attacks = result[result["id"] == "agg:ucdp-ged:AFG:2023:attack_on_civilians"].iloc[0]
    assert attacks["figures"] == []
    table = ged.table.copy()
    table.loc[table["id"] == "ucdp:900006", "country"] = "PAK"
    mixed = aggregate_table(table, None, "year")
    pak_attacks = mixed[mixed["id"] == "agg:ucdp-ged:PAK:2023:attack_on_civilians"].iloc[0]
    assert pak_attacks["figures"][0]["qualifier"] == "at least"
    assert pak_attacks["figures"][0]["value"] == 12


def test_aggregate_counts_country_placeholders_in_the_country(ged, provinces):
    result = aggregate_table(ged.table, provinces, "year")
    ids = set(result["id"])
    # where_prec 5 and 6 points lie inside the Paktika box but only stand for the country.
    assert "agg:ucdp-ged:AFG:2023:armed_clash" in ids
    assert "agg:ucdp-ged:AFG:2023:attack_on_civilians" in ids
    paktika = result[result["id"] == "agg:ucdp-ged:AF-PKA:2023:armed_clash"].iloc[0]
    assert paktika["title"] == "1 UCDP GED event (Armed clash), Paktika, 2023"


def test_aggregate_rejects_bad_arguments(acled, provinces):
    with pytest.raises(UsageError, match="period"):
        aggregate_table(acled.table, provinces, "week")
    with pytest.raises(UsageError, match="no column 'name'"):
        aggregate_table(acled.table, provinces.rename(columns={"name": "label"}), "month")
    assert len(aggregate_table(acled.table.iloc[0:0], provinces)) == 0


def test_imported_tables_combine_with_other_sources(acled, ged):
    combined = combine_tables([acled.table, ged.table])
    assert len(combined) == 16
    assert set(combined["id"]) == set(acled.table["id"]) | set(ged.table["id"])
    ordered = combined["start_day"].to_numpy()[date_order(combined)]
    assert (ordered[1:] >= ordered[:-1]).all()


def test_an_id_in_two_sources_is_a_data_error(acled):
    with pytest.raises(DataError, match="duplicate id"):
        combine_tables([acled.table, acled.table])


# -- line numbers and robustness (property tests) -------------------------------------------

HEADER = ACLED_BASIC.read_text(encoding="utf-8").splitlines()[0].split(",")
TEMPLATE = next(csv.reader(io.StringIO(ACLED_BASIC.read_text(encoding="utf-8").splitlines()[1])))
note_text = st.text(alphabet=st.sampled_from(list('ab ,"\n\r;é')), min_size=0, max_size=30)
stray_text = st.text(alphabet=st.sampled_from(list('ab ";é')), min_size=1, max_size=20)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A folder under pytest's temporary root for the property tests' files (rewritten per example)."""
    return tmp_path_factory.mktemp("examples")


def _quoted(field: str) -> str:
    """RFC 4180 quoting of every field with a comma, quote, CR or LF."""
    if any(char in field for char in ',"\r\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.one_of(note_text, stray_text), st.booleans(), st.booleans()), min_size=1, max_size=25
    ),
    crlf=st.booleans(),
    block=st.sampled_from([50, 200, 4096, None]),
)
def test_problem_lines_match_python_csv(scratch, rows, crlf, block):
    end = "\r\n" if crlf else "\n"
    lines = [",".join(HEADER)]
    for index, (note, bad_date, stray) in enumerate(rows):
        fields = list(TEMPLATE)
        fields[0] = f"PAK{index}"
        fields[1] = "never" if bad_date else "2024-12-03"
        # stray: a note with quotes but no comma or line break goes in unquoted, its
        # quotes literal characters (unless it starts with one, which opens a quoted field).
        raw = stray and not any(char in note for char in ",\r\n") and not note.startswith('"')
        fields[HEADER.index("notes")] = note
        lines.append(
            ",".join(
                field if raw and index_ == HEADER.index("notes") else _quoted(field)
                for index_, field in enumerate(fields)
            )
        )
    text = end.join(lines) + end
    expected, reader = [], csv.reader(io.StringIO(text, newline=""))
    next(reader)
    start = reader.line_num + 1
    for record in reader:
        if record[1] == "never":
            expected.append(f"line {start}")
        start = reader.line_num + 1
    path = scratch / "acled.csv"
    path.write_bytes(text.encode("utf-8"))
    original = csvfile.BLOCK_BYTES
    csvfile.BLOCK_BYTES = block or original
    try:
        result = read_event_file(path)
    finally:
        csvfile.BLOCK_BYTES = original
    assert [p.feature for p in result.problems] == expected
    assert len(result.table) == sum(1 for _, bad, _ in rows if not bad)


SEEDS = [ACLED_BASIC.read_bytes(), ACLED_QUIRKS.read_bytes(), UCDP_SAMPLE.read_bytes()]
edits = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=20_000),
        st.integers(min_value=0, max_value=3),
        st.sampled_from([b'"', b",", b"\n", b"\r", b"\xff", b"#", b"0", b"-", b"\x00", b"\xc3", b""]),
    ),
    max_size=12,
)


def _check_outcome(path: Path) -> None:
    try:
        result = read_event_file(path)
    except (DataError, UsageError) as error:
        assert str(error)
        return
    assert result.rows_read == result.rows_skipped + len(result.table)
    assert tuple(result.table.columns[: len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    assert all(p.feature.startswith("line ") for p in result.problems)
    assert set(result.table["category"]) <= set(BY_ID)
    assert not result.table["id"].duplicated().any()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), changes=edits)
def test_mutated_files_give_a_clean_report_or_a_data_error(scratch, seed, changes):
    data = bytearray(seed)
    for position, removed, inserted in changes:
        position %= len(data) + 1
        data[position : position + removed] = inserted
    path = scratch / "mutated.csv"
    path.write_bytes(bytes(data))
    _check_outcome(path)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400))
def test_garbage_gives_a_clean_report_or_a_data_error(scratch, data):
    path = scratch / "garbage.csv"
    path.write_bytes(data)
    _check_outcome(path)


# Values around the fixed widths the fast reader tries (csvfile.FIRST_WIDTH and on, up to
# csvfile.FIXED_WIDTH), with characters of one to four bytes, commas, quotes and line breaks.
FIELD_TEXT = st.text(alphabet=st.sampled_from(["a", "7", " ", ",", '"', "\n", "é", "€", "😀"]), max_size=40)
SIZES = [0, 1, 7, 8, 9, 15, 16, 17, 24, 25, 127, 128, 129, 300]
SIZED = ["sized", "coded", "short", "wide"]


def _read_all(path: Path, *, slow: bool) -> tuple[pd.DataFrame, list[int]]:
    """Every chunk's columns SIZED joined, and the rows' lines; each chunk's codes checked."""
    frames, lines = [], []
    for chunk in CsvReader(path).chunks(SIZED, slow=slow, coded=("coded",)):
        for name, (codes, values) in chunk.codes.items():
            assert values[codes].tolist() == chunk.frame[name].tolist()
            assert np.bincount(codes, minlength=len(values)).all()
        frames.append(chunk.frame)
        lines += chunk.lines.tolist()
    return pd.concat(frames, ignore_index=True), lines


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(SIZES), st.sampled_from("xé"), FIELD_TEXT, FIELD_TEXT),
        min_size=1,
        max_size=40,
    ),
    block=st.sampled_from([64, 400, 1 << 20]),
)
def test_fixed_width_columns_read_as_the_same_text(scratch, rows, block):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SIZED)
    for size, char, short, wide in rows:
        writer.writerow([char * size, short[:3], short, wide * 5])
    path = scratch / "sized.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    original = csvfile.BLOCK_BYTES
    csvfile.BLOCK_BYTES = block
    try:
        fast, fast_lines = _read_all(path, slow=False)
    finally:
        csvfile.BLOCK_BYTES = original
    slow, slow_lines = _read_all(path, slow=True)
    pd.testing.assert_frame_equal(fast, slow)
    assert fast_lines == slow_lines


@pytest.mark.parametrize("path", [ACLED_BASIC, ACLED_BAD, UCDP_SAMPLE, UCDP_BAD])
def test_values_whose_hashes_collide_are_told_apart(monkeypatch, path):
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 300)  # later blocks read wider columns
    whole = read_event_file(path)
    monkeypatch.setattr(csvfile, "_MIX", np.uint64(0))  # every value of two words or more hashes to 0
    collided = read_event_file(path)
    assert collided.problems == whole.problems
    pd.testing.assert_frame_equal(collided.table, whole.table)


@pytest.mark.parametrize("column", ["iso", "event_date", "notes"])
def test_text_that_is_not_utf8_in_a_short_or_a_long_column_is_a_data_error(tmp_path, column):
    with open(ACLED_BASIC, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(column)
    rows[3][index] = "CAFE" + rows[3][index]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    path = tmp_path / "latin1.csv"
    path.write_bytes(text.getvalue().encode("utf-8").replace(b"CAFE", b"Caf\xe9"))
    with pytest.raises(DataError) as caught:
        read_event_file(path)
    [problem] = caught.value.problems
    assert problem.feature == "line 4"
    assert "not UTF-8" in problem.message and "b'\\xe9'" in problem.message


# -- red-team regressions (issue 12) --------------------------------------------------------


def _acled_rows() -> tuple[str, list[list[str]]]:
    lines = ACLED_BASIC.read_text(encoding="utf-8").splitlines()
    return lines[0], [next(csv.reader([line])) for line in lines[1:]]


def _write_rows(path: Path, header: str, rows: list[list[str]], quote_all: bool = False) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    path.write_text(header + "\n" + out.getvalue(), encoding="utf-8")
    return path


NOTES = HEADER.index("notes")


@pytest.mark.parametrize("block", [None, 200, 1000])
@pytest.mark.parametrize("note", ['a "quoted" word', 'one stray " quote', 'ends with a quote"', '5" shell'])
def test_a_stray_quote_in_an_unquoted_field_is_a_literal_character(tmp_path, monkeypatch, note, block):
    header, rows = _acled_rows()
    rows = rows[:6]
    rows[1][NOTES] = "PLACEHOLDER"
    path = _write_rows(tmp_path / "stray.csv", header, rows)
    # The note goes in unquoted, as a hand-edited file has it.
    path.write_text(path.read_text(encoding="utf-8").replace("PLACEHOLDER", note), encoding="utf-8")
    if block:
        monkeypatch.setattr(csvfile, "BLOCK_BYTES", block)
    with open(path, newline="", encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == 7  # Python's csv reads all six rows
    assert len(pd.read_csv(path)) == 6  # and so does pandas
    result = read_event_file(path)
    assert (result.rows_read, result.rows_skipped, result.problems) == (6, 0, [])
    assert row(result, "acled:" + rows[1][0])["summary"] == note


def test_a_stray_quote_does_not_swallow_a_large_file(tmp_path):
    header, rows = _acled_rows()
    many = []
    for number in range(329):
        fields = list(rows[number % len(rows)])
        fields[0] = f"PAK{700000 + number}"
        fields[NOTES] = f"note {number}"
        many.append(fields)
    many[1][NOTES] = "STRAY"
    many[200][NOTES] = "first line\nsecond line"  # a quoted multi-line note after the stray quote
    path = _write_rows(tmp_path / "acled_329.csv", header, many)
    path.write_text(path.read_text(encoding="utf-8").replace("STRAY", 'the "big one'), encoding="utf-8")
    result = read_event_file(path)
    assert (result.rows_read, result.rows_skipped, len(result.table)) == (329, 0, 329)
    assert row(result, "acled:PAK700200")["summary"] == "first line\nsecond line"


def test_an_unclosed_quote_after_a_stray_one_is_still_reported(tmp_path):
    header, rows = _acled_rows()
    rows = rows[:3]
    rows[0][NOTES] = "STRAY"
    path = _write_rows(tmp_path / "both.csv", header, rows)
    text = path.read_text(encoding="utf-8").replace("STRAY", 'a 5" shell')
    lines = text.splitlines()
    lines[2] = lines[2].replace(rows[1][NOTES], '"never closed')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_event_file(path)
    assert where(result.problems) == [("line 3", "")]
    assert "never closed, so lines 3-4 could not be read" in result.problems[0].message
    assert (result.rows_read, result.rows_skipped, len(result.table)) == (2, 1, 1)


def _with_column(source: Path, column: str, values: list[str], path: Path) -> Path:
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(column)
    for fields, value in zip(rows[1:], values, strict=False):
        fields[index] = value
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


ABSURD = ["inf", "Infinity", "1e400", "NaN", "-inf", "9223372036854775808"]


@pytest.mark.parametrize(
    ("source", "column"),
    [
        (ACLED_BASIC, "iso"),
        (ACLED_BASIC, "inter1"),
        (ACLED_BASIC, "inter2"),
        (ACLED_BASIC, "fatalities"),
        (UCDP_SAMPLE, "country_id"),
        (UCDP_SAMPLE, "best"),
        (UCDP_SAMPLE, "low"),
    ],
)
def test_non_finite_and_absurd_numbers_in_code_and_count_columns_are_row_problems(tmp_path, source, column):
    path = _with_column(source, column, ABSURD, tmp_path / f"absurd_{column}.csv")
    result = read_event_file(path)
    bad = [p for p in result.problems if p.field == column]
    assert len(bad) == len(ABSURD)
    assert all(p.message.startswith("expected ") for p in bad)
    assert [p.message.rpartition("got ")[2] for p in bad] == [repr(value) for value in ABSURD]
    assert result.rows_read == result.rows_skipped + len(result.table)
    with pytest.raises(DataError):
        read_event_file(path, strict=True)


def test_a_fatality_count_of_2_to_the_63_fails_strict_instead_of_reading_as_unknown(tmp_path):
    path = _with_column(ACLED_BASIC, "fatalities", [str(2**63)], tmp_path / "huge.csv")
    with pytest.raises(DataError) as caught:
        read_event_file(path, strict=True)
    assert where(caught.value.problems) == [("line 2", "fatalities")]
    assert "from 0 to 10,000,000" in caught.value.problems[0].message
    largest = _with_column(ACLED_BASIC, "fatalities", ["10000000"], tmp_path / "largest.csv")
    assert row(read_event_file(largest, strict=True), "acled:PAK90001")["figures"][0]["value"] == 10_000_000


def test_a_header_field_over_the_csv_field_limit_is_a_clean_report(tmp_path):
    path = tmp_path / "long_header.csv"
    path.write_text("x" * 131_073 + "\n1\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_event_file(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.feature) == ("long_header.csv", "line 1")
    assert "field larger than field limit" in problem.message


def test_a_header_of_many_columns_is_refused_with_short_names(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join("c" * 50 + str(n) for n in range(5000)) + "\n1\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_event_file(path)
    [problem] = caught.value.problems
    assert "matches none of the known event formats" in problem.message
    assert len(problem.message) < 1000


def test_a_header_that_never_ends_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfile, "MAX_HEADER_BYTES", 2 << 20)
    path = tmp_path / "one_line.csv"
    path.write_bytes(b"a," * (2 << 20))
    with pytest.raises(DataError, match="does not end within the first 2 MB"):
        read_event_file(path)


def test_a_huge_field_reads_the_same_on_the_fast_and_the_slow_path(tmp_path):
    header, rows = _acled_rows()
    rows[0][NOTES] = "y" * 300_000
    fast = read_event_file(_write_rows(tmp_path / "fast.csv", header, rows))
    rows[1][NOTES] = "STRAY"
    slow_path = _write_rows(tmp_path / "slow.csv", header, rows)
    slow_path.write_text(slow_path.read_text(encoding="utf-8").replace("STRAY", 'a "stray'), encoding="utf-8")
    slow = read_event_file(slow_path)
    assert (fast.rows_skipped, slow.rows_skipped) == (0, 0)
    assert row(fast, "acled:PAK90001")["summary"] == row(slow, "acled:PAK90001")["summary"] == "y" * 300_000
    assert csv.field_size_limit() == 131_072  # the slow reader put the csv module back as it was


def test_paths_that_are_not_readable_files_are_reported(tmp_path):
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo)
    for path, expected in [
        (tmp_path / "missing.csv", "No such file or directory"),
        (tmp_path, "is a folder"),
        (fifo, "not a regular file"),
        (Path("/dev/zero"), "not a regular file"),
    ]:
        with pytest.raises(DataError) as caught:
            read_event_file(path)
        [problem] = caught.value.problems
        assert problem.file == path.name
        assert expected in problem.message


# -- import policy: reports, wording, aggregation -------------------------------------------


@pytest.fixture(scope="module")
def valid_dataset():
    from geo.loader import load_dataset
    from tests.conftest import VALID_DIR

    return load_dataset(VALID_DIR)


def test_each_source_gets_a_report_with_exact_counts(valid_dataset):
    from geo.importing import import_events

    bad, ged = import_events([ACLED_BAD, UCDP_SAMPLE], valid_dataset)
    assert bad.report.summary() == "imported 3 rows from acled_bad_rows.csv (10 skipped)"
    assert (bad.report.rows_read, bad.report.rows_imported, bad.report.rows_skipped) == (13, 3, 10)
    assert len(bad.report.problems) == 11
    assert ged.report.summary() == "imported 9 rows from GEDEvent_v24_1_sample.csv (0 skipped)"
    assert [str(notice) for notice in ged.report.notices] == [
        str(n) for n in read_event_file(UCDP_SAMPLE).notices
    ]


def test_report_wording_follows_the_caller(valid_dataset):
    from geo.importing import import_events

    [source] = import_events([ACLED_BAD], valid_dataset)
    api, cli = "\n".join(source.report.warnings("api")), "\n".join(source.report.warnings("cli"))
    assert "rebuild with aggregate=True" in api and "--" not in api
    assert "rebuild with --aggregate" in cli and "aggregate=True" not in cli


def test_skipped_problems_beyond_those_listed_name_the_strict_option(tmp_path, valid_dataset):
    from geo.importing import SHOWN_PROBLEMS, import_events

    header, rows = _acled_rows()
    many = []
    for number in range(SHOWN_PROBLEMS + 5):
        fields = list(rows[0])
        fields[0], fields[1] = f"PAK{600000 + number}", "never"
        many.append(fields)
    [source] = import_events([_write_rows(tmp_path / "dates.csv", header, many)], valid_dataset)
    skipped = source.report.warnings("api")[0]
    assert skipped.endswith("… and 5 more problems (use strict=True to list them all)")
    assert source.report.warnings("cli")[0].endswith("(use --strict to list them all)")


def test_an_import_of_zero_rows_is_a_warning_that_says_so(tmp_path, valid_dataset):
    from geo.importing import import_events

    header_only = tmp_path / "header_only.csv"
    header_only.write_text(ACLED_BASIC.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    header, rows = _acled_rows()
    rows[0][1] = "never"
    all_bad = _write_rows(tmp_path / "all_bad.csv", header, rows[:1])
    empty, bad = import_events([header_only, all_bad], valid_dataset)
    assert empty.report.warnings() == ["header_only.csv: no events imported: it has no data rows"]
    assert "all_bad.csv: no events imported: all 1 rows were skipped" in bad.report.warnings()


def test_aggregate_counts_two_files_of_the_same_province_and_month_together(tmp_path, valid_dataset):
    from geo.importing import import_events
    from geo.table import combine_tables

    header, rows = _acled_rows()
    first = _write_rows(tmp_path / "first.csv", header, rows[:1])
    other = list(rows[0])
    other[0] = "PAK99999"
    second = _write_rows(tmp_path / "second.csv", header, [other])
    sources = import_events([first, second], valid_dataset, aggregate=True)
    combined = combine_tables([source.table for source in sources])  # no duplicate id
    assert len(combined) == 1
    assert combined["title"][0].startswith("2 ACLED events (Armed clash)")
    assert [source.report.rows_imported for source in sources] == [1, 1]
    assert not any(source.report.raw_restricted_rows for source in sources)


def test_the_same_event_in_two_files_is_reported_naming_both(tmp_path, valid_dataset):
    from geo.importing import import_events

    for aggregate in (False, True):
        with pytest.raises(DataError) as caught:
            import_events(
                [ACLED_BASIC, _copy(ACLED_BASIC, tmp_path / "again.csv")], valid_dataset, aggregate=aggregate
            )
        assert len(caught.value.problems) == 7
        assert {p.file for p in caught.value.problems} == {"again.csv"}
        assert all("acled_basic.csv already has this event" in p.message for p in caught.value.problems)


def _copy(source: Path, path: Path) -> Path:
    path.write_bytes(source.read_bytes())
    return path
