"""The admin page's gate: password (scrypt hash from secrets or env) or OIDC sign-in; sessions expire.

With no password hash and no identity provider configured the page is disabled, not open.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import streamlit as st

from lisdash.consult import auth
from lisdash.webapp.consultation import UNAVAILABLE, client_hash, database

SIGNED_IN = "_admin_signed_in_at"
ACCOUNT = "admin"  # the one password account; sign-ins are counted per account and network address
DISABLED = ("The admin page is disabled: no admin password is configured. Run `python -m lisdash admin "
            "hash-password` and put the hash in `.streamlit/secrets.toml` under `[admin] password_hash`, or in "
            "the environment as `LISDASH_ADMIN_PASSWORD_HASH`; then restart the app.")


def _secret(section: str, name: str):
    try:
        return st.secrets.get(section, {}).get(name)
    except Exception:  # noqa: BLE001 - no secrets file at all
        return None


def _oidc_emails() -> set[str]:
    """Emails allowed in by single sign-on (`[admin] emails = [...]`, with an `[auth]` provider configured)."""
    if not _secret("auth", "redirect_uri"):
        return set()
    return {e.lower() for e in _secret("admin", "emails") or []}


def _oidc_user_allowed(emails: set[str]) -> bool:
    try:
        return bool(emails) and st.user.is_logged_in and str(st.user.get("email", "")).lower() in emails
    except Exception:  # noqa: BLE001 - st.user without an [auth] section
        return False


def signed_in() -> bool:
    """Whether this session may see the admin page; if not, show the way in (or why there is none)."""
    now = datetime.now(UTC)
    if auth.still_signed_in(st.session_state.get(SIGNED_IN), now):
        st.session_state[SIGNED_IN] = now  # the 30 minutes run from the last use
        return True
    st.session_state.pop(SIGNED_IN, None)
    emails = _oidc_emails()
    if _oidc_user_allowed(emails):
        return True
    st.title("Consultation admin")
    try:
        stored = auth.configured_hash(os.environ.get("LISDASH_ADMIN_PASSWORD_HASH"),
                                      _secret("admin", "password_hash"))
    except auth.MalformedHash as exc:
        st.error(str(exc))
        return False
    if stored is None and not emails:
        st.error(DISABLED)
        return False
    sessions = database()
    if sessions is None:
        st.error(UNAVAILABLE)
        return False
    with st.columns([2, 3])[0]:
        if emails:
            st.button("Sign in with your organisation account", on_click=st.login)
        if stored is not None:
            _password_form(sessions, stored)
    return False


def _password_form(sessions, stored: str) -> None:
    with st.form("admin-login"):
        password = st.text_input("Admin password", type="password", key="admin-password")
        sent = st.form_submit_button("Sign in", type="primary")
    if not sent:
        return
    who = auth.attempt_key(ACCOUNT, client_hash(sessions))
    wait = auth.admit(sessions, who)
    if wait:
        st.error(f"Too many failed sign-ins from this network. Try again in {wait // 60 + 1} minutes, or ask "
                 "whoever runs the server to run `python -m lisdash admin unlock`.")
    elif auth.verify_password(stored, password):
        auth.signed_in_ok(sessions, who)
        st.session_state[SIGNED_IN] = datetime.now(UTC)
        st.rerun()
    else:
        st.error("That password is not right.")


def sign_out() -> None:
    """End the admin session (and the single sign-on one, if any)."""
    st.session_state.pop(SIGNED_IN, None)
    try:
        if st.user.is_logged_in:
            st.logout()
    except Exception:  # noqa: BLE001 - no [auth] section
        pass
