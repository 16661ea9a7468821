"""Assemble the folium map; the only module that talks to folium and branca.

folium supplies the map container (and so Jupyter display). Everything built from
data reaches the page as one JSON document read by our own script (plus, for a large
event set, the base64 of a compressed binary container beside it), through elements
whose output is fixed text: branca re-parses a MacroElement's output as
Jinja source, so data must never pass through one (a ``{{ }}`` in an event title
would run at build time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure

from geo.assets import Bundle, load_bundle
from geo.errors import UsageError
from geo.importing import ImportedSource, Progress, import_files, is_geojson
from geo.io import write_text_atomic
from geo.loader import load_dataset
from geo.model import Dataset
from geo.payload import build_payload
from geo.safe import escape_html, json_for_script
from geo.table import combine_tables, events_to_table

# The article's data: packaged with a wheel (setup.py copies data/geojson there), else
# the checkout's own folder (an editable install reads the files being edited).
_PACKAGED_DATA_DIR = Path(__file__).resolve().parent / "_data" / "geojson"
_CHECKOUT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "geojson"
DEFAULT_DATA_DIR = _PACKAGED_DATA_DIR if _PACKAGED_DATA_DIR.is_dir() else _CHECKOUT_DATA_DIR
DEFAULT_TITLE = "Pakistan–Afghanistan frontier: places and events, 1893–2025"
MAP_ID = "frontier"
DATA_ELEMENT_ID = "frontier-data"
# Large event sets: the compressed container's base64, in its own element beside the
# JSON, so the page's JSON parse and the build's JSON escaping never copy it.
EVENTS_ELEMENT_ID = "frontier-events"

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

    ``event_files`` adds events: our GeoJSON event files, or ACLED / UCDP GED CSV
    files (detected by their header). ``strict`` stops on any bad CSV row instead
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
    progress: Progress | None = None,
) -> folium.Map:
    """Build the frontier map from a data folder.

    Parameters
    ----------
    data_dir
        A folder laid out like ``data/geojson`` (see ``data/README.md``).
    options
        Title, optional online tile layers, extra event files and how to import them.
    progress
        ``progress(file_name, bytes_done, bytes_total)``, called while CSV files import.

    Returns
    -------
    folium.Map
        Display it in Jupyter, or write it with :func:`write_map`.

    Raises
    ------
    DataError
        When the data has problems (all of them are listed).
    AssetError
        When the packaged browser assets are missing (a checkout that has not run
        ``npm ci && python -m geo.vendor``).
    """
    options = options or BuildOptions()
    bundle = load_bundle()  # fail fast, before a long import
    files = [Path(p) for p in options.event_files]
    dataset = load_dataset(Path(data_dir), [p for p in files if is_geojson(p)])
    imported = import_files(
        [p for p in files if not is_geojson(p)],
        dataset,
        strict=options.strict,
        aggregate=options.aggregate,
        access_date=options.access_date,
        progress=progress,
    )
    return map_from_dataset(dataset, options, imported, bundle=bundle)


def map_from_dataset(
    dataset: Dataset,
    options: BuildOptions,
    imported: Sequence[ImportedSource] = (),
    *,
    bundle: Bundle | None = None,
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
    container = payload.pop("eventsGzip", None)
    if container is not None:
        payload["eventsElement"] = EVENTS_ELEMENT_ID
    (south, west), (north, east) = payload["bounds"]
    fmap = _OfflineMap(location=((south + north) / 2, (west + east) / 2))
    fmap.get_root().title = escape_html(options.title)
    page = _Page(bundle.styles, bundle.scripts, json_for_script(payload), container)
    fmap.add_child(page, name="frontier_page")
    return fmap


def render_html(fmap: folium.Map) -> str:
    """The complete HTML document of a map built here."""
    return fmap.get_root().render()


def write_map(fmap: folium.Map, path: Path | str) -> Path:
    """Write the map's HTML to ``path`` atomically; return the path."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"output {str(path)!r} is a folder; give a file name such as map.html")
    write_text_atomic(path, render_html(fmap))
    return path


class _OfflineMap(folium.Map):
    """A folium Map with no CDN links, no tiles and a fixed element id."""

    def __init__(self, location: tuple[float, float]) -> None:
        super().__init__(location=location, zoom_start=6, tiles=None, control_scale=True, zoom_snap=0.25)
        # Instance lists: folium's class-level defaults point at CDNs and are shared.
        self.default_js: list[tuple[str, str]] = []
        self.default_css: list[tuple[str, str]] = []
        self._id = MAP_ID


class _Fixed(Element):
    """An element whose output is the given text, never template source."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class _Page(Element):
    """Inline assets, the JSON payload and the call that starts the page script."""

    def __init__(
        self, styles: tuple[str, ...], scripts: tuple[str, ...], payload_json: str, container: str | None
    ) -> None:
        super().__init__()
        self._name = "FrontierPage"
        self._id = "page"
        self.styles = styles
        self.scripts = scripts
        self.payload_json = payload_json
        self.container = container

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise UsageError("the frontier page must be rendered inside its map's Figure")
        head = [f"<style>\n{css}\n</style>" for css in self.styles]
        head += [f"<script>\n{_script_safe(js)}\n</script>" for js in self.scripts]
        figure.header.add_child(_Fixed("\n".join(head)), name="frontier_assets")
        data = f'<script type="application/json" id="{DATA_ELEMENT_ID}">{self.payload_json}</script>'
        if self.container is not None:  # base64: it cannot end its script element
            element = f'<script type="application/octet-stream" id="{EVENTS_ELEMENT_ID}">'
            data += f"\n{element}{self.container}</script>"
        figure.html.add_child(_Fixed(data), name="frontier_data")
        start = f"FrontierMap.start({self._parent.get_name()}, {DATA_ELEMENT_ID!r});"
        figure.script.add_child(_Fixed(start), name="frontier_start")
        return ""


def _script_safe(js: str) -> str:
    """Refuse script text that would close its own <script> element early."""
    if "</script" in js.lower():
        raise UsageError("an inlined script contains '</script', which would end it early")
    return js
