"""A claim's verdict: its most specific eligible check decides, capped where the claim says more than any check."""

from __future__ import annotations

from dataclasses import dataclass, field

from lisdash.content import Beyond, Claim, Content
from lisdash.evidence.checks import TESTS, CheckResult
from lisdash.evidence.rules import Verdict, capped
from lisdash.store import Store
from lisdash.vocabulary import sentence_case

FINE_LEVELS = {"msoa11": "MSOAs or wards", "msoa21": "MSOAs or wards", "ward": "MSOAs or wards",
               "lad": "local authority districts"}


@dataclass
class ClaimResult:
    """A claim's verdict, the reason, the check that decided it and every check's result."""

    id: str
    claim: str
    commitment: str
    cluster: str
    place: str
    test: str
    verdict: Verdict
    reason: str
    decisive: int | None
    seed: str | None = None  # the strategy's or the Mayor's words it tests (None: a context check of ours)
    untested: list[Beyond] = field(default_factory=list)
    would_test: str = ""
    checks: list[CheckResult] = field(default_factory=list)


def would_test(content: Content, claim: Claim) -> str:
    """The open data that would test a claim no check can: BRES for the cluster's SIC at the place's level."""
    cluster, place = content.cluster(claim.cluster), content.place(claim.place)
    level = next((name for lv, name in FINE_LEVELS.items() if lv in place.areas), "ITL3 areas")
    return (f"BRES employment for SIC {', '.join(cluster.sic)} by {level} covering {place.name}, from Nomis "
            "(dataset NM_189_1) with `python -m lisdash fetch nomis`")


def judge(content: Content, claim: Claim, checks: list[CheckResult]) -> ClaimResult:
    """The claim's verdict from its checks (rules in lisdash.evidence.rules)."""
    base = {"id": claim.id, "claim": claim.claim, "commitment": claim.commitment, "cluster": claim.cluster,
            "place": claim.place, "test": claim.test, "seed": claim.seed, "untested": list(claim.beyond),
            "checks": checks}
    eligible = [c for c in checks if c.eligible]
    untested = "".join(f" Not tested: {b.part} (would need {b.would_test})." for b in claim.beyond)
    if not eligible:
        why = " ".join(f"Check {c.index + 1} does not count: {c.eligibility}." for c in checks)
        data = would_test(content, claim)
        return ClaimResult(**base, verdict=Verdict.NOT_TESTABLE, decisive=None, would_test=data,
                           reason=f"No check measures both {content.place(claim.place).name} and "
                                  f"{content.cluster(claim.cluster).name.lower()} itself. {why} Data that would "
                                  f"test it: {data}.{untested}")
    decisive = min(eligible, key=lambda c: c.specificity)
    verdict = capped(decisive.verdict) if claim.beyond else decisive.verdict
    return ClaimResult(**base, verdict=verdict, decisive=decisive.index,
                       reason=f"{sentence_case(verdict)}: {decisive.reason}{untested}")


def evaluate_claim(store: Store, content: Content, claim: Claim) -> ClaimResult:
    """Every check of one claim, then its verdict."""
    test = TESTS[claim.test]
    return judge(content, claim, [test(store, content, claim, check, i) for i, check in enumerate(claim.checks)])


def evaluate(store: Store, content: Content) -> list[ClaimResult]:
    """Every claim of the strategy, in the content's order."""
    return [evaluate_claim(store, content, claim) for claim in content.claims]
