"""Growth of any set of SIC subclasses in some areas between two years, with its 95% range from rounding.

It lets a cluster be compared with every section or division of the economy in the same areas and years:
each section or division is taken without the cluster's own subclasses (the stated rule for overlapping
codes), so no job counts on both sides. A set with an unpublished cell in any of the areas or years has no
growth (never a partial sum). Sets smaller than a minimum at the start are left out of comparisons: their
growth is mostly noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lisdash.metrics.memo import per_build
from lisdash.metrics.rounding import bounds
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
    return _summed(store, source, measure, level, areas)


@per_build(32)
def _summed(store: Store, source: str, measure: str, level: str, areas: tuple[str, ...]) -> pd.DataFrame:
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
    return growths(store, source, measure, level, areas, {name: codes}, start, end)[name]


def growths(store: Store, source: str, measure: str, level: str, areas: list[str], sets: dict[str, list[str]],
            start: int, end: int) -> dict[str, Growth | None]:
    """`growth` of many named sets of industry codes at once (one grouped sum per year, not one per set)."""
    cells = _cells(store, source, measure, level, tuple(sorted(areas)))
    members = pd.DataFrame([(name, code) for name, codes in sets.items() for code in codes],
                           columns=["set", "industry_code"])
    totals = []
    for year in (start, end):
        try:
            picked = cells.loc[year]
        except KeyError:
            return dict.fromkeys(sets)
        joined = members.join(picked[["value", *STATS]], on="industry_code")
        grouped = joined.groupby("set", sort=False)
        summed = grouped[["value", *STATS]].sum()
        summed["complete"] = grouped["value"].count() == grouped["value"].size()
        totals.append(summed.reindex(list(sets)))
    first, last = totals
    usable = (first["complete"] & last["complete"] & (first["value"] != 0)).fillna(False)
    low0, high0 = bounds(*(first[c].to_numpy(float) for c in ("value", *STATS)))
    low1, high1 = bounds(*(last[c].to_numpy(float) for c in ("value", *STATS)))
    out: dict[str, Growth | None] = dict.fromkeys(sets)
    for i, name in enumerate(sets):
        if not usable.iloc[i]:
            continue
        v0, v1 = float(first["value"].iloc[i]), float(last["value"].iloc[i])
        out[name] = Growth(name, v0, v1, 100 * (v1 / v0 - 1),
                           100 * (low1[i] / high0[i] - 1) if high0[i] > 0 else float("nan"),
                           100 * (high1[i] / low0[i] - 1) if low0[i] > 0 else float("inf"))
    return out


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
