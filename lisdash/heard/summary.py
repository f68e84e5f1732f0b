"""The summary of what we heard, as data: who responded against the region, agreement with its uncertainty
(raw and reweighted), themes with permitted quotes, and the evidence verdicts beside each commitment.

Everything here is already fit to publish: small groups are suppressed, and a comment is quoted only
with its author's permission, when it is neither hidden nor flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from lisdash.content.analysis import AnalysisRules
from lisdash.evidence.report import headline
from lisdash.heard.agreement import GROUPS, agreement, suppress, suppression_note
from lisdash.heard.counting import counted, per_commitment, quotable
from lisdash.heard.profile import Reweighted, profile, reweighted
from lisdash.heard.regionmix import RegionMix

QUOTES_PER_THEME = 2


@dataclass(frozen=True)
class Split:
    """Agreement by one kind of group, as published, with its suppression note."""

    title: str
    table: pd.DataFrame
    note: str | None


@dataclass(frozen=True)
class ThemeLine:
    """One theme of a commitment: comments (a campaign once), the views campaigns add, the share of its comments
    agreeing (None when suppressed), its human and machine-only tags, and up to two permitted quotes."""

    label: str
    approved: bool
    comments: int
    campaign_views: int
    agreeing: float | None
    human: int
    machine_only: int
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """A claim behind the commitment and what the data say of it."""

    claim: str
    verdict: str
    headline: str


@dataclass(frozen=True)
class Question:
    """A commitment or poll: agreement overall (published), reweighted, by group, and, for commitments, the
    themes and the evidence ('you said / the data say')."""

    id: str
    title: str
    overall: pd.DataFrame
    reweighted: Reweighted | None
    splits: list[Split]
    themes: list[ThemeLine] = field(default_factory=list)
    untagged: int = 0
    evidence: list[Verdict] = field(default_factory=list)


@dataclass(frozen=True)
class TagAgreement:
    """Machine against analyst on the comments an analyst tagged: how many, the share matching and Cohen's kappa."""

    comments: int
    matching: float
    kappa: float


@dataclass(frozen=True)
class Summary:
    """The whole summary."""

    scope: str
    received: int
    counted: int
    hidden: int
    replaced: int
    respondents: pd.DataFrame
    sectors: pd.DataFrame
    places: pd.DataFrame
    sector_mix: RegionMix
    place_mix: RegionMix
    commitments: list[Question]
    polls: list[Question]
    campaigns: pd.DataFrame
    tag_agreement: TagAgreement | None
    rules: AnalysisRules


@dataclass(frozen=True)
class Heard:
    """What the summary is made from: the inbox's views (with their database id), each view's theme tags and the
    themes, each commented view's campaign group, the region's mixes and the evidence."""

    views: pd.DataFrame
    tags: pd.DataFrame
    themes: pd.DataFrame
    campaigns: pd.Series
    sector_mix: RegionMix
    place_mix: RegionMix
    evidence: list  # ClaimResult
    commitment_titles: dict[str, str]
    poll_titles: dict[str, str]
    respondent_labels: dict[str, str]
    place_labels: dict[str, str]
    event_names: dict[str, str]


def summarise(heard: Heard, rules: AnalysisRules, scope: str) -> Summary:
    """The summary of the views given (all, or one event's)."""
    views = heard.views
    kept = counted(views)
    hidden = int(views["hidden"].sum()) if len(views) else 0
    labelled = _labelled(kept, heard)
    types = suppress(agreement(labelled, rules, "respondent_type"), rules)[["group", "views", "suppressed"]]
    businesses = kept[kept["respondent_type"] == "business"]
    return Summary(
        scope=scope, received=len(views), counted=len(kept), hidden=hidden, replaced=len(views) - len(kept) - hidden,
        respondents=types,
        sectors=profile(businesses["sector"], heard.sector_mix.shares, rules),
        places=profile(kept["place"], heard.place_mix.shares, rules),
        sector_mix=heard.sector_mix, place_mix=heard.place_mix,
        commitments=[_commitment(cid, title, labelled, heard, rules)
                     for cid, title in heard.commitment_titles.items()],
        polls=[_question(pid, title, labelled[labelled["poll"] == pid], heard, rules)
               for pid, title in heard.poll_titles.items() if (kept["poll"] == pid).any()],
        campaigns=_campaigns(heard, kept), tag_agreement=tag_agreement(heard.tags), rules=rules)


def _labelled(views: pd.DataFrame, heard: Heard) -> pd.DataFrame:
    channels = {"event": "At an event", "online": "Online"}
    return views.assign(business=views["respondent_type"] == "business", sector_code=views["sector"],
                        respondent_type=views["respondent_type"].map(lambda t: heard.respondent_labels.get(t, t)),
                        place=views["place"].map(lambda p: heard.place_labels.get(p, p), na_action="ignore"),
                        sector=views["sector"].map(lambda c: f"{c}: {heard.sector_mix.names.get(c, c)}",
                                                   na_action="ignore"),
                        channel=views["channel"].map(lambda c: channels.get(c, c)),
                        event=views["event"].map(lambda e: heard.event_names.get(e, e), na_action="ignore"))


def _question(qid: str, title: str, labelled: pd.DataFrame, heard: Heard, rules: AnalysisRules) -> Question:
    splits = []
    for column, name in GROUPS.items():
        table = suppress(agreement(labelled, rules, column), rules)
        splits.append(Split(name, table, suppression_note(table, rules)))
    businesses = labelled[labelled["business"]]
    weighted = reweighted(businesses["sector_code"], businesses["agreement"] >= rules.agree_from,
                          heard.sector_mix.shares, rules)
    if weighted is not None and weighted.views < rules.min_group:
        weighted = None
    return Question(qid, title, suppress(agreement(labelled, rules), rules), weighted, splits)


def _commitment(cid: str, title: str, labelled: pd.DataFrame, heard: Heard, rules: AnalysisRules) -> Question:
    about = per_commitment(labelled)
    about = about[about["commitment"] == cid]
    themes, untagged = _themes(cid, about, heard, rules)
    verdicts = [Verdict(r.claim, str(r.verdict), headline(r)) for r in heard.evidence if r.commitment == cid]
    return replace(_question(cid, title, about, heard, rules), themes=themes, untagged=untagged, evidence=verdicts)


def _themes(cid: str, about: pd.DataFrame, heard: Heard, rules: AnalysisRules) -> tuple[list[ThemeLine], int]:
    commented = about[about["comment"] != ""]
    tags = heard.tags[heard.tags["commitment"] == cid].set_index("id")
    theme_of = commented["id"].map(tags["theme_id"]) if len(tags) else pd.Series(pd.NA, index=commented.index)
    campaign = commented["id"].map(heard.campaigns).fillna(commented["id"])
    lines = []
    for theme in heard.themes[heard.themes["commitment"] == cid].itertuples(index=False):
        members = commented[theme_of == theme.id]
        firsts = members[~campaign[members.index].duplicated()]  # a campaign counts once
        agreeing = None
        if len(firsts) >= rules.min_group:
            agreeing = float((firsts["agreement"] >= rules.agree_from).mean())
        human = int(tags.reindex(members["id"])["human"].notna().sum()) if len(members) else 0
        quotes = firsts.loc[quotable(firsts), "comment"].head(QUOTES_PER_THEME)
        lines.append(ThemeLine(theme.label, bool(theme.approved), len(firsts), len(members) - len(firsts), agreeing,
                               human, len(members) - human, tuple(quotes)))
    lines.sort(key=lambda t: (-t.comments, t.label))
    return lines, int(theme_of.isna().sum())


def _campaigns(heard: Heard, kept: pd.DataFrame) -> pd.DataFrame:
    """Groups of near-identical comments among counted views: size, and whether its first comment may be quoted."""
    groups = heard.campaigns[heard.campaigns.index.isin(kept["id"])]
    sizes = groups.value_counts()
    sizes = sizes[sizes > 1]
    first = kept.set_index("id").reindex(sizes.index)
    return pd.DataFrame({"views": sizes.to_numpy(), "comment": first["comment"].where(quotable(first), None).to_numpy(),
                         "commitments": first["commitments"].to_numpy()})


def tag_agreement(tags: pd.DataFrame) -> TagAgreement | None:
    """Machine against analyst where a comment has both tags; None under two such comments."""
    both = tags.dropna(subset=["machine", "human"]) if len(tags) else tags
    if len(both) < 2:
        return None
    machine, human = both["machine"].astype(int), both["human"].astype(int)
    kappa = cohen_kappa_score(machine, human) if machine.nunique() + human.nunique() > 2 else float("nan")
    return TagAgreement(len(both), float((machine == human).mean()), float(kappa))
