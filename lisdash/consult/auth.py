"""The consultation team's sign-in: a scrypt password hash, sessions that expire, failed logins limited.

The hash lives in `.streamlit/secrets.toml` (`[admin] password_hash = "scrypt$..."`) or in the
environment (LISDASH_ADMIN_PASSWORD_HASH). With neither, the admin page is disabled, not open.
Failed attempts are kept in the database, so every app process applies the same limit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult.schema import LoginAttempt

SCRYPT = {"n": 2**15, "r": 8, "p": 1}
SESSION = timedelta(minutes=30)
FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 12


def hash_password(password: str) -> str:
    """A storable scrypt hash: scrypt$n$r$p$salt$digest (base64)."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"use a password of at least {MIN_PASSWORD} characters")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, maxmem=2**26, dklen=32, **SCRYPT)
    encode = base64.b64encode
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(stored: str, password: str) -> bool:
    """Whether a password matches a stored hash (constant-time; a malformed hash matches nothing)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        found = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                               maxmem=2**26, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, expected)


def configured_hash(env_value: str | None, secrets_value: str | None) -> str | None:
    """The password hash in force: the environment's, else the secrets file's; None disables the page."""
    value = (env_value or secrets_value or "").strip()
    return value if value.startswith("scrypt$") else None


def still_signed_in(signed_in_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether a sign-in is younger than the session length (30 minutes, renewed by use)."""
    return signed_in_at is not None and (now or datetime.now(UTC)) - signed_in_at < SESSION


def wait_before_retry(sessions: sessionmaker[Session], client_hash: str, now: datetime | None = None) -> int:
    """Seconds until this client may try again (0 if it may now): 5 failures in 15 minutes lock it out."""
    now = now or datetime.now(UTC)
    with sessions() as session:
        recent = select(LoginAttempt.at).where(LoginAttempt.client_hash == client_hash,
                                               LoginAttempt.at >= now - FAILURE_WINDOW)
        count = session.scalar(select(func.count()).select_from(recent.subquery()))
        if count < FAILURES:
            return 0
        oldest = session.scalar(select(func.min(LoginAttempt.at)).where(LoginAttempt.client_hash == client_hash,
                                                                       LoginAttempt.at >= now - FAILURE_WINDOW))
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
    return max(1, int((oldest + FAILURE_WINDOW - now).total_seconds()))


def note_failure(sessions: sessionmaker[Session], client_hash: str, now: datetime | None = None) -> None:
    """Record a failed sign-in (and forget failures older than the window)."""
    now = now or datetime.now(UTC)
    with sessions.begin() as session:
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - FAILURE_WINDOW))
        session.add(LoginAttempt(client_hash=client_hash, at=now))
