"""The consultation's server-side state for the pages: the database, the form's choices, who is answering,
the address phones can reach, the event a link names and a poll's live tally.

Every database read here survives an outage: it says so in our own words and recovers, with no restart,
once the database is back (the engine re-connects; a failed first connection is tried again on the next run).
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult import db, events, links
from lisdash.consult.clientaddress import client_address, trusted_networks
from lisdash.consult.events import EVENT_CODE
from lisdash.consult.responses import Choices, Visitor, hash_secret, scramble
from lisdash.consult.tally import Tally, poll_tally
from lisdash.content.form import Consultation, load_consultation
from lisdash.figures import draw
from lisdash.webapp.cache import content, store, story

T = TypeVar("T")
LOG = logging.getLogger("lisdash")
TALLY_REFRESH = "1s"
# An event never changes once made: each process looks a code up once per database (an unknown code every time).
_FOUND_EVENTS: dict[tuple[object, str], EventRef] = {}
SCREEN_COMMENT_CHARS = 220
UNAVAILABLE = ("Views cannot be recorded right now: the consultation database is not reachable. "
               "The organisers have been told; please try again in a few minutes.")
KEPT = ("Views cannot be recorded right now: the consultation database is not reachable. Your answers are kept on "
        "this page and will be sent by themselves as soon as it is back: keep this page open (or press Send again).")
RETRY_EVERY = "3s"  # how often a phone tries again what waits on it while the database cannot be reached
DEVICE_COOKIE = "lisdash_device"
DEVICE_DAYS = 60


@st.cache_resource(show_spinner=False)
def _database() -> sessionmaker[Session]:
    """The consultation database, migrated to the latest schema (once per server process)."""
    return db.sessions()


@st.cache_resource
def prepare_database() -> threading.Thread:
    """Apply the schema migrations when the server starts, in the background (once per process)."""

    def migrate() -> None:
        try:
            db.engine_for(db.database_url())
        except Exception:  # noqa: BLE001 - logged; the pages that need the database say so
            LOG.exception("consultation database unavailable (%s)", db.describe(db.database_url()))

    thread = threading.Thread(target=migrate, name="lisdash-migrate", daemon=True)
    thread.start()
    return thread


def database() -> sessionmaker[Session] | None:
    """The database's session factory, or None (logged) when it cannot be reached or migrated."""
    try:
        return _database()
    except Exception:  # noqa: BLE001 - the dashboard keeps working without the consultation database
        LOG.exception("consultation database unavailable (%s)", db.describe(db.database_url()))
        return None


@st.cache_resource
def consultation() -> Consultation:
    """The form's content (lis_data/consultation.yaml), validated once per server process."""
    return load_consultation()


@st.cache_resource
def place_labels() -> dict[str, str]:
    """Local authority districts a respondent may name: the region's first, then the rest, by name."""
    areas = store().areas
    lads = areas[(areas["level"] == "lad") & (areas["extent"] == "national")]
    in_region = lads["region"] == content().region.region
    ordered = lads.assign(first=~in_region).sort_values(["first", "name"])
    return {code: content().label(code, name) for code, name in zip(ordered["code"], ordered["name"], strict=True)}


@st.cache_resource
def sector_labels() -> dict[str, str]:
    """SIC 2007 sections, from the store's industry table."""
    industries = store().industries
    sections = industries[(industries["industry_level"] == "section") & (industries["code"].str.len() == 1)]
    return {code: f"{code}: {name}" for code, name in zip(sections["code"], sections["name"], strict=True)}


@st.cache_resource
def choices() -> Choices:
    """Every id a response may name, for validation."""
    form = consultation()
    return Choices(
        respondent_types=frozenset(c.id for c in form.respondent_types),
        org_sizes=frozenset(c.id for c in form.org_sizes), sectors=frozenset(sector_labels()),
        places=frozenset(place_labels()), commitments=frozenset(c.id for c in content().commitments),
        clusters=frozenset(c.id for c in content().clusters), polls=frozenset(story().polls()),
        areas=frozenset(store().areas["code"]), comment_chars=form.limits.comment_chars)


def visitor() -> Visitor:
    """This browser session's key, network address and device key (for rate limits and repeat flags only)."""
    key = st.session_state.setdefault("_visitor", secrets.token_urlsafe(16))
    address = client_address(st.context.ip_address, st.context.headers.get("X-Forwarded-For"), trusted_proxies())
    return Visitor(key, address, device_key())


@st.cache_resource
def trusted_proxies():
    """The reverse proxies whose X-Forwarded-For is believed (LISDASH_TRUSTED_PROXIES; `serve` sets it)."""
    try:
        return trusted_networks(os.environ.get("LISDASH_TRUSTED_PROXIES"))
    except ValueError as exc:
        LOG.error("%s; no proxy is trusted", exc)
        return ()


def device_key() -> str:
    """The browser's device key: its first-party cookie (set by `remember_device`), else a new one for this
    session. The database keeps only its keyed hash."""
    cookie = st.context.cookies.get(DEVICE_COOKIE)
    if isinstance(cookie, str) and events.TOKEN.fullmatch(cookie):
        return cookie
    return st.session_state.setdefault("_device", secrets.token_urlsafe(18))


_device_cookie = st.components.v2.component(
    "lisdash_device_cookie", isolate_styles=False,
    js=(Path(__file__).parent / "devicecookie.js").read_text(encoding="utf-8"))


def remember_device() -> None:
    """Give a browser without one its device cookie, so its limit and its one vote per poll hold across reloads
    and new tabs."""
    if DEVICE_COOKIE not in st.context.cookies:
        _device_cookie(key="device-cookie", data={"name": DEVICE_COOKIE, "value": device_key(),
                                                  "max_age": DEVICE_DAYS * 86_400})


def client_hash(sessions: sessionmaker[Session]) -> str:
    """This visitor's network address, scrambled with the database's secret."""
    with sessions() as session:
        return scramble(hash_secret(session), "client", visitor().address)


def public_base() -> str | None:
    """The address phones can reach this app on (LISDASH_PUBLIC_URL, the browser's, or the LAN's)."""
    return links.base_url(int(st.get_option("server.port")), st.context.url, os.environ)


@dataclass(frozen=True)
class EventRef:
    """The event a link names: its code, and its name and id once the database has confirmed it (None while the
    database cannot be reached)."""

    code: str
    name: str | None = None
    id: int | None = None
    presenter_code: str | None = None

    @property
    def label(self) -> str:
        """'Birmingham, 3 December · event BIRM-7Q', or the code alone while unconfirmed."""
        return f"{self.name} · event {self.code}" if self.name else f"Event {self.code}"


def forget_events() -> None:
    """Forget the events this process has found (its database emptied or replaced under it: tests)."""
    _FOUND_EVENTS.clear()


def event_from_url() -> EventRef | None:
    """The event named by ?event=CODE, or None (a malformed or unknown code gets a notice). While the database
    cannot be reached, a well-formed code is kept as it is, so views sent later still carry it."""
    code = st.query_params.get("event")
    if not code:
        return None
    if EVENT_CODE.fullmatch(code):
        sessions = database()
        known = _FOUND_EVENTS.get((sessions, code))
        if known is not None:
            return known
        try:
            found = events.find_event(sessions, code) if sessions else None
        except SQLAlchemyError:
            found = None
            sessions = None
        if sessions is None:
            LOG.warning("event %s not confirmed: the consultation database is not reachable", code)
            return EventRef(code)
        if found is not None:
            known = _FOUND_EVENTS[(sessions, code)] = EventRef(found.code, found.name, found.id, found.presenter_code)
            return known
    st.warning("The event code in this link is not known, so views are recorded without an event.",
               icon=":material/warning:")
    return None


@dataclass(frozen=True)
class Live(Generic[T]):
    """What a projector shows as last read from the database, and whether reading it now failed (what is shown
    is then the last reading)."""

    value: T | None
    paused: bool


def live_reading(name: str, event: EventRef | None, read: Callable[[sessionmaker[Session], int | None], T]) -> Live[T]:
    """`read(sessions, event id)` made fresh; while the database cannot be read, the last reading this screen had
    (kept per `name` and event)."""
    last_key = f"_live-{name}-{event.code if event else ''}"
    sessions = database()
    try:
        if sessions is None or (event is not None and event.id is None):
            raise SQLAlchemyError("no database, or the event not yet confirmed")
        value = read(sessions, event.id if event else None)
    except SQLAlchemyError:
        return Live(st.session_state.get(last_key), paused=True)
    st.session_state[last_key] = value
    return Live(value, paused=False)


def live_tally(poll: str, event: EventRef | None, comments: int) -> Live[Tally]:
    """A poll's tally read fresh from the database; while it cannot be read, the last count this screen had."""
    return live_reading(f"tally-{poll}", event, lambda sessions, event_id: poll_tally(sessions, poll, event_id,
                                                                                       comments))


def tally_figure(tally: Tally):
    """The tally as bars labelled with the form's 5-point scale."""
    return draw.tally_bars(tally.counts, consultation().agreement)


def screen_comment(text: str) -> str:
    """A comment cut to what a slide can show (it is shown as plain text, never Markdown or HTML)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SCREEN_COMMENT_CHARS else flat[:SCREEN_COMMENT_CHARS - 1] + "…"


@st.cache_data(max_entries=512, show_spinner=False)
def qr_image(url: str, box: int = 10) -> bytes:
    """A QR code of a link as PNG (made locally)."""
    from lisdash.views.deck import qr_png

    return qr_png(url, box)
