"""Evidence results as plain data: JSON records (one per claim, checks nested) and CSV rows (one per check)."""

from __future__ import annotations

import math

import pandas as pd

from lisdash.evidence.claims import ClaimResult

CLAIM_FIELDS = ["id", "claim", "commitment", "cluster", "place", "test", "verdict", "reason", "would_test"]
CHECK_FIELDS = ["index", "measure", "level", "year", "start", "where", "subject", "exact", "proxy_share", "source",
                "benchmark", "eligible", "eligibility", "verdict", "reason", "value", "value_low", "value_high",
                "lq", "lq_low", "lq_high", "uncertain", "rank", "of", "rank_among", "percentile", "growth_pct",
                "benchmark_growth_pct", "rank_by_start", "comparators", "areas"]


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def headline(result: ClaimResult) -> str:
    """The number behind a verdict, in one short line (for badges and slides)."""
    if result.decisive is None:
        return "no open data measures this cluster at this place"
    check = result.checks[result.decisive]
    if check.growth_pct is not None:
        return (f"{check.growth_pct:+.1f}% {check.start}-{check.year} vs {check.benchmark_growth_pct:+.1f}% across "
                f"{check.benchmark}; rank {check.rank} of {check.of} {check.rank_among}")
    text = f"LQ {check.lq:.2f} ({check.lq_low:.2f} to {check.lq_high:.2f}) vs {check.benchmark}"
    if check.rank is not None:
        text += f"; rank {check.rank} of {check.of} {check.rank_among}"
    return text


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
