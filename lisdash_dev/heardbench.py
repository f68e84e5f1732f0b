"""`python -m lisdash bench --heard N`: the theme model and the report on N views, time and peak memory.

N synthetic views (bench input, never shown as data) are written straight into a fresh SQLite file:
comments recombined from the sentences of the labelled test fixture, a tenth of them a campaign, agreement,
respondent types, sectors and places drawn with a fixed seed. Then, timed one after the other: the theme
model (`responses themes`), the summary, and the report as HTML, DOCX and PDF. The floor, in the same run:
reading the N views back, and the report of an empty database. Peak memory is this process's resident set
(sampled every 50 ms); Chromium, which draws the charts and prints the PDF, runs in its own processes.
"""

from __future__ import annotations

import random
import re
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import psutil

from lisdash.config import REPO

FIXTURE = REPO / "tests" / "fixtures" / "labelled_comments.csv"
TYPES = ["business", "business", "public", "resident", "education", "voluntary", "other"]
SECTORS = ["C", "G", "M", "J", "Q", "F", "N", "H", "P"]
PLACES = ["E08000025", "E08000026", "E08000027", "E08000028", "E08000029", "E08000030", "E08000031"]
COMMITMENTS = {"skills": "c1", "housing": "c2", "creative": "c3", "transport": "c4", "exporting": "c5",
               "health": "c6"}


class PeakMemory:
    """The largest resident set of this process while the block runs."""

    def __init__(self) -> None:
        self.peak, self._done = 0, threading.Event()

    def _watch(self) -> None:
        process = psutil.Process()
        while not self._done.wait(0.05):
            self.peak = max(self.peak, process.memory_info().rss)

    def __enter__(self) -> PeakMemory:
        self.peak = psutil.Process().memory_info().rss
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()


def synthetic_views(n: int, seed: int = 26) -> list[dict]:
    """N views as rows of the response table (bench input)."""
    rng = random.Random(seed)
    fixture = pd.read_csv(FIXTURE, comment="#")
    sentences = {topic: sorted({s.strip() for c in group["comment"] for s in re.split(r"(?<=[.,])\s+", c) if s})
                 for topic, group in fixture.groupby("topic")}
    campaign = "We the undersigned ask the combined authority to fund the Brierley Hill tram extension now"
    now = datetime.now(UTC)
    rows = []
    for i in range(n):
        topic = rng.choice(sorted(sentences))
        if rng.random() < 0.1:
            comment = campaign + rng.choice(["", ".", "!", " please"])
        elif rng.random() < 0.2:
            comment = ""
        else:
            comment = " ".join(rng.sample(sentences[topic], k=min(3, len(sentences[topic]))))
        kind = rng.choice(TYPES)
        rows.append({"receipt": f"B{i:07d}", "created_at": now, "channel": rng.choice(["event", "online"]),
                     "respondent_type": kind, "sector": rng.choice(SECTORS) if kind == "business" else None,
                     "place": rng.choice(PLACES), "commitments": [COMMITMENTS[topic]],
                     "agreement": rng.randint(1, 5), "comment": comment, "session_hash": f"s{i:015d}",
                     "client_hash": f"c{i % 500:015d}", "device_hash": f"d{i:015d}", "hidden": False,
                     "flagged": rng.random() < 0.01, "quote_ok": rng.random() < 0.5})
    return rows


def _timed(step, *args):
    started = time.perf_counter()
    out = step(*args)
    return out, round(time.perf_counter() - started, 2)


def heard_bench(n: int) -> dict:
    """Theme proposal and report generation for n views: seconds per step, peak memory, and the floor."""
    from sqlalchemy import insert

    from lisdash.consult import db, inbox, reporting, themestore
    from lisdash.consult.schema import Response
    from lisdash.content.analysis import load_analysis
    from lisdash.content.form import load_consultation
    from lisdash.content.story import load_story
    from lisdash.evidence import evaluate
    from lisdash.pipeline.provision import store_and_content

    store, content = store_and_content()
    rules, form, story = load_analysis(), load_consultation(), load_story(content)
    evidence = evaluate(store, content)
    with tempfile.TemporaryDirectory() as folder:
        empty = db.sessions(f"sqlite:///{Path(folder) / 'empty.sqlite'}")
        sessions = db.sessions(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        with sessions.begin() as session:
            session.execute(insert(Response), synthetic_views(n))
        _, floor_read = _timed(inbox.responses_frame, sessions)
        floor_summary, floor_summary_s = _timed(reporting.summary, empty, store, content, form, story, rules,
                                                evidence)
        _, floor_html = _timed(reporting.report, floor_summary, "html")
        steps = {}
        before = psutil.Process().memory_info().rss
        with PeakMemory() as memory:
            tagged, steps["themes"] = _timed(themestore.run_model, sessions, rules)
            summary, steps["summary"] = _timed(reporting.summary, sessions, store, content, form, story, rules,
                                               evidence)
            for fmt in ("html", "docx", "pdf"):
                _, steps[f"report_{fmt}"] = _timed(reporting.report, summary, fmt)
    return {"views": n, "comments_tagged": sum(tagged.values()), "seconds": steps,
            "themes_and_report_s": round(steps["themes"] + steps["summary"] + steps["report_html"], 2),
            "all_formats_s": round(sum(steps.values()), 2), "peak_rss_mb": round(memory.peak / 2**20),
            "rss_before_mb": round(before / 2**20),
            "floor": {"read_views_s": floor_read, "empty_summary_s": floor_summary_s,
                      "empty_report_html_s": floor_html}}
