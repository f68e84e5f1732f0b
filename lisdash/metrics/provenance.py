"""The typed provenance every metric result carries: what it measures, where, when, from which source.

A result is a DataFrame; its provenance rides in `frame.attrs["provenance"]` (pandas keeps attrs
through copies and filters), is set with `attach` and read with `of`, which fails loudly when a
frame carries none. Figures, tables and credit lines read it, so nothing about a number is retyped.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

KEY = "provenance"
# A broader group measures a cluster only when the cluster is at least this share of the group's Great
# Britain jobs (BRES, 5-digit SIC). Below it, no view shows the group's numbers under the cluster's name:
# no rank, strength class, hotspot or "most concentrated" card; the group is named as itself, with the
# cluster's share. The evidence check uses the same threshold for which checks may test a claim.
PROXY_MIN_SHARE = 0.5


@dataclass(frozen=True)
class Benchmark:
    """What an LQ is measured against: the benchmark's name, its sums and its rounding-based share range."""

    name: str
    value: float
    total: float
    share_low: float
    share_high: float
    total_is_sum: bool
    min_count: float


@dataclass(frozen=True)
class Proxy:
    """How much of a stand-in group is the cluster (BRES 5-digit GB jobs in `year`), and the reverse."""

    share: float
    coverage: float
    year: int

    @property
    def stands_in(self) -> bool:
        """Whether the group is enough of the cluster to stand in for it (`PROXY_MIN_SHARE`)."""
        return self.share >= PROXY_MIN_SHARE


@dataclass(frozen=True)
class Provenance:
    """Source, measure, level and years of a result, and what its numbers really measure (`label`).

    `codes` are the industry codes measured at `industry_level`; a shift-share also carries the
    benchmark's and the cluster's growth rates (`national_rate`, `cluster_rate`).
    """

    source: str
    measure: str
    level: str
    year: int | None = None
    start: int | None = None
    end: int | None = None
    cluster: str | None = None
    cluster_name: str = ""
    subject: str = ""
    label: str = ""
    short_subject: str = ""
    exact: bool = True
    proxy: Proxy | None = None
    industry_level: str = ""
    codes: tuple[str, ...] = ()
    caveat: str | None = None
    benchmark: Benchmark | None = None
    class_rule: str = ""
    basis: str = ""
    national_rate: float | None = None
    cluster_rate: float | None = None

    @property
    def measures_cluster(self) -> bool:
        """Whether the numbers measure the cluster: exactly, or through a group that is mostly the cluster."""
        return self.exact or (self.proxy is not None and self.proxy.stands_in)

    @property
    def benchmark_name(self) -> str:
        """The benchmark's name ('Great Britain'), or a neutral phrase when the result has none."""
        return self.benchmark.name if self.benchmark else "the benchmark"

    def but(self, **changes) -> Provenance:
        """The same provenance with some fields changed (e.g. a roll-up's level)."""
        return dataclasses.replace(self, **changes)


def attach(frame: pd.DataFrame, provenance: Provenance) -> pd.DataFrame:
    """The frame, carrying `provenance` (replacing whatever it carried)."""
    frame.attrs = {KEY: provenance}
    return frame


def of(frame: pd.DataFrame) -> Provenance:
    """The provenance a result carries; a frame without one is a programming error, named as such."""
    found = frame.attrs.get(KEY)
    if not isinstance(found, Provenance):
        raise TypeError(f"this frame carries no lisdash provenance (columns: {list(frame.columns)[:6]})")
    return found
