"""The consultation's tables: settings, events, responses, contact details (kept apart), themes, statements and
votes, presentations, sign-in counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The consultation database's declarative base."""


class Setting(Base):
    """A value every app process shares (the secret that scrambles session and network addresses)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Event(Base):
    """A consultation event: a short public code, a name, when it was started, and the secret presenter code that
    opens its speaker notes."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    presenter_code: Mapped[str | None] = mapped_column(String(16))


class Response(Base):
    """One view given: who (by type only), what about, how far they agree, a comment, and its context."""

    __tablename__ = "response"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt: Mapped[str] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    respondent_type: Mapped[str] = mapped_column(String(30))
    org_size: Mapped[str | None] = mapped_column(String(20))
    sector: Mapped[str | None] = mapped_column(String(3))
    place: Mapped[str | None] = mapped_column(String(9))
    commitments: Mapped[list] = mapped_column(JSON, default=list)
    cluster: Mapped[str | None] = mapped_column(String(40))
    poll: Mapped[str | None] = mapped_column(String(60), index=True)
    agreement: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    page: Mapped[str | None] = mapped_column(String(20))
    context_cluster: Mapped[str | None] = mapped_column(String(40))
    area_code: Mapped[str | None] = mapped_column(String(9))
    year: Mapped[int | None] = mapped_column(Integer)
    slide: Mapped[int | None] = mapped_column(Integer)
    session_hash: Mapped[str] = mapped_column(String(16), index=True)
    client_hash: Mapped[str] = mapped_column(String(16), index=True)
    device_hash: Mapped[str | None] = mapped_column(String(16), index=True)
    submission: Mapped[str | None] = mapped_column(String(32), unique=True)
    duplicate_of: Mapped[int | None] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    quote_ok: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Theme(Base):
    """A theme of one commitment's comments: proposed by the model ('machine') or made by an analyst ('human'),
    with its weighted terms (tagging later comments), approved or not, retired when merged away."""

    __tablename__ = "theme"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment: Mapped[str] = mapped_column(String(20), index=True)
    label: Mapped[str] = mapped_column(String(80))
    terms: Mapped[dict] = mapped_column(JSON)
    examples: Mapped[list] = mapped_column(JSON, default=list)  # view ids of its most representative comments
    approved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    origin: Mapped[str] = mapped_column(String(10))
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ThemeTag(Base):
    """A view's theme for one commitment, by its source: the model ('machine') or an analyst ('human', which wins)."""

    __tablename__ = "theme_tag"
    __table_args__ = (UniqueConstraint("response_id", "commitment", "source", name="uq_theme_tag_one_per_source"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    commitment: Mapped[str] = mapped_column(String(20))
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    tagged_by: Mapped[str] = mapped_column(String(60))
    tagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ThemeChange(Base):
    """One analyst change to the themes (approve, rename, merge, split, move), with who made it and when."""

    __tablename__ = "theme_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(60))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Statement(Base):
    """A statement the room votes on: a seed (keyed by its id in lis_data/statements.yaml) or a participant's own,
    shown to others only once approved."""

    __tablename__ = "statement"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation: Mapped[str] = mapped_column(String(20), index=True)
    seed_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    text: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    device_hash: Mapped[str | None] = mapped_column(String(16), index=True)
    moderated_by: Mapped[str | None] = mapped_column(String(60))
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Vote(Base):
    """One agree (1), disagree (-1) or pass (0) on a statement from a device; its latest vote on a statement counts."""

    __tablename__ = "vote"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"), index=True)
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    session_hash: Mapped[str] = mapped_column(String(16))
    client_hash: Mapped[str] = mapped_column(String(16), index=True)
    device_hash: Mapped[str] = mapped_column(String(16), index=True)


class Contact(Base):
    """Contact details a respondent chose to give, kept apart from their view, with their consent and its time."""

    __tablename__ = "contact"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), index=True)
    consent: Mapped[bool] = mapped_column(Boolean)
    consent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Presentation(Base):
    """The slide an open presentation shows, by the hash of its secret token (and its event, if any)."""

    __tablename__ = "presentation"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"))
    slide: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginCounter(Base):
    """Admin sign-in attempts of one account from one hashed address in the current window, counted atomically
    (shared by every app process)."""

    __tablename__ = "login_counter"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
