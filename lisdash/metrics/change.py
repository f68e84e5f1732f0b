"""Change over time: per-area change, shift-share, time series (consistent industry basis, small counts flagged).

Totals are built on one industry basis for every year (see lisdash.pipeline.build.add_totals), so national
growth compares like with like. Shift-share (Dunn): actual change = national growth share
+ industry mix + local (regional) share. An area that starts at zero has no rate of its own, so
its whole change is local.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lisdash import vocabulary
from lisdash.content import Cluster
from lisdash.metrics.lq import resolved_provenance
from lisdash.metrics.provenance import attach
from lisdash.metrics.resolve import MetricError, resolve
from lisdash.metrics.values import values
from lisdash.store import Store


def _basis(measure: str) -> str:
    info = vocabulary.measure(measure)
    return "nominal (current prices)" if measure == "gva" else info.unit


def change_table(store: Store, cluster: Cluster, measure: str, level: str,
                 start: int, end: int, source: str | None = None) -> pd.DataFrame:
    """Absolute and percentage change of the cluster's value between two years, per area."""
    res = resolve(store, cluster, measure, level, source)
    a, b = values(store, res, measure, level, start), values(store, res, measure, level, end)
    out = pd.DataFrame({"value_start": a["value"], "value_end": b["value"]})
    out["change"] = out["value_end"] - out["value_start"]
    out["change_pct"] = 100 * out["change"] / out["value_start"].replace(0, np.nan)
    out["small"] = out[["value_start", "value_end"]].min(axis=1) < vocabulary.measure(measure).min_count
    out.index.name = "code"
    return attach(out.reset_index(), resolved_provenance(res, measure, level).but(
        start=start, end=end, basis=_basis(measure)))


def growth(frame: pd.DataFrame) -> float:
    """Percentage growth of summed start and end values over rows with both."""
    rows = frame.dropna(subset=["value_start", "value_end"])
    start = rows["value_start"].sum()
    return float(100 * (rows["value_end"].sum() / start - 1)) if start else float("nan")


def shift_share_parts(e0: pd.Series, e1: pd.Series, national_rate: float, cluster_rate: float) -> pd.DataFrame:
    """Dunn's shift-share of each area's change: national share, industry mix, local share.

    national = e0 * G; mix = e0 * (g_c - G); local = e0 * (r - g_c) with r the area's own rate;
    an area starting at 0 has no rate, so its whole change is local. The parts add up to e1 - e0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = e1 / e0.where(e0 != 0) - 1
    local = (e0 * (rate - cluster_rate)).where(e0 != 0, e1 - e0)
    return pd.DataFrame({
        "value_start": e0, "value_end": e1, "national_growth": e0 * national_rate,
        "industry_mix": e0 * (cluster_rate - national_rate), "local": local, "change": e1 - e0,
    })


def shift_share(store: Store, cluster: Cluster, measure: str, level: str,
                start: int, end: int, source: str | None = None) -> pd.DataFrame:
    """Shift-share of the cluster's change in each area between two years (see shift_share_parts)."""
    if not vocabulary.measure(measure).additive:
        raise MetricError(f"{measure} is not additive: shift-share needs an additive measure")
    res = resolve(store, cluster, measure, level, source)
    a, b = values(store, res, measure, level, start), values(store, res, measure, level, end)
    both = a["total"].notna() & b["total"].notna()
    national_rate = b.loc[both, "total"].sum() / a.loc[both, "total"].sum() - 1
    cells = a["value"].notna() & b["value"].notna()
    cluster_rate = b.loc[cells, "value"].sum() / a.loc[cells, "value"].sum() - 1
    out = shift_share_parts(a["value"], b["value"], national_rate, cluster_rate)
    out["small"] = out[["value_start", "value_end"]].min(axis=1) < vocabulary.measure(measure).min_count
    out.index.name = "code"
    return attach(out.reset_index(), resolved_provenance(res, measure, level).but(
        start=start, end=end, national_rate=national_rate, cluster_rate=cluster_rate))


INDEX_TITLE = "Index (first year = 100)"


def indexed(series: pd.DataFrame, by: str = "label") -> pd.DataFrame:
    """Each line of `series` (rows of one `by` value, oldest first) as an index: its first year = 100."""
    return series.assign(value=100 * series["value"] / series.groupby(by)["value"].transform("first"))


def series(store: Store, cluster: Cluster, measure: str, level: str, codes: list[str]) -> pd.DataFrame:
    """The cluster's value in each area for every year the source publishes, small counts flagged."""
    res = resolve(store, cluster, measure, level)
    facts = store.measure_facts(measure, level)
    years = sorted(int(y) for y in facts.loc[facts["source"] == res.source, "year"].unique())
    parts = []
    for year in years:
        v = values(store, res, measure, level, year)
        v = v[v.index.isin(codes)]
        parts.append(pd.DataFrame({"code": v.index, "year": year, "value": v["value"].to_numpy()}))
    out = pd.concat(parts, ignore_index=True)
    smallest = out.groupby("code")["value"].transform("min")
    out["small"] = smallest < vocabulary.measure(measure).min_count
    return attach(out, resolved_provenance(res, measure, level).but(start=years[0], end=years[-1]))
