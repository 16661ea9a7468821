"""The build without a browser: reproducible bytes, atomic output, offline assets, safe JSON."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo import AssetError, BuildOptions, DataError, UsageError, build_map, render_html, write_map
from geo.cli import main
from geo.safe import escape_html, json_for_script
from tests.conftest import REPO, VALID_DIR


def test_two_builds_are_byte_identical(tmp_path):
    first = write_map(build_map(VALID_DIR), tmp_path / "a.html").read_bytes()
    second = write_map(build_map(VALID_DIR), tmp_path / "b.html").read_bytes()
    assert first == second


def test_cli_builds_identical_files(tmp_path):
    assert main(["-q", "--data", str(VALID_DIR), "-o", str(tmp_path / "a.html")]) == 0
    assert main(["-q", "--data", str(VALID_DIR), "-o", str(tmp_path / "b.html")]) == 0
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


@pytest.mark.parametrize("extra", [[], ["--aggregate"]], ids=["rows", "aggregated"])
def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(tmp_path, extra):
    """Set and dict order of strings changes with PYTHONHASHSEED; the file must not."""
    events = Path(__file__).resolve().parent / "data" / "imports" / "acled_basic.csv"
    command = [
        sys.executable,
        str(REPO / "make_map.py"),
        "-q",
        "--data",
        str(VALID_DIR),
        "--events",
        str(events),
    ]
    outputs = []
    for seed in ("1", "2"):
        output = tmp_path / f"map-{seed}.html"
        proc = subprocess.run(
            [*command, *extra, "-o", str(output)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]


def test_page_references_nothing_online(valid_map):
    html = valid_map.read_text("utf-8")
    # No element loads anything by URL: every script and style is inline.
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert "cdn.jsdelivr" not in html and "code.jquery" not in html
    assert "leaflet.js" not in html.split("<script>")[0]
    assert html.count("<style>") >= 2


def test_online_tiles_are_optional(valid_map):
    offline = valid_map.read_text("utf-8")
    online = render_html(build_map(VALID_DIR, BuildOptions(online_tiles=True)))
    assert "tile.openstreetmap.org" not in offline
    assert "tile.openstreetmap.org" in online


def test_failed_build_leaves_previous_map_untouched(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("previous map", "utf-8")
    data = tmp_path / "data"
    shutil.copytree(VALID_DIR, data)
    (data / "events.geojson").write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    assert main(["-q", "--data", str(data), "-o", str(out)]) == 1
    assert out.read_text("utf-8") == "previous map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "map.html"]


def test_write_interrupted_midway_keeps_old_file(tmp_path, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("previous map", "utf-8")
    fmap = build_map(VALID_DIR)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_map(fmap, out)
    assert out.read_text("utf-8") == "previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"], "temporary file left behind"


def test_missing_assets_say_how_to_fix(monkeypatch):
    import geo.assets

    monkeypatch.setattr(geo.assets, "MANIFEST_MODULE", "geo._no_such_manifest")
    with pytest.raises(AssetError, match=r"run `npm ci && python -m geo\.vendor`"):
        build_map(VALID_DIR)


def test_data_problems_raise_one_error_with_all_of_them(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(VALID_DIR, data)
    events = json.loads((data / "events.geojson").read_text("utf-8"))
    events["features"][0]["properties"]["category"] = "picnic"
    events["features"][1]["properties"]["date"] = "2014-13"
    (data / "events.geojson").write_text(json.dumps(events), "utf-8")
    with pytest.raises(DataError) as caught:
        build_map(data)
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["properties.category", "properties.date"]


@pytest.mark.parametrize(
    "text",
    ["</script><script>alert(1)</script>", "<!-- x", "a & b", "\u2028line\u2029", "{{ 7*7 }}", "${x}`"],
)
def test_json_for_script_cannot_close_the_script_and_round_trips(text):
    encoded = json_for_script({"t": text})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert "\u2028" not in encoded and "\u2029" not in encoded
    assert json.loads(encoded) == {"t": text}


def test_json_for_script_refuses_nan():
    with pytest.raises(ValueError):
        json_for_script({"x": float("nan")})


def test_escape_html_escapes_markup_and_quotes():
    assert escape_html("<a href=\"x\" title='y'>&</a>") == (
        "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;"
    )


def test_title_is_escaped():
    html = render_html(build_map(VALID_DIR, BuildOptions(title="<b>x</b> {{ 7*7 }}")))
    assert "<title>&lt;b&gt;x&lt;/b&gt; {{ 7*7 }}</title>" in html


@pytest.mark.parametrize(
    "colour", ["#b35806;background-image:url(http://example.invalid/x.png)", "url(x)", ""]
)
def test_add_layer_refuses_a_colour_that_would_be_css(colour):
    from geo import add_layer

    fmap = build_map(VALID_DIR)
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [70, 33]}, "properties": {}}
    with pytest.raises(UsageError, match="expected a colour as #rgb, #rrggbb or a CSS colour name"):
        add_layer(fmap, point, "Mine", color=colour)
    assert add_layer(fmap, point, "Mine", color="teal")
