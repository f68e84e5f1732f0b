"""The consultation's storage, on SQLite and on a real PostgreSQL: what respondents, presenters and the team rely on."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import sessionmaker

from lisdash.config import REPO
from lisdash.consult import auth, db, events, exporting, inbox
from lisdash.consult.responses import Choices, Refused, TooMany, Visitor, parse_response, record
from lisdash.consult.schema import Contact, Response
from lisdash.consult.tally import poll_tally
from lisdash.content.form import Limit, Limits

CHOICES = Choices(respondent_types=frozenset({"business", "resident"}), org_sizes=frozenset({"micro"}),
                  sectors=frozenset({"C"}), places=frozenset({"E08000025"}), commitments=frozenset({"c4", "c7"}),
                  clusters=frozenset({"automotive"}), polls=frozenset({"poll-transport"}),
                  areas=frozenset({"E08000025", "TLG3"}))
ROOMY = Limits(per_device=Limit(count=1000, minutes=10), per_client=Limit(count=1000, minutes=10),
               comment_chars=2000)
VIEW = {"channel": "online", "respondent_type": "business", "commitments": ["c4"], "agreement": 4}
XSS = "<img src=x onerror=alert(1)>"


def give(sessions, change=None, who="phone-1", where="10.0.0.5", limits=ROOMY, now=None, device=None):
    view = parse_response(VIEW | (change or {}), CHOICES)
    return record(sessions, view, Visitor(who, where, device), limits, now=now)


def test_a_view_is_stored_with_its_context_and_its_contact_details_apart(sessions, db_url):
    event = events.new_event(sessions, "Birmingham, 3 December")
    assert event.code.startswith("BIRM-") and len(event.code) == 7
    receipt = give(sessions, {"event": event.code, "channel": "event", "poll": "poll-transport", "cluster":
                              "automotive", "place": "E08000025", "comment": "  More buses  ",
                              "context": {"page": "present", "slide": 5, "cluster": "automotive", "year": 2021,
                                          "area_code": "TLG3"},
                              "contact": {"name": "Ann", "email": "Ann@Example.org", "consent": True}})
    assert len(receipt.reference) == 8 and receipt.duplicate_of is None
    # durable: a new engine (as another app process would open) sees the committed row
    other = db.make_engine(db_url)
    with other.connect() as connection:
        row = connection.execute(text("SELECT receipt, channel, poll, cluster, place, comment, page, slide, year, "
                                      "area_code, context_cluster, agreement FROM response")).one()
        contact = connection.execute(text("SELECT name, email, consent FROM contact")).one()
        columns = connection.execute(select(func.count()).select_from(Response)).scalar()
    other.dispose()
    assert tuple(row) == (receipt.reference, "event", "poll-transport", "automotive", "E08000025", "More buses",
                          "present", 5, 2021, "TLG3", "automotive", 4)
    assert tuple(contact) == ("Ann", "ann@example.org", True) and columns == 1
    assert "email" not in {c.name for c in Response.__table__.columns}  # contact details only in their own table
    frame = inbox.responses_frame(sessions, event.code)
    assert frame["event"].tolist() == [event.code] and "contact_email" not in frame.columns


def test_an_unknown_event_or_a_filled_honeypot_stores_nothing(sessions):
    with pytest.raises(Refused, match="event code is not known"):
        give(sessions, {"event": "ZZZZ-22"})
    with pytest.raises(Refused, match="could not be sent"):
        give(sessions, {"honeypot": "http://spam.example"})
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 0


def test_duplicates_are_flagged_not_blocked(sessions):
    first = give(sessions, {"comment": "Same words"})
    again = give(sessions, {"comment": "Same words"})  # the same phone, again
    neighbour = give(sessions, {"comment": "Same words"}, who="phone-2")  # same network, same comment
    other = give(sessions, {"agreement": 2}, who="phone-3")  # same network, different answer
    assert again.duplicate_of == first.id and neighbour.duplicate_of == first.id and other.duplicate_of is None
    frame = inbox.responses_frame(sessions)
    assert len(frame) == 4 and frame["duplicate_of"].tolist()[1:3] == [first.reference] * 2


def test_rate_limits_per_device_and_per_network(sessions):
    tight = Limits(per_device=Limit(count=2, minutes=10), per_client=Limit(count=3, minutes=10), comment_chars=2000)
    now = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    give(sessions, who="a", limits=tight, now=now)
    give(sessions, {"agreement": 5}, who="a", limits=tight, now=now)
    with pytest.raises(TooMany, match="this device"):
        give(sessions, {"agreement": 3}, who="a", limits=tight, now=now)
    give(sessions, who="b", limits=tight, now=now)
    with pytest.raises(TooMany, match="this network"):
        give(sessions, who="c", limits=tight, now=now)
    give(sessions, who="c", where="10.0.0.9", limits=tight, now=now)  # another network is not held back
    give(sessions, who="a", limits=tight, now=now + timedelta(minutes=11))  # and the window moves on
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 5


def test_the_live_tally_counts_per_point_leaves_out_hidden_views_and_flagged_comments(sessions):
    event = events.new_event(sessions, "Coventry")
    for i, (agreement, comment) in enumerate([(5, "Yes"), (5, XSS), (4, ""), (2, "Spam link"), (1, "Rude")]):
        give(sessions, {"poll": "poll-transport", "event": event.code, "channel": "event", "agreement": agreement,
                        "comment": comment}, who=f"p{i}")
    give(sessions, {"poll": "poll-transport", "agreement": 3}, who="online")  # online, not this event
    frame = inbox.responses_frame(sessions)
    spam, rude = frame.loc[frame["comment"] == "Spam link", "receipt"].item(), frame.loc[
        frame["comment"] == "Rude", "receipt"].item()
    assert inbox.moderate(sessions, spam, hidden=True) and inbox.moderate(sessions, rude, flagged=True)
    assert not inbox.moderate(sessions, "NOSUCHID", hidden=True)
    tally = poll_tally(sessions, "poll-transport", event.id, comments=5)
    assert tally.counts == (1, 0, 0, 1, 2) and (tally.views, tally.devices) == (4, 4)
    assert tally.comments == (XSS, "Yes")  # newest first; the flagged one counts but is not on screen
    assert poll_tally(sessions, "poll-transport").views == 5


def test_a_device_answering_a_poll_again_is_flagged_and_counted_once_with_its_latest_answer(sessions):
    poll = {"poll": "poll-transport"}
    first = give(sessions, poll | {"agreement": 1, "comment": "one"}, who="tab-1", device="device-A" * 3)
    # a reload and a new tab are new sessions of the same browser: its device cookie is the same
    second = give(sessions, poll | {"agreement": 2, "comment": "two"}, who="tab-2", device="device-A" * 3)
    third = give(sessions, poll | {"agreement": 5, "comment": "three"}, who="tab-3", device="device-A" * 3)
    other = give(sessions, poll | {"agreement": 4}, who="tab-4", device="device-B" * 3)
    unrelated = give(sessions, {"agreement": 3, "comment": "not a poll"}, who="tab-5", device="device-A" * 3)
    assert (first.duplicate_of, second.duplicate_of, third.duplicate_of) == (None, first.id, second.id)
    assert other.duplicate_of is None and unrelated.duplicate_of is None
    tally = poll_tally(sessions, "poll-transport")
    assert tally.counts == (0, 0, 0, 1, 1) and (tally.views, tally.devices) == (4, 2)
    assert tally.summary == "4 views from 2 devices"
    frame = inbox.responses_frame(sessions)  # nothing deleted; the repeats say which view they repeat
    assert len(frame) == 5 and frame["duplicate_of"].fillna("").tolist()[:3] == ["", first.reference, second.reference]


def test_a_device_s_limit_holds_across_reloads_and_new_tabs(sessions):
    tight = Limits(per_device=Limit(count=30, minutes=10), per_client=Limit(count=1500, minutes=10),
                   comment_chars=2000)
    now = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    for n in range(30):  # 30 views, each from a fresh tab (a new session) of the same browser
        give(sessions, {"agreement": 1 + n % 5, "comment": f"view {n}"}, who=f"tab-{n}", limits=tight, now=now,
             device="one-browser-cookie")
    with pytest.raises(TooMany, match="this device"):
        give(sessions, {"comment": "the 31st"}, who="tab-31", limits=tight, now=now, device="one-browser-cookie")
    give(sessions, {"comment": "another phone"}, who="tab-32", limits=tight, now=now, device="another-cookie-x")


def test_the_same_submission_sent_twice_is_stored_once_with_one_reference(sessions):
    change = {"comment": "sent, the connection dropped, sent again", "submission": "a" * 32}
    first = give(sessions, change, who="process-1")
    again = give(sessions, change, who="process-2")  # the phone, moved to another app process, sends again
    assert again == first
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 1


def test_a_comment_over_the_limit_is_refused_with_its_length_never_cut(sessions):
    with pytest.raises(Refused) as refused:
        give(sessions, {"comment": "x" * 2001})
    assert str(refused.value) == ("Your comment is 2,001 characters long: please shorten it to 2,000 or fewer "
                                  "(1 to cut). Everything you typed is kept.")
    with pytest.raises(Refused, match="how far you agree.*Your comment is 2,500 characters long"):
        give(sessions, {"comment": "y" * 2500, "agreement": None})
    assert give(sessions, {"comment": "z" * 2000}).reference  # exactly the limit is fine
    with sessions() as session:
        assert session.scalars(select(func.length(Response.comment))).all() == [2000]


def test_contact_details_are_deleted_on_request_and_after_the_retention_period(sessions):
    old, new = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)
    a = give(sessions, {"contact": {"name": "A", "email": "a@example.org", "consent": True}}, who="a", now=old)
    give(sessions, {"contact": {"name": "B", "email": "b@example.org", "consent": True}}, who="b", now=new)
    give(sessions, {"contact": {"name": "C", "email": "c@example.org", "consent": True}}, who="c", now=new)
    assert inbox.delete_contacts(sessions, email=" B@EXAMPLE.ORG ") == 1
    assert inbox.delete_contacts(sessions) == 0
    assert inbox.purge_contacts(sessions, timedelta(days=90), now=datetime(2026, 12, 1, tzinfo=UTC)) == 1
    assert inbox.contact_count(sessions) == 1
    frame = inbox.responses_frame(sessions, with_contacts=True)
    assert len(frame) == 3 and frame["contact_email"].fillna("").tolist() == ["", "", "c@example.org"]  # views stay
    assert frame.loc[frame["receipt"] == a.reference, "contact_name"].isna().all()


def test_the_export_neutralises_formulas_and_leaves_contacts_out_unless_asked(sessions):
    give(sessions, {"comment": '=HYPERLINK("http://x","click")',
                    "contact": {"name": "=cmd", "email": "d@example.org", "consent": True}})
    plain = exporting.export_bytes(inbox.responses_frame(sessions), "csv").decode("utf-8-sig")
    assert "d@example.org" not in plain and "'=HYPERLINK" in plain
    table = pd.read_csv(io.StringIO(plain), keep_default_na=False)
    assert table["Comment"].tolist() == ['\'=HYPERLINK("http://x","click")']
    full = exporting.export_bytes(inbox.responses_frame(sessions, with_contacts=True), "xlsx")
    sheet = pd.read_excel(io.BytesIO(full), keep_default_na=False)
    # XLSX: text cells shown exactly as typed (no apostrophe), which a spreadsheet never runs as formulas
    assert sheet["Contact email"].tolist() == ["d@example.org"] and sheet["Contact name"].tolist() == ["=cmd"]
    assert sheet["Comment"].tolist() == ['=HYPERLINK("http://x","click")']
    book = openpyxl.load_workbook(io.BytesIO(full)).active
    assert book.max_row == 2
    guarded = [c for c in book[2] if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(guarded) == 2 and all(c.data_type == "s" and c.quotePrefix for c in guarded)


def test_presenter_screens_are_shared_across_app_processes(sessions, db_url):
    event = events.new_event(sessions, "Wolverhampton")
    token = events.Presentations(sessions).open(event.id)
    other = db.make_engine(db_url)
    elsewhere = events.Presentations(sessionmaker(other, expire_on_commit=False))
    assert elsewhere.slide(token) == 1
    events.Presentations(sessions).move(token, 5)
    assert elsewhere.slide(token) == 5
    assert elsewhere.slide("A" * 24) is None and elsewhere.slide("<script>") is None and elsewhere.slide(None) is None
    other.dispose()


def test_sign_in_attempts_are_counted_per_account_and_address_and_can_be_unlocked(sessions):
    now = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    venue, office = auth.attempt_key("admin", "venue-net"), auth.attempt_key("admin", "office-net")
    assert [auth.admit(sessions, venue, now=now) for _ in range(5)] == [0] * 5  # five tries are checked
    assert auth.admit(sessions, venue, now=now) == 15 * 60  # the sixth waits out the 15 minutes
    assert auth.admit(sessions, office, now=now) == 0  # the team on another address is not locked out
    assert auth.admit(sessions, venue, now=now + timedelta(minutes=16)) == 0  # a new window
    auth.signed_in_ok(sessions, office)  # a right password clears its count
    assert [auth.admit(sessions, office, now=now) for _ in range(5)] == [0] * 5
    assert auth.unlock(sessions) == 2 and auth.admit(sessions, venue, now=now) == 0


def test_twenty_simultaneous_wrong_passwords_are_all_counted_and_at_most_five_checked(sessions):
    import threading

    stored = auth.hash_password("the right admin password")
    key = auth.attempt_key("admin", "one-network")
    start, checked, signed_in = threading.Barrier(20), [], []

    def attempt(n: int) -> None:
        start.wait()
        if auth.admit(sessions, key) == 0:
            checked.append(n)
            if auth.verify_password(stored, f"wrong password {n}"):
                signed_in.append(n)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with sessions() as session:
        attempts = session.execute(text("SELECT attempts FROM login_counter")).scalars().all()
    assert attempts == [20] and len(checked) == auth.FAILURES and signed_in == []


def test_migrations_are_idempotent_and_safe_when_two_processes_start_at_once(db_url):
    script = ("import sys; from lisdash.consult import db; e = db.make_engine(sys.argv[1]); db.migrate(e); "
              "db.migrate(e); print('ok')")
    starts = [subprocess.Popen([sys.executable, "-c", script, db_url], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=os.environ | {"PYTHONPATH": str(REPO)})
              for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in starts]
    assert [p.returncode for p in starts] == [0, 0], outputs
    engine = db.make_engine(db_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM setting WHERE key = 'hash_secret'")).scalar() == 1
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0004"]
    engine.dispose()


def test_a_database_of_the_first_schema_keeps_its_views_and_gains_devices_presenter_codes_and_no_quotes(db_url):
    engine = db.make_engine(db_url)
    db.migrate(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO event (id, code, name, created_at) VALUES (1, 'BIRM-7Q', 'Birmingham', "
                                "'2026-12-01 10:00:00+00')"))
        connection.execute(text(
            "INSERT INTO response (receipt, created_at, event_id, channel, respondent_type, commitments, agreement, "
            "comment, session_hash, client_hash, hidden, flagged) VALUES ('ABCDEFGH', '2026-12-01 10:05:00+00', 1, "
            "'event', 'business', '[\"c4\"]', 4, 'kept', 'sess0001', 'clnt0001', false, false)"))
    db.migrate(engine)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT receipt, comment, device_hash, submission, quote_ok FROM response")).one()
        code = connection.execute(text("SELECT presenter_code FROM event")).scalar()
    engine.dispose()
    # its device: the only key it had, its session; never asked, it may not be quoted
    assert tuple(row) == ("ABCDEFGH", "kept", "sess0001", None, False)
    assert len(code) == 10 and set(code) <= set(events.CODE_ALPHABET)


def test_one_commit_per_view_is_all_or_nothing(sessions, monkeypatch):
    """A failure after the view is written (here: adding its contact) leaves neither row behind."""
    import lisdash.consult.responses as responses

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(responses, "Contact", broken)
    with pytest.raises(RuntimeError):
        give(sessions, {"contact": {"name": "E", "email": "e@example.org", "consent": True}})
    with sessions() as session:
        assert session.scalar(select(func.count(Response.id))) == 0
        assert session.scalar(select(func.count(Contact.id))) == 0


@pytest.fixture()
def cli_db(db_url, monkeypatch):
    """The CLI pointed at a fresh database, as LISDASH_DB_URL would point it."""
    monkeypatch.setenv("LISDASH_DB_URL", db_url)
    monkeypatch.setattr(db, "_engines", {})  # the database was emptied: migrate it afresh, as a new process would
    return db.sessions(db_url)


def test_event_new_prints_its_code_and_addresses_phones_can_reach(cli_db, capsys, monkeypatch):
    from lisdash.cli import main
    from lisdash.consult import links

    monkeypatch.setenv("LISDASH_PUBLIC_URL", "https://views.example.org/")
    assert main(["event", "new", "Birmingham, 3 December"]) == 0
    head, presenter, present, respond = capsys.readouterr().out.splitlines()
    created = events.all_events(cli_db)[0]
    code = created.code
    assert head == f"Event {code}: Birmingham, 3 December"
    assert presenter.startswith(f"Presenter code: {created.presenter_code} (") and len(created.presenter_code) == 10
    assert present == f"Present:  https://views.example.org/present?mode=present&event={code}"
    assert respond == f"Respond:  https://views.example.org/respond?event={code}"
    monkeypatch.delenv("LISDASH_PUBLIC_URL")
    monkeypatch.setattr(links, "lan_address", lambda: "192.168.137.1")  # the laptop on its own hotspot
    assert main(["event", "new", "Coventry", "--port", "8600"]) == 0
    out = capsys.readouterr().out
    assert "http://192.168.137.1:8600/respond?event=COVE-" in out and "localhost" not in out
    monkeypatch.setattr(links, "lan_address", lambda: None)
    assert main(["event", "new", "Walsall"]) == 0
    assert "No network address found" in capsys.readouterr().out


def test_responses_export_and_purge_from_the_command_line(cli_db, capsys, tmp_path, monkeypatch):
    from lisdash.cli import main

    event = events.new_event(cli_db, "Solihull")
    give(cli_db, {"event": event.code, "channel": "event", "comment": "-2 jobs?",
                  "contact": {"name": "F", "email": "f@example.org", "consent": True}},
         now=datetime.now(UTC) - timedelta(days=100))
    give(cli_db, {"agreement": 1}, who="online")
    assert main(["responses", "export", "--format", "csv", "--event", event.code]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert len(table) == 1 and table["Comment"].tolist() == ["'-2 jobs?"] and "Contact email" not in table
    assert main(["responses", "export", "--format", "csv", "--with-contacts"]) == 0
    assert pd.read_csv(io.StringIO(capsys.readouterr().out))["Contact email"].tolist()[0] == "f@example.org"
    out = tmp_path / "views.xlsx"
    assert main(["responses", "export", "--format", "xlsx", "--out", str(out)]) == 0
    assert len(pd.read_excel(out)) == 2
    assert main(["responses", "export", "--event", "NOPE-22"]) == 1
    assert "no event with code 'NOPE-22'" in capsys.readouterr().err
    assert main(["responses", "purge-contacts"]) == 0  # default: the 90 days of consultation.yaml
    assert "Deleted the contact details of 1 views given more than 90 days ago" in capsys.readouterr().out
    assert inbox.contact_count(cli_db) == 0 and len(inbox.responses_frame(cli_db)) == 2
    give(cli_db, {"contact": {"name": "G", "email": "g@example.org", "consent": True}}, who="now")
    assert main(["responses", "purge-contacts", "--older-than", "0d"]) == 0  # zero means now
    assert "Deleted the contact details of 1 views given up to now" in capsys.readouterr().out
    assert inbox.contact_count(cli_db) == 0
    assert main(["responses", "purge-contacts", "--older-than", "36h"]) == 0
    assert "given more than 36 hours ago" in capsys.readouterr().out
    for bad in ("ninety", "-1d", "1w", "1.5d"):
        with pytest.raises(SystemExit):
            main(["responses", "purge-contacts", f"--older-than={bad}"])
        assert "is not a duration: use a whole number of days or hours: 90d, 12h, or 0d (now)" in (
            capsys.readouterr().err)


@pytest.mark.browser  # the report's charts are drawn by Chromium
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the commands over both databases: test_heard
def test_themes_and_the_report_from_the_command_line(cli_db, capsys, tmp_path, monkeypatch):
    from lisdash.cli import main

    monkeypatch.chdir(tmp_path)
    event = events.new_event(cli_db, "Dudley")
    assert main(["responses", "themes"]) == 0
    assert "No comments yet" in capsys.readouterr().out
    for i in range(6):
        give(cli_db, {"event": event.code, "channel": "event", "agreement": 5, "comment": f"Buses to Merry Hill {i}"},
             who=f"phone-{i}")
    assert main(["responses", "themes"]) == 0
    assert "c4: 0 comments tagged" in capsys.readouterr().out  # 6 comments: too few to propose themes
    assert main(["responses", "report", "--event", event.code]) == 0
    written = tmp_path / f"what-we-heard-{event.code}.html"
    assert f"Wrote {written.name}: 6 counted views of 6" in capsys.readouterr().out
    text = written.read_text(encoding="utf-8")
    assert "100% of 6 views agree" in text and "Buses to Merry Hill" not in text  # nobody allowed quoting
    assert main(["responses", "report", "--format", "docx", "--out", str(tmp_path / "all.docx")]) == 0
    assert (tmp_path / "all.docx").read_bytes()[:2] == b"PK"
    assert main(["responses", "report", "--event", "NOPE-22"]) == 1
    assert "no event with code 'NOPE-22'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["responses", "report", "--format", "odt"])
    assert "invalid choice: 'odt'" in capsys.readouterr().err


def test_admin_unlock_from_the_command_line(cli_db, capsys):
    from lisdash.cli import main

    key = auth.attempt_key("admin", "venue-net")
    for _ in range(6):
        auth.admit(cli_db, key)
    assert auth.admit(cli_db, key) > 0
    assert main(["admin", "unlock"]) == 0
    assert "cleared the attempt counts of 1 account and network address pair(s)" in capsys.readouterr().out
    assert auth.admit(cli_db, key) == 0


def test_hash_password_prints_a_hash_the_admin_page_accepts(capsys, monkeypatch):
    from lisdash.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO("a long admin phrase\n"))
    assert main(["admin", "hash-password", "--stdin"]) == 0
    hashed = capsys.readouterr().out.strip()
    assert hashed.startswith("scrypt$") and auth.verify_password(hashed, "a long admin phrase")
    assert not auth.verify_password(hashed, "a long admin phrasE")
