"""Agreement with its uncertainty: counts, the share agreeing and its Wilson interval, overall and by group,
with small groups suppressed before anything is published."""

from __future__ import annotations

import pandas as pd

from lisdash.content.analysis import AnalysisRules
from lisdash.heard.counting import NOT_GIVEN
from lisdash.heard.wilson import wilson

GROUPS = {"respondent_type": "Respondent type", "sector": "SIC section", "place": "Local authority",
          "channel": "Channel", "event": "Event"}
COLUMNS = ["group", "views", "agreeing", "share", "low", "high", "suppressed"]


def agreement(views: pd.DataFrame, rules: AnalysisRules, by: str | None = None) -> pd.DataFrame:
    """Views, views agreeing, the share agreeing and its interval: one row for all views, or one per group of
    column `by` (a missing value is its own group, 'Not given'), largest first. Nothing suppressed yet."""
    if by is None:
        groups = pd.Series("All views", index=views.index)
    else:
        groups = views[by].astype("object").where(views[by].notna() & (views[by] != ""), NOT_GIVEN)
    agrees = views["agreement"] >= rules.agree_from
    table = pd.DataFrame({"group": groups, "agrees": agrees}).groupby("group", sort=False)["agrees"].agg(
        views="size", agreeing="sum").reset_index()
    rows = []
    for row in table.itertuples(index=False):
        low, high = wilson(int(row.agreeing), int(row.views), rules.confidence)
        rows.append({"group": row.group, "views": int(row.views), "agreeing": int(row.agreeing),
                     "share": row.agreeing / row.views, "low": low, "high": high, "suppressed": False})
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["views", "group"], ascending=[False, True],
                                                             ignore_index=True)


def suppress(table: pd.DataFrame, rules: AnalysisRules) -> pd.DataFrame:
    """The table as it may be published: a group under the minimum loses every figure; when only one group of a
    split would be suppressed, the next smallest is too, so that no figure can be recovered from the total."""
    small = table["views"] < rules.min_group
    if small.sum() == 1 and len(table) > 1:
        small.loc[table.loc[~small, "views"].idxmin()] = True
    published = table.astype({c: "Float64" for c in ("views", "agreeing", "share", "low", "high")})
    published.loc[small, ["views", "agreeing", "share", "low", "high"]] = pd.NA
    return published.assign(suppressed=small)


def suppression_note(table: pd.DataFrame, rules: AnalysisRules) -> str | None:
    """A sentence naming how many groups were suppressed and why, or None."""
    hidden = int(table["suppressed"].sum())
    if not hidden:
        return None
    return (f"{hidden} group{'s' * (hidden != 1)} suppressed: fewer than {rules.min_group} counted views, or the "
            "next smallest group where one alone would let it be worked out from the total.")
