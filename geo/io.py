"""Finding and reading the data folder's GeoJSON files; no validation beyond 'is it JSON'."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import Problem
from geo.model import LayerRole

EVENTS_FILE = "events.geojson"
BASEMAP_DIR = "basemap"
COUNTRIES_FILE = f"{BASEMAP_DIR}/countries.geojson"


@dataclass(frozen=True)
class SourceFile:
    """A GeoJSON file found in the data folder and the role its place gives it."""

    path: Path
    name: str
    role: LayerRole


def discover(data_dir: Path) -> list[SourceFile]:
    """List the data folder's files in a fixed order: overlays, events, basemap."""
    found = [
        SourceFile(p, p.name, "events" if p.name == EVENTS_FILE else "overlay")
        for p in sorted(data_dir.glob("*.geojson"))
    ]
    found += [
        SourceFile(p, f"{BASEMAP_DIR}/{p.name}", "basemap")
        for p in sorted((data_dir / BASEMAP_DIR).glob("*.geojson"))
    ]
    return found


def read_json(path: Path, name: str) -> tuple[Any, list[Problem]]:
    """Read one JSON file; on failure return ``None`` and a problem naming where it broke."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "", "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(name, "", "", f"cannot be read: {exc.strerror}")]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                name,
                "",
                "",
                f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            )
        ]
    except RecursionError:
        return None, [Problem(name, "", "", "is not usable JSON: nested too deeply")]
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        reason = str(exc).split(";")[0]  # drop Python's advice to programmers
        return None, [Problem(name, "", "", f"is not usable JSON: {reason}")]


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one.

    The text goes to a temporary file beside ``path`` which then replaces it in one
    rename; if anything fails, ``path`` is left as it was and the temporary file removed.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
