"""The "What this room said" slide: the room's agreement per poll and its top themes, refreshed like the tally."""

from __future__ import annotations

import streamlit as st

from lisdash.consult.roomsaid import RoomSaid, room_said
from lisdash.heard.charts import share_agreeing
from lisdash.webapp.adminheard import rules
from lisdash.webapp.cache import story
from lisdash.webapp.consultation import TALLY_REFRESH, EventRef, Live, live_reading
from lisdash.webapp.screen import STATIC

QUOTE_CHARS = 80


def live_room(event: EventRef | None) -> Live[RoomSaid]:
    """What the room said, read fresh; while the database cannot be read, the last reading this screen had."""
    titles = {p.id: p.title.split(": ", 1)[-1] for p in story().polls().values()}  # 'Your view: X' -> 'X'
    return live_reading("room", event, lambda sessions, event_id: room_said(sessions, event_id, titles, rules()))


def room_body(event: EventRef | None, width: int, height: int) -> None:
    """The slide's body: the room's agreement per poll across the top, its top themes with a quote under it."""

    @st.fragment(run_every=TALLY_REFRESH)
    def said() -> None:
        live = live_room(event)
        if live.paused:
            st.warning("Paused: reconnecting." + (" Shown: the last reading." if live.value else ""),
                       icon=":material/sync:")
        if live.value is None:
            return
        if event is None:
            st.caption("No event chosen: every view given so far.")
        polls = live.value.polls
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
        if not live.value.themes:
            st.text("Themes appear once the team has run the theme model on the comments.")
        for column, theme in zip(st.columns(3, gap="large"), live.value.themes, strict=False):
            with column:  # analysts' names and comments: plain text, never Markdown
                st.text(f"{theme.label}: {theme.comments:,} comment{'s' * (theme.comments != 1)}")
                if theme.quote:
                    st.text(f"“{short(theme.quote)}”")

    said()


def short(text: str, chars: int = QUOTE_CHARS) -> str:
    """Text people typed, cut at a word's end to `chars` (by default what a third of a slide shows)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= chars else flat[:chars].rsplit(" ", 1)[0] + "…"
