"""A place's cluster portfolio: each cluster's specialisation (LQ), its growth against the same cluster
nationally, and its size, placed in the four standard quadrants.

A place is one area or several areas of a level summed (e.g. the West Midlands region from its
ITL2 areas). Growth is the change between the first and the last year the source has at that
level, on the same industry basis every year; "national" is the sum over every area of the level
(the source's benchmark). The relative growth is the place's percentage change minus the national
one, in percentage points. A cluster whose LQ range includes 1, or whose count is small in either
year, is marked: its quadrant may not hold within the rounding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lisdash import vocabulary
from lisdash.content import Cluster
from lisdash.metrics.change import change_table, growth
from lisdash.metrics.lq import cluster_table, combined
from lisdash.metrics.mix import every_cluster
from lisdash.metrics.provenance import Provenance, attach, of
from lisdash.metrics.resolve import MetricError
from lisdash.store import Store

QUADRANTS = {(True, True): "Strong and growing", (True, False): "Strong but declining",
             (False, True): "Emerging", (False, False): "Weak"}
COLUMNS = ["cluster", "cluster_name", "subject", "exact", "value", "lq", "lq_low", "lq_high", "growth_pct",
           "national_growth_pct", "relative_growth_pp", "marked", "quadrant"]


def quadrant(lq: float, relative_growth: float) -> str | None:
    """The portfolio quadrant (an LQ of at least 1 is strong; growth at least the nation's is growing)."""
    if pd.isna(lq) or pd.isna(relative_growth):
        return None
    return QUADRANTS[(bool(lq >= 1), bool(relative_growth >= 0))]


def portfolio(store: Store, clusters: list[Cluster], measure: str, level: str, codes: list[str]) -> pd.DataFrame:
    """One row per cluster the source can show for the place (the areas `codes` of `level`, summed)."""
    years = store.years_for(measure, level)
    if not years:
        raise MetricError(f"{vocabulary.measure_name(measure)} has no data for {vocabulary.level_name(level)}")
    start, end = min(years), max(years)
    min_count = vocabulary.measure(measure).min_count
    rows, shown = [], Provenance("", measure, level, end)
    for cluster in clusters:
        try:
            table = cluster_table(store, cluster, measure, level, end)
            change = change_table(store, cluster, measure, level, start, end)
        except MetricError:
            continue
        place = combined(table, codes)
        members = change[change["code"].isin(codes)][["value_start", "value_end"]]
        complete = len(members) == len(codes) and not members.isna().any().any()  # a missing cell is not a 0
        first, last = (members["value_start"].sum(), members["value_end"].sum()) if complete else (np.nan, np.nan)
        local = 100 * (last / first - 1) if first else np.nan
        national = growth(change)
        shown = of(table)
        rows.append({"cluster": cluster.id, "cluster_name": cluster.name, "subject": shown.label,
                     "exact": shown.exact, "value": place["value"], "lq": place["lq"],
                     "lq_low": place["lq_low"], "lq_high": place["lq_high"], "growth_pct": local,
                     "national_growth_pct": national, "relative_growth_pp": local - national,
                     "marked": bool(place["uncertain"] or place["small"] or not min(first, last) >= min_count),
                     "quadrant": quadrant(place["lq"], local - national)})
    return attach(pd.DataFrame(rows, columns=COLUMNS), every_cluster(shown).but(start=start, end=end, year=end))
