"""A place's cluster portfolio: each cluster's specialisation (LQ), its growth against the same cluster
across the benchmark, and its size, placed in four quadrants named for what they measure.

A place is one area or several areas of a level summed (e.g. the West Midlands region from its
ITL2 areas). Growth is the change between the first and the last year the source has at that
level, on the same industry basis every year; the benchmark is the sum over every area of the level.
The relative growth is the place's percentage change minus the benchmark's, in percentage points:
"faster" or "slower" than the same cluster there, which says nothing of whether the cluster grew.
A cluster is marked (drawn hollow) when either axis's range crosses its line: its LQ range includes 1
(or its LQ is unstable from year to year), or its relative growth's 95% range from rounding includes 0;
or when its count is small in either year. Its quadrant is also counted from every start year the
source has: `holds` says for how many of them it is the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lisdash import vocabulary
from lisdash.content import Cluster
from lisdash.metrics.change import change_table, growth
from lisdash.metrics.industrygrowth import growth as subset_growth
from lisdash.metrics.industrygrowth import totals_by_year
from lisdash.metrics.lq import cluster_table, place_total, year_tables
from lisdash.metrics.memo import per_build
from lisdash.metrics.mix import every_cluster
from lisdash.metrics.provenance import Provenance, attach, of
from lisdash.metrics.resolve import MetricError, resolve
from lisdash.metrics.values import values
from lisdash.store import Store

QUADRANTS = {(True, True): "Specialised, faster", (True, False): "Specialised, slower",
             (False, True): "Not specialised, faster", (False, False): "Not specialised, slower"}
COLUMNS = ["cluster", "cluster_name", "cluster_short", "subject", "exact", "value", "lq", "lq_low", "lq_high",
           "growth_pct", "growth_low", "growth_high", "national_growth_pct", "relative_growth_pp", "relative_low",
           "relative_high", "marked", "quadrant", "holds", "start_years"]


def quadrant(lq: float, relative_growth: float) -> str | None:
    """The portfolio quadrant: specialised when the LQ is at least 1; faster when the place's growth is at least
    the same cluster's across the benchmark ('than the same cluster in Great Britain', said beside it)."""
    if pd.isna(lq) or pd.isna(relative_growth):
        return None
    return QUADRANTS[(bool(lq >= 1), bool(relative_growth >= 0))]


def _place_growth(store: Store, cluster: Cluster, measure: str, level: str, codes: list[str], start: int,
                  end: int) -> tuple[float, float, float, float]:
    """The place's growth, its 95% range from rounding, and the same cluster's growth across the benchmark."""
    change = change_table(store, cluster, measure, level, start, end)
    members = change[change["code"].isin(codes)][["value_start", "value_end"]]
    national = growth(change)
    if len(members) != len(codes) or members.isna().any().any():  # a missing cell is not a 0
        return np.nan, np.nan, np.nan, national
    res = resolve(store, cluster, measure, level)
    grown = subset_growth(store, res.source, measure, level, codes, list(res.codes), cluster.name, start,
                                  end)
    if grown is None:
        return np.nan, np.nan, np.nan, national
    return grown.pct, grown.low, grown.high, national


def _relative_by_start(store: Store, cluster: Cluster, measure: str, level: str, codes: list[str],
                       starts: list[int], end: int) -> dict[int, float]:
    """The place's growth minus the benchmark's, from each start year to `end` (point values, as
    `_place_growth` gives them, from each year's values read once)."""
    res = resolve(store, cluster, measure, level)
    by_year = {y: values(store, res, measure, level, y)["value"] for y in [*starts, end]}
    last = by_year[end]
    place = totals_by_year(store, res.source, measure, level, codes, list(res.codes))
    out = {}
    for start in starts:
        first = by_year[start]
        both = first.notna() & last.notna()
        base = first[both].sum()
        national = float(100 * (last[both].sum() / base - 1)) if base else float("nan")
        members = pd.concat([first.reindex(codes), last.reindex(codes)], axis=1)
        local = np.nan
        if not members.isna().any().any() and place.get(start, 0) and not pd.isna(place.get(end)):
            local = 100 * (place[end] / place[start] - 1)
        out[start] = local - national
    return out


@per_build(64)
def portfolio(store: Store, clusters: list[Cluster], measure: str, level: str, codes: list[str]) -> pd.DataFrame:
    """One row per cluster the source can show for the place (the areas `codes` of `level`, summed), kept, so a
    page that changes another choice does not compute it again."""
    return _computed(store, clusters, measure, level, list(codes))


def _computed(store: Store, clusters: list[Cluster], measure: str, level: str, codes: list[str]) -> pd.DataFrame:
    years = store.years_for(measure, level)
    if not years:
        raise MetricError(f"{vocabulary.measure_name(measure)} has no data for {vocabulary.level_name(level)}")
    start, end = min(years), max(years)
    min_count = vocabulary.measure(measure).min_count
    rows, shown = [], Provenance("", measure, level, end)
    starts = [y for y in years if y < end]
    for cluster in clusters:
        try:
            table = cluster_table(store, cluster, measure, level, end)
            change = change_table(store, cluster, measure, level, start, end)
        except MetricError:
            continue
        shown = of(table)
        if not shown.measures_cluster:  # a group mostly of other industries gets no bubble under the cluster's name
            continue
        place = place_total(table, codes, year_tables(store, cluster, measure, level))
        members = change[change["code"].isin(codes)][["value_start", "value_end"]]
        smallest = members.min().min() if len(members) else np.nan
        local, low, high, national = _place_growth(store, cluster, measure, level, codes, start, end)
        stated = quadrant(place["lq"], local - national)
        every = [quadrant(place["lq"], r) for r in _relative_by_start(store, cluster, measure, level, codes, starts,
                                                                       end).values()]
        crosses = not (low - national > 0 or high - national < 0)
        rows.append({"cluster": cluster.id, "cluster_name": cluster.name, "cluster_short": cluster.short,
                     "subject": shown.label, "exact": shown.exact, "value": place["value"], "lq": place["lq"],
                     "lq_low": place["lq_low"], "lq_high": place["lq_high"], "growth_pct": local,
                     "growth_low": low, "growth_high": high, "national_growth_pct": national,
                     "relative_growth_pp": local - national, "relative_low": low - national,
                     "relative_high": high - national,
                     "marked": bool(place["uncertain"] or crosses or not smallest >= min_count),
                     "quadrant": stated, "holds": sum(q == stated for q in every) if stated else 0,
                     "start_years": len(starts)})
    return attach(pd.DataFrame(rows, columns=COLUMNS), every_cluster(shown).but(start=start, end=end, year=end))
