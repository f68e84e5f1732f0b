"""`python -m lisdash bench --opinion 200x60`: the opinion map's analysis on P participants x S statements.

The votes are synthetic bench input, never shown as data: three camps of participants, each agreeing with a
third of the statements and disagreeing with the rest, a fifth of votes random and three in ten statements
unseen, drawn with a fixed seed. Timed over several rounds: the whole analysis (`opinion_map`, from the vote
triples), and beside it the floor, reading the same triples into the vote matrix alone.
"""

from __future__ import annotations

import random
import statistics
import time

from lisdash.consult.opinionmap import opinion_map, vote_matrix
from lisdash.content.analysis import load_analysis


def synthetic_votes(participants: int, statements: int, seed: int = 2019) -> list[tuple[str, str, int]]:
    """Vote triples for the benchmark (synthetic input, never data)."""
    rng = random.Random(seed)
    votes = []
    for i in range(participants):
        camp = i % 3
        for j in range(statements):
            if rng.random() < 0.3:
                continue
            vote = (1 if j % 3 == camp else -1) if rng.random() > 0.2 else rng.choice([-1, 0, 1])
            votes.append((f"participant-{i}", f"statement-{j}", vote))
    return votes


def opinion_bench(participants: int, statements: int, rounds: int = 9) -> dict:
    """Median and slowest time of the analysis and of its floor, in milliseconds, with what the analysis found."""
    rule = load_analysis().opinion
    votes = synthetic_votes(participants, statements)
    floor, analysis, found = [], [], None
    for _ in range(rounds):
        start = time.perf_counter()
        vote_matrix(votes)
        floor.append(1000 * (time.perf_counter() - start))
        start = time.perf_counter()
        found = opinion_map(vote_matrix(votes), rule)
        analysis.append(1000 * (time.perf_counter() - start))
    return {
        "participants": participants, "statements": statements, "votes": len(votes), "rounds": rounds,
        "analysis_ms": {"median": round(statistics.median(analysis), 1), "max": round(max(analysis), 1)},
        "floor_vote_matrix_ms": {"median": round(statistics.median(floor), 1), "max": round(max(floor), 1)},
        "groups": [g.size for g in found.groups] if found else [], "left_out": found.left_out if found else None,
        "goal_ms": 200,
    }
