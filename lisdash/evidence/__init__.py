"""The evidence check: each testable claim of the strategy against the data, with an honest verdict.

- rules: the verdict scale and thresholds (typed data) and their prose
- geography: which areas a check covers and whether they are the claim's place
- checks: one check's numbers, eligibility and verdict
- claims: a claim's verdict from its checks
- report: results as rows (CSV), JSON records and short display lines
"""

from lisdash.evidence.checks import CheckResult
from lisdash.evidence.rules import RULES, Verdict
from lisdash.evidence.verdicts import ClaimResult, evaluate, evaluate_claim

__all__ = ["RULES", "CheckResult", "ClaimResult", "Verdict", "evaluate", "evaluate_claim"]
