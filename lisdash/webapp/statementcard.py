"""The phone's statement card: one statement at a time with Agree / Disagree / Pass (one tap, stored at once),
and a box to add one's own statement, which others see once the team has approved it."""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult.opinionmap import AGREE, DISAGREE, PASS
from lisdash.consult.responses import Refused
from lisdash.consult.voting import add_own, add_seeds, next_statement, vote
from lisdash.content.statements import Statements, load_statements
from lisdash.views.display import markdown_safe
from lisdash.webapp.cache import content
from lisdash.webapp.consultation import EventRef, database, visitor

LOG = logging.getLogger("lisdash")
SAID = "statement-said"  # what the last tap did, shown above the next statement
OWN = "statement-own"
OWN_SENT = "statement-own-sent"
DOWN = "Votes cannot be recorded right now: the consultation database is not reachable. Please try again shortly."
_SEEDED: set[object] = set()


@st.cache_resource
def statements() -> Statements:
    """The conversations and their seed statements (lis_data/statements.yaml), validated once per process."""
    return load_statements({c.id for c in content().commitments})


def seeded() -> sessionmaker[Session] | None:
    """The database with the seed statements in it (added once per process and database), or None."""
    sessions = database()
    if sessions is not None and sessions not in _SEEDED:
        add_seeds(sessions, statements())
        _SEEDED.add(sessions)
    return sessions


def forget_seeded() -> None:
    """Forget which databases have their seeds (a test that empties a database calls this)."""
    _SEEDED.clear()


def _reachable() -> sessionmaker[Session]:
    """The database, or SQLAlchemyError when it cannot be reached (the caller says so in our words)."""
    sessions = database()
    if sessions is None:
        raise SQLAlchemyError("no database")
    return sessions


def _vote(statement_id: int, value: int, event: str | None) -> None:
    try:
        vote(_reachable(), statement_id, value, visitor(), statements(), event)
        st.session_state[SAID] = ("success", "Thank you: your vote is recorded.")
    except Refused as exc:
        st.session_state[SAID] = ("warning", str(exc))
    except SQLAlchemyError:
        LOG.exception("a vote could not be stored")
        st.session_state[SAID] = ("error", DOWN)


def statement_card(conversation: str, event: EventRef | None) -> None:
    """The next statement this phone has not voted on, with the three answers; then the own-statement box."""
    said = st.session_state.pop(SAID, None)
    if said:
        getattr(st, said[0])(said[1])
    try:
        sessions = seeded()
        shown = next_statement(sessions, conversation, visitor(), event.id if event else None) if sessions else None
    except (SQLAlchemyError, Refused):
        LOG.exception("the next statement could not be read")
        sessions = shown = None
    if sessions is None:
        st.error(DOWN, icon=":material/cloud_off:")
    elif shown is None:
        st.success("You have voted on every statement so far. New ones appear as the room adds them.")
        st.button("Look for new statements", key="statement-refresh")
    else:
        code = event.code if event else None
        with st.container(border=True, key="statement-card"):
            st.markdown(f"### {markdown_safe(shown.text)}")  # typed by people: shown as text, never formatting
            for column, (label, value, kind) in zip(st.columns(3), (("Agree", AGREE, "primary"),
                                                                    ("Disagree", DISAGREE, "primary"),
                                                                    ("Pass", PASS, "secondary")), strict=True):
                column.button(label, key=f"vote-{label.lower()}", type=kind, use_container_width=True,
                              on_click=_vote, args=(shown.id, value, code))
    own_statement(conversation, event)


def own_statement(conversation: str, event: EventRef | None) -> None:
    """A participant's own statement: kept in the box until it is stored, then sent for the team's approval."""
    limit = statements().own_chars
    if st.session_state.pop(OWN_SENT, False):
        st.session_state[OWN] = ""  # stored: the box is emptied before it is drawn
        st.success("Thank you: the team will read your statement before others see it.")
    with st.form("own-statement", clear_on_submit=False, border=False):
        text = st.text_area("Add your own statement (others see it once the team has read it)", key=OWN,
                            max_chars=limit, height=90)
        if not st.form_submit_button("Send my statement"):
            return
    try:
        add_own(_reachable(), conversation, text, visitor(), statements(), event.code if event else None)
    except Refused as exc:
        st.warning(str(exc))
        return
    except SQLAlchemyError:
        LOG.exception("a statement could not be stored")
        st.error(DOWN + " Your statement is kept in the box.")
        return
    st.session_state[OWN_SENT] = True
    st.rerun()
