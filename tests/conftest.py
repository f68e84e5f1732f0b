"""Shared fixtures: the store (built from the mirror, or unpacked from the release, if missing), the content
and the raw mirror. Tests that read raw files need the mirror: without it they are skipped, saying how
to get it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lisdash.config import mirror_dir, store_dir
from lisdash.content import Content, area_codes_of, load_content
from lisdash.provision import mirror_present, obtain
from lisdash.store import Store

NO_MIRROR = ("needs the open-data mirror (../shared/opendata or LISDASH_MIRROR); get it with "
             "`python -m lisdash fetch official --root DIR` and set LISDASH_MIRROR=DIR")
requires_mirror = pytest.mark.skipif(not mirror_present(), reason=NO_MIRROR)


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
