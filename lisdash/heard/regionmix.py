"""Who the region is, from the store: the benchmarks a response profile is set against.

- sectors: employment by SIC 2007 section in the region (ITL1), BRES, its latest year, summed over the
  region's ITL2 areas from their 2-digit divisions;
- places: enterprises by local authority district in the region, UK Business Counts, summed over
  broad industry groups.
Cells missing from the source are left out of both the numerator and the total (never read as 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lisdash.content import Region
from lisdash.store import Store


@dataclass(frozen=True)
class RegionMix:
    """A benchmark: each group's share of the region, what it counts and from which source and year."""

    shares: pd.Series
    names: dict[str, str]
    measure: str
    source: str
    year: int


def sector_mix(store: Store, region: Region) -> RegionMix:
    """The region's employment shares by SIC section (BRES, ITL2 areas of the region's ITL1, latest year)."""
    facts = store.measure_facts("employment", "itl2")
    facts = facts[(facts["industry_level"] == "division") & facts["area_code"].str.startswith(region.itl1)]
    year = int(facts["year"].max())
    facts = facts[(facts["year"] == year) & facts["value"].notna()]
    industries = store.industries
    divisions = industries[industries["industry_level"] == "division"].set_index("code")["section"]
    sections = industries[(industries["industry_level"] == "section") & (industries["code"].str.len() == 1)]
    employment = facts.groupby(facts["industry_code"].map(divisions))["value"].sum()
    source = str(facts["source"].iloc[0])
    return RegionMix(shares=employment / employment.sum(), names=dict(zip(sections["code"], sections["name"],
                                                                          strict=True)),
                     measure="employment", source=source, year=year)


def place_mix(store: Store, region: Region) -> RegionMix:
    """The region's enterprise shares by local authority district (UK Business Counts, latest year)."""
    facts = store.measure_facts("enterprises", "lad")
    areas = store.areas
    lads = areas[(areas["level"] == "lad") & (areas["extent"] == "national") & (areas["region"] == region.region)]
    facts = facts[facts["area_code"].isin(lads["code"]) & facts["value"].notna()]
    year = int(facts["year"].max())
    enterprises = facts[facts["year"] == year].groupby("area_code")["value"].sum()
    return RegionMix(shares=enterprises / enterprises.sum(), names=dict(zip(lads["code"], lads["name"], strict=True)),
                     measure="enterprises", source=str(facts["source"].iloc[0]), year=year)
