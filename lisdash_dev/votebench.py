"""`python -m lisdash bench --votes 50 --db-url URL`: a room of phones voting on statements on two app processes
that share one PostgreSQL, with the projector showing "Where the room stands".

Virtual phones speak Streamlit's websocket protocol as a browser does (lisdash_dev.loadbench): each opens the
slide's link (/respond?statements=strategy for the event), then every few seconds taps Agree, Disagree or Pass
on the statement it is shown (two camps, by the phone's number) and waits for "Thank you: your vote is
recorded." A virtual projector shows the slide on the first server, its map re-run on the browser's timer;
each reading's vote count ("N votes from M people") is recorded, so a vote's delay to the slide is the time
from its tap to the end of the first reading begun after its thank-you that counts it. The statements are 60
made for the benchmark (bench input, never shown as data). Every vote the phones were thanked for is then
counted in the database. Then, where the local PostgreSQL can be stopped (root, pg_ctlcluster), the same room
votes again at a new event while PostgreSQL is stopped for 20 s: a vote tapped then waits on its phone, which
re-runs the page's retry on the browser's timer until it is thanked. The same phones against a one-form page
(no database) give the stack's floor.
"""

from __future__ import annotations

import asyncio
import random
import re
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import websockets
import yaml
from streamlit.proto.WidgetStates_pb2 import WidgetState

from lisdash.config import REPO
from lisdash_dev.browser import serve
from lisdash_dev.loadbench import TIMEOUT, RunResult, Sampler, rerun, settle, ws_url
from lisdash_dev.opinionbench import opinion_bench
from lisdash_dev.roombench import (
    NO_OUTAGE,
    OUTAGE_SECONDS,
    _percentile,
    _phase,
    content_with_room_limits,
    outage_later,
    postgres_control,
    wait_for_database,
)

THANKS = "Thank you: your vote is recorded."
WAITING = "Votes cannot be recorded right now"
STATEMENTS = 60
SHOWN = re.compile(r"([\d,]+) votes from")


@dataclass
class Tap:
    """One vote sent: when, when its thank-you came (if it did)."""

    phone: int
    sent: float
    thanked: float | None = None
    refused: str | None = None
    waited: bool = False


@dataclass
class Room:
    """What the phones and the projector saw."""

    taps: list[Tap] = field(default_factory=list)
    readings: list[tuple[float, float, int]] = field(default_factory=list)  # started, finished, votes shown
    disconnects: int = 0
    raw_errors: int = 0


def bench_content(folder: Path) -> Path:
    """The content with room-sized limits and 60 benchmark statements in the strategy's conversation."""
    target = content_with_room_limits(folder)
    path = target / "statements.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["votes_per_device"] = data["votes_per_address"] = {"count": 100_000, "minutes": 10}
    strategy = next(c for c in data["conversations"] if c["id"] == "strategy")
    strategy["statements"] = [{"id": f"bench-{i:02d}", "text": f"Benchmark statement number {i} (bench input)."}
                              for i in range(STATEMENTS)]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


async def phone(number: int, urls: list[str], query: str, deadline: float, room: Room, rng: random.Random,
                think: tuple[float, float]) -> None:
    """One phone: open the link, then tap an answer, read the thank-you, until the deadline."""
    while time.monotonic() < deadline:
        tap: Tap | None = None
        try:
            async with websockets.connect(urls[number % len(urls)], subprotocols=["streamlit"], max_size=None,
                                          open_timeout=TIMEOUT) as ws:
                _, result = await rerun(ws, query, "", page_name="respond")
                page_hash = result.pages.get("respond", "")
                while time.monotonic() < deadline:
                    await asyncio.sleep(rng.uniform(*think))
                    camp = ("Agree", "Disagree") if number % 2 else ("Disagree", "Agree")
                    button = result.widgets.get(rng.choice([*camp, camp[0], "Pass"]))
                    if button is None:  # every statement voted, or the page failed: the phone reloads
                        break
                    tap = Tap(number, time.perf_counter())
                    room.taps.append(tap)
                    _, result = await rerun(ws, query, page_hash, [WidgetState(id=button.id, trigger_value=True)])
                    if any(a.startswith(WAITING) for a in result.alerts) and result.auto_rerun:
                        tap.waited = True
                        result = await wait_for_database(ws, query, page_hash, result, deadline, THANKS)
                    room.raw_errors += bool(result.error)
                    if THANKS in result.alerts:
                        tap.thanked = time.perf_counter()
                    else:
                        tap.refused = next(iter(result.alerts), result.error or "no thank-you")
                    tap = None
        except (TimeoutError, websockets.ConnectionClosed, OSError):
            room.disconnects += 1
            if tap is not None:
                tap.refused = "connection lost before a thank-you"
            await asyncio.sleep(1.0)


def _read(room: Room, started: float, result: RunResult) -> None:
    shown = next((m for m in map(SHOWN.search, result.captions) if m), None)
    if shown:
        room.readings.append((started, time.perf_counter(), int(shown.group(1).replace(",", ""))))


async def projector(url: str, query: str, room: Room) -> None:
    """The slide on a projector: its map re-run on the browser's timer, each vote count recorded."""
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT) as ws:
        started = time.perf_counter()
        _, shown = await rerun(ws, query, "", page_name="present")
        _read(room, started, shown)
        if shown.auto_rerun is None:
            raise RuntimeError(f"the slide does not refresh itself ({shown.error or shown.alerts})")
        interval, fragment = shown.auto_rerun
        page_hash = shown.pages.get("present", "")
        tick = time.perf_counter()
        while True:
            tick += interval
            await asyncio.sleep(max(0.0, tick - time.perf_counter()))
            started = time.perf_counter()
            _, result = await rerun(ws, query, page_hash, fragment=fragment)
            _read(room, started, result)


async def _room(urls: list[str], query: str, present_query: str, phones: int, seconds: float, pids: list[int],
                think: tuple[float, float], outage: tuple[list[str], list[str]] | None = None
                ) -> tuple[Room, list[Sampler]]:
    room = Room()
    showing = asyncio.create_task(projector(urls[0], present_query, room))
    while not room.readings and not showing.done():
        await asyncio.sleep(0.2)
    if showing.done():
        showing.result()  # the projector failed: say why
    deadline = time.monotonic() + seconds
    samplers = [Sampler([pid]) for pid in pids]
    rng = random.Random(28)
    faults = [outage_later(time.monotonic() + seconds / 3, outage)] if outage else []
    await asyncio.gather(*[s.run(deadline) for s in samplers], *faults,
                         *[phone(i, urls, query, deadline, room, random.Random(rng.random()), think)
                           for i in range(phones)])
    await asyncio.sleep(3.0)  # the projector's readings of the last votes
    showing.cancel()
    return room, samplers


def slide_delays(room: Room) -> list[float]:
    """Per thanked vote, seconds from its tap to the end of the first reading, begun after its thank-you, whose
    count includes it (votes thanked before that reading began, in order)."""
    thanked = sorted(t.thanked for t in room.taps if t.thanked)
    delays = []
    for tap in room.taps:
        if tap.thanked is None:
            continue
        before = sum(t <= tap.thanked for t in thanked)
        seen = next((end for start, end, count in sorted(room.readings) if start >= tap.thanked and count >= before),
                    None)
        if seen is not None:
            delays.append(seen - tap.sent)
    return delays


def _stored(db_url: str, event_code: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT count(*) FROM vote v JOIN event e ON e.id = v.event_id "
                                        "WHERE e.code = :code"), {"code": event_code}).scalar()
    engine.dispose()
    return int(found)


def _figures(room: Room, stored: int) -> dict:
    """What a phase's phones sent, were thanked for and the database holds, and the tap-to-thanks times."""
    thanked = [t for t in room.taps if t.thanked]
    waits = [t.thanked - t.sent for t in thanked]
    return {"sent": len(room.taps), "thanked": len(thanked), "stored": stored,
            "sent_equals_stored": len(room.taps) == stored, "refused_or_lost": len(room.taps) - len(thanked),
            "waited_for_the_database": sum(t.waited for t in room.taps), "disconnects": room.disconnects,
            "raw_errors": room.raw_errors, "vote_to_thanks_p50_s": _percentile(waits, 0.5),
            "vote_to_thanks_p95_s": _percentile(waits, 0.95)}


def votes(db_url: str, phones: int = 50, minutes: float = 3.0, think: tuple[float, float] = (2.0, 5.0),
          outage_seconds: float = 60.0) -> dict:
    """The voting room's figures; see the module's docstring."""
    from lisdash.consult import db, events
    from lisdash.content.story import load_story
    from lisdash.pipeline.provision import store_and_content

    _, content = store_and_content()
    slide = [s.id for s in load_story(content).slides].index("room-stands") + 1
    sessions = db.sessions(db_url)

    def queries(name: str) -> tuple[str, str, str]:
        event = events.new_event(sessions, f"{name} {time.strftime('%Y-%m-%d %H:%M')}")
        return event.code, f"statements=strategy&event={event.code}", f"mode=present&slide={slide}&event={event.code}"

    code, query, present_query = queries("Vote benchmark")
    out: dict = {"phones": phones, "servers": 2, "database": db.describe(db_url), "event": code,
                 "seconds": round(minutes * 60), "think_s": list(think), "statements": STATEMENTS,
                 "limits": "raised for the benchmark (one machine plays the whole room)"}
    control = postgres_control(db_url)
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        env = {"LISDASH_DB_URL": db_url, "LISDASH_CONTENT": str(bench_content(Path(folder)))}
        started = [stack.enter_context(serve(env=env)) for _ in range(2)]
        urls, pids = [ws_url(base) for base, _ in started], [pid for _, pid in started]
        settle(pids)
        room, samplers = asyncio.run(_room(urls, query, present_query, phones, minutes * 60, pids, think))
        delays = slide_delays(room)
        out.update(_figures(room, _stored(db_url, code)), vote_to_slide_p50_s=_percentile(delays, 0.5),
                   vote_to_slide_p95_s=_percentile(delays, 0.95), vote_to_slide_goal_s=3.0,
                   slide_readings=len(room.readings),
                   votes_on_slide_last=room.readings[-1][2] if room.readings else None,
                   servers_peak_rss_mb=[round(s.peak_rss / 2**20) for s in samplers],
                   analysis_200x60=opinion_bench(200, 60))
        if control is None or outage_seconds <= 0:
            out["postgresql_outage"] = NO_OUTAGE
        else:
            code, query, present_query = queries("Vote benchmark, outage")
            room, _ = asyncio.run(_room(urls, query, present_query, phones, outage_seconds, pids, think, control))
            out["postgresql_outage"] = {"event": code, "seconds": round(outage_seconds), "outage_s": OUTAGE_SECONDS,
                                        "how": " / ".join(" ".join(c) for c in control),
                                        **_figures(room, _stored(db_url, code))}
    floor_page = REPO / "lisdash_dev" / "benchpages" / "floor_form.py"
    with serve(floor_page) as (base, pid):
        settle([pid])
        floor, _ = asyncio.run(_phase([ws_url(base)], "", "", phones, 60, [pid], think, 3))
    waits = [a.thanked - a.sent for a in floor.answers if a.thanked]
    out["floor_one_form_page_one_server"] = {"submitted": len(floor.answers), "submit_to_thanks_p50_s":
                                             _percentile(waits, 0.5), "submit_to_thanks_p95_s":
                                             _percentile(waits, 0.95)}
    return out
