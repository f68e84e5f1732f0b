"""What the views need, computed once at build time: every cluster's values for every measure, level and year.

The result is kept in the store (cluster_values.parquet), keyed by source, SIC codes, measure,
level and year. The app reads it instead of filtering the facts on first request; a cluster whose
definition changed since the build is simply computed on request (its codes no longer match).
"""

from __future__ import annotations

import pandas as pd

from lisdash import vocabulary
from lisdash.content import Content
from lisdash.metrics.resolve import MetricError, resolve
from lisdash.metrics.values import compute_values
from lisdash.store import Store


def combinations(store: Store) -> list[tuple[str, str]]:
    """Every (measure, level) of an additive measure the store holds."""
    measures = vocabulary.vocabulary().measures()
    return [(m, lv) for m, info in measures.items() if info.additive for lv in store.levels_for(m)]


def cluster_values(store: Store, content: Content) -> pd.DataFrame:
    """One long table: every cluster's values and totals (with rounding statistics), per area and year."""
    parts, seen = [], set()
    for cluster in content.clusters:
        for measure, level in combinations(store):
            try:
                res = resolve(store, cluster, measure, level)
            except MetricError:
                continue
            codes = ",".join(res.codes)
            facts = store.measure_facts(measure, level)
            for year in sorted(int(y) for y in facts.loc[facts["source"] == res.source, "year"].unique()):
                key = (res.source, codes, measure, level, year)
                if key in seen:
                    continue
                seen.add(key)
                frame = compute_values(store, res.source, res.codes, measure, level, year)
                parts.append(frame.reset_index().assign(source=res.source, codes=codes, measure=measure,
                                                        level=level, year=year))
    table = pd.concat(parts, ignore_index=True)
    for column in ("source", "codes", "measure", "level"):
        table[column] = table[column].astype("category")
    return table
