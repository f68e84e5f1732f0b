"""The evidence check's verdict scale and rules, as typed data; their prose is generated from the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lisdash import vocabulary
from lisdash.metrics.provenance import PROXY_MIN_SHARE


class Verdict(StrEnum):
    """What the data say about a claim, and whether they can say it at all."""

    SUPPORTED = "supported"
    PARTLY = "partly supported"
    NOT_SUPPORTED = "not supported"
    NOT_TESTABLE = "not testable with open data"


STRENGTH_ORDER = [Verdict.NOT_SUPPORTED, Verdict.PARTLY, Verdict.SUPPORTED]


def capped(verdict: Verdict, cap: Verdict = Verdict.PARTLY) -> Verdict:
    """A verdict no stronger than `cap` (caps only lower a verdict)."""
    if verdict in STRENGTH_ORDER and STRENGTH_ORDER.index(verdict) > STRENGTH_ORDER.index(cap):
        return cap
    return verdict


@dataclass(frozen=True)
class Rules:
    """Every threshold the evidence check uses."""

    supported_lq: float = 1.25
    partly_lq: float = 1.0
    supported_rank: int = 1
    partly_rank: int = 3
    proxy_min_share: float = PROXY_MIN_SHARE
    growth_min_start: float = 5000

    def concentration(self, lq: float) -> Verdict:
        """Verdict of a location quotient."""
        if lq >= self.supported_lq:
            return Verdict.SUPPORTED
        return Verdict.PARTLY if lq >= self.partly_lq else Verdict.NOT_SUPPORTED

    def regional_rank(self, rank: int) -> Verdict:
        """Verdict of a region's rank among the regions by LQ."""
        if rank <= self.supported_rank:
            return Verdict.SUPPORTED
        return Verdict.PARTLY if rank <= self.partly_rank else Verdict.NOT_SUPPORTED

    def proxy_eligible(self, share: float) -> bool:
        """Whether a broader group is enough of the cluster to stand in for it."""
        return share >= self.proxy_min_share

    def fastest_growth(self, rank: int, every_start_first: bool, beats_benchmark: bool) -> Verdict:
        """Verdict of a 'fastest growing' claim from its rank and robustness."""
        if rank != 1:
            return Verdict.NOT_SUPPORTED
        return Verdict.SUPPORTED if every_start_first and beats_benchmark else Verdict.PARTLY

    def rapid_growth(self, clearly_faster: int, faster: int) -> Verdict:
        """Verdict of a 'rapidly growing' claim from how many of its two yardsticks (all industries in the place,
        the same cluster across the benchmark) it outgrew beyond both rounding ranges, and at all."""
        if clearly_faster == 2:
            return Verdict.SUPPORTED
        return Verdict.PARTLY if faster >= 1 else Verdict.NOT_SUPPORTED

    def text(self) -> list[str]:
        """The rules in words, generated from the thresholds above."""
        minimum = vocabulary.measure("employment")
        return [
            "A check counts only if it measures the claim's own place (the same areas, or the areas that make "
            "it up) and the cluster itself; a broader industry group counts only when the cluster is at least "
            f"{self.proxy_min_share:.0%} of the group's Great Britain employment (BRES, 5-digit SIC), and then "
            "supports a claim at most partly.",
            "The most specific eligible check decides (the finest industry detail, then the purest group, "
            "then the latest year); with no eligible check the claim is not testable with open data, and the "
            "verdict names the data that would test it.",
            f"Concentration: supported when the location quotient is {self.supported_lq:.2f} or more, partly "
            f"supported from {self.partly_lq:.2f} to {self.supported_lq:.2f}, not supported below "
            f"{self.partly_lq:.2f}; at most partly when the LQ's rounding interval includes 1 or the count is "
            f"below the measure's minimum ({minimum.min_count:,.0f} {minimum.unit} for BRES).",
            f"Regional rank: supported when the region ranks {self.supported_rank} among the regions by LQ, "
            f"partly supported when it ranks {self.partly_rank} or better, not supported below.",
            "Fastest growth: the cluster's growth is compared with the same cluster across the benchmark and "
            "with the region's other clusters that share no SIC code with it or with each other and had at "
            f"least {self.growth_min_start:,.0f} jobs at the start; supported when it ranks first from every "
            "start year and beats the benchmark, partly supported when it ranks first over the stated period "
            "only, not supported otherwise.",
            "Fastest of the whole economy: the cluster's growth is compared with every SIC section, and every SIC "
            "division, in the same areas and years, each taken without the cluster's own subclasses (so no job "
            f"counts on both sides) and with at least {self.growth_min_start:,.0f} jobs at the start; each growth "
            "carries its 95% range from rounding. Not supported when any of them grew faster beyond both ranges; "
            "otherwise as for fastest growth.",
            "Rapid growth: supported when the cluster grew faster, beyond the 95% rounding ranges, than all "
            "industries in the place and than the same cluster across the benchmark; partly supported when it "
            "grew faster than at least one of them; not supported otherwise.",
            "A claim whose words go beyond every check (for example 'international', 'best', 'fastest of all') "
            "is at most partly supported, and its verdict names the untested part.",
        ]


RULES = Rules()
