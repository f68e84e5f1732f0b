"""The consultation under faults, in a real browser (every other host blocked), on SQLite and on PostgreSQL:
a database outage mid-form, on the statement card and on the projector, an over-long comment, moderation while
views arrive, a device's limit across reloads, and a failover to a fresh app process.

PostgreSQL is stopped for the app by cutting a forwarder between them (`lisdash_dev.faultproxy`: every
connection dropped, new ones refused); SQLite by another connection holding the file's write lock.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from lisdash.consult import auth, db, events
from lisdash.consult.responses import Visitor, parse_response, record
from lisdash.consult.schema import Response, Statement, Vote
from lisdash.content.form import load_consultation
from lisdash_dev.browser import ARTIFACTS, free_port, offline_page, serve
from lisdash_dev.faultproxy import FaultProxy
from tests.conftest import NO_PG, PG_URL, fresh_postgres

pytestmark = pytest.mark.browser
KEPT = "Views cannot be recorded right now"
RAW_ERROR = '[data-testid="stException"], :text("Something went wrong"), :text("This app has encountered an error")'
PASSWORD = "a projector-proof phrase"


@dataclass
class Stand:
    """An app server on a database that a test can take away and give back."""

    base: str
    sessions: object
    cut: object
    restore: object
    kind: str
    env: dict


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stand(request, store, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("faults") / "responses.sqlite"
        url = app_url = f"sqlite:///{path}"
        sessions = db.sessions(url)
        holder: list[sqlite3.Connection] = []

        def cut():  # another connection takes the file's write lock and keeps it
            lock = sqlite3.connect(path, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")
            holder.append(lock)

        def restore():
            while holder:
                lock = holder.pop()
                lock.execute("ROLLBACK")
                lock.close()
        stop = restore
    else:
        if not PG_URL:
            if os.environ.get("LISDASH_REQUIRE_PG"):
                pytest.fail(NO_PG)
            pytest.skip(NO_PG)
        url = fresh_postgres(PG_URL)
        sessions = db.sessions(url)
        target = make_url(url)
        proxy = FaultProxy((target.host, target.port or 5432))
        app_url = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        cut, restore, stop = proxy.cut, proxy.restore, proxy.close
    env = {"LISDASH_DB_URL": app_url, "LISDASH_ADMIN_PASSWORD_HASH": auth.hash_password(PASSWORD)}
    with serve(env=env) as (base, _):
        yield Stand(base, sessions, cut, restore, request.param, env)
    stop()


def phone(browser, base: str, path: str, width: int = 390, height: int = 844):
    blocked: list[str] = []
    page = offline_page(browser, base, blocked, width, height)
    page.goto(base + path)
    page.get_by_role("button", name="Send my view").wait_for(timeout=60_000)
    return page, blocked


def fill(page, agreement: str, who: str, comment: str) -> None:
    radios = page.locator('[data-testid="stRadio"]')
    radios.nth(0).get_by_text(agreement, exact=True).click()
    radios.nth(1).get_by_text(who, exact=True).click()
    page.get_by_label("Comment (optional)").fill(comment)


def thanked(page, timeout: float = 45_000) -> str:
    thanks = page.get_by_text("Thank you: your view is recorded.")
    thanks.wait_for(timeout=timeout)
    return thanks.inner_text().rsplit("Reference ", 1)[1].rstrip(".")


def stored(sessions, reference: str) -> Response:
    with sessions() as session:
        return session.scalar(select(Response).where(Response.receipt == reference))


def views_with(sessions, comment: str) -> int:
    with sessions() as session:
        return session.scalar(select(func.count(Response.id)).where(Response.comment == comment))


def test_a_phone_keeps_its_view_through_an_outage_and_sends_it_by_itself_when_the_database_is_back(stand, browser):
    event = events.new_event(stand.sessions, "Outage drill")
    at_event, blocked = phone(browser, stand.base, f"/respond?event={event.code}&poll=poll-transport&slide=5")
    plain, _ = phone(browser, stand.base, "/respond?poll=poll-transport&slide=5")
    words = {at_event: f"Kept through the outage ({stand.kind}, event link)",
             plain: f"Kept through the outage ({stand.kind}, plain link)"}
    fill(at_event, "Agree", "A business", words[at_event])
    fill(plain, "Disagree", "A resident", words[plain])
    stand.cut()
    try:
        for page in (at_event, plain):
            page.get_by_role("button", name="Send my view").click()
            page.get_by_text(KEPT).wait_for(timeout=30_000)
            assert page.get_by_label("Comment (optional)").input_value() == words[page]  # nothing typed is lost
            assert page.locator('[data-testid="stRadio"]').nth(0).locator("input:checked").count() == 1
            assert page.locator(RAW_ERROR).count() == 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        at_event.screenshot(path=str(ARTIFACTS / f"phone-outage-{stand.kind}.png"), full_page=True)
        newcomer, _ = phone(browser, stand.base, f"/respond?event={event.code}&poll=poll-transport&slide=5")
        assert newcomer.locator(RAW_ERROR).count() == 0 and event.code in newcomer.inner_text("body")
        newcomer.context.close()
        assert views_with(stand.sessions, words[at_event]) == 0
    finally:
        stand.restore()
    references = {page: thanked(page) for page in (at_event, plain)}  # sent by themselves: no reload, no click
    event_view, plain_view = stored(stand.sessions, references[at_event]), stored(stand.sessions, references[plain])
    assert (event_view.comment, event_view.event_id, event_view.channel) == (words[at_event], event.id, "event")
    assert (plain_view.comment, plain_view.event_id, plain_view.channel) == (words[plain], None, "online")
    assert [views_with(stand.sessions, w) for w in words.values()] == [1, 1]  # each stored once
    assert blocked == []
    for page in (at_event, plain):
        page.context.close()


def test_a_phone_keeps_its_vote_and_its_statement_through_an_outage_and_sends_them_by_itself(stand, browser):
    event = events.new_event(stand.sessions, "Statements outage drill")
    blocked: list[str] = []
    page = offline_page(browser, stand.base, blocked, 390, 844)
    page.goto(f"{stand.base}/respond?statements=strategy&event={event.code}")
    agree = page.get_by_role("button", name="Agree", exact=True)
    agree.wait_for(timeout=60_000)
    box = page.get_by_label("Add your own statement (others see it once the team has read it)")
    typed = f"Kept through the outage on the statement card ({stand.kind})"
    box.fill(typed)
    stand.cut()
    try:
        agree.click()
        page.get_by_text("Your vote (agree) is kept on this phone").wait_for(timeout=30_000)
        page.get_by_role("button", name="Send my statement").click()
        page.get_by_text("Your statement is kept in the box").wait_for(timeout=30_000)
        assert box.input_value() == typed and page.locator(RAW_ERROR).count() == 0  # nothing typed is lost
        page.screenshot(path=str(ARTIFACTS / f"phone-statement-outage-{stand.kind}.png"), full_page=True)
        with stand.sessions() as session:
            assert session.scalar(select(func.count(Vote.id)).where(Vote.event_id == event.id)) == 0
    finally:
        stand.restore()
    page.get_by_text("Thank you: your vote is recorded.").wait_for(timeout=45_000)  # by itself: no reload, no tap
    page.get_by_text("Thank you: the team will read your statement").wait_for(timeout=45_000)
    assert box.input_value() == "" and page.locator(RAW_ERROR).count() == 0
    with stand.sessions() as session:
        assert session.scalar(select(func.count(Vote.id)).where(Vote.event_id == event.id)) == 1
        assert session.scalars(select(Statement.text).where(Statement.event_id == event.id)).all() == [typed]
    assert blocked == []
    page.context.close()


def test_the_projector_s_tally_pauses_in_our_words_and_recovers(stand, browser):
    event = events.new_event(stand.sessions, "Tally drill")
    blocked: list[str] = []
    page = offline_page(browser, stand.base, blocked, 1920, 1080)
    page.goto(f"{stand.base}/?mode=present&slide=5&event={event.code}")
    metric = page.locator('[data-testid="stMetricValue"]').first
    metric.wait_for(timeout=60_000)
    assert metric.inner_text() == "0"
    choices = _choices()
    _give(stand.sessions, choices, event.code, "before the outage")
    page.wait_for_function("() => document.querySelector('[data-testid=\"stMetricValue\"]').innerText === '1'",
                           timeout=10_000)
    stand.cut()
    try:
        if stand.kind == "postgresql":
            page.get_by_text("Live count paused: reconnecting. The count shown is the last one read.").wait_for(
                timeout=20_000)
            assert metric.inner_text() == "1"
            page.screenshot(path=str(ARTIFACTS / "projector-outage-postgresql.png"))
        else:  # a locked SQLite file still reads: the count stays live, and it is not said to be paused
            page.wait_for_timeout(4_000)
            assert page.get_by_text("Live count paused").count() == 0 and metric.inner_text() == "1"
        assert page.locator(RAW_ERROR).count() == 0
    finally:
        stand.restore()
    _give(stand.sessions, choices, event.code, "after the outage")
    page.wait_for_function("() => document.querySelector('[data-testid=\"stMetricValue\"]').innerText === '2'",
                           timeout=30_000)
    assert page.get_by_text("Live count paused").count() == 0 and page.locator(RAW_ERROR).count() == 0
    assert blocked == []
    page.context.close()


def _choices():
    from lisdash.webapp.consultation import choices

    return choices()


def _give(sessions, choices, event_code: str | None, comment: str, device: str | None = None, who: str = "seed"):
    view = parse_response({"channel": "event" if event_code else "online", "event": event_code,
                           "respondent_type": "business", "poll": "poll-transport", "commitments": ["c4"],
                           "agreement": 4, "comment": comment}, choices)
    return record(sessions, view, Visitor(who, "10.9.9.9", device), load_consultation().limits)


def test_a_2001_character_paste_is_kept_counted_in_red_and_refused_until_shortened(stand, browser):
    page, blocked = phone(browser, stand.base, "/respond?poll=poll-transport&slide=5")
    text = ("The West Midlands needs more charging points. " * 60)[:2001]
    fill(page, "Agree", "A business", text)
    box = page.get_by_label("Comment (optional)")
    assert len(box.input_value()) == 2001  # the box takes all of it
    count = page.locator(".lisdash-count")
    count.wait_for(timeout=10_000)
    assert count.inner_text() == "2,001 / 2,000 characters: 1 over the limit"
    # red once the form's style sheet is mounted (Streamlit may mount it a moment after the count's script runs)
    page.wait_for_function("() => getComputedStyle(document.querySelector('.lisdash-count')).color === "
                           "'rgb(165, 14, 14)'", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "phone-comment-too-long.png"), full_page=True)
    page.get_by_role("button", name="Send my view").click()
    page.get_by_text("Your comment is 2,001 characters long: please shorten it to 2,000 or fewer").wait_for(
        timeout=20_000)
    assert len(box.input_value()) == 2001 and views_with(stand.sessions, text) == 0  # kept; never stored cut
    box.fill(text[:2000])
    assert count.inner_text() == "2,000 / 2,000 characters"
    page.get_by_role("button", name="Send my view").click()
    assert stored(stand.sessions, thanked(page)).comment == text[:2000].strip()
    assert blocked == []
    page.context.close()


def test_a_device_s_limit_holds_after_a_reload_and_in_a_new_tab(stand, browser):
    page, blocked = phone(browser, stand.base, "/respond?poll=poll-transport&slide=5")
    page.wait_for_function("() => document.cookie.includes('lisdash_device=')", timeout=10_000)
    device = next(c["value"] for c in page.context.cookies() if c["name"] == "lisdash_device")
    choices = _choices()
    for n in range(30):  # this browser's 30 views in the last 10 minutes (the limit)
        _give(stand.sessions, choices, None, f"limit drill {n}", device=device, who=f"earlier-tab-{n}")
    page.reload()
    page.get_by_role("button", name="Send my view").wait_for(timeout=60_000)
    fill(page, "Agree", "A business", "the 31st, after a reload")
    page.get_by_role("button", name="Send my view").click()
    page.get_by_text("Too many views from this device in 10 minutes.").wait_for(timeout=20_000)
    tab = page.context.new_page()
    tab.goto(f"{stand.base}/respond?poll=poll-transport&slide=5")
    tab.get_by_role("button", name="Send my view").wait_for(timeout=60_000)
    fill(tab, "Agree", "A business", "the 31st, in a new tab")
    tab.get_by_role("button", name="Send my view").click()
    tab.get_by_text("Too many views from this device in 10 minutes.").wait_for(timeout=20_000)
    other, _ = phone(browser, stand.base, "/respond?poll=poll-transport&slide=5")  # another phone, same network
    fill(other, "Agree", "A business", "another phone in the room")
    other.get_by_role("button", name="Send my view").click()
    thanked(other)
    assert views_with(stand.sessions, "the 31st, after a reload") == 0 and blocked == []
    page.context.close()
    other.context.close()


def test_the_honeypot_is_never_drawn_and_a_filled_one_refuses_the_send(stand, browser):
    blocked: list[str] = []
    page = offline_page(browser, stand.base, blocked, 1440, 900)  # a screen where the whole form is in view
    page.add_init_script("""window.honeypotFrames = 0; window.honeypotDrawn = 0;
      const look = () => { const box = document.querySelector('input[name="website"]');
        if (box) { window.honeypotFrames++; const r = box.getBoundingClientRect();
          if (r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight) window.honeypotDrawn++; }
        requestAnimationFrame(look); };
      requestAnimationFrame(look);""")
    page.goto(f"{stand.base}/respond?poll=poll-transport&slide=5")
    page.get_by_role("button", name="Send my view").wait_for(timeout=60_000)
    page.wait_for_timeout(1_000)
    assert page.evaluate("window.honeypotFrames") > 0  # there for robots, from the start
    assert page.evaluate("window.honeypotDrawn") == 0  # and never on screen for people, in any frame
    page.locator('input[name="website"]').fill("http://spam.example")  # a robot fills every field
    fill(page, "Agree", "A business", "sent by a robot")
    page.wait_for_timeout(1_000)
    page.get_by_role("button", name="Send my view").click()
    page.get_by_text("This form could not be sent.").wait_for(timeout=20_000)
    assert views_with(stand.sessions, "sent by a robot") == 0 and blocked == []
    page.context.close()


def test_moderation_ticks_are_saved_by_reference_while_views_arrive(stand, browser):
    choices = _choices()
    seeded = [_give(stand.sessions, choices, None, f"moderation drill {n}", who=f"mod-{n}").reference
              for n in range(3)]
    target = seeded[1]
    blocked: list[str] = []
    page = offline_page(browser, stand.base, blocked, 1440, 900)
    page.goto(f"{stand.base}/admin")
    page.get_by_label("Admin password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("tab", name="Comments and moderation").click()
    grid = page.locator('[class*="st-key-moderation-"] [data-testid="stDataFrame"]')  # the moderation grid
    grid.wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)
    find_row = ("(ref) => [...document.querySelectorAll('[data-testid^=\"glide-cell-0-\"]')]"
                ".findIndex(c => c.textContent === ref)")
    page.wait_for_function(f"(ref) => ({find_row})(ref) >= 0", arg=target, timeout=30_000)
    row = page.evaluate(find_row, target)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + 35 + 35 * row + 17)  # the row's Reference cell
    page.keyboard.press("ArrowRight")  # its Hidden tick
    page.keyboard.press(" ")
    page.wait_for_function("(row) => document.querySelector(`[data-testid=\"glide-cell-1-${row}\"]`)"
                           ".textContent === 'true'", arg=row, timeout=10_000)
    arrived = [_give(stand.sessions, choices, None, f"arrived meanwhile {n}", who=f"late-{n}").reference
               for n in range(2)]  # two phones send views before the team presses Save
    page.wait_for_timeout(1_500)
    page.get_by_role("button", name="Save moderation").click()
    page.get_by_text("Saved 1 change(s).").wait_for(timeout=20_000)
    with stand.sessions() as session:
        hidden = dict(session.execute(select(Response.receipt, Response.hidden)
                                      .where(Response.receipt.in_(seeded + arrived))).all())
    assert hidden == {ref: ref == target for ref in seeded + arrived}
    assert blocked == []
    page.context.close()


def test_the_first_send_after_a_failover_records_the_view(stand, browser, tmp_path):
    """The phone's app process is killed (kill -9); another process takes its address, as behind a proxy; the
    phone reconnects by itself, and its first Send records the view."""
    port = free_port()
    with serve(env=stand.env, port=port) as (base, pid):
        page, blocked = phone(browser, base, "/respond?poll=poll-transport&slide=5")
        words = f"the first send after a failover ({stand.kind})"
        fill(page, "Strongly agree", "A public body", words)
        os.kill(pid, signal.SIGKILL)
        with serve(env=stand.env, port=port) as _:
            page.wait_for_function("() => document.querySelector('[data-testid=\"stApp\"]')"
                                   ".getAttribute('data-test-connection-state') === 'CONNECTED'", timeout=60_000)
            page.wait_for_timeout(1_000)
            assert page.get_by_label("Comment (optional)").input_value() == words
            page.get_by_role("button", name="Send my view").click()  # once
            view = stored(stand.sessions, thanked(page, timeout=30_000))
            assert view.comment == words and views_with(stand.sessions, words) == 1
            assert blocked == []
            page.context.close()


def test_sigterm_mid_send_finishes_recording_the_view_before_the_process_exits(browser, tmp_path):
    """The database stalls while a view is being recorded; the app process is told to stop (SIGTERM, as a
    rolling restart does). It waits for the view, which is stored once the database answers, and then exits."""
    if not PG_URL:
        if os.environ.get("LISDASH_REQUIRE_PG"):
            pytest.fail(NO_PG)
        pytest.skip(NO_PG)
    url = fresh_postgres(PG_URL)
    target = make_url(url)
    proxy = FaultProxy((target.host, target.port or 5432))
    app_url = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    sessions = db.sessions(url)
    log = tmp_path / "app.log"
    with serve(env={"LISDASH_DB_URL": app_url}, log=log) as (base, pid):
        page, blocked = phone(browser, base, "/respond?poll=poll-transport&slide=5")
        words = "sent as the process was told to stop"
        fill(page, "Agree", "A business", words)
        proxy.hold()
        page.get_by_role("button", name="Send my view").click()
        page.wait_for_timeout(2_000)  # the view's transaction is waiting on the database
        os.kill(pid, signal.SIGTERM)
        page.wait_for_timeout(3_000)
        assert os.waitpid(pid, os.WNOHANG) == (0, 0), "the process left without the view it was recording"
        proxy.release()
        for _ in range(60):
            if os.waitpid(pid, os.WNOHANG) != (0, 0):
                break
            page.wait_for_timeout(500)
        else:
            pytest.fail("the process did not stop once the view was recorded")
        assert views_with(sessions, words) == 1
        assert "waiting for 1 view(s) being recorded" in log.read_text()
        assert blocked == []
        page.context.close()
    proxy.close()
