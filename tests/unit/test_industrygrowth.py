"""Growth of sets of industries (`metrics.industrygrowth`) on a hand-made table of published cells (a test
fixture, not data): many sets at once give what each gives alone, and an unpublished cell means no growth."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lisdash.metrics import industrygrowth


class FixtureStore:
    """Stands in for the store: one measure's cells at one level."""

    manifest = {"built_at": "fixture"}

    def __init__(self, rows: list[tuple]):
        self.facts = pd.DataFrame(rows, columns=["source", "area_code", "year", "industry_code", "value"])
        for stat in ("down", "up", "down2", "up2"):
            self.facts[stat] = 0.5 if stat in ("down", "up") else 0.25

    def measure_facts(self, measure: str, level: str) -> pd.DataFrame:
        return self.facts


ROWS = [("s", area, year, code, value)
        for area, year, code, value in [("A", 2020, "i1", 100), ("A", 2020, "i2", 50), ("A", 2020, "i3", 10),
                                        ("B", 2020, "i1", 100), ("B", 2020, "i2", 50), ("B", 2020, "i3", 0),
                                        ("A", 2021, "i1", 120), ("A", 2021, "i2", 45), ("A", 2021, "i3", 20),
                                        ("B", 2021, "i1", 130), ("B", 2021, "i2", 55)]]  # i3 unpublished in B, 2021
SETS = {"one and two": ["i1", "i2"], "two": ["i2"], "three": ["i3"], "none published": ["i9"]}


@pytest.fixture(scope="module")
def store():
    return FixtureStore(ROWS)


def test_many_sets_at_once_give_what_each_gives_alone(store):
    together = industrygrowth.growths(store, "s", "m", "lad", ["A", "B"], SETS, 2020, 2021)
    assert list(together) == list(SETS)
    for name, codes in SETS.items():
        assert together[name] == industrygrowth.growth(store, "s", "m", "lad", ["B", "A"], codes, name, 2020, 2021)


def test_growth_sums_every_area_and_carries_a_range_around_it(store):
    grown = industrygrowth.growths(store, "s", "m", "lad", ["A", "B"], SETS, 2020, 2021)["one and two"]
    assert (grown.start, grown.end) == (300.0, 350.0)
    assert grown.pct == pytest.approx(100 * (350 / 300 - 1))
    assert grown.low < grown.pct < grown.high and not math.isnan(grown.low)


def test_a_set_with_an_unpublished_cell_or_no_cells_has_no_growth(store):
    grown = industrygrowth.growths(store, "s", "m", "lad", ["A", "B"], SETS, 2020, 2021)
    assert grown["three"] is None and grown["none published"] is None
    assert industrygrowth.growths(store, "s", "m", "lad", ["A", "B"], SETS, 2019, 2021) == dict.fromkeys(SETS)
