"""Consultation events (a short public code, a name and a secret presenter code) and the presenter state of each
event, kept in the database.

The public code goes on every QR code; the presenter code opens the event's speaker notes. A presenting
screen that has opened them holds a secret token; the database keeps only its hash, the event and the
slide shown, so the speaker-notes window follows the audience view across app processes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult.responses import EVENT_CODE, Refused
from lisdash.consult.schema import Event, Presentation

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PRESENTER_CODE_CHARS = 10
IDLE = timedelta(days=1)


def code_prefix(name: str) -> str:
    """Up to four capital letters from the first word of an event's name ('Birmingham, 3 December' -> 'BIRM')."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    first = re.findall(r"[A-Za-z]+", ascii_name)
    return (first[0][:4] if first else "LIS").upper()


def new_event(sessions: sessionmaker[Session], name: str, now: datetime | None = None) -> Event:
    """Start an event: a fresh code such as BIRM-7Q (unique across the database) and its name."""
    name = " ".join(name.split())
    if not 1 <= len(name) <= 120:
        raise Refused("An event needs a name of 1 to 120 characters.")
    for _ in range(20):
        code = f"{code_prefix(name)}-{''.join(secrets.choice(CODE_ALPHABET) for _ in range(2))}"
        try:
            with sessions.begin() as session:
                event = Event(code=code, name=name, created_at=now or datetime.now(UTC),
                              presenter_code="".join(secrets.choice(CODE_ALPHABET)
                                                     for _ in range(PRESENTER_CODE_CHARS)))
                session.add(event)
            return event
        except IntegrityError:
            continue
    raise Refused(f"No free event code starts with {code_prefix(name)}: choose a different first word.")


def find_event(sessions: sessionmaker[Session], code: str | None) -> Event | None:
    """The event with this code, or None for no code, a malformed one or an unknown one."""
    if not code or not EVENT_CODE.fullmatch(code):
        return None
    with sessions() as session:
        return session.scalar(select(Event).where(Event.code == code))


def presenter_code_matches(expected: str | None, given: str) -> bool:
    """Whether a typed presenter code is the event's (constant-time; spaces, dashes and case ignored)."""
    typed = re.sub(r"[\s-]", "", given).upper()
    return bool(expected) and hmac.compare_digest(typed.encode(), expected.encode())


def all_events(sessions: sessionmaker[Session]) -> list[Event]:
    """Every event, newest first."""
    with sessions() as session:
        return list(session.scalars(select(Event).order_by(Event.created_at.desc())))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Presentations:
    """The slide each presenting screen shows, by secret token, shared through the database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def open(self, event_id: int | None = None) -> str:
        """A new presenting screen's token, at slide 1 (screens idle for a day are forgotten)."""
        token = secrets.token_urlsafe(18)
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            session.execute(delete(Presentation).where(Presentation.updated_at < now - IDLE))
            session.add(Presentation(token_hash=_token_hash(token), event_id=event_id, slide=1, updated_at=now))
        return token

    def move(self, token: str, slide: int) -> None:
        """Record the slide a presenting screen shows."""
        with self._sessions.begin() as session:
            row = session.get(Presentation, _token_hash(token))
            if row is not None and row.slide != slide:
                row.slide, row.updated_at = slide, datetime.now(UTC)

    def slide(self, token: str | None) -> int | None:
        """The slide a presenting screen shows, or None for an unknown or malformed token."""
        if not token or not TOKEN.fullmatch(token):
            return None
        with self._sessions() as session:
            row = session.get(Presentation, _token_hash(token))
            return row.slide if row else None
