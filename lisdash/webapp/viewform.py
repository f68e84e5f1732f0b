"""The response form: the phone page's and the "Share your view" panel's, with its thank-you and its errors.

A send is handled in the run its button starts (not in a callback, which a fresh app process, after a
failover, would not have registered): refused, it keeps what was typed and says what to fix; recorded,
the form is replaced by its thank-you. While the database cannot be reached, the view waits on the page
and is sent by itself once it is back. Each send carries a random submission id, kept with a waiting
view (and reused when Send is pressed again on the same answers), so a view whose commit was not
acknowledged is stored once when it is tried again. Nothing typed is ever shown back; errors are our
own sentences.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from lisdash.consult.responses import Refused, ResponseIn, parse_response, record
from lisdash.webapp.cache import content
from lisdash.webapp.consultation import (
    KEPT,
    RETRY_EVERY,
    choices,
    consultation,
    database,
    place_labels,
    remember_device,
    sector_labels,
)
from lisdash.webapp.consultation import visitor as current_visitor
from lisdash.webapp.widgets import styles

LOG = logging.getLogger("lisdash")
CONSENT = "I agree that the consultation team may keep my name and email to contact me about this consultation."
FIELDS = ("agreement", "commitment", "type", "comment", "quote", "size", "sector", "place", "name", "email", "consent")
QUOTE = "You may quote my comment, without my name, in the published summary of what people said."
_char_count = st.components.v2.component(
    "lisdash_char_count", isolate_styles=False,
    js=(Path(__file__).parent / "charcount.js").read_text(encoding="utf-8"))
_honeypot = st.components.v2.component(
    "lisdash_honeypot", isolate_styles=False, js=(Path(__file__).parent / "honeypot.js").read_text(encoding="utf-8"))


def view_form(key: str, *, question: str, context: dict, event: str | None = None, poll: str | None = None,
              commitments: list[str] | None = None, cluster: str | None = None) -> None:
    """A form recording one view; `commitments` None lets the respondent choose the commitment."""
    styles("form")
    remember_device()
    state = st.session_state
    if state.pop(f"{key}-clear", False):  # after a thank-you, before the widgets exist again
        for field in FIELDS:
            state.pop(f"{key}-{field}", None)
    receipt = state.get(f"{key}-receipt")
    if receipt:
        st.success(f"Thank you: your view is recorded. Reference {receipt}.", icon=":material/check_circle:")
        if st.button("Give another view", key=f"{key}-again"):
            state.pop(f"{key}-receipt")
            st.rerun()
        return
    form = consultation()
    scale = {i + 1: label for i, label in enumerate(form.agreement)}
    types = {c.id: c.label for c in form.respondent_types}
    fixed = {"event": event, "poll": poll, "commitments": commitments, "cluster": cluster, "context": context}
    with st.form(key):
        st.radio(question, list(scale), index=None, format_func=scale.get, key=f"{key}-agreement")
        if commitments is None:
            offered = {c.id: f"{c.number}. {c.title}" for c in content().commitments}
            st.selectbox("Which commitment is your view about?", list(offered), index=None, format_func=offered.get,
                         key=f"{key}-commitment", placeholder="Choose one")
        st.radio("You are answering as", list(types), index=None, format_func=types.get, key=f"{key}-type")
        st.text_area("Comment (optional)", key=f"{key}-comment",
                     placeholder="What do the data miss? What should the strategy do?")
        st.checkbox(QUOTE, key=f"{key}-quote")
        with st.expander("About your organisation (optional)"):
            for field, label, options in (("size", "Organisation size", {c.id: c.label for c in form.org_sizes}),
                                          ("sector", "Sector", sector_labels()),
                                          ("place", "Where you are based", place_labels())):
                st.selectbox(label, list(options), index=None, format_func=options.get, key=f"{key}-{field}",
                             placeholder="Choose (optional)")
        with st.expander("Contact me about this (optional)"):
            st.text_input("Name", max_chars=120, key=f"{key}-name")
            st.text_input("Email", max_chars=254, key=f"{key}-email")
            st.checkbox(CONSENT, key=f"{key}-consent")
        sent = st.form_submit_button("Send my view", type="primary", width="stretch")
    _char_count(key=f"{key}-count", data={"key": f"{key}-comment", "limit": form.limits.comment_chars})
    robot = bool(_honeypot(key=f"{key}-honeypot", on_filled_change=lambda: None).filled)
    if sent:
        _send(key, fixed | {"honeypot": "filled" if robot else ""})
    problem = state.get(f"{key}-problem")
    if problem:
        st.error(problem)
    if state.get(f"{key}-pending"):
        _send_when_back(key)
    st.caption(form.privacy_notice)


def _data(key: str, fixed: dict) -> dict:
    """The submitted view as plain data, from the form's widgets and what the page fixed."""
    def value(field: str):
        return st.session_state.get(f"{key}-{field}")

    commitments = fixed["commitments"] if fixed["commitments"] is not None else [c for c in [value("commitment")] if c]
    data = {"event": fixed["event"], "channel": "event" if fixed["event"] else "online",
            "respondent_type": value("type"), "org_size": value("size"), "sector": value("sector"),
            "place": value("place"), "commitments": commitments, "cluster": fixed["cluster"], "poll": fixed["poll"],
            "agreement": value("agreement"), "comment": value("comment") or "", "quote_ok": bool(value("quote")),
            "context": fixed["context"],
            "honeypot": fixed["honeypot"]}
    if value("name") or value("email") or value("consent"):
        data["contact"] = {"name": value("name") or "", "email": value("email") or "", "consent": value("consent")}
    return data


def _send(key: str, fixed: dict) -> None:
    """Validate and record the view (committed before the thank-you); keep it waiting on the page while the
    database cannot be reached; or say what to fix, with everything kept."""
    state = st.session_state
    waiting = state.pop(f"{key}-pending", None)
    state.pop(f"{key}-problem", None)
    data = _data(key, fixed)
    try:
        view = parse_response({**data, "submission": secrets.token_hex(16)}, choices())
    except Refused as exc:
        state[f"{key}-problem"] = str(exc)
        return
    if waiting is not None and waiting.model_dump(exclude={"submission"}) == view.model_dump(exclude={"submission"}):
        view = waiting  # the same answers, sent again: the same submission
    _record(key, view)


def _record(key: str, view: ResponseIn) -> None:
    """Record a validated view and rerun the page to its thank-you; or keep it waiting while the database cannot
    be reached; or say why it is refused."""
    state = st.session_state
    sessions = database()
    try:
        if sessions is None:
            raise SQLAlchemyError("the consultation database is not reachable")
        receipt = record(sessions, view, current_visitor(), consultation().limits)
    except Refused as exc:
        state.pop(f"{key}-pending", None)
        state[f"{key}-problem"] = str(exc)
        return
    except SQLAlchemyError:
        LOG.warning("a view is waiting: the consultation database is not reachable")
        state[f"{key}-pending"] = view
        state[f"{key}-problem"] = KEPT
        return
    state.pop(f"{key}-pending", None)
    state.pop(f"{key}-problem", None)
    state[f"{key}-receipt"] = receipt.reference
    state[f"{key}-clear"] = True
    LOG.info("view recorded: reference %s", receipt.reference)
    st.rerun()


def _send_when_back(key: str) -> None:
    """Try the waiting view again every few seconds, with no reload, until the database takes it."""
    @st.fragment(run_every=RETRY_EVERY)
    def waiting() -> None:
        view = st.session_state.get(f"{key}-pending")
        if view is not None:
            _record(key, view)
        if st.session_state.get(f"{key}-pending") is not None:
            st.caption("Still waiting for the database: trying again every few seconds.")

    waiting()


def share_view(page: str, *, commitments: list[str], cluster: str | None = None, area: str | None = None,
               year: int | None = None) -> None:
    """The "Share your view" panel: a view recorded with what the page shows (page, cluster, area, year).

    Its form is built from the first time the panel is opened in a session, and on every run after (a draft
    typed, then hidden, is kept): a visitor who only explores the maps never pays for it."""
    key = f"share-{page}"
    names = [f"{c.number}. {c.title}" for c in content().commitments if c.id in commitments]
    panel = st.expander("Share your view on this", icon=":material/forum:", key=f"{key}-panel", on_change="rerun")
    if panel.open:
        st.session_state[f"{key}-opened"] = True
    if not st.session_state.get(f"{key}-opened"):
        return
    with panel:
        st.caption("Your view is recorded with what this page shows" + (f" (commitment {', '.join(names)})"
                                                                         if names else "") + ".")
        question = ("How far do you agree with this commitment?" if len(names) == 1
                    else "How far do you agree with these commitments?")
        view_form(key, question=question, commitments=commitments, cluster=cluster,
                  context={"page": page, "cluster": cluster, "area_code": area, "year": year})
