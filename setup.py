"""Build hook: package the pinned browser assets and the default data (metadata is in pyproject.toml).

Before setuptools collects the package data, ``geo.vendor`` copies the files listed in
``geo/assets.py`` from ``node_modules`` into ``geo/_vendor/`` with a generated
manifest (an unpacked sdist carries them already), so a wheel, an sdist and an
editable install all read the same files. A wheel also gets the default data
(``data/geojson`` and its README) as ``geo/_data``; an editable install reads
``data/geojson`` in the checkout instead.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import types
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent


def vendor_assets() -> None:
    """Run geo.vendor without geo/__init__.py, which imports the runtime dependencies."""
    if "geo" not in sys.modules:
        stub = types.ModuleType("geo")
        stub.__path__ = [str(ROOT / "geo")]
        sys.modules["geo"] = stub
    files = importlib.import_module("geo.vendor").vendor(ROOT)
    print(f"frontier-map: packaged {len(files)} browser asset files into geo/_vendor")


class BuildPy(build_py):
    """Vendor the browser assets first; give a wheel the default data."""

    def run(self) -> None:
        """Vendor, build as usual, then copy the default data (not for an editable install)."""
        vendor_assets()
        super().run()
        if not self.editable_mode:
            target = Path(self.build_lib) / "geo" / "_data"
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(ROOT / "data" / "geojson", target / "geojson")
            shutil.copyfile(ROOT / "data" / "README.md", target / "README.md")


class Sdist(sdist):
    """Vendor the browser assets before the file list is made, so the sdist carries them."""

    def run(self) -> None:
        """Vendor, then make the sdist as usual."""
        vendor_assets()
        super().run()


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
