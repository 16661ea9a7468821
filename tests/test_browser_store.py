"""store.js reads back what geo/payload.py writes: the awkward table of test_payload, in Chromium.

A bare page holds the payload (and, above ``BINARY_ABOVE_EVENTS`` events, the container
element, as geo/build.py writes them) and only store.js; it decodes every row of the
text, number and list columns, and the test compares them with the table itself.
"""

from __future__ import annotations

import numpy as np
import pytest

from geo.assets import STATIC_DIR
from geo.model import LocationPrecision
from geo.payload import BINARY_ABOVE_EVENTS
from geo.safe import json_for_script
from geo.taxonomy import CATEGORIES
from tests.test_payload import AWKWARD, _member, _table

pytestmark = pytest.mark.browser

_READ_ALL = """
const payload = JSON.parse(document.getElementById("data").textContent);
FrontierStore.loadEvents(payload).then(() => {
  const s = new FrontierStore.Store(payload.events, payload.categories, payload.eventsBuffer,
    payload.detailsElement);
  const unread = s.detailsLoaded ? null : { summary: s.summary(0), figures: s.figures.length };
  s.withDetails(() => {
  const rows = Array.from({ length: s.n }, (_, i) => i);
  window.decoded = {
    unread: unread, detailsElement: !!document.getElementById("details"),
    id: rows.map(s.id), title: rows.map(s.title), summary: rows.map(s.summary),
    place: rows.map(s.place), label: rows.map(s.precisionLabel), code: rows.map(s.orig[0].get),
    precision: rows.map(s.precision), kinds: Array.from(s.kinds()),
    lon: Array.from(s.lon),
    start: Array.from(s.start), cat: rows.map(i => s.categories[s.cat[i]].id),
    radius: Array.from(s.radius, r => Number.isNaN(r) ? null : r),
    figures: s.figures.map(f => f === null || f === undefined ? null : f.length),
    row: rows.length ? s.rowOf(s.id(rows.length - 1)) : null,
  };
  document.documentElement.setAttribute("data-frontier-ready", "true");
  });
});
"""


# How the page may inflate its containers: in a worker (the usual way; the page counts the
# workers made), without workers, or with a worker that fails as it starts (a policy may
# forbid it): the page then inflates them itself.
_INFLATERS = {
    "worker": """const Made = window.Worker;
window.workersMade = 0;
window.Worker = function (url) { window.workersMade++; return new Made(url); };""",
    "no worker": "delete window.Worker;",
    "failing worker": """const made = URL.createObjectURL;
URL.createObjectURL = () => made(new Blob(["throw new Error('forbidden here')"]));""",
}


def _store_page(tmp_path, rows: int, inflater: str = "worker"):
    """The table of ``rows`` rows in a bare page laid out as geo/build.py writes it, with store.js."""
    table = _table(rows)
    member = _member(table)
    payload = {"categories": [{"id": c.id} for c in CATEGORIES], **member}
    parts = [
        '<!doctype html><meta charset="utf-8">',
        f"<script>{_INFLATERS[inflater]}</script>",
        f"<script>{(STATIC_DIR / 'store.js').read_text('utf-8')}</script>",
    ]
    if "eventsGzip" in payload:  # as geo/build.py writes them
        for member, element in (("eventsGzip", "events"), ("detailsGzip", "details")):
            payload[member.replace("Gzip", "Element")] = element
            container = payload.pop(member)
            parts.append(f'<script type="application/octet-stream" id="{element}">{container}</script>')
        parts.insert(-1, '<script>FrontierStore.prefetch("events");</script>')
    parts.append(f'<script type="application/json" id="data">{json_for_script(payload)}</script>')
    parts.append(f"<script>{_READ_ALL}</script>")
    page_file = tmp_path / "store.html"
    page_file.write_text("\n".join(parts), "utf-8")
    return table, page_file


@pytest.mark.parametrize("rows", [BINARY_ABOVE_EVENTS - 1, BINARY_ABOVE_EVENTS + 501, 25_000])
def test_store_js_reads_back_every_row(open_map, tmp_path, rows):
    table, page_file = _store_page(tmp_path, rows)
    page, log = open_map(page_file)
    decoded = page.evaluate("window.decoded")
    # A large set's details wait in their own container until asked for, then it is gone.
    binary = rows > BINARY_ABOVE_EVENTS
    assert decoded["unread"] == ({"summary": None, "figures": 0} if binary else None)
    assert decoded["detailsElement"] is False
    expected = table.iloc[np.lexsort((table["end_day"].to_numpy(), table["start_day"].to_numpy()))]
    for key, column in (("id", "id"), ("title", "title"), ("summary", "summary"), ("place", "place")):
        assert decoded[key] == expected[column].tolist(), key
    assert decoded["code"] == expected["orig:code"].tolist()
    # The precision label is the build's (LocationPrecision.label), row by row.
    assert decoded["label"] == [
        LocationPrecision(row.precision_kind, radius_km=row.radius_km, area=row.area or None).label()
        for row in expected.itertuples()
    ]
    assert {"exact", "within 2.5 km", f"somewhere in {AWKWARD[2]}"} <= set(decoded["label"])
    assert decoded["precision"] == expected["precision_kind"].tolist()
    # kinds(), for loops over every row: the same as precision(i), as an index.
    assert [["exact", "radius", "area"][k] for k in decoded["kinds"]] == decoded["precision"]
    assert decoded["start"] == expected["start_day"].tolist()
    assert decoded["cat"] == expected["category"].tolist()
    assert decoded["lon"] == pytest.approx(expected["lon"].tolist(), abs=1e-5)
    assert decoded["radius"] == [None if np.isnan(r) else r for r in expected["radius_km"]]
    assert decoded["figures"] == [len(cell) if cell else None for cell in expected["figures"]]
    assert decoded["row"] == rows - 1
    assert log.errors == [] and log.requests == []


@pytest.mark.parametrize("inflater", list(_INFLATERS))
def test_the_containers_inflate_in_a_worker_or_without_one(open_map, tmp_path, inflater):
    """A worker inflates both containers; without one, or when it fails, the page does.

    A page whose failed worker left its containers waiting would never be ready.
    """
    table, page_file = _store_page(tmp_path, BINARY_ABOVE_EVENTS + 501, inflater)
    page, log = open_map(page_file)
    decoded = page.evaluate("window.decoded")
    expected = table.iloc[np.lexsort((table["end_day"].to_numpy(), table["start_day"].to_numpy()))]
    assert decoded["id"] == expected["id"].tolist()
    assert decoded["summary"] == expected["summary"].tolist()
    assert page.evaluate("window.workersMade") == (1 if inflater == "worker" else None)
    assert log.errors == [] and log.requests == []
