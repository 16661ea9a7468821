"""The offline bundle: pinned third-party files from node_modules, plus our own JS and CSS.

Third-party files are never copied into the repository: ``npm ci`` installs the
versions pinned in ``package-lock.json`` and this module reads them at build time,
checks their version against the lockfile, and inlines them (images in CSS become
data URIs) so the page makes no network request.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

from geo.errors import AssetError

REPO_ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = Path(__file__).resolve().parent / "static"
# Our own page code, concatenated in this order: the event store and the canvas layer
# that frontier.js (the core map) uses, then the extensions.
OWN_SCRIPTS = ("store.js", "canvas.js", "frontier.js")
OWN_STYLES = ("frontier.css",)
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
    "deeplink.js",
)
OWN_STYLES += ("time.css", "print.css")
_CSS_URL = re.compile(r"url\((['\"]?)(?!data:|#)([^'\")]+)\1\)")


@dataclass(frozen=True)
class Bundle:
    """Everything the page needs inline: scripts and styles, in load order."""

    scripts: tuple[str, ...]
    styles: tuple[str, ...]
    versions: dict[str, str]


def load_bundle(node_modules: Path | None = None) -> Bundle:
    """Read Leaflet (version checked against the lockfile) and our own assets."""
    root = Path(node_modules) if node_modules else REPO_ROOT / "node_modules"
    leaflet = _package_dir(root, "leaflet")
    leaflet_css = _inline_css_urls((leaflet / "dist" / "leaflet.css").read_text("utf-8"), leaflet / "dist")
    scripts = ((leaflet / "dist" / "leaflet.js").read_text("utf-8"),)
    scripts += tuple((STATIC_DIR / name).read_text("utf-8") for name in OWN_SCRIPTS)
    styles = (leaflet_css, *((STATIC_DIR / name).read_text("utf-8") for name in OWN_STYLES))
    return Bundle(scripts=scripts, styles=styles, versions={"leaflet": _version(leaflet)})


def pinned_versions(lockfile: Path = REPO_ROOT / "package-lock.json") -> dict[str, str]:
    """The versions ``package-lock.json`` pins, by package name."""
    lock = json.loads(lockfile.read_text("utf-8"))
    return {
        key.removeprefix("node_modules/"): value["version"]
        for key, value in lock.get("packages", {}).items()
        if key.startswith("node_modules/")
    }


def _package_dir(root: Path, name: str) -> Path:
    fix = f"run `npm ci` in {REPO_ROOT} (needs Node.js and npm) to install the pinned assets"
    package = root / name
    if not (package / "package.json").is_file():
        raise AssetError(f"{name} is not installed in {root}; {fix}")
    wanted = pinned_versions().get(name)
    found = _version(package)
    if wanted is not None and found != wanted:
        raise AssetError(f"{name} {found} is installed but package-lock.json pins {wanted}; {fix}")
    return package


def _version(package: Path) -> str:
    return str(json.loads((package / "package.json").read_text("utf-8"))["version"])


def _inline_css_urls(css: str, base: Path) -> str:
    """Replace ``url(images/x.png)`` with data URIs so the stylesheet needs no files."""

    def data_uri(match: re.Match[str]) -> str:
        path = base / match.group(2)
        if not path.is_file():
            raise AssetError(f"{path} referenced by a stylesheet is missing; reinstall with `npm ci`")
        mime = {".png": "image/png", ".svg": "image/svg+xml"}.get(path.suffix, "application/octet-stream")
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{encoded}")'

    return _CSS_URL.sub(data_uri, css)
