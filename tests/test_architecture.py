"""Module boundaries the design relies on, read from the source with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parent.parent / "geo"
MODULES = sorted(p for p in GEO.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(GEO)))
def test_only_build_talks_to_folium(path):
    uses = {top(n) for n in imported_modules(path)} & {"folium", "branca", "jinja2"}
    if path.name == "build.py" and path.parent == GEO:
        assert uses <= {"folium", "branca"}
    else:
        assert not uses, f"{path.name} imports {uses}; only geo/build.py may use folium/branca"


@pytest.mark.parametrize("name", ["errors.py", "dates.py", "taxonomy.py", "model.py", "safe.py"])
def test_core_records_need_no_heavy_libraries(name):
    heavy = {top(n) for n in imported_modules(GEO / name)} & {"pandas", "geopandas", "folium", "pyproj"}
    assert not heavy, f"{name} imports {heavy}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(GEO)))
def test_nothing_in_the_package_imports_the_cli(path):
    if path.name not in ("cli.py", "__main__.py"):
        assert "geo.cli" not in imported_modules(path)
