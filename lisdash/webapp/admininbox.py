"""The admin page's actions on the database: the inbox view, moderation, exports, contact deletion, events."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult import events, exporting, inbox, links
from lisdash.consult.responses import Refused
from lisdash.content.analysis import load_analysis
from lisdash.views.admin import InboxView, inbox_view
from lisdash.webapp.cache import content, story
from lisdash.webapp.consultation import consultation, database, place_labels, public_base


@dataclass(frozen=True)
class EventLinks:
    """An event as the Events tab lists it."""

    code: str
    name: str
    presenter_code: str | None
    present: str | None
    respond: str | None


@dataclass
class AdminInbox:
    """What the signed-in team can read and do."""

    sessions: sessionmaker[Session]

    def events(self) -> dict[str, str]:
        """Events by code, labelled 'CODE: name', newest first."""
        return {e.code: f"{e.code}: {e.name}" for e in events.all_events(self.sessions)}

    def view(self, event_code: str | None) -> InboxView:
        """Counts, charts and comments of all views or one event's."""
        polls = {p.id: p.title for p in story().polls().values()}
        return inbox_view(inbox.responses_frame(self.sessions, event_code), content(), consultation(),
                          place_labels(), polls)

    def moderate(self, shown: pd.DataFrame, edited: pd.DataFrame) -> int:
        """Save the Hidden and Flagged ticks that changed, matched by view reference (never by row position, which
        views arriving meanwhile would shift); returns how many views changed."""
        ticks = ["Hidden", "Flagged"]
        before = shown.set_index("Reference")[ticks]
        changed = 0
        for reference, after in edited.set_index("Reference")[ticks].iterrows():
            if reference in before.index and tuple(before.loc[reference]) != tuple(after):
                changed += inbox.moderate(self.sessions, reference, hidden=bool(after["Hidden"]),
                                          flagged=bool(after["Flagged"]))
        return changed

    def export(self, event_code: str | None, fmt: str, with_contacts: bool) -> bytes:
        """The views as CSV or XLSX, formula injection neutralised; contact details only if asked for."""
        frame = inbox.responses_frame(self.sessions, event_code, with_contacts=with_contacts)
        return exporting.export_views(frame, fmt, load_analysis().campaign)

    def contact_count(self) -> int:
        """How many contact details are held."""
        return inbox.contact_count(self.sessions)

    def delete_contacts(self, email: str, receipt: str) -> int:
        """Delete contact details by email or view reference."""
        return inbox.delete_contacts(self.sessions, email=email or None, receipt=receipt.strip().upper() or None)

    def new_event(self, name: str) -> events.Event | None:
        """Start an event (a refused name shows why)."""
        try:
            return events.new_event(self.sessions, name)
        except Refused as exc:
            st.error(str(exc))
            return None

    def event_links(self) -> list[EventLinks]:
        """Each event's code, name, presenter code and links to present it and to answer for it (None where no
        address phones can reach is known)."""
        base = public_base()
        return [EventLinks(event.code, event.name, event.presenter_code,
                           links.link(base, "/present", mode="present", event=event.code) if base else None,
                           links.link(base, "/respond", event=event.code) if base else None)
                for event in events.all_events(self.sessions)]


def admin_inbox() -> AdminInbox:
    """The signed-in team's inbox (the admin page checks the sign-in and the database first)."""
    return AdminInbox(database())


@dataclass(frozen=True)
class ModerationList:
    """The comments the moderation grid shows, held as loaded until saved or refreshed, so its rows never shift
    under the team's ticks; `key` is the grid's, new with each list."""

    key: str
    comments: pd.DataFrame


def moderation_list(event_code: str | None, current: pd.DataFrame) -> ModerationList:
    """The held list for this selection of views (the current comments when none is held)."""
    state = st.session_state
    held = state.get("_moderation")
    if held is None or held[0] != event_code:
        version = state.get("_moderation_version", 0) + 1
        held = (event_code, ModerationList(f"moderation-{version}", current))
        state["_moderation_version"], state["_moderation"] = version, held
    return held[1]


def reload_moderation(saved: int | None) -> None:
    """Drop the held list (after a save, with how many views changed; or on request) and show the current one."""
    st.session_state.pop("_moderation", None)
    st.session_state["_moderation_saved"] = saved
    st.rerun()


def moderation_saved() -> int | None:
    """How many views the last save changed, once, after it."""
    return st.session_state.pop("_moderation_saved", None)
