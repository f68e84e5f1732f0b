"""Serving parts on their own: the export cache and budget, the build lock's progress."""

from __future__ import annotations

import threading
import time

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


def test_the_live_maps_load_the_fetched_map_bundle_else_the_plotly_package_s_full_bundle_published_once(tmp_path):
    from pathlib import Path

    import plotly
    from plotly.offline import get_plotlyjs_version

    from lisdash.publish import publish_plotly

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

    (tmp_path / "vendor" / "plotly-map.min.js").unlink()  # not fetched: the full bundle of the same version
    full = f"plotly-{version}.min.js"
    assert publish_plotly(static, manifest) == f"app/static/js/{full}"
    package_bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert (static / full).read_bytes() == package_bundle.read_bytes()
    assert f"plotly.js v{version}" in package_bundle.read_text(encoding="utf-8")[:200]
    assert [p.name for p in static.iterdir()] == [full]


def test_the_fetched_map_bundle_is_plotly_js_map_bundle_of_the_plotly_package_version():
    import pytest
    from plotly.offline import get_plotlyjs_version

    from lisdash.mapbundle import FETCH, checked_bundle, map_bundle

    if not map_bundle().path.is_file():
        pytest.skip(f"the map bundle has not been fetched (`{FETCH}`): the maps use the full bundle")
    bundle = checked_bundle()  # its bytes are the ones plotly-map.toml records
    assert bundle.version == get_plotlyjs_version()
    header = bundle.path.read_text(encoding="utf-8")[:80].splitlines()[1]
    assert header == f"* plotly.js (map - minified) v{bundle.version}"
    assert {"choroplethmap", "scattermap"} <= set(bundle.traces)


def test_an_altered_or_outdated_map_bundle_is_refused_naming_the_file_and_the_fix(tmp_path):
    import pytest

    from lisdash.mapbundle import BundleError, checked_bundle
    from lisdash.publish import publish_plotly

    manifest = _vendor(tmp_path / "vendor", "4.1.1", b"/* plotly.js (map) */")
    bundle = tmp_path / "vendor" / "plotly-map.min.js"
    bundle.write_bytes(b"/* plotly.js (map) */\n")
    with pytest.raises(BundleError, match=rf"{bundle} is not the file plotly-map.toml records"
                                          r".*run `python -m lisdash_dev.vendor_plotly --fetch`"):
        checked_bundle("4.1.1", manifest)
    with pytest.raises(BundleError, match=rf"{bundle} is not the file"):  # never served: no fallback either
        publish_plotly(tmp_path / "static", manifest)
    with pytest.raises(BundleError, match=r"is plotly.js 4.1.1, but the installed plotly package draws with "
                                          r"plotly.js 99.0.0: run `python -m lisdash_dev.vendor_plotly`"):
        checked_bundle("99.0.0", manifest)
    bundle.unlink()
    with pytest.raises(BundleError, match="plotly-map.min.js is missing: run `python -m lisdash_dev.vendor_plotly "
                                          "--fetch`"):
        checked_bundle("4.1.1", manifest)
    manifest.unlink()
    with pytest.raises(BundleError, match="plotly-map.toml is missing: run"):
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


def test_the_bundle_fetch_checks_the_release_s_bundle_is_the_recorded_one_byte_for_byte():
    import hashlib
    import io
    import tarfile

    from lisdash_dev.vendor_plotly import INDEX, MEMBER, mismatch, release_bundle

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in ((MEMBER, b"/* plotly.js map */"),
                           (INDEX, b"// traces\nrequire('./choroplethmap'),\n// components\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    upstream, traces = release_bundle(buffer.getvalue())
    assert (upstream, traces) == (b"/* plotly.js map */", ["choroplethmap"])
    recorded, altered = hashlib.sha256(upstream).hexdigest(), upstream + b"\n"
    assert mismatch("sha512-a", recorded, upstream, "sha512-a") is None
    assert mismatch("sha512-a", recorded, altered, "sha512-a") == (
        f"the release's bundle (20 bytes) has sha256 {hashlib.sha256(altered).hexdigest()[:12]}…, "
        f"plotly-map.toml records {recorded[:12]}…")
    assert mismatch("sha512-a", recorded, upstream, "sha512-b") == (
        "plotly-map.toml records integrity sha512-a, the registry gives sha512-b")
