"""The room's opinion map from agree / disagree / pass votes on statements (pure: numpy and scikit-learn).

Votes form a participants x statements matrix (+1 agree, -1 disagree, 0 pass); a statement a participant has
not voted on takes that statement's mean vote. Participants with too few votes are left out and counted. The
matrix is projected on two principal components and clustered by k-means for each number of groups in the
rules' range; the silhouette score picks the number, which changes only after another number has won several
updates in a row (`choose_k`). A group smaller than the rules' minimum is merged into the nearest group, so no
one stands alone. Per group, its defining statements; over all groups, the common ground (pol.is's
group-informed consensus) and the statements that divide them. The rules: lis_data/analysis.yaml, `opinion`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from lisdash.content.analysis import OpinionRule

AGREE, DISAGREE, PASS = 1, -1, 0


@dataclass(frozen=True)
class Matrix:
    """Votes by participant (rows) and statement (columns); NaN where a participant has not voted."""

    participants: tuple[str, ...]
    statements: tuple[str, ...]
    votes: np.ndarray


@dataclass(frozen=True)
class KChoice:
    """The number of groups shown, and a challenger with how many updates in a row it has won."""

    k: int
    challenger: int | None = None
    streak: int = 0


@dataclass(frozen=True)
class Tally:
    """A statement's votes within some participants."""

    statement: str
    agrees: int
    disagrees: int
    votes: int  # agrees, disagrees and passes

    @property
    def agree_p(self) -> float:
        """(agrees + 1) / (votes + 2): agreement with one imagined agree and one imagined other vote."""
        return (self.agrees + 1) / (self.votes + 2)


@dataclass(frozen=True)
class Defining:
    """A statement a group agrees with more than everyone else."""

    statement: str
    inside: Tally
    outside: Tally

    @property
    def ratio(self) -> float:
        """How many times more the group agrees than the others (each as (agrees + 1) / (votes + 2))."""
        return self.inside.agree_p / self.outside.agree_p


@dataclass(frozen=True)
class Group:
    """One opinion group: its members and its defining statements, most defining first."""

    number: int
    members: tuple[str, ...]
    defining: tuple[Defining, ...]

    @property
    def size(self) -> int:
        """How many participants it holds."""
        return len(self.members)


@dataclass(frozen=True)
class Consensus:
    """A statement's common ground: the product over groups of (agrees + 1) / (votes + 2)."""

    statement: str
    score: float
    by_group: tuple[Tally, ...]

    @property
    def shared(self) -> bool:
        """Whether every group leans to agree: (agrees + 1) / (votes + 2) above one half in each."""
        return all(t.agree_p > 0.5 for t in self.by_group)


@dataclass(frozen=True)
class OpinionMap:
    """Where the room stands: each placed participant's point and group, the groups, common ground, divisions."""

    participants: tuple[str, ...]
    points: np.ndarray  # participants x 2
    groups: tuple[Group, ...]
    membership: tuple[int, ...]  # each placed participant's group number
    consensus: tuple[Consensus, ...]  # most shared first (`shared`: the ones every group leans to agree with)
    divisive: tuple[Consensus, ...]  # groups furthest apart first (by_group ordered as `groups`)
    left_out: int  # participants with too few votes
    choice: KChoice


def vote_matrix(votes: Iterable[tuple[str, str, int]], statements: Iterable[str] | None = None) -> Matrix:
    """The matrix of (participant, statement, vote) triples; a later vote on the same statement replaces the
    earlier one. `statements` fixes the columns (and drops votes on any other statement)."""
    latest: dict[tuple[str, str], int] = {}
    for participant, statement, vote in votes:
        if vote not in (AGREE, DISAGREE, PASS):
            raise ValueError(f"a vote is {AGREE}, {DISAGREE} or {PASS}, not {vote!r}")
        latest[(participant, statement)] = vote
    columns = tuple(statements) if statements is not None else tuple(sorted({s for _, s in latest}))
    rows = tuple(sorted({p for p, s in latest if s in columns}))
    where = {s: j for j, s in enumerate(columns)}
    index = {p: i for i, p in enumerate(rows)}
    matrix = np.full((len(rows), len(columns)), np.nan)
    for (participant, statement), vote in latest.items():
        if statement in where:
            matrix[index[participant], where[statement]] = vote
    return Matrix(rows, columns, matrix)


def filled(votes: np.ndarray) -> np.ndarray:
    """Each missing vote replaced by its statement's mean vote (0 where nobody has voted on it)."""
    counted = ~np.isnan(votes)
    sums = np.where(counted, votes, 0.0).sum(axis=0)
    seen = counted.sum(axis=0)
    means = np.divide(sums, seen, out=np.zeros_like(sums), where=seen > 0)
    return np.where(counted, votes, means)


def choose_k(scores: dict[int, float], previous: KChoice | None, hysteresis: int) -> KChoice:
    """The number of groups after an update whose silhouette scores are `scores`: the best at first; after that,
    a different best replaces the shown number only once it has won `hysteresis` updates in a row."""
    best = max(sorted(scores), key=lambda k: scores[k])
    if previous is None or previous.k not in scores:
        return KChoice(best)
    if best == previous.k:
        return KChoice(previous.k)
    streak = previous.streak + 1 if best == previous.challenger else 1
    if streak >= hysteresis:
        return KChoice(best)
    return KChoice(previous.k, best, streak)


def tally(votes: np.ndarray, rows: np.ndarray, statement: int, name: str) -> Tally:
    """The votes on one statement among some rows of the (unfilled) matrix."""
    column = votes[rows, statement]
    column = column[~np.isnan(column)]
    return Tally(name, int((column == AGREE).sum()), int((column == DISAGREE).sum()), len(column))


def merged_small_groups(points: np.ndarray, labels: np.ndarray, min_group: int) -> np.ndarray:
    """Labels with every group smaller than `min_group` merged into the group whose centre is nearest its own
    centre (smallest group first), renumbered 0.. by size, largest first."""
    labels = labels.copy()
    while True:
        sizes = {g: int((labels == g).sum()) for g in np.unique(labels)}
        small = [g for g, n in sorted(sizes.items(), key=lambda x: (x[1], x[0])) if n < min_group]
        if not small or len(sizes) == 1:
            break
        g = small[0]
        centre = points[labels == g].mean(axis=0)
        others = [h for h in sizes if h != g]
        nearest = min(others, key=lambda h: (float(np.linalg.norm(points[labels == h].mean(axis=0) - centre)), h))
        labels[labels == g] = nearest
    order = sorted(np.unique(labels), key=lambda g: (-int((labels == g).sum()), int(g)))
    return np.array([order.index(g) for g in labels])


def defining(votes: np.ndarray, statements: tuple[str, ...], inside: np.ndarray, rule: OpinionRule,
             shown: int = 2) -> tuple[Defining, ...]:
    """The statements a group (rows `inside`) agrees with more than the others, with at least
    `rule.min_statement_votes` of the group's votes, most defining first (ties: the statement's order)."""
    outside = np.setdiff1d(np.arange(votes.shape[0]), inside)
    found = []
    for j, name in enumerate(statements):
        ins, outs = tally(votes, inside, j, name), tally(votes, outside, j, name)
        if ins.votes >= rule.min_statement_votes and ins.agree_p > outs.agree_p:
            found.append(Defining(name, ins, outs))
    return tuple(sorted(found, key=lambda d: -d.ratio)[:shown])


def consensus(votes: np.ndarray, statements: tuple[str, ...], groups: list[np.ndarray]) -> list[Consensus]:
    """Each statement's group-informed consensus, most shared first (ties: the statement's order)."""
    out = []
    for j, name in enumerate(statements):
        by_group = tuple(tally(votes, rows, j, name) for rows in groups)
        out.append(Consensus(name, float(np.prod([t.agree_p for t in by_group])), by_group))
    return sorted(out, key=lambda c: -c.score)


def opinion_map(matrix: Matrix, rule: OpinionRule, previous: KChoice | None = None) -> OpinionMap | None:
    """The opinion map of the votes, or None while too few participants have voted enough to be placed in groups.

    `previous` is the last update's choice of the number of groups (None at the first update)."""
    enough = (~np.isnan(matrix.votes)).sum(axis=1) >= rule.min_votes
    votes = matrix.votes[enough]
    people = tuple(p for p, keep in zip(matrix.participants, enough, strict=True) if keep)
    left_out = int((~enough).sum())
    if len(people) < max(rule.k_min * rule.min_group, 3) or len(matrix.statements) < 2:
        return None
    points = PCA(n_components=2, random_state=rule.seed).fit_transform(filled(votes))
    found, scores = {}, {}
    distinct = len(np.unique(points.round(9), axis=0))  # k-means cannot make more groups than distinct points
    for k in range(rule.k_min, min(rule.k_max, len(people) - 1, distinct) + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=rule.seed).fit_predict(points)
        if len(np.unique(labels)) < 2:
            continue
        found[k], scores[k] = labels, float(silhouette_score(points, labels))
    if not scores:
        return None
    choice = choose_k(scores, previous, rule.hysteresis)
    labels = merged_small_groups(points, found[choice.k], rule.min_group)
    members = [np.flatnonzero(labels == g) for g in range(int(labels.max()) + 1)]
    groups = tuple(Group(g, tuple(people[i] for i in rows), defining(votes, matrix.statements, rows, rule))
                   for g, rows in enumerate(members))
    shared = consensus(votes, matrix.statements, members)
    split = sorted(shared, key=lambda c: -(max(t.agree_p for t in c.by_group) - min(t.agree_p for t in c.by_group)))
    return OpinionMap(people, points, groups, tuple(int(x) for x in labels), tuple(shared), tuple(split), left_out,
                      choice)
