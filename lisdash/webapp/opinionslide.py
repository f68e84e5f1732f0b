"""The "Where the room stands" slide: the room's opinion map, each group's defining statements and the common
ground, refreshed from the database like the tally (so every app process shows the same)."""

from __future__ import annotations

import streamlit as st

from lisdash.consult.opinionmap import OpinionMap
from lisdash.consult.voting import RoomStands, map_waits, room_stands
from lisdash.figures.opinion import group_name, opinion_dots
from lisdash.webapp.adminheard import rules
from lisdash.webapp.consultation import TALLY_REFRESH, EventRef, Live, live_reading
from lisdash.webapp.roomslide import short
from lisdash.webapp.screen import STATIC, Screen
from lisdash.webapp.statementcard import seeded

STATEMENT_CHARS = 90  # a statement on the slide, cut at a word's end (the admin page and the report show it whole)
TEXT_LINE = 1.3  # a statement block's line height, in font sizes (present.css, .st-key-room-stands-text)


def live_stands(conversation: str, event: EventRef | None) -> Live[RoomStands]:
    """The room's opinion map read fresh, the number of groups kept steady across updates (per screen); while
    the database cannot be read, the last reading this screen had."""
    key = f"_opinion-choice-{conversation}-{event.code if event else ''}"

    def read(sessions, event_id):
        seeded()
        stands = room_stands(sessions, conversation, event_id, rules().opinion, st.session_state.get(key))
        if stands.found is not None:
            st.session_state[key] = stands.found.choice
        return stands

    return live_reading(f"opinion-{conversation}", event, read)


def blocks(found: OpinionMap, texts: dict[str, str]) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """The slide's two columns of text: each group's defining statements; the common ground (statements every
    group leans to agree with), most telling first."""
    groups = [(f"{group_name(g.number)} agrees more with:",
               [short(texts[d.statement], STATEMENT_CHARS) for d in g.defining]) for g in found.groups]
    shared = [short(texts[c.statement], STATEMENT_CHARS) for c in found.consensus if c.shared][:3]
    return groups, [("Common ground:", shared or ["None yet: no statement has every group leaning to agree."])]


def fitted(parts: list[tuple[str, list[str]]], screen: Screen, width: float, height: float
           ) -> list[tuple[str, list[str]]]:
    """A column's blocks cut to what `height` pixels hold: the last block's later statements go first, then the
    others' (the longest first); the admin page and the report show them all."""
    parts = [(head, list(lines)) for head, lines in parts]

    def tall() -> float:
        rows = sum(screen.lines(head, width) + sum(screen.lines(f"• {x}", width) for x in lines)
                   for head, lines in parts)
        return rows * TEXT_LINE * screen.font + len(parts) * screen.font

    while tall() > height:
        longest = max(range(len(parts) - 1), key=lambda i: (len(parts[i][1]), i), default=None)
        if len(parts[-1][1]) > 1:
            parts[-1][1].pop()
        elif longest is not None and len(parts[longest][1]) > 1:
            parts[longest][1].pop()
        else:
            break
    return parts


def stands_body(conversation: str, event: EventRef | None, screen: Screen, height: float) -> None:
    """The map on the left; each group's defining statements and the common ground on the right, as many as
    `height` pixels hold."""

    @st.fragment(run_every=TALLY_REFRESH)
    def stands() -> None:
        live = live_stands(conversation, event)
        if live.paused:
            st.warning("Paused: reconnecting." + (" Shown: the last reading." if live.value else ""),
                       icon=":material/sync:")
        if live.value is None:
            return
        value, rule = live.value, rules().opinion
        if value.found is None:
            st.subheader(map_waits(rule))
            st.caption(f"{value.votes:,} votes from {value.participants:,} people so far.")
            return
        found = value.found
        plot, by_group, common = st.columns([2.5, 4.5, 3], gap="medium")
        with plot:
            st.plotly_chart(opinion_dots(found.points, found.membership, [g.size for g in found.groups],
                                         width=int(screen.inner_width * 0.2), height=int(height * 0.5)),
                            key="opinion-map", theme=None, config=STATIC)
            st.caption(f"{value.votes:,} votes from {value.participants:,} people; {found.left_out:,} not yet "
                       "placed.")
        groups, shared = blocks(found, value.texts)
        for column, parts, share in ((by_group, groups, 0.35), (common, shared, 0.23)):
            with column, st.container(key=f"room-stands-text-{share}".replace(".", "")):
                for head, lines in fitted(parts, screen, screen.inner_width * share, height):
                    st.text("\n".join([head, *(f"• {line}" for line in lines)]))  # as typed, never Markdown

    stands()
