"""The first view (geo/view.py): which events are linked to the frontier's layers."""

from __future__ import annotations

import numpy as np

from geo.view import CELL_DEG, _linked_to

PESHAWAR_BOX = (71.4, 33.9, 71.7, 34.1)  # west, south, east, north


def test_events_in_reach_of_the_layers_are_linked_and_a_far_one_is_not():
    lon = np.array([71.5, 69.2, 55.3, 71.5 - CELL_DEG, 71.5 - 2 * CELL_DEG, 71.5 - 4 * CELL_DEG])
    lat = np.array([34.0, 34.5, 25.2, 34.0, 34.0, 34.0])
    # Peshawar itself; Kabul nearby; Dubai far off; a chain of neighbouring cells westwards
    # reaches two more, but not one past an empty cell.
    assert _linked_to([PESHAWAR_BOX], lon, lat).tolist() == [True, True, False, True, True, False]


def test_cells_across_the_equator_and_the_prime_meridian_stay_apart():
    lon = np.array([-1.0, 1.0, 1.0, -170.0])
    lat = np.array([1.0, 1.0, -1.0, -80.0])
    # No layers: the busiest cell seeds (the first two share none); its neighbours are linked.
    linked = _linked_to([], np.array([*lon, 1.5]), np.array([*lat, 1.5]))
    assert linked.tolist() == [True, True, True, False, True]
