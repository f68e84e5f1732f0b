"""Server CPU of one rerun of each page, for choices its process has already shown once.

One client opens each page with each of its URL states once (the process computes those views), waits
until the process is idle, then reruns the same states `rounds` times. The process's CPU time over those
reruns, divided by their number, is a rerun's cost: what runs again although nothing changed (widgets,
tables, the figure sent to the browser). The one-line page, measured the same way in the same run, is
Streamlit's own floor. A choice no process has computed yet costs more: the load benchmark's CPU per
rerun includes those.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import psutil
import websockets

from lisdash.config import REPO
from lisdash_dev.browser import serve
from lisdash_dev.loadbench import APP_PAGES, FLOOR_PAGES, TIMEOUT, PageSpec, rerun, settle, warm, ws_url


def _cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def _page(url: str, pid: int, page: PageSpec, rounds: int) -> dict:
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT) as ws:
        _, first = await rerun(ws, "", "")
        page_hash = first.pages.get(page.path, "")
        before = _cpu_seconds(pid)
        for query in page.queries:
            _, shown = await rerun(ws, query, page_hash)
            if shown.error:
                raise RuntimeError(f"{page.name}?{query}: {shown.error}")
        first_ms = 1000 * (_cpu_seconds(pid) - before) / len(page.queries)
        await asyncio.to_thread(settle, [pid])
        before = _cpu_seconds(pid)
        for _ in range(rounds):
            for query in page.queries:
                await rerun(ws, query, page_hash)
        reruns = rounds * len(page.queries)
        return {"states": len(page.queries), "reruns": reruns, "first_time_cpu_ms": round(first_ms, 1),
                "rerun_cpu_ms": round(1000 * (_cpu_seconds(pid) - before) / reruns, 1)}


def _server(script, pages: Sequence[PageSpec], rounds: int) -> dict:
    with serve(script) as (base, pid):
        warm(base, [])  # the first visit starts the process's own warm-up; it ends before anything is measured
        settle([pid], limit=180)
        return {page.name: asyncio.run(_page(ws_url(base), pid, page, rounds)) for page in pages}


def rerun_cpu(rounds: int = 10) -> dict:
    """Each app page's CPU per rerun of an already shown choice, beside the one-line floor page's."""
    return {"rounds": rounds, "app": _server(REPO / "app.py", APP_PAGES, rounds),
            "floor": _server(REPO / "lisdash_dev" / "benchpages" / "floor_text.py", FLOOR_PAGES, rounds)}
