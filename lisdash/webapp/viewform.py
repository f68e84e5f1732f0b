"""The response form: the phone page's and the "Share your view" panel's, with its thank-you and its errors.

The form is handled in its submit callback, so a refused view keeps what was typed and a recorded
one is replaced by its thank-you. Nothing typed is ever shown back; errors are our own sentences.
"""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from lisdash.consult.responses import Refused, parse_response, record
from lisdash.webapp.cache import content
from lisdash.webapp.consultation import UNAVAILABLE, choices, consultation, database, place_labels, sector_labels
from lisdash.webapp.consultation import visitor as current_visitor
from lisdash.webapp.widgets import styles

LOG = logging.getLogger("lisdash")
CONSENT = "I agree that the consultation team may keep my name and email to contact me about this consultation."
FIELDS = ("agreement", "commitment", "type", "comment", "size", "sector", "place", "name", "email", "consent",
          "hp-website")


def view_form(key: str, *, question: str, context: dict, event: str | None = None, poll: str | None = None,
              commitments: list[str] | None = None, cluster: str | None = None) -> None:
    """A form recording one view; `commitments` None lets the respondent choose the commitment."""
    styles("form")
    receipt = st.session_state.get(f"{key}-receipt")
    if receipt:
        st.success(f"Thank you: your view is recorded. Reference {receipt}.", icon=":material/check_circle:")
        st.button("Give another view", key=f"{key}-again", on_click=st.session_state.pop, args=(f"{key}-receipt",))
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
        st.text_area("Comment (optional)", max_chars=form.limits.comment_chars, key=f"{key}-comment",
                     placeholder="What do the data miss? What should the strategy do?")
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
        st.text_input("Leave this empty", key=f"{key}-hp-website", label_visibility="collapsed")
        st.form_submit_button("Send my view", type="primary", width="stretch", on_click=_submit, args=(key, fixed))
    problem = st.session_state.pop(f"{key}-problem", None)
    if problem:
        st.error(problem)
    st.caption(form.privacy_notice)


def _data(key: str, fixed: dict) -> dict:
    """The submitted view as plain data, from the form's widgets and what the page fixed."""
    def value(field: str):
        return st.session_state.get(f"{key}-{field}")

    commitments = fixed["commitments"] if fixed["commitments"] is not None else [c for c in [value("commitment")] if c]
    data = {"event": fixed["event"], "channel": "event" if fixed["event"] else "online",
            "respondent_type": value("type"), "org_size": value("size"), "sector": value("sector"),
            "place": value("place"), "commitments": commitments, "cluster": fixed["cluster"], "poll": fixed["poll"],
            "agreement": value("agreement"), "comment": value("comment") or "", "context": fixed["context"],
            "honeypot": value("hp-website") or ""}
    if value("name") or value("email") or value("consent"):
        data["contact"] = {"name": value("name") or "", "email": value("email") or "", "consent": value("consent")}
    return data


def _submit(key: str, fixed: dict) -> None:
    """Record the view (committed before the thank-you), or keep the form with a message saying what to fix."""
    sessions = database()
    if sessions is None:
        st.session_state[f"{key}-problem"] = UNAVAILABLE
        return
    try:
        view = parse_response(_data(key, fixed), choices())
        receipt = record(sessions, view, current_visitor(), consultation().limits)
    except Refused as exc:
        st.session_state[f"{key}-problem"] = str(exc)
        return
    except SQLAlchemyError:
        LOG.exception("a view could not be stored")
        st.session_state[f"{key}-problem"] = UNAVAILABLE
        return
    for field in FIELDS:
        st.session_state.pop(f"{key}-{field}", None)
    st.session_state[f"{key}-receipt"] = receipt.reference


def share_view(page: str, *, commitments: list[str], cluster: str | None = None, area: str | None = None,
               year: int | None = None) -> None:
    """The "Share your view" panel: a view recorded with what the page shows (page, cluster, area, year)."""
    names = [f"{c.number}. {c.title}" for c in content().commitments if c.id in commitments]
    with st.expander("Share your view on this", icon=":material/forum:"):
        st.caption("Your view is recorded with what this page shows" + (f" (commitment {', '.join(names)})"
                                                                         if names else "") + ".")
        question = ("How far do you agree with this commitment?" if len(names) == 1
                    else "How far do you agree with these commitments?")
        view_form(f"share-{page}", question=question, commitments=commitments, cluster=cluster,
                  context={"page": page, "cluster": cluster, "area_code": area, "year": year})
