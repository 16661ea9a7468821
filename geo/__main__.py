"""``python -m geo``: the frontier-map command line (see :mod:`geo.cli`)."""

import sys

from geo.cli import main

sys.exit(main())
