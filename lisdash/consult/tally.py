"""Counting views: a poll's live tally for the projector, and the team's counts and agreement distributions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult.schema import Response

SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Tally:
    """A poll's counts per point of the scale (1 to 5), one per device (its latest answer); how many views and
    devices they come from; and the latest comments on show."""

    counts: tuple[int, ...]
    views: int
    devices: int
    comments: tuple[str, ...]

    @property
    def summary(self) -> str:
        """'12 views from 10 devices': what the counts are made of."""
        return (f"{self.views:,} view{'s' * (self.views != 1)} from {self.devices:,} "
                f"device{'s' * (self.devices != 1)}")


def poll_tally(sessions: sessionmaker[Session], poll: str, event_id: int | None = None,
               comments: int = 4) -> Tally:
    """The live tally of one poll (of one event, if given), read fresh from the database.

    A device that answered more than once counts once, with its latest answer. Hidden views are left
    out; flagged ones count but their comments are not put on screen.
    """
    where = [Response.poll == poll, Response.hidden.is_(False)]
    if event_id is not None:
        where.append(Response.event_id == event_id)
    latest_per_device = (select(func.max(Response.id)).where(*where)
                         .group_by(func.coalesce(Response.device_hash, Response.session_hash)))
    with sessions() as session:
        by_point = dict(session.execute(select(Response.agreement, func.count(Response.id))
                                        .where(Response.id.in_(latest_per_device))
                                        .group_by(Response.agreement)).all())
        views = session.scalar(select(func.count(Response.id)).where(*where))
        latest = session.scalars(select(Response.comment).where(*where, Response.flagged.is_(False),
                                                                Response.comment != "")
                                 .order_by(Response.id.desc()).limit(comments)).all() if comments else []
    counts = tuple(int(by_point.get(point, 0)) for point in SCALE)
    return Tally(counts, int(views), sum(counts), tuple(latest))


def counts_by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Views per value of a column (a list column such as commitments counts each item), largest first."""
    values = frame[column].explode() if len(frame) and isinstance(frame[column].iloc[0], list) else frame[column]
    table = values.fillna("(not given)").replace("", "(not given)").value_counts().rename_axis(column)
    return table.rename("Views").reset_index()


def agreement_table(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Views per group (rows) and point of the scale (columns 1-5); list columns count each item."""
    data = frame[[by, "agreement"]].explode(by) if len(frame) else frame[[by, "agreement"]]
    data = data.dropna(subset=[by])
    table = pd.crosstab(data[by], data["agreement"]) if len(data) else pd.DataFrame(columns=list(SCALE))
    return table.reindex(columns=list(SCALE), fill_value=0)
