"""The phone's statement card: one statement at a time with Agree / Disagree / Pass (one tap, stored at once),
and a box to add one's own statement, which others see once the team has approved it.

While the database cannot be reached, a tapped vote and a sent statement wait on the phone (the statement also
stays in its box) and are sent by themselves once it is back; sent twice, each is stored once."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult.opinionmap import AGREE, DISAGREE, PASS
from lisdash.consult.responses import Refused
from lisdash.consult.voting import add_own, add_seeds, next_statement, vote
from lisdash.content.statements import Statements, load_statements
from lisdash.views.display import markdown_safe
from lisdash.webapp.cache import content
from lisdash.webapp.consultation import RETRY_EVERY, EventRef, database, visitor

LOG = logging.getLogger("lisdash")
SAID = "statement-said"  # what the last tap did, shown above the next statement
OWN = "statement-own"
OWN_SENT = "statement-own-sent"  # the text of the statement just stored
VOTE_WAITING = "statement-vote-waiting"
OWN_WAITING = "statement-own-waiting"
OWN_REFUSED = "statement-own-refused"  # why the statement sent was refused, said above its box
DOWN = "Votes cannot be recorded right now: the consultation database is not reachable. Please try again shortly."
VOTE_KEPT = ("Votes cannot be recorded right now: the consultation database is not reachable. Your vote ({answer}) "
             "is kept on this phone and will be sent by itself as soon as it is back: keep this page open.")
OWN_KEPT = ("Statements cannot be sent right now: the consultation database is not reachable. Your statement is kept "
            "in the box and will be sent by itself as soon as it is back: keep this page open.")
VOTED = "Thank you: your vote is recorded."
ANSWERS = (("Agree", AGREE, "primary"), ("Disagree", DISAGREE, "primary"), ("Pass", PASS, "secondary"))
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


@dataclass(frozen=True)
class Tap:
    """A vote as tapped: the statement, the answer and its label, the event's code."""

    statement: int
    value: int
    answer: str
    event: str | None


@dataclass(frozen=True)
class Own:
    """A participant's statement as sent: its conversation, its text, the event's code."""

    conversation: str
    text: str
    event: str | None


def _send_vote(tap: Tap) -> None:
    """Store the vote; keep it waiting on the phone while the database cannot be reached; SAID says what
    happened."""
    state = st.session_state
    try:
        vote(_reachable(), tap.statement, tap.value, visitor(), statements(), tap.event)
    except Refused as exc:
        state[SAID] = ("warning", str(exc))
    except SQLAlchemyError:
        LOG.warning("a vote is waiting: the consultation database is not reachable")
        state[VOTE_WAITING] = tap
        return
    else:
        state[SAID] = ("success", VOTED)
    state.pop(VOTE_WAITING, None)


def _send_own(own: Own) -> None:
    """Store the statement for the team's approval; keep it waiting while the database cannot be reached;
    OWN_SENT or OWN_REFUSED says what happened."""
    state = st.session_state
    try:
        add_own(_reachable(), own.conversation, own.text, visitor(), statements(), own.event)
    except Refused as exc:
        state[OWN_REFUSED] = str(exc)
    except SQLAlchemyError:
        LOG.warning("a statement is waiting: the consultation database is not reachable")
        state[OWN_WAITING] = own
        return
    else:
        state[OWN_SENT] = own.text
    state.pop(OWN_WAITING, None)


def _send_when_back() -> None:
    """Try what waits on the phone again every few seconds, with no reload, until the database takes it; then
    redraw the page (the next statement, the thanks)."""
    @st.fragment(run_every=RETRY_EVERY)
    def waiting() -> None:
        state = st.session_state
        tap, own = state.get(VOTE_WAITING), state.get(OWN_WAITING)
        if tap is not None:
            _send_vote(tap)
        if own is not None:
            _send_own(own)
        if (tap is not None and VOTE_WAITING not in state) or (own is not None and OWN_WAITING not in state):
            st.rerun(scope="app")
        if tap is not None:
            st.warning(VOTE_KEPT.format(answer=tap.answer), icon=":material/cloud_off:")
        if own is not None:
            st.warning(OWN_KEPT, icon=":material/cloud_off:")

    waiting()


def statement_card(conversation: str, event: EventRef | None) -> None:
    """The next statement this phone has not voted on, with the three answers; then the own-statement box. A
    vote waiting for the database is shown in place of the next statement."""
    said = st.session_state.pop(SAID, None)
    if said:
        getattr(st, said[0])(said[1])
    if VOTE_WAITING in st.session_state or OWN_WAITING in st.session_state:
        _send_when_back()
    if VOTE_WAITING not in st.session_state:
        _next_card(conversation, event)
    own_statement(conversation, event)


def _next_card(conversation: str, event: EventRef | None) -> None:
    try:
        sessions = seeded()
        shown = next_statement(sessions, conversation, visitor(), event.id if event else None) if sessions else None
    except (SQLAlchemyError, Refused):
        LOG.exception("the next statement could not be read")
        sessions = shown = None
    if sessions is None:
        st.error(DOWN, icon=":material/cloud_off:")
        st.button("Try again", key="statement-retry")
    elif shown is None:
        st.success("You have voted on every statement so far. New ones appear as the room adds them.")
        st.button("Look for new statements", key="statement-refresh")
    else:
        code = event.code if event else None
        with st.container(border=True, key="statement-card"):
            st.markdown(f"### {markdown_safe(shown.text)}")  # typed by people: shown as text, never formatting
            for column, (label, value, kind) in zip(st.columns(3), ANSWERS, strict=True):
                column.button(label, key=f"vote-{label.lower()}", type=kind, use_container_width=True,
                              on_click=_send_vote, args=(Tap(shown.id, value, label.lower(), code),))


def own_statement(conversation: str, event: EventRef | None) -> None:
    """A participant's own statement: kept in the box until it is stored, then sent for the team's approval."""
    limit = statements().own_chars
    sent = st.session_state.pop(OWN_SENT, None)
    if sent is not None:
        if st.session_state.get(OWN) == sent:
            st.session_state[OWN] = ""  # stored: the box is emptied before it is drawn, unless it was changed since
        st.success("Thank you: the team will read your statement before others see it.")
    refused = st.session_state.pop(OWN_REFUSED, None)
    if refused:
        st.warning(refused)
    with st.form("own-statement", clear_on_submit=False, border=False):
        text = st.text_area("Add your own statement (others see it once the team has read it)", key=OWN,
                            max_chars=limit, height=90)
        if not st.form_submit_button("Send my statement"):
            return
    _send_own(Own(conversation, text, event.code if event else None))
    st.rerun()  # the thanks, the refusal above the box, or the statement waiting (said above the card)
