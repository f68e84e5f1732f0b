"""Themes proposed in the comments on one commitment: TF-IDF and non-negative matrix factorisation.

Deterministic and offline: scikit-learn's TF-IDF over words and word pairs (its built-in English stop
words), NMF initialised by NNDSVD with a fixed seed. A campaign (near-identical comments) is one
document, so it counts once. Each comment joins the theme with its largest weight; a comment sharing
no term with any theme is left untagged. Themes are kept as weighted terms, so comments that arrive
later are tagged against approved themes without refitting them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from lisdash.content.analysis import ThemeRule

KEPT_TERMS = 30  # a theme's weighted terms kept for tagging later comments


@dataclass(frozen=True)
class Proposal:
    """A proposed theme: its top terms, its weighted terms, its members and its most representative comments
    (index labels of the comments given)."""

    terms: tuple[str, ...]
    weights: Mapping[str, float]
    members: tuple
    examples: tuple

    @property
    def label(self) -> str:
        """A first name for the theme, from its top terms (an analyst renames it): two terms, a word that a word
        pair among the top terms already holds left out."""
        pairs = [t.split() for t in self.terms if " " in t]
        kept = [t for t in self.terms if " " in t or not any(t in pair for pair in pairs)]
        return ", ".join(kept[:2])


def _vectorizer(min_df: int = 1) -> TfidfVectorizer:
    return TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=min_df,
                           max_df=0.9, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b")


def propose(comments: pd.Series, groups: pd.Series, rule: ThemeRule) -> tuple[list[Proposal], pd.Series]:
    """Themes for the comments (non-empty text), with `groups` naming each comment's campaign group (its first
    comment's label); and each comment's theme number (NA when untagged). No themes under the minimum."""
    untagged = pd.Series(pd.NA, index=comments.index, dtype="Int64")
    firsts = comments[groups.reindex(comments.index) == comments.index]
    if len(firsts) < rule.min_comments:
        return [], untagged
    vectorizer = _vectorizer(min_df=2)
    matrix = vectorizer.fit_transform(firsts.to_list())
    count = min(rule.per_commitment, max(2, len(firsts) // 4), matrix.shape[1])
    model = NMF(n_components=count, init="nndsvd", random_state=rule.seed, max_iter=500)
    weights = model.fit_transform(matrix)
    terms = vectorizer.get_feature_names_out()
    best = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    of_first = pd.Series(best, index=firsts.index)
    theme = groups.reindex(comments.index).map(of_first)
    proposals = []
    for k in range(count):
        order = np.argsort(-model.components_[k], kind="stable")[:KEPT_TERMS]
        top = model.components_[k][order]
        kept = {str(terms[i]): float(w / top[0]) for i, w in zip(order, top, strict=True) if w > 0}
        members = tuple(theme.index[theme == k])
        ranked = np.argsort(-weights[:, k], kind="stable")
        examples = tuple(firsts.index[i] for i in ranked if best[i] == k)[:rule.examples]
        proposals.append(Proposal(tuple(kept)[:rule.top_terms], kept, members, examples))
    numbered = theme.where(theme >= 0).astype("Int64")
    return proposals, numbered


def weighted_terms(comments: list[str]) -> dict[str, float]:
    """A theme's weighted terms made from its comments (an analyst's split): mean TF-IDF, largest 1."""
    vectorizer = _vectorizer()
    try:
        mean = np.asarray(vectorizer.fit_transform(comments).mean(axis=0)).ravel()
    except ValueError:  # no words left once stop words are removed
        return {}
    terms = vectorizer.get_feature_names_out()
    order = np.argsort(-mean, kind="stable")[:KEPT_TERMS]
    return {str(terms[i]): float(mean[i] / mean[order[0]]) for i in order if mean[i] > 0}


def tagger(themes: Mapping[int, Mapping[str, float]]) -> Callable[[str], int | None]:
    """A function tagging one comment with the theme (by id) whose weighted terms it matches most; None when it
    matches none."""
    analyse = _vectorizer().build_analyzer()

    def tag(comment: str) -> int | None:
        present = set(analyse(comment))
        scores = {theme: sum(w for term, w in weights.items() if term in present) for theme, weights in themes.items()}
        best = max(scores, key=lambda t: (scores[t], -t), default=None)
        return best if best is not None and scores[best] > 0 else None

    return tag
