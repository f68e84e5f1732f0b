"""The admin page's actions on the database: the inbox view, moderation, exports, contact deletion, events."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult import events, exporting, inbox, links
from lisdash.consult.responses import Refused
from lisdash.views.consultation import InboxView, inbox_view
from lisdash.webapp.cache import content, story
from lisdash.webapp.consultation import consultation, database, place_labels, public_base


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
        """Save the Hidden and Flagged ticks that changed; returns how many views changed."""
        changed = 0
        for (_, before), (_, after) in zip(shown.iterrows(), edited.iterrows(), strict=True):
            if (before["Hidden"], before["Flagged"]) != (after["Hidden"], after["Flagged"]):
                changed += inbox.moderate(self.sessions, before["Reference"], hidden=bool(after["Hidden"]),
                                          flagged=bool(after["Flagged"]))
        return changed

    def export(self, event_code: str | None, fmt: str, with_contacts: bool) -> bytes:
        """The views as CSV or XLSX, formula injection neutralised; contact details only if asked for."""
        frame = inbox.responses_frame(self.sessions, event_code, with_contacts=with_contacts)
        return exporting.export_bytes(frame, fmt)

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

    def event_links(self) -> list[str]:
        """Each event's code, name and the links to present it and to answer for it."""
        base = public_base()
        lines = []
        for event in events.all_events(self.sessions):
            lines.append(f"{event.code}  {event.name}")
            if base:
                lines.append(f"    present: {links.link(base, '/present', mode='present', event=event.code)}")
                lines.append(f"    respond: {links.link(base, '/respond', event=event.code)}")
        return lines


def admin_inbox() -> AdminInbox:
    """The signed-in team's inbox (the admin page checks the sign-in and the database first)."""
    return AdminInbox(database())
