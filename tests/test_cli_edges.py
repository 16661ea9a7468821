"""The command line used as a careless or a hostile user would.

Every input path ends in a report or a result: exit 1 for data, 2 for usage, 130/143
when interrupted, never a traceback. The output is checked before any input is read and
never replaces an input; an existing output keeps its permissions; no temporary file is
left behind. Inputs are synthetic and live under ``tmp_path``.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from geo.cli import program_name
from tests.conftest import INVALID_DIR, REPO, VALID_DIR, run_cli

IMPORTS = Path(__file__).resolve().parent / "data" / "imports"
ACLED = IMPORTS / "acled_basic.csv"
ACLED_BAD_ROWS = IMPORTS / "acled_bad_rows.csv"
UNRELATED_CSV = IMPORTS / "unrelated.csv"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_non_root = pytest.mark.skipif(AS_ROOT, reason="root reads and writes whatever the permissions say")


def listing(folder: Path) -> list[str]:
    """Every name under ``folder`` (hidden temporary files included), sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def process(
    *args: str | Path, stdin: bytes | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    """make_map.py as a real process; bytes in and out."""
    return subprocess.run(
        [sys.executable, str(REPO / "make_map.py"), *map(os.fsencode, map(str, args))],
        capture_output=True,
        timeout=120,
        input=stdin,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    """A valid extra GeoJSON events file (the fixture base with an unknown category fixed)."""
    text = (INVALID_DIR / "events_unknown_category.geojson").read_text("utf-8")
    path = tmp_path / "mine.geojson"
    path.write_text(text.replace('"drone_strike"', '"air_strike"'), "utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(VALID_DIR, tmp_path / "data"))


# ---------------------------------------------------------------- the output, before any input


@pytest.mark.parametrize("how", ["same path", "symbolic link", "hard link", "csv input"])
def test_output_that_is_an_input_is_refused_and_the_input_kept(capsys, tmp_path, events_file, how):
    source = events_file
    if how == "csv input":
        source = Path(shutil.copy(ACLED, tmp_path / "acled.csv"))
    output = {"same path": source, "csv input": source}.get(how, tmp_path / "out.html")
    if how == "symbolic link":
        output.symlink_to(source)
    elif how == "hard link":
        os.link(source, output)
    before, names = source.read_bytes(), listing(tmp_path)
    code, out, err = run_cli(capsys, "--data", VALID_DIR, "--events", source, "-o", output)
    assert (code, out) == (2, "")
    assert err == (
        f"usage error: output {str(output)!r} is the input {str(source)!r}; writing the map there "
        "would destroy it. Give another output path\n"
    )
    assert source.read_bytes() == before
    assert listing(tmp_path) == names


@pytest.mark.parametrize("name", ["events.geojson", "border.geojson", "basemap/countries.geojson"])
def test_output_that_is_a_data_folder_file_is_refused(capsys, data, name):
    before = (data / name).read_bytes()
    code, out, err = run_cli(capsys, "--data", data, "-o", data / name)
    assert (code, out) == (2, "")
    assert err.startswith(f"usage error: output {str(data / name)!r} is the input ")
    assert (data / name).read_bytes() == before


@pytest.mark.parametrize("folder", [".", "basemap"])
def test_new_geojson_output_in_the_data_folder_is_refused(capsys, data, folder):
    """It is no input yet, but the next build would read the HTML as a layer."""
    names = listing(data)
    output = data / folder / "map.geojson"
    code, out, err = run_cli(capsys, "--data", data, "-o", output)
    assert (code, out) == (2, "")
    assert "is in the data folder" in err and "read as a layer" in err
    assert listing(data) == names


def test_output_problems_come_before_any_input_is_read(capsys, tmp_path):
    """A broken input and a bad output: the output is what is reported, so it was checked first."""
    broken = tmp_path / "broken.geojson"
    broken.write_text("{", "utf-8")
    code, out, err = run_cli(
        capsys, "--data", VALID_DIR, "--events", broken, "-o", tmp_path / "no" / "map.html"
    )
    assert (code, out) == (2, "")
    assert err == f"usage error: output folder {str(tmp_path / 'no')!r} does not exist; create it first\n"


def test_output_that_is_a_folder_is_refused(capsys, tmp_path):
    code, _, err = run_cli(capsys, "--data", VALID_DIR, "-o", tmp_path)
    assert code == 2
    assert err == f"usage error: output {str(tmp_path)!r} is a folder; give a file name such as map.html\n"


def test_output_name_too_long_is_refused(capsys, tmp_path):
    code, _, err = run_cli(capsys, "--data", VALID_DIR, "-o", tmp_path / ("a" * 300 + ".html"))
    assert code == 2
    assert err.startswith("usage error: output name 'aaaa") and "is too long: at most 255 bytes" in err
    assert listing(tmp_path) == []


def test_output_path_too_long_to_look_at_is_refused(capsys, tmp_path):
    output = tmp_path / ("a/" * 3000 + "map.html")
    code, _, err = run_cli(capsys, "--data", VALID_DIR, "-o", output)
    assert code == 2
    assert err.startswith("usage error: output ") and ("too long" in err or "File name too long" in err)


def test_output_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "map.html"
    os.mkfifo(fifo)
    proc = process("--data", VALID_DIR, "-o", fifo)
    assert proc.returncode == 2
    assert (
        proc.stderr.decode()
        == f"usage error: output {str(fifo)!r} is not a regular file (a FIFO, device or socket)\n"
    )


@needs_non_root
def test_output_in_a_read_only_folder_is_refused(capsys, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    code, _, err = run_cli(capsys, "--data", VALID_DIR, "-o", folder / "map.html")
    assert code == 2
    assert err == f"usage error: output folder {str(folder)!r} is not writable\n"


@needs_non_root
def test_read_only_output_file_is_not_overwritten(capsys, tmp_path):
    output = tmp_path / "map.html"
    output.write_text("keep me", "utf-8")
    output.chmod(0o444)
    code, _, err = run_cli(capsys, "--data", VALID_DIR, "-o", output)
    assert code == 2
    assert "is read-only" in err
    assert output.read_text("utf-8") == "keep me"


# ---------------------------------------------------------------- what the output becomes


def test_existing_output_keeps_its_permissions(capsys, tmp_path):
    output = tmp_path / "map.html"
    output.write_text("old", "utf-8")
    output.chmod(0o600)
    code, _, _ = run_cli(capsys, "-q", "--data", VALID_DIR, "-o", output)
    assert code == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert output.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert listing(tmp_path) == ["map.html"]


def test_new_output_gets_the_usual_permissions(capsys, tmp_path):
    umask = os.umask(0o027)
    try:
        code, _, _ = run_cli(capsys, "-q", "--data", VALID_DIR, "-o", tmp_path / "map.html")
    finally:
        os.umask(umask)
    assert code == 0
    assert stat.S_IMODE((tmp_path / "map.html").stat().st_mode) == 0o640


def test_output_through_a_symbolic_link_replaces_the_file_it_points_at(capsys, tmp_path):
    target = tmp_path / "site" / "map.html"
    target.parent.mkdir()
    target.write_text("old", "utf-8")
    link = tmp_path / "map.html"
    link.symlink_to(target)
    code, _, _ = run_cli(capsys, "-q", "--data", VALID_DIR, "-o", link)
    assert code == 0
    assert link.is_symlink() and target.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_dash_writes_the_html_to_standard_output(tmp_path):
    to_file = tmp_path / "map.html"
    assert process("-q", "--data", VALID_DIR, "-o", to_file).returncode == 0
    proc = process("-q", "--data", VALID_DIR, "-o", "-", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert proc.stdout == to_file.read_bytes()
    assert listing(tmp_path) == ["map.html"]  # no file named '-'


# ---------------------------------------------------------------- bad --events paths, up front


def test_unusable_event_paths_are_all_refused_up_front_without_blocking(tmp_path):
    missing = tmp_path / "missing.csv"
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    loop = tmp_path / "loop.csv"
    loop.symlink_to(tmp_path / "loop2.csv")
    (tmp_path / "loop2.csv").symlink_to(loop)
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    paths = [missing, folder, loop, fifo, Path("/dev/zero")]
    events = [arg for path in paths for arg in ("--events", path)]
    for mode in (["-o", tmp_path / "map.html"], ["--check"]):
        proc = process("--data", VALID_DIR, *events, *mode)
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.decode().splitlines() == [
            "5 problems found in the input data:",
            "  - /dev/zero: is not a regular file (a FIFO, device or socket); expected a file",
            f"  - {fifo}: is not a regular file (a FIFO, device or socket); expected a file",
            f"  - {folder}: is a folder; expected a file",
            f"  - {loop}: is a symbolic link loop",
            f"  - {missing}: does not exist",
        ]
    assert not (tmp_path / "map.html").exists()


def test_event_paths_are_checked_before_anything_is_loaded(capsys, tmp_path, monkeypatch):
    """Even the browser assets: a bad --events path is reported whatever else is wrong."""

    def no_assets() -> None:
        raise AssertionError("the assets were loaded before the --events paths were checked")

    monkeypatch.setattr("geo.cli.load_bundle", no_assets)
    code, _, err = run_cli(
        capsys, "--data", VALID_DIR, "--events", tmp_path / "missing.csv", "-o", tmp_path / "m.html"
    )
    assert code == 1
    assert err.splitlines()[1] == f"  - {tmp_path / 'missing.csv'}: does not exist"


@needs_non_root
def test_unreadable_event_file_is_refused(capsys, tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text("a,b\n", "utf-8")
    path.chmod(0)
    code, _, err = run_cli(capsys, "--check", "--data", VALID_DIR, "--events", path)
    assert code == 1
    assert err.splitlines()[1] == f"  - {path}: cannot be read: permission denied"


def test_fifo_in_the_data_folder_is_reported_not_waited_on(data):
    os.mkfifo(data / "pipe.geojson")
    proc = process("--check", "--data", data)
    assert proc.returncode == 1
    assert "  - pipe.geojson: is not a regular file" in proc.stderr.decode()


def test_events_file_given_twice_is_a_usage_error(capsys, tmp_path):
    copy = Path(shutil.copy(ACLED, tmp_path / "acled.csv"))
    link = tmp_path / "again.csv"
    link.symlink_to(copy)
    code, out, err = run_cli(
        capsys, "--data", VALID_DIR, "--events", copy, "--events", link, "-o", tmp_path / "m.html"
    )
    assert (code, out) == (2, "")
    assert err == (
        f"usage error: --events {str(link)!r} is given twice (also as {str(copy)!r}); give each file once\n"
    )


@pytest.mark.parametrize("name", ["events.geojson", "basemap/countries.geojson"])
def test_events_file_from_the_data_folder_is_a_usage_error(capsys, name):
    code, out, err = run_cli(capsys, "--check", "--data", VALID_DIR, "--events", VALID_DIR / name)
    assert (code, out) == (2, "")
    assert err.startswith(f"usage error: --events {str(VALID_DIR / name)!r} is the data folder's own file")


def test_empty_output_path_is_a_usage_error(capsys, tmp_path):
    code, _, err = run_cli(capsys, "--data", VALID_DIR, "-o", "")
    assert code == 2
    assert err.startswith("usage error: the output path is empty")


# ---------------------------------------------------------------- text that cannot be UTF-8


def test_non_utf8_title_is_a_usage_error(tmp_path):
    output = tmp_path / "map.html"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "make_map.py"),
            "--data",
            str(VALID_DIR),
            "-o",
            str(output),
            "--title",
            b"Caf\xe9",
        ],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.decode()
        == "usage error: --title is not valid UTF-8 text: byte E9 at character 4; give the text in UTF-8\n"
    )
    assert not output.exists()


def test_lone_surrogate_in_event_data_is_a_report_naming_the_field(capsys, tmp_path):
    path = INVALID_DIR / "events_title_lone_surrogate.geojson"
    code, out, err = run_cli(capsys, "--data", VALID_DIR, "--events", path, "-o", tmp_path / "map.html")
    assert (code, out) == (1, "")
    assert err.splitlines()[1].startswith(
        f"  - {path}: x-2014-12-school, properties.title: has a lone surrogate"
    )
    assert listing(tmp_path) == []


# ---------------------------------------------------------------- --check accepts what a build accepts


def check_and_build(capsys, tmp_path: Path, *args: str | Path) -> tuple[tuple[int, str], tuple[int, str]]:
    """Exit code and report of ``--check`` and of a build with the same inputs."""
    checked = run_cli(capsys, "-q", "--check", "--data", VALID_DIR, *args)
    built = run_cli(capsys, "-q", "--data", VALID_DIR, *args, "-o", tmp_path / "map.html")
    return (checked[0], checked[2]), (built[0], built[2])


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((ACLED,), 0),
        ((ACLED_BAD_ROWS,), 0),  # bad rows skipped and counted, in both
        ((ACLED_BAD_ROWS, "--strict"), 1),
        ((UNRELATED_CSV,), 1),
        ((INVALID_DIR / "overlay_property_nan.geojson",), 1),
        ((INVALID_DIR / "events_json_null.geojson",), 1),
        ((INVALID_DIR / "events_misspelled_key.geojson",), 1),
    ],
    ids=["acled", "bad-rows", "bad-rows-strict", "unrelated-csv", "nan", "null", "misspelled-key"],
)
def test_check_and_build_agree(capsys, tmp_path, args, code):
    events = ["--events", args[0], *args[1:]]
    checked, built = check_and_build(capsys, tmp_path, *events)
    assert checked[0] == built[0] == code, (checked, built)
    assert checked[1] == built[1]
    assert (tmp_path / "map.html").exists() == (code == 0)


def test_check_reads_csv_events_through_the_importers(capsys):
    code, out, err = run_cli(capsys, "-q", "--check", "--data", VALID_DIR, "--events", ACLED)
    assert (code, err) == (0, "")
    assert out.startswith("OK: 2 layers, 1 basemap layers, 4 features and 4 events in ")
    assert out.rstrip().endswith("and 7 rows from 1 imported file passed every check")


def test_each_import_gets_a_summary_line_and_no_notice_is_hidden(tmp_path):
    """25 rows with the same notice: 20 listed, and the summary of the other 5 is shown too."""
    lines = (IMPORTS / "GEDEvent_v24_1_sample.csv").read_text("utf-8").splitlines()
    header, noted = lines[0], lines[9]
    assert "900008" in noted  # the sample's row whose UCDP estimates are out of order
    rows = [noted.replace("900008", str(800000 + n)) for n in range(25)]
    ged = tmp_path / "ged.csv"
    ged.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    proc = process("--check", "--data", VALID_DIR, "--events", ged, "--events", ACLED_BAD_ROWS)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.decode().splitlines()
    assert "imported 25 rows from ged.csv (0 skipped)" in err
    assert "imported 3 rows from acled_bad_rows.csv (10 skipped)" in err
    notes = [line for line in err if line.startswith("note: ged.csv")]
    assert len(notes) == 21, err
    assert notes[-1].startswith("note: ged.csv: 5 more rows with the notice")


# ---------------------------------------------------------------- interrupted


INTERRUPT = textwrap.dedent(
    """
    import os, signal, sys
    real_fsync = os.fsync

    def fsync(fd):  # the signal arrives while the map is being written
        os.kill(os.getpid(), signal.{signal})
        real_fsync(fd)

    os.fsync = fsync
    from geo.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("SIGTERM", 143, "terminated (SIGTERM); nothing was written"),
        ("SIGINT", 130, "interrupted (Ctrl-C); nothing was written"),
    ],
)
def test_signal_during_the_write_leaves_the_old_file_and_no_temporary_file(tmp_path, name, code, message):
    output = tmp_path / "map.html"
    output.write_text("previous map", "utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            INTERRUPT.format(signal=name),
            "-q",
            "--data",
            str(VALID_DIR),
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        # A shell starts background jobs with SIGINT ignored; a terminal's Ctrl-C is not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.returncode == code, proc.stderr
    assert proc.stderr == message + "\n"
    assert output.read_text("utf-8") == "previous map"
    assert listing(tmp_path) == ["map.html"]


# ---------------------------------------------------------------- conventions


@pytest.mark.parametrize(
    ("command", "prog"),
    [
        ([sys.executable, str(REPO / "make_map.py")], "make_map.py"),
        ([sys.executable, "-m", "geo"], "python -m geo"),
        ([sys.executable, "-m", "geo.cli"], "python -m geo.cli"),
        ([str(Path(sys.executable).parent / "frontier-map")], "frontier-map"),
    ],
)
def test_usage_and_version_name_the_program_as_it_was_called(tmp_path, command, prog):
    if not Path(command[0]).exists():
        pytest.skip("the frontier-map script is not installed in this environment")
    from importlib.metadata import version

    shown = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert (shown.returncode, shown.stdout) == (0, f"{prog} {version('frontier-map')}\n")
    bad = subprocess.run([*command, "--bogus"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.startswith(f"usage: {prog} [-h] [--version]")


def test_python_m_geo_builds_a_map(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "-q", "--data", str(VALID_DIR), "-o", "map.html"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert (tmp_path / "map.html").read_text("utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("argv0", "prog"),
    [
        ("/usr/lib/python3/site-packages/geo/__main__.py", "python -m geo"),
        ("/home/me/frontier-map/geo/cli.py", "python -m geo.cli"),
        ("/home/me/.venv/bin/frontier-map", "frontier-map"),
        ("make_map.py", "make_map.py"),
        ("./make_map.py", "make_map.py"),
    ],
)
def test_program_name(argv0, prog):
    assert program_name(argv0) == prog
