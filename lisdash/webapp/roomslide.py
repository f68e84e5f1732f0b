"""The "What this room said" slide: the room's agreement per poll and its top themes, refreshed like the tally."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from lisdash.consult.roomsaid import RoomSaid, room_said
from lisdash.heard.charts import share_agreeing
from lisdash.webapp.adminheard import rules
from lisdash.webapp.cache import story
from lisdash.webapp.consultation import TALLY_REFRESH, EventRef, database

STATIC = {"staticPlot": True, "displayModeBar": False}
QUOTE_CHARS = 80


@dataclass(frozen=True)
class LiveRoom:
    """What the room said as last read, and whether reading it now failed."""

    said: RoomSaid | None
    paused: bool


def live_room(event: EventRef | None) -> LiveRoom:
    """Read fresh from the database; while it cannot be read, the last reading this screen had."""
    last_key = f"_room-{event.code if event else ''}"
    sessions = database()
    try:
        if sessions is None or (event is not None and event.id is None):
            raise SQLAlchemyError("no database, or the event not yet confirmed")
        titles = {p.id: p.title.split(": ", 1)[-1] for p in story().polls().values()}  # 'Your view: X' -> 'X'
        said = room_said(sessions, event.id if event else None, titles, rules())
    except SQLAlchemyError:
        return LiveRoom(st.session_state.get(last_key), paused=True)
    st.session_state[last_key] = said
    return LiveRoom(said, paused=False)


def room_body(event: EventRef | None, width: int, height: int) -> None:
    """The slide's body: the room's agreement per poll across the top, its top themes with a quote under it."""

    @st.fragment(run_every=TALLY_REFRESH)
    def said() -> None:
        live = live_room(event)
        if live.paused:
            st.warning("Paused: reconnecting." + (" Shown: the last reading." if live.said else ""),
                       icon=":material/sync:")
        if live.said is None:
            return
        if event is None:
            st.caption("No event chosen: every view given so far.")
        polls = live.said.polls
        if len(polls) and not polls["suppressed"].all():
            rows = int((~polls["suppressed"]).sum())
            figure = share_agreeing(polls, "", rules().confidence, labelled=True).update_layout(
                height=80 + max(65, height // 10) * rows, width=width, font={"size": 24},
                margin={"t": 34, "b": 40, "r": 40})
            figure.update_xaxes(title=None, tickvals=[0, 0.25, 0.5, 0.75, 1])
            st.plotly_chart(figure, key="room-polls", theme=None, config=STATIC)
        else:
            st.subheader(f"Agreement appears once a poll has {rules().min_group} answers.")
        st.subheader("Top themes so far")
        if not live.said.themes:
            st.text("Themes appear once the team has run the theme model on the comments.")
        for column, theme in zip(st.columns(3, gap="large"), live.said.themes, strict=False):
            with column:  # analysts' names and comments: plain text, never Markdown
                st.text(f"{theme.label}: {theme.comments:,} comment{'s' * (theme.comments != 1)}")
                if theme.quote:
                    st.text(f"“{short(theme.quote)}”")

    said()


def short(text: str) -> str:
    """A quote cut, at a word's end, to what a third of a slide shows."""
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTE_CHARS else flat[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
