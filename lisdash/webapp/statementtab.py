"""The admin page's "Statements" tab: participants' statements to approve or reject, and where each room stands
(its opinion map, groups, common ground and divisions, with their vote counts)."""

from __future__ import annotations

import streamlit as st

from lisdash.consult import events
from lisdash.consult.exporting import export_bytes
from lisdash.consult.voting import map_waits, moderate, pending, room_stands, stands_tables, votes_frame
from lisdash.figures.opinion import opinion_dots
from lisdash.webapp.adminheard import analyst, rules
from lisdash.webapp.statementcard import seeded, statements
from lisdash.webapp.widgets import file_download


def _moderate(statement_id: int, approve: bool) -> None:
    moderate(seeded(), statement_id, approve, analyst() or "the team")


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
    file_download("Download every vote (CSV)", lambda: export_bytes(votes_frame(sessions, event_code), "csv"),
                  "lis-votes.csv", "text/csv", "votes-csv")
    conversations = {c.id: c.title for c in statements().conversations}
    chosen = st.selectbox("Conversation", list(conversations), format_func=conversations.get,
                          key="admin-conversation")
    event = events.find_event(sessions, event_code) if event_code else None
    stands = room_stands(sessions, chosen, event.id if event else None, rules().opinion)
    st.write(f"{stands.votes:,} votes from {stands.participants:,} people (each device's latest vote on a "
             "statement counts).")
    if stands.found is None:
        st.info(map_waits(rules().opinion))
        return
    found = stands.found
    st.plotly_chart(opinion_dots(found.points, found.membership, [g.size for g in found.groups], font_size=14,
                                 width=700, height=460), key="admin-opinion-map", theme=None)
    st.caption(f"{found.left_out:,} people with fewer than {rules().opinion.min_votes} votes are not placed.")
    for title, table in stands_tables(stands).items():
        st.subheader(title, anchor=False)
        st.dataframe(table, hide_index=True, width="stretch")
