"""``make_map.py --check``: exit codes, where the report and the summary go, usage errors.

Exit codes (geo/cli.py): 0 clean, 1 data problems (report on stderr), 2 usage errors.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main, program_name
from tests.conftest import INVALID_DIR, REPO, VALID_DIR, run_cli

VALID = VALID_DIR
INVALID = INVALID_DIR
BAD_CATEGORY = INVALID / "events_unknown_category.geojson"
BAD_DATE = INVALID / "events_bad_iso_date.geojson"
BAD_CRS = INVALID / "overlay_crs_member.geojson"


def report_lines(err: str) -> list[str]:
    """The problem lines of a report, checking its head counts them right."""
    head, *lines = err.rstrip("\n").split("\n")
    count = len(lines)
    assert head == f"{count} problem{'s' if count != 1 else ''} found in the input data:", err
    assert all(line.startswith("  - ") for line in lines), err
    return lines


# ---------------------------------------------------------------- 0: clean


def test_clean_folder_exits_0_with_a_one_line_summary_on_stdout(capsys):
    code, out, err = run_cli(capsys, "--check", "--data", VALID)
    assert code == 0
    assert err == ""
    assert out.count("\n") == 1
    assert out.startswith("OK: ")
    assert "4 events" in out
    assert str(VALID) in out


def test_clean_replacement_files_exit_0(capsys, tmp_path):
    copies = [shutil.copy(VALID / name, tmp_path / name) for name in ("events.geojson", "border.geojson")]
    code, out, err = run_cli(capsys, "--check", "--data", VALID, *copies)
    assert (code, err) == (0, "")
    assert out.startswith("OK: ")


# ---------------------------------------------------------------- 1: problems


def test_problems_exit_1_with_the_report_on_stderr_only(capsys):
    code, out, err = run_cli(capsys, "--check", "--data", VALID, BAD_CATEGORY)
    assert code == 1
    assert out == ""  # no "OK" summary when something is wrong
    (line,) = report_lines(err)
    assert line.startswith(f"  - {BAD_CATEGORY}: x-2024-12-25-strike, properties.category: ")
    assert "'drone_strike'" in line


def test_several_files_are_reported_together(capsys):
    code, out, err = run_cli(capsys, "--check", "--data", VALID, BAD_CATEGORY, BAD_CRS)
    assert (code, out) == (1, "")
    lines = report_lines(err)
    assert len(lines) == 2
    assert any(str(BAD_CATEGORY) in line and "properties.category" in line for line in lines)
    assert any(line.startswith(f"  - {BAD_CRS}: crs: ") for line in lines)


def test_bad_extra_events_file_exits_1(capsys):
    code, out, err = run_cli(capsys, "--check", "--data", VALID, "--events", BAD_DATE)
    assert (code, out) == (1, "")
    (line,) = report_lines(err)
    assert str(BAD_DATE) in line and "day 30" in line


def test_problem_in_the_folder_itself_exits_1(capsys, tmp_path):
    data = Path(shutil.copytree(VALID, tmp_path / "data"))
    (data / "events.geojson").unlink()
    code, out, err = run_cli(capsys, "--check", "--data", data)
    assert (code, out) == (1, "")
    assert report_lines(err) == [f"  - {data}: has no events.geojson"]


def test_missing_data_folder_exits_1_with_a_clear_message(capsys, tmp_path):
    missing = tmp_path / "no-such-folder"
    code, out, err = run_cli(capsys, "--check", "--data", missing)
    assert (code, out) == (1, "")
    assert report_lines(err) == [f"  - {missing}: is not a folder of GeoJSON files"]


def test_data_path_that_is_a_file_exits_1(capsys):
    code, out, err = run_cli(capsys, "--check", "--data", BAD_CATEGORY)
    assert (code, out) == (1, "")
    assert report_lines(err) == [f"  - {BAD_CATEGORY}: is not a folder of GeoJSON files"]


def test_missing_file_to_check_exits_1(capsys, tmp_path):
    missing = tmp_path / "missing.geojson"
    code, out, err = run_cli(capsys, "--check", "--data", VALID, missing)
    assert (code, out) == (1, "")
    (line,) = report_lines(err)
    assert line == f"  - {missing}: does not exist"


# ---------------------------------------------------------------- 2: usage errors


def test_files_without_check_is_a_usage_error(capsys, tmp_path):
    output = tmp_path / "map.html"
    code, out, err = run_cli(capsys, "--data", VALID, "-o", output, BAD_CATEGORY)
    assert code == 2
    assert out == ""
    assert err.startswith("usage error: ")
    assert "only for --check" in err
    assert not output.exists()  # nothing was built


@pytest.mark.parametrize(
    "args",
    [
        ["--check", "--bogus"],
        ["--chek"],
        ["--check", "--data"],  # --data needs a value
    ],
)
def test_unknown_or_incomplete_options_exit_2(capsys, args):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"usage: {program_name()} ")
    assert "error:" in err


@pytest.mark.parametrize(
    "flags",
    [
        ["-o", "out.html"],
        ["--output=-"],
        ["--title", "A map"],
        ["--online-tiles"],
        ["--title", "x", "-o", "y"],
    ],
)
def test_check_refuses_options_only_a_build_uses(capsys, flags):
    code, out, err = run_cli(capsys, "--check", "--data", VALID, *flags)
    assert (code, out) == (2, "")
    assert err.startswith("usage error: ") and "--check writes nothing" in err
    named = {
        "-o": "-o/--output",
        "--output=-": "-o/--output",
        "--title": "--title",
        "--online-tiles": "--online-tiles",
    }
    for flag in flags:
        if flag in named:
            assert named[flag] in err


def test_bad_access_date_is_a_usage_error_before_anything_is_read(capsys, tmp_path):
    code, out, err = run_cli(capsys, "--check", "--data", tmp_path / "missing", "--access-date", "yesterday")
    assert (code, out) == (2, "")
    assert err == "usage error: --access-date 'yesterday' is not a date; expected YYYY-MM-DD\n"


# ---------------------------------------------------------------- as a real process


@pytest.mark.parametrize(
    ("args", "code", "stream", "says"),
    [
        (["--check", "--data", VALID], 0, "stdout", "OK: "),
        (["--check", "--data", VALID, BAD_CATEGORY], 1, "stderr", "1 problem found"),
        (["--check", "--bogus"], 2, "stderr", "unrecognized arguments: --bogus"),
    ],
)
def test_make_map_script_exit_codes(args, code, stream, says):
    proc = subprocess.run(
        [sys.executable, str(REPO / "make_map.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == code, proc.stderr
    assert says in getattr(proc, stream)
    assert "Traceback" not in proc.stderr
