"""One view: validated against the form's choices, rate-limited, checked for duplicates, stored in one transaction.

`record` returns only after the transaction has committed, so a "thank you" is never shown for a
view that is not on disk. Each send carries the form's own submission id: sent again (after an
outage, or to another app process after a failover), it is stored once and gets the same reference.
Duplicates are flagged (`duplicate_of`), never refused: a room shares one network, and a
consultation must not lose valid views. A device (its cookie) that answers a poll again is flagged
too, and the tally counts its latest answer only.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult import inflight
from lisdash.consult.schema import Contact, Event, Response, Setting
from lisdash.content.form import Limit, Limits

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read out over a phone
EVENT_CODE = re.compile(r"^[A-Z]{1,4}-[A-HJ-NP-Z2-9]{2}$")
EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")
SUBMISSION = r"^[A-Za-z0-9_-]{16,32}$"
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")  # controls, bidi overrides
DUPLICATE_MINUTES = 30


class Refused(ValueError):
    """A view that cannot be recorded, with a message the respondent can act on."""


class TooMany(Refused):
    """Rate-limited: too many views from one session or network address in a short time."""


@dataclass(frozen=True)
class Choices:
    """What a response may name: every id the form offers (from the content, the story and the store)."""

    respondent_types: frozenset[str]
    org_sizes: frozenset[str]
    sectors: frozenset[str]
    places: frozenset[str]
    commitments: frozenset[str]
    clusters: frozenset[str]
    polls: frozenset[str]
    areas: frozenset[str]
    pages: frozenset[str] = frozenset({"respond", "commitments", "cluster", "profile", "present"})
    comment_chars: int = 2000


def clean_text(text: str) -> str:
    """Text as typed, normalised (NFC), without control characters or bidirectional overrides, trimmed."""
    return UNSAFE_CHARS.sub("", unicodedata.normalize("NFC", text)).strip()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class ContactIn(_Strict):
    """Contact details, given only with explicit consent."""

    name: str = Field(min_length=1, max_length=120)
    email: str = Field(max_length=254)
    consent: Literal[True]

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not EMAIL.fullmatch(value):
            raise ValueError("is not an email address")
        return value.lower()


class ViewContext(_Strict):
    """Where the view was given: page, cluster, area, year and slide shown at the time."""

    page: str | None = None
    cluster: str | None = None
    area_code: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9]{1,8}$")
    year: int | None = Field(default=None, ge=1990, le=2100)
    slide: int | None = Field(default=None, ge=1, le=200)


class ResponseIn(_Strict):
    """One view as submitted. Validate with `context={"choices": Choices}` so every id is a known one."""

    event: str | None = Field(default=None, pattern=EVENT_CODE.pattern)
    channel: Literal["event", "online"]
    respondent_type: str
    org_size: str | None = None
    sector: str | None = None
    place: str | None = None
    commitments: list[str] = Field(default_factory=list, max_length=10)
    cluster: str | None = None
    poll: str | None = None
    agreement: int = Field(ge=1, le=5)
    comment: str = ""
    quote_ok: bool = False
    context: ViewContext = ViewContext()
    contact: ContactIn | None = None
    honeypot: str = ""
    submission: str | None = Field(default=None, pattern=SUBMISSION)

    @field_validator("comment")
    @classmethod
    def _comment(cls, value: str, info: ValidationInfo) -> str:
        value = clean_text(value)
        if len(value) > _choices(info).comment_chars:
            raise ValueError("too long")
        return value

    @model_validator(mode="after")
    def _known(self, info: ValidationInfo) -> ResponseIn:
        c = _choices(info)
        checks = [("respondent type", [self.respondent_type], c.respondent_types),
                  ("organisation size", [self.org_size], c.org_sizes), ("sector", [self.sector], c.sectors),
                  ("place", [self.place], c.places), ("commitment", self.commitments, c.commitments),
                  ("cluster", [self.cluster, self.context.cluster], c.clusters), ("poll", [self.poll], c.polls),
                  ("page", [self.context.page], c.pages), ("area", [self.context.area_code], c.areas)]
        for what, values, allowed in checks:
            for value in values:
                if value is not None and value not in allowed:
                    raise ValueError(f"unknown {what}")
        return self


def _choices(info: ValidationInfo) -> Choices:
    if not info.context or "choices" not in info.context:
        raise ValueError("validate with context={'choices': Choices(...)}")
    return info.context["choices"]


FIELD_NAMES = {"agreement": "how far you agree", "respondent_type": "who you are answering as",
               "contact.name": "your name", "contact.email": "your email address",
               "contact.consent": "the consent box", "commitments": "the commitment", "event": "the event code"}


def comment_problem(comment: str, limit: int) -> str | None:
    """What to fix about a comment's length, counted as it will be stored, in our own words (None if it fits)."""
    length = len(clean_text(comment))
    if length <= limit:
        return None
    return (f"Your comment is {length:,} characters long: please shorten it to {limit:,} or fewer "
            f"({length - limit:,} to cut). Everything you typed is kept.")


def parse_response(data: dict, choices: Choices) -> ResponseIn:
    """A submitted view validated, or Refused naming what to fix in plain words (never echoing what was typed).
    An over-long comment is refused with its length and the limit, never cut."""
    try:
        return ResponseIn.model_validate(data, context={"choices": choices})
    except ValidationError as exc:
        fields = [".".join(str(p) for p in e["loc"] if not isinstance(p, int)) for e in exc.errors()]
        named = dict.fromkeys(FIELD_NAMES.get(f, "the choices on this page") for f in fields if f != "comment")
        problems = ["Please check " + ", ".join(named) + "."] if named else []
        if "comment" in fields:
            problems.append(comment_problem(str(data.get("comment") or ""), choices.comment_chars)
                            or "Please check the comment.")
        raise Refused(" ".join(problems)) from exc


@dataclass(frozen=True)
class Receipt:
    """What the respondent is told: the view's reference, and whether it repeats an earlier one."""

    reference: str
    id: int
    duplicate_of: int | None = None


@dataclass
class Visitor:
    """Who is answering, as far as limits and duplicates need: a session key, a network address and the
    browser's device key (its cookie; the session key where it has none)."""

    session_key: str
    address: str
    device_key: str | None = None
    hashes: dict[str, str] = field(default_factory=dict)


def hash_secret(session: Session) -> str:
    """The database's secret (made by the first migration), shared by every app process."""
    return session.get(Setting, "hash_secret").value


def scramble(secret: str, kind: str, value: str) -> str:
    """A short keyed hash of a session key or an address: comparable, not reversible."""
    return hashlib.blake2b(f"{kind}:{value}".encode(), key=secret.encode()[:64], digest_size=8).hexdigest()


def visitor_hashes(session: Session, visitor: Visitor) -> dict[str, str]:
    """The keyed hashes a visitor is known by: its session, its network address and its device."""
    secret = hash_secret(session)
    return {"session": scramble(secret, "session", visitor.session_key),
            "client": scramble(secret, "client", visitor.address),
            "device": scramble(secret, "device", visitor.device_key or visitor.session_key)}


def event_id_of(session: Session, code: str | None) -> int | None:
    """The id of the event with this code (None for none); Refused if no event has it."""
    if not code:
        return None
    found = session.scalar(select(Event.id).where(Event.code == code))
    if found is None:
        raise Refused("That event code is not known. Check the code on the screen.")
    return found


def check_limit(session: Session, column, value: str, limit: Limit, now: datetime, what: str) -> None:
    """TooMany if the rows of `column`'s table whose `column` is `value` reached `limit` (`what`, e.g. "views from
    this device", names them in the message)."""
    table = column.class_
    since = now - timedelta(minutes=limit.minutes)
    if session.scalar(select(func.count(table.id)).where(column == value, table.created_at >= since)) >= limit.count:
        raise TooMany(f"Too many {what} in {limit.minutes} minutes. Please try again in a few minutes.")


def _duplicate(session: Session, view: ResponseIn, hashes: dict[str, str], now: datetime) -> int | None:
    """The device's latest earlier answer to the same poll (at any time); else an earlier view with the same answer
    from the same session, or with the same comment from the same network, within 30 minutes."""
    if view.poll is not None:
        again = session.scalar(select(func.max(Response.id)).where(Response.poll == view.poll,
                                                                   Response.device_hash == hashes["device"]))
        if again is not None:
            return again
    same = select(Response.id).where(
        Response.created_at >= now - timedelta(minutes=DUPLICATE_MINUTES), Response.agreement == view.agreement,
        Response.comment == view.comment, Response.poll.is_(None) if view.poll is None else Response.poll == view.poll,
        Response.cluster.is_(None) if view.cluster is None else Response.cluster == view.cluster)
    who = Response.session_hash == hashes["session"]
    if view.comment:
        who = who | (Response.client_hash == hashes["client"])
    found = [i for i, c in session.execute(same.add_columns(Response.commitments).where(who).order_by(Response.id))
             if sorted(c or []) == sorted(view.commitments)]
    return found[0] if found else None


def _receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))


def record(sessions: sessionmaker[Session], view: ResponseIn, visitor: Visitor, limits: Limits,
           now: datetime | None = None) -> Receipt:
    """Store one view (and its contact details, apart) in one committed transaction; Refused if it cannot be.
    A submission already stored (the same send again) gets its receipt back, and nothing is stored twice."""
    if view.honeypot:
        raise Refused("This form could not be sent.")
    now = now or datetime.now(UTC)
    with inflight.recording():
        return _record_retrying(sessions, view, visitor, limits, now)


def _record_retrying(sessions: sessionmaker[Session], view: ResponseIn, visitor: Visitor, limits: Limits,
                     now: datetime) -> Receipt:
    for _ in range(3):
        earlier = _stored_submission(sessions, view.submission)
        if earlier is not None:
            return earlier
        try:
            return _record_once(sessions, view, visitor, limits, now)
        except IntegrityError:  # the same submission stored meanwhile, or two receipts alike: look, then redraw
            continue
    raise Refused("The view could not be stored. Please try again.")


def _stored_submission(sessions: sessionmaker[Session], submission: str | None) -> Receipt | None:
    if submission is None:
        return None
    with sessions() as session:
        row = session.execute(select(Response.receipt, Response.id, Response.duplicate_of)
                              .where(Response.submission == submission)).first()
    return Receipt(*row) if row else None


def _record_once(sessions: sessionmaker[Session], view: ResponseIn, visitor: Visitor, limits: Limits,
                 now: datetime) -> Receipt:
    with sessions.begin() as session:
        hashes = visitor_hashes(session, visitor)
        check_limit(session, Response.device_hash, hashes["device"], limits.per_device, now, "views from this device")
        check_limit(session, Response.client_hash, hashes["client"], limits.per_client, now,
                    "views from this network")
        row = Response(
            receipt=_receipt(), created_at=now, event_id=event_id_of(session, view.event), channel=view.channel,
            respondent_type=view.respondent_type, org_size=view.org_size, sector=view.sector, place=view.place,
            commitments=list(view.commitments), cluster=view.cluster, poll=view.poll, agreement=view.agreement,
            comment=view.comment, quote_ok=view.quote_ok and bool(view.comment), page=view.context.page,
            context_cluster=view.context.cluster, area_code=view.context.area_code, year=view.context.year,
            slide=view.context.slide,
            session_hash=hashes["session"], client_hash=hashes["client"], device_hash=hashes["device"],
            submission=view.submission, duplicate_of=_duplicate(session, view, hashes, now), hidden=False,
            flagged=False)
        session.add(row)
        session.flush()
        if view.contact:
            session.add(Contact(response_id=row.id, name=view.contact.name, email=view.contact.email, consent=True,
                                consent_at=now))
        receipt = Receipt(row.receipt, row.id, row.duplicate_of)
    return receipt
