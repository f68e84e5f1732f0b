"""Evidence results as plain data: JSON records (one per claim, checks nested) and CSV rows (one per check)."""

from __future__ import annotations

import math

import pandas as pd

from lisdash import vocabulary
from lisdash.evidence.checks import CheckResult
from lisdash.evidence.rules import STRENGTH_ORDER
from lisdash.evidence.verdicts import ClaimResult

CLAIM_FIELDS = ["id", "claim", "seed", "commitment", "cluster", "place", "test", "verdict", "reason", "would_test"]
CHECK_FIELDS = ["index", "measure", "level", "year", "start", "where", "subject", "exact", "proxy_share", "source",
                "benchmark", "eligible", "eligibility", "verdict", "reason", "value", "value_low", "value_high",
                "lq", "lq_low", "lq_high", "uncertain", "rank", "of", "rank_among", "growth_pct",
                "benchmark_growth_pct", "area_growth_pct", "rank_by_start", "without", "without_rank", "comparators",
                "areas"]


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _brief(check: CheckResult) -> str:
    """A check's number in a few words: 'output (GVA) group rank 5 of 12'."""
    what = vocabulary.measure(check.measure).noun + ("" if check.exact else " group")
    if check.growth_pct is not None and check.rank is not None:
        return f"{what} growth {check.growth_pct:+.1f}%, rank {check.rank} of {check.of} {check.rank_among}"
    if check.rank is not None:
        return f"{what} rank {check.rank} of {check.of}"
    return f"{what} LQ {check.lq:.2f}"


def contrary(result: ClaimResult) -> CheckResult | None:
    """The strongest contrary eligible result: of the other checks that count, the one whose own verdict is
    furthest below the claim's (None when every check that counts agrees)."""
    if result.verdict not in STRENGTH_ORDER:
        return None
    weaker = [c for c in result.checks if c.eligible and c.index != result.decisive and c.verdict in STRENGTH_ORDER
              and STRENGTH_ORDER.index(c.verdict) < STRENGTH_ORDER.index(result.verdict)]
    return min(weaker, key=lambda c: (STRENGTH_ORDER.index(c.verdict), c.specificity), default=None)


def headline(result: ClaimResult) -> str:
    """The number behind a verdict in one line, with the strongest contrary result beside it (for badges, slides,
    the deck and `lisdash evidence`): 'LQ 1.70 (1.67 to 1.73) vs Great Britain; rank 1 of 11 regions of Great
    Britain (8th without SIC 29); output (GVA) group rank 5 of 12'."""
    if result.decisive is None:
        return "no open data measures this cluster at this place"
    check = result.checks[result.decisive]
    if check.area_growth_pct is not None:
        text = (f"{check.growth_pct:+.1f}% {check.start}-{check.year} vs {check.area_growth_pct:+.1f}% for all "
                f"industries there and {check.benchmark_growth_pct:+.1f}% for the cluster across {check.benchmark}")
    elif check.growth_pct is not None:
        text = f"{check.growth_pct:+.1f}% {check.start}-{check.year}"
        if check.benchmark_growth_pct is not None:
            text += f" vs {check.benchmark_growth_pct:+.1f}% across {check.benchmark}"
        text += f"; rank {check.rank} of {check.of} {check.rank_among}"
    else:
        text = f"LQ {check.lq:.2f} ({check.lq_low:.2f} to {check.lq_high:.2f}) vs {check.benchmark}"
        if check.rank is not None:
            text += f"; rank {check.rank} of {check.of} {check.rank_among}"
    if check.without_rank is not None and check.without_rank != check.rank:
        text += f" ({ordinal(check.without_rank)} without SIC {', '.join(check.without)})"
    other = contrary(result)
    return text + (f"; {_brief(other)}" if other else "")


def records(results: list[ClaimResult]) -> list[dict]:
    """One JSON-ready record per claim: its verdict, reason, untested parts and every check."""
    out = []
    for result in results:
        record = {f: _plain(str(getattr(result, f)) if f == "verdict" else getattr(result, f)) for f in CLAIM_FIELDS}
        record["decisive_check"] = None if result.decisive is None else result.decisive + 1
        record["headline"] = headline(result)
        record["untested"] = [b.model_dump() for b in result.untested]
        record["checks"] = [{**{f: _plain(getattr(c, f)) for f in CHECK_FIELDS},
                             "index": c.index + 1, "verdict": None if c.verdict is None else str(c.verdict),
                             "decides": c.index == result.decisive} for c in result.checks]
        out.append(record)
    return out


def rows(results: list[ClaimResult]) -> pd.DataFrame:
    """One row per check, with its claim's verdict beside it (for CSV downloads and tables)."""
    flat = []
    for record in records(results):
        for check in record["checks"]:
            flat.append({"claim_id": record["id"], "claim": record["claim"], "claim_verdict": record["verdict"],
                         "commitment": record["commitment"], "cluster": record["cluster"],
                         **{f"check_{k}" if k in ("verdict", "reason", "index") else k: v for k, v in check.items()
                            if k not in ("rank_by_start", "comparators", "areas")},
                         "rank_by_start": "; ".join(f"{y}: {r}" for y, r in check["rank_by_start"].items()),
                         "comparators": "; ".join(check["comparators"]), "areas": " ".join(check["areas"])})
    return pd.DataFrame(flat)
