"""Who responded against who the region is, and agreement reweighted to the region's mix of sectors.

A self-selected sample is not a survey: reweighting corrects the mix of sectors among business
respondents, not who chose to answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lisdash.content.analysis import AnalysisRules
from lisdash.heard.wilson import wilson_share

PROFILE_COLUMNS = ["group", "respondents", "respondent_share", "region_share", "ratio", "suppressed"]
OUTSIDE = "Outside the region"


def profile(groups: pd.Series, region_mix: pd.Series, rules: AnalysisRules) -> pd.DataFrame:
    """Each group's respondents and share of respondents beside its share of the region, and their ratio.

    `groups`: one value per respondent (missing values are left out); `region_mix`: the region's shares by group
    (summing to 1). A value outside the mix is 'Outside the region', with no region share. Groups under the
    minimum lose their figures."""
    given = groups.dropna()
    given = given.where(given.isin(region_mix.index), OUTSIDE)
    counts = given.value_counts()
    total = int(counts.sum())
    rows = []
    for group in [*region_mix.index, OUTSIDE]:
        n = int(counts.get(group, 0))
        if group == OUTSIDE and not n:
            continue
        share = n / total if total else float("nan")
        region = float(region_mix.get(group, float("nan")))
        rows.append({"group": group, "respondents": n, "respondent_share": share, "region_share": region,
                     "ratio": share / region if region else float("nan"), "suppressed": 0 < n < rules.min_group})
    table = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    hidden = table["suppressed"]
    table = table.astype({"respondents": "Float64", "respondent_share": "Float64", "ratio": "Float64"})
    table.loc[hidden, ["respondents", "respondent_share", "ratio"]] = pd.NA
    return table


@dataclass(frozen=True)
class Reweighted:
    """Agreement of the views that name a sector, raw and post-stratified to the region's sector mix."""

    views: int
    raw_share: float
    share: float
    low: float
    high: float
    effective_n: float
    coverage: float  # the region's share (of the mix) in sectors with at least one view

    @property
    def caveat(self) -> str:
        """What the reweighted figure can and cannot say."""
        return (f"Reweighted over {self.views:,} views that name a sector (effective sample size "
                f"{self.effective_n:,.1f}); sectors with views make up {self.coverage:.0%} of the region's "
                "employment. A self-selected sample is not a survey: reweighting corrects the mix of sectors, "
                "not who chose to answer.")


def reweighted(sectors: pd.Series, agrees: pd.Series, region_mix: pd.Series,
               rules: AnalysisRules) -> Reweighted | None:
    """Post-stratified agreement: each sector's share agreeing weighted by its share of the region (renormalised
    over the sectors with views). The interval is Wilson's at Kish's effective sample size. None without views."""
    data = pd.DataFrame({"sector": sectors, "agrees": agrees.astype(bool)}).dropna()
    data = data[data["sector"].isin(region_mix.index)]
    if data.empty:
        return None
    cells = data.groupby("sector")["agrees"].agg(n="size", agreeing="sum")
    target = region_mix.reindex(cells.index)
    coverage = float(target.sum())
    target = target / coverage
    weight = target / (cells["n"] / cells["n"].sum())  # per view, in each sector
    share = float((target * cells["agreeing"] / cells["n"]).sum())
    per_view = weight.reindex(data["sector"]).to_numpy()
    effective_n = float(per_view.sum() ** 2 / (per_view ** 2).sum())
    low, high = wilson_share(share, effective_n, rules.confidence)
    return Reweighted(views=len(data), raw_share=float(data["agrees"].mean()), share=share, low=low, high=high,
                      effective_n=effective_n, coverage=coverage)
