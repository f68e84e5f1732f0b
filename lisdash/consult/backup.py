"""Backing up and restoring the consultation database with the database's own tools: SQLite's online
backup API (a consistent copy while the app writes), PostgreSQL's pg_dump and pg_restore (custom format).

A restore goes into an empty database unless told to replace what is there: a restore over live views
would otherwise lose the views given since the backup.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
TOOL_SECONDS = 3600


class BackupError(Exception):
    """A backup or restore that cannot be made, in words for the command line."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory database has nothing to back up.")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that gives it to the tool."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=TOOL_SECONDS)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).") from None
    except subprocess.CalledProcessError as err:
        raise BackupError(f"{command[0]} failed: {err.stderr.strip()[-400:]}") from None


def views_stored(url: str) -> int:
    """How many views a database holds (0 when it has no schema yet)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("response"):
                return 0
            return int(connection.execute(text("SELECT count(*) FROM response")).scalar_one())
    finally:
        engine.dispose()


def backup(url: str, out: Path) -> int:
    """Write a backup of the database at `url` to `out` (written whole, then moved into place); its size."""
    parsed = make_url(url)
    partial = out.with_name(out.name + ".partial")
    if not out.parent.is_dir():
        raise BackupError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    if parsed.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(parsed))
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif parsed.get_backend_name() == "postgresql":
        dsn, env = _libpq(parsed)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", dsn], env)
    else:
        raise BackupError(f"No backup for a {parsed.get_backend_name()} database.")
    partial.replace(out)
    return out.stat().st_size


def restore(url: str, backup_file: Path, replace: bool = False) -> int:
    """Restore a backup into the database at `url`; refused if that database holds views, unless `replace`.
    Returns the number of views the database then holds."""
    parsed = make_url(url)
    try:
        head = backup_file.read_bytes()[:16]
    except OSError as exc:
        raise BackupError(f"Cannot read {backup_file}: {exc.strerror}.") from None
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(PG_DUMP_MAGIC) else None
    if kind is None:
        raise BackupError(f"{backup_file} is not a lisdash backup (a SQLite file or a pg_dump custom archive).")
    if kind != parsed.get_backend_name():
        raise BackupError(f"{backup_file} is a {kind} backup; the database is {parsed.get_backend_name()}.")
    held = views_stored(url)
    if held and not replace:
        raise BackupError(f"The database already holds {held} views: restore into an empty database, or give "
                          "--replace to put the backup in their place.")
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(parsed))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        dsn, env = _libpq(parsed)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={dsn}", str(backup_file)], env)
    return views_stored(url)
