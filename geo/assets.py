"""The offline bundle: pinned third-party files plus our own JS and CSS, inlined into the page.

Third-party files come from the npm packages pinned in ``package.json`` and
``package-lock.json`` and are never committed. ``THIRD_PARTY`` below is the one list
of what the page and the build use from them. A build step, :mod:`geo.vendor` (run by
the package build hook in ``setup.py`` and by ``scripts/setup.sh``), copies exactly
those files from ``node_modules`` into ``geo/_vendor/`` and records each package's
version, integrity and licence from the lockfile in the generated module
``geo/_assets_manifest.py``. This module reads only those two, in a wheel and in a
checkout alike: nothing reads ``node_modules`` or ``package-lock.json`` when a map is
built. Images that stylesheets reference become data URIs so the page makes no request.
"""

from __future__ import annotations

import base64
import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from geo.errors import AssetError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
STATIC_DIR = PACKAGE_DIR / "static"
VENDOR_DIR = PACKAGE_DIR / "_vendor"
MANIFEST_MODULE = "geo._assets_manifest"
# What fixes a missing or outdated geo/_vendor in a checkout (scripts/setup.sh runs it too).
VENDOR_COMMAND = "npm ci && python -m geo.vendor"


@dataclass(frozen=True)
class ThirdParty:
    """One file of a pinned npm package that the build uses.

    ``kind`` says how: ``script`` and ``style`` are inlined into every page in list
    order, before our own (a stylesheet's images become data URIs); ``on-demand``
    scripts only into pages holding elements that need them (see ``Bundle``); a
    ``file`` is read by the build itself (:func:`asset_path`).
    """

    package: str
    path: str
    kind: Literal["script", "style", "on-demand", "file"]


# Every third-party file the build uses; each package is pinned in package-lock.json.
THIRD_PARTY: tuple[ThirdParty, ...] = (
    ThirdParty("leaflet", "dist/leaflet.css", "style"),
    ThirdParty("leaflet", "dist/leaflet.js", "script"),
    # Leaflet's default marker (icon, retina icon, shadow) for folium Markers: _default_icon_script.
    ThirdParty("leaflet", "dist/images/marker-icon.png", "file"),
    ThirdParty("leaflet", "dist/images/marker-icon-2x.png", "file"),
    ThirdParty("leaflet", "dist/images/marker-shadow.png", "file"),
    # folium's Popup builds its content with jQuery's $(): only in maps holding folium elements.
    ThirdParty("jquery", "dist/jquery.min.js", "on-demand"),
    # Natural Earth 1:50m land and countries: the basemap beyond the 1:10m frontier layers,
    # cut to each map by geo/world.py.
    ThirdParty("world-atlas", "countries-50m.json", "file"),
    # "Save image": renders the map's DOM (SVG, canvas, markers, legend) into a PNG.
    ThirdParty("html-to-image", "dist/html-to-image.js", "script"),
)

# Our own page code, concatenated in this order: the event store, the cluster layer and
# the basemap that frontier.js (the core map) uses, then the extensions.
OWN_SCRIPTS: tuple[str, ...] = ("store.js", "cluster.js", "basemap.js", "frontier.js")
OWN_STYLES: tuple[str, ...] = ("frontier.css", "basemap.css", "snapshot.css")
# Time and story (issue 4): FrontierMap.extend scripts; common.js first, deeplink.js last.
OWN_SCRIPTS += (
    "common.js",
    "timeline.js",
    "filters.js",
    "eventlist.js",
    "story.js",
    "search.js",
    "status.js",
    "export.js",
    "snapshot.js",
    "deeplink.js",
)
OWN_STYLES += ("time.css", "print.css")
CSS_URL = re.compile(r"url\((['\"]?)(?!data:|#)([^'\")]+)\1\)")
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}


@dataclass(frozen=True)
class Bundle:
    """Everything the page needs inline: scripts and styles in load order.

    ``on_demand`` scripts go (after ``scripts``) only into pages that hold folium
    elements added by the user: folium's popups need jQuery.
    """

    scripts: tuple[str, ...]
    styles: tuple[str, ...]
    on_demand: tuple[str, ...]
    versions: dict[str, str]


def load_bundle() -> Bundle:
    """Read the packaged third-party files (checked against the manifest) and our own assets."""
    versions = installed_versions()
    scripts: list[str] = []
    styles: list[str] = []
    on_demand: list[str] = []
    for asset in THIRD_PARTY:
        path = asset_path(asset.package, asset.path)
        if asset.kind == "style":
            styles.append(inline_css_urls(path.read_text("utf-8"), path.parent))
        elif asset.kind == "script":
            scripts.append(path.read_text("utf-8"))
        elif asset.kind == "on-demand":
            on_demand.append(path.read_text("utf-8"))
    scripts.append(_default_icon_script())
    scripts += [(STATIC_DIR / name).read_text("utf-8") for name in OWN_SCRIPTS]
    styles += [(STATIC_DIR / name).read_text("utf-8") for name in OWN_STYLES]
    return Bundle(scripts=tuple(scripts), styles=tuple(styles), on_demand=tuple(on_demand), versions=versions)


def installed_versions() -> dict[str, str]:
    """The version of each package in ``THIRD_PARTY``, as the build hook recorded it."""
    packages = _manifest_packages()
    missing = list(dict.fromkeys(asset.package for asset in THIRD_PARTY if asset.package not in packages))
    if missing:
        raise AssetError(f"the packaged browser assets in {VENDOR_DIR} lack {', '.join(missing)}; {_fix()}")
    return {asset.package: packages[asset.package]["version"] for asset in THIRD_PARTY}


def asset_path(package: str, name: str) -> Path:
    """The packaged copy of file ``name`` of npm package ``package`` (listed in ``THIRD_PARTY``)."""
    path = VENDOR_DIR / package / name
    if not path.is_file():
        raise AssetError(f"{package}/{name} is missing from the packaged browser assets; {_fix()}")
    return path


def inline_css_urls(css: str, base: Path) -> str:
    """Replace ``url(images/x.png)`` with data URIs so the stylesheet needs no files."""

    def data_uri(match: re.Match[str]) -> str:
        path = base / match.group(2)
        if not path.is_file():
            raise AssetError(f"{path} referenced by a stylesheet is missing; {_fix()}")
        return _data_uri(path)

    return CSS_URL.sub(data_uri, css)


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _default_icon_script() -> str:
    """Point ``L.Icon.Default`` at inlined images.

    Leaflet finds its marker images by reading the URL in its stylesheet, which fails
    when the stylesheet is inline, so a folium ``Marker`` without an icon of its own
    would show a broken image. An ``imagePath`` string of "" stops that detection.
    """
    icon, retina, shadow = (
        _data_uri(asset_path("leaflet", f"dist/images/{name}.png"))
        for name in ("marker-icon", "marker-icon-2x", "marker-shadow")
    )
    urls = json.dumps({"iconUrl": icon, "iconRetinaUrl": retina, "shadowUrl": shadow})
    return f'L.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({urls});'


def _manifest_packages() -> dict[str, dict[str, str]]:
    try:
        module = importlib.import_module(MANIFEST_MODULE)
    except ModuleNotFoundError:
        raise AssetError(f"the browser assets are not packaged in {VENDOR_DIR}; {_fix()}") from None
    packages: dict[str, dict[str, str]] = module.PACKAGES
    return packages


def _fix() -> str:
    if (REPO_ROOT / "package.json").is_file():
        return f"run `{VENDOR_COMMAND}` in {REPO_ROOT} (needs Node.js and npm)"
    return "this installation is incomplete: reinstall frontier-map"
