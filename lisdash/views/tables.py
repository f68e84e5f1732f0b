"""The per-area cluster table, shared by `python -m lisdash table` and the map pages' downloads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lisdash import metrics
from lisdash.content import Content
from lisdash.store import Store
from lisdash.views.common import relabel
from lisdash.views.maps import region_measure

TABLE_COLUMNS = ["code", "name", "subject", "value", "value_low", "value_high", "share", "lq", "lq_low", "lq_high",
                 "uncertain", "small", "missing_cells", "class", "change_pct", "change_from", "change_to",
                 "change_basis", "benchmark", "source", "vintage"]


def area_table(store: Store, content: Content, cluster_id: str, level: str, measure: str | None = None,
               year: int | None = None, in_region: bool = False) -> pd.DataFrame:
    """One row per area (with `in_region`, the region's only): value and LQ with their rounding ranges, flags,
    class, change since the first year.

    `subject` names what the numbers measure (the cluster, or the broader group standing in for it);
    `change_pct` runs from `change_from` to `change_to`, in `change_basis` (GVA: nominal).
    """
    cluster = content.cluster(cluster_id)
    measure = measure or region_measure(store, level)
    table = relabel(metrics.cluster_table(store, cluster, measure, level, year), content)
    prov = metrics.provenance_of(table)
    first = min(store.years_for(measure, level))
    if first < prov.year:
        change = metrics.change_table(store, cluster, measure, level, first, prov.year, prov.source)
        table = table.merge(change[["code", "change_pct"]], on="code", how="left")
        basis = metrics.provenance_of(change).basis
    else:
        table, basis = table.assign(change_pct=np.nan), None
    out = table.assign(
        subject=prov.label, change_from=first if basis else None, change_to=prov.year if basis else None,
        change_basis=basis, benchmark=prov.benchmark_name, source=prov.source, vintage=str(prov.year),
    )[TABLE_COLUMNS]
    if in_region:
        layer = store.layer(level, "regional")
        out = out[out["code"].isin(layer.loc[layer["region"] == content.region.region, "code"])].reset_index(drop=True)
    return out
