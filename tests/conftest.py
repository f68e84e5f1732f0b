"""Shared fixtures: the store (built from the mirror, or unpacked from the release, if missing), the content,
the raw mirror, and the consultation databases (SQLite, and PostgreSQL at LISDASH_TEST_PG_URL). Tests that
read raw files need the mirror: without it they are skipped, saying how to get it. No test touches
data/responses.sqlite: the session's responses go to a temporary file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from lisdash.config import mirror_dir, store_dir
from lisdash.content import Content, area_codes_of, load_content
from lisdash.pipeline.provision import mirror_present, obtain
from lisdash.store import Store

NO_MIRROR = ("needs the open-data mirror (../shared/opendata or LISDASH_MIRROR); get it with "
             "`python -m lisdash fetch official --root DIR` and set LISDASH_MIRROR=DIR")
requires_mirror = pytest.mark.skipif(not mirror_present(), reason=NO_MIRROR)
PG_URL = os.environ.get("LISDASH_TEST_PG_URL")
NO_CHROMIUM = ("needs Debian's Chromium at /usr/bin/chromium (browser tests, PNG and deck export): "
               "`apt-get install -y chromium chromium-driver`")
NO_PG = ("needs PostgreSQL: set LISDASH_TEST_PG_URL, e.g. postgresql+psycopg://lisdash:lisdash@127.0.0.1:5432/"
         "lisdash_test (`bash .ci/run` starts one)")

os.environ.pop("LISDASH_DB_URL", None)
os.environ["LISDASH_RESPONSES"] = str(Path(tempfile.mkdtemp(prefix="lisdash-responses-")) / "responses.sqlite")


def fresh_postgres(url: str) -> str:
    """Empty the test database's public schema (tests own that database)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    from lisdash.webapp.adminheard import forget_summaries
    from lisdash.webapp.consultation import forget_events
    from lisdash.webapp.statementcard import forget_seeded

    forget_events()  # pages run in this process remember the events they found in the old schema
    forget_summaries()  # and the summaries they made of it
    forget_seeded()  # and that it held the seed statements
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty consultation database: a SQLite file, or the PostgreSQL test database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'responses.sqlite'}"
    if not PG_URL:
        if os.environ.get("LISDASH_REQUIRE_PG"):
            pytest.fail(NO_PG)
        pytest.skip(NO_PG)
    return fresh_postgres(PG_URL)


@pytest.fixture()
def sessions(db_url: str):
    """A session factory on a freshly migrated database."""
    from sqlalchemy.orm import sessionmaker

    from lisdash.consult import db

    engine = db.make_engine(db_url)
    db.migrate(engine)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


def pytest_collection_modifyitems(config, items):
    """Tests marked `browser` need Chromium: skipped, saying how to get it, where it is absent (CI, which sets
    LISDASH_REQUIRE_CHROMIUM, stops instead)."""
    from lisdash_dev.browser import CHROMIUM

    if Path(CHROMIUM).is_file():
        return
    if os.environ.get("LISDASH_REQUIRE_CHROMIUM"):
        raise pytest.UsageError(NO_CHROMIUM)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright (browser tests block every other host themselves)."""
    from playwright.sync_api import sync_playwright

    from lisdash_dev.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def store() -> Store:
    obtain(store_dir())
    return Store.open()


@pytest.fixture(scope="session")
def content(store: Store) -> Content:
    return load_content(industries=store.industries, area_codes=area_codes_of(store.areas))


@pytest.fixture(scope="session")
def mirror() -> Path:
    if not mirror_present():
        pytest.skip(NO_MIRROR)
    return mirror_dir()


@pytest.fixture(scope="session")
def bres5(mirror: Path) -> pd.DataFrame:
    """The raw 5-digit ITL2 BRES file, read independently of lisdash."""
    return pd.read_csv(
        mirror / "employment/bres_itl2/ITL2_Employment_countandpercent5digitSIC_BRESopen15to21.csv",
        dtype={"INDUSTRY_CODE": str},
    )


@pytest.fixture()
def file_server():
    """Serve fixed bodies (or callables answering per request) on 127.0.0.1; returns the base URL."""
    import http.server
    import threading

    servers = []

    def start(routes: dict) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                path = self.path.split("?")[0]
                answer = routes.get(path)
                if callable(answer):
                    answer = answer(self.path)
                if answer is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                status, body = answer if isinstance(answer, tuple) else (200, answer)
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
