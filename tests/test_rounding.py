"""BRES rounding: the rule derived from the raw cells, and one LQ interval recomputed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lisdash import metrics
from lisdash.metrics import rounding

BRES_FILES = ["ITL2_Employment_countandpercent5digitSIC_BRESopen15to21.csv",
              "ITL2_Employment_countandpercent2digitSIC_BRESopen15to21.csv",
              "gb_fulltimeemployeecountandpercent5digitSIC_BRESopen09to21.csv"]


@pytest.fixture(scope="module")
def published(mirror) -> pd.Series:
    return pd.concat([pd.read_csv(mirror / "employment/bres_itl2" / f)["COUNT"] for f in BRES_FILES]).dropna()


def test_rounding_rule_is_the_one_the_published_cells_follow(published):
    derived = rounding.derive_bands(published)
    assert derived == [(50, 5), (250, 25), (500, 50), (1000, 100), (2500, 250), (5000, 500), (10000, 1000)]
    assert [tuple(b) for b in derived[:-1]] == list(rounding.BRES_BANDS[:-1])
    assert (published[published > 5000] % 1000 == 0).all()
    steps = rounding.bres_step(published.to_numpy(), above=False)
    assert (published.to_numpy() % steps == 0).all()  # every cell is a multiple of its band's step


@pytest.mark.parametrize("value, down, up", [(0, 0, 2.5), (45, 2.5, 2.5), (50, 2.5, 12.5), (75, 12.5, 12.5),
                                             (1000, 50, 125), (5000, 250, 500), (15000, 500, 500)])
def test_each_cell_stands_for_the_values_that_round_to_it(value, down, up):
    d, u = rounding.half_widths(np.array([value]), "bres")
    assert (d[0], u[0]) == (down, up)


def _half(v: float) -> tuple[float, float]:
    """Half-widths of one published BRES cell, written out from the bands (independently of lisdash)."""
    bands = [(50, 5), (250, 25), (500, 50), (1000, 100), (2500, 250), (5000, 500), (math.inf, 1000)]
    below = next(step for top, step in bands if v <= top)
    above = next(step for top, step in bands if v < top)
    return min(below / 2, v), above / 2


def _bounds(cells: pd.Series) -> tuple[float, float]:
    halves = np.array([_half(v) for v in cells])
    down = min(halves[:, 0].sum(), 1.96 * math.sqrt((halves[:, 0] ** 2).sum() / 3))
    up = min(halves[:, 1].sum(), 1.96 * math.sqrt((halves[:, 1] ** 2).sum() / 3))
    return cells.sum() - down, cells.sum() + up


def test_one_lq_interval_recomputed_by_hand_from_the_raw_cells(store, content, bres5):
    """Aerospace in the West Midlands met county, 2021: the interval from the rounding of 29,000 cells."""
    raw = bres5[(bres5["DATE"] == 2021) & (bres5["INDUSTRY_CODE"] != "01000")]  # one industry basis
    aero = raw["INDUSTRY_CODE"].str[:4].isin(["3030", "3316"])
    wm = raw["GEOGRAPHY_CODE"] == "UKG3"
    v_low, v_high = _bounds(raw[wm & aero]["COUNT"])
    r_low, r_high = _bounds(raw[wm & ~aero]["COUNT"])
    n_low, n_high = _bounds(raw[aero]["COUNT"])
    nr_low, nr_high = _bounds(raw[~aero]["COUNT"])
    share_low, share_high = v_low / (v_low + r_high), v_high / (v_high + r_low)
    nat_low, nat_high = n_low / (n_low + nr_high), n_high / (n_high + nr_low)
    table = metrics.cluster_table(store, content.cluster("aerospace"), "employment", "itl2", 2021)
    row = table.set_index("code").loc["TLG3"]
    assert row["value"] == raw[wm & aero]["COUNT"].sum() == 3900
    assert (row["value_low"], row["value_high"]) == pytest.approx((v_low, v_high))
    assert row["lq_low"] == pytest.approx(share_low / nat_high)
    assert row["lq_high"] == pytest.approx(share_high / nat_low)
    assert row["lq_low"] < 1 < row["lq_high"] and row["uncertain"] and row["class"] == "uncertain"


def test_uncertain_areas_are_marked_on_the_map(store, content):
    from lisdash import views

    view = views.national_view(store, content, "games", "employment", 2021, "lq", views.store_geo(store))
    dots = [t for t in view.figure.data if t.type == "scattermap"]
    assert len(dots) == 1 and len(dots[0].lon) == int(view.table["uncertain"].sum()) > 0
    assert "uncertain" in dots[0].name and "1,000 jobs" in dots[0].name
