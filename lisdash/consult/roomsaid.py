"""What this room said: an event's agreement per poll and its top themes so far, for the projector.

Read fresh from the database, like the tally: each device's latest answer per poll, hidden views left out,
groups under the minimum not shown. Themes are those the team keeps (approved or proposed); a comment the
model has not tagged yet is matched to them by their terms, without writing anything. A quote is shown only
with its author's permission, and never from a hidden or flagged view.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult.schema import Response, Theme, ThemeTag
from lisdash.content.analysis import AnalysisRules
from lisdash.heard.agreement import agreement, suppress
from lisdash.heard.counting import quotable
from lisdash.heard.themes import tagger

TOP_THEMES = 3


@dataclass(frozen=True)
class RoomTheme:
    """A theme of the room's comments: its name, how many comments, and one quotable comment (or None)."""

    label: str
    comments: int
    quote: str | None


@dataclass(frozen=True)
class RoomSaid:
    """The room's agreement per poll (published: small polls suppressed) and its top themes."""

    polls: pd.DataFrame
    themes: list[RoomTheme]
    comments: int


def room_said(sessions: sessionmaker[Session], event_id: int | None, poll_titles: dict[str, str],
              rules: AnalysisRules) -> RoomSaid:
    """What the room (the event; every view when None) has said so far."""
    where = [Response.hidden.is_(False)] + ([Response.event_id == event_id] if event_id is not None else [])
    latest = (select(func.max(Response.id)).where(*where, Response.poll.is_not(None))
              .group_by(Response.poll, func.coalesce(Response.device_hash, Response.session_hash)))
    with sessions() as session:
        answers = pd.DataFrame(session.execute(select(Response.poll, Response.agreement)
                                               .where(Response.id.in_(latest))).all(), columns=["poll", "agreement"])
        comments = pd.DataFrame(session.execute(
            select(Response.id, Response.commitments, Response.comment, Response.quote_ok, Response.hidden,
                   Response.flagged).where(*where, Response.comment != "")).all(),
            columns=["id", "commitments", "comment", "quote_ok", "hidden", "flagged"])
        themes = session.execute(select(Theme.id, Theme.commitment, Theme.label, Theme.terms)
                                 .where(~Theme.retired)).all()
        tags = dict(session.execute(select(ThemeTag.response_id, ThemeTag.theme_id)
                                    .where(ThemeTag.response_id.in_(comments["id"].tolist()))
                                    .order_by(ThemeTag.source)).all())  # 'human' after 'machine': it wins
    answers = answers.assign(poll=answers["poll"].map(poll_titles)).dropna(subset=["poll"])
    polls = suppress(agreement(answers, rules, "poll"), rules) if len(answers) else answers
    return RoomSaid(polls, _top_themes(comments, themes, tags), len(comments))


def _top_themes(comments: pd.DataFrame, themes: list, tags: dict[int, int]) -> list[RoomTheme]:
    if comments.empty or not themes:
        return []
    labels = {t.id: t.label for t in themes}
    by_commitment: dict[str, dict[int, dict]] = {}
    for t in themes:
        by_commitment.setdefault(t.commitment, {})[t.id] = t.terms
    taggers = {c: tagger(terms) for c, terms in by_commitment.items()}

    def theme_of(row) -> int | None:
        if row.id in tags:
            return tags[row.id]
        found = (taggers[c](row.comment) for c in row.commitments or [] if c in taggers)
        return next((t for t in found if t is not None), None)

    comments = comments.assign(theme=[theme_of(r) for r in comments.itertuples()]).dropna(subset=["theme"])
    top = comments["theme"].value_counts().head(TOP_THEMES)
    out = []
    for theme, count in top.items():
        quotes = comments.loc[(comments["theme"] == theme) & quotable(comments), "comment"]
        out.append(RoomTheme(labels.get(int(theme), ""), int(count),
                             quotes.iloc[-1] if len(quotes) else None))  # the latest permitted
    return out
