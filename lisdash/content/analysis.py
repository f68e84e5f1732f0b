"""How the consultation's views are counted, estimated and grouped (lis_data/analysis.yaml): the one place the
Methods page, the admin page and the report read their rules from."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from lisdash.config import content_dir
from lisdash.content.yamlfile import ContentError, Model, validation_problems


class CampaignRule(Model):
    """Near-identical comments: Jaccard similarity of their word shingles at least `min_similarity`."""

    shingle_words: int = Field(ge=1, le=8)
    min_similarity: float = Field(gt=0, le=1)
    min_words: int = Field(ge=1)


class ThemeRule(Model):
    """The theme model's size, seed and what it shows per theme."""

    per_commitment: int = Field(ge=2, le=20)
    min_comments: int = Field(ge=2)
    seed: int
    top_terms: int = Field(ge=3, le=30)
    examples: int = Field(ge=1, le=10)


class OpinionRule(Model):
    """The opinion map: who is placed, how many groups, how stable, how small a group may be."""

    min_votes: int = Field(ge=1)
    k_min: int = Field(ge=2)
    k_max: int = Field(ge=2, le=8)
    hysteresis: int = Field(ge=1)
    min_group: int = Field(ge=1)
    min_statement_votes: int = Field(ge=1)
    seed: int


class AnalysisRules(Model):
    """Counting, agreement, intervals, suppression, campaigns, themes and the opinion map."""

    counting: str
    agree_from: int = Field(ge=2, le=5)
    confidence: float = Field(gt=0.5, lt=1)
    min_group: int = Field(ge=1)
    campaign: CampaignRule
    themes: ThemeRule
    opinion: OpinionRule

    def lines(self) -> list[tuple[str, str]]:
        """The rules as (topic, sentence) pairs, for the Methods page and the report."""
        c, t, o = self.campaign, self.themes, self.opinion
        return [
            ("Counting", self.counting),
            ("Agreeing", f"a view agrees when its answer is {self.agree_from} or more on the 5-point scale; the "
                         "share agreeing is out of every counted view, neutral answers included"),
            ("Intervals", f"{self.confidence:.0%} Wilson score intervals for each share"),
            ("Suppression", f"a group with fewer than {self.min_group} counted views is not published: it is "
                            "left out of every published table and chart, and a note counts what was left out; "
                            "where one group alone would be suppressed, the next smallest is too, so that no "
                            "figure can be worked out from the total"),
            ("Campaigns", f"comments of {c.min_words} or more words whose sets of {c.shingle_words}-word runs "
                          f"have a Jaccard similarity of {c.min_similarity:.2f} or more are one group; a group "
                          "counts once in the themes, with its size, and every view counts in the totals"),
            ("Themes", f"per commitment with {t.min_comments} or more distinct comments, TF-IDF and "
                       f"non-negative matrix factorisation (scikit-learn, seed {t.seed}) propose up to "
                       f"{t.per_commitment} themes; analysts approve, rename, merge and split them, and every "
                       "change is kept with who made it and when"),
            ("Reweighting", "agreement reweighted to the region's mix of employment by SIC section "
                            "(post-stratification over business respondents who named their sector); the "
                            "effective sample size is Kish's. A self-selected sample is not a survey: "
                            "reweighting corrects the mix of sectors, not who chose to answer"),
            ("Opinion map", f"votes are +1 agree, -1 disagree, 0 pass; a statement a participant has not seen "
                            f"takes that statement's mean vote; participants with fewer than {o.min_votes} votes "
                            "are left out and counted; principal component analysis gives two axes and k-means "
                            f"(scikit-learn, seed {o.seed}) {o.k_min} to {o.k_max} opinion groups, the number "
                            "chosen by the silhouette score and changed only when another number wins "
                            f"{o.hysteresis} updates in a row; a group of fewer than {o.min_group} is merged into "
                            "the nearest group"),
            ("Group statements", f"a group's defining statements are those it agrees with more than everyone else "
                                 f"(with {o.min_statement_votes} or more of its votes), by the ratio of (agrees + "
                                 "1) / (votes + 2) inside the group to the same outside it; common ground is the "
                                 "product over groups of (agrees + 1) / (votes + 2), as in pol.is"),
        ]


def load_analysis(path: Path | None = None) -> AnalysisRules:
    """Load and validate lis_data/analysis.yaml; errors name the file."""
    path = path or content_dir() / "analysis.yaml"
    try:
        return AnalysisRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot read YAML: {exc}") from exc
    except ValidationError as exc:
        raise ContentError(f"{path}: {validation_problems(exc)}") from exc
