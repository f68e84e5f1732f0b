"""Presenting screens and their speaker notes.

Notes are for presenters: a presenting screen opens them with its event's presenter code (or when the
session is signed in to the admin page), and only then gets the secret token its notes window follows.
Nobody else's browser is ever sent a note. Every read or write of presenter state survives a database
outage: the slides go on, and the notes window says it is reconnecting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from lisdash.consult import auth, events
from lisdash.webapp.consultation import EventRef, database
from lisdash.webapp.signin import SIGNED_IN

LOG = logging.getLogger("lisdash")
UNLOCKED = "_presenter_unlocked"  # the event code (or "" for none) whose notes this session opened
HELD = "_presenter_token"  # (event code or "", token)


def unlocked(event: EventRef | None) -> bool:
    """Whether this session may open speaker notes (and download the deck, which carries them)."""
    if auth.still_signed_in(st.session_state.get(SIGNED_IN)):
        return True
    return event is not None and st.session_state.get(UNLOCKED) == event.code


def unlock_form(event: EventRef | None) -> None:
    """The presenter-code box that opens an event's speaker notes (or how to get them without an event)."""
    if event is None:
        st.caption("Speaker notes open with an event's presenter code (start the presentation from its event "
                   "link), or after signing in to the admin page in this window.")
        return
    if event.presenter_code is None:
        st.caption("Speaker notes need the consultation database, which is not reachable right now.")
        return
    with st.form("presenter-unlock", border=False):
        code = st.text_input("Presenter code (opens the speaker notes)", type="password", max_chars=40,
                             key="presenter-code")
        if st.form_submit_button("Open speaker notes"):
            if events.presenter_code_matches(event.presenter_code, code):
                st.session_state[UNLOCKED] = event.code
                st.rerun()
            st.error("That is not this event's presenter code.")


def presenter_token(event: EventRef | None) -> str | None:
    """This screen's secret token for its notes window (opened once per event), or None if notes are locked or the
    database cannot be reached."""
    if not unlocked(event):
        return None
    code = event.code if event else ""
    held = st.session_state.get(HELD)
    if held and held[0] == code:
        return held[1]
    sessions = database()
    try:
        token = events.Presentations(sessions).open(event.id if event else None) if sessions else None
    except SQLAlchemyError:
        LOG.warning("speaker notes not opened: the consultation database is not reachable")
        return None
    if token:
        st.session_state[HELD] = (code, token)
    return token


def follow(token: str | None, slide: int) -> None:
    """Record the slide this screen shows, for its notes window (skipped while the database is unreachable)."""
    sessions = database()
    if not token or sessions is None:
        return
    try:
        events.Presentations(sessions).move(token, slide)
    except SQLAlchemyError:
        LOG.warning("presenter state not saved: the consultation database is not reachable")


@dataclass(frozen=True)
class Followed:
    """What a notes window follows: the slide its presenting screen shows (None for no such screen), or, while the
    database cannot be reached, the last slide this window showed."""

    slide: int | None
    paused: bool = False


def notes_slide(token: str | None) -> Followed:
    """The slide the token's presenting screen shows, read fresh (the last one known while the database is down)."""
    last = st.session_state.get("_notes_slide")
    sessions = database()
    try:
        if sessions is None:
            raise SQLAlchemyError("the consultation database is not reachable")
        slide = events.Presentations(sessions).slide(token)
    except SQLAlchemyError:
        return Followed(last, paused=True)
    st.session_state["_notes_slide"] = slide
    return Followed(slide)


def speaker_notes(story, token: str | None) -> None:
    """The notes window: the notes of the slide its presenting screen shows, refreshed every few seconds; nothing
    for a token no presenter holds."""
    from lisdash.webapp.cache import slide as slide_content
    from lisdash.webapp.widgets import NOTES_REFRESH

    total = len(story.slides)

    @st.fragment(run_every=NOTES_REFRESH)
    def notes() -> None:
        followed = notes_slide(token)
        if followed.slide is None:
            st.title("Speaker notes")
            st.info("Reconnecting to the consultation database…" if followed.paused else
                    "Speaker notes are for presenters: open them from Tools on the presenting screen, with the "
                    "event's presenter code.")
            return
        shown = slide_content(followed.slide - 1)
        st.title(f"Speaker notes · slide {followed.slide} of {total}")
        if followed.paused:
            st.warning("Paused: reconnecting to the consultation database. These are the last slide's notes.")
        st.subheader(shown.heading)
        st.markdown(shown.notes or "(no notes for this slide)")
        if followed.slide < total:
            st.caption(f"Next: {story.slides[followed.slide].title}")

    notes()
