"""The evidence check: each testable claim of the strategy against the data, with a plain verdict."""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from lisdash import metrics
from lisdash.content import Content
from lisdash.provenance import LEVEL_NAMES, MEASURE_NAMES
from lisdash.store import Store

SUPPORTED, PARTLY, NOT_VISIBLE = "supported", "partly", "not visible at this level"
ORDER = [NOT_VISIBLE, PARTLY, SUPPORTED]
RULES = (
    "Concentration: supported when the location quotient is 1.25 or more, partly when it is between 1 and "
    "1.25, not visible below 1; capped at partly when the data cover a wider area than the claim or the "
    "cluster is approximated by broader industry groups. Regional rank: supported when the region ranks "
    "first, partly when in the top three. Growth: supported when the cluster grew fastest of all clusters "
    "in the area and faster than nationally, partly when it beat national growth or ranked in the top three."
)


class Check(BaseModel):
    """One test of a claim on one measure, level and set of areas."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    test: Literal["concentration", "regional_rank", "growth"]
    measure: str
    level: str
    year: int
    label: str
    areas: list[str] = []
    place: str | None = None
    region: str | None = None
    start: int | None = None
    coarser: bool = False


class Claim(BaseModel):
    """A claim of the strategy with the checks that test it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    claim: str
    commitment: str
    cluster: str
    checks: list[Check]


def _concentration(store: Store, content: Content, cluster_id: str, check: Check) -> dict:
    cluster = content.cluster(cluster_id)
    table = metrics.cluster_table(store, cluster, check.measure, check.level, check.year)
    codes = content.place(check.place).areas[check.level] if check.place else check.areas
    place = metrics.place_total(table, codes)
    others = table[~table["code"].isin(codes)]
    rank = int((others["lq"] > place["lq"]).sum()) + 1
    lq = place["lq"]
    verdict = SUPPORTED if lq >= 1.25 else PARTLY if lq >= 1 else NOT_VISIBLE
    reasons = [f"LQ {lq:.2f}: the cluster's share of jobs or output is {lq:.2f} times the national share"]
    if verdict == SUPPORTED and (check.coarser or table.attrs["caveat"]):
        verdict = PARTLY
        reasons.append("the data cover a wider area than the claim" if check.coarser
                       else "the cluster is approximated by broader industry groups")
    return {"value": place["value"], "lq": lq, "rank": rank, "of": len(others) + 1, "verdict": verdict,
            "why": "; ".join(reasons) + ".", "caveat": table.attrs["caveat"], "source": table.attrs["source"]}


def _regional_rank(store: Store, content: Content, cluster_id: str, check: Check) -> dict:
    table = metrics.cluster_table(store, content.cluster(cluster_id), check.measure, check.level, check.year)
    regions = metrics.rollup(table, store.layer(check.level)).set_index("code")
    row = regions.loc[check.region]
    rank = int(row["rank"])
    verdict = SUPPORTED if rank == 1 else PARTLY if rank <= 3 else NOT_VISIBLE
    why = (f"ranks {rank} of {len(regions)} regions by location quotient ({row['lq']:.2f}); "
           "the data compare regions of Great Britain only, not other countries.")
    return {"value": row["value"], "lq": row["lq"], "rank": rank, "of": len(regions), "verdict": verdict,
            "why": why, "caveat": table.attrs["caveat"], "source": table.attrs["source"]}


def _growth(store: Store, content: Content, cluster_id: str, check: Check) -> dict:
    growth = {}
    for cluster in content.clusters:
        if cluster.parent == cluster_id:
            continue
        change = metrics.change_table(store, cluster, check.measure, check.level, check.start, check.year)
        local = change[change["code"].isin(check.areas)]
        growth[cluster.id] = 100 * (local["value_end"].sum() / local["value_start"].sum() - 1)
        if cluster.id == cluster_id:
            national = 100 * (change["value_end"].sum() / change["value_start"].sum() - 1)
            source = change.attrs["source"]
            value = local["value_end"].sum()
    ranked = sorted(growth, key=growth.get, reverse=True)
    rank = ranked.index(cluster_id) + 1
    mine = growth[cluster_id]
    verdict = SUPPORTED if rank == 1 and mine > national else PARTLY if mine > national or rank <= 3 \
        else NOT_VISIBLE
    fastest = content.cluster(ranked[0]).name
    why = (f"grew {mine:+.1f}% in {check.start}-{check.year} against {national:+.1f}% nationally; "
           f"rank {rank} of {len(ranked)} clusters here (fastest: {fastest}, {growth[ranked[0]]:+.1f}%).")
    return {"value": value, "lq": None, "growth_pct": mine, "rank": rank, "of": len(ranked), "verdict": verdict,
            "why": why, "caveat": None, "source": source}


TESTS = {"concentration": _concentration, "regional_rank": _regional_rank, "growth": _growth}


def evaluate(store: Store, content: Content, claims: list[Claim]) -> pd.DataFrame:
    """One row per check with measure, level, value, LQ, rank, verdict and why; plus each claim's verdict."""
    rows = []
    for claim in claims:
        for check in claim.checks:
            result = TESTS[check.test](store, content, claim.cluster, check)
            rows.append({"claim_id": claim.id, "claim": claim.claim, "commitment": claim.commitment,
                         "cluster": claim.cluster, "test": check.test, "where": check.label,
                         "measure": MEASURE_NAMES.get(check.measure, check.measure),
                         "level": LEVEL_NAMES.get(check.level, check.level), "year": check.year, **result})
    table = pd.DataFrame(rows)
    best = table.groupby("claim_id")["verdict"].agg(lambda v: max(v, key=ORDER.index))
    table["claim_verdict"] = table["claim_id"].map(best)
    table.attrs = {"rules": RULES}
    return table
