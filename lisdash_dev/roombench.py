"""Room benchmark: a room of phones answering a poll on two app processes that share one PostgreSQL.

Virtual phones speak Streamlit's websocket protocol as a browser does: each opens the QR code's
link (/respond for the poll and the event), then submits the form every few seconds, waits for
its "Thank you ... Reference X", and asks for a fresh form. A virtual presenter shows the poll
slide on the first server, whose live tally refreshes as the browser's timer would. Phase 1 runs
the room with no faults; phase 2 kills the second server with SIGKILL halfway, its phones move to
the first (through the proxy it kills the process the projector is on, the worst case: the projector
reconnects too). Every reference a phone was shown is then looked up in the database. The same phones
against a one-form page (no database) give the floor of the stack, measured in the same run.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import websockets
import yaml
from streamlit.proto.WidgetStates_pb2 import WidgetState

from lisdash.config import REPO, content_dir
from lisdash.serving.supervise import wait_healthy
from lisdash_dev.browser import serve
from lisdash_dev.loadbench import TIMEOUT, RunResult, Sampler, rerun, settle, ws_url
from lisdash_dev.servingset import serving_set

THANKS = "Thank you: your view is recorded. Reference "
WAITING = "Views cannot be recorded right now"
POLL, SLIDE = "poll-transport", 5
OUTAGE_SECONDS = 20.0
NO_OUTAGE = "not run: asked for none, or needs the local PostgreSQL cluster and root (pg_ctlcluster)"
RETRY_GRACE = 40.0  # seconds after a phase's end for views still waiting on their phones
COMMENTS = ["", "", "More EV charging in Coventry, please.", "=1+1", "Buses first.", "<b>bold?</b>"]


@dataclass
class Answer:
    """One submitted view: when it was sent, when its thank-you came (if it did) and its reference."""

    phone: int
    server: int
    sent: float
    thanked: float | None = None
    reference: str | None = None
    refused: str | None = None
    waited: bool = False  # told it would be sent once the database is back


@dataclass
class Room:
    """What the phones and the presenter saw."""

    answers: list[Answer] = field(default_factory=list)
    presenter_reconnects: int = 0
    tally_reads: list[tuple[float, float, int]] = field(default_factory=list)  # started, finished, count
    disconnects: int = 0
    page_errors: list[str] = field(default_factory=list)
    alive: list[bool] = field(default_factory=list)
    raw_error_phones: set[int] = field(default_factory=set)


def _form(result: RunResult, rng: random.Random) -> tuple[list[WidgetState], str] | None:
    """The widget states of a filled-in form (random answer) and the submit button's id, or None if no form."""
    radios = [w for w in result.widgets.values() if w.options]
    submit = result.widgets.get("Send my view")
    agreement = next((w for w in radios if "Agree" in w.options), None)
    who = next((w for w in radios if w is not agreement), None)
    if submit is None or agreement is None or who is None:
        return None
    return [WidgetState(id=agreement.id, string_value=rng.choice(agreement.options)),
            WidgetState(id=who.id, string_value=rng.choice(who.options))], submit.id


def _comment_state(result: RunResult, rng: random.Random) -> list[WidgetState]:
    box = result.widgets.get("Comment (optional)")
    return [WidgetState(id=box.id, string_value=rng.choice(COMMENTS))] if box else []


async def phone(number: int, urls: list[str], page: str, query: str, deadline: float, room: Room,
                rng: random.Random, think: tuple[float, float]) -> None:
    """One phone: open the link, then submit, read the thank-you, ask for a fresh form, until the deadline."""
    server = number % len(urls)
    while time.monotonic() < deadline:
        answer: Answer | None = None
        try:
            async with websockets.connect(urls[server], subprotocols=["streamlit"], max_size=None,
                                          open_timeout=TIMEOUT) as ws:
                _, result = await rerun(ws, query, "", page_name=page)
                page_hash = next(iter(result.pages.values()), "") if page == "" else result.pages.get(page, "")
                while time.monotonic() < deadline:
                    await asyncio.sleep(rng.uniform(*think))
                    form = _form(result, rng)
                    if form is None:  # the page failed: the phone reloads it
                        room.page_errors.append(result.error or "; ".join(result.alerts) or "no form")
                        break
                    states, submit = form
                    states += _comment_state(result, rng)
                    states.append(WidgetState(id=submit, trigger_value=True))
                    answer = Answer(number, server, time.perf_counter())
                    room.answers.append(answer)
                    _, result = await rerun(ws, query, page_hash, states)
                    if any(a.startswith(WAITING) for a in result.alerts) and result.auto_rerun:
                        answer.waited = True
                        result = await wait_for_database(ws, query, page_hash, result, deadline, THANKS)
                    if result.error:
                        room.raw_error_phones.add(number)
                    thanks = next((a for a in result.alerts if a.startswith(THANKS)), None)
                    if thanks:
                        answer.thanked, answer.reference = time.perf_counter(), thanks[len(THANKS):].rstrip(".")
                    else:
                        answer.refused = next(iter(result.alerts), result.error or "no thank-you")
                    answer = None
                    again = result.widgets.get("Give another view")
                    if again is not None:
                        _, result = await rerun(ws, query, page_hash, [WidgetState(id=again.id, trigger_value=True)])
        except (TimeoutError, websockets.ConnectionClosed, OSError):
            room.disconnects += 1
            if answer is not None:
                answer.refused = "connection lost before a thank-you"
            alive = [i for i, ok in enumerate(room.alive) if ok]
            server = alive[number % len(alive)] if alive else server  # the phone reloads: a balancer sends it on
            await asyncio.sleep(1.0)


async def wait_for_database(ws, query: str, page_hash: str, result: RunResult, deadline: float, thanks: str
                            ) -> RunResult:
    """A view or vote waiting on its phone: the page's retry re-run on the browser's timer until it is thanked
    (its success reruns the whole page, thank-you included); the page as it then stands (a raw error in a retry
    is kept in it)."""
    interval, fragment = result.auto_rerun
    while time.monotonic() < deadline + RETRY_GRACE:
        await asyncio.sleep(interval)
        _, retried = await rerun(ws, query, page_hash, fragment=fragment)
        if any(a.startswith(thanks) for a in retried.alerts) or retried.error:
            return retried
    _, result = await rerun(ws, query, page_hash)  # given up: the page as the phone now shows it
    return result


async def presenter(url: str, query: str, deadline: float, room: Room) -> None:
    """The poll slide on a projector: its live tally re-run on the browser's timer, each count recorded. If its
    server goes away, it reconnects as the browser would (through a proxy, to another process)."""
    while time.monotonic() < deadline:
        try:
            async with websockets.connect(url, subprotocols=["streamlit"], max_size=None,
                                          open_timeout=TIMEOUT) as ws:
                started = time.perf_counter()
                _, shown = await rerun(ws, query, "", page_name="present")
                _read_tally(room, started, shown)  # the slide shows the count as soon as it is loaded
                if shown.auto_rerun is None:
                    raise RuntimeError(f"the poll slide does not refresh itself ({shown.error or shown.alerts})")
                interval, fragment = shown.auto_rerun
                page_hash = shown.pages.get("present", "")
                tick = time.perf_counter()
                while time.monotonic() < deadline:
                    tick += interval
                    await asyncio.sleep(max(0.0, tick - time.perf_counter()))
                    started = time.perf_counter()
                    _, result = await rerun(ws, query, page_hash, fragment=fragment)
                    _read_tally(room, started, result)
        except (TimeoutError, websockets.ConnectionClosed, OSError):
            room.presenter_reconnects += 1
            await asyncio.sleep(1.0)


def _read_tally(room: Room, started: float, result) -> None:
    """Record the count a slide showed, read from `started` until now (if it showed one)."""
    count = result.metrics.get("Views so far")
    if count is not None:
        room.tally_reads.append((started, time.perf_counter(), int(count.replace(",", ""))))


async def _kill_later(pid: int, at: float, room: Room, index: int | None) -> None:
    """kill -9 a server at `at`; phones stop choosing its URL (index), if they had one of their own for it."""
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    if index is not None:
        room.alive[index] = False
    os.kill(pid, signal.SIGKILL)


def projector_process(pids: list[int]) -> int:
    """Which of the app processes holds the projector's websocket, before any phone connects: the one with an
    established connection on its own listening port."""
    for index, pid in enumerate(pids):
        connections = psutil.Process(pid).net_connections(kind="tcp")
        ports = {c.laddr.port for c in connections if c.status == psutil.CONN_LISTEN}
        if any(c.status == psutil.CONN_ESTABLISHED and c.laddr.port in ports for c in connections):
            return index
    raise RuntimeError("no app process holds the projector's connection")


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def _tally_delays(room: Room) -> tuple[list[float], int]:
    """Per thanked view: seconds from its submit to the end of the first tally read begun after its
    thank-you; and how many reads showed fewer views than had been thanked before they began."""
    reads = sorted(room.tally_reads)
    thanked = sorted(a.thanked for a in room.answers if a.thanked)
    delays, short = [], 0
    for answer in room.answers:
        if answer.thanked is None:
            continue
        seen = next((end for start, end, _ in reads if start >= answer.thanked), None)
        if seen is not None:
            delays.append(seen - answer.sent)
    for start, _, count in reads:
        if count < sum(t <= start for t in thanked):
            short += 1
    return delays, short


def _stored(db_url: str, event_code: str) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as connection:
        refs = connection.execute(text("SELECT r.receipt FROM response r JOIN event e ON e.id = r.event_id "
                                       "WHERE e.code = :code"), {"code": event_code}).scalars().all()
    engine.dispose()
    return set(refs)


def _report(room: Room, stored: set[str] | None, samplers: list[Sampler], seconds: float) -> dict:
    answers = room.answers
    thanked = [a for a in answers if a.thanked]
    waits = [a.thanked - a.sent for a in thanked]
    out: dict = {"seconds": round(seconds), "submitted": len(answers), "thanked": len(thanked),
                 "refused_or_lost": len(answers) - len(thanked), "disconnects": room.disconnects,
                 "submit_to_thanks_p50_s": _percentile(waits, 0.5), "submit_to_thanks_p95_s": _percentile(waits, 0.95),
                 "views_per_s": round(len(thanked) / seconds, 2)}
    reasons: dict[str, int] = {}
    for a in answers:
        if a.refused:
            reasons[a.refused[:80]] = reasons.get(a.refused[:80], 0) + 1
    out["refusals"] = reasons
    out["page_errors"] = len(room.page_errors)
    out["page_error_kinds"] = {e[:160]: room.page_errors.count(e) for e in set(room.page_errors)}
    if stored is not None:
        refs = {a.reference for a in thanked}
        out.update(stored=len(stored), thanked_but_not_stored=len(refs - stored),
                   stored_without_thanks=len(stored - refs))
    if room.tally_reads:
        delays, short = _tally_delays(room)
        out.update(tally_p50_s=_percentile(delays, 0.5), tally_p95_s=_percentile(delays, 0.95),
                   tally_reads=len(room.tally_reads), tally_reads_short=short,
                   tally_last=room.tally_reads[-1][2])
    out["waited_for_the_database"] = sum(a.waited for a in answers)
    out["waited_then_thanked"] = sum(a.waited and a.thanked is not None for a in answers)
    out["phones_shown_a_raw_error"] = len(room.raw_error_phones)
    out["presenter_reconnects"] = room.presenter_reconnects
    out["servers_peak_rss_mb"] = [round(s.peak_rss / 2**20) for s in samplers]
    out["servers_cpu_percent_mean"] = [round(statistics.mean(s.cpu), 1) if s.cpu else None for s in samplers]
    return out


async def outage_later(at: float, outage: tuple[list[str], list[str]]) -> None:
    """Stop PostgreSQL at `at` for OUTAGE_SECONDS, then start it again."""
    stop, start = outage
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    await asyncio.to_thread(subprocess.run, stop, check=True, capture_output=True)
    await asyncio.sleep(OUTAGE_SECONDS)
    await asyncio.to_thread(subprocess.run, start, check=True, capture_output=True)


def postgres_control(db_url: str) -> tuple[list[str], list[str]] | None:
    """The commands that stop and start the local PostgreSQL cluster serving `db_url` (pg_ctlcluster, as root),
    or None where it cannot be controlled from here."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.host not in ("127.0.0.1", "localhost") or not shutil.which("pg_ctlcluster") or os.geteuid() != 0:
        return None
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split("\n")
    for line in listed:
        parts = line.split()
        if len(parts) >= 3 and parts[2] == str(url.port or 5432):
            return (["pg_ctlcluster", parts[0], parts[1], "stop", "-m", "fast"],
                    ["pg_ctlcluster", parts[0], parts[1], "start"])
    return None


async def _phase(urls, page, query, phones, seconds, pids, think, seed, present_query=None, kill=None,
                 outage=None) -> tuple:
    room = Room(alive=[True] * len(urls))
    presenting = None
    if present_query:  # the projector shows the poll slide before the room's phones open the link, as at an event
        presenting = asyncio.create_task(presenter(urls[0], present_query, float("inf"), room))
        while not room.tally_reads and not presenting.done():
            await asyncio.sleep(0.2)
    deadline = time.monotonic() + seconds
    samplers = [Sampler([pid]) for pid in pids]
    rng = random.Random(seed)
    tasks = [sampler.run(deadline) for sampler in samplers]
    tasks += [phone(i, urls, page, query, deadline, room, random.Random(rng.random()), think) for i in range(phones)]
    if kill == "projector":  # behind the proxy: the worst case, the process the projector's slide is on
        kill = projector_process(pids)
    if kill is not None:
        tasks.append(_kill_later(pids[kill], time.monotonic() + seconds / 2, room, kill if kill < len(urls) else None))
    if outage is not None:
        tasks.append(outage_later(time.monotonic() + seconds / 3, outage))
    await asyncio.gather(*tasks)
    if presenting is not None:
        presenting.cancel()
        with suppress(asyncio.CancelledError):
            await presenting
    return room, samplers


def content_with_room_limits(folder: Path) -> Path:
    """A copy of the content whose per-device and per-network limits let one machine play a whole room."""
    target = folder / "lis_data"
    shutil.copytree(content_dir(), target)
    path = target / "consultation.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["limits"]["per_device"] = {"count": 100_000, "minutes": 10}
    data["limits"]["per_client"] = {"count": 100_000, "minutes": 10}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def room(db_url: str, phones: int = 50, minutes: float = 5.0, kill_seconds: float = 90.0,
         think: tuple[float, float] = (2.0, 5.0), outage_seconds: float = 60.0, through_proxy: bool = False) -> dict:
    """The room benchmark's figures: no-fault phase, kill phase, floor; see the module's docstring. Through the
    proxy, the two app processes are `lisdash serve`'s, every phone and the presenter use the proxy's one
    address, and supervisord starts the killed process again."""
    from lisdash.consult import db, events

    sessions = db.sessions(db_url)
    event = events.new_event(sessions, f"Load benchmark {time.strftime('%Y-%m-%d %H:%M')}")
    phone_query = f"poll={POLL}&slide={SLIDE}&event={event.code}"
    present_query = f"mode=present&slide={SLIDE}&event={event.code}&comments=on"
    out: dict = {"phones": phones, "servers": 2, "database": db.describe(db_url), "event": event.code,
                 "think_s": list(think), "limits": "raised for the benchmark (one machine plays the whole room)"}
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        env = {"LISDASH_DB_URL": db_url, "LISDASH_CONTENT": str(content_with_room_limits(Path(folder)))}
        if through_proxy:
            running = stack.enter_context(serving_set(2, env=env))
            urls, pids = [ws_url(running.base)], running.app_pids()
            out["servers"] = "2 app processes behind HAProxy (lisdash serve)"
        else:
            logs = [Path(tempfile.gettempdir()) / f"lisdash-room-server-{i + 1}.log" for i in range(2)]
            out["server_logs"] = [str(p) for p in logs]
            started = [stack.enter_context(serve(env=env, log=log)) for log in logs]
            urls, pids = [ws_url(base) for base, _ in started], [pid for _, pid in started]
        settle(pids)
        before = _stored(db_url, event.code)
        room_a, samplers = asyncio.run(_phase(urls, "respond", phone_query, phones, minutes * 60, pids, think, 1,
                                              present_query))
        stored = _stored(db_url, event.code) - before
        out["no_faults"] = _report(room_a, stored, samplers, minutes * 60)
        out["no_faults"]["submitted_equals_stored"] = out["no_faults"]["submitted"] == len(stored)
        room_b, samplers = asyncio.run(_phase(urls, "respond", phone_query, phones, kill_seconds, pids, think, 2,
                                              present_query, kill="projector" if through_proxy else 1))
        after = _stored(db_url, event.code) - before - stored
        out["kill_9_second_server"] = _report(room_b, after, samplers, kill_seconds)
        out["kill_9_second_server"]["killed"] = ("the projector's app process" if through_proxy
                                                 else "the second server (the projector is on the first)")
        control = postgres_control(db_url)
        if control is None or outage_seconds <= 0:
            out["postgresql_outage"] = NO_OUTAGE
        else:
            if through_proxy:  # supervisord has started the killed process again
                for _, address in running.apps:
                    wait_healthy(address)
                pids = running.app_pids()
            else:
                log = Path(tempfile.gettempdir()) / "lisdash-room-server-2b.log"
                base, pid = stack.enter_context(serve(env=env, log=log))  # the killed server's replacement
                urls, pids = [urls[0], ws_url(base)], [pids[0], pid]
            settle(pids)
            room_c, samplers = asyncio.run(_phase(urls, "respond", phone_query, phones, outage_seconds, pids,
                                                  think, 4, present_query, outage=control))
            late = _stored(db_url, event.code) - before - stored - after
            out["postgresql_outage"] = _report(room_c, late, samplers, outage_seconds)
            out["postgresql_outage"].update(
                outage_s=OUTAGE_SECONDS, how=" / ".join(" ".join(c) for c in control),
                typed=len(room_c.answers), stored_once_back=len(late),
                all_typed_stored=len(late) == len(room_c.answers))
    floor_page = REPO / "lisdash_dev" / "benchpages" / "floor_form.py"
    with serve(floor_page) as (base, pid):
        settle([pid])
        room_f, samplers = asyncio.run(_phase([ws_url(base)], "", "", phones, 60, [pid], think, 3))
        out["floor_one_form_page_one_server"] = _report(room_f, None, samplers, 60)
    return out
