"""Serving parts on their own: the export cache and budget, the build lock's progress."""

from __future__ import annotations

import threading
import time

from lisdash.pipeline import buildlock
from lisdash.webapp.rendercache import ExportCache, allow


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

    from lisdash.webapp import warmup

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


def _vendor(folder, version: str, bundle: bytes | None):
    """A vendor folder like lisdash/vendor/: plotly-map.toml recording `bundle`, and the bundle if given."""
    import hashlib

    from lisdash_dev.vendor_plotly import manifest_text

    folder.mkdir()
    record = bundle or b"/* plotly.js (map) */"
    (folder / "plotly-map.toml").write_text(manifest_text(
        version, "https://registry.example/p.tgz", "sha512-x", hashlib.sha256(record).hexdigest(), ["choroplethmap"]))
    if bundle is not None:
        (folder / "plotly-map.min.js").write_bytes(bundle)
    return folder / "plotly-map.toml"


def test_the_live_maps_load_the_tracked_map_bundle_else_the_plotly_package_s_full_bundle_published_once(tmp_path):
    from pathlib import Path

    import plotly
    from plotly.offline import get_plotlyjs_version

    from lisdash.webapp.publish import publish_plotly

    version = get_plotlyjs_version()
    manifest = _vendor(tmp_path / "vendor", version, b"/* plotly.js (map) */")
    static = tmp_path / "static"
    static.mkdir()
    (static / "plotly-9.9.9.min.js").write_text("an earlier bundle")
    url = publish_plotly(static, manifest)
    name = f"plotly-map-{version}.min.js"
    assert url == f"app/static/js/{name}"
    published = static / name
    assert published.read_bytes() == b"/* plotly.js (map) */"
    stamp = published.stat().st_mtime_ns
    assert publish_plotly(static, manifest) == url and published.stat().st_mtime_ns == stamp  # not copied again
    assert [p.name for p in static.iterdir()] == [name]  # the earlier one removed, no temporary file left

    (tmp_path / "vendor" / "plotly-map.min.js").unlink()  # deleted: the full bundle of the same version
    full = f"plotly-{version}.min.js"
    assert publish_plotly(static, manifest) == f"app/static/js/{full}"
    package_bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert (static / full).read_bytes() == package_bundle.read_bytes()
    assert f"plotly.js v{version}" in package_bundle.read_text(encoding="utf-8")[:200]
    assert [p.name for p in static.iterdir()] == [full]


def test_the_tracked_map_bundle_is_plotly_js_map_bundle_of_the_plotly_package_version_with_its_licences():
    import subprocess

    from plotly.offline import get_plotlyjs_version

    from lisdash.config import REPO
    from lisdash.webapp.mapbundle import LICENCE, checked_bundle, served_script

    bundle = checked_bundle()  # present, and its bytes are the ones plotly-map.toml records
    assert served_script().path == bundle.path  # what a fresh clone serves, with nothing fetched
    tracked = subprocess.run(["git", "ls-files", "lisdash/vendor"], cwd=REPO, capture_output=True, text=True).stdout
    assert set(tracked.split()) == {"lisdash/vendor/plotly-map.min.js", "lisdash/vendor/plotly-map.toml",
                                    "lisdash/vendor/plotly-map.LICENSE.txt"}
    licence = LICENCE.read_text(encoding="utf-8")
    assert "Copyright (c) 2016-2024 Plotly Technologies Inc." in licence and "MapLibre contributors" in licence
    assert bundle.version == get_plotlyjs_version()
    header = bundle.path.read_text(encoding="utf-8")[:80].splitlines()[1]
    assert header == f"* plotly.js (map - minified) v{bundle.version}"
    assert {"choroplethmap", "scattermap"} <= set(bundle.traces)


def test_an_altered_or_outdated_map_bundle_is_refused_naming_the_file_and_the_fix(tmp_path):
    import pytest

    from lisdash.webapp.mapbundle import BundleError, checked_bundle
    from lisdash.webapp.publish import publish_plotly

    manifest = _vendor(tmp_path / "vendor", "4.1.1", b"/* plotly.js (map) */")
    bundle = tmp_path / "vendor" / "plotly-map.min.js"
    bundle.write_bytes(b"/* plotly.js (map) */\n")
    restore = r"restore it with `git checkout -- lisdash/vendor/` \(or `python -m lisdash_dev.vendor_plotly --fetch`\)"
    with pytest.raises(BundleError, match=rf"{bundle} is not the file plotly-map.toml records.*{restore}"):
        checked_bundle("4.1.1", manifest)
    with pytest.raises(BundleError, match=rf"{bundle} is not the file"):  # never served: no fallback either
        publish_plotly(tmp_path / "static", manifest)
    with pytest.raises(BundleError, match=r"is plotly.js 4.1.1, but the installed plotly package draws with "
                                          r"plotly.js 99.0.0: run `python -m lisdash_dev.vendor_plotly --fetch` "
                                          r"and commit lisdash/vendor/"):
        checked_bundle("99.0.0", manifest)
    bundle.unlink()
    with pytest.raises(BundleError, match=f"plotly-map.min.js is missing: {restore}"):
        checked_bundle("4.1.1", manifest)
    manifest.unlink()
    with pytest.raises(BundleError, match=f"plotly-map.toml is missing: {restore}"):
        checked_bundle("4.1.1", manifest)


def test_the_vendoring_script_reads_a_bundle_index_and_writes_its_provenance():
    import tomllib

    from lisdash_dev.vendor_plotly import bundle_traces, manifest_text

    index = ("var Plotly = require('./core');\nPlotly.register([\n    // traces\n    require('./scattermap'),\n"
             "    require('./choroplethmap'),\n\n    // components\n    require('./calendars'),\n]);\n")
    assert bundle_traces(index) == ["scattermap", "choroplethmap"]
    meta = tomllib.loads(manifest_text("4.1.1", "https://registry.example/p.tgz", "sha512-x", "ab" * 32,
                                       ["scattermap", "choroplethmap"]))
    assert meta == {"file": "plotly-map.min.js", "version": "4.1.1", "tarball": "https://registry.example/p.tgz",
                    "integrity": "sha512-x", "member": "package/dist/plotly-map.min.js", "sha256": "ab" * 32,
                    "traces": ["scattermap", "choroplethmap"]}


def test_the_bundle_check_finds_any_byte_that_differs_from_the_recorded_release():
    import hashlib
    import io
    import json
    import tarfile
    from dataclasses import replace
    from pathlib import Path

    from lisdash.webapp.mapbundle import MapBundle
    from lisdash_dev.vendor_plotly import (
        INDEX,
        MEMBER,
        PACKAGE,
        PLOTLY_LICENCE,
        Release,
        bundle_traces,
        member,
        mismatch,
    )

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in ((MEMBER, b"/* plotly.js map */"), (PLOTLY_LICENCE, b"MIT"),
                           (PACKAGE, json.dumps({"dependencies": {"maplibre-gl": "6.9.0"}}).encode()),
                           (INDEX, b"// traces\nrequire('./choroplethmap'),\n// components\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    tarball = buffer.getvalue()
    upstream = member(tarball, MEMBER)
    assert bundle_traces(member(tarball, INDEX).decode()) == ["choroplethmap"]
    assert json.loads(member(tarball, PACKAGE))["dependencies"]["maplibre-gl"] == "6.9.0"
    release = Release("https://registry.example/p.tgz", "sha512-a", upstream, ["choroplethmap"], "MIT and BSD")
    recorded = hashlib.sha256(upstream).hexdigest()
    record = MapBundle("4.1.1", release.tarball, "sha512-a", MEMBER, recorded, ("choroplethmap",), Path("x.js"))
    assert mismatch(record, upstream, "MIT and BSD", release) is None
    altered = upstream + b"\n"
    assert mismatch(record, altered, "MIT and BSD", release) == (
        f"the tracked bundle (20 bytes, sha256 {hashlib.sha256(altered).hexdigest()[:12]}…) differs from the "
        f"release's (19 bytes, {recorded[:12]}…)")
    assert mismatch(record, upstream, "MIT", release) == (
        "plotly-map.LICENSE.txt differs from the licences of the release and of the MapLibre GL JS it bundles")
    other = Release(release.tarball, "sha512-a", altered, ["choroplethmap"], "MIT and BSD")
    assert mismatch(record, upstream, "MIT and BSD", other) == (
        f"the release's bundle (20 bytes) has sha256 {hashlib.sha256(altered).hexdigest()[:12]}…, "
        f"plotly-map.toml records {recorded[:12]}…")
    assert mismatch(replace(record, integrity="sha512-b"), upstream, "MIT and BSD", release) == (
        "plotly-map.toml records integrity sha512-b, the registry gives sha512-a")


def test_every_file_the_package_needs_at_run_time_is_in_its_package_data():
    import fnmatch
    import subprocess
    import tomllib

    from lisdash.config import REPO

    globs = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["lisdash"]
    tracked = subprocess.run(["git", "ls-files", "lisdash"], cwd=REPO, capture_output=True, text=True).stdout.split()
    data = [path.removeprefix("lisdash/") for path in tracked if not path.endswith(".py") or "/migrations/" in path]
    assert "vendor/plotly-map.min.js" in data
    assert [path for path in data if not any(fnmatch.fnmatch(path, glob) for glob in globs)] == []


def test_an_app_process_that_cannot_warm_says_so_on_one_line_and_listens_anyway(caplog):
    """No store yet (a fresh machine): the warm-up before listening logs why and returns; the first page
    then builds the store as on a laptop."""
    from lisdash import serverlog
    from lisdash.serving import appserver
    from lisdash.store import StoreMissing

    def missing() -> None:
        raise StoreMissing("no built store")

    # The server log stops propagating once configured (an earlier test may have): listen on it directly.
    log = serverlog.configure()
    log.addHandler(caplog.handler)
    try:
        worker = threading.Thread(target=appserver._load_at_low_priority, args=(missing,))  # it lowers its thread
        worker.start()
        worker.join(30)
    finally:
        log.removeHandler(caplog.handler)
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [r.getMessage() for r in errors] == ["app process listens unwarmed"]
    line = serverlog.OneLine(serverlog.FORMAT).format(errors[0])
    assert "\n" not in line and "StoreMissing: no built store" in line


def test_the_package_s_pins_are_the_requirements_and_leave_the_development_tools_out():
    """pyproject.toml pins what requirements.txt pins (runtime, or the dev extra), and its wheel holds lisdash,
    not lisdash_dev."""
    import tomllib

    from lisdash.config import REPO

    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    lines = [line.split("#")[0].strip() for line in (REPO / "requirements.txt").read_text().splitlines()]
    pinned = {line for line in lines if "==" in line}
    listed = set(config["project"]["dependencies"]) | set(config["project"]["optional-dependencies"]["dev"])
    assert pinned <= listed, sorted(pinned - listed)
    assert config["tool"]["setuptools"]["packages"]["find"]["include"] == ["lisdash", "lisdash.*"]
