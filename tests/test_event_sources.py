"""Events from people's own spreadsheets (the simple schema), DataFrames and build_map(events=...)."""

from __future__ import annotations

import csv
import math
import warnings
from pathlib import Path
from typing import ClassVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

from geo.dates import day_number
from geo.errors import DataError, UsageError
from geo.importers import FORMATS, Importer, SourceFacts, detect_format, read_event_file, read_event_frame
from geo.importers import registry as registry_module
from geo.importers.checks import RowChecks
from geo.importers.csvfile import CsvChunk
from geo.importers.factors import coded_constant
from geo.importers.result import ConvertedChunk, SourceInfo
from geo.importing import EventImportWarning, EventSourceError, event_sources
from geo.table import EVENT_COLUMNS
from tests.conftest import REPO, VALID_DIR
from tests.test_importers import ACLED_BASIC, UCDP_SAMPLE

TEMPLATE = REPO / "data" / "events_template.csv"
HEADER = "date,title,latitude,longitude"


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def by_id(table: pd.DataFrame, event_id: str) -> dict[str, object]:
    return table[table["id"] == event_id].iloc[0].to_dict()


# -- the simple schema ----------------------------------------------------------------------


def test_the_template_imports_cleanly_in_every_precision():
    assert detect_format(TEMPLATE) == "simple"
    result = read_event_file(TEMPLATE, strict=True)
    assert (result.rows_read, result.rows_skipped, result.notices) == (3, 0, [])
    table = result.table
    assert tuple(table.columns[: len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    torkham = by_id(table, "2025-03-03-example-fire-exchanged-at-torkham")
    assert (torkham["precision_kind"], torkham["radius_km"], torkham["country"]) == ("radius", 2.0, "AFG;PAK")
    assert (torkham["date"], torkham["date_precision"], torkham["category"]) == (
        "2025-03-03",
        "day",
        "armed_clash",
    )
    assert torkham["orig:link"] == "https://www.example.org/your-source"
    paktika = by_id(table, "2024-12-example-air-strikes-in-paktika")
    assert (paktika["precision_kind"], paktika["area"], paktika["area_ref"]) == ("area", "Paktika", "AF-PKA")
    assert math.isnan(paktika["radius_km"])
    assert paktika["category"] == "air_strike"  # given by its label
    assert (paktika["start_day"], paktika["end_day"]) == (
        day_number(pd.Timestamp("2024-12-01").date()),
        day_number(pd.Timestamp("2024-12-31").date()),
    )
    war = by_id(table, "example-civil-war")
    assert (war["date"], war["end_date"], war["date_precision"], war["area_ref"]) == (
        "1989",
        "1999",
        "year",
        "AFG",
    )
    assert war["end_day"] == day_number(pd.Timestamp("1999-12-31").date())
    assert set(table["dataset"]) == {"own events"}
    assert result.source.countries == ("AFG", "PAK")


def test_three_rows_with_only_the_required_columns(tmp_path):
    path = write(
        tmp_path / "my_events.csv",
        "Title,Date,Longitude,Latitude",
        "Road blocked at Torkham,2025-02-21,71.08472,34.11472",
        "Meeting in Kabul,2024-12,69.2075,34.5553",
        "Meeting in Kabul,2024-12,69.2075,34.5553",
    )
    result = read_event_file(path)
    assert list(result.table["id"]) == [
        "2025-02-21-road-blocked-at-torkham",
        "2024-12-meeting-in-kabul",
        "2024-12-meeting-in-kabul-2",
    ]
    assert set(result.table["precision_kind"]) == {"exact"}
    assert set(result.table["category"]) == {"strategic_development"}
    assert set(result.table["source"]) == {"events file my_events.csv"}
    again = read_event_file(path)
    assert list(again.table["id"]) == list(result.table["id"])  # generated ids are stable


def test_bad_rows_name_line_column_and_what_was_expected(tmp_path):
    path = write(
        tmp_path / "bad.csv",
        "date,end_date,title,latitude,longitude,category,precision_km,area,url,id,country",
        "2024-12-25,,Fine,34.5,69.2,,,,,ok,AFG",
        "25/12/2024,,Day first,34.5,69.2,,,,,a,",
        "2024-12-25,2024-12-01,Ends before it starts,34.5,69.2,,,,,b,",
        "2024-12-25,,,34.5,69.2,,,,,c,",
        "2024-12-25,,Swapped,69.2,34.5,,,,,d,AFG",
        "2024-12-25,,Unknown category,34.5,69.2,riot,,,,e,",
        "2024-12-25,,Both,34.5,69.2,,5,Paktika,,f,",
        "2024-12-25,,Zero radius,34.5,69.2,,0,,,g,",
        "2024-12-25,,Link,34.5,69.2,,,,javascript:alert(1),h,",
        "2024-12-25,,Again,34.5,69.2,,,,,ok,",
        "2024-12-25,,Atlantis,34.5,69.2,,,,,i,Atlantis",
    )
    result = read_event_file(path)
    assert [(p.feature, p.field) for p in result.problems] == [
        ("line 3", "date"),
        ("line 4", "end_date"),
        ("line 5", "title"),
        ("line 6", "latitude"),
        ("line 7", "category"),
        ("line 8", "precision_km"),
        ("line 9", "precision_km"),
        ("line 10", "url"),
        ("line 11", "id"),
    ]
    messages = {p.feature: p.message for p in result.problems}
    assert messages["line 3"] == (
        "expected an ISO 8601 date at year, month or day precision ('2024', '2024-12' or "
        "'2024-12-25'), got '25/12/2024'"
    )
    assert messages["line 7"].startswith("expected a category id or label (armed_clash, ")
    assert messages["line 11"] == "duplicate id 'ok': already used on line 2; expected each event once"
    assert list(result.table["id"]) == ["ok", "i"]
    assert [(n.feature, n.field) for n in result.notices] == [("line 12", "country")]
    with pytest.raises(DataError):
        read_event_file(path, strict=True)


def test_a_spreadsheet_saved_with_semicolons_gets_a_hint(tmp_path):
    path = write(tmp_path / "excel.csv", "date;title;latitude;longitude", "2025-01-01;A;34.5;69.2")
    with pytest.raises(DataError) as caught:
        read_event_file(path)
    assert caught.value.problems[0].message.endswith(
        "the columns look separated by ';': save the sheet as CSV with commas"
    )


def test_an_excel_csv_with_a_byte_order_mark_and_crlf_reads(tmp_path):
    path = tmp_path / "excel_utf8.csv"
    path.write_bytes(b"\xef\xbb\xbfDate,Title,Latitude,Longitude\r\n2025-01-01,A,34.5,69.2\r\n")
    result = read_event_file(path)
    assert list(result.table["id"]) == ["2025-01-01-a"]


def test_a_time_after_a_full_date_is_ignored_and_a_date_column_of_a_frame_reads_as_days():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-12-25", "2025-01-03"]),
            "title": ["A", "B"],
            "latitude": [34.5, 34.6],
            "longitude": [69.2, 69.3],
        }
    )
    result = read_event_frame(frame, "sheet")
    assert list(result.table["date"]) == ["2024-12-25", "2025-01-03"]
    assert list(result.table["date_precision"]) == ["day", "day"]


# -- DataFrames -----------------------------------------------------------------------------


@pytest.mark.parametrize("source", [ACLED_BASIC, UCDP_SAMPLE])
def test_a_dataframe_of_an_export_imports_like_the_file(source):
    from_file = read_event_file(source)
    frame = pd.read_csv(source)  # pandas' own dtypes: ints, floats, NaN for empty cells
    from_frame = read_event_frame(frame, source.name)
    assert from_frame.rows_read == from_file.rows_read
    columns = [c for c in from_file.table.columns if c != "source"]
    pd.testing.assert_frame_equal(from_frame.table[columns], from_file.table[columns])
    assert [(p.field, p.message) for p in from_frame.notices] == [
        (p.field, p.message) for p in from_file.notices
    ]


def test_dataframe_problems_name_rows_by_position():
    frame = pd.read_csv(ACLED_BASIC, dtype=str, keep_default_na=False)
    frame.loc[2, "event_date"] = "soon"
    result = read_event_frame(frame, "events[0]")
    assert [(p.file, p.feature, p.field) for p in result.problems] == [("events[0]", "row 2", "event_date")]


def test_a_geodataframe_gives_its_points_in_wgs84():
    frame = gpd.GeoDataFrame(
        {"date": ["2025-03-03", "2024-12", "2024"], "title": ["Point", "Polygon", "Missing"]},
        geometry=[
            Point(71.08472, 34.11472),
            Polygon([(69, 32), (70, 32), (70, 33)]),
            None,
        ],
        crs="EPSG:4326",
    ).to_crs("EPSG:3857")
    result = read_event_frame(frame, "gdf")
    [kept] = result.table.to_dict("records")
    assert kept["lon"] == pytest.approx(71.08472) and kept["lat"] == pytest.approx(34.11472)
    messages = {p.feature: p.message for p in result.problems if p.field == "latitude"}
    assert (
        messages["row 1"] == "expected a latitude in decimal degrees, got 'a Polygon geometry, not a Point'"
    )
    assert messages["row 2"] == "expected a latitude in decimal degrees, got ''"


def test_a_frame_without_a_known_header_is_a_data_error():
    with pytest.raises(DataError, match="matches none of the known event formats"):
        read_event_frame(pd.DataFrame({"name": ["x"]}), "events[0]")
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        read_event_frame([1, 2], "x")  # type: ignore[arg-type]


# -- what build_map(events=...) accepts -----------------------------------------------------


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ("events.csv", "got a single str 'events.csv': put it in a list, e.g. events=['events.csv']"),
        (Path("events.csv"), "got a single PosixPath 'events.csv'"),
        (pd.DataFrame(), "got a single DataFrame df: put it in a list, e.g. events=[df]"),
        ([b"events.csv"], "events[0] is a bytes"),
        ([42], "events[0] is a int"),
        (7, "got int"),
    ],
)
def test_events_that_are_not_a_list_of_sources_are_refused(events, message):
    with pytest.raises(EventSourceError) as caught:
        event_sources(events)
    assert message in str(caught.value)
    assert "paths (str or pathlib.Path) of CSV or GeoJSON event files, pandas DataFrames" in str(caught.value)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, UsageError)


def test_no_events_is_an_empty_list_or_none():
    assert event_sources(None) == event_sources(()) == []


def test_build_options_event_files_take_frames_too():
    from geo.build import BuildOptions, build_map

    frame = pd.read_csv(TEMPLATE)
    fmap = build_map(VALID_DIR, BuildOptions(event_files=(frame,)))  # type: ignore[arg-type]
    assert fmap.import_reports[0].summary() == "imported 3 rows from events[0] (0 skipped)"


def test_build_map_takes_files_and_frames_and_warns_in_api_terms(tmp_path):
    from geo.build import build_map

    own = pd.read_csv(TEMPLATE)
    with pytest.warns(EventImportWarning) as caught:
        fmap = build_map(VALID_DIR, events=[ACLED_BASIC, own, str(UCDP_SAMPLE)])
    text = "\n".join(str(w.message) for w in caught)
    assert "imported 7 rows from acled_basic.csv (0 skipped)" in text
    assert "rebuild with aggregate=True" in text and "--aggregate" not in text
    assert [report.summary() for report in fmap.import_reports] == [
        "imported 7 rows from acled_basic.csv (0 skipped)",
        "imported 3 rows from events[1] (0 skipped)",
        "imported 9 rows from GEDEvent_v24_1_sample.csv (0 skipped)",
    ]
    with pytest.raises(EventSourceError):
        build_map(VALID_DIR, events=str(TEMPLATE))  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quiet = build_map(VALID_DIR, events=[TEMPLATE])  # nothing to warn about: no warning
    assert quiet.import_reports[0].summary() == "imported 3 rows from events_template.csv (0 skipped)"


def test_the_cli_takes_the_simple_schema(tmp_path, capsys, caplog):
    from tests.conftest import run_cli

    output = tmp_path / "map.html"
    with caplog.at_level("INFO", logger="frontier_map"):
        code, _, err = run_cli(capsys, "--data", VALID_DIR, "--events", TEMPLATE, "-o", output)
    assert code == 0, err
    assert "imported 3 rows from events_template.csv (0 skipped)" in caplog.messages
    assert "Example: fire exchanged at Torkham" in output.read_text(encoding="utf-8")


# -- the importer contract ------------------------------------------------------------------


class _Sightings(Importer):
    """A minimal format, as a new source module would define it."""

    name = "sightings"
    dataset = "Sightings"
    label = "a sightings list (sighting_id, seen_on, lat, lon)"
    signature = frozenset({"sighting_id", "seen_on", "lat", "lon"})
    min_signature = 4
    required: ClassVar[tuple[str, ...]] = ("sighting_id", "seen_on", "lat", "lon")
    optional: ClassVar[tuple[str, ...]] = ()
    id_column = "sighting_id"
    id_prefix = "seen:"

    def convert(self, chunk: CsvChunk) -> ConvertedChunk:
        frame, size = chunk.frame, len(chunk.lines)
        check = RowChecks(self.file, chunk.lines, chunk.unit)
        lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=np.float64)
        check.fail(np.isnan(lat), "lat", lambda i: "expected a latitude")
        keep = ~check.bad
        ids = ("seen:" + frame["sighting_id"]).to_numpy(dtype=object)
        day = pd.to_datetime(frame["seen_on"]).to_numpy().astype("datetime64[D]").astype(np.int64)
        text = frame["seen_on"].to_numpy(dtype=object)
        columns = {name: coded_constant(size, "") for name in EVENT_COLUMNS}
        columns.update(
            id=ids,
            title=np.full(size, "A sighting", dtype=object),
            date=text,
            date_precision=coded_constant(size, "day"),
            start_day=day,
            end_day=day,
            category=coded_constant(size, "strategic_development"),
            lon=pd.to_numeric(frame["lon"]).to_numpy(dtype=np.float64),
            lat=lat,
            precision_kind=coded_constant(size, "exact"),
            radius_km=np.full(size, np.nan),
            figures=coded_constant(size, []),
            claims=coded_constant(size, []),
            notes=coded_constant(size, []),
            dataset=coded_constant(size, self.dataset),
        )
        return ConvertedChunk(
            rows=size,
            columns={
                name: value if not isinstance(value, np.ndarray) else value[keep]
                for name, value in columns.items()
            }
            | {
                name: type(value)(value.codes[keep], value.values)
                for name, value in columns.items()
                if not isinstance(value, np.ndarray)
            },
            lines=chunk.lines[keep],
            ids=ids,
            id_lines=chunk.lines,
            problems=check.problems,
            notices=check.notices,
        )

    def source(self, facts: SourceFacts, access_date: str) -> SourceInfo:
        return SourceInfo(
            dataset=self.dataset,
            dataset_name="Sightings",
            file_name=facts.file_name,
            rows=facts.rows,
            date_first=facts.date_first,
            date_last=facts.date_last,
            countries=facts.countries,
            event_types=facts.event_types,
            filters=(),
            version="",
            access_date=access_date,
            access_date_origin="",
            citation="",
            license="",
            url="",
            redistribution_allowed=True,
        )

    @classmethod
    def attribution(cls, source: SourceInfo, aggregated: str | None) -> str:
        return f"Sightings from {source.file_name}"


def test_a_new_format_is_one_class_and_one_registry_entry(tmp_path, monkeypatch):
    from geo.importers import attribution_text

    monkeypatch.setattr(registry_module, "FORMATS", (*FORMATS, _Sightings))
    from geo.importers import reader

    monkeypatch.setattr(reader, "FORMATS", registry_module.FORMATS)
    path = write(
        tmp_path / "sightings.csv",
        "sighting_id,seen_on,lat,lon",
        "1,2024-12-25,34.5,69.2",
        "2,2024-12-26,north,69.2",
        "1,2024-12-27,34.5,69.2",
    )
    assert detect_format(path) == "sightings"
    result = read_event_file(path)
    assert list(result.table["id"]) == ["seen:1"]
    assert [(p.feature, p.field) for p in result.problems] == [("line 3", "lat"), ("line 4", "sighting_id")]
    assert "duplicate id '1'" in result.problems[1].message
    assert attribution_text(result.source) == "Sightings from sightings.csv"


def test_every_registered_format_keeps_the_contract():
    names = [importer.name for importer in FORMATS]
    assert len(set(names)) == len(names)
    for importer in FORMATS:
        assert importer.signature <= set(importer.required) | set(importer.optional), importer.name
        assert importer.min_signature <= len(importer.signature)
        assert set(importer.coded) <= set(importer.required) | set(importer.optional)
        assert importer.id_column in importer.required + importer.optional
    with open(TEMPLATE, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    simple = next(importer for importer in FORMATS if importer.name == "simple")
    assert set(header) == set(simple.required) | set(simple.optional)
