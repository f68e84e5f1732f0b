"""`responses backup` and `responses restore`, on SQLite and PostgreSQL: a round trip loses nothing (every
row of every table, contact details and moderation included), and a restore never lands on live views by
accident."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, select, update

from lisdash.cli import main
from lisdash.consult import db, events, inbox
from lisdash.consult.schema import Response
from tests.conftest import PG_URL, fresh_postgres
from tests.test_consultation import cli_db, give  # noqa: F401 (a fixture)


def every_row(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names())
        rows = {t: sorted(map(tuple, connection.exec_driver_sql(f'SELECT * FROM "{t}"')), key=repr) for t in tables}
    engine.dispose()
    return rows


def test_a_backup_restores_every_row(cli_db, db_url, capsys, tmp_path, monkeypatch):  # noqa: F811
    event = events.new_event(cli_db, "Wolverhampton")
    give(cli_db, {"event": event.code, "channel": "event", "comment": "Trams to the station",
                  "contact": {"name": "Ann", "email": "ann@example.org", "consent": True}})
    hidden = give(cli_db, {"comment": "<b>spam</b>"}, who="b")
    give(cli_db, {"agreement": 2, "comment": "=1+1"}, who="c")
    with cli_db.begin() as session:
        session.execute(update(Response).where(Response.receipt == hidden.reference).values(hidden=True))
    before = every_row(db_url)
    out = tmp_path / "views.backup"
    assert main(["responses", "backup", "--out", str(out)]) == 0
    assert f"Backed up 3 views from {db.describe(db_url)}" in capsys.readouterr().out

    assert main(["responses", "restore", str(out)]) == 1  # the database holds views: not over them by accident
    assert "already holds 3 views" in capsys.readouterr().err
    give(cli_db, {"comment": "given after the backup"}, who="d")
    assert main(["responses", "restore", str(out), "--replace"]) == 0
    assert "it holds 3 views" in capsys.readouterr().out
    assert every_row(db_url) == before

    if db_url.startswith("sqlite"):
        target = f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
    else:
        target = fresh_postgres(PG_URL)
    monkeypatch.setenv("LISDASH_DB_URL", target)
    assert main(["responses", "restore", str(out)]) == 0  # into an empty database, as after a lost machine
    assert every_row(target) == before
    with db.sessions(target)() as session:  # the app opens it as it is (the schema's version came with it)
        assert session.scalar(select(Response.hidden).where(Response.receipt == hidden.reference)) is True
    assert inbox.contact_count(db.sessions(target)) == 1


@pytest.mark.parametrize("content, error", [(b"not a backup", "is not a lisdash backup"),
                                            (b"PGDMP\x01\x0e", "is a postgresql backup; the database is sqlite")])
def test_a_wrong_file_is_refused_in_words(content, error, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LISDASH_DB_URL", f"sqlite:///{tmp_path / 'r.sqlite'}")
    bad = tmp_path / "bad.backup"
    bad.write_bytes(content)
    assert main(["responses", "restore", str(bad)]) == 1
    assert error in capsys.readouterr().err
    assert main(["responses", "restore", str(tmp_path / "missing")]) == 1
    assert "Cannot read" in capsys.readouterr().err
