"""The consultation's pages through streamlit.testing: the phone form, share panels, poll slide and admin gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from lisdash.consult import auth, db, events
from lisdash.consult.responses import Visitor, parse_response, record
from lisdash.consult.schema import Response
from lisdash.content.form import load_consultation
from lisdash.webapp.consultation import choices
from lisdash.webapp.signin import DISABLED, SIGNED_IN
from tests.test_pages import APP, run

XSS = "<img src=x onerror=alert(1)>"
PASSWORD = "correct horse battery staple"


def send(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Send my view").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def stored(reference: str) -> Response:
    with db.sessions()() as session:
        return session.scalar(select(Response).where(Response.receipt == reference))


def reference_shown(at: AppTest) -> str:
    thanks = next(s.value for s in at.success if s.value.startswith("Thank you"))
    return thanks.rsplit("Reference ", 1)[1].rstrip(".")


def test_the_phone_page_records_a_poll_view_with_its_event_and_slide():
    event = events.new_event(db.sessions(), "Birmingham, 3 December")
    at = run("respond", poll="poll-transport", slide="5", event=event.code)
    assert any("new forms of transport" in r.label for r in at.radio)
    assert any("90 days" in c.value for c in at.caption)  # the privacy notice says how long
    at.radio(key="respond-agreement").set_value(4)
    at.radio(key="respond-type").set_value("business")
    at.text_area(key="respond-comment").set_value(XSS)
    assert at.checkbox(key="respond-quote").value is False  # quoting is asked, never assumed
    assert any("only if you tick the box" in c.value for c in at.caption)
    at.checkbox(key="respond-quote").check()
    send(at)
    row = stored(reference_shown(at))
    assert (row.poll, row.agreement, row.respondent_type, row.channel, row.slide, row.page, row.comment) == (
        "poll-transport", 4, "business", "event", 5, "respond", XSS)
    assert row.quote_ok is True
    assert row.commitments == ["c4"] and row.cluster == "automotive" and row.event_id == event.id
    assert not any(XSS in m.value for m in at.markdown)  # nothing typed is shown back
    again = next(b for b in at.button if b.label == "Give another view")
    again.click()
    at.run()
    assert at.radio(key="respond-agreement").value is None  # a fresh, empty form


def test_a_view_without_an_answer_is_refused_and_nothing_is_stored():
    with db.sessions()() as session:
        before = session.scalar(select(Response.id).order_by(Response.id.desc()).limit(1))
    at = run("respond", commitment="c1")
    at.radio(key="respond-type").set_value("resident")
    at.text_area(key="respond-comment").set_value("Kept while I fix it")
    send(at)
    assert any("how far you agree" in e.value for e in at.error)
    assert at.text_area(key="respond-comment").value == "Kept while I fix it"
    with db.sessions()() as session:
        assert session.scalar(select(Response.id).order_by(Response.id.desc()).limit(1)) == before


def test_bad_url_parameters_on_the_phone_page_are_ignored_with_a_notice():
    at = run("respond", poll="<script>", event="nope", cluster="x" * 500)
    assert any("Ignored" in w.value for w in at.warning)
    assert at.radio(key="respond-agreement").value is None and not at.exception


def test_the_share_panel_builds_its_form_once_opened_and_keeps_it_while_hidden():
    at = run("cluster", cluster="automotive")
    assert [x.label for x in at.expander if x.label == "Share your view on this"] and not at.text_area
    at.session_state["share-cluster-panel"] = True  # the visitor opens the panel
    at.run()
    assert at.text_area(key="share-cluster-comment")
    at.session_state["share-cluster-panel"] = False  # and closes it again: the form stays, and a draft with it
    at.run()
    assert at.text_area(key="share-cluster-comment") and not at.exception


def test_the_share_panel_records_what_the_cluster_map_shows():
    at = run("cluster", cluster="automotive")
    key = "share-cluster"
    at.session_state[f"{key}-panel"] = True  # the visitor opens the panel
    at.run()
    at.radio(key=f"{key}-agreement").set_value(5)
    at.radio(key=f"{key}-type").set_value("public")
    send(at)
    row = stored(reference_shown(at))
    assert (row.page, row.context_cluster, row.cluster, row.channel, row.agreement) == (
        "cluster", "automotive", "automotive", "online", 5)
    assert row.commitments  # the cluster's commitment, attached without asking


def test_the_poll_slide_counts_the_views_of_its_event():
    sessions = db.sessions()
    event = events.new_event(sessions, "Dudley")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"mode": "present", "slide": "5", "event": event.code})
    at.run()
    assert any(m.label == "Views so far" and m.value == "0" for m in at.metric)
    form_choices = choices()
    for i, agreement in enumerate([5, 4, 4]):
        view = parse_response({"event": event.code, "channel": "event", "respondent_type": "business",
                               "poll": "poll-transport", "commitments": ["c4"], "agreement": agreement,
                               "comment": XSS if i == 0 else ""}, form_choices)
        record(sessions, view, Visitor(f"phone-{i}", "10.1.1.1"), load_consultation().limits)
    at.run()
    assert any(m.label == "Views so far" and m.value == "3" for m in at.metric)
    assert any(t.value == XSS for t in at.text)  # the comment as plain text
    assert not any(XSS in m.value for m in at.markdown)


def test_without_a_password_the_admin_page_is_disabled(monkeypatch):
    monkeypatch.delenv("LISDASH_ADMIN_PASSWORD_HASH", raising=False)
    at = run("admin")
    assert [e.value for e in at.error] == [DISABLED] and not at.text_input


@pytest.fixture()
def admin_password(monkeypatch):
    monkeypatch.setenv("LISDASH_ADMIN_PASSWORD_HASH", auth.hash_password(PASSWORD))


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_inbox(admin_password):
    view = parse_response({"channel": "online", "respondent_type": "resident", "commitments": ["c1"],
                           "agreement": 2, "comment": XSS}, choices())
    reference = record(db.sessions(), view, Visitor("admin-test", "10.2.2.2"), load_consultation().limits).reference
    at = run("admin")
    at.text_input(key="admin-password").set_value("guess")
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    assert any(e.value == "That password is not right." for e in at.error) and not at.tabs
    at.text_input(key="admin-password").set_value(PASSWORD)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    assert not at.exception and [t.label for t in at.tabs][:3] == ["Counts", "Agreement", "Comments and moderation"]
    total = next(m.value for m in at.metric if m.label.startswith("Views"))
    assert int(total.replace(",", "")) >= 1
    moderation = next(d.value for d in at.dataframe if "Hidden" in d.value.columns)  # the moderation grid
    assert moderation.loc[moderation["Reference"] == reference, "Comment"].tolist() == [XSS]  # plain text cells
    assert not any(XSS in m.value for m in at.markdown)


def test_an_admin_session_expires_after_half_an_hour(admin_password):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/admin.py")
    at.session_state[SIGNED_IN] = datetime.now(UTC) - timedelta(minutes=31)
    at.run()
    assert at.text_input(key="admin-password") is not None and not at.tabs


def test_a_malformed_password_hash_is_named_as_malformed_not_as_missing(monkeypatch):
    monkeypatch.setenv("LISDASH_ADMIN_PASSWORD_HASH", "scrypt$not-a-hash")
    at = run("admin")
    assert [e.value for e in at.error] == [
        "The admin password hash in LISDASH_ADMIN_PASSWORD_HASH is malformed: it should look like "
        "scrypt$32768$8$1$<salt>$<digest>. Make a new one with `python -m lisdash admin hash-password`."]
    assert not at.text_input and not at.exception


def _signed_in_admin() -> AppTest:
    at = run("admin")
    at.text_input(key="admin-password").set_value(PASSWORD)
    next(b for b in at.button if b.label == "Sign in").click()
    return at.run()


def test_the_admin_page_counts_contacts_after_a_deletion_and_links_each_event(admin_password, monkeypatch):
    monkeypatch.setenv("LISDASH_PUBLIC_URL", "https://views.example.org")
    sessions = db.sessions()
    event = events.new_event(sessions, "Sandwell")
    view = parse_response({"channel": "online", "respondent_type": "resident", "commitments": ["c1"],
                           "agreement": 3, "contact": {"name": "H", "email": "h@example.org", "consent": True}},
                          choices())
    record(sessions, view, Visitor("contact-test", "10.3.3.3"), load_consultation().limits)
    at = _signed_in_admin()
    held = [t.value for t in at.markdown if t.value.startswith("Contact details held")]
    before = int(held[0].split(": ")[1].rstrip(".").replace(",", ""))
    at.text_input(key=next(t.key for t in at.text_input if "with this email" in t.label)).set_value("h@example.org")
    next(b for b in at.button if b.label == "Delete").click()
    at.run()
    assert any(s.value == "Deleted 1 contact record(s)." for s in at.success)
    assert [t.value for t in at.markdown if t.value.startswith("Contact details held")] == [
        f"Contact details held: {before - 1:,}."]  # read after the deletion, not before it
    links = [b.proto.url for b in at.get("link_button")]  # every event's two buttons
    assert f"https://views.example.org/present?mode=present&event={event.code}" in links
    assert f"https://views.example.org/respond?event={event.code}" in links
    assert any(event.presenter_code in t.value for t in at.text)
    assert not any(m.value in ("event", "online") for m in at.markdown)


def test_the_phone_page_ends_without_a_link_box():
    at = run("respond", poll="poll-transport", slide="5")
    assert not at.get("iframe") and any("Office for National Statistics" in c.value for c in at.caption)
