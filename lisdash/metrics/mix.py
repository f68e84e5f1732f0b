"""An area's industrial mix: every cluster's LQ there, and the areas with the most similar mix (peers)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lisdash.content import Cluster
from lisdash.metrics.lq import cluster_table
from lisdash.metrics.memo import per_build
from lisdash.metrics.provenance import Provenance, attach, of
from lisdash.metrics.resolve import INDUSTRY_PREFERENCE, MetricError
from lisdash.sources.readers import TOTAL
from lisdash.store import Store

MIX_COLUMNS = ["cluster", "cluster_name", "subject", "exact", "measures", "value", "value_low", "value_high", "share",
               "lq", "lq_low", "lq_high", "uncertain", "small", "rank", "class", "areas", "caveat"]


def cluster_mix(store: Store, clusters: list[Cluster], measure: str, level: str, code: str,
                year: int | None = None) -> pd.DataFrame:
    """One area's value and LQ for every cluster the source can show (each row names what it measures, and whether
    that measures the cluster: a group mostly of other industries gets no rank or class)."""
    rows, last = [], Provenance("", measure, level, year)
    for cluster in clusters:
        try:
            table = cluster_table(store, cluster, measure, level, year)
        except MetricError:
            continue
        match = table[table["code"] == code]
        if match.empty:
            continue
        row, last = match.iloc[0], of(table)
        rows.append({"cluster": cluster.id, "cluster_name": cluster.name, "subject": last.label,
                     "exact": last.exact, "measures": last.measures_cluster, **{c: row[c] for c in MIX_COLUMNS[5:16]},
                     "areas": len(table), "caveat": last.caveat})
        if not last.measures_cluster:
            rows[-1]["rank"] = np.nan
    out = pd.DataFrame(rows, columns=MIX_COLUMNS)
    caveats = list(dict.fromkeys(c for c in out["caveat"].dropna()))
    return attach(out, every_cluster(last).but(caveat=" ".join(caveats) or None))


def every_cluster(provenance: Provenance) -> Provenance:
    """A cluster result's provenance widened to a table of every cluster (each row names its own subject)."""
    return provenance.but(cluster=None, cluster_name="", subject="every cluster", label="every cluster", exact=True,
                          proxy=None, industry_level="", codes=())


def industry_shares(store: Store, measure: str, level: str, year: int | None = None) -> pd.DataFrame:
    """Area x industry share matrix (see _industry_shares); kept per process."""
    return _industry_shares(store, measure, level, year)


@per_build(32)
def _industry_shares(store: Store, measure: str, level: str, year: int | None) -> pd.DataFrame:
    """Area x industry share matrix at the finest non-overlapping industry detail of the measure.

    Grouped schemes (GVA) keep only their leaf groups, so no job or pound is counted twice, and
    leave out what the source excludes from its totals (GVA: owner-occupiers' imputed rental).
    An industry with an unpublished cell in any area is left out rather than read as 0.
    """
    facts = store.measure_facts(measure, level)
    ranked = sorted(facts["industry_level"].astype(str).unique(),
                    key=lambda lv: INDUSTRY_PREFERENCE.index(lv) if lv in INDUSTRY_PREFERENCE else 99)
    detail = ranked[0]
    rows = facts[facts["industry_level"] == detail]
    year = year or int(rows["year"].max())
    rows = rows[(rows["year"] == year) & (rows["industry_code"] != TOTAL)]
    industries = store.industries[store.industries["industry_level"] == detail]
    if detail == "gva_industry":
        rows = rows[rows["industry_code"].isin(set(industries.loc[industries["leaf"].astype(bool), "code"]))]
    excluded = {code for src in rows["source"].unique() if (s := store.sources.get(str(src)))
                for code in s.total_excludes}
    rows = rows[~rows["industry_code"].isin(excluded)]
    matrix = rows.pivot_table(index="area_code", columns="industry_code", values="value", aggfunc="sum",
                              dropna=False).dropna(axis=1)  # an industry unpublished anywhere is left out
    shares = matrix.div(matrix.sum(axis=1).replace(0, np.nan), axis=0).fillna(0)
    sources = ", ".join(sorted(str(src) for src in rows["source"].unique()))
    return attach(shares, Provenance(sources, measure, level, year, industry_level=detail,
                                     codes=tuple(str(c) for c in matrix.columns)))


def peers(store: Store, measure: str, level: str, code: str, n: int = 5, year: int | None = None) -> pd.DataFrame:
    """The areas whose industrial mix is most similar (cosine similarity of industry shares)."""
    shares = industry_shares(store, measure, level, year)
    if code not in shares.index:
        raise MetricError(f"no {measure} data for area {code} at level {level}")
    vectors = shares.to_numpy()
    norms = np.linalg.norm(vectors, axis=1)
    target = shares.loc[code].to_numpy()
    similarity = vectors @ target / (norms * np.linalg.norm(target))
    out = pd.DataFrame({"code": shares.index, "similarity": similarity})
    out = out[out["code"] != code].sort_values("similarity", ascending=False).head(n).reset_index(drop=True)
    return attach(out, of(shares))
