"""The Wilson score interval of a share: well-behaved for small groups and for shares near 0 or 1."""

from __future__ import annotations

import math
from statistics import NormalDist


def wilson(successes: int, trials: int, confidence: float) -> tuple[float, float]:
    """The (low, high) Wilson score interval of successes/trials at `confidence`; trials must be positive."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials and trials > 0, got {successes}/{trials}")
    return wilson_share(successes / trials, trials, confidence)


def wilson_share(share: float, n: float, confidence: float) -> tuple[float, float]:
    """The Wilson interval of a share observed on `n` views; `n` may be an effective sample size (not whole)."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)
