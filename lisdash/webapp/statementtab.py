"""The admin page's "Statements" tab: participants' statements to approve or reject, and where each room stands
(its opinion map, groups, common ground and divisions, with their vote counts)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lisdash.consult import events
from lisdash.consult.opinionmap import Consensus, Tally
from lisdash.consult.voting import RoomStands, moderate, pending, room_stands
from lisdash.figures.opinion import group_name, opinion_dots
from lisdash.webapp.adminheard import analyst, rules
from lisdash.webapp.statementcard import seeded, statements


def _moderate(statement_id: int, approve: bool) -> None:
    moderate(seeded(), statement_id, approve, analyst() or "the team")


def _votes(tally: Tally) -> str:
    return f"{tally.agrees} agree, {tally.disagrees} disagree of {tally.votes}"


def _statements_table(shared: tuple[Consensus, ...], texts: dict[str, str], groups: int) -> pd.DataFrame:
    return pd.DataFrame([{"Statement": texts[c.statement], "Score": round(c.score, 3),
                          **{group_name(g): _votes(c.by_group[g]) for g in range(groups)}} for c in shared])


def stands_tables(stands: RoomStands) -> dict[str, pd.DataFrame]:
    """The groups, the common ground and the divisions as tables (statements as typed, in plain cells)."""
    found = stands.found
    groups = pd.DataFrame([{"Group": group_name(g.number), "People": g.size,
                            "Agrees more with": " | ".join(stands.texts[d.statement] for d in g.defining),
                            "Votes in the group": " | ".join(_votes(d.inside) for d in g.defining),
                            "Votes of the others": " | ".join(_votes(d.outside) for d in g.defining)}
                           for g in found.groups])
    return {"Opinion groups": groups,
            "Common ground (product over groups of (agrees + 1) / (votes + 2))":
                _statements_table(found.consensus[:5], stands.texts, len(found.groups)),
            "Most divisive": _statements_table(found.divisive[:5], stands.texts, len(found.groups))}


def statement_tab(event_code: str | None) -> None:
    """Moderation first, then the chosen conversation's opinion map for the chosen event (or every vote)."""
    sessions = seeded()
    if sessions is None:
        st.error("The consultation database is not reachable right now.")
        return
    st.subheader("Participants' statements waiting", anchor=False)
    waiting = pending(sessions)
    if not waiting:
        st.caption("None waiting. A participant's statement is seen by others only once approved here.")
    for statement_id, conversation, text in waiting:
        with st.container(border=True):
            st.text(text)  # as typed: plain text, never Markdown or HTML
            st.caption(f"Conversation: {conversation}")
            approve, reject = st.columns(2)
            approve.button("Approve", key=f"approve-statement-{statement_id}", on_click=_moderate,
                           args=(statement_id, True))
            reject.button("Reject", key=f"reject-statement-{statement_id}", on_click=_moderate,
                          args=(statement_id, False))
    conversations = {c.id: c.title for c in statements().conversations}
    chosen = st.selectbox("Conversation", list(conversations), format_func=conversations.get,
                          key="admin-conversation")
    event = events.find_event(sessions, event_code) if event_code else None
    stands = room_stands(sessions, chosen, event.id if event else None, rules().opinion)
    st.write(f"{stands.votes:,} votes from {stands.participants:,} people (each device's latest vote on a "
             "statement counts).")
    if stands.found is None:
        rule = rules().opinion
        st.info(f"The map appears once {rule.k_min * rule.min_group} people have voted on {rule.min_votes} "
                "statements each.")
        return
    found = stands.found
    st.plotly_chart(opinion_dots(found.points, found.membership, [g.size for g in found.groups], font_size=14,
                                 width=700, height=460), key="admin-opinion-map", theme=None)
    st.caption(f"{found.left_out:,} people with fewer than {rules().opinion.min_votes} votes are not placed.")
    for title, table in stands_tables(stands).items():
        st.subheader(title, anchor=False)
        st.dataframe(table, hide_index=True, width="stretch")
