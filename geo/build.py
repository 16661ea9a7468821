"""Assemble the folium map; the only module that talks to folium and branca.

folium supplies the map container (and so Jupyter display). Everything built from
data reaches the page as one JSON document read by our own script (plus, for a large
event set, the base64 of two compressed binary containers beside it), through elements
whose output is fixed text: branca re-parses a MacroElement's output as
Jinja source, so data must never pass through one (a ``{{ }}`` in an event title
would run at build time).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, cast

import folium
import pandas as pd
from branca.element import Element, Figure

from geo.assets import Bundle, load_bundle
from geo.errors import UsageError
from geo.importing import (
    ImportedSource,
    ImportReport,
    Progress,
    event_sources,
    import_events,
    is_geojson,
    warn_report,
)
from geo.io import write_text_atomic
from geo.loader import load_dataset
from geo.model import Dataset
from geo.payload import build_payload, layer_payload
from geo.safe import escape_html, json_for_script
from geo.table import combine_tables, events_to_table
from geo.userlayers import layer_id_for, user_layer

# The article's data: packaged with a wheel (setup.py copies data/geojson there), else
# the checkout's own folder (an editable install reads the files being edited).
_PACKAGED_DATA_DIR = Path(__file__).resolve().parent / "_data" / "geojson"
_CHECKOUT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "geojson"
DEFAULT_DATA_DIR = _PACKAGED_DATA_DIR if _PACKAGED_DATA_DIR.is_dir() else _CHECKOUT_DATA_DIR
DEFAULT_TITLE = "Pakistan–Afghanistan frontier: places and events, 1893–2025"
MAP_ID = "frontier"
DATA_ELEMENT_ID = "frontier-data"
# Large event sets: the compressed containers' base64 (the events; their details, read
# on first use), each in its own element beside the JSON, so the page's JSON parse and
# the build's JSON escaping never copy them.
EVENTS_ELEMENT_ID = "frontier-events"
DETAILS_ELEMENT_ID = "frontier-event-details"
PAGE_NAME = "frontier_page"
# Height of the map in a notebook's output (the written HTML always fills its window).
NOTEBOOK_HEIGHT = 600
ADDED_LAYER_COLOR = "#7b3294"

ONLINE_TILE_LAYERS: tuple[dict[str, Any], ...] = (
    {
        "name": "OpenStreetMap (online)",
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
        "maxZoom": 19,
    },
    {
        "name": "Satellite imagery, Esri (online)",
        "url": "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "attribution": "Imagery © Esri, Maxar, Earthstar Geographics",
        "maxZoom": 18,
    },
    {
        "name": "Topographic, OpenTopoMap (online)",
        "url": "https://tile.opentopomap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors, SRTM; style © OpenTopoMap (CC-BY-SA)",
        "maxZoom": 17,
    },
)


@dataclass(frozen=True)
class BuildOptions:
    """Everything that shapes a build besides the data folder.

    ``event_files`` adds events: our GeoJSON event files, or ACLED, UCDP GED or
    simple-schema CSV files (detected by their header). ``strict`` stops on any bad CSV row instead
    of skipping it; ``aggregate`` shows imported rows as counts per province and
    month; ``access_date`` (YYYY-MM-DD) is when imported data were downloaded.
    """

    title: str = DEFAULT_TITLE
    online_tiles: bool = False
    event_files: tuple[Path, ...] = ()
    strict: bool = False
    aggregate: bool = False
    access_date: str | None = None


def build_map(
    data_dir: Path | str = DEFAULT_DATA_DIR,
    options: BuildOptions | None = None,
    *,
    events: Sequence[str | os.PathLike[str] | pd.DataFrame] = (),
    progress: Progress | bool | None = None,
    height: int | str = NOTEBOOK_HEIGHT,
    on_report: Callable[[ImportReport], None] | None = None,
) -> folium.Map:
    """Build the frontier map from a data folder.

    Parameters
    ----------
    data_dir
        A folder laid out like ``data/geojson`` (see ``data/README.md``).
    options
        Title, optional online tile layers, extra event files and how to import them.
    events
        More events, after ``options.event_files``: a list of paths (CSV or GeoJSON
        event files) and pandas DataFrames / GeoDataFrames with ACLED, UCDP GED or
        simple-schema columns (see ``README.md``).
    progress
        ``progress(file_name, bytes_done, bytes_total)``, called while CSV files import;
        ``True`` shows a line per file (updated in place in a notebook).
    height
        Height of the map in a notebook's output: pixels or a CSS length such as
        ``"80vh"``. The written HTML file always fills its window.
    on_report
        Called with the ``ImportReport`` of each imported CSV file or DataFrame; by
        default each report with news becomes an ``EventImportWarning``.

    Returns
    -------
    folium.Map
        Display it in Jupyter, or write it with :func:`write_map`. Its
        ``import_reports`` holds the ``ImportReport`` of each imported source.

    Raises
    ------
    DataError
        When the data has problems (all of them are listed).
    EventSourceError
        ``events`` is not a list of paths and DataFrames (a ``UsageError``, ``TypeError``).
    AssetError
        When the packaged browser assets are missing (a checkout that has not run
        ``npm ci && python -m geo.vendor``).
    """
    options = options or BuildOptions()
    bundle = load_bundle()  # fail fast, before a long import
    sources = [*event_sources(options.event_files, "event_files"), *event_sources(events)]
    geojson = [p for p in sources if isinstance(p, Path) and is_geojson(p)]
    dataset = load_dataset(Path(data_dir), geojson)
    imported = import_events(
        sources,
        dataset,
        strict=options.strict,
        aggregate=options.aggregate,
        access_date=options.access_date,
        progress=TextProgress() if progress is True else progress or None,
    )
    for source in imported:
        (on_report or warn_report)(source.report)
    return map_from_dataset(dataset, options, imported, bundle=bundle, height=height)


def map_from_dataset(
    dataset: Dataset,
    options: BuildOptions,
    imported: Sequence[ImportedSource] = (),
    *,
    bundle: Bundle | None = None,
    height: int | str = NOTEBOOK_HEIGHT,
) -> folium.Map:
    """Build the map from a loaded dataset and the sources imported beside it."""
    bundle = bundle or load_bundle()
    events = combine_tables([events_to_table(dataset.events), *(source.table for source in imported)])
    attributions = [
        *dict.fromkeys(
            la.attribution
            for la in (*dataset.basemap, *dataset.overlays, *dataset.event_layers)
            if la.attribution
        ),
        *(source.credit for source in imported),
    ]
    payload = build_payload(
        dataset,
        events,
        title=options.title,
        attributions=attributions,
        sources=[{"title": source.credit, "text": source.attribution} for source in imported],
        tile_layers=ONLINE_TILE_LAYERS if options.online_tiles else (),
    )
    containers = {
        element: payload.pop(member)
        for member, element in (("eventsGzip", EVENTS_ELEMENT_ID), ("detailsGzip", DETAILS_ELEMENT_ID))
        if member in payload
    }
    if containers:
        payload["eventsElement"], payload["detailsElement"] = EVENTS_ELEMENT_ID, DETAILS_ELEMENT_ID
    (south, west), (north, east) = payload["bounds"]
    fmap = _OfflineMap(location=((south + north) / 2, (west + east) / 2), height=_css_length(height))
    fmap.import_reports = tuple(source.report for source in imported)
    _figure(fmap).title = escape_html(options.title)
    fmap.add_child(_Page(bundle, payload, containers), name=PAGE_NAME)
    return fmap


def add_layer(
    fmap: folium.Map,
    data: object,
    name: str,
    *,
    color: str = ADDED_LAYER_COLOR,
    source: str = "",
    label: str | None = None,
) -> str:
    """Add a layer of your own to a map built by :func:`build_map`; return its id.

    Unlike a folium layer added with ``.add_to(m)`` (which also works), this layer
    joins the map's own layer list with its colour swatch, its search (by feature
    name) and deep links (``#layers=<id>``), and its features get the map's popups.

    Parameters
    ----------
    fmap
        A map returned by :func:`build_map`.
    data
        A GeoJSON file path, a GeoJSON dict (FeatureCollection, Feature or geometry)
        or a GeoDataFrame (reprojected to WGS84 when it has another CRS).
    name
        The layer's title in the layer list and popups.
    color
        Its colour (any CSS colour).
    source
        Where the data come from: shown in popups and the attribution bar.
    label
        The property that names each feature (default: ``name`` or ``title``).

    Raises
    ------
    TypeError
        When ``data`` is none of the above.
    DataError
        When features have no usable longitude/latitude geometry (all are listed).
    """
    page = fmap._children.get(PAGE_NAME) if isinstance(fmap, _OfflineMap) else None
    if not isinstance(page, _Page):
        raise TypeError("add_layer takes a map made by geo.build_map")
    overlays: list[dict[str, Any]] = page.payload["overlays"]
    layer_id = layer_id_for(name, {layer["id"] for layer in overlays})
    layer = user_layer(
        data, name, layer_id=layer_id, order=len(overlays), color=color, source=source, label=label
    )
    overlays.append(layer_payload(layer))
    if source and source not in page.payload["attributions"]:
        page.payload["attributions"].append(source)
    return layer_id


class TextProgress:
    """Import progress as one line per file, redrawn in place in a notebook or a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.shown: dict[str, int] = {}
        self.handles: dict[str, Any] = {}

    def __call__(self, name: str, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` bytes of file ``name`` are imported."""
        percent = 100 if not total else min(100, done * 100 // total)
        if self.shown.get(name) == percent:
            return
        self.shown[name] = percent
        text = f"importing {name}: {percent}% of {total / 1e6:.1f} MB"
        display = _notebook_display()
        if display is not None and self.stream is None:
            if name in self.handles:
                self.handles[name].update(_PlainText(text))
            else:
                self.handles[name] = display(_PlainText(text), display_id=True)
            return
        stream = self.stream or sys.stderr
        stream.write(f"\r{text}" + ("\n" if percent == 100 else ""))
        stream.flush()


class _PlainText:
    """Text that a notebook shows as it is."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _notebook_display() -> Any:
    """IPython's ``display`` when running in a notebook kernel, else None."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or type(shell).__name__ != "ZMQInteractiveShell":
        return None
    from IPython.display import display

    return display


def render_html(fmap: folium.Map) -> str:
    """The complete HTML document of a map built here."""
    return str(fmap.get_root().render())


def write_map(fmap: folium.Map, path: Path | str) -> Path:
    """Write the map's HTML to ``path`` atomically; return the path."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"output {str(path)!r} is a folder; give a file name such as map.html")
    write_text_atomic(path, render_html(fmap))
    return path


class _Document(Figure):
    """branca's HTML page, with its language declared (``<html lang="en">``)."""

    def render(self, **kwargs: Any) -> str:
        return str(super().render(**kwargs)).replace("<html>", '<html lang="en">', 1)


class _OfflineMap(folium.Map):
    """A folium Map with no CDN links, no tiles and a fixed element id, on an English page."""

    import_reports: tuple[ImportReport, ...] = ()

    def __init__(self, location: tuple[float, float], height: str) -> None:
        super().__init__(location=location, zoom_start=6, tiles=None, control_scale=True, zoom_snap=0.25)
        _Document().add_child(self)
        # Instance lists: folium's class-level defaults point at CDNs and are shared.
        self.default_js: list[tuple[str, str]] = []
        self.default_css: list[tuple[str, str]] = []
        self._id = MAP_ID
        self.notebook_height = height

    def _repr_html_(self, **kwargs: Any) -> str:
        """The map in a notebook: the page in an iframe's srcdoc, ``notebook_height`` high."""
        return (
            f'<iframe srcdoc="{escape_html(render_html(self))}" title="{_figure(self).title}" '
            f'style="display:block;width:100%;height:{escape_html(self.notebook_height)};border:none" '
            "allowfullscreen></iframe>"
        )


def _figure(fmap: folium.Map) -> Figure:
    return cast(Figure, fmap.get_root())


def _css_length(height: int | str) -> str:
    if isinstance(height, bool) or not isinstance(height, (int, str)):
        raise TypeError(f"height is pixels (int) or a CSS length (str), not {type(height).__name__}")
    if isinstance(height, int):
        if height <= 0:
            raise UsageError(f"height must be positive, not {height}")
        return f"{height}px"
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?(px|vh|em|rem|%)", height.strip()):
        raise UsageError(f"height {height!r} is not a CSS length such as '600px' or '80vh'")
    return height.strip()


class _Fixed(Element):
    """An element whose output is the given text, never template source."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class _Page(Element):
    """Inline assets, the JSON payload and the call that starts the page script.

    The payload stays a dict until the page is rendered, so :func:`add_layer` can
    add layers to it. Pages whose map holds folium elements of the user's also get
    the bundle's on-demand scripts (jQuery, which folium's popups call).
    """

    def __init__(self, bundle: Bundle, payload: dict[str, Any], containers: dict[str, str]) -> None:
        super().__init__()
        self._name = "FrontierPage"
        self._id = "page"
        self.bundle = bundle
        self.payload = payload
        self.containers = containers

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        fmap = self._parent
        if not isinstance(figure, Figure) or fmap is None:
            raise UsageError("the frontier page must be rendered inside its map's Figure")
        user_elements = any(child is not self for child in fmap._children.values())
        scripts = self.bundle.scripts + (self.bundle.on_demand if user_elements else ())
        head = [f"<style>\n{css}\n</style>" for css in self.bundle.styles]
        head += [f"<script>\n{_script_safe(js)}\n</script>" for js in scripts]
        figure.header.add_child(_Fixed("\n".join(head)), name="frontier_assets")
        payload = json_for_script(self.payload)
        data = f'<script type="application/json" id="{DATA_ELEMENT_ID}">{payload}</script>'
        for element_id, container in self.containers.items():  # base64: it cannot end its element
            data += f'\n<script type="application/octet-stream" id="{element_id}">{container}</script>'
            if element_id == EVENTS_ELEMENT_ID:  # inflated in a worker while the rest of the page is read
                data += f"\n<script>FrontierStore.prefetch({json.dumps(element_id)});</script>"
        figure.html.add_child(_Fixed(data), name="frontier_data")
        start = f"FrontierMap.start({fmap.get_name()}, {DATA_ELEMENT_ID!r});"
        figure.script.add_child(_Fixed(start), name="frontier_start")
        return ""


def _script_safe(js: str) -> str:
    """Refuse script text that would close its own <script> element early."""
    if "</script" in js.lower():
        raise UsageError("an inlined script contains '</script', which would end it early")
    return js
