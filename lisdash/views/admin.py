"""What the team's admin page shows: views labelled for people, counts by each dimension, agreement charts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from lisdash.consult.tally import agreement_table, counts_by
from lisdash.content import Content
from lisdash.content.form import Consultation
from lisdash.figures.draw import agreement_bars

COUNTED = {"commitments": "Commitment", "cluster": "Cluster", "place": "Place", "respondent_type": "Respondent type",
           "channel": "Channel", "event": "Event"}
SHOWN = {"receipt": "Reference", "hidden": "Hidden", "flagged": "Flagged", "quote_ok": "May be quoted",
         "agreement": "Agreement",
         "comment": "Comment", "commitments": "Commitments", "cluster": "Cluster", "poll": "Poll",
         "respondent_type": "Respondent type", "event": "Event", "duplicate_of": "Repeats view",
         "created_at": "Received (UTC)"}  # the moderation ticks first, so they are never off-screen
CHANNELS = {"event": "At an event", "online": "Online"}


@dataclass
class InboxView:
    """The admin page's content for one selection of views."""

    total: int
    counts: dict[str, pd.DataFrame]
    charts: list[go.Figure]
    comments: pd.DataFrame


def labelled(frame: pd.DataFrame, content: Content, form: Consultation, places: dict[str, str]) -> pd.DataFrame:
    """Views with ids replaced by the names people read (commitments, clusters, places, respondent types)."""
    commitments = {c.id: f"{c.number}. {c.title}" for c in content.commitments}
    clusters = {c.id: c.name for c in content.clusters}
    out = frame.copy()
    out["commitments"] = out["commitments"].map(lambda ids: [commitments.get(i, i) for i in ids or []])
    out["cluster"] = out["cluster"].map(lambda c: clusters.get(c, c) if isinstance(c, str) else c)
    out["place"] = out["place"].map(lambda c: places.get(c, c) if isinstance(c, str) else c)
    out["respondent_type"] = out["respondent_type"].map(form.respondent_label)
    out["channel"] = out["channel"].map(lambda c: CHANNELS.get(c, c))
    return out


def inbox_view(frame: pd.DataFrame, content: Content, form: Consultation, places: dict[str, str],
               polls: dict[str, str]) -> InboxView:
    """Counts by commitment, cluster, place, respondent type, channel and event; agreement charts; the comments."""
    shown = labelled(frame, content, form, places)
    visible = shown[~shown["hidden"]] if len(shown) else shown
    counts = {title: counts_by(visible, column).rename(columns={column: title}) for column, title in COUNTED.items()}
    charts = []
    if len(visible):
        charts.append(agreement_bars(agreement_table(visible, "commitments"), form.agreement,
                                     "Agreement by commitment (hidden views left out)"))
        by_poll = visible.dropna(subset=["poll"]).assign(poll=lambda f: f["poll"].map(lambda p: polls.get(p, p)))
        if len(by_poll):
            charts.append(agreement_bars(agreement_table(by_poll, "poll"), form.agreement, "Agreement by poll"))
    comments = shown[list(SHOWN)].assign(commitments=shown["commitments"].map(", ".join),
                                         duplicate_of=shown["duplicate_of"].fillna("")).rename(columns=SHOWN)
    return InboxView(len(visible), counts, charts, comments.iloc[::-1].reset_index(drop=True))
