"""Statistics on tiny synthetic frames with pinned values: rounding, LQ and its range, strength, shift-share."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lisdash import metrics
from lisdash.metrics import rounding
from lisdash.metrics.lq import lq_columns, strength
from lisdash.metrics.provenance import Benchmark
from lisdash.metrics.values import SUMMABLE


def test_derive_bands_recovers_a_rule_from_its_grid():
    grid = [*range(0, 51, 5), *range(75, 251, 25), *range(300, 501, 50)]
    assert rounding.derive_bands(grid, top=500) == [(50, 5), (250, 25), (500, 50)]


@pytest.mark.parametrize("rule, value, down, up", [
    ("bres", 0, 0, 2.5), ("bres", 50, 2.5, 12.5), ("bres", 250, 12.5, 25), ("bres", 9000, 500, 500),
    ("nearest-5", 0, 0, 2.5), ("nearest-5", 40, 2.5, 2.5), ("nearest-1", -3, 0.5, 0.5), ("exact", 7, 0, 0)])
def test_half_widths(rule, value, down, up):
    d, u = rounding.half_widths(np.array([value], dtype=float), rule)
    assert (d[0], u[0]) == (down, up)


def test_a_sums_range_is_the_smaller_of_worst_case_and_95_percent():
    # one cell: worst case (1.13 standard deviations would be wider); 100 cells: 1.96 sd of the uniform errors
    low, high = rounding.bounds(np.array([50.0]), 2.5, 12.5, 2.5 ** 2, 12.5 ** 2)
    assert (low[0], high[0]) == (47.5, 62.5)
    low, high = rounding.bounds(np.array([5000.0]), 250.0, 250.0, 100 * 2.5 ** 2, 100 * 2.5 ** 2)
    assert high[0] - 5000 == pytest.approx(1.96 * np.sqrt(100 * 6.25 / 3))


def test_location_quotient_matches_reat():
    assert metrics.location_quotient(1714, 79006, 879213, 15593224) == pytest.approx(0.3847623, abs=5e-8)


def test_dunn_shift_share_matches_reat():
    nation0, nation1 = pd.Series([400, 150, 150, 400]), pd.Series([440, 210, 135, 480])
    a0, a1 = pd.Series([90, 20, 10, 60]), pd.Series([100, 40, 10, 55])
    big_g = nation1.sum() / nation0.sum() - 1
    parts = pd.concat([metrics.shift_share_parts(a0[i:i + 1], a1[i:i + 1], big_g, nation1[i] / nation0[i] - 1)
                       for i in range(4)])
    assert (parts["change"].sum(), parts["national_growth"].sum(), parts["industry_mix"].sum(),
            parts["local"].sum()) == pytest.approx((25, 27, 1, -3))


def test_a_zero_start_puts_all_change_in_the_local_share():
    parts = metrics.shift_share_parts(pd.Series([0.0, 100.0]), pd.Series([10.0, 110.0]), 0.05, 0.2)
    assert parts.loc[0, ["national_growth", "industry_mix", "local"]].tolist() == [0, 0, 10]
    assert parts[["national_growth", "industry_mix", "local"]].sum(axis=1).tolist() == pytest.approx(
        parts["change"].tolist())


def _table(values: list[float], totals: list[float], exact: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame({"value": values, "total": totals})
    for column in SUMMABLE:
        if column not in frame:
            frame[column] = 0.0 if exact else 5.0
    return frame


def _benchmark(frame: pd.DataFrame, min_count: float = 0) -> Benchmark:
    national = frame["value"].sum() / frame["total"].sum()
    return Benchmark("Great Britain", frame["value"].sum(), frame["total"].sum(), national, national, True, min_count)


def test_lq_range_and_flags_on_a_tiny_frame():
    frame = _table([30, 10, 60], [100, 100, 200])
    out = lq_columns(frame, _benchmark(frame))
    assert out["lq"].tolist() == pytest.approx([1.2, 0.4, 1.2])
    assert out["lq_low"].tolist() == pytest.approx(out["lq"].tolist())  # exact counts: a point
    noisy = _table([30, 10, 60], [100, 100, 200], exact=False)
    out = lq_columns(noisy, _benchmark(noisy, min_count=20))
    assert (out["lq_low"] < out["lq"]).all() and (out["lq_high"] > out["lq"]).all()
    assert out["small"].tolist() == [False, True, False] and out["uncertain"].tolist()[1]


@pytest.mark.parametrize("lq, value, uncertain, expected", [
    (3.0, 100, False, "strong"), (3.0, 5, False, "specialised"), (1.0, 100, False, "specialised"),
    (0.99, 100, False, "not specialised"), (3.0, 100, True, "uncertain"),
    (float("nan"), float("nan"), False, "no data")])
def test_strength_class_boundaries(lq, value, uncertain, expected):
    """Strong: LQ at or above the 75th percentile (here 2.5), LQ >= 1 and size above the bottom quarter."""
    table = pd.DataFrame({"lq": [lq, 0.5, 1.5, 2.0, 3.0], "value": [value, 10, 20, 30, 40],
                          "uncertain": [uncertain, False, False, False, False]})
    assert strength(table)["class"].iloc[0] == expected


def test_bench_comparison_takes_medians_of_interleaved_rounds():
    from lisdash_dev.benchcompare import leaves, side_by_side

    previous = [{"browser": {"first_paint_s": 4.0, "switch_s": 1.0}, "ok": True},
                {"browser": {"first_paint_s": 6.0, "switch_s": 3.0}}]
    this = [{"browser": {"first_paint_s": 3.0, "switch_s": 1.0}}, {"browser": {"first_paint_s": 5.0}}]
    assert leaves(previous[0]) == {"browser.first_paint_s": 4.0, "browser.switch_s": 1.0}  # booleans are no figures
    figures = side_by_side(previous, this)
    assert figures["browser.first_paint_s"] == {"previous": 5.0, "this": 4.0, "ratio": 0.8}
    assert figures["browser.switch_s"] == {"previous": 2.0, "this": 1.0, "ratio": 0.5}
