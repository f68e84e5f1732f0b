"""Year-to-year stability of a location quotient, for measures from a sample survey (BRES).

An LQ's range (lisdash.metrics.rounding) shows what disclosure rounding allows. It says nothing of sampling error,
which ONS does not publish for BRES at this detail. So each LQ of a sample survey is also compared across
the years the source publishes: its movement is the median absolute change between adjacent years. Where
that movement is larger than the width of the LQ's rounding range, the LQ is flagged unstable, and it
counts as uncertain (dotted on maps, classed "uncertain", and capping verdicts) like a range that includes 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class StabilityRule:
    """When an LQ's year-to-year movement counts as unstable."""

    def text(self) -> str:
        """The rule in words."""
        return ("BRES is a sample survey, and ONS does not publish its sampling error at this detail, so an LQ's "
                "rounding range understates how much it can move. Each BRES LQ is therefore also compared across "
                "the years the source publishes: its movement is the median absolute change between adjacent "
                "years. It is unstable when that movement is larger than the width of its rounding range, and an "
                "unstable LQ counts as uncertain (dotted, classed uncertain, capping verdicts).")

    @staticmethod
    def movement(lq_by_year: pd.DataFrame) -> pd.Series:
        """The median absolute change of each row's LQ between adjacent years (columns in year order)."""
        steps = lq_by_year.sort_index(axis=1).diff(axis=1).abs().iloc[:, 1:]
        return steps.median(axis=1, skipna=True)

    @staticmethod
    def unstable(movement: pd.Series | float, lq_low: pd.Series | float, lq_high: pd.Series | float):
        """Whether each movement is larger than the width of the rounding range."""
        return np.asarray(movement) > (np.asarray(lq_high) - np.asarray(lq_low))


STABILITY = StabilityRule()
