"""Published rounding: which true values a rounded count can stand for, and intervals for sums of cells.

BRES open-access counts are rounded to a step that grows with the count. The steps below were
derived from every published cell of the mirror's BRES files (`derive_bands` recovers them, and a
test checks the rule against the raw files): each band's values are exact multiples of its step,
and every multiple occurs. Values above 5,000 are multiples of 1,000.

One published cell v stands for any true value that rounds to it: v - down to v + up, with
down = step_below / 2 and up = step_above / 2 (the steps of the bands just below and above v;
they differ only at a band's edge, so 50 covers 47.5 to 62.5, and 0 covers 0 to 2.5).

A sum of cells carries, per side, the sum of the cells' half-widths (the worst case: every cell at
that edge at once) and the sum of their squares. Its interval on each side is the smaller of the
worst case and Z standard deviations of independent rounding errors, each uniform over its
cell's half-width (variance h^2 / 3): a 95% range that never claims more than the worst case.
Both statistics add up over cells, so totals, places and regions combine exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# (upper bound of the band, inclusive; rounding step) for BRES open-access counts.
BRES_BANDS: tuple[tuple[float, float], ...] = (
    (50, 5), (250, 25), (500, 50), (1000, 100), (2500, 250), (5000, 500), (float("inf"), 1000),
)
RULES = ("bres", "nearest-5", "nearest-1", "exact")
Z = 1.96  # standard deviations for a 95% range of summed rounding errors


def bres_step(value: np.ndarray, above: bool) -> np.ndarray:
    """The BRES step of the band just below (or, with `above`, just above) each value."""
    value = np.asarray(value, dtype=float)
    uppers = np.array([u for u, _ in BRES_BANDS])
    steps = np.array([s for _, s in BRES_BANDS])
    index = np.searchsorted(uppers, value, side="left" if not above else "right")
    return steps[np.minimum(index, len(steps) - 1)]


def half_widths(value: np.ndarray, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """How far below and above each published value the true value can lie under a rounding rule."""
    value = np.asarray(value, dtype=float)
    if rule == "bres":
        down, up = bres_step(value, above=False) / 2, bres_step(value, above=True) / 2
    elif rule in ("nearest-5", "nearest-1", "exact"):
        half = {"nearest-5": 2.5, "nearest-1": 0.5, "exact": 0.0}[rule]
        down, up = np.full(value.shape, half), np.full(value.shape, half)
    else:
        raise ValueError(f"unknown rounding rule '{rule}' (known: {', '.join(RULES)})")
    if rule in ("bres", "nearest-5"):
        down = np.minimum(down, np.maximum(value, 0.0))  # a count cannot be below zero
    return np.where(np.isnan(value), np.nan, down), np.where(np.isnan(value), np.nan, up)


def side(worst: np.ndarray, squares: np.ndarray) -> np.ndarray:
    """One side of a sum's interval: the worst case, or Z standard deviations if smaller."""
    return np.minimum(worst, Z * np.sqrt(np.asarray(squares, dtype=float) / 3))


def bounds(value, down, up, down2, up2) -> tuple[np.ndarray, np.ndarray]:
    """Low and high of sums of cells from their summed half-widths and squared half-widths."""
    return np.asarray(value) - side(down, down2), np.asarray(value) + side(up, up2)


def derive_bands(values: Sequence[float], top: float = 10_000) -> list[tuple[float, float]]:
    """The rounding bands implied by published values up to `top`, as (upper bound, step) pairs.

    With every multiple of a band's step published somewhere, the gap from one distinct value
    to the next is the step of the band the value ends: runs of equal gaps are the bands.
    """
    grid = [0.0, *sorted({float(v) for v in values if 0 < v <= top})]
    bands: list[tuple[float, float]] = []
    for previous, value in zip(grid, grid[1:], strict=False):
        gap = value - previous
        if bands and bands[-1][1] == gap:
            bands[-1] = (value, gap)
        else:
            bands.append((value, gap))
    return bands
