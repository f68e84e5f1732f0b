"""The consultation database: SQLite by default (WAL, every commit on disk), PostgreSQL when LISDASH_DB_URL is set.

The file lives outside the data store (data/responses.sqlite), so `build` never touches it. The
schema is made and upgraded by Alembic migrations, applied when the app or the CLI starts.
"""

from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from lisdash.config import REPO

MIGRATIONS = Path(__file__).parent / "migrations"


def database_url() -> str:
    """LISDASH_DB_URL, or the SQLite file data/responses.sqlite (env LISDASH_RESPONSES overrides its path)."""
    if os.environ.get("LISDASH_DB_URL"):
        return os.environ["LISDASH_DB_URL"]
    return f"sqlite:///{Path(os.environ.get('LISDASH_RESPONSES', REPO / 'data' / 'responses.sqlite'))}"


def describe(url: str) -> str:
    """A database URL without its password, for logs and messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cursor.execute("PRAGMA synchronous=FULL")  # a committed response survives a crash or power cut
    cursor.execute("PRAGMA busy_timeout=5000")  # a locked file fails a send in 5 s, and the view waits on the page
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for a database URL (a SQLite file's folder is made; SQLite gets its pragmas on every connection)."""
    is_postgres = url.startswith("postgresql")
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5} if is_postgres else {},
                           pool_size=10 if is_postgres else 5, max_overflow=20 if is_postgres else 10)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


MIGRATION_LOCK = 7_245_031  # PostgreSQL advisory lock key: one migrating process at a time
_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


@contextmanager
def _sqlite_file_lock(engine: Engine):
    """One migrating process at a time on a SQLite file (a lock file beside it)."""
    path = Path(engine.url.database or "memory")
    with path.with_name(f".{path.name}.migrate.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to date (Alembic `upgrade head`, or to `revision`), on SQLite or PostgreSQL, one process
    at a time."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return
    with _sqlite_file_lock(engine), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def engine_for(url: str) -> Engine:
    """The process's engine for a URL, migrated once (threads wait for the first to finish)."""
    with _engines_lock:
        if url not in _engines:
            engine = make_engine(url)
            migrate(engine)
            _engines[url] = engine
        return _engines[url]


def sessions(url: str | None = None) -> sessionmaker[Session]:
    """A session factory for the configured database (migrated on first use)."""
    return sessionmaker(engine_for(url or database_url()), expire_on_commit=False)
