"""A cluster's value and its area's total, with their rounding statistics, for every area of a source.

Each sum carries the additive rounding statistics of lisdash.metrics.rounding (half-widths below and above,
and their squares), so sums of areas and the benchmark combine exactly before any interval is
drawn. A value built from an unpublished cell is missing, never a partial sum.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lisdash.metrics.memo import per_build
from lisdash.metrics.resolve import MetricError, Resolution
from lisdash.metrics.rounding import bounds
from lisdash.sources.readers import TOTAL
from lisdash.store import Store

STATS = ["down", "up", "down2", "up2"]
VALUE_STATS = [f"value_{s}" for s in STATS]
TOTAL_STATS = [f"total_{s}" for s in STATS]
SUMMABLE = ["value", *VALUE_STATS, "total", *TOTAL_STATS]


def values(store: Store, res: Resolution, measure: str, level: str, year: int) -> pd.DataFrame:
    """Per area code: the cluster's value and total with rounding statistics, and its unpublished cells.

    Read from the store's precomputed cluster values when the build made them for these codes,
    else computed (and kept for the process), so a first request costs what a warm one does.
    """
    key = (res.source, ",".join(res.codes), measure, level, int(year))
    found = store.precomputed_values().get(key)
    if found is None:
        return _computed(store, *key)
    return found.copy()


@per_build(1024)
def _computed(store: Store, source: str, codes: str, measure: str, level: str, year: int) -> pd.DataFrame:
    return compute_values(store, source, codes.split(","), measure, level, year)


def compute_values(store: Store, source: str, codes: list[str], measure: str, level: str, year: int) -> pd.DataFrame:
    """The cluster values of one source, code list and year, from the store's facts."""
    facts = store.measure_facts(measure, level)
    rows = facts[(facts["source"] == source) & (facts["year"] == year)]
    if rows.empty:
        raise MetricError(f"{source} has no data for {year}")
    cells = rows[rows["industry_code"].isin(codes)]
    grouped = cells.groupby("area_code", observed=True)
    out = grouped[["value", *STATS]].sum().rename(columns=dict(zip(STATS, VALUE_STATS, strict=True)))
    totals = rows[rows["industry_code"] == TOTAL].set_index("area_code")
    out = out.reindex(totals.index)
    published = grouped["value"].count().reindex(out.index).fillna(0).astype(int)
    out["missing_cells"] = len(codes) - published
    out.loc[out["missing_cells"] > 0, ["value", *VALUE_STATS]] = np.nan
    out["total"] = totals["value"]
    for stat, column in zip(STATS, TOTAL_STATS, strict=True):
        out[column] = totals[stat]
    out["source_name"] = totals["area_name"]
    return out


def value_bounds(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Low and high of the cluster value of each row."""
    return bounds(frame["value"], *(frame[c] for c in VALUE_STATS))


def rest_stats(frame: pd.DataFrame, total_is_sum: bool) -> dict[str, pd.Series]:
    """The area's other industries (total minus cluster) with their rounding statistics.

    When the total sums the same rounded cells, the rest is its own cells (statistics subtract);
    when the total is published separately, both roundings apply (each side gains the other's).
    """
    rest = {"value": frame["total"] - frame["value"]}
    for stat, opposite in (("down", "up"), ("up", "down"), ("down2", "up2"), ("up2", "down2")):
        rest[stat] = (frame[f"total_{stat}"] - frame[f"value_{stat}"] if total_is_sum
                      else frame[f"total_{stat}"] + frame[f"value_{opposite}"])
    return rest


def share_bounds(frame: pd.DataFrame, total_is_sum: bool) -> tuple[pd.Series, pd.Series]:
    """Lowest and highest share of the cluster in each row, from its value's and rest's intervals."""
    value_low, value_high = value_bounds(frame)
    rest = rest_stats(frame, total_is_sum)
    rest_low, rest_high = bounds(rest["value"], rest["down"], rest["up"], rest["down2"], rest["up2"])
    rest_low = np.maximum(rest_low, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return value_low / (value_low + rest_high), value_high / (value_high + rest_low)
