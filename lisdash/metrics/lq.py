"""Location quotients with rounding intervals, small-count flags, strength classes, places and roll-ups.

LQ = (e_ic / e_i) / (E_c / E), where E sums every area of the level in the same source (the
benchmark: Great Britain, the UK, or England and Wales). The interval combines the rounding
intervals (lisdash.metrics.rounding) of the area's cluster and other industries, and of the benchmark's:
the lowest area share over the highest benchmark share, and the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lisdash import vocabulary
from lisdash.content import Cluster
from lisdash.metrics.memo import per_build
from lisdash.metrics.provenance import PROXY_MIN_SHARE, Benchmark, Provenance, attach, of
from lisdash.metrics.resolve import MetricError, Resolution, resolve
from lisdash.metrics.stability import STABILITY
from lisdash.metrics.values import SUMMABLE, share_bounds, value_bounds, values
from lisdash.store import Store

STRONG_QUANTILE, SIZE_QUANTILE = 0.75, 0.25
NOT_CLASSED = "not classed: a group that is mostly other industries"


@dataclass(frozen=True)
class StrengthRule:
    """The US Cluster Mapping strength rule, with lisdash's uncertainty guard."""

    strong_quantile: float = STRONG_QUANTILE
    size_quantile: float = SIZE_QUANTILE

    def text(self, min_counts: str) -> str:
        """The rule in words, from the same thresholds the code uses."""
        return (f"US Cluster Mapping rule: strong = LQ at or above the {self.strong_quantile:.0%} quantile "
                f"of areas, LQ of 1 or more and size above the bottom {self.size_quantile:.0%} of areas; "
                "specialised = LQ of 1 or more otherwise. An area is uncertain, and given neither class, "
                f"when its LQ interval includes 1 or its count is below the minimum ({min_counts}).")


STRENGTH = StrengthRule()


def location_quotient(area_cluster: float, area_total: float, national_cluster: float, national_total: float) -> float:
    """LQ = (e_ic / e_i) / (E_c / E): the area's share of the cluster over the benchmark's share."""
    return (area_cluster / area_total) / (national_cluster / national_total)


def min_counts_text() -> str:
    """The small-count minimum of every additive measure, for rule texts."""
    return "; ".join(f"{m.min_count:,.0f} {m.unit}" for m in vocabulary.vocabulary().measure if m.additive)


def latest_year(store: Store, measure: str, level: str, source: str) -> int:
    """Most recent year a source publishes."""
    facts = store.measure_facts(measure, level)
    return int(facts.loc[facts["source"] == source, "year"].max())


def benchmark_sums(table: pd.DataFrame) -> pd.DataFrame:
    """The benchmark's cluster value and total with rounding statistics: every area with data, summed."""
    return table.dropna(subset=["value", "total"])[SUMMABLE].sum().to_frame().T


def lq_columns(frame: pd.DataFrame, bench: Benchmark) -> pd.DataFrame:
    """Share, LQ, its interval and the uncertainty flags of each row, against the benchmark."""
    value_low, value_high = value_bounds(frame)
    share_low, share_high = share_bounds(frame, bench.total_is_sum)
    out = frame.assign(value_low=value_low, value_high=value_high, share=frame["value"] / frame["total"])
    out["lq"] = location_quotient(frame["value"], frame["total"], bench.value, bench.total)
    out["lq_low"] = share_low / bench.share_high
    out["lq_high"] = share_high / bench.share_low
    out["lq_includes_1"] = (out["lq_low"] <= 1) & (out["lq_high"] >= 1)
    out["small"] = out["value"] < bench.min_count
    out["uncertain"] = out["lq"].notna() & (out["lq_includes_1"] | out["small"])
    return out


@per_build(256)
def cluster_table(store: Store, cluster: Cluster, measure: str, level: str,
                  year: int | None = None, source: str | None = None) -> pd.DataFrame:
    """Value, share, LQ with interval, rank and strength class of a cluster in every area of a level, with each
    LQ's year-to-year movement where the measure is a sample survey (`stability`): an unstable LQ counts as
    uncertain, so its strength class is recomputed."""
    table = _year_table(store, cluster, measure, level, year, source)
    prov = of(table)
    yearly = year_tables(store, cluster, measure, level, source)
    if not vocabulary.measure(measure).sample_survey or len(yearly) < 2:
        return attach(table.assign(lq_movement=np.nan, unstable=False), prov)
    lqs = pd.DataFrame({y: t.set_index("code")["lq"] for y, t in yearly.items()})
    movement = STABILITY.movement(lqs).reindex(table["code"]).to_numpy()
    table = table.assign(lq_movement=movement, unstable=STABILITY.unstable(movement, table["lq_low"],
                                                                            table["lq_high"]))
    table["uncertain"] = table["uncertain"] | (table["unstable"] & table["lq"].notna())
    if prov.measures_cluster:
        table = strength(table)
    return attach(table, prov)


def year_tables(store: Store, cluster: Cluster, measure: str, level: str,
                source: str | None = None) -> dict[int, pd.DataFrame]:
    """The cluster's table for every year its source publishes at the level (without stability columns)."""
    res = resolve(store, cluster, measure, level, source)
    facts = store.measure_facts(measure, level)
    years = sorted(int(y) for y in facts.loc[facts["source"] == res.source, "year"].unique())
    return {y: _year_table(store, cluster, measure, level, y, source) for y in years}


@per_build(512)
def _year_table(store: Store, cluster: Cluster, measure: str, level: str, year: int | None,
                source: str | None) -> pd.DataFrame:
    info = vocabulary.measure(measure)
    if not info.additive:
        raise MetricError(f"{info.name} is not additive: location quotients need an additive measure")
    res = resolve(store, cluster, measure, level, source)
    year = year or latest_year(store, measure, level, res.source)
    data = values(store, res, measure, level, year)
    src = store.sources.get(res.source)
    bench = measured_benchmark(data, (src.benchmark if src else None) or "the benchmark",
                               store.total_is_sum(res.source), info.min_count)
    data = lq_columns(data, bench)
    data["rank"] = data["lq"].rank(ascending=False, method="min")
    names = store.names(level)
    data.insert(0, "name", data.index.to_series().map(names).fillna(data.pop("source_name")))
    data.index.name = "code"
    prov = resolved_provenance(res, measure, level, year)
    table = data.reset_index().sort_values("lq", ascending=False, na_position="last", ignore_index=True)
    if prov.measures_cluster:
        return attach(strength(table), prov.but(benchmark=bench, class_rule=STRENGTH.text(min_counts_text())))
    return attach(table.assign(**{"class": NOT_CLASSED}), prov.but(benchmark=bench, class_rule=(
        f"No strength classes: {prov.subject} is only {prov.proxy.share:.0%} {cluster.name.lower()}, below the "
        f"{PROXY_MIN_SHARE:.0%} of a group's Great Britain jobs that a stand-in needs.")))


def measured_benchmark(data: pd.DataFrame, name: str, total_is_sum: bool, min_count: float) -> Benchmark:
    """The benchmark of a level's areas: their summed value and total, and its share range from rounding."""
    sums = benchmark_sums(data)
    low, high = share_bounds(sums, total_is_sum)
    return Benchmark(name, float(sums["value"].iloc[0]), float(sums["total"].iloc[0]), float(low.iloc[0]),
                     float(high.iloc[0]), total_is_sum, min_count)


def resolved_provenance(res: Resolution, measure: str, level: str, year: int | None = None) -> Provenance:
    """The provenance of numbers measured through a resolution: source, codes, subject and stand-in purity."""
    return Provenance(res.source, measure, level, year, cluster=res.cluster, cluster_name=res.cluster_name,
                      subject=res.subject, label=res.label, short_subject=res.short_subject, exact=res.exact,
                      proxy=res.proxy,
                      industry_level=res.industry_level, codes=tuple(res.codes), caveat=res.caveat)


def strength(table: pd.DataFrame) -> pd.DataFrame:
    """Add the strength class (US Cluster Mapping rule); uncertain areas get no class but 'uncertain'."""
    lq, value = table["lq"], table["value"]
    big = value > value.quantile(STRENGTH.size_quantile)
    strong = (lq >= lq.quantile(STRENGTH.strong_quantile)) & (lq >= 1) & big
    klass = np.where(strong, "strong", np.where(lq >= 1, "specialised", "not specialised"))
    klass = np.where(table["uncertain"], "uncertain", klass)
    return table.assign(**{"class": np.where(lq.isna(), "no data", klass)})


def combined(table: pd.DataFrame, codes: list[str]) -> dict:
    """A group of areas of a cluster table summed: value, total, LQ, interval and flags.

    Missing if any member area has no data (a partial sum would understate the place).
    """
    mask = table["code"].isin(codes).to_numpy()
    cells = table[SUMMABLE].to_numpy(dtype=float)[mask]
    sums = np.full(len(SUMMABLE), np.nan) if not len(cells) or np.isnan(cells).any() else cells.sum(axis=0)
    frame = lq_columns(pd.DataFrame([sums], columns=SUMMABLE), of(table).benchmark)
    out = {k: (bool(v) if isinstance(v, (bool, np.bool_)) else float(v)) for k, v in frame.iloc[0].items()}
    out["areas"] = int(mask.sum())
    return out


def combined_lq(table: pd.DataFrame, codes: list[str]) -> float:
    """A group of areas' point LQ, as `combined` gives it, without its interval (NaN if any member has no data)."""
    mask = table["code"].isin(codes).to_numpy()
    cells = table[["value", "total"]].to_numpy(dtype=float)[mask]
    if not len(cells) or np.isnan(cells).any():
        return float("nan")
    value, total = cells.sum(axis=0)
    bench = of(table).benchmark
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(location_quotient(value, total, np.float64(bench.value), np.float64(bench.total)))


def place_total(table: pd.DataFrame, codes: list[str],
                yearly: dict[int, pd.DataFrame] | None = None) -> dict:
    """A place's combined value, total, share and LQ (with interval) from a cluster table of its areas; given the
    cluster's `yearly` tables of a sample survey, also its LQ's year-to-year movement and whether it is unstable
    (which makes it uncertain)."""
    out = combined(table, codes)
    out.update(lq_movement=float("nan"), unstable=False)
    if yearly and len(yearly) > 1 and vocabulary.measure(of(table).measure).sample_survey:
        series = pd.DataFrame({y: [combined_lq(t, codes)] for y, t in yearly.items()})
        out["lq_movement"] = float(STABILITY.movement(series).iloc[0])
        out["unstable"] = bool(STABILITY.unstable(out["lq_movement"], out["lq_low"], out["lq_high"]))
        out["uncertain"] = bool(out["uncertain"] or (out["unstable"] and not np.isnan(out["lq"])))
    return out


def rollup(table: pd.DataFrame, layer: pd.DataFrame, parent: str = "itl1") -> pd.DataFrame:
    """A cluster table summed to parent areas (e.g. ITL1 regions), with LQ, interval and rank among them."""
    parents = layer.drop_duplicates("code").set_index("code")[parent]
    bare = pd.DataFrame({c: table[c].to_numpy(dtype=float) for c in SUMMABLE})
    bare["parent"] = table["code"].map(parents).to_numpy()
    bare = bare.dropna(subset=["parent"])
    incomplete = bare[SUMMABLE].isna().any(axis=1).groupby(bare["parent"]).any()
    sums = bare.groupby("parent")[SUMMABLE].sum()
    sums.loc[incomplete[incomplete].index] = np.nan  # a region with an area without data is missing
    out = lq_columns(sums, of(table).benchmark)
    out["areas"] = bare.groupby("parent").size()
    out["rank"] = out["lq"].rank(ascending=False, method="min")
    out.index.name = "code"
    result = out.reset_index().sort_values("rank", ignore_index=True)
    return attach(result, of(table).but(level=parent))
