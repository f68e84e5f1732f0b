"""Load benchmark: many virtual users driving a running app through Streamlit's own websocket protocol.

Each user connects to /_stcore/stream (subprotocol `streamlit`), opens a page with URL state
(`rerun_script` with a query string and page hash), waits for `script_finished`, then changes a
drop-down (a widget state) and so on, pausing 1-3 s between actions. Each rerun is timed from the
request to `script_finished`. Errors are exceptions shown in a delta, error alerts, disconnects
and timeouts. The server's memory and CPU are sampled throughout. The same load is then run
against a one-line page: the floor of the stack, measured in the same run.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Markdown_pb2 import Markdown
from streamlit.proto.WidgetStates_pb2 import WidgetState

TIMEOUT = 60.0
ERROR_MARK = "Something went wrong"


@dataclass(frozen=True)
class PageSpec:
    """A page the virtual users open: its URL path, URL states to open it with, drop-downs they change."""

    name: str
    path: str
    queries: Sequence[str]
    dropdowns: Sequence[str] = ()


APP_PAGES = [
    PageSpec("overview", "", ["cluster=advanced-manufacturing", "cluster=automotive&measure=gva",
                              "cluster=creative&measure=local_units", "cluster=aerospace&colour=class"],
             ["Cluster", "Measure", "Colour by"]),
    PageSpec("cluster", "cluster", ["cluster=aerospace&level=itl3", "cluster=automotive&level=lad",
                                    "cluster=life-sciences&level=msoa11"], ["Cluster", "Areas"]),
    PageSpec("profile", "profile", ["level=itl3&area=TLG31", "level=itl2&area=TLG3&cluster=creative",
                                    "level=lad&area=E08000026"], ["Cluster for the trend"]),
    PageSpec("trends", "trends", ["clusters=automotive,creative", "data=gva-itl3&scale=absolute"], ["Data"]),
]
FLOOR_PAGES = [PageSpec("floor", "", ["a=1", "a=2"])]


@dataclass
class Sample:
    """One rerun: which page, how long from request to script_finished, and what went wrong if anything."""

    page: str
    seconds: float
    error: str | None = None
    at: float = field(default_factory=time.monotonic)
    query: str = ""


@dataclass
class Widget:
    """A drop-down seen in a run: its id, label, options and current choice."""

    id: str
    label: str
    options: list[str]
    value: str | None


@dataclass
class RunResult:
    """What one rerun sent back: its widgets, the query string and page hashes it set, and any error."""

    widgets: dict[str, Widget] = field(default_factory=dict)
    query: str | None = None
    pages: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    links: list[str] = field(default_factory=list)
    auto_rerun: tuple[float, str] | None = None
    alerts: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)
    captions: list[str] = field(default_factory=list)


def _collect(msg: ForwardMsg, result: RunResult) -> None:
    kind = msg.WhichOneof("type")
    if kind == "navigation":
        result.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
    elif kind == "auto_rerun":
        result.auto_rerun = (msg.auto_rerun.interval, msg.auto_rerun.fragment_id)
    elif kind == "page_info_changed":
        result.query = msg.page_info_changed.query_string
    elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        which = element.WhichOneof("type")
        if which == "selectbox":
            box = element.selectbox
            result.widgets[box.label] = Widget(box.id, box.label, list(box.options),
                                               box.raw_value if box.HasField("raw_value") else None)
        elif which == "radio":
            radio = element.radio
            result.widgets[radio.label] = Widget(radio.id, radio.label, list(radio.options), None)
        elif which in ("text_area", "text_input", "button"):
            widget = getattr(element, which)
            result.widgets[widget.label] = Widget(widget.id, widget.label, [], None)
        elif which == "metric":
            result.metrics[element.metric.label] = element.metric.body
        elif which == "markdown" and element.markdown.element_type == Markdown.CAPTION:
            result.captions.append(element.markdown.body)
        elif which == "link_button":
            result.links.append(element.link_button.url)
        elif which == "exception":
            result.error = result.error or f"exception: {element.exception.type}: {element.exception.message[:300]}"
        elif which == "alert":
            result.alerts.append(element.alert.body)
            if ERROR_MARK in element.alert.body:
                result.error = result.error or "error alert"


async def rerun(ws, query: str, page_hash: str, widgets: Sequence[WidgetState] = (),
                fragment: str = "", page_name: str = "") -> tuple[float, RunResult]:
    """Send one rerun_script (of a fragment, if given; of the page at URL path `page_name` on a first visit)
    and read until script_finished; its seconds and results."""
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_script_hash = page_hash
    back.rerun_script.page_name = page_name
    back.rerun_script.widget_states.widgets.extend(widgets)
    if fragment:
        back.rerun_script.fragment_id = fragment
        back.rerun_script.is_auto_rerun = True
    result = RunResult()
    start = time.perf_counter()
    await ws.send(back.SerializeToString())
    while True:
        data = await asyncio.wait_for(ws.recv(), TIMEOUT)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        _collect(msg, result)
        if msg.WhichOneof("type") == "script_finished":
            status = msg.script_finished
            if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                return time.perf_counter() - start, result
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                result.error = "compile error"
                return time.perf_counter() - start, result


def _change(widget: Widget, rng: random.Random) -> WidgetState:
    state = WidgetState(id=widget.id)
    choices = [o for o in widget.options if o != widget.value] or widget.options
    state.string_value = rng.choice(choices)
    return state


async def user(url: str, pages: Sequence[PageSpec], deadline: float, rng: random.Random, samples: list[Sample],
               think: tuple[float, float] = (1.0, 3.0)) -> None:
    """One virtual user: open a page with URL state, change a drop-down, move on, until the deadline."""
    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT) as ws:
            page_hashes: dict[str, str] = {}
            seconds, first = await rerun(ws, "", "")
            page_hashes.update(first.pages)
            while time.monotonic() < deadline:
                page = rng.choice(pages)
                query = rng.choice(page.queries)
                page_hash = page_hashes.get(page.path, "")
                seconds, result = await rerun(ws, query, page_hash)
                samples.append(Sample(page.name, seconds, result.error, query=query))
                page_hashes.update(result.pages)
                for _ in range(2):
                    await asyncio.sleep(rng.uniform(*think))
                    usable = [result.widgets[d] for d in page.dropdowns if d in result.widgets]
                    if not usable or time.monotonic() >= deadline:
                        break
                    state = _change(rng.choice(usable), rng)
                    seconds, result = await rerun(ws, result.query or query, page_hash, [state])
                    samples.append(Sample(page.name, seconds, result.error, query=f"{query} + {state.string_value}"))
                await asyncio.sleep(rng.uniform(*think))
    except (TimeoutError, websockets.ConnectionClosed, OSError) as exc:
        samples.append(Sample("connection", TIMEOUT, f"{type(exc).__name__}"))


class Sampler:
    """Peak RSS and mean CPU of server processes (and their children), sampled every half second."""

    def __init__(self, pids: Sequence[int]):
        self.processes = [psutil.Process(p) for p in pids]
        self.peak_rss = 0
        self.peak_each = [0] * len(self.processes)
        self.cpu: list[float] = []
        for family in self._families():
            for proc in family:
                proc.cpu_percent(None)

    def _families(self) -> list[list[psutil.Process]]:
        found = []
        for proc in self.processes:
            try:
                found.append([proc, *proc.children(recursive=True)])
            except psutil.NoSuchProcess:
                found.append([])
        return found

    async def run(self, deadline: float) -> None:
        """Sample until the deadline."""
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            total_rss, cpu = 0, 0.0
            for i, family in enumerate(self._families()):
                rss = 0
                for proc in family:
                    try:
                        rss += proc.memory_info().rss
                        cpu += proc.cpu_percent(None)
                    except psutil.NoSuchProcess:
                        continue
                self.peak_each[i] = max(self.peak_each[i], rss)
                total_rss += rss
            self.peak_rss = max(self.peak_rss, total_rss)
            self.cpu.append(cpu)


def summary(samples: list[Sample], duration: float, sampler: Sampler) -> dict:
    """Reruns per second, median and p95 overall and per page, errors, peak RSS and CPU."""
    def stats(times: list[float]) -> dict:
        if not times:
            return {"reruns": 0}
        ordered = sorted(times)
        return {"reruns": len(times), "median_s": round(statistics.median(ordered), 3),
                "p95_s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3)}

    good = [s for s in samples if s.error is None]
    pages = sorted({s.page for s in samples if s.page != "connection"})
    errors: dict[str, int] = {}
    for s in samples:
        if s.error:
            errors[s.error] = errors.get(s.error, 0) + 1
    return {
        **stats([s.seconds for s in good]), "reruns_per_s": round(len(good) / duration, 2),
        "errors": sum(errors.values()), "error_kinds": errors,
        "pages": {p: stats([s.seconds for s in good if s.page == p]) for p in pages},
        "peak_rss_mb": round(sampler.peak_rss / 2**20),
        "peak_rss_mb_each_process": [round(b / 2**20) for b in sampler.peak_each],
        "cpu_percent_mean": round(statistics.mean(sampler.cpu), 1) if sampler.cpu else None,
        "cpu_ms_per_rerun": round(statistics.mean(sampler.cpu) * 10 * duration / len(good), 1)
        if sampler.cpu and good else None,
    }


async def _load(url: str, pages: Sequence[PageSpec], users: int, duration: float, pids: Sequence[int],
                seed: int) -> dict:
    samples: list[Sample] = []
    deadline = time.monotonic() + duration
    sampler = Sampler(pids)
    rng = random.Random(seed)
    tasks = [user(url, pages, deadline, random.Random(rng.random()), samples) for _ in range(users)]
    await asyncio.gather(sampler.run(deadline), *[_staggered(t, rng.uniform(0, 2)) for t in tasks])
    return summary(samples, duration, sampler)


async def _staggered(task, delay: float):
    await asyncio.sleep(delay)
    return await task


def ws_url(base: str) -> str:
    """The websocket stream URL of an app at an http(s) base URL."""
    return base.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"


def load(base: str, pages: Sequence[PageSpec], users: int, duration: float, pids: Sequence[int],
         seed: int = 7) -> dict:
    """Run `users` virtual users against the app at `base` for `duration` seconds; the summary."""
    return asyncio.run(_load(ws_url(base), pages, users, duration, pids, seed))


def warm(base: str, pages: Sequence[PageSpec]) -> None:
    """Open every page once with each URL state (so the first measured rerun is not the process's first)."""
    async def visit() -> None:
        async with websockets.connect(ws_url(base), subprotocols=["streamlit"], max_size=None) as ws:
            _, first = await rerun(ws, "", "")
            for page in pages:
                for query in page.queries:
                    await rerun(ws, query, first.pages.get(page.path, ""))

    asyncio.run(visit())


async def _notes_window(url: str, deadline: float, samples: list[Sample]) -> None:
    """A presenter's screen and its speaker-notes window, refreshing as the browser would."""
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as presenter, \
            websockets.connect(url, subprotocols=["streamlit"], max_size=None) as notes:
        _, first = await rerun(presenter, "", "")
        page = first.pages.get("present", "")
        _, shown = await rerun(presenter, "mode=present&slide=2", page)
        link = next((u for u in shown.links if "view=notes" in u), None)
        if link is None:
            samples.append(Sample("notes", 0.0, f"no notes link on the presenting screen ({shown.error})"))
            return
        query = link.split("?", 1)[1]
        _, opened = await rerun(notes, query, page)
        if opened.auto_rerun is None:
            samples.append(Sample("notes", 0.0, "the notes window does not refresh itself"))
            return
        interval, fragment = opened.auto_rerun
        while time.monotonic() < deadline:
            await asyncio.sleep(interval)
            seconds, result = await rerun(notes, query, page, fragment=fragment)
            samples.append(Sample("notes", seconds, result.error))


def notes_cost(base: str, pids: Sequence[int], windows: int, seconds: float) -> dict:
    """Server CPU of `windows` open speaker-notes windows, beside the idle server, in the same run."""
    async def measure(k: int) -> tuple[float, list[Sample]]:
        samples: list[Sample] = []
        deadline = time.monotonic() + seconds
        sampler = Sampler(pids)
        await asyncio.gather(sampler.run(deadline), *[_notes_window(ws_url(base), deadline, samples)
                                                        for _ in range(k)])
        return statistics.mean(sampler.cpu) if sampler.cpu else 0.0, samples

    idle, _ = asyncio.run(measure(0))
    busy, samples = asyncio.run(measure(windows))
    refreshes = [s.seconds for s in samples if s.error is None]
    return {"windows": windows, "idle_cpu_percent": round(idle, 1), "cpu_percent": round(busy, 1),
            "cpu_percent_per_window": round((busy - idle) / max(windows, 1), 2),
            "refresh_median_s": round(statistics.median(refreshes), 3) if refreshes else None,
            "errors": sum(s.error is not None for s in samples)}


def settle(pids: Sequence[int], idle: float = 15.0, seconds: float = 2.0, limit: float = 90.0) -> None:
    """Wait until the server processes are idle (under `idle` % CPU for `seconds`), e.g. after their warm-up."""
    processes = [psutil.Process(p) for p in pids]
    for proc in processes:
        proc.cpu_percent(None)
    deadline, calm = time.monotonic() + limit, 0.0
    while time.monotonic() < deadline and calm < seconds:
        time.sleep(0.5)
        busy = sum(proc.cpu_percent(None) for proc in processes)
        calm = calm + 0.5 if busy < idle else 0.0


def ramp(servers: dict[str, tuple[Callable, Sequence[PageSpec]]], users: Sequence[int], duration: float,
         notes: int = 0) -> dict:
    """The load at each number of users for each server (the app, the floor page...), in the same run.

    `servers` maps a name to a context manager starting the server (yielding base URL and process
    ids) and the pages its users visit. With `notes`, the app's speaker-notes cost is measured too.
    """
    out: dict = {"duration_s": duration}
    for key, (starter, pages) in servers.items():
        out[key] = {}
        with starter() as (base, pid):
            pids = [pid] if isinstance(pid, int) else list(pid)
            warm(base, pages)
            settle(pids)
            for n in users:
                out[key][str(n)] = load(base, pages, n, duration, pids)
            if notes and pages is APP_PAGES:
                out[key]["notes"] = notes_cost(base, pids, notes, min(duration, 30))
    return out
