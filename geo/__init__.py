"""frontier-map: one self-contained Leaflet map of the Pakistan–Afghanistan frontier."""

from geo.build import BuildOptions, TextProgress, add_layer, build_map, render_html, write_map
from geo.errors import AssetError, DataError, FrontierMapError, Problem, UsageError
from geo.loader import load_dataset

__all__ = [
    "AssetError",
    "BuildOptions",
    "DataError",
    "FrontierMapError",
    "Problem",
    "TextProgress",
    "UsageError",
    "add_layer",
    "build_map",
    "load_dataset",
    "render_html",
    "write_map",
]
