"""The serving set from the repository's own configuration (`python -m lisdash serve`): two app processes on
127.0.0.2 and 127.0.0.3 (standing in for two machines) behind HAProxy, run by supervisord, with the private
PostgreSQL it starts itself. A browser works through the proxy, a killed app process leaves the rotation, and
a rolling restart loses no thanked view."""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from lisdash.config import REPO
from lisdash.consult import db, events
from lisdash.serving import supervise
from lisdash_dev import connectaudit
from lisdash_dev.browser import TITLE_JS, free_port, offline_page, wait_for_map, wait_healthy
from lisdash_dev.loadbench import ws_url
from lisdash_dev.roombench import Room, content_with_room_limits, phone
from lisdash_dev.servingset import serving_set
from tests.test_faults_browser import fill, thanked

pytestmark = pytest.mark.browser
NO_PROXY = "HAProxy or PostgreSQL is not installed (apt-get install haproxy postgresql)"
POLL_LINK = "/respond?poll=poll-transport&slide=5"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if shutil.which("haproxy") is None and not os.path.exists("/usr/sbin/haproxy") or not serve_postgres():
        if os.environ.get("LISDASH_REQUIRE_PG"):
            pytest.fail(NO_PROXY)
        pytest.skip(NO_PROXY)
    content = content_with_room_limits(tmp_path_factory.mktemp("content"))
    env = {"LISDASH_CONTENT": str(content)}
    saved = os.environ.pop("LISDASH_DB_URL", None)  # the set starts its own PostgreSQL
    try:
        with serving_set(2, ("127.0.0.2", "127.0.0.3"), env=env) as running:
            yield running
    finally:
        if saved is not None:
            os.environ["LISDASH_DB_URL"] = saved


def serve_postgres() -> bool:
    try:
        supervise._postgres_binary()
    except supervise.ServeError:
        return False
    return True


def stored_receipts(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = set(connection.execute(text("SELECT receipt FROM response")).scalars())
    engine.dispose()
    return found


def test_the_configuration_is_haproxy_s_and_supervisord_s_own(stack):
    config = (stack.run_dir / "haproxy.cfg").read_text()
    assert "server web-1 127.0.0.2:" in config and "server web-2 127.0.0.3:" in config
    assert "option httpchk GET /_stcore/health" in config and "cookie LISDASH_BACKEND insert" in config
    assert oct((stack.run_dir / "supervisord.conf").stat().st_mode & 0o777) == "0o600"  # it holds the DB URL
    assert [address.split(":")[0] for _, address in stack.apps] == ["127.0.0.2", "127.0.0.3"]


def test_a_browser_switches_a_cluster_and_sends_a_view_through_the_proxy(stack, browser):
    blocked: list[str] = []
    page = offline_page(browser, stack.base, blocked, 1440, 900)
    page.goto(stack.base + "/")
    wait_for_map(page)
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Automotive", exact=True).click()
    page.wait_for_function(f"() => ({TITLE_JS})() === 'Automotive'", timeout=30_000)  # over the proxied websocket
    cookie = {c["name"]: c["value"] for c in page.context.cookies()}["LISDASH_BACKEND"]
    assert cookie in {"web-1", "web-2"}
    page.goto(stack.base + POLL_LINK)
    page.get_by_role("button", name="Send my view").wait_for(timeout=60_000)
    fill(page, "Agree", "A business", "sent through the proxy")
    page.get_by_role("button", name="Send my view").click()
    reference = thanked(page)
    assert reference in stored_receipts(stack.db_url)
    assert blocked == []
    page.context.close()


def test_a_killed_app_process_leaves_the_rotation_and_the_next_page_loads(stack, browser):
    blocked: list[str] = []
    page = offline_page(browser, stack.base, blocked, 1440, 900)
    page.goto(stack.base + POLL_LINK)
    page.get_by_role("button", name="Send my view").wait_for(timeout=60_000)
    mine = {c["name"]: c["value"] for c in page.context.cookies()}["LISDASH_BACKEND"]
    os.kill(stack.app_pid(mine), signal.SIGKILL)
    page.goto(stack.base + POLL_LINK)  # the cookie names the dead process: the proxy sends the page elsewhere
    page.get_by_role("button", name="Send my view").wait_for(timeout=60_000)
    fill(page, "Disagree", "A business", "after a kill -9")
    page.get_by_role("button", name="Send my view").click()
    assert thanked(page) in stored_receipts(stack.db_url)
    log = (stack.run_dir / "proxy.log").read_text()
    assert f"Server apps/{mine} is DOWN" in log
    assert blocked == []
    page.context.close()
    supervise.wait_healthy(dict(stack.apps)[mine])  # supervisord starts it again
    restarted = (stack.run_dir / f"{mine}.log").read_text().rsplit("app process warming before it listens", 1)[1]
    assert restarted.index("app process warm in") < restarted.index("Uvicorn server started")  # warm, then listen


def test_a_rolling_restart_loses_no_thanked_view(stack):
    """Ten phones send views through the proxy while each app process in turn finishes what it is recording,
    restarts and rejoins; every view a phone was thanked for is stored, and phones moved on by themselves."""
    url = stack.db_url
    event = events.new_event(db.sessions(url), "Rolling restart")
    before_pids = stack.app_pids()
    room = Room(alive=[True])
    done: list[BaseException | None] = []

    def restart() -> None:
        time.sleep(5)
        try:
            supervise.rolling_restart(stack.run_dir, supervise.running_apps(stack.run_dir), report=lambda _: None)
            done.append(None)
        except BaseException as exc:  # noqa: BLE001 (reported by the test below)
            done.append(exc)

    worker = threading.Thread(target=restart)
    worker.start()
    deadline = time.monotonic() + 45
    query = f"poll=poll-transport&slide=5&event={event.code}"
    rng = random.Random(7)

    async def room_of_phones():
        await asyncio.gather(*[phone(i, [ws_url(stack.base)], "respond", query, deadline, room,
                                     random.Random(rng.random()), (0.5, 1.5)) for i in range(10)])

    phones = threading.Thread(target=lambda: asyncio.run(room_of_phones()))  # away from Playwright's event loop
    phones.start()
    phones.join(120)
    worker.join(240)  # each process warms before it listens again
    assert done == [None]
    thanked_refs = {a.reference for a in room.answers if a.thanked}
    with create_engine(url).connect() as connection:
        stored = set(connection.execute(text("SELECT r.receipt FROM response r JOIN event e ON e.id = r.event_id "
                                             "WHERE e.code = :c"), {"c": event.code}).scalars())
    assert thanked_refs and thanked_refs <= stored
    assert room.disconnects >= 1  # phones on a restarted process reconnected through the proxy
    assert not set(before_pids) & set(stack.app_pids())
    assert not room.raw_error_phones


def test_the_app_asks_no_other_host_from_its_start_to_a_sent_view(browser, tmp_path):
    """The README's `streamlit run app.py` (all interfaces, headless), with every socket connect, send and name
    lookup recorded: a start, a map page, a view sent from a phone. Only loopback is ever asked."""
    attempts = tmp_path / "outward.log"
    port = free_port()
    env = {**os.environ, "LISDASH_RESPONSES": str(tmp_path / "responses.sqlite")}
    env.pop("LISDASH_DB_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "lisdash_dev.connectaudit", str(attempts), "streamlit", "run",
                                "app.py", "--server.port", str(port)], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, 90, process)
        blocked: list[str] = []
        page = offline_page(browser, base, blocked, 1440, 900)
        page.goto(base + "/")
        wait_for_map(page)
        page.goto(base + POLL_LINK)
        page.get_by_role("button", name="Send my view").wait_for(timeout=60_000)
        fill(page, "Agree", "A business", "asked nobody else")
        page.get_by_role("button", name="Send my view").click()
        thanked(page)
        page.context.close()
    finally:
        process.terminate()
        process.wait(60)
    assert not attempts.exists(), attempts.read_text()
    assert blocked == []


def test_the_connection_record_catches_an_outward_attempt(tmp_path):
    log = tmp_path / "outward.log"
    hook = connectaudit._hook(str(log))
    hook("socket.connect", (None, ("127.0.0.1", 5432)))
    hook("socket.getaddrinfo", ("localhost", 80, 0, 0, 0))
    hook("socket.connect", (None, "/run/postgresql/.s.PGSQL.5432"))
    assert not log.exists()
    hook("socket.connect", (None, ("8.8.8.8", 1)))
    hook("socket.getaddrinfo", ("checkip.amazonaws.com", 80, 0, 0, 0))
    assert log.read_text().splitlines() == ["socket.connect '8.8.8.8'", "socket.getaddrinfo 'checkip.amazonaws.com'"]
