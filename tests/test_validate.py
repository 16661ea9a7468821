"""The loader and validator against the contract in data/README.md.

Every file in tests/data/invalid/ carries one defect (its name says which) and is checked
in the context of tests/data/valid, both through ``make_map.py --check`` and through
``load_dataset``; the expected messages below are written from the contract, not copied
from the validator's output. Property-based tests then throw broken files of every
shape at the loader: it must answer with a DataError report, never another exception.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.cli import main
from geo.errors import DataError, Problem
from geo.loader import load_dataset
from geo.validate import check_file
from tests.conftest import INVALID_DIR, VALID_DIR, run_cli

VALID = VALID_DIR
INVALID = INVALID_DIR
VALID_FILES = ("border.geojson", "crossing.geojson", "events.geojson", "basemap/countries.geojson")
CATEGORY_IDS = (
    "armed_clash, territory_change, air_strike, explosion, attack_on_civilians, abduction, "
    "protest, strategic_development, diplomacy_policy, conflict_period"
)


@dataclass(frozen=True)
class Expect:
    """The one problem a fixture must produce.

    ``feature``: the feature's id, ``#index`` or "" for a file-level problem; ``field``:
    the dotted path or ""; ``says``: fragments the message must contain; ``never``:
    fragments it must not contain; ``events``: check the file with ``--events FILE``
    (its place makes it an events file) instead of as a ``--check FILE`` argument.
    """

    feature: str
    field: str
    says: tuple[str, ...]
    never: tuple[str, ...] = ()
    events: bool = False


EXPECTED: dict[str, Expect] = {
    # --- events: dates
    "events_date_precision_mismatch.geojson": Expect(
        "x-2014-12-school", "properties.date_precision", ("'day'", "given to the month")
    ),
    "events_unknown_date_precision.geojson": Expect(
        "x-1893-line", "properties.date_precision", ("year, month, day", "'decade'")
    ),
    "events_bad_iso_date.geojson": Expect(
        "x-2024-12-25-strike", "properties.date", ("'2024-02-30'", "day 30", "01-29")
    ),
    "events_date_not_iso.geojson": Expect(
        "x-2024-12-25-strike", "properties.date", ("'25 December 2024'", "not an ISO 8601 date")
    ),
    "events_date_month_13.geojson": Expect(
        "x-2014-12-school", "properties.date", ("'2014-13'", "month 13", "01-12")
    ),
    "events_date_year_zero.geojson": Expect(
        "x-1893-line", "properties.date", ("'0000'", "year 0000", "0001-9999")
    ),
    "events_date_trailing_newline.geojson": Expect(
        "x-1893-line", "properties.date", ("'1893\\n'", "not an ISO 8601 date")
    ),
    "events_missing_date.geojson": Expect("x-1893-line", "properties.date", ("not an ISO 8601 date", "YYYY")),
    "events_bad_end_date.geojson": Expect(
        "x-2025-03-03-firefight", "properties.end_date", ("'2025-03-32'", "day 32", "01-31")
    ),
    "events_end_before_start.geojson": Expect(
        "x-2025-03-03-firefight",
        "properties.end_date",
        ("'2025-03-02'", "before", "'2025-03-03'"),
    ),
    # --- events: text fields
    "events_missing_title.geojson": Expect("x-1893-line", "properties.title", ("non-empty text", "missing")),
    "events_blank_summary.geojson": Expect(
        "x-2025-03-03-firefight", "properties.summary", ("non-empty text", "'   '")
    ),
    "events_missing_place.geojson": Expect(
        "x-2014-12-school", "properties.place", ("non-empty text", "missing")
    ),
    "events_empty_placement_note.geojson": Expect(
        "x-2014-12-school", "properties.placement_note", ("expected text", "''")
    ),
    "events_notes_not_strings.geojson": Expect("x-2014-12-school", "properties.notes", ("list of strings",)),
    # --- events: category, country, layers
    "events_unknown_category.geojson": Expect(
        "x-2024-12-25-strike", "properties.category", (CATEGORY_IDS, "'drone_strike'")
    ),
    "events_category_not_text.geojson": Expect(
        "x-2024-12-25-strike", "properties.category", (CATEGORY_IDS, "['air_strike']")
    ),
    "events_bad_country_code.geojson": Expect(
        "x-2014-12-school", "properties.country", ("ISO 3166-1 alpha-3", "'PK'")
    ),
    "events_country_code_trailing_newline.geojson": Expect(
        "x-2014-12-school", "properties.country", ("ISO 3166-1 alpha-3", "'PAK\\n'")
    ),
    "events_country_not_in_basemap.geojson": Expect(
        "x-2024-12-25-strike",
        "properties.country",
        ("'IND'", "not in basemap/countries.geojson", "(69.3000, 32.7000)"),
    ),
    # (69.3, 32.7) is in the test AFG rectangle, 1.7 degrees of longitude (~159 km) west of
    # PAK, which starts at 71 E; its radius is 25 km, so 26 km are allowed.
    "events_outside_claimed_country.geojson": Expect(
        "x-2024-12-25-strike",
        "properties.country",
        ("(69.3000, 32.7000)", "km outside PAK", "allowed: 26 km"),
    ),
    # (-110, -33) is the antipode of (70, 33), inside the AFG rectangle: ~20,000 km away.
    "events_at_antipode_of_claimed_country.geojson": Expect(
        "x-1893-line", "properties.country", ("(-110.0000, -33.0000)", "km outside AFG")
    ),
    "events_unknown_layer_ref.geojson": Expect(
        "x-2024-12-25-strike",
        "properties.layers",
        ("unknown layer 'no-such-layer'", "border, crossing"),
    ),
    "events_layers_not_a_list.geojson": Expect(
        "x-1893-line", "properties.layers", ("list of strings", "'border'")
    ),
    # --- events: location precision
    "events_bad_precision_radius.geojson": Expect(
        "x-2014-12-school", "properties.location_precision.radius_km", ("(0, 2000]", "-3")
    ),
    "events_unknown_precision_type.geojson": Expect(
        "x-2014-12-school",
        "properties.location_precision.type",
        ("'exact', 'radius' or 'area'", "'approximate'"),
    ),
    "events_area_precision_missing_area.geojson": Expect(
        "x-1893-line", "properties.location_precision.area", ("name of the area",)
    ),
    "events_bad_area_ref.geojson": Expect(
        "x-1893-line",
        "properties.location_precision.area_ref",
        ("feature id", "'all of Afghanistan'"),
    ),
    "events_unknown_area_ref.geojson": Expect(
        "x-1893-line", "properties.location_precision.area_ref", ("'AF-XYZ'", "not the id")
    ),
    # --- events: figures, claims, source
    "events_figure_value_not_integer.geojson": Expect(
        "x-2014-12-school", "properties.figures[0].value", ("whole number", "'130'")
    ),
    "events_figure_value_negative.geojson": Expect(
        "x-2014-12-school", "properties.figures[0].value", ("whole number >= 0", "-130")
    ),
    "events_figure_missing_reported_by.geojson": Expect(
        "x-2024-12-25-strike", "properties.figures[0].reported_by", ("non-empty text", "missing")
    ),
    "events_figure_qualifier_not_text.geojson": Expect(
        "x-2024-12-25-strike", "properties.figures[0].qualifier", ("expected text", "a number")
    ),
    "events_figure_not_an_object.geojson": Expect(
        "x-2014-12-school", "properties.figures[0]", ("expected an object", "a number")
    ),
    "events_figures_not_a_list.geojson": Expect(
        "x-2014-12-school", "properties.figures", ("expected a list", "an object")
    ),
    "events_claim_missing_by.geojson": Expect(
        "x-2024-12-25-strike", "properties.claims[1].by", ("non-empty text", "missing")
    ),
    "events_claim_empty_text.geojson": Expect(
        "x-2024-12-25-strike", "properties.claims[0].claim", ("non-empty text", "''")
    ),
    "events_claims_not_a_list.geojson": Expect(
        "x-2024-12-25-strike", "properties.claims", ("expected a list", "text")
    ),
    "events_source_not_an_object.geojson": Expect(
        "x-1893-line", "properties.source", ("'title' and 'section'", "text")
    ),
    "events_source_missing_title.geojson": Expect(
        "x-2025-03-03-firefight", "properties.source.title", ("non-empty text", "missing")
    ),
    "events_source_section_not_text.geojson": Expect(
        "x-2025-03-03-firefight", "properties.source.section", ("expected text", "a number")
    ),
    # --- events: feature structure
    "events_lon_lat_swapped.geojson": Expect(
        "x-1893-line", "geometry.coordinates", ("[33.0, 70.0]", "swapped", "[longitude, latitude]")
    ),
    "events_not_a_point.geojson": Expect("x-1893-line", "geometry.type", ("Point", "'LineString'")),
    "events_duplicate_id.geojson": Expect(
        "2014-12-school", "id", ("duplicate id '2014-12-school'", "events.geojson")
    ),
    "events_missing_feature_id.geojson": Expect("#0", "id", ("string id", "None")),
    "events_numeric_feature_id.geojson": Expect("#0", "id", ("string id", "1893")),
    "events_feature_wrong_type.geojson": Expect("x-1893-line", "type", ("'Feature'", "'feature'")),
    "events_properties_not_an_object.geojson": Expect(
        "x-1893-line", "properties", ("expected an object", "null")
    ),
    # Given with --events its place makes it an events file, whatever its header says.
    "events_declared_as_overlay.geojson": Expect("", "layer.role", ("'overlay'", "'events'"), events=True),
    # --- overlays: geometry
    "overlay_self_intersecting_polygon.geojson": Expect(
        "extra-area-polygon", "geometry", ("not valid", "Self-intersection")
    ),
    "overlay_unclosed_ring.geojson": Expect(
        "extra-area-polygon", "geometry.coordinates", ("not closed", "[70, 30]", "[70, 32]")
    ),
    "overlay_ring_too_few_positions.geojson": Expect(
        "extra-area-polygon", "geometry.coordinates", ("at least 4 positions", "got 3")
    ),
    "overlay_polygon_without_rings.geojson": Expect(
        "extra-area-polygon", "geometry.coordinates", ("MultiPolygon", "no rings")
    ),
    "overlay_linestring_single_position.geojson": Expect(
        "extra-border-line", "geometry.coordinates", ("at least 2 positions", "got 1")
    ),
    "overlay_multilinestring_short_line.geojson": Expect(
        "extra-border-line", "geometry.coordinates", ("MultiLineString", "at least 2 positions")
    ),
    # 95 is no latitude, but [95, 71] is not in the frontier either: no swap to suggest.
    "overlay_latitude_out_of_range.geojson": Expect(
        "extra-border-line",
        "geometry.coordinates",
        ("[71, 95]", "out of range", "latitude -90..90"),
        never=("swapped",),
    ),
    "overlay_longitude_out_of_range.geojson": Expect(
        "extra-border-line",
        "geometry.coordinates",
        ("[191, 37]", "out of range", "longitude -180..180"),
        never=("swapped",),
    ),
    "overlay_lon_lat_swapped.geojson": Expect(
        "extra-border-line", "geometry.coordinates", ("[29, 71]", "swapped")
    ),
    "overlay_position_not_a_pair.geojson": Expect(
        "extra-border-line", "geometry.coordinates", ("[longitude, latitude]", "[71.0]")
    ),
    "overlay_wrong_geometry_nesting.geojson": Expect(
        "extra-border-line",
        "geometry.coordinates",
        ("LineString", "[longitude, latitude]", "[[71, 29], [71, 37]]"),
    ),
    "overlay_coordinate_not_a_number.geojson": Expect(
        "extra-border-line", "geometry.coordinates", ("[longitude, latitude]", "[71, '29']")
    ),
    "overlay_empty_coordinates.geojson": Expect(
        "extra-border-line", "geometry.coordinates", ("LineString", "no positions")
    ),
    "overlay_geometry_collection.geojson": Expect(
        "extra-border-line", "geometry.type", ("MultiPolygon", "'GeometryCollection'")
    ),
    "overlay_missing_geometry.geojson": Expect("extra-border-line", "geometry", ("geometry object", "null")),
    # --- overlays: properties
    "overlay_missing_description.geojson": Expect(
        "extra-border-line", "properties.description", ("non-empty text", "missing")
    ),
    "overlay_missing_source.geojson": Expect(
        "extra-border-line", "properties.source", ("non-empty text", "missing")
    ),
    "overlay_missing_name.geojson": Expect(
        "extra-border-line", "properties.name", ("non-empty text", "missing")
    ),
    "overlay_missing_location_precision.geojson": Expect(
        "extra-border-line", "properties.location_precision", ("exact/radius/area", "null")
    ),
    "overlay_bad_names.geojson": Expect("extra-border-line", "properties.names", ("language code",)),
    "basemap_missing_name.geojson": Expect("XAF", "properties.name", ("non-empty text", "missing")),
    # --- overlays: ids across the folder
    "overlay_id_collides_with_other_file.geojson": Expect(
        "test-crossing", "id", ("duplicate id 'test-crossing'", "crossing.geojson")
    ),
    "overlay_duplicate_id_within_file.geojson": Expect(
        "extra-border-line", "id", ("duplicate id 'extra-border-line'",)
    ),
    "overlay_duplicate_layer_id.geojson": Expect(
        "", "layer.id", ("duplicate layer id 'border'", "border.geojson")
    ),
    # --- overlays: the file and its header
    "overlay_not_a_feature_collection.geojson": Expect("", "type", ("'FeatureCollection'", "'Feature'")),
    "overlay_top_level_array.geojson": Expect("", "", ("FeatureCollection", "a list")),
    "overlay_crs_member.geojson": Expect("", "crs", ("'crs'", "WGS84")),
    "overlay_features_not_a_list.geojson": Expect("", "features", ("list of features", "an object")),
    "overlay_feature_not_an_object.geojson": Expect("#0", "", ("Feature object", "text")),
    "overlay_missing_layer_header.geojson": Expect("", "layer", ("'layer' object", "null")),
    "overlay_bad_layer_id.geojson": Expect(
        "", "layer.id", ("lower-case letters, digits and '-'", "'Extra Border'")
    ),
    "overlay_missing_layer_title.geojson": Expect("", "layer.title", ("non-empty text", "missing")),
    "overlay_unknown_layer_role.geojson": Expect(
        "", "layer.role", ("overlay, basemap, events", "'background'")
    ),
    "overlay_layer_order_not_integer.geojson": Expect("", "layer.order", ("integer", "'3'")),
    "overlay_attribution_not_text.geojson": Expect("", "layer.attribution", ("expected text", "a list")),
    "overlay_bad_style.geojson": Expect("", "layer.style.color", ("expected a colour", "{'r': 139")),
    "overlay_style_css_injection.geojson": Expect(
        "", "layer.style.color", ("#rgb, #rrggbb or a CSS colour name", "background-image")
    ),
    "overlay_style_unknown_option.geojson": Expect(
        "", "layer.style.colour", ("unknown key 'colour'", "did you mean 'color'?")
    ),
    "overlay_style_weight_infinite.geojson": Expect("", "layer.style.weight", ("from 0 to 20", "inf")),
    "overlay_style_bad_dash_array.geojson": Expect("", "layer.style.dashArray", ("dash lengths", "url(y")),
    "overlay_layer_unknown_key.geojson": Expect(
        "", "layer.atribution", ("unknown key 'atribution'", "did you mean 'attribution'?")
    ),
    # --- overlays: status history
    "overlay_status_bad_status.geojson": Expect(
        "extra-border-line", "properties.status_history[1].status", ("lower-case word", "'closed;color:red'")
    ),
    "overlay_status_overlapping.geojson": Expect(
        "extra-border-line",
        "properties.status_history[1].from",
        ("time order without overlap", "'2025-02-10'"),
    ),
    "overlay_status_bad_date.geojson": Expect(
        "extra-border-line", "properties.status_history[0].to", ("'2025-02-30'", "day 30")
    ),
    "overlay_status_unknown_event.geojson": Expect(
        "extra-border-line",
        "properties.status_history[1].events",
        ("'no-such-event'", "not the id of an event"),
    ),
    # --- values no page can hold
    "overlay_property_nan.geojson": Expect(
        "extra-border-line", "properties.length_km", ("is nan", "no NaN or Infinity", "finite number")
    ),
    "events_title_lone_surrogate.geojson": Expect(
        "x-2014-12-school", "properties.title", ("lone surrogate '\\ud800'", "valid Unicode")
    ),
    # --- events: unknown keys (typos whose data would vanish)
    "events_misspelled_key.geojson": Expect(
        "x-2014-12-school", "properties.placment_note", ("did you mean 'placement_note'?",)
    ),
    "events_misspelled_figures.geojson": Expect(
        "x-2014-12-school", "properties.figurs", ("did you mean 'figures'?",)
    ),
    "events_figure_unknown_key.geojson": Expect(
        "x-2024-12-25-strike", "properties.figures[0].qualifer", ("did you mean 'qualifier'?",)
    ),
    "events_figure_value_too_large.geojson": Expect(
        "x-2014-12-school",
        "properties.figures[0].value",
        ("at most 9,007,199,254,740,991", "9007199254740992"),
    ),
    "events_repeated_key.geojson": Expect(
        "x-2014-12-school", "properties.summary", ("appears more than once", "only the last value")
    ),
    "events_json_null.geojson": Expect("", "", ("FeatureCollection object", "got null"), events=True),
    # --- overlays: unreadable files
    "overlay_invalid_json.geojson": Expect("", "", ("not valid JSON", "line 5")),
    "overlay_not_utf8.geojson": Expect("", "", ("not UTF-8",)),
    "overlay_nested_too_deeply.geojson": Expect("", "", ("not usable JSON", "nested too deeply")),
    "overlay_number_too_long.geojson": Expect("", "", ("not usable JSON", "digits")),
}

# several_defects.geojson: (feature, field, fragment) of each defect, all in one report.
SEVERAL = [
    ("x-1893-line", "properties.date", "'1893-02-30' has day 30"),
    ("x-2014-12-school", "properties.category", "'massacre'"),
    ("x-2024-12-25-strike", "geometry.coordinates", "swapped"),
    ("x-2025-03-03-firefight", "properties.end_date", "'2025-03-01' is before"),
    ("x-2014-12-school-2", "properties.layers", "unknown layer 'nowhere'"),
    ("#5", "id", "string id"),
    ("x-2024-12-25-strike-2", "properties.claims[0].by", "non-empty text"),
    ("x-2024-12-25-strike-3", "properties.country", "km outside PAK"),
]


def fixture_args(name: str) -> list[str]:
    path = str(INVALID / name)
    return ["--events", path] if EXPECTED[name].events else [path]


def load_fixture(name: str) -> None:
    path = INVALID / name
    if EXPECTED[name].events:
        load_dataset(VALID, extra_event_files=[path])
    else:
        load_dataset(VALID, replacements=[path])


def problem_line(problem_file: str, expect: Expect) -> str:
    """What the report's line starts with: file, then feature and field when there are any."""
    where = ", ".join(part for part in (expect.feature, expect.field) if part)
    return f"  - {problem_file}: {where}: " if where else f"  - {problem_file}: "


# ---------------------------------------------------------------- the fixtures


def test_every_fixture_has_an_expectation_and_a_readme_entry():
    files = {p.name for p in INVALID.glob("*.geojson")} - {"several_defects.geojson"}
    assert files == set(EXPECTED)
    readme = (INVALID / "README.md").read_text(encoding="utf-8")
    missing = [name for name in [*sorted(files), "several_defects.geojson"] if name not in readme]
    assert not missing, f"not described in tests/data/invalid/README.md: {missing}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gives_exactly_its_problem_through_the_loader(name):
    expect = EXPECTED[name]
    with pytest.raises(DataError) as info:
        load_fixture(name)
    problems = info.value.problems
    assert len(problems) == 1, info.value.report()
    (problem,) = problems
    assert problem.file == str(INVALID / name)
    assert (problem.feature, problem.field) == (expect.feature, expect.field), str(problem)
    for fragment in expect.says:
        assert fragment in problem.message, f"{fragment!r} not in {problem}"
    for fragment in expect.never:
        assert fragment not in problem.message, f"{fragment!r} in {problem}"


# Every fixture runs once through the loader (above); a few, one of each kind of path
# through the command (file-level, feature-level, --events, cross-file), run through it too.
THROUGH_THE_CLI = (
    "overlay_invalid_json.geojson",
    "events_bad_iso_date.geojson",
    "events_declared_as_overlay.geojson",
    "events_json_null.geojson",
    "overlay_style_css_injection.geojson",
    "overlay_status_unknown_event.geojson",
)


@pytest.mark.parametrize("name", THROUGH_THE_CLI)
def test_fixture_fails_the_check_command(name, capsys):
    expect = EXPECTED[name]
    code, out, err = run_cli(capsys, "--check", "--data", VALID, *fixture_args(name))
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "1 problem found in the input data:", err
    assert len(lines) == 2, err
    assert lines[1].startswith(problem_line(str(INVALID / name), expect)), err
    for fragment in expect.says:
        assert fragment in lines[1]
    for fragment in expect.never:
        assert fragment not in lines[1]


def test_several_defects_are_all_reported_at_once(capsys):
    path = INVALID / "several_defects.geojson"
    with pytest.raises(DataError) as info:
        load_dataset(VALID, replacements=[path])
    problems = info.value.problems
    assert len(problems) == len(SEVERAL), info.value.report()
    for feature, field, fragment in SEVERAL:
        assert any(
            (p.file, p.feature, p.field) == (str(path), feature, field) and fragment in p.message
            for p in problems
        ), f"no {feature}, {field}: …{fragment}… in\n{info.value.report()}"

    code, out, err = run_cli(capsys, "--check", "--data", VALID, path)
    assert code == 1
    assert out == ""
    assert err.startswith(f"{len(SEVERAL)} problems found in the input data:\n")
    for feature, field, fragment in SEVERAL:
        assert any(
            line.startswith(f"  - {path}: {feature}, {field}: ") and fragment in line
            for line in err.splitlines()
        ), f"{feature} {field} {fragment} missing from\n{err}"


def test_events_fixtures_add_to_the_folder_without_colliding():
    """Each events_* fixture declares the events role and, but for the duplicate, new ids."""
    valid_ids = {
        f["id"]
        for name in VALID_FILES
        for f in json.loads((VALID / name).read_text(encoding="utf-8"))["features"]
    }
    for path in sorted(INVALID.glob("events_*.geojson")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw is None:  # events_json_null: the file is the defect
            continue
        ids = {f.get("id") for f in raw["features"]}
        if path.name == "events_duplicate_id.geojson":
            assert ids & valid_ids == {"2014-12-school"}
        else:
            assert not ids & valid_ids, path.name
        if path.name != "events_declared_as_overlay.geojson":
            assert raw["layer"]["role"] == "events", path.name


# ---------------------------------------------------------------- the valid folder


def test_valid_folder_passes(capsys):
    code, out, err = run_cli(capsys, "--check", "--data", VALID)
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 1
    # 2 overlays, 1 basemap layer, 4 places (2 overlay + 2 countries), 4 events.
    assert lines[0].startswith("OK: 2 layers, 1 basemap layers, 4 features and 4 events")
    assert str(VALID) in lines[0]


def test_valid_folder_loads_every_record():
    dataset = load_dataset(VALID)
    assert {layer.id for layer in dataset.overlays} == {"border", "crossing"}
    assert [event.id for event in dataset.events] == [
        "1893-line",
        "2014-12-school",
        "2024-12-25-strike",
        "2025-03-03-firefight",
    ]
    assert dataset.events[3].countries == ("AFG", "PAK")
    assert dataset.events[2].figures[0].value == 46


# ---------------------------------------------------------------- replacing folder files


def copy_of(name: str, tmp_path: Path, rename: str | None = None) -> tuple[Path, Any]:
    """A parsed copy of a valid file and where to write it (named like the folder file)."""
    raw = json.loads((VALID / name).read_text(encoding="utf-8"))
    return tmp_path / (rename or Path(name).name), raw


def write(path: Path, raw: Any) -> Path:
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_replacement_takes_the_folder_files_place(tmp_path):
    path, raw = copy_of("border.geojson", tmp_path)
    del raw["features"][0]["properties"]["description"]
    with pytest.raises(DataError) as info:
        load_dataset(VALID, replacements=[write(path, raw)])
    # The folder's border.geojson is not read too: no duplicate ids, one problem.
    assert [(p.file, p.feature, p.field) for p in info.value.problems] == [
        (str(path), "test-border", "properties.description")
    ]


def test_unchanged_replacements_pass(tmp_path):
    files = [shutil.copy(VALID / name, tmp_path / Path(name).name) for name in VALID_FILES]
    dataset = load_dataset(VALID, replacements=[Path(f) for f in files])
    assert len(dataset.events) == 4
    assert {layer.id for layer in dataset.basemap} == {"countries"}


def test_replacing_events_keeps_the_events_role(tmp_path):
    """events.geojson is the events file by its place, whatever its header declares."""
    path = shutil.copy(INVALID / "events_declared_as_overlay.geojson", tmp_path / "events.geojson")
    with pytest.raises(DataError) as info:
        load_dataset(VALID, replacements=[Path(path)])
    (problem,) = info.value.problems
    assert (problem.file, problem.feature, problem.field) == (str(path), "", "layer.role")
    assert "'overlay'" in problem.message and "'events'" in problem.message


def test_replaced_countries_file_is_the_one_events_are_checked_against(tmp_path):
    path, raw = copy_of("basemap/countries.geojson", tmp_path)
    # Move PAK's west edge from 71 E to 73 E: the two events placed near 71 E that claim
    # PAK (radius 3 km and 2 km) now lie well over 100 km outside it.
    raw["features"][1]["geometry"]["coordinates"] = [[[73, 23], [78, 23], [78, 37], [73, 37], [73, 23]]]
    with pytest.raises(DataError) as info:
        load_dataset(VALID, replacements=[write(path, raw)])
    assert [(p.file, p.feature, p.field) for p in info.value.problems] == [
        ("events.geojson", "2014-12-school", "properties.country"),
        ("events.geojson", "2025-03-03-firefight", "properties.country"),
    ], info.value.report()
    assert all("km outside PAK" in p.message for p in info.value.problems)


def test_broken_countries_replacement_is_reported_once(tmp_path):
    path, raw = copy_of("basemap/countries.geojson", tmp_path)
    raw["features"][1]["geometry"]["coordinates"][0][1] = [78, 95]
    with pytest.raises(DataError) as info:
        load_dataset(VALID, replacements=[write(path, raw)])
    assert [(p.file, p.feature, p.field) for p in info.value.problems] == [
        (str(path), "PAK", "geometry.coordinates")
    ]


# ---------------------------------------------------------------- folder-level problems


def folder_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(VALID, tmp_path / "data"))


def test_folder_without_events_file(tmp_path):
    data = folder_copy(tmp_path)
    (data / "events.geojson").unlink()
    with pytest.raises(DataError) as info:
        load_dataset(data)
    assert [(p.file, p.message) for p in info.value.problems] == [(str(data), "has no events.geojson")]


# Without the countries file, 1893-line's area_ref 'AFG' names no feature any more.
AREA_REF_AFG = ("events.geojson", "1893-line", "properties.location_precision.area_ref")


def test_folder_without_countries_file(tmp_path):
    data = folder_copy(tmp_path)
    (data / "basemap" / "countries.geojson").unlink()
    with pytest.raises(DataError) as info:
        load_dataset(data)
    problems = info.value.problems
    assert [(p.file, p.feature, p.field) for p in problems] == [
        ("basemap/countries.geojson", "", ""),
        AREA_REF_AFG,
    ]
    assert "is missing" in problems[0].message
    assert "'AFG'" in problems[1].message


def test_unreadable_folder_file_is_named_by_its_place(tmp_path):
    data = folder_copy(tmp_path)
    (data / "basemap" / "countries.geojson").write_text("{", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_dataset(data)
    problems = info.value.problems
    # A countries file that is there but broken is not reported "missing" as well.
    assert [(p.file, p.feature, p.field) for p in problems] == [
        ("basemap/countries.geojson", "", ""),
        AREA_REF_AFG,
    ]
    assert "not valid JSON" in problems[0].message


def test_layer_with_a_bad_feature_is_still_a_known_layer(tmp_path):
    """Events naming a layer whose header is fine get no 'unknown layer' on top."""
    data = folder_copy(tmp_path)
    border = json.loads((data / "border.geojson").read_text(encoding="utf-8"))
    del border["features"][0]["properties"]["source"]
    write(data / "border.geojson", border)
    with pytest.raises(DataError) as info:
        load_dataset(data)
    assert [(p.file, p.feature, p.field) for p in info.value.problems] == [
        ("border.geojson", "test-border", "properties.source")
    ], info.value.report()


def test_problems_from_several_files_come_in_one_report(tmp_path):
    data = folder_copy(tmp_path)
    border = json.loads((data / "border.geojson").read_text(encoding="utf-8"))
    border["crs"] = {"type": "name"}
    write(data / "border.geojson", border)
    with pytest.raises(DataError) as info:
        load_dataset(data, replacements=[INVALID / "events_unknown_category.geojson"])
    files = {p.file for p in info.value.problems}
    assert files == {"border.geojson", str(INVALID / "events_unknown_category.geojson")}


def test_missing_extra_file_is_reported_not_raised(tmp_path):
    missing = tmp_path / "nowhere.geojson"
    with pytest.raises(DataError) as info:
        load_dataset(VALID, replacements=[missing])
    (problem,) = info.value.problems
    assert problem.file == str(missing)
    assert problem.message == "does not exist"


# ---------------------------------------------------------------- property-based: never crash

NAMES = st.sampled_from(
    [
        "type",
        "features",
        "layer",
        "id",
        "title",
        "role",
        "order",
        "style",
        "geometry",
        "coordinates",
        "properties",
        "name",
        "description",
        "source",
        "date",
        "end_date",
        "date_precision",
        "country",
        "layers",
        "figures",
        "claims",
        "value",
        "location_precision",
        "radius_km",
        "area_ref",
    ]
)
WORDS = st.sampled_from(
    [
        "",
        " ",
        "x\n",
        "1893",
        "2014-12",
        "2024-12-25",
        "2024-02-30",
        "2024-13",
        "0000",
        "AFG",
        "PAK",
        "border",
        "crossing",
        "AFG\n",
        "Feature",
        "FeatureCollection",
        "Point",
        "LineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        "overlay",
        "basemap",
        "events",
        "exact",
        "radius",
        "area",
        "year",
        "month",
        "day",
        "air_strike",
        "deaths",
    ]
)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**310),  # too big for a float
    st.floats(),  # includes nan and +-inf, which json writes as NaN/Infinity
    st.floats(min_value=-200, max_value=200),
    st.floats(min_value=20, max_value=80),  # around the frontier, either axis
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=12), WORDS)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(NAMES, st.text(max_size=6)), inner, max_size=4),
    ),
    max_leaves=12,
)
POSITIONS = st.recursive(
    st.lists(NUMBERS, min_size=1, max_size=4),
    lambda inner: st.lists(inner, max_size=5),
    max_leaves=16,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the plausible value, sometimes any JSON value at all."""
    return st.one_of(strategy, strategy, JSON)


GEOMETRY = maybe(
    st.fixed_dictionaries(
        {},
        optional={
            "type": maybe(WORDS),
            "coordinates": st.one_of(POSITIONS, JSON),
            "geometries": JSON,
        },
    )
)
PRECISION = maybe(
    st.fixed_dictionaries(
        {},
        optional={
            "type": maybe(st.sampled_from(["exact", "radius", "area"])),
            "radius_km": maybe(NUMBERS),
            "area": maybe(WORDS),
            "area_ref": maybe(st.sampled_from(["AFG", "PAK", "test-border", "nope"])),
        },
    )
)
TEXT = maybe(st.one_of(WORDS, st.text(max_size=10)))
PLACE_PROPERTIES = maybe(
    st.fixed_dictionaries(
        {},
        optional={
            "name": TEXT,
            "description": TEXT,
            "source": TEXT,
            "location_precision": PRECISION,
            "names": maybe(st.dictionaries(st.sampled_from(["ps", "fa", "ur", "PS", "x"]), TEXT)),
        },
    )
)
EVENT_PROPERTIES = maybe(
    st.fixed_dictionaries(
        {},
        optional={
            "title": TEXT,
            "summary": TEXT,
            "place": TEXT,
            "date": maybe(st.one_of(WORDS, st.text(alphabet="0123456789-", max_size=11))),
            "end_date": maybe(st.one_of(WORDS, st.text(alphabet="0123456789-", max_size=11))),
            "date_precision": maybe(st.sampled_from(["year", "month", "day", "week"])),
            "category": maybe(st.sampled_from(["air_strike", "armed_clash", "nope"])),
            "country": maybe(st.one_of(WORDS, st.lists(st.sampled_from(["AFG", "PAK", "IND", "xx"])))),
            "location_precision": PRECISION,
            "placement_note": TEXT,
            "layers": maybe(st.lists(st.sampled_from(["border", "crossing", "nope", ""]))),
            "notes": maybe(st.lists(TEXT, max_size=3)),
            "figures": maybe(
                st.lists(
                    maybe(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "kind": TEXT,
                                "value": maybe(NUMBERS),
                                "reported_by": TEXT,
                                "qualifier": TEXT,
                                "note": TEXT,
                            },
                        )
                    ),
                    max_size=3,
                )
            ),
            "claims": maybe(
                st.lists(
                    maybe(st.fixed_dictionaries({}, optional={"by": TEXT, "claim": TEXT})),
                    max_size=3,
                )
            ),
            "source": maybe(
                st.fixed_dictionaries({}, optional={"title": TEXT, "section": TEXT, "publisher": TEXT})
            ),
        },
    )
)


def feature(properties: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return maybe(
        st.fixed_dictionaries(
            {},
            optional={
                "type": maybe(st.just("Feature")),
                "id": maybe(st.one_of(WORDS, st.from_regex(r"\A[a-z0-9-]{1,8}\Z"))),
                "geometry": GEOMETRY,
                "properties": properties,
                "bbox": JSON,
            },
        )
    )


def collection(role: str, properties: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    header = maybe(
        st.fixed_dictionaries(
            {},
            optional={
                "id": maybe(st.sampled_from(["extra", "border", "events", "Bad Id"])),
                "title": TEXT,
                "role": maybe(st.sampled_from([role, "overlay", "events", "basemap", "x"])),
                "order": maybe(NUMBERS),
                "attribution": TEXT,
                "style": maybe(st.dictionaries(st.text(max_size=5), JSON, max_size=3)),
            },
        )
    )
    return maybe(
        st.fixed_dictionaries(
            {},
            optional={
                "type": maybe(st.just("FeatureCollection")),
                "layer": header,
                "features": maybe(st.lists(feature(properties), max_size=4)),
                "crs": JSON,
            },
        )
    )


def assert_reported_or_loaded(**kwargs: Any) -> None:
    """load_dataset either succeeds with usable records or raises a DataError with a report."""
    try:
        dataset = load_dataset(VALID, **kwargs)
    except DataError as exc:
        report = exc.report()
        assert isinstance(report, str) and report.strip()
        assert exc.problems
        for problem in exc.problems:
            assert isinstance(problem, Problem)
            assert all(isinstance(part, str) for part in vars(problem).values())
            assert problem.file and problem.message
            assert str(problem) in report
        return
    for event in dataset.events:
        assert math.isfinite(event.lon) and math.isfinite(event.lat)
        assert event.date.first_day() <= (event.end_date or event.date).last_day()
        assert event.title.strip() and event.category


def dump(raw: Any) -> str:
    return json.dumps(raw, allow_nan=True)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder under pytest's temporary root for the generated files (one example at a time)."""
    return tmp_path_factory.mktemp("generated")


def load_written(folder: Path, text: str, file_name: str, **extra: Any) -> None:
    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    try:
        assert_reported_or_loaded(replacements=[path], **extra)
    finally:
        path.unlink()


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(collection("events", EVENT_PROPERTIES), st.sampled_from(["events.geojson", "more.geojson"]))
def test_random_event_files_are_reported_not_raised(scratch, raw, file_name):
    load_written(scratch, dump(raw), file_name)


@FUZZ
@given(
    collection("overlay", PLACE_PROPERTIES),
    st.sampled_from(["border.geojson", "countries.geojson", "extra.geojson"]),
)
def test_random_layer_files_are_reported_not_raised(scratch, raw, file_name):
    load_written(scratch, dump(raw), file_name)


@FUZZ
@given(collection("events", EVENT_PROPERTIES))
def test_random_files_given_as_extra_events_are_reported_not_raised(scratch, raw):
    path = scratch / "extra.geojson"
    path.write_text(dump(raw), encoding="utf-8")
    assert_reported_or_loaded(extra_event_files=[path])


def json_paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside ``value`` (keys and list indexes), the root included."""
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += json_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += json_paths(item, (*prefix, index))
    return paths


@st.composite
def mutated_valid_file(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid file with one to three edits: a key dropped, a value replaced or added."""
    name = draw(st.sampled_from(VALID_FILES))
    raw = json.loads((VALID / name).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(json_paths(raw)))
        if not path:
            raw = draw(JSON)
            continue
        parent = raw
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["drop", "replace", "replace", "add"]))
        if action == "drop":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(JSON)
        elif isinstance(parent, dict):
            parent[draw(st.one_of(NAMES, st.text(max_size=5)))] = draw(JSON)
        else:
            parent.insert(path[-1], draw(JSON))
    return Path(name).name, raw


@FUZZ
@given(mutated_valid_file())
def test_mutated_valid_files_are_reported_not_raised(scratch, mutation):
    file_name, raw = mutation
    load_written(scratch, dump(raw), file_name)


@settings(max_examples=300, deadline=None)
@given(JSON, st.sampled_from(["overlay", "basemap", "events", None]))
def test_check_file_takes_any_json_value(raw, role):
    result = check_file(raw, "any.geojson", role)
    assert all(isinstance(p, Problem) and p.message for p in result.problems)
    if not isinstance(raw, dict):
        assert result.problems


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=200),
        st.binary(max_size=40).map(lambda b: (VALID / "events.geojson").read_bytes()[:300] + b),
        st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe{}", b"[" * 3000, b"1" * 5000, b"NaN"]),
    )
)
def test_check_command_on_random_bytes_never_tracebacks(scratch, data):
    path = scratch / "random.geojson"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--check", "--data", str(VALID), str(path)])
    assert code in (0, 1)
    if code == 1:
        assert " found in the input data:" in err.getvalue().splitlines()[0]
        assert str(path) in err.getvalue()
    else:
        assert out.getvalue().startswith("OK:")


def test_huge_and_non_finite_numbers_are_problems_not_crashes():
    valid = json.loads((VALID / "events.geojson").read_text(encoding="utf-8"))
    for bad in (10**400, -(10**400), math.inf, -math.inf, math.nan):
        raw = copy.deepcopy(valid)
        raw["features"][0]["geometry"]["coordinates"] = [bad, 33.0]
        props = raw["features"][2]["properties"]
        props["location_precision"]["radius_km"] = bad
        props["figures"][0]["value"] = bad
        result = check_file(raw, "events.geojson", "events")
        fields = {(p.feature, p.field) for p in result.problems}
        assert ("1893-line", "geometry.coordinates") in fields, bad
        assert ("2024-12-25-strike", "properties.location_precision.radius_km") in fields, bad
        # None of them is a whole number a browser can show.
        assert ("2024-12-25-strike", "properties.figures[0].value") in fields, bad
