"""Cluster metrics over the store: one module per statistic, re-exported here.

- resolve: which source and codes measure a cluster, and whether they are a proxy
- values: cluster values and totals with rounding intervals
- lq: location quotients with intervals, strength classes, places and roll-ups
- stability: year-to-year stability of a sample survey's LQs
- industrygrowth: growth of any set of subclasses with its rounding range (the whole economy compared)
- change: change, shift-share and time series on a consistent basis
- mix: an area's cluster mix and its peers
- portfolio: a place's clusters by specialisation and relative growth, in quadrants
- provenance: the typed provenance each result carries

Every result is a DataFrame carrying a `Provenance` (source, measure, level, years, subject,
benchmark, caveat; read it with `provenance_of`), so figures and tables credit it without
retyping anything.
"""

from lisdash.metrics.change import INDEX_TITLE, change_table, growth, indexed, series, shift_share, shift_share_parts
from lisdash.metrics.lq import (
    STRENGTH,
    cluster_table,
    latest_year,
    location_quotient,
    place_total,
    rollup,
    strength,
    year_tables,
)
from lisdash.metrics.mix import cluster_mix, industry_shares, peers
from lisdash.metrics.portfolio import QUADRANTS, portfolio
from lisdash.metrics.provenance import Benchmark, Provenance, Proxy
from lisdash.metrics.provenance import of as provenance_of
from lisdash.metrics.resolve import (
    INDUSTRY_PREFERENCE,
    MetricError,
    Resolution,
    cluster_codes,
    cluster_subclasses,
    resolve,
)

__all__ = [
    "INDEX_TITLE", "indexed",
    "INDUSTRY_PREFERENCE", "QUADRANTS", "STRENGTH", "Benchmark", "MetricError", "Provenance", "Proxy", "Resolution",
    "change_table", "cluster_codes", "cluster_mix", "cluster_subclasses", "cluster_table", "growth",
    "industry_shares", "latest_year", "location_quotient", "peers", "place_total", "portfolio",
    "year_tables",
    "provenance_of", "resolve", "rollup", "series", "shift_share", "shift_share_parts", "strength"
]
