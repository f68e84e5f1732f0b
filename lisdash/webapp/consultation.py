"""The consultation's server-side state for the pages: the database, the form's choices, who is answering,
the address phones can reach, and each event's presenter state."""

from __future__ import annotations

import logging
import os
import secrets
import threading

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from lisdash import figures
from lisdash.consult import db, events, links
from lisdash.consult.responses import Choices, Visitor, hash_secret, scramble
from lisdash.consult.tally import Tally, poll_tally
from lisdash.content.consultation import Consultation, load_consultation
from lisdash.webapp.cache import content, store, story

LOG = logging.getLogger("lisdash")
TALLY_REFRESH = "1.5s"
SCREEN_COMMENT_CHARS = 220
UNAVAILABLE = ("Views cannot be recorded right now: the consultation database is not reachable. "
               "The organisers have been told; please try again in a few minutes.")


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
    """This browser session's key and network address (for rate limits and duplicate flags only)."""
    key = st.session_state.setdefault("_visitor", secrets.token_urlsafe(16))
    return Visitor(key, st.context.ip_address or "unknown")


def client_hash(sessions: sessionmaker[Session]) -> str:
    """This visitor's network address, scrambled with the database's secret."""
    with sessions() as session:
        return scramble(hash_secret(session), "client", visitor().address)


def public_base() -> str | None:
    """The address phones can reach this app on (LISDASH_PUBLIC_URL, the browser's, or the LAN's)."""
    return links.base_url(int(st.get_option("server.port")), st.context.url, os.environ)


def presentations() -> events.Presentations | None:
    """Presenter state shared by every app process through the database (None without a database)."""
    sessions = database()
    return events.Presentations(sessions) if sessions else None


def event_from_url() -> events.Event | None:
    """The event named by ?event=CODE, or None (a malformed or unknown code gets a notice)."""
    code = st.query_params.get("event")
    if not code:
        return None
    sessions = database()
    found = events.find_event(sessions, code) if sessions else None
    if found is None:
        st.warning("The event code in this link is not known, so views are recorded without an event.",
                   icon=":material/warning:")
    return found


def live_tally(poll: str, event: events.Event | None, comments: int) -> Tally | None:
    """A poll's tally read fresh from the database (None without a database)."""
    sessions = database()
    return poll_tally(sessions, poll, event.id if event else None, comments) if sessions else None


def tally_figure(tally: Tally):
    """The tally as bars labelled with the form's 5-point scale."""
    return figures.tally_bars(tally.counts, consultation().agreement)


def screen_comment(text: str) -> str:
    """A comment cut to what a slide can show (it is shown as plain text, never Markdown or HTML)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SCREEN_COMMENT_CHARS else flat[:SCREEN_COMMENT_CHARS - 1] + "…"


@st.cache_data(max_entries=512, show_spinner=False)
def qr_image(url: str, box: int = 10) -> bytes:
    """A QR code of a link as PNG (made locally)."""
    from lisdash.deck import qr_png

    return qr_png(url, box)
