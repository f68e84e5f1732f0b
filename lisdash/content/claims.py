"""Claims of the strategy that open data might test, and the checks that try (lis_data/claims.yaml)."""

from __future__ import annotations

from typing import Literal

from lisdash.content.yamlfile import Model

ClaimTest = Literal["concentration", "regional_rank", "fastest_growth", "rapid_growth"]
Against = Literal["clusters", "sections", "divisions"]


class Beyond(Model):
    """Words of a claim that no check can test, and the data that would test them."""

    part: str
    would_test: str


class Check(Model):
    """One attempt to test a claim: a measure at a level in a year (growth: from `start`).

    The areas are the claim's place at this level unless `areas` names others (for example a
    wider area that holds the place); `without` lists SIC divisions left out as a sensitivity test;
    `against` says what a fastest-growth check compares the cluster with: the other clusters, or every
    SIC section or division of the economy.
    """

    measure: str
    level: str
    year: int
    start: int | None = None
    areas: list[str] | None = None
    without: list[str] = []
    against: Against = "clusters"


class Claim(Model):
    """A claim of the strategy, the place it is about, and the checks that try to test it.

    `seed` quotes the strategy's or the Mayor's own words the claim tests; the commitment's recorded
    evidence must hold them, and only such claims show a verdict under a commitment. A claim without
    `seed` is a context check the dashboard adds (it is in the evidence check, never under a commitment).
    """

    id: str
    claim: str
    seed: str | None = None
    commitment: str
    cluster: str
    place: str
    test: ClaimTest
    checks: list[Check]
    beyond: list[Beyond] = []
