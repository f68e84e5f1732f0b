"""Claims of the strategy that open data might test, and the checks that try (lis_data/claims.yaml)."""

from __future__ import annotations

from typing import Literal

from lisdash.content.yamlfile import Model

ClaimTest = Literal["concentration", "regional_rank", "fastest_growth"]


class Beyond(Model):
    """Words of a claim that no check can test, and the data that would test them."""

    part: str
    would_test: str


class Check(Model):
    """One attempt to test a claim: a measure at a level in a year (growth: from `start`).

    The areas are the claim's place at this level unless `areas` names others (for example a
    wider area that holds the place); `without` lists SIC divisions left out as a sensitivity test.
    """

    measure: str
    level: str
    year: int
    start: int | None = None
    areas: list[str] | None = None
    without: list[str] = []


class Claim(Model):
    """A claim of the strategy, the place it is about, and the checks that try to test it."""

    id: str
    claim: str
    commitment: str
    cluster: str
    place: str
    test: ClaimTest
    checks: list[Check]
    beyond: list[Beyond] = []
