"""Files in and out: finding and reading the data folder's GeoJSON, checking paths, writing atomically.

No validation beyond "is it a readable regular file" and "is it JSON": the format is
:mod:`geo.validate`'s job.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import Problem, UsageError
from geo.model import LayerRole

EVENTS_FILE = "events.geojson"
BASEMAP_DIR = "basemap"
COUNTRIES_FILE = f"{BASEMAP_DIR}/countries.geojson"
LAYER_SUFFIX = ".geojson"


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
        for p in sorted(data_dir.glob(f"*{LAYER_SUFFIX}"))
    ]
    found += [
        SourceFile(p, f"{BASEMAP_DIR}/{p.name}", "basemap")
        for p in sorted((data_dir / BASEMAP_DIR).glob(f"*{LAYER_SUFFIX}"))
    ]
    return found


def unreadable(path: Path, name: str) -> Problem | None:
    """Why ``path`` cannot be read as an input file, or None when it can.

    Refused without opening anything that could block or never end: a FIFO, a device
    (``/dev/zero``) or a socket; also a folder, a missing file, a symbolic-link loop
    and a file without read permission.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        reasons = {
            errno.ENOENT: "does not exist",
            errno.ELOOP: "is a symbolic link loop",
            errno.EACCES: "cannot be read: permission denied",
            errno.ENAMETOOLONG: "cannot be read: the name is too long",
            errno.ENOTDIR: "does not exist (a part of its path is not a folder)",
        }
        reason = reasons.get(exc.errno or 0, f"cannot be read: {exc.strerror}")
        return Problem(name, "", "", reason)
    if stat.S_ISDIR(info.st_mode):
        return Problem(name, "", "", "is a folder; expected a file")
    if not stat.S_ISREG(info.st_mode):
        return Problem(name, "", "", "is not a regular file (a FIFO, device or socket); expected a file")
    if not os.access(path, os.R_OK):
        return Problem(name, "", "", "cannot be read: permission denied")
    return None


class JsonObject(dict[str, Any]):
    """A JSON object in which some keys appeared more than once (``repeated``).

    Python keeps the last value of a repeated key without a word; the validator
    reports them. Objects without repeated keys stay plain dicts.
    """

    repeated: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    marked = JsonObject(value)
    keys = [key for key, _ in pairs]
    marked.repeated = tuple(sorted({key for key in keys if keys.count(key) > 1}))
    return marked


def read_json(path: Path, name: str) -> tuple[Any, list[Problem]]:
    """Read one JSON file; on failure, problems naming where it broke (and ``None``).

    The file was read when the problem list is empty, whatever the value (JSON
    ``null`` included).
    """
    refused = unreadable(path, name)
    if refused is not None:
        return None, [refused]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "", "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(name, "", "", f"cannot be read: {exc.strerror}")]
    try:
        return json.loads(text, object_pairs_hook=_json_object), []
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


def check_output(path: Path, inputs: Iterable[Path], data_dir: Path | None = None) -> Path:
    """Check that the map can be written to ``path`` without harm; return where it will go.

    Refused, before anything is read: a folder; a path whose folder is missing or not
    writable; a name too long for the file system; an existing file that is read-only or
    not a regular file; any of ``inputs`` (compared as files, so through symbolic and hard
    links too); and a ``.geojson`` name in one of the data folder's layer folders, which
    the next build would read as a layer. A symbolic link is followed: the file it points
    at is replaced, the link kept.

    Raises
    ------
    UsageError
        Saying what is wrong with the output path and what to do instead.
    """
    try:
        return _checked_output(path, list(inputs), data_dir)
    except OSError as exc:  # e.g. a path too long to even look at
        raise UsageError(f"output {_shorter(str(path))!r} cannot be used: {exc.strerror}") from None


def _checked_output(path: Path, inputs: list[Path], data_dir: Path | None) -> Path:
    shown = _shorter(str(path))
    for name in (path, Path(os.path.realpath(path))):
        name_max = _limit(name.parent, "PC_NAME_MAX", 255)
        if len(os.fsencode(name.name)) > name_max:
            raise UsageError(f"output name {_shorter(name.name)!r} is too long: at most {name_max} bytes")
        if len(os.fsencode(os.path.abspath(name))) >= _limit(name.parent, "PC_PATH_MAX", 4096):
            raise UsageError(f"output path {shown!r} is too long for the file system")
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"output folder {_shorter(str(folder))!r} does not exist; create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"output folder {_shorter(str(folder))!r} is not writable")
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"output {shown!r} is a folder; give a file name such as map.html")
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"output {shown!r} is not a regular file (a FIFO, device or socket)")
        if not os.access(target, os.W_OK):
            raise UsageError(f"output {shown!r} is read-only; it is not overwritten")
        for source in inputs:
            if _same_file(target, source):
                raise UsageError(
                    f"output {shown!r} is the input {str(source)!r}; writing the map there would "
                    "destroy it. Give another output path"
                )
    if data_dir is not None and target.suffix.lower() == LAYER_SUFFIX:
        for layers in (data_dir, data_dir / BASEMAP_DIR):
            if _same_folder(folder, layers):
                raise UsageError(
                    f"output {shown!r} is in the data folder {str(layers)!r}, where every "
                    f"{LAYER_SUFFIX} file is read as a layer. Give another output path"
                )
    return target


def _shorter(text: str, limit: int = 160) -> str:
    """A path short enough for a message: its start and its end around '…'."""
    return text if len(text) <= limit else f"{text[: limit // 3]}…{text[-limit // 2 :]}"


def _limit(folder: Path, name: str, default: int) -> int:
    probe = folder if folder.is_dir() else Path(".")
    try:
        return os.pathconf(probe, name)
    except (OSError, ValueError):
        return default


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _same_folder(a: Path, b: Path) -> bool:
    return _same_file(a, b) or os.path.realpath(a) == os.path.realpath(b)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one.

    The text is encoded first (so text that cannot be UTF-8 fails before any file is
    made), written to a temporary file beside ``path`` which then replaces it in one
    rename. An existing file's permissions are kept (a new file gets the usual
    ``0666`` less the umask). If anything fails or the process is interrupted
    (Ctrl-C, or SIGTERM turned into an exception), ``path`` is left as it was and the
    temporary file removed.

    Raises
    ------
    UsageError
        The text holds characters UTF-8 cannot encode (lone surrogates).
    """
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        context = text[max(0, exc.start - 30) : exc.start]
        raise UsageError(
            f"the map cannot be written as UTF-8: a lone surrogate {text[exc.start]!r} after {context!r}"
        ) from None
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    # A fresh name each time (O_EXCL), so two writers in one folder never share one.
    tmp = path.with_name(f".frontier-map.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    made = False
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        made = True
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if made:
            tmp.unlink(missing_ok=True)
        raise
