"""The consultation team's sign-in: a scrypt password hash, sessions that expire, failed logins limited.

The hash lives in `.streamlit/secrets.toml` (`[admin] password_hash = "scrypt$..."`) or in the
environment (LISDASH_ADMIN_PASSWORD_HASH). With neither, the admin page is disabled, not open.
Attempts are counted in the database, per account and network address, atomically, so every app process
applies the same limit and simultaneous attempts cannot slip past it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from lisdash.consult.schema import LoginCounter

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


class MalformedHash(ValueError):
    """A configured admin password hash that is not one `hash_password` writes."""


def configured_hash(env_value: str | None, secrets_value: str | None) -> str | None:
    """The password hash in force: the environment's, else the secrets file's; None (nothing configured)
    disables the page. A value that is not a well-formed scrypt hash raises MalformedHash, naming where it is."""
    where = ("LISDASH_ADMIN_PASSWORD_HASH" if (env_value or "").strip()
             else ".streamlit/secrets.toml [admin] password_hash")
    value = (env_value or secrets_value or "").strip()
    if not value:
        return None
    parts = value.split("$")
    try:
        well_formed = (len(parts) == 6 and parts[0] == "scrypt" and all(int(n) > 0 for n in parts[1:4])
                       and base64.b64decode(parts[4], validate=True) and base64.b64decode(parts[5], validate=True))
    except ValueError:
        well_formed = False
    if not well_formed:
        raise MalformedHash(f"The admin password hash in {where} is malformed: it should look like scrypt$32768$8$1$"
                            f"<salt>$<digest>. Make a new one with `python -m lisdash admin hash-password`.")
    return value


def still_signed_in(signed_in_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether a sign-in is younger than the session length (30 minutes, renewed by use)."""
    return signed_in_at is not None and (now or datetime.now(UTC)) - signed_in_at < SESSION


def attempt_key(account: str, client_hash: str) -> str:
    """Sign-in attempts are counted per account and network address together, so a venue's shared address that
    is locked out does not lock the team out on another."""
    return f"{account}@{client_hash}"


def admit(sessions: sessionmaker[Session], key: str, now: datetime | None = None) -> int:
    """Count one sign-in attempt before its password is checked, atomically (one UPDATE ... RETURNING, so
    simultaneous attempts each see the others); 0 if it may be checked, else the seconds to wait. Attempts
    after the 5th in 15 minutes are refused unchecked (and still counted)."""
    now = now or datetime.now(UTC)
    expired = LoginCounter.window_start < now - FAILURE_WINDOW
    with sessions.begin() as session:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(LoginCounter).values(key=key, attempts=0, window_start=now)
                        .on_conflict_do_nothing(index_elements=["key"]))
        attempts, started = session.execute(
            update(LoginCounter).where(LoginCounter.key == key)
            .values(attempts=case((expired, 1), else_=LoginCounter.attempts + 1),
                    window_start=case((expired, now), else_=LoginCounter.window_start))
            .returning(LoginCounter.attempts, LoginCounter.window_start)).one()
    if attempts <= FAILURES:
        return 0
    started = started if started.tzinfo else started.replace(tzinfo=UTC)
    return max(1, int((started + FAILURE_WINDOW - now).total_seconds()))


def signed_in_ok(sessions: sessionmaker[Session], key: str) -> None:
    """A right password clears its account's and address's count."""
    with sessions.begin() as session:
        session.execute(delete(LoginCounter).where(LoginCounter.key == key))


def unlock(sessions: sessionmaker[Session]) -> int:
    """Lift every lockout (`python -m lisdash admin unlock`); how many accounts and addresses were counted."""
    with sessions.begin() as session:
        return session.execute(delete(LoginCounter)).rowcount
