"""Build the frontier map: ``python make_map.py [-o map.html] [--data DIR] [--check]``."""

import sys

from geo.cli import main

if __name__ == "__main__":
    sys.exit(main())
