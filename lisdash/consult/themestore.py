"""Themes in the database: the model's proposals, analysts' changes (each kept with who and when), and each
view's theme per commitment, told apart by source (the model's 'machine' tag, an analyst's 'human' one).

Re-running the model keeps approved themes: while a commitment has none approved, its proposals are made
afresh; once one is approved, its themes stay as they are (approved, or proposed and awaiting review) and
only comments without a tag are tagged, against those themes' weighted terms.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult import inbox
from lisdash.consult.schema import Response, Theme, ThemeChange, ThemeTag
from lisdash.content.analysis import AnalysisRules
from lisdash.heard.campaigns import campaign_groups
from lisdash.heard.counting import counted, per_commitment
from lisdash.heard.themes import propose, tagger, weighted_terms

MACHINE, HUMAN = "machine", "human"
MODEL = "theme model"


class ThemeRefused(ValueError):
    """An analyst's change that cannot be made (in our own words)."""


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def commented(sessions: sessionmaker[Session], rules: AnalysisRules) -> pd.DataFrame:
    """Counted views with a comment, one row per commitment they are about: id, commitment, comment, agreement,
    quote_ok, flagged, and `campaign` (the id of their near-identical group's first view)."""
    views = counted(inbox.responses_frame(sessions, with_ids=True))
    views = views[views["comment"] != ""]
    groups = campaign_groups(views.set_index("id")["comment"], rules.campaign)
    rows = per_commitment(views).assign(campaign=lambda f: f["id"].map(groups))
    return rows[["id", "receipt", "commitment", "comment", "agreement", "quote_ok", "flagged", "campaign",
                 "event"]].reset_index(drop=True)


def version(sessions: sessionmaker[Session]) -> tuple:
    """A value that changes whenever anything the summary reads changes: views arriving, moderation, tags, themes
    and analysts' changes (each change adds a row or moves a sum of ids)."""
    hidden = func.coalesce(func.sum(case((Response.hidden, Response.id), else_=0)), 0)
    flagged = func.coalesce(func.sum(case((Response.flagged, Response.id), else_=0)), 0)
    with sessions() as session:
        views = session.execute(select(func.count(Response.id), func.max(Response.id), hidden, flagged)).one()
        tags = session.execute(select(func.count(ThemeTag.id), func.max(ThemeTag.id))).one()
        themes = session.execute(select(func.count(Theme.id), func.max(Theme.id))).one()
        changes = session.scalar(select(func.max(ThemeChange.id)))
    return (*views, *tags, *themes, changes)


def run_model(sessions: sessionmaker[Session], rules: AnalysisRules, now: datetime | None = None) -> dict[str, int]:
    """Propose themes, or tag new comments against approved ones, for every commitment; views tagged by the
    model per commitment."""
    now = _now(now)
    rows = commented(sessions, rules)
    tagged = {}
    for commitment, comments in rows.groupby("commitment"):
        with sessions.begin() as session:
            kept = session.scalars(select(Theme).where(Theme.commitment == commitment, ~Theme.retired)).all()
            if any(theme.approved for theme in kept):
                tagged[commitment] = _tag_new(session, commitment, comments, kept, now)
            else:
                tagged[commitment] = _propose_afresh(session, commitment, comments, rules, now)
    return tagged


def _propose_afresh(session: Session, commitment: str, comments: pd.DataFrame, rules: AnalysisRules,
                    now: datetime) -> int:
    old = select(Theme.id).where(Theme.commitment == commitment, ~Theme.approved, Theme.origin == MACHINE)
    session.execute(delete(ThemeTag).where(ThemeTag.theme_id.in_(old), ThemeTag.source == MACHINE))
    session.execute(update(Theme).where(Theme.id.in_(old)).values(retired=True))
    text = comments.set_index("id")["comment"]
    proposals, numbers = propose(text, comments.set_index("id")["campaign"], rules.themes)
    ids = []
    for proposal in proposals:
        theme = Theme(commitment=commitment, label=proposal.label[:80], terms=dict(proposal.weights),
                      examples=[int(i) for i in proposal.examples], approved=False,
                      retired=False, origin=MACHINE, created_by=MODEL, created_at=now)
        session.add(theme)
        session.flush()
        ids.append(theme.id)
    for response_id, number in numbers.dropna().items():
        session.add(ThemeTag(response_id=int(response_id), commitment=commitment, theme_id=ids[int(number)],
                             source=MACHINE, tagged_by=MODEL, tagged_at=now))
    return int(numbers.notna().sum())


def _tag_new(session: Session, commitment: str, comments: pd.DataFrame, kept: list[Theme], now: datetime) -> int:
    have = set(session.scalars(select(ThemeTag.response_id).where(ThemeTag.commitment == commitment)))
    tag = tagger({t.id: t.terms for t in kept})
    done = 0
    for row in comments.itertuples(index=False):
        if int(row.id) in have:
            continue
        theme = tag(row.comment)
        if theme is not None:
            session.add(ThemeTag(response_id=int(row.id), commitment=commitment, theme_id=theme, source=MACHINE,
                                 tagged_by=MODEL, tagged_at=now))
            done += 1
    return done


def _log(session: Session, theme_id: int, action: str, detail: dict, by: str, now: datetime) -> None:
    session.add(ThemeChange(theme_id=theme_id, action=action, detail=detail, changed_by=by, changed_at=now))


def _theme(session: Session, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None or theme.retired:
        raise ThemeRefused("That theme no longer exists: refresh the list.")
    return theme


def _label(label: str) -> str:
    label = " ".join(str(label).split())
    if not 1 <= len(label) <= 80:
        raise ThemeRefused("A theme's name must be 1 to 80 characters.")
    return label


def approve(sessions: sessionmaker[Session], theme_id: int, by: str, now: datetime | None = None) -> None:
    """Approve a theme: it is kept when the model runs again."""
    with sessions.begin() as session:
        _theme(session, theme_id).approved = True
        _log(session, theme_id, "approve", {}, by, _now(now))


def rename(sessions: sessionmaker[Session], theme_id: int, label: str, by: str, now: datetime | None = None) -> None:
    """Give a theme the analyst's name."""
    label = _label(label)
    with sessions.begin() as session:
        theme = _theme(session, theme_id)
        _log(session, theme_id, "rename", {"from": theme.label, "to": label}, by, _now(now))
        theme.label = label


def merge(sessions: sessionmaker[Session], theme_id: int, into: int, by: str, now: datetime | None = None) -> None:
    """Merge one theme into another of the same commitment: its tags move (keeping their source), it retires."""
    if theme_id == into:
        raise ThemeRefused("Choose two different themes to merge.")
    with sessions.begin() as session:
        source, target = _theme(session, theme_id), _theme(session, into)
        if source.commitment != target.commitment:
            raise ThemeRefused("Only themes of the same commitment can be merged.")
        moved = session.execute(update(ThemeTag).where(ThemeTag.theme_id == theme_id).values(theme_id=into)).rowcount
        source.retired = True
        target.approved = True
        _log(session, into, "merge", {"merged": theme_id, "label": source.label, "tags": moved}, by, _now(now))


def split(sessions: sessionmaker[Session], theme_id: int, response_ids: list[int], label: str, by: str,
          now: datetime | None = None) -> int:
    """Split comments off a theme into a new, approved theme (their tags become the analyst's); its id."""
    label, now = _label(label), _now(now)
    with sessions.begin() as session:
        source = _theme(session, theme_id)
        split_off = session.scalars(select(Response.comment).where(Response.id.in_(response_ids))).all()
        new = Theme(commitment=source.commitment, label=label, terms=weighted_terms(list(split_off)),
                    examples=sorted(response_ids)[:3], approved=True,
                    retired=False, origin=HUMAN, created_by=by, created_at=now)
        session.add(new)
        session.flush()
        for response_id in response_ids:
            _set_human(session, response_id, source.commitment, new.id, by, now)
        _log(session, new.id, "split", {"from": theme_id, "views": sorted(response_ids)}, by, now)
        return new.id


def move(sessions: sessionmaker[Session], response_id: int, theme_id: int, by: str,
         now: datetime | None = None) -> None:
    """An analyst's tag: this view's comment belongs to this theme (for the theme's commitment)."""
    now = _now(now)
    with sessions.begin() as session:
        theme = _theme(session, theme_id)
        _set_human(session, response_id, theme.commitment, theme_id, by, now)
        _log(session, theme_id, "move", {"view": response_id}, by, now)


def _set_human(session: Session, response_id: int, commitment: str, theme_id: int, by: str, now: datetime) -> None:
    tag = session.scalar(select(ThemeTag).where(ThemeTag.response_id == response_id,
                                                ThemeTag.commitment == commitment, ThemeTag.source == HUMAN))
    if tag is None:
        session.add(ThemeTag(response_id=response_id, commitment=commitment, theme_id=theme_id, source=HUMAN,
                             tagged_by=by, tagged_at=now))
    else:
        tag.theme_id, tag.tagged_by, tag.tagged_at = theme_id, by, now


def themes(sessions: sessionmaker[Session]) -> pd.DataFrame:
    """Every theme still in use: id, commitment, label, top terms, approved, origin, created by and when."""
    with sessions() as session:
        rows = session.scalars(select(Theme).where(~Theme.retired).order_by(Theme.commitment, Theme.id)).all()
        return pd.DataFrame([{"id": t.id, "commitment": t.commitment, "label": t.label,
                              "terms": ", ".join(list(t.terms)[:8]), "examples": list(t.examples or []),
                              "approved": t.approved, "origin": t.origin, "created_by": t.created_by,
                              "created_at": t.created_at} for t in rows],
                            columns=["id", "commitment", "label", "terms", "examples", "approved", "origin",
                                     "created_by", "created_at"])


def tags(sessions: sessionmaker[Session]) -> pd.DataFrame:
    """Each view's theme per commitment: the machine's, the analyst's, and the one that counts (the analyst's)."""
    with sessions() as session:
        rows = session.execute(select(ThemeTag.response_id, ThemeTag.commitment, ThemeTag.theme_id,
                                      ThemeTag.source)).all()
    frame = pd.DataFrame(rows, columns=["id", "commitment", "theme_id", "source"])
    wide = frame.pivot_table(index=["id", "commitment"], columns="source", values="theme_id", aggfunc="first")
    wide = wide.reindex(columns=[MACHINE, HUMAN]).astype("Int64").reset_index()
    return wide.assign(theme_id=wide[HUMAN].fillna(wide[MACHINE])).rename_axis(columns=None)


def changes(sessions: sessionmaker[Session]) -> pd.DataFrame:
    """Every analyst change, newest first."""
    with sessions() as session:
        rows = session.execute(select(ThemeChange.changed_at, ThemeChange.changed_by, ThemeChange.action,
                                      ThemeChange.theme_id, ThemeChange.detail)
                               .order_by(ThemeChange.id.desc())).all()
    return pd.DataFrame(rows, columns=["changed_at", "changed_by", "action", "theme_id", "detail"])
