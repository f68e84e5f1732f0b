"""Serving parts on their own: the export cache and budget, the build lock's progress."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from lisdash import buildlock
from lisdash.exportcache import ExportCache, allow


def test_the_same_export_is_rendered_once_even_when_asked_for_at_once(tmp_path):
    cache = ExportCache(tmp_path)
    renders = []

    def make() -> bytes:
        renders.append(1)
        time.sleep(0.3)
        return b"\x89PNG image"

    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k1", ".png", make))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [b"\x89PNG image"] * 4 and len(renders) == 1 and cache.renders == 1
    assert cache.get("k1", ".png", make) == b"\x89PNG image" and len(renders) == 1  # served from disk
    assert ExportCache(tmp_path).get("k1", ".png", make) == b"\x89PNG image"  # and by another process's cache


def test_a_visitor_may_start_only_a_few_exports_a_minute():
    history: list[float] = []
    for i in range(6):
        ok, history = allow(history, now=100.0 + i)
        assert ok
    ok, history = allow(history, now=110.0)
    assert not ok
    ok, _ = allow(history, now=170.0)
    assert ok


def test_build_progress_is_shared_through_a_file(tmp_path):
    store = tmp_path / "store"
    assert buildlock.read_progress(store) == ("Waiting for the build to start", 0.0)
    buildlock.publish(store, "Reading sources", 0.4)
    assert buildlock.read_progress(store) == ("Reading sources", 0.4)


def test_the_warm_up_yields_the_cpu_to_visitors_and_leaves_the_server_thread_as_it_was(monkeypatch):
    """The warm-up runs at the lowest priority (Linux sets it per thread); the thread that started it keeps its own."""
    import gc
    import os

    from lisdash import warmup

    seen: list[int] = []
    monkeypatch.setattr(warmup, "warm", lambda store, content: seen.append(
        os.getpriority(os.PRIO_PROCESS, threading.get_native_id())) or 0.0)
    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    try:
        warmup.warm_in_background(None, None).join(timeout=30)
    finally:
        gc.unfreeze()
    assert seen == [warmup.NICENESS]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before


def test_plotly_js_is_published_once_under_its_version_for_the_live_maps(tmp_path):
    import plotly
    from plotly.offline import get_plotlyjs_version

    from lisdash.publish import publish_plotly

    url = publish_plotly(tmp_path)
    name = f"plotly-{get_plotlyjs_version()}.min.js"
    assert url == f"app/static/js/{name}"
    published = tmp_path / name
    assert published.read_bytes() == (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    stamp = published.stat().st_mtime_ns
    assert publish_plotly(tmp_path) == url and published.stat().st_mtime_ns == stamp  # not copied again
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind
