"""The consultation in a real browser, every other host blocked: a phone answers, the projector counts, the team reads.

One fresh server (its own empty responses file) serves the module, so the first test's deep link
is the server's very first visit.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from sqlalchemy import select

from lisdash.consult import auth, db, events
from lisdash.consult.responses import Visitor, parse_response, record
from lisdash.consult.schema import Response, Statement
from lisdash.content.form import load_consultation
from lisdash_dev.browser import ARTIFACTS, offline_page, serve
from tests.unit.test_heard import FIXTURE

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=alert(1)>"
PASSWORD = "a projector-proof phrase"
FORMULA = '=HYPERLINK("http://evil.example","click me")'
ANSWER = {"channel": "event", "respondent_type": "business", "poll": "poll-transport", "commitments": ["c4"],
          "cluster": "automotive"}


@pytest.fixture(scope="module")
def room(store, tmp_path_factory):
    """The server, its database (a fresh SQLite file) and an event."""
    url = f"sqlite:///{tmp_path_factory.mktemp('room') / 'responses.sqlite'}"
    sessions = db.sessions(url)
    event = events.new_event(sessions, "Birmingham, 3 December")
    env = {"LISDASH_DB_URL": url, "LISDASH_ADMIN_PASSWORD_HASH": auth.hash_password(PASSWORD)}
    with serve(env=env) as (base, _):
        yield base, sessions, event


def watched(browser, base, width, height):
    """An offline page that records blocked hosts and any JavaScript dialog (an alert would mean injected HTML)."""
    blocked: list[str] = []
    dialogs: list[str] = []
    page = offline_page(browser, base, blocked, width, height)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return page, blocked, dialogs


def store_view(sessions, event, agreement: int, comment: str = "", who: str = "seed") -> str:
    from lisdash.webapp.consultation import choices

    view = parse_response(ANSWER | {"event": event.code, "agreement": agreement, "comment": comment}, choices())
    return record(sessions, view, Visitor(who, "10.9.9.9"), load_consultation().limits).reference


def test_a_phone_opens_the_qr_link_first_and_sends_a_view(room, browser):
    base, sessions, event = room
    page, blocked, dialogs = watched(browser, base, 390, 844)
    page.goto(f"{base}/respond?poll=poll-transport&slide=5&event={event.code}")  # the server's first visit
    page.get_by_text("How far do you agree: the West Midlands can become").wait_for(timeout=60_000)
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert nav.count() == 0 or "respond" not in nav.inner_text()  # not the legacy sidebar of file names
    assert page.title().startswith("lisdash")  # app.py's page config: the run went through st.navigation
    radios = page.locator('[data-testid="stRadio"]')
    radios.nth(0).get_by_text("Agree", exact=True).click()
    radios.nth(1).get_by_text("A business", exact=True).click()
    page.get_by_label("Comment (optional)").fill(XSS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-respond.png"), full_page=True)
    page.get_by_role("button", name="Send my view").click()
    thanks = page.get_by_text("Thank you: your view is recorded.")
    thanks.wait_for(timeout=30_000)
    reference = thanks.inner_text().rsplit("Reference ", 1)[1].rstrip(".")
    page.screenshot(path=str(ARTIFACTS / "phone-thank-you.png"))
    with sessions() as session:
        row = session.scalar(select(Response).where(Response.receipt == reference))
    assert (row.agreement, row.respondent_type, row.comment, row.poll, row.slide, row.event_id) == (
        4, "business", XSS, "poll-transport", 5, event.id)
    box = page.get_by_role("button", name="Give another view").bounding_box()
    assert box["width"] <= 390
    assert blocked == [] and dialogs == []
    page.context.close()


def test_a_draft_in_the_cluster_map_s_share_panel_survives_closing_it_and_is_sent(room, browser):
    base, sessions, _ = room
    page, blocked, dialogs = watched(browser, base, 1440, 900)
    page.goto(f"{base}/cluster?cluster=automotive")
    panel = page.get_by_text("Share your view on this")
    panel.wait_for(timeout=60_000)
    assert page.get_by_label("Comment (optional)").count() == 0  # not built until opened
    panel.click()
    comment = page.get_by_label("Comment (optional)")
    comment.fill("Typed, hidden and shown again")
    panel.click()  # closed: the run it starts keeps the form
    page.wait_for_timeout(1_000)
    panel.click()
    assert comment.input_value() == "Typed, hidden and shown again"
    radios = page.locator('[data-testid="stForm"] [data-testid="stRadio"]')
    radios.nth(0).get_by_text("Agree", exact=True).click()
    radios.nth(1).get_by_text("A business", exact=True).click()
    page.get_by_role("button", name="Send my view").click()
    thanks = page.get_by_text("Thank you: your view is recorded.")
    thanks.wait_for(timeout=30_000)
    reference = thanks.inner_text().rsplit("Reference ", 1)[1].rstrip(".")
    with sessions() as session:
        row = session.scalar(select(Response).where(Response.receipt == reference))
    assert (row.comment, row.context_cluster, row.page) == ("Typed, hidden and shown again", "automotive", "cluster")
    assert blocked == [] and dialogs == []
    page.context.close()


def test_the_poll_slide_shows_a_new_view_within_its_refresh(room, browser):
    base, sessions, event = room
    page, blocked, dialogs = watched(browser, base, 1920, 1080)
    page.goto(f"{base}/?mode=present&slide=5&event={event.code}")
    metric = page.locator('[data-testid="stMetricValue"]').first
    metric.wait_for(timeout=60_000)
    before = int(metric.inner_text().replace(",", ""))
    store_view(sessions, event, 5, XSS, who="projector-check")
    page.wait_for_function(  # the tally re-reads the database every second
        "n => Number(document.querySelector('[data-testid=\"stMetricValue\"]').innerText.replace(/,/g, '')) > n",
        arg=before, timeout=6_000)
    assert int(metric.inner_text().replace(",", "")) == before + 1
    page.get_by_text(XSS, exact=True).first.wait_for(timeout=6_000)  # the comment, as text
    assert page.locator('img[src="x"]').count() == 0 and dialogs == []
    qr_caption = page.get_by_text("Have your say: ").inner_text()
    assert "/respond?" in qr_caption and "localhost" not in qr_caption and "127.0.0.1" not in qr_caption
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "slide-05-poll-transport.png"))
    assert blocked == []
    page.context.close()


def test_the_room_slide_shows_agreement_themes_and_permitted_quotes_without_scrolling(room, browser, content):
    from lisdash.consult import themestore
    from lisdash.content.analysis import load_analysis
    from lisdash.content.story import load_story
    from lisdash.webapp.consultation import choices

    base, sessions, event = room
    fixture = pd.read_csv(FIXTURE, comment="#")
    limits = load_consultation().limits
    for i, row in enumerate(fixture[fixture["topic"].isin(["transport", "exporting"])].head(50).itertuples()):
        view = parse_response({"event": event.code, "channel": "event", "respondent_type": "business",
                               "commitments": ["c4"], "agreement": 1 + i % 5, "comment": f"{row.comment} ({i})",
                               "quote_ok": i % 3 == 0, "poll": "poll-transport" if i < 30 else None}, choices())
        record(sessions, view, Visitor(f"room-{i}", "10.6.6.6", f"room-{i}"), limits)
    themestore.run_model(sessions, load_analysis())
    number = [s.id for s in load_story(content).slides].index("room-said") + 1
    for width, height in ((1920, 1080), (1280, 720)):
        page, blocked, dialogs = watched(browser, base, width, height)
        page.goto(f"{base}/?mode=present&slide={number}&event={event.code}")
        page.get_by_text("Top themes so far").wait_for(timeout=60_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1_500)
        fit = page.evaluate("""() => { const main = document.querySelector('[data-testid="stMain"]');
            return [main.scrollHeight, main.clientHeight, document.documentElement.scrollHeight, innerHeight]; }""")
        assert fit[0] <= fit[1] and fit[2] <= fit[3], fit  # a slide never scrolls
        assert page.get_by_text("“").count() >= 1 and blocked == [] and dialogs == []
        page.screenshot(path=str(ARTIFACTS / f"slide-room-said-{width}x{height}.png"))
        page.context.close()


def test_the_admin_page_refuses_a_wrong_password_and_exports_neutralised_csv(room, browser):
    base, sessions, event = room
    reference = store_view(sessions, event, 1, FORMULA, who="formula")
    store_view(sessions, event, 2, XSS, who="markup")  # its own, so the test also runs alone
    page, blocked, dialogs = watched(browser, base, 1440, 900)
    page.goto(f"{base}/admin")
    password = page.get_by_label("Admin password")
    password.wait_for(timeout=60_000)
    password.fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("That password is not right.").wait_for(timeout=20_000)
    password.fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("tab", name="Comments and moderation").click()
    grid = page.locator('[class*="st-key-moderation-"] [data-testid="stDataFrame"]')  # the moderation grid
    grid.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    assert page.locator('img[src="x"]').count() == 0 and dialogs == []
    page.screenshot(path=str(ARTIFACTS / "admin-comments.png"))
    page.get_by_role("tab", name="Export").click()
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    exported = {r["Reference"]: r for r in rows}
    assert exported[reference]["Comment"] == "'" + FORMULA and "Contact email" not in rows[0]
    assert any(r["Comment"] == XSS for r in rows)  # kept as typed
    page.get_by_role("tab", name="Agreement").click()
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "admin-agreement.png"))
    assert blocked == []
    page.context.close()


def test_phones_vote_on_statements_and_the_projector_maps_where_the_room_stands(room, browser, content):
    """Five phones vote (six earlier voters already have); the slide shows the groups and the common ground
    within its refresh; a phone's own statement reaches the other phones only once approved, shown as text."""
    from lisdash.consult.opinionmap import AGREE, DISAGREE
    from lisdash.consult.voting import add_seeds, moderate, pending, vote
    from lisdash.content.story import load_story
    from lisdash.webapp.statementcard import statements

    base, sessions, event = room
    rules = statements()
    add_seeds(sessions, rules)
    seeds = rules.conversation("strategy").statements
    first_half = [s.text for s in seeds[:3]]  # the camps split on the first five and agree on the last three
    shared = [s.text for s in seeds[5:]]
    with sessions() as session:
        ids = dict(session.execute(select(Statement.seed_id, Statement.id)).tuples().all())
    for n in range(6):  # earlier voters: two camps of three, the test's own fixture
        for i, statement in enumerate(rules.conversation("strategy").statements):
            agree = (i < 3) == (n % 2 == 0) or i >= 5
            vote(sessions, ids[statement.id], AGREE if agree else DISAGREE,
                 Visitor(f"earlier-{n}", "10.8.8.8", f"earlier-{n}"), rules, event.code)
    phones = []
    for n in range(5):
        page, blocked, dialogs = watched(browser, base, 390, 844)
        page.goto(f"{base}/respond?statements=strategy&event={event.code}")
        for _ in range(6):
            card = page.locator(".st-key-statement-card")
            card.wait_for(timeout=60_000)
            text = card.locator("h3").inner_text()
            agree = (text in first_half) == (n % 2 == 0) or text in shared
            page.get_by_role("button", name="Agree" if agree else "Disagree", exact=True).click()
            page.get_by_text("Thank you: your vote is recorded.").wait_for(timeout=30_000)
            page.wait_for_function("t => !document.querySelector('.st-key-statement-card h3') || "
                                   "document.querySelector('.st-key-statement-card h3').innerText !== t", arg=text)
        if n == 0:
            page.screenshot(path=str(ARTIFACTS / "phone-statement-390x844.png"))
        phones.append((page, blocked, dialogs))
    own, blocked, dialogs = phones[0]
    own.get_by_label("Add your own statement").fill(XSS + " should show as text")
    own.get_by_role("button", name="Send my statement").click()
    own.get_by_text("the team will read your statement").wait_for(timeout=30_000)
    number = [s.id for s in load_story(content).slides].index("room-stands") + 1
    for width, height in ((1920, 1080), (1280, 720)):
        screen, screen_blocked, screen_dialogs = watched(browser, base, width, height)
        screen.goto(f"{base}/?mode=present&slide={number}&event={event.code}")
        screen.get_by_text("Group A (").wait_for(timeout=60_000)
        for text in shared:  # the three statements both camps agree with, and each group's two of its own
            screen.get_by_text(f"• {text}").wait_for(timeout=10_000)
        text = screen.locator('[data-testid="stMain"]').inner_text()
        assert text.count("•") == 2 * 2 + 3, text  # each group's two statements, three in common
        screen.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        screen.wait_for_timeout(1_500)
        fit = screen.evaluate("""() => { const main = document.querySelector('[data-testid="stMain"]');
            return [main.scrollHeight, main.clientHeight, document.documentElement.scrollHeight, innerHeight]; }""")
        screen.screenshot(path=str(ARTIFACTS / f"slide-room-stands-{width}x{height}.png"))
        assert fit[0] <= fit[1] and fit[2] <= fit[3], fit  # a slide never scrolls
        smallest = screen.evaluate("""() => Math.min(...[...document.querySelectorAll('[data-testid="stMain"] *')]
            .filter(e => e.childNodes.length && [...e.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()))
            .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
        assert smallest >= 24, smallest
        screen.screenshot(path=str(ARTIFACTS / f"slide-room-stands-{width}x{height}.png"))
        assert screen_blocked == [] and screen_dialogs == []
        screen.context.close()
    other, other_blocked, other_dialogs = phones[1]
    done = other.get_by_text("You have voted on every statement so far")
    for _ in range(len(seeds)):  # the rest of the statements; the one waiting for approval is not among them
        if done.count():
            break
        other.get_by_role("button", name="Pass", exact=True).click()
        other.get_by_text("Thank you: your vote is recorded.").wait_for(timeout=30_000)
        other.wait_for_timeout(500)
    done.wait_for(timeout=30_000)
    assert other.get_by_text(XSS).count() == 0
    moderate(sessions, pending(sessions)[0][0], True, "the test")
    other.get_by_role("button", name="Look for new statements").click()
    other.get_by_text(XSS + " should show as text").wait_for(timeout=30_000)
    for page, page_blocked, page_dialogs in phones:
        assert page_blocked == [] and page_dialogs == []
        page.context.close()


def test_groups_that_do_not_fit_at_once_take_turns_on_the_slide_each_with_its_two_statements(room, browser, content):
    """Four planted camps (test fixture votes, at an event of their own): at 1280x720 their statements do not all
    fit at 24 px, so the slide shows the groups in turns; within two rounds every group is seen with both its
    defining statements, as the analysis finds them, and no turn scrolls."""
    from lisdash.consult.opinionmap import AGREE, DISAGREE
    from lisdash.consult.voting import add_seeds, room_stands, vote
    from lisdash.content.analysis import load_analysis
    from lisdash.content.story import load_story
    from lisdash.figures.opinion import group_name
    from lisdash.webapp.opinionslide import STATEMENT_CHARS, TURN_SECONDS
    from lisdash.webapp.roomslide import short
    from lisdash.webapp.statementcard import statements

    base, sessions, _ = room
    event = events.new_event(sessions, "Four camps")
    rules = statements()
    add_seeds(sessions, rules)
    with sessions() as session:
        ids = dict(session.execute(select(Statement.seed_id, Statement.id)).tuples().all())
    seeds = rules.conversation("strategy").statements
    for n in range(24):  # four camps of six, each agreeing with its own two statements only
        for i, statement in enumerate(seeds):
            vote(sessions, ids[statement.id], AGREE if i % 4 == n % 4 else DISAGREE,
                 Visitor(f"camp-{n}", "10.7.7.7", f"camp-{n}"), rules, event.code)
    stands = room_stands(sessions, "strategy", event.id, load_analysis().opinion)
    assert len(stands.found.groups) == 4
    expected = {f"{group_name(g.number)} ({g.size} people) agrees more with:":
                [f"• {short(stands.texts[d.statement], STATEMENT_CHARS)}" for d in g.defining]
                for g in stands.found.groups}
    assert all(len(lines) == 2 for lines in expected.values())
    number = [s.id for s in load_story(content).slides].index("room-stands") + 1
    screen, blocked, dialogs = watched(browser, base, 1280, 720)
    screen.goto(f"{base}/?mode=present&slide={number}&event={event.code}")
    groups = screen.locator(".st-key-room-stands-text-groups [data-testid='stText']")
    groups.first.wait_for(timeout=60_000)
    fits = """() => { const main = document.querySelector('[data-testid="stMain"]');
        return main.scrollHeight <= main.clientHeight; }"""
    screen.wait_for_function(fits, timeout=30_000)  # laid out for this screen (1920x1080 until it says its size)
    seen: dict[str, list[str]] = {}
    turn_lines = set()
    for _ in range(2 * 4 * TURN_SECONDS):  # two rounds of at most four turns, read every second
        for block in groups.all_inner_texts():
            head, *lines = block.split("\n")
            if lines:
                seen[head] = lines
            else:
                turn_lines.add(head)
        if not screen.evaluate(fits):  # no turn scrolls
            screen.screenshot(path=str(ARTIFACTS / "slide-room-stands-turn-overflow-1280x720.png"))
            pytest.fail(f"a turn scrolls: {groups.all_inner_texts()}")
        if seen == expected and len(turn_lines) > 1:
            break
        screen.wait_for_timeout(1_000)
    assert seen == expected, (seen, expected)
    assert {line.split(" of ")[1] for line in turn_lines} == {"4, in turn"} and len(turn_lines) > 1
    screen.screenshot(path=str(ARTIFACTS / "slide-room-stands-turns-1280x720.png"))
    assert blocked == [] and dialogs == []
    screen.context.close()
