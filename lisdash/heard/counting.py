"""Which views count: hidden views are left out, and a view that a later one repeats (the same device answering
the same poll again, or the same view sent twice) is replaced by that later one."""

from __future__ import annotations

import pandas as pd

NOT_GIVEN = "Not given"


def counted(views: pd.DataFrame) -> pd.DataFrame:
    """The views that count, from the inbox's frame (receipt, duplicate_of as a receipt, hidden, ...)."""
    if views.empty:
        return views
    replaced = set(views["duplicate_of"].dropna())
    return views[~views["hidden"].astype(bool) & ~views["receipt"].isin(replaced)]


def quotable(views: pd.DataFrame) -> pd.Series:
    """Which views' comments may be quoted: a comment, its author's permission, neither hidden nor flagged."""
    return (views["quote_ok"].astype(bool) & ~views["hidden"].astype(bool) & ~views["flagged"].astype(bool)
            & (views["comment"] != ""))


def per_commitment(views: pd.DataFrame) -> pd.DataFrame:
    """One row per view and commitment it is about (a view about two commitments counts for each)."""
    if views.empty:
        return views.assign(commitment=pd.Series(dtype="str"))
    return views.assign(commitment=views["commitments"]).explode("commitment").dropna(subset=["commitment"])
