"""The portfolio's rules on their own: quadrants, and labels kept apart."""

from __future__ import annotations

import math

from lisdash.figures.bubblelabels import Box, place_labels, text_box
from lisdash.metrics.portfolio import quadrant


def test_quadrants_split_at_lq_1_and_at_the_benchmark_growth():
    # named for what they measure: growth against the same cluster in the benchmark, not growth itself
    assert quadrant(1.0, 0.0) == "Specialised, faster"
    assert quadrant(4.1, -7.9) == "Specialised, slower"
    assert quadrant(0.34, 32.6) == "Not specialised, faster"
    assert quadrant(0.93, -5.6) == "Not specialised, slower"
    assert quadrant(math.nan, 3.0) is None and quadrant(1.2, math.nan) is None


def test_labels_keep_clear_of_each_other_and_of_the_bubbles():
    """Two bubbles side by side: the second label cannot go above (the first holds it), so it goes below."""
    points = [(200.0, 100.0, 10.0), (230.0, 100.0, 10.0), (600.0, 300.0, 5.0)]
    labels = ["Automotive", "Future mobility", "Games"]
    offsets = place_labels(points, labels, 20, 800, 400)
    assert offsets[0] == (0, -(10 + 3 + 13)) and offsets[1] == (0, 10 + 3 + 13) and offsets[2] == (0, -(5 + 3 + 13))
    boxes = [text_box(x + dx, y + dy, label, 20)
             for (x, y, _), (dx, dy), label in zip(points, offsets, labels, strict=True)]
    bubbles = [Box(x, y, r, r) for x, y, r in points]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:] + bubbles)


def test_a_label_moves_off_a_box_already_taken_and_stays_inside_the_plot():
    corner = text_box(60, 15, "Emerging", 16)
    (dx, dy), = place_labels([(40.0, 40.0, 8.0)], ["Life sciences"], 16, 800, 400, [corner])
    label = text_box(40 + dx, 40 + dy, "Life sciences", 16)
    assert not label.overlaps(corner) and label.inside(800, 400)
