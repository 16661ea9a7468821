"""The map in Jupyter: a notebook executed by a real kernel (nbclient), its output shown in Chromium."""

from __future__ import annotations

import io

import nbformat
import pytest
from nbclient import NotebookClient

from geo import TextProgress
from tests.conftest import DATA_DIR, LOCAL_SCHEMES, PageLog

IMPORTS = DATA_DIR.parent.parent / "tests" / "data" / "imports"
UCDP = IMPORTS / "GEDEvent_v24_1_sample.csv"
ACLED = IMPORTS / "acled_bad_rows.csv"  # 3 good rows, 10 bad ones
# Counts replaceState calls in every frame, the notebook's srcdoc iframe included.
COUNT_ADDRESS_WRITES = """
window.__addressWrites = 0;
const replaceState = history.replaceState;
history.replaceState = function () {
  window.__addressWrites += 1;
  return replaceState.apply(this, arguments);
};
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A small notebook that builds a map with imports and progress, run by an ipykernel."""
    folder = tmp_path_factory.mktemp("notebook")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import geo"),
        nbformat.v4.new_code_cell(
            f"files = ({str(UCDP)!r}, {str(ACLED)!r})\n"
            "options = geo.BuildOptions(event_files=files)\n"
            f"m = geo.build_map({str(DATA_DIR)!r}, options, progress=True, height=480)\n"
            "m"
        ),
    ]
    NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    return folder, notebook


def test_notebook_shows_the_map_the_import_progress_and_the_import_reports(executed):
    _, notebook = executed
    outputs = notebook.cells[1].outputs
    assert [o.output_type for o in outputs if o.output_type == "error"] == []
    texts = [o.data["text/plain"] for o in outputs if o.output_type == "display_data"]
    assert texts == [f"importing {f.name}: 100% of {f.stat().st_size / 1e6:.1f} MB" for f in (UCDP, ACLED)]
    # The import reports show as warnings under the cell, in the API's terms.
    shown = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert f"EventImportWarning: imported 9 rows from {UCDP.name} (0 skipped)" in shown
    assert f"EventImportWarning: imported 3 rows from {ACLED.name} (10 skipped)" in shown
    assert "rebuild with aggregate=True" in shown
    assert "--" not in shown.replace("---", ""), "a command-line option in a notebook"
    (result,) = [o for o in outputs if o.output_type == "execute_result"]
    assert result.data["text/html"].startswith("<iframe srcdoc=")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_notebook_output_renders_in_its_iframe_without_page_errors(browser, executed, width):
    folder, notebook = executed
    (result,) = [o for o in notebook.cells[1].outputs if o.output_type == "execute_result"]
    page_file = folder / f"output-{width}.html"
    page_file.write_text(
        '<!doctype html><html><head><meta charset="utf-8"></head><body>'
        f'<div class="jp-OutputArea-output">{result.data["text/html"]}</div></body></html>',
        "utf-8",
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    log = PageLog()
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(LOCAL_SCHEMES)
            else (log.requests.append(route.request.url), route.abort())
        ),
    )
    context.add_init_script(COUNT_ADDRESS_WRITES)
    page = context.new_page()
    page.on("pageerror", lambda e: log.errors.append(f"uncaught: {e}"))
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(page_file.as_uri())
        assert page.locator("iframe").bounding_box()["height"] == 480
        frame = page.frames[1]
        assert frame.url == "about:srcdoc"
        frame.wait_for_selector("html[data-frontier-ready]", timeout=20_000)
        assert frame.evaluate("FrontierMap.app.store.n") > 27  # the article's events and the import
        # Panning writes the view into the address, which a srcdoc iframe refuses.
        frame.evaluate("() => { FrontierMap.app.map.panBy([40, 40], {animate: false}); }")
        frame.wait_for_function("window.__addressWrites >= 1")
        frame.evaluate("() => { FrontierMap.app.openRow(0); }")
        frame.wait_for_selector(".leaflet-popup-content")
        page.screenshot(path=str(folder / f"output-{width}.png"))
        assert log.errors == []
        assert log.requests == []
    finally:
        context.close()


def test_progress_outside_a_notebook_redraws_one_line_per_file():
    stream = io.StringIO()
    progress = TextProgress(stream)
    for done in (0, 1_000_000, 1_000_000, 4_000_000):
        progress("ged.csv", done, 4_000_000)
    lines = [f"\rimporting ged.csv: {p}% of 4.0 MB" for p in (0, 25, 100)]
    assert stream.getvalue() == "".join(lines) + "\n"
