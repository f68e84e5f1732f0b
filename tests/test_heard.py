"""What we heard, end to end on SQLite and PostgreSQL: phones give views at an event, an analyst runs the theme
model and approves and renames a theme on the admin page, the model runs again, and the report renders with the
database's counts, no suppressed group and no comment quoted without permission."""

from __future__ import annotations

import io
import itertools

import docx
import pandas as pd
import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from lisdash.consult import auth, db, events, exporting, inbox, reporting, themestore
from lisdash.consult.responses import Visitor, parse_response, record
from lisdash.consult.schema import Response, Theme, ThemeChange, ThemeTag
from lisdash.content.analysis import load_analysis
from lisdash.content.form import load_consultation
from lisdash.content.story import load_story
from tests.test_pages import APP
from tests.unit.test_heard import FIXTURE

PASSWORD = "an analyst's passphrase"
RULES = load_analysis()
CAMPAIGN = "Stop the Brierley Hill tram extension and spend the money on the A461 road instead please"


@pytest.fixture(scope="module")
def evidence(store, content):
    from lisdash.evidence import evaluate

    return evaluate(store, content)


@pytest.fixture()
def room(db_url, monkeypatch):
    """The app and the CLI pointed at a fresh database, with an admin password."""
    from lisdash.webapp.consultation import _database

    monkeypatch.setenv("LISDASH_DB_URL", db_url)
    monkeypatch.setenv("LISDASH_ADMIN_PASSWORD_HASH", auth.hash_password(PASSWORD))
    monkeypatch.setattr(db, "_engines", {})
    _database.clear()
    yield db.sessions(db_url)
    _database.clear()


def give_views(sessions, event_code: str) -> dict[str, dict]:
    """About 90 phones at an event: comments on two commitments (every other one may be quoted), a campaign of 8
    near-identical comments (sent online from different networks), 3 views from the voluntary sector (a group
    too small to publish), a hidden and a flagged quotable comment, and one phone answering a poll twice.
    Returns what each reference was given as."""
    from lisdash.webapp.consultation import choices

    fixture = pd.read_csv(FIXTURE, comment="#")
    picked = pd.concat([fixture[fixture["topic"] == "transport"].head(40).assign(commitment="c4"),
                        fixture[fixture["topic"] == "skills"].head(40).assign(commitment="c1")])
    types = itertools.cycle(["business", "public", "resident"])
    limits, form_choices, given = load_consultation().limits, choices(), {}

    def give(i: int, network: str = "10.7.7.7", **answer) -> str:
        data = {"event": event_code, "channel": "event", "agreement": 1 + i % 5} | answer
        view = parse_response(data, form_choices)
        reference = record(sessions, view, Visitor(f"phone-{i}", network, f"device-{i}"), limits).reference
        given[reference] = data
        return reference

    for i, row in enumerate(picked.itertuples()):
        kind = next(types)
        give(i, respondent_type=kind, commitments=[row.commitment], comment=f"{row.comment} (phone {i})",
             quote_ok=i % 2 == 0, sector=["C", "G", "M"][i % 3] if kind == "business" else None,
             place=["E08000025", "E08000026", "E08000027"][i % 3])
    for i in range(100, 108):
        give(i, f"10.8.0.{i}", respondent_type="resident", commitments=["c4"], comment=CAMPAIGN, quote_ok=False)
    for i in range(200, 203):
        give(i, respondent_type="voluntary", commitments=["c1"], comment="")
    hidden = give(300, respondent_type="public", commitments=["c4"], quote_ok=True,
                  comment="Hidden by the moderators: electric buses and charging depots everywhere")
    flagged = give(301, respondent_type="public", commitments=["c4"], quote_ok=True,
                   comment="Flagged for review: battery factories and charging points for the region")
    inbox.moderate(sessions, hidden, hidden=True)
    inbox.moderate(sessions, flagged, flagged=True)
    for agreement in (2, 5):  # the same phone answers the poll twice: its latest answer counts
        give(400, respondent_type="business", commitments=["c4"], poll="poll-transport", agreement=agreement,
             sector="C")
    return given


def admin(at: AppTest) -> AppTest:
    at.run()
    at.switch_page("pages/admin.py")
    at.run()
    at.text_input(key="admin-password").set_value(PASSWORD)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.browser  # the report's charts and its PDF are drawn by Chromium
def test_views_to_themes_to_report(room, store, content, evidence, db_url):
    sessions = room
    event = events.new_event(sessions, "Wolverhampton, 9 December")
    given = give_views(sessions, event.code)

    at = admin(AppTest.from_file(APP, default_timeout=180))
    assert "What we heard" in [t.label for t in at.tabs]
    at.text_input(key="admin-analyst").set_value("A. Analyst")
    click(at, "Propose themes, or tag new comments")
    at.selectbox(key="heard-commitment").set_value("c4")
    at.run()
    theme_id = at.selectbox(key="heard-theme").value
    click(at, "Approve")
    next(t for t in at.text_input if t.label == "New name").set_value("Charging and batteries")
    click(at, "Rename")
    with sessions() as session:
        theme = session.get(Theme, theme_id)
        log = session.execute(select(ThemeChange.action, ThemeChange.changed_by).where(
            ThemeChange.theme_id == theme_id).order_by(ThemeChange.id)).all()
        themes_before = set(session.scalars(select(Theme.id).where(Theme.commitment == "c4", ~Theme.retired)))
    assert (theme.approved, theme.label) == (True, "Charging and batteries")
    assert [tuple(r) for r in log] == [("approve", "A. Analyst"), ("rename", "A. Analyst")]

    # A later view: the approved theme is kept, and only the new comment is tagged, against it.
    from lisdash.webapp.consultation import choices

    late = parse_response({"event": event.code, "channel": "event", "respondent_type": "business", "agreement": 4,
                           "commitments": ["c4"], "comment": "More charging points for electric vehicles, please"},
                          choices())
    late_ref = record(sessions, late, Visitor("late", "10.7.7.8", "late"), load_consultation().limits).reference
    with sessions() as session:
        tags_before = session.scalar(select(func.count(ThemeTag.id)))
    assert themestore.run_model(sessions, RULES)["c4"] == 1
    with sessions() as session:
        assert set(session.scalars(select(Theme.id).where(Theme.commitment == "c4", ~Theme.retired))) == themes_before
        assert session.get(Theme, theme_id).label == "Charging and batteries"
        late_id = session.scalar(select(Response.id).where(Response.receipt == late_ref))
        late_tag = session.scalar(select(ThemeTag).where(ThemeTag.response_id == late_id))
        assert session.scalar(select(func.count(ThemeTag.id))) == tags_before + 1
    assert late_tag.source == "machine" and late_tag.theme_id in themes_before

    summary = reporting.summary(sessions, store, content, load_consultation(), load_story(content), RULES, evidence,
                                event.code)
    frame = inbox.responses_frame(sessions, event.code)
    replaced = set(frame["duplicate_of"].dropna())
    in_db = frame[~frame["hidden"] & ~frame["receipt"].isin(replaced)]
    assert (summary.received, summary.counted, summary.hidden, summary.replaced) == (
        len(frame), len(in_db), 1, len(replaced))
    assert summary.replaced == 1  # the phone that answered the poll twice
    for question in summary.commitments:
        about = in_db[in_db["commitments"].map(lambda ids, q=question: q.id in ids)]
        if len(about) >= RULES.min_group:
            assert question.overall["views"].iloc[0] == len(about)
            assert question.overall["agreeing"].iloc[0] == (about["agreement"] >= RULES.agree_from).sum()
    c4 = next(q for q in summary.commitments if q.id == "c4")
    assert any(t.label == "Charging and batteries" for t in c4.themes)
    assert c4.evidence, "the evidence verdicts behind the transport commitment sit beside its views"

    # Votes on the strategy's statements at the event (two camps of six, and an approved statement typed as markup).
    from lisdash.consult import voting
    from lisdash.content.statements import load_statements

    statements = load_statements({c.id for c in content.commitments})
    voting.add_seeds(sessions, statements)
    typed = voting.add_own(sessions, "strategy", "<img src=x onerror=alert(1)> first", Visitor("v0", "10.5.5.5", "v0"),
                           statements, event.code)
    voting.moderate(sessions, typed, True, "A. Analyst")
    shown = sorted(int(i) for i in voting.room_votes(sessions, "strategy", event.id)[1])
    for n in range(12):
        for j, statement_id in enumerate(shown):
            agree = (j < len(shown) // 2) == (n < 6)
            voting.vote(sessions, statement_id, 1 if agree else -1, Visitor(f"v{n}", "10.5.5.5", f"v{n}"), statements,
                        event.code)
    opinion = voting.report_sections(sessions, statements, RULES.opinion, event.code)
    assert [title for title, _, _ in opinion] == ["The strategy as a whole"]
    assert opinion[0][2]["Opinion groups"]["People"].tolist() == [6, 6]

    formats = ("html", "docx", "pdf") if db_url.startswith("sqlite") else ("html", "docx")
    texts = {}
    for fmt in formats:
        data = reporting.report(summary, fmt, opinion)
        text = data.decode("utf-8") if fmt == "html" else docx_text(data) if fmt == "docx" else _pdf_text(data)
        texts[fmt] = " ".join(text.split())  # a PDF breaks lines where its columns do
    unquotable = [d["comment"] for d in given.values() if d.get("comment") and not d.get("quote_ok")]
    unquotable += [given[r]["comment"] for r in given if "Hidden by" in given[r].get("comment", "")
                   or "Flagged for" in given[r].get("comment", "")]
    for fmt, text in texts.items():
        assert "The voluntary sector" not in text, fmt  # 3 views: suppressed, never shown
        assert not [c for c in unquotable if c in text], fmt
        assert "Charging and batteries" in text and "You said" in text and "The data say" in text
        assert "Where the rooms stand" in text and "Common ground" in text and "Most divisive" in text
    assert "&lt;img src=x onerror=alert(1)&gt; first" in texts["html"] and "<img src=x" not in texts["html"]
    quoted = [d["comment"] for d in given.values() if d.get("quote_ok") and d["comment"] in texts["html"]]
    assert quoted, "permitted comments are quoted"
    assert "&lt;" not in CAMPAIGN and CAMPAIGN not in texts["html"]  # a campaign without permission is not quoted

    # The export shows the grouping: every view of the campaign names the campaign's first view; nothing deleted.
    exported = pd.read_csv(io.BytesIO(exporting.export_views(frame, "csv", RULES.campaign)), encoding="utf-8-sig",
                           keep_default_na=False)
    assert len(exported) == len(frame)
    campaign = exported.loc[exported["Comment"] == CAMPAIGN, "Campaign (its first view)"]
    assert len(campaign) == 8 and campaign.nunique() == 1 and campaign.iloc[0] in set(exported["Reference"])

    # The event's "What this room said" slide: top themes with permitted quotes only; a poll with one phone's
    # answer is not shown.
    number = [s.id for s in load_story(content).slides].index("room-said") + 1
    slide = AppTest.from_file(APP, default_timeout=120)
    slide.query_params.update({"mode": "present", "slide": str(number), "event": event.code})
    slide.run()
    assert not slide.exception, [e.value for e in slide.exception]
    assert any("once a poll has 5 answers" in h.value for h in slide.subheader)
    shown = [t.value for t in slide.text]
    quotes = [t.strip("“”").rstrip("…") for t in shown if t.startswith("“")]
    permitted = [d["comment"] for r, d in given.items() if d.get("quote_ok") and "Hidden by" not in d["comment"]
                 and "Flagged for" not in d["comment"]]
    assert quotes and all(any(c.startswith(q) for c in permitted) for q in quotes)
    labels = set(themestore.themes(sessions)["label"])
    assert [t for t in shown if ": " in t and t.split(": ")[0] in labels]  # 'label: N comments'


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def give_two_topics(sessions) -> None:
    """60 online views on commitment c4 whose comments come from two of the fixture's topics."""
    from lisdash.webapp.consultation import choices

    fixture = pd.read_csv(FIXTURE, comment="#")
    limits = load_consultation().limits
    for i, comment in enumerate(fixture.loc[fixture["topic"].isin(["transport", "health"]), "comment"].head(60)):
        view = parse_response({"channel": "online", "respondent_type": "resident", "commitments": ["c4"],
                               "agreement": 4, "comment": f"{comment} ({i})"}, choices())
        record(sessions, view, Visitor(f"s{i}", f"10.9.0.{i}", f"d{i}"), limits)


def test_analysts_merge_split_and_move_themes_and_every_change_says_who_and_when(sessions):
    from lisdash.heard.summary import tag_agreement

    give_two_topics(sessions)
    themestore.run_model(sessions, RULES)
    first, second, *_ = themestore.themes(sessions)["id"].tolist()
    tags = themestore.tags(sessions)
    in_first = tags.loc[tags["theme_id"] == first, "id"].tolist()
    in_second = tags.loc[tags["theme_id"] == second, "id"].tolist()

    themestore.merge(sessions, second, first, "B. Analyst")
    tags = themestore.tags(sessions)
    assert sorted(tags.loc[tags["theme_id"] == first, "id"]) == sorted(in_first + in_second)
    assert second not in themestore.themes(sessions)["id"].tolist()  # retired, not deleted

    split_off = in_second[:2]
    new = themestore.split(sessions, first, split_off, "Split off", "C. Analyst")
    themestore.move(sessions, in_first[0], new, "C. Analyst")
    tags = themestore.tags(sessions).set_index("id")
    assert (tags.loc[split_off + in_first[:1], "theme_id"] == new).all()
    assert (tags.loc[split_off + in_first[:1], "human"] == new).all()
    assert (tags.loc[split_off + in_first[:1], "machine"] != new).all()  # the model's tag is kept beside it
    log = themestore.changes(sessions)
    assert log[["action", "changed_by"]].values.tolist() == [["move", "C. Analyst"], ["split", "C. Analyst"],
                                                               ["merge", "B. Analyst"]]
    assert log["changed_at"].notna().all()
    with pytest.raises(themestore.ThemeRefused):
        themestore.rename(sessions, first, "   ", "C. Analyst")
    with pytest.raises(themestore.ThemeRefused):
        themestore.merge(sessions, second, first, "C. Analyst")  # already merged away
    agreement = tag_agreement(themestore.tags(sessions))
    assert agreement.comments == 3 and agreement.matching == 0.0


def test_machine_and_analyst_agreement_by_hand():
    from lisdash.heard.summary import tag_agreement

    # Observed agreement 3/4; chance (0.5 x 0.25 + 0.5 x 0.75) = 0.5; kappa (0.75 - 0.5) / (1 - 0.5) = 0.5.
    tags = pd.DataFrame({"machine": [1, 1, 2, 2, 1], "human": [1, 2, 2, 2, None]}).astype("Int64")
    result = tag_agreement(tags)
    assert (result.comments, result.matching, result.kappa) == (4, 0.75, pytest.approx(0.5))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the same changes on both databases: above
def test_the_admin_tab_merges_splits_and_moves_in_the_analyst_s_name(room):
    sessions = room
    give_two_topics(sessions)
    at = admin(AppTest.from_file(APP, default_timeout=180))
    click(at, "Propose themes, or tag new comments")
    at.selectbox(key="heard-commitment").set_value("c4")
    at.run()
    first = at.selectbox(key="heard-theme").value
    click(at, "Approve")
    assert any("Give your name or initials first" in e.value for e in at.error)  # no name, no change
    at.text_input(key="admin-analyst").set_value("D. Analyst")
    ids = themestore.themes(sessions)["id"].tolist()
    other = next(i for i in ids if i != first)
    next(s for s in at.selectbox if s.label == "Merge into").set_value(other)
    click(at, "Merge")  # the chosen theme into the other: the chosen one retires, its tags move
    assert first not in themestore.themes(sessions)["id"].tolist()
    at.selectbox(key="heard-theme").set_value(other)
    at.run()
    references = next(m for m in at.multiselect if m.label.startswith("Split these comments")).options
    next(m for m in at.multiselect if m.label.startswith("Split these comments")).set_value(references[:2])
    next(t for t in at.text_input if t.label == "Name of the new theme").set_value("Hospitals and trials")
    click(at, "Split")
    new = themestore.themes(sessions).set_index("label").loc["Hospitals and trials", "id"]
    next(s for s in at.selectbox if s.label == "Move the comment with reference").set_value(references[2])
    next(s for s in at.selectbox if s.label == "to theme").set_value(int(new))
    click(at, "Move")
    log = themestore.changes(sessions)
    assert log[["action", "changed_by"]].values.tolist() == [["move", "D. Analyst"], ["split", "D. Analyst"],
                                                               ["merge", "D. Analyst"]]
    tags = themestore.tags(sessions)
    assert (tags.loc[tags["human"] == new, "id"].count()) == 3
