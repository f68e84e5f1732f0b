"""The summary laid out once, as blocks (headings, paragraphs, tables, charts, quotes), for every format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from lisdash.heard.charts import share_agreeing
from lisdash.heard.summary import Question, Summary

CREDIT = ("Sources: views given to the West Midlands Local Industrial Strategy consultation; Office for National "
          "Statistics, Business Register and Employment Survey and UK Business Counts (Open Government Licence "
          "v3.0).")
MAIN_THEMES = 3  # themes whose quotes the report prints, largest first


@dataclass(frozen=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class SideBySide:
    """Two short columns read together: 'You said' beside 'The data say'."""

    left_title: str
    left: tuple[str, ...]
    right_title: str
    right: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame  # text cells, as shown
    numeric: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    figure: go.Figure
    alt: str


Block = Heading | Paragraph | Quote | SideBySide | Table | Chart
YOU_SAID, DATA_SAY = "You said", "The data say"


def _pct(value) -> str:
    return "suppressed" if pd.isna(value) else f"{float(value):.0%}"


def _count(value) -> str:
    return "suppressed" if pd.isna(value) else f"{int(value):,}"


def _agreement_table(table: pd.DataFrame, title: str) -> Table:
    """Published groups only: a suppressed group is left out, and the note under the table counts it."""
    rows = [{title: row.group, "Views": _count(row.views), "Agreeing": _count(row.agreeing),
             "Share agreeing": _pct(row.share), "Interval": f"{row.low:.0%} to {row.high:.0%}"}
            for row in table.itertuples(index=False) if not row.suppressed]
    return Table(pd.DataFrame(rows), ("Views", "Agreeing", "Share agreeing", "Interval"))


def _profile_table(table: pd.DataFrame, title: str, names: dict[str, str]) -> Table:
    rows = [{title: names.get(row.group, row.group), "Respondents": _count(row.respondents),
             "Share of respondents": _pct(row.respondent_share),
             "Share of the region": "" if pd.isna(row.region_share) else f"{row.region_share:.1%}",
             "Ratio": "" if pd.isna(row.ratio) else f"{float(row.ratio):.2f}"}
            for row in table.itertuples(index=False) if not row.suppressed and row.respondents > 0]
    return Table(pd.DataFrame(rows), ("Respondents", "Share of respondents", "Share of the region", "Ratio"))


OpinionSection = tuple[str, str, dict[str, pd.DataFrame]]  # a conversation's title, note and tables


def blocks(summary: Summary, opinion: Sequence[OpinionSection] = ()) -> list[Block]:
    """The report, top to bottom; `opinion`: where the rooms stand on each conversation's statements."""
    rules = summary.rules
    out: list[Block] = [
        Heading("What we heard: the West Midlands Local Industrial Strategy consultation", 1),
        Paragraph(f"{summary.scope}: {summary.received:,} views received, {summary.counted:,} counted "
                  f"({summary.hidden:,} hidden by moderation, {summary.replaced:,} replaced by a later answer "
                  "from the same device or sent twice)."),
        Heading("Methods and caveats", 2),
        Table(pd.DataFrame([{"Rule": topic, "How": text.rstrip(".") + "."} for topic, text in rules.lines()])),
        Paragraph("Respondents chose to answer: the figures describe them, not the region's businesses or people."),
        Paragraph(_tag_agreement_text(summary)),
        Heading("Who responded", 2),
        Table(pd.DataFrame([{"Respondent type": r.group, "Views": _count(r.views)}
                            for r in summary.respondents.itertuples(index=False) if not r.suppressed]), ("Views",)),
        Paragraph(_suppressed(summary.respondents, rules)),
        Paragraph(f"Business respondents by SIC section against the region's employment ({summary.sector_mix.measure}"
                  f", BRES {summary.sector_mix.year}, West Midlands region, ITL1 TLG):"),
        _profile_table(summary.sectors, "SIC section", summary.sector_mix.names),
        Paragraph(_suppressed(summary.sectors, rules)),
        Paragraph(_uncovered(summary.sectors, "SIC sections", "employment")),
        Paragraph(f"Respondents by local authority against the region's businesses (enterprises, UK Business Counts "
                  f"{summary.place_mix.year}, West Midlands region):"),
        _profile_table(summary.places, "Local authority", summary.place_mix.names),
        Paragraph(_suppressed(summary.places, rules)),
        Paragraph(_uncovered(summary.places, "local authorities", "businesses")),
    ]
    for question in summary.commitments:
        out += _question_blocks(question, summary, commitment=True)
    if summary.polls:
        out.append(Heading("Polls at events", 2))
        for question in summary.polls:
            out += _question_blocks(question, summary, commitment=False)
    if opinion:
        out.append(Heading("Where the rooms stand: votes on statements", 2))
        for title, note, tables in opinion:
            out += [Heading(title, 3), Paragraph(note)]
            for name, table in tables.items():
                out += [Heading(name, 4), Table(table)]
    out += _campaign_blocks(summary)
    out.append(Paragraph(CREDIT))
    return out


def _question_blocks(q: Question, summary: Summary, commitment: bool) -> list[Block]:
    rules = summary.rules
    overall = q.overall.iloc[0] if len(q.overall) else None
    published = overall is not None and not overall["suppressed"]
    out: list[Block] = [Heading(q.title, 2 if commitment else 3)]
    if commitment:
        out.append(_you_said_the_data_say(q, overall if published else None, rules))
    if not published:
        out.append(Paragraph(f"Fewer than {rules.min_group} counted views: no figures are published."))
    else:
        out += _agreement_blocks(q, overall, rules)
    if commitment:
        out += _theme_blocks(q)
    return out


def _you_said_the_data_say(q: Question, overall: pd.Series | None, rules) -> SideBySide:
    said = [f"Too few views to publish (under {rules.min_group})."] if overall is None else [
        f"{_pct(overall['share'])} of {_count(overall['views'])} views agree ({rules.confidence:.0%} interval "
        f"{overall['low']:.0%} to {overall['high']:.0%})."]
    if overall is not None and q.reweighted:
        said.append(f"Reweighted to the region's sectors: {q.reweighted.share:.0%} "
                    f"(effective sample size {q.reweighted.effective_n:,.1f}).")
    if q.themes:
        said.append("Main themes: " + "; ".join(f"{t.label} ({t.comments:,})" for t in q.themes[:MAIN_THEMES]) + ".")
    data = [f"{v.claim.rstrip('.')}: {v.verdict} ({v.headline})." for v in q.evidence] or [
        "No claim of the strategy behind this commitment is tested by the evidence check."]
    return SideBySide(YOU_SAID, tuple(said), DATA_SAY, tuple(data))


def _agreement_blocks(q: Question, overall: pd.Series, rules) -> list[Block]:
    out: list[Block] = [Heading("Agreement", 4),
                        Paragraph(f"{_count(overall['views'])} views; {_pct(overall['share'])} agree "
                                  f"({rules.confidence:.0%} interval {overall['low']:.0%} to {overall['high']:.0%}).")]
    if q.reweighted:
        r = q.reweighted
        out.append(Paragraph(f"Reweighted to the region's sectors: {r.share:.0%} agree ({r.low:.0%} to {r.high:.0%}; "
                             f"raw {r.raw_share:.0%} among the same views). {r.caveat}"))
    for split in q.splits:
        if len(split.table) > 1:
            out.append(_agreement_table(split.table, split.title))
            if split.note:
                out.append(Paragraph(split.note))
    by_type = next(s for s in q.splits if s.title == "Respondent type").table
    out.append(Chart(share_agreeing(by_type, f"{q.title}: share agreeing by respondent type", rules.confidence),
                     f"Share agreeing by respondent type for {q.title}"))
    return out


def _theme_blocks(q: Question) -> list[Block]:
    if not q.themes:
        return [Paragraph("Themes: too few comments for the model to propose themes.")]
    rows = [{"Theme": t.label + ("" if t.approved else " (not yet approved)"), "Comments": f"{t.comments:,}",
             "Campaign views": f"{t.campaign_views:,}", "Share agreeing": _pct(t.agreeing),
             "Analyst tags": f"{t.human:,}", "Machine only": f"{t.machine_only:,}"} for t in q.themes]
    out: list[Block] = [Heading("Themes in the comments", 4),
                        Table(pd.DataFrame(rows), ("Comments", "Campaign views", "Share agreeing", "Analyst tags",
                                                   "Machine only")),
                        Paragraph(f"{q.untagged:,} comments carry no theme.")]
    for theme in q.themes[:MAIN_THEMES]:
        out += [Quote(f"{text} (theme: {theme.label})") for text in theme.quotes]
    return out


def _campaign_blocks(summary: Summary) -> list[Block]:
    out: list[Block] = [Heading("Campaigns and repeated comments", 2)]
    if summary.campaigns.empty:
        return [*out, Paragraph("No near-identical comments were found.")]
    out.append(Paragraph(f"{len(summary.campaigns):,} groups of near-identical comments, "
                         f"{int(summary.campaigns['views'].sum()):,} views in all. Each group counts once in the "
                         "themes and in full in the totals; nothing is deleted."))
    rows = [{"Views": f"{r.views:,}", "Comment": r.comment if r.comment else "(not quoted: no permission)"}
            for r in summary.campaigns.itertuples(index=False)]
    return [*out, Table(pd.DataFrame(rows), ("Views",))]


def _tag_agreement_text(summary: Summary) -> str:
    t = summary.tag_agreement
    if t is None:
        return "Machine against analyst: no comment has both a machine and an analyst tag yet."
    return (f"Machine against analyst: on the {t.comments:,} comments an analyst tagged, the model's theme was the "
            f"analyst's for {t.matching:.0%} (Cohen's kappa {t.kappa:.2f}).")


def _uncovered(table: pd.DataFrame, what: str, measure: str) -> str:
    """How much of the region no respondent speaks for."""
    empty = table[(table["respondents"].fillna(1) == 0) & table["region_share"].notna()]
    return (f"{len(empty):,} {what} with no respondents make up {empty['region_share'].sum():.0%} of the region's "
            f"{measure}.")


def _suppressed(table: pd.DataFrame, rules) -> str:
    hidden = int(table["suppressed"].sum())
    if not hidden:
        return f"No group has fewer than {rules.min_group} respondents: none is left out."
    return (f"{hidden:,} group{'s' * (hidden != 1)} with fewer than {rules.min_group} respondents "
            f"{'are' if hidden != 1 else 'is'} left out.")
