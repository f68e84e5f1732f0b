"""Statements and votes in the database (SQLite and PostgreSQL): seeds, own statements seen only once approved,
one vote per transaction with the latest counting, the next statement chosen, the limit, the opinion map read
back from the votes. Participants are test visitors; the votes are test fixtures, never data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lisdash.consult import events
from lisdash.consult.opinionmap import AGREE, DISAGREE, PASS
from lisdash.consult.responses import Refused, TooMany, Visitor
from lisdash.consult.schema import Statement, Vote
from lisdash.consult.voting import add_own, add_seeds, moderate, next_statement, pending, room_stands, room_votes, vote
from lisdash.content.analysis import load_analysis
from lisdash.content.statements import load_statements

STATEMENTS = load_statements({f"c{i}" for i in range(1, 11)})
STRATEGY = STATEMENTS.conversation("strategy")


def phone(n: int) -> Visitor:
    return Visitor(f"session-{n}", "10.1.1.1", f"device-{n}")


def test_the_seed_statements_load_and_are_stored_once(sessions):
    assert add_seeds(sessions, STATEMENTS) == sum(len(c.statements) for c in STATEMENTS.conversations)
    assert add_seeds(sessions, STATEMENTS) == 0
    _, shown = room_votes(sessions, "strategy")
    assert sorted(shown.values()) == sorted(s.text for s in STRATEGY.statements)


def test_a_phone_sees_each_statement_once_fewest_votes_first_and_its_latest_vote_counts(sessions):
    add_seeds(sessions, STATEMENTS)
    first = next_statement(sessions, "strategy", phone(1))
    vote(sessions, first.id, AGREE, phone(1), STATEMENTS)
    assert next_statement(sessions, "strategy", phone(2)).id != first.id  # fewest votes first
    seen = {first.id}
    while (shown := next_statement(sessions, "strategy", phone(1))) is not None:
        assert shown.id not in seen
        seen.add(shown.id)
        vote(sessions, shown.id, PASS, phone(1), STATEMENTS)
    assert len(seen) == len(STRATEGY.statements)
    vote(sessions, first.id, DISAGREE, phone(1), STATEMENTS)  # changed their mind
    votes, _ = room_votes(sessions, "strategy")
    mine = {s: v for p, s, v in votes}
    assert mine[str(first.id)] == DISAGREE and len(votes) == len(STRATEGY.statements)
    with pytest.raises(Refused):
        vote(sessions, first.id, 2, phone(1), STATEMENTS)


def test_a_participants_statement_is_seen_by_others_only_once_approved(sessions):
    add_seeds(sessions, STATEMENTS)
    event = events.new_event(sessions, "Statements test")
    own = add_own(sessions, "strategy", "<img src=x onerror=alert(1)> should be shown as text", phone(1),
                  STATEMENTS, event=event.code)
    assert [p[0] for p in pending(sessions)] == [own]
    for n in range(2, 2 + len(STRATEGY.statements)):
        shown = next_statement(sessions, "strategy", phone(n), event.id)
        assert shown.id != own
    with pytest.raises(Refused):
        vote(sessions, own, AGREE, phone(2), STATEMENTS, event=event.code)
    moderate(sessions, own, True, "analyst")
    assert pending(sessions) == []
    _, shown = room_votes(sessions, "strategy", event.id)
    assert shown[str(own)] == "<img src=x onerror=alert(1)> should be shown as text"
    _, online = room_votes(sessions, "strategy")
    assert str(own) not in online  # another room does not see it
    with pytest.raises(Refused, match="at most 140"):
        add_own(sessions, "strategy", "x" * 141, phone(1), STATEMENTS)


def test_a_phone_sending_too_many_votes_is_told_and_the_room_is_not(sessions):
    add_seeds(sessions, STATEMENTS)
    now = datetime.now(UTC)
    statement = next_statement(sessions, "strategy", phone(1)).id
    for i in range(STATEMENTS.votes_per_device.count):  # changing its mind each time: every vote is stored
        vote(sessions, statement, (AGREE, DISAGREE)[i % 2], phone(1), STATEMENTS, now=now + timedelta(seconds=i))
    with pytest.raises(TooMany):
        vote(sessions, statement, AGREE, phone(1), STATEMENTS, now=now + timedelta(minutes=1))
    vote(sessions, statement, AGREE, phone(2), STATEMENTS, now=now + timedelta(minutes=1))


def test_a_network_sending_more_votes_than_a_room_could_is_told_and_another_network_is_not(sessions):
    from lisdash.content.form import Limit

    add_seeds(sessions, STATEMENTS)
    rules = STATEMENTS.model_copy(update={"votes_per_address": Limit(count=3, minutes=10)})
    statement = next_statement(sessions, "strategy", phone(1)).id
    for n in range(3):  # three phones behind one address (phone() gives them all 10.1.1.1)
        vote(sessions, statement, AGREE, phone(n), rules)
    with pytest.raises(TooMany, match="Too many votes from this network in 10 minutes"):
        vote(sessions, statement, AGREE, phone(3), rules)
    vote(sessions, statement, AGREE, Visitor("session-4", "10.2.2.2", "device-4"), rules)
    assert STATEMENTS.votes_per_address.count >= 100 * STATEMENTS.votes_per_device.count  # a room of 100 phones


def test_a_vote_or_a_statement_sent_again_is_stored_once(sessions):
    """A phone that did not hear back sends the same tap or statement again: it is stored once, in its room."""
    add_seeds(sessions, STATEMENTS)
    event = events.new_event(sessions, "Sent twice")
    shown = next_statement(sessions, "strategy", phone(1), event.id)
    assert vote(sessions, shown.id, AGREE, phone(1), STATEMENTS, event.code) is True
    assert vote(sessions, shown.id, AGREE, phone(1), STATEMENTS, event.code) is False
    assert vote(sessions, shown.id, AGREE, phone(1), STATEMENTS) is True  # online is another room
    assert vote(sessions, shown.id, DISAGREE, phone(1), STATEMENTS, event.code) is True  # a change of mind
    with sessions() as session:
        assert session.scalar(select(func.count(Vote.id))) == 3
    typed = "Kept through an unanswered send, stored once"
    first = add_own(sessions, "strategy", typed, phone(1), STATEMENTS, event=event.code)
    assert add_own(sessions, "strategy", f"  {typed} ", phone(1), STATEMENTS, event=event.code) == first
    assert add_own(sessions, "strategy", typed, phone(2), STATEMENTS, event=event.code) != first  # another phone
    with sessions() as session:
        assert session.scalar(select(func.count(Statement.id)).where(Statement.origin == "participant")) == 2


def test_the_opinion_map_reads_the_rooms_votes(sessions):
    add_seeds(sessions, STATEMENTS)
    ids = sorted(int(i) for i in room_votes(sessions, "strategy")[1])
    for n in range(12):  # two camps of six: the first half of the statements against the second
        for j, statement in enumerate(ids):
            camp = 1 if n < 6 else -1
            vote(sessions, statement, camp * (AGREE if j < len(ids) // 2 else DISAGREE), phone(n), STATEMENTS)
    stands = room_stands(sessions, "strategy", None, load_analysis().opinion)
    assert stands.participants == 12 and stands.votes == 12 * len(ids)
    assert sorted(g.size for g in stands.found.groups) == [6, 6]


def test_phones_vote_and_send_a_statement_and_the_admin_approves_it_and_sees_the_map(monkeypatch):
    """Through the pages (the app's own SQLite database): the phone card stores each tap, a typed statement is
    kept until stored and waits for approval; the admin's Statements tab approves it and shows the groups."""
    from streamlit.testing.v1 import AppTest

    from lisdash.consult import auth, db
    from lisdash.webapp.statementcard import statements
    from tests.test_pages import APP

    monkeypatch.setenv("LISDASH_ADMIN_PASSWORD_HASH", auth.hash_password("statements test passphrase"))
    xss = "<img src=x onerror=alert(1)> is what I typed"
    phones = []
    for n in range(8):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["statements"] = "strategy"
        at.switch_page("pages/respond.py").run()
        assert not at.exception
        for _ in range(6):  # camp by parity: the first half of the statements against the second
            text = at.markdown[0].value
            first_half = any(s.text.replace(".", "\\.") in text for s in STRATEGY.statements[:4])
            at.button(key="vote-agree" if first_half == (n % 2 == 0) else "vote-disagree").click().run()
            assert at.success[0].value == "Thank you: your vote is recorded."
        phones.append(at)
    phones[0].text_area(key="statement-own").input("Too short")
    next(b for b in phones[0].button if b.label == "Send my statement").click().run()
    assert [w.value for w in phones[0].warning] == ["Write a statement of at least 10 characters."]
    assert phones[0].text_area(key="statement-own").value == "Too short"  # kept, to be finished
    phones[0].text_area(key="statement-own").input(xss)
    next(b for b in phones[0].button if b.label == "Send my statement").click().run()
    assert any("the team will read your statement" in s.value for s in phones[0].success)
    sessions = db.sessions()
    assert [text for _, _, text in pending(sessions)] == [xss]
    assert not any(xss in m.value for m in phones[0].markdown)
    admin = AppTest.from_file(APP, default_timeout=120)
    admin.switch_page("pages/admin.py").run()
    admin.text_input(key="admin-password").set_value("statements test passphrase")
    next(b for b in admin.button if b.label == "Sign in").click().run()
    assert [t.label for t in admin.tabs][4] == "Statements"
    assert any(t.value == xss for t in admin.text)  # shown as typed, as plain text
    next(b for b in admin.button if b.key and b.key.startswith("approve-statement-")).click().run()
    assert pending(sessions) == []
    assert not admin.exception
    groups = next(d.value for d in admin.dataframe if "People" in d.value.columns)
    assert groups["People"].sum() == 8 and len(groups) == 2
    assert statements().conversation("strategy") is not None


def test_votes_are_exported_and_kept_in_a_backup(sessions, db_url, tmp_path):
    from lisdash.consult import backup, db
    from lisdash.consult.voting import votes_frame

    add_seeds(sessions, STATEMENTS)
    event = events.new_event(sessions, "Export test")
    statement = next_statement(sessions, "strategy", phone(1), event.id)
    vote(sessions, statement.id, AGREE, phone(1), STATEMENTS, event.code)
    vote(sessions, statement.id, PASS, phone(2), STATEMENTS)
    every, mine = votes_frame(sessions), votes_frame(sessions, event.code)
    assert list(every["Vote given"]) == ["agree", "pass"] and list(mine["Event"]) == [event.code]
    assert list(mine["Statement"]) == [statement.text]
    if not db_url.startswith("sqlite"):
        return  # pg_dump and pg_restore: tests/test_backup.py
    saved = tmp_path / "votes.backup"
    backup.backup(db_url, saved)
    fresh = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    backup.restore(fresh, saved)
    with db.sessions(fresh)() as session:
        assert session.scalar(select(func.count(Vote.id))) == 2


def test_the_command_line_exports_the_votes(capsys):
    from lisdash.cli import main
    from lisdash.consult import db

    sessions = db.sessions()
    add_seeds(sessions, STATEMENTS)
    statement = next_statement(sessions, "strategy", phone(99))
    vote(sessions, statement.id, DISAGREE, phone(99), STATEMENTS)
    assert main(["responses", "export", "--votes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Vote,Given (UTC),Event,Conversation") and lines[-1].count("disagree") == 1


def test_during_an_outage_a_tap_and_a_typed_statement_wait_on_the_phone_and_are_sent_when_it_is_back(monkeypatch):
    """The database goes away after the card is shown: the tapped vote waits on the phone, said in our words (no
    raw error), and the statement being typed stays in its box; the next run once the database is back sends
    both, once each."""
    from streamlit.testing.v1 import AppTest

    from lisdash.consult import db
    from lisdash.webapp import statementcard
    from tests.test_pages import APP

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["statements"] = "strategy"
    at.switch_page("pages/respond.py").run()
    assert at.button(key="vote-agree") is not None
    typed = "Night buses matter as much as new stations"
    reachable = statementcard.database
    monkeypatch.setattr(statementcard, "database", lambda: None)
    at.button(key="vote-agree").click().run()  # tapped on the card the phone already shows
    assert not at.exception
    assert any("Your vote (agree) is kept on this phone" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "vote-agree"]  # the waiting vote, not a next statement
    at.text_area(key="statement-own").input(typed)
    next(b for b in at.button if b.label == "Send my statement").click().run()
    assert any("Your statement is kept in the box" in w.value for w in at.warning)
    assert at.text_area(key="statement-own").value == typed and not at.exception
    with db.sessions()() as session:
        votes_before = session.scalar(select(func.count(Vote.id)))
    monkeypatch.setattr(statementcard, "database", reachable)
    at.run()  # the page's next run (in a browser, the retry every few seconds): both are sent
    assert any(s.value == "Thank you: your vote is recorded." for s in at.success)
    assert any("the team will read your statement" in s.value for s in at.success)
    assert at.text_area(key="statement-own").value == "" and not at.warning and not at.exception
    assert [text for _, _, text in pending(db.sessions())].count(typed) == 1
    with db.sessions()() as session:
        assert session.scalar(select(func.count(Vote.id))) == votes_before + 1
    at.run()
    with db.sessions()() as session:
        assert session.scalar(select(func.count(Vote.id))) == votes_before + 1  # sent once
