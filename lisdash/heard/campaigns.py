"""Near-identical comments grouped: the exact Jaccard similarity of their sets of word shingles.

Each comment becomes the set of its runs of `shingle_words` words (lower case, letters and digits only).
Two comments of at least `min_words` words are near-identical when the sets' Jaccard similarity is at
least `min_similarity`; groups are the connected components of that relation. The similarity is
computed exactly, a block of comments at a time (a sparse product), so memory stays bounded and the
grouping is the same on every run.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import CountVectorizer

from lisdash.content.analysis import CampaignRule

WORD = re.compile(r"[a-z0-9]+")
BLOCK = 1000


def words(comment: str) -> list[str]:
    """A comment's words, lower case, letters and digits only."""
    return WORD.findall(comment.lower())


def campaign_groups(comments: pd.Series, rule: CampaignRule) -> pd.Series:
    """For each comment (same index), the index label of its group's first comment; comments that repeat no
    other (or are too short) are their own group."""
    group = pd.Series(comments.index, index=comments.index)
    long = comments[[len(words(c)) >= rule.min_words for c in comments]]
    if len(long) < 2:
        return group
    shingles = CountVectorizer(analyzer=lambda text: _shingles(text, rule.shingle_words), binary=True,
                               dtype=np.float32).fit_transform(long.to_list())
    shingles = csr_matrix(shingles)
    sizes = np.asarray(shingles.sum(axis=1)).ravel()
    rows, cols = [], []
    for start in range(0, shingles.shape[0], BLOCK):
        shared = (shingles[start:start + BLOCK] @ shingles.T).tocoo()
        i, j = shared.row + start, shared.col
        union = sizes[i] + sizes[j] - shared.data
        near = (shared.data >= rule.min_similarity * union) & (i < j)
        rows.append(i[near])
        cols.append(j[near])
    i, j = np.concatenate(rows), np.concatenate(cols)
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(len(long), len(long)))
    _, component = connected_components(graph, directed=False)
    first = pd.Series(long.index).groupby(component).transform("first").to_numpy()
    group.loc[long.index] = first
    return group


def _shingles(text: str, size: int) -> list[str]:
    tokens = words(text)
    return [" ".join(tokens[k:k + size]) for k in range(max(1, len(tokens) - size + 1))]


def campaign_column(views: pd.DataFrame, rule: CampaignRule) -> pd.Series:
    """For each view (receipt, comment), the reference of its campaign's first view; empty when its comment
    repeats no other (the grouping as the export shows it)."""
    groups = campaign_groups(views.set_index("receipt")["comment"].fillna(""), rule)
    sizes = groups.map(groups.value_counts())
    return pd.Series(groups.where(sizes > 1, "").to_numpy(), index=views.index)
