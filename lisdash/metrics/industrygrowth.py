"""Growth of any set of SIC subclasses in some areas between two years, with its 95% range from rounding.

It lets a cluster be compared with every section or division of the economy in the same areas and years:
each section or division is taken without the cluster's own subclasses (the stated rule for overlapping
codes), so no job counts on both sides. A set with an unpublished cell in any of the areas or years has no
growth (never a partial sum). Sets smaller than a minimum at the start are left out of comparisons: their
growth is mostly noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from lisdash import rounding
from lisdash.metrics.values import STATS
from lisdash.store import Store


@dataclass(frozen=True)
class Growth:
    """A set of industries' value at the start and end, its growth in percent and that growth's 95% range."""

    name: str
    start: float
    end: float
    pct: float
    low: float
    high: float


def _cells(store: Store, source: str, measure: str, level: str, areas: tuple[str, ...]) -> pd.DataFrame:
    """Each year's and industry's value and rounding statistics, summed over the areas (kept per process)."""
    return _summed(store, store.manifest["built_at"], source, measure, level, areas)


@lru_cache(maxsize=32)
def _summed(store: Store, built_at: str, source: str, measure: str, level: str,
            areas: tuple[str, ...]) -> pd.DataFrame:
    facts = store.measure_facts(measure, level)
    rows = facts[(facts["source"] == source) & facts["area_code"].isin(areas)]
    counted = rows.groupby(["year", "industry_code"], observed=True)
    sums = counted[["value", *STATS]].sum()
    sums["areas"] = counted["value"].count()
    return sums[sums["areas"] == len(areas)]  # a cell unpublished in any area is missing, not partial


def totals_by_year(store: Store, source: str, measure: str, level: str, areas: list[str],
                   codes: list[str]) -> pd.Series:
    """The set of industry `codes` summed over `areas`, for every year (NaN in a year where any cell of it is
    unpublished): the point values `growth` starts from, for many start years at once."""
    cells = _cells(store, source, measure, level, tuple(sorted(areas)))
    wide = cells["value"].unstack("year").reindex(codes)
    return wide.sum(min_count=1).where(wide.notna().all())


def growth(store: Store, source: str, measure: str, level: str, areas: list[str], codes: list[str], name: str,
           start: int, end: int) -> Growth | None:
    """The set of industry `codes` summed over `areas`, grown from `start` to `end` (None if any cell of it is
    unpublished in either year)."""
    cells = _cells(store, source, measure, level, tuple(sorted(areas)))
    totals = []
    for year in (start, end):
        try:
            picked = cells.loc[year].reindex(codes)
        except KeyError:
            return None
        if picked["value"].isna().any():
            return None
        totals.append(picked[["value", *STATS]].sum())
    (first, last) = totals
    if not first["value"]:
        return None
    low0, high0 = (float(x[0]) for x in rounding.bounds(*(np.array([first[c]]) for c in ("value", *STATS))))
    low1, high1 = (float(x[0]) for x in rounding.bounds(*(np.array([last[c]]) for c in ("value", *STATS))))
    return Growth(name, float(first["value"]), float(last["value"]),
                  100 * (last["value"] / first["value"] - 1),
                  100 * (low1 / high0 - 1) if high0 > 0 else float("nan"),
                  100 * (high1 / low0 - 1) if low0 > 0 else float("inf"))


def rest_of_economy(industries: pd.DataFrame, scheme: str, without: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Every SIC section or division (`scheme`) as its subclasses, without the subclasses in `without`: by code,
    its name and its codes (sets left empty are dropped)."""
    sub = industries[industries["industry_level"] == "subclass"]
    sub = sub[~sub["code"].isin(without)]
    names = industries[industries["industry_level"] == scheme].drop_duplicates("code").set_index("code")["name"]
    out = {}
    for code, group in sub.groupby(scheme):
        out[str(code)] = (str(names.get(code, code)), sorted(group["code"]))
    return out
