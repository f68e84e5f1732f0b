"""Where a bubble chart's labels go: each beside its bubble, clear of every other label and bubble.

Placement works in pixels on a plot of an assumed size (the smallest it is shown at: on a wider plot the
bubbles only move apart). Text width is estimated from the font size (Arial: about 0.55 em a character).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CHAR_EM = 0.55
LINE_EM = 1.3
GAP = 3  # pixels between a bubble's edge and its label


@dataclass(frozen=True)
class Box:
    """A rectangle in plot pixels (y down), by its centre and half sizes."""

    x: float
    y: float
    half_w: float
    half_h: float

    def overlaps(self, other: Box) -> bool:
        return abs(self.x - other.x) < self.half_w + other.half_w and abs(self.y - other.y) < self.half_h + other.half_h

    def inside(self, width: float, height: float) -> bool:
        return self.half_w <= self.x <= width - self.half_w and self.half_h <= self.y <= height - self.half_h


def _candidates(radius: float, half_w: float, half_h: float) -> list[tuple[float, float]]:
    """Offsets (dx, dy) of a label's centre from its bubble's, nearest first: above, below, right, left, the
    corners, then the same further out (where a leader line joins label and bubble)."""
    out = []
    for step in (0, 1, 2, 3, 4, 5):
        far = step * 2 * half_h
        up, side = radius + GAP + half_h + far, radius + GAP + half_w + far / 2
        out += [(0, -up), (0, up), (side, 0), (-side, 0), (side, -up), (-side, -up), (side, up), (-side, up)]
    return out


def text_box(x: float, y: float, text: str, font_size: float) -> Box:
    """The box a one-line text of `font_size` pixels centred on (x, y) takes."""
    return Box(x, y, CHAR_EM * font_size * len(text) / 2, LINE_EM * font_size / 2)


def place_labels(points: Sequence[tuple[float, float, float]], labels: Sequence[str], font_size: float,
                 width: float, height: float, taken: Sequence[Box] = ()) -> list[tuple[float, float]]:
    """Offsets in pixels (dx right, dy down) of each label from its bubble (x, y, radius in plot pixels, y down).

    Labels are placed in the given order (put the biggest bubbles first); each takes the first candidate
    spot that stays in the plot and overlaps no bubble, no `taken` box and no label placed before it, else
    the nearest spot.
    """
    bubbles = [Box(x, y, r, r) for x, y, r in points]
    placed: list[Box] = list(taken)
    offsets = []
    for (x, y, radius), label in zip(points, labels, strict=True):
        size = text_box(0, 0, label, font_size)
        half_w, half_h = size.half_w, size.half_h
        boxes = [(dx, dy, Box(x + dx, y + dy, half_w, half_h)) for dx, dy in _candidates(radius, half_w, half_h)]
        # the first free spot, else the one with the fewest clashes
        dx, dy, _ = min(boxes, key=lambda c: (not c[2].inside(width, height),
                                              sum(c[2].overlaps(b) for b in (*placed, *bubbles))))
        chosen = (dx, dy)
        placed.append(Box(x + chosen[0], y + chosen[1], half_w, half_h))
        offsets.append(chosen)
    return offsets
