"""The "Where the room stands" slide: the room's opinion map, each group's defining statements and the common
ground, refreshed from the database like the tally (so every app process shows the same). Text is set to what
the screen holds at 24 px or more: groups that do not all fit take turns, each shown with both its statements."""

from __future__ import annotations

import time

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
MAP_SHARE, GROUPS_SHARE, COMMON_SHARE = 0.2, 0.35, 0.21  # the columns' widths, in shares of the inner width
TEXT_CHAR = 0.46  # a statement's average character width, in font sizes (regular weight; headings are bolder)
TURN_SECONDS = 8  # groups that do not fit at once are shown in turns this long


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


Block = tuple[str, list[str]]  # a heading and its statements


def blocks(found: OpinionMap, texts: dict[str, str]) -> tuple[list[Block], list[Block]]:
    """The slide's two columns of text: each group's defining statements; the common ground (statements every
    group leans to agree with), most telling first."""
    groups = [(f"{group_name(g.number)} ({g.size:,} {'person' if g.size == 1 else 'people'}) agrees more with:",
               [short(texts[d.statement], STATEMENT_CHARS) for d in g.defining]) for g in found.groups]
    shared = [short(texts[c.statement], STATEMENT_CHARS) for c in found.consensus if c.shared][:3]
    return groups, [("Common ground:", shared or ["None yet: no statement has every group leaning to agree."])]


def _tall(parts: list[Block], screen: Screen, width: float) -> float:
    """The pixels `parts` take in a column `width` pixels wide (a font size between blocks)."""
    rows = sum(screen.wrapped_lines(head, width, TEXT_CHAR)
               + sum(screen.wrapped_lines(f"• {x}", width, TEXT_CHAR) for x in lines) for head, lines in parts)
    return rows * TEXT_LINE * screen.font + len(parts) * screen.font


def fitted(parts: list[Block], screen: Screen, width: float, height: float) -> list[Block]:
    """A column's blocks cut to what `height` pixels hold: the last block's later statements go first, then the
    others' (the longest first); the admin page and the report show them all."""
    parts = [(head, list(lines)) for head, lines in parts]
    while _tall(parts, screen, width) > height:
        longest = max(range(len(parts) - 1), key=lambda i: (len(parts[i][1]), i), default=None)
        if len(parts[-1][1]) > 1:
            parts[-1][1].pop()
        elif longest is not None and len(parts[longest][1]) > 1:
            parts[longest][1].pop()
        else:
            break
    return parts


def in_turns(groups: list[Block], screen: Screen, width: float, height: float) -> list[list[Block]]:
    """The groups' blocks in turns, each turn as many whole groups (every defining statement) as `height` pixels
    hold under the line naming the turn; a group that does not fit alone is cut as `fitted` cuts."""
    if _tall(groups, screen, width) <= height:
        return [groups]
    room = height - _tall([(turn_line(0, 2, len(groups)), [])], screen, width)
    turns: list[list[Block]] = [[]]
    for block in groups:
        if turns[-1] and _tall([*turns[-1], block], screen, width) > room:
            turns.append([])
        turns[-1].append(block)
    return [fitted(turn, screen, width, room) for turn in turns]


def turn_now(count: int, now: float | None = None) -> int:
    """Which of `count` turns the slide shows now (each TURN_SECONDS long, the same on every screen)."""
    return int((time.time() if now is None else now) // TURN_SECONDS) % count


def turn_line(start: int, size: int, groups: int) -> str:
    """The line naming a turn of `size` groups from group number `start`, of `groups` in all."""
    first, last = group_name(start), group_name(start + size - 1)
    return f"{first if size == 1 else f'Groups {first[-1]}-{last[-1]}'} of {groups}, in turn"


def _statements(parts: list[Block]) -> None:
    for head, lines in parts:
        st.text("\n".join([head, *(f"• {line}" for line in lines)]))  # as typed, never Markdown


def stands_body(conversation: str, event: EventRef | None, screen: Screen, height: float) -> None:
    """The map on the left; each group's defining statements (in turns when they do not fit at once) and the
    common ground on the right, as many as `height` pixels hold."""

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
        plot, by_group, common = st.columns([2.3, 4.7, 3], gap="medium")
        with plot:
            caption = f"{value.votes:,} votes from {value.participants:,} people; {found.left_out:,} not yet placed."
            width = int(screen.inner_width * MAP_SHARE)
            tall = min(height - screen.text_height(caption, width) - screen.font, width * 1.25)
            st.plotly_chart(opinion_dots(found.points, found.membership, [g.size for g in found.groups],
                                         width=width, height=int(tall), legend=False),
                            key="opinion-map", theme=None, config=STATIC)
            st.caption(caption)
        groups, shared = blocks(found, value.texts)
        turns = in_turns(groups, screen, screen.inner_width * GROUPS_SHARE, height)
        now = turn_now(len(turns))
        with by_group, st.container(key="room-stands-text-groups"):
            if len(turns) > 1:
                st.text(turn_line(sum(len(t) for t in turns[:now]), len(turns[now]), len(groups)))
            _statements(turns[now])
        with common, st.container(key="room-stands-text-common"):
            _statements(fitted(shared, screen, screen.inner_width * COMMON_SHARE, height))

    stands()
