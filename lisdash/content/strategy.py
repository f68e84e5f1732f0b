"""The strategy's own content: commitments (quoted), clusters (SIC definitions) and named places."""

from __future__ import annotations

from typing import Literal

from lisdash.content.yamlfile import Model

CoarseLevel = Literal["division", "gva_industry", "broad_group", "section"]


class Commitment(Model):
    """One LIS commitment, quoted from the strategy."""

    id: str
    title: str
    text: str
    evidence: list[str] = []

    @property
    def number(self) -> str:
        """The commitment's number as the strategy counts them ('c7' -> '7')."""
        return self.id.removeprefix("c")


class Coarse(Model):
    """How a cluster is approximated in a source without SIC detail."""

    codes: list[str]
    caveat: str


class Cluster(Model):
    """A cluster: SIC definition, coarse approximations, places and commitments it serves."""

    id: str
    name: str
    short_name: str = ""  # for cards and badges (at most 12 words each), where `name` is long
    sic: list[str]
    coarse: dict[CoarseLevel, Coarse] = {}
    places: list[str] = []
    commitments: list[str]
    source: str
    parent: str | None = None

    @property
    def short(self) -> str:
        """The cluster's name in a few words ('Life sciences' for 'Life sciences and medical technology')."""
        return self.short_name or self.name


class Place(Model):
    """A named group of areas, as explicit code lists per level."""

    id: str
    name: str
    short_name: str = ""  # for cards and badges, where `name` is long
    areas: dict[str, list[str]]
    note: str = ""

    @property
    def short(self) -> str:
        """The place's name in a few words ('WMCA area')."""
        return self.short_name or self.name


class Defaults(Model):
    """What each page shows before anyone chooses."""

    overview_cluster: str
    cluster_map_cluster: str
    commitment: str
    profile_level: str
    profile_area: dict[str, str]
    profile_cluster: str
    trend_clusters: list[str]
    trend_home: dict[str, str]


class Region(Model):
    """The region the dashboard is about, unambiguous display names for areas, and page defaults."""

    name: str
    itl1: str
    region: str
    place: str
    labels: dict[str, str] = {}
    defaults: Defaults
