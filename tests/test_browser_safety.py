"""Hostile event text is shown as text and runs nothing, in the browser or during the build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo import build_map, write_map
from tests.conftest import VALID_DIR, click_event

pytestmark = pytest.mark.browser


def hostile_strings(marker: Path) -> dict[str, str]:
    """Each string would do something if it were treated as code or markup."""
    return {
        "script": "<script>window.__pwned = 'script'</script>",
        "handler": "<img src=x onerror=\"window.__pwned='onerror'\">",
        "template_literal": "${window.__pwned='template'}",
        "backticks": "`+(window.__pwned='backtick')+`",
        "end_script": "</script><script>window.__pwned='end-script'</script>",
        "jinja_expr": "{{ 7*7 }}",
        "jinja_shell": "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}",
        "jinja_stmt": "{% raw %}{% for x in y %}",
        "html_comment": "<!-- <script>window.__pwned='comment'</script>",
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    marker = root / "jinja-ran"
    data = root / "data"
    shutil.copytree(VALID_DIR, data)
    strings = hostile_strings(marker)
    events = json.loads((data / "events.geojson").read_text("utf-8"))
    template = events["features"][2]
    features = []
    for n, (key, text) in enumerate(strings.items()):
        feature = json.loads(json.dumps(template))
        feature["id"] = f"hostile-{key}"
        feature["geometry"]["coordinates"] = [62 + n * 0.8, 31 + (n % 3)]
        props = feature["properties"]
        props["title"] = f"T{n} {text}"
        props["summary"] = f"S {text}"
        props["place"] = f"P {text}"
        props["figures"][0]["reported_by"] = f"R {text}"
        props["claims"][0]["claim"] = f"C {text}"
        props["location_precision"] = {"type": "radius", "radius_km": 5}
        features.append(feature)
    events["features"] += features
    events["layer"]["attribution"] = "Attribution " + strings["handler"] + strings["jinja_expr"]
    (data / "events.geojson").write_text(json.dumps(events), "utf-8")
    crossing = json.loads((data / "crossing.geojson").read_text("utf-8"))
    crossing["layer"]["title"] = "Layer " + strings["handler"] + " " + strings["jinja_expr"]
    crossing["features"][0]["properties"]["name"] = "Name " + strings["script"] + strings["jinja_shell"]
    (data / "crossing.geojson").write_text(json.dumps(crossing), "utf-8")
    html_path = write_map(build_map(data), root / "map.html")
    return {"path": html_path, "marker": marker, "strings": strings, "features": features}


def test_build_does_not_run_template_code(hostile):
    assert not hostile["marker"].exists(), "a {{ }} in event text ran during the build"
    html = hostile["path"].read_text("utf-8")
    text = _payload(html)
    payload = json.loads(text)
    titles = payload["events"]["title"]
    # Every hostile title arrives in the page exactly as written: {{ 7*7 }} is not 49.
    for feature in hostile["features"]:
        assert feature["properties"]["title"] in titles, "event text changed on its way into the page"
    assert "T5 {{ 7*7 }}" in titles
    # The JSON document cannot be ended early by the text it carries.
    assert "</script" not in text.lower() and "<!--" not in text


def _payload(html: str) -> str:
    start = html.index('<script type="application/json" id="frontier-data">') + len(
        '<script type="application/json" id="frontier-data">'
    )
    return html[start : html.index("</script>", start)]


def test_hostile_text_shows_as_text_and_runs_nothing(open_map, hostile):
    page, log = open_map(hostile["path"])
    for feature in hostile["features"]:
        props = feature["properties"]
        click_event(page, feature["id"])
        popup = page.locator(".leaflet-popup-content")
        text = popup.inner_text()
        for value in (props["title"], props["summary"], props["place"]):
            assert value in text, (value, text)
        # Nothing the text describes became an element.
        assert popup.locator("script, img, iframe").count() == 0
        page.keyboard.press("Escape")
        page.wait_for_selector(".leaflet-popup", state="detached", timeout=3000)
    assert page.evaluate("window.__pwned") is None
    control = page.locator(".fm-layers-panel").inner_text()
    assert "Layer <img src=x onerror=\"window.__pwned='onerror'\"> {{ 7*7 }}" in control
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "{{ 7*7 }}" in attribution and "<img" in attribution
    assert page.locator(".leaflet-control-attribution img, .fm-sidebar img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert log.errors == []
    assert log.requests == []
