"""The team's inbox: every view as a table, moderation (hide, flag), contact deletion on request, retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult.schema import Contact, Event, Response

COLUMNS = ["receipt", "created_at", "event", "channel", "respondent_type", "org_size", "sector", "place",
           "commitments", "cluster", "poll", "agreement", "comment", "page", "context_cluster", "area_code", "year",
           "slide", "duplicate_of", "hidden", "flagged", "quote_ok"]
CONTACT_COLUMNS = ["contact_name", "contact_email", "consent_at"]


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def responses_frame(sessions: sessionmaker[Session], event_code: str | None = None,
                    with_contacts: bool = False, with_ids: bool = False) -> pd.DataFrame:
    """Every view (of one event, if given), oldest first; contact details, and the database's row ids, only when
    asked for."""
    query = select(Response, Event.code).outerjoin(Event, Response.event_id == Event.id).order_by(Response.id)
    if event_code:
        query = query.where(Event.code == event_code)
    with sessions() as session:
        rows = session.execute(query).all()
        contacts = {c.response_id: c for c in session.scalars(select(Contact))} if with_contacts else {}
        referenced = {r.id: r.receipt for r, _ in rows}
    records = []
    for response, code in rows:
        record = {c: getattr(response, c) for c in COLUMNS if hasattr(Response, c)}
        record.update(event=code, created_at=_utc(response.created_at),
                      duplicate_of=referenced.get(response.duplicate_of, response.duplicate_of))
        if with_contacts:
            contact = contacts.get(response.id)
            record.update(contact_name=contact.name if contact else None,
                          contact_email=contact.email if contact else None,
                          consent_at=_utc(contact.consent_at) if contact else None)
        if with_ids:
            record["id"] = response.id
        records.append(record)
    return pd.DataFrame(records, columns=COLUMNS + (CONTACT_COLUMNS if with_contacts else []) + (
        ["id"] if with_ids else []))


def moderate(sessions: sessionmaker[Session], receipt: str, hidden: bool | None = None,
             flagged: bool | None = None) -> bool:
    """Hide or flag a view by its reference; False if there is no such view."""
    changes = {k: v for k, v in {"hidden": hidden, "flagged": flagged}.items() if v is not None}
    with sessions.begin() as session:
        done = session.execute(update(Response).where(Response.receipt == receipt).values(**changes))
    return done.rowcount > 0


def delete_contacts(sessions: sessionmaker[Session], email: str | None = None, receipt: str | None = None) -> int:
    """Delete a person's contact details on request, by email (any case) or by a view's reference."""
    if not email and not receipt:
        return 0
    with sessions.begin() as session:
        query = delete(Contact)
        if email:
            query = query.where(func.lower(Contact.email) == email.strip().lower())
        else:
            query = query.where(Contact.response_id.in_(select(Response.id).where(Response.receipt == receipt)))
        return session.execute(query).rowcount


def purge_contacts(sessions: sessionmaker[Session], older_than: timedelta, now: datetime | None = None) -> int:
    """Delete contact details given longer ago than the retention period; the views themselves stay."""
    cutoff = (now or datetime.now(UTC)) - older_than
    with sessions.begin() as session:
        return session.execute(delete(Contact).where(Contact.consent_at < cutoff)).rowcount


def contact_count(sessions: sessionmaker[Session]) -> int:
    """How many contact details are held."""
    with sessions() as session:
        return session.scalar(select(func.count(Contact.id)))
