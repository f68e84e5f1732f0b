"""The portfolio's rules on their own: quadrants, and labels kept apart."""

from __future__ import annotations

import math

from lisdash.figures import label_positions
from lisdash.metrics.portfolio import quadrant


def test_quadrants_split_at_lq_1_and_at_the_benchmark_growth():
    assert quadrant(1.0, 0.0) == "Strong and growing"
    assert quadrant(4.1, -7.9) == "Strong but declining"
    assert quadrant(0.34, 32.6) == "Emerging"
    assert quadrant(0.93, -5.6) == "Weak"
    assert quadrant(math.nan, 3.0) is None and quadrant(1.2, math.nan) is None


def test_a_label_goes_below_its_bubble_when_a_neighbours_label_is_above():
    assert label_positions([4.1, 3.9, 0.5], [-7.9, -10.0, 30.0], 80) == ["top center", "bottom center",
                                                                          "top center"]
