"""`python -m lisdash bench --json`: payload, server time and browser paint time of the main map views.

Each view is measured our way (simplified geometry served once as a same-origin GeoJSON file, figures
built from the store) and the naive way (plotly express with the unsimplified source boundaries inline),
in the same run, so the gain is a ratio measured side by side. Browser timings stand beside the floor
of the stack (a one-line page and a one-polygon map) measured in the same browser.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import geopandas as gpd
import plotly.express as px
import plotly.graph_objects as go

from lisdash import metrics, views
from lisdash.config import REPO, mirror_dir
from lisdash.content import Content, load_content
from lisdash.pipeline import release
from lisdash.store import Store

VIEWS = {
    "overview": ("local_units", "lad", "national"),
    "region_lad": ("local_units", "lad", "regional"),
    "region_msoa": ("workplace_pop", "msoa11", "regional"),
}
RAW = {  # the unsimplified source boundaries each view would use without lisdash's build step
    "national_lad": "boundaries/lad/Local_Authority_Districts_December_2021_UK_BUC_2022.topojson.json",
    "regional_lad": "boundaries/lad/Local_Authority_Districts_December_2024_Boundaries_UK_BGC.topojson.json",
    "regional_msoa11": "boundaries/derived/WM_region_msoa11_bgc_merged.geojson",
}
RUNS = 20
BROWSER_RUNS = 5  # rounds of page loads (each with one switch) over the settled servers; medians reported
Z_JS = "(p => Array.from(p._fullData[0].z).join())"
CLUSTER = "advanced-manufacturing"


def build_view(store: Store, content: Content, name: str, cluster: str = CLUSTER) -> go.Figure:
    """The view's figure, built as the app builds it (GeoJSON by same-origin URL)."""
    measure, level, extent = VIEWS[name]
    url = lambda lv, ex: f"app/static/geo/bench/{lv}_{ex}.geojson"  # noqa: E731
    if extent == "national":
        return views.national_view(store, content, cluster, measure, None, "lq", url).figure
    return views.region_view(store, content, cluster, level, None, "lq", url).figure


def payload(store: Store, fig: go.Figure, name: str) -> int:
    """Bytes the browser receives for the view: the figure JSON plus the GeoJSON file it loads once."""
    measure, level, extent = VIEWS[name]
    return len(fig.to_json().encode()) + store.geojson_path(level, extent).stat().st_size


@cache
def raw_layer(key: str) -> gpd.GeoDataFrame:
    """Source boundaries read as they are published (no simplification), codes as `code`."""
    gdf = gpd.read_file(mirror_dir() / RAW[key]).set_crs(4326, allow_override=True)
    code = next(c for c in ("AREACD", "MSOA11CD") if c in gdf.columns)
    return gdf.rename(columns={code: "code"})[["code", "geometry"]]


def naive_figure(store: Store, content: Content, cluster: str, key: str, raw: gpd.GeoDataFrame) -> go.Figure:
    """The same LQ map drawn the naive way: plotly express, raw geometry inline, continuous colour."""
    measure, level = ("workplace_pop", "msoa11") if key == "regional_msoa11" else ("local_units", "lad")
    table = metrics.cluster_table(store, content.cluster(cluster), measure, level)
    if key.startswith("regional"):
        layer = store.layer(level, "regional")
        codes = set(layer.loc[layer["region"] == content.region.region, "code"])
        raw = raw[raw["code"].isin(codes)]
    data = raw.merge(table[["code", "name", "lq"]], on="code")
    return px.choropleth_map(data, geojson=data.__geo_interface__, locations=data.index, color="lq",
                             hover_name="name", color_continuous_scale="Reds", map_style="white-bg",
                             center={"lat": 54.5 if key == "national_lad" else 52.5, "lon": -2}, zoom=4.5)


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - start)


def _cold(code: str) -> float:
    """Milliseconds for `code` in a fresh Python process (imports excluded, store load included)."""
    script = ("import time, lisdash_dev.bench as b, lisdash.views, lisdash.store, lisdash.content\n"
              "t = time.perf_counter()\n" + code + "\nprint(1000 * (time.perf_counter() - t))")
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def server_figures() -> dict:
    """Payload, warm median and cold time per view, ours and naive."""
    store, content = Store.open(), load_content()
    ours, naive = {}, {}
    for name, (_, level, extent) in VIEWS.items():
        fig = build_view(store, content, name)
        warm = [_time(lambda n=name: build_view(store, content, n)) for _ in range(RUNS)]
        ours[name] = {"payload_bytes": payload(store, fig, name), "warm_ms_median": round(statistics.median(warm), 1),
                      "cold_ms": round(_cold(
                          "s = lisdash.store.Store.open(); c = lisdash.content.load_content()\n"
                          f"b.build_view(s, c, {name!r})"), 1)}
        key = f"{extent}_{'msoa11' if level == 'msoa11' else 'lad'}"
        raw = raw_layer(key)
        naive_fig = naive_figure(store, content, CLUSTER, key, raw)
        warm = [_time(lambda k=key, r=raw: naive_figure(store, content, CLUSTER, k, r)) for _ in range(RUNS)]
        naive[name] = {"payload_bytes": len(naive_fig.to_json().encode()),
                       "warm_ms_median": round(statistics.median(warm), 1),
                       "cold_ms": round(_cold(
                           "s = lisdash.store.Store.open(); c = lisdash.content.load_content()\n"
                           f"b.naive_figure(s, c, b.CLUSTER, {key!r}, b.raw_layer({key!r}))"), 1)}
    return {"views": ours, "naive": {"views": naive}}


def first_start_figures() -> dict:
    """Seconds a clone without the mirror spends verifying and unpacking the shipped data release."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        release.unpack(Path(tmp) / "build")
        return {"release_unpack_s": round(time.perf_counter() - start, 2)}


def _paint_and_switch(browser, base: str, kind: str, query: str = "", switch_to: str | None = None
                      ) -> tuple[float, float | None]:
    """Seconds from navigation to painted content, and from choosing another cluster to the repainted map."""
    from lisdash_dev.browser import wait_for_map

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    start = time.perf_counter()
    page.goto(base + "/" + query)
    if kind == "text":
        page.get_by_text("lisdash benchmark floor").wait_for()
    else:
        wait_for_map(page)
    first = time.perf_counter() - start
    switch = None
    if switch_to:
        before = page.evaluate(f"() => {Z_JS}(document.querySelector('.js-plotly-plot'))")
        page.locator('[data-testid="stSelectbox"]').first.click()
        start = time.perf_counter()
        page.get_by_role("option", name=switch_to, exact=True).click()
        page.wait_for_function(
            f"(b) => {{ const p = document.querySelector('.js-plotly-plot');"
            f" return p && p._fullData && {Z_JS}(p) !== b; }}",
            arg=before, timeout=60_000)
        wait_for_map(page)
        switch = time.perf_counter() - start
    page.close()
    return first, switch


@dataclass
class _Server:
    """One server under the browser bench, with its own browser and its settled page loads."""

    key: str
    base: str
    pid: int
    browser: object
    kind: str
    query: str
    switch_to: str | None
    warming: float
    runs: list[tuple[float, float | None]] = field(default_factory=list)


def _started(stack: ExitStack, playwright, key: str, script: Path, kind: str, query: str,
             switch_to: str | None) -> _Server:
    """Start a server with its own fresh browser (so no page gains from code another server's pages compiled),
    visit it twice, and keep the second first paint: taken while any warm-up the first visit started runs."""
    from lisdash_dev.browser import CHROMIUM, CHROMIUM_ARGS, serve

    base, pid = stack.enter_context(serve(script))
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    stack.callback(browser.close)
    _paint_and_switch(browser, base, kind, query)
    warming, _ = _paint_and_switch(browser, base, kind, query)
    return _Server(key, base, pid, browser, kind, query, switch_to, warming)


def browser_figures() -> dict:
    """Page load to painted map and cluster switch to repainted map in headless Chromium, with the floor.

    Every server is started and visited first; once all their CPUs are idle (the app's warm-up over, as at an
    event where the app was started before the room arrived), BROWSER_RUNS rounds each load one fresh page
    of every server in turn (with one switch where the page has one), so that a change in the machine's
    load touches the app and its floors alike. Medians are reported; the app's first paint is also
    measured right after its first visit, while the warm-up that visit started still runs
    (`first_paint_during_warmup_s`).
    """
    from playwright.sync_api import sync_playwright

    from lisdash_dev.loadbench import settle

    pages = REPO / "lisdash_dev" / "benchpages"
    specs = [
        ("browser", REPO / "app.py", "map", "?measure=local_units", "Creative industries"),
        ("naive_browser", pages / "naive_map.py", "map", "", "creative"),
        ("text_page_s", pages / "floor_text.py", "text", "", None),
        ("one_polygon_map_s", pages / "floor_map.py", "map", "", None),
        ("one_polygon_switch_s", pages / "floor_switch.py", "map", "", "two"),
    ]
    with sync_playwright() as playwright, ExitStack() as stack:
        servers = [_started(stack, playwright, *spec) for spec in specs]
        settle([server.pid for server in servers])
        for _ in range(BROWSER_RUNS):
            for server in servers:
                server.runs.append(_paint_and_switch(server.browser, server.base, server.kind, server.query,
                                                     server.switch_to))
    median = {s.key: (round(statistics.median(r[0] for r in s.runs), 2),
                      round(statistics.median(r[1] for r in s.runs), 2) if s.switch_to else None) for s in servers}
    out = {key: {"first_paint_s": median[key][0], "switch_s": median[key][1],
                 "first_paint_during_warmup_s": round(next(s.warming for s in servers if s.key == key), 2)}
           for key in ("browser", "naive_browser")}
    out["floor"] = {"text_page_s": median["text_page_s"][0], "one_polygon_map_s": median["one_polygon_map_s"][0],
                    "one_polygon_switch_s": median["one_polygon_switch_s"][1]}
    return out


def load_figures(users: list[int], duration: float, notes: int, compare_gc: bool,
                 proxied_workers: list[int] | None = None) -> dict:
    """The app and the one-line floor page under the same websocket load (and, optionally, with
    Streamlit's per-run garbage collection switched back on, for the before/after comparison). With
    `proxied_workers`, both run behind HAProxy instead, with each number of app processes in turn."""
    from lisdash_dev import loadbench
    from lisdash_dev.browser import serve

    pages = REPO / "lisdash_dev" / "benchpages"
    if proxied_workers:
        from lisdash_dev.servingset import app_via_proxy, page_via_proxy

        servers = {}
        for n in proxied_workers:
            servers[f"app_via_proxy_{n}_processes"] = (lambda n=n: app_via_proxy(n), loadbench.APP_PAGES)
            servers[f"floor_via_proxy_{n}_processes"] = (lambda n=n: page_via_proxy(pages / "floor_text.py", n),
                                                         loadbench.FLOOR_PAGES)
        return loadbench.ramp(servers, users, duration, notes)
    servers = {"app": (lambda: serve(), loadbench.APP_PAGES),
               "floor": (lambda: serve(pages / "floor_text.py"), loadbench.FLOOR_PAGES)}
    if compare_gc:
        servers["app_with_gc"] = (lambda: serve(env={"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}),
                                  loadbench.APP_PAGES)
    return loadbench.ramp(servers, users, duration, notes)


def run(with_browser: bool = True, load: list[int] | None = None, duration: float = 60, notes: int = 0,
        compare_gc: bool = False, proxied_workers: list[int] | None = None, rerun_rounds: int = 0) -> dict:
    """All figures in the stable JSON shape."""
    result = server_figures()
    if rerun_rounds:
        from lisdash_dev.rerunbench import rerun_cpu

        result["rerun_cpu"] = rerun_cpu(rerun_rounds)
    result["first_start"] = first_start_figures()
    if with_browser:
        b = browser_figures()
        result["browser"] = b["browser"]
        result["naive"]["browser"] = b["naive_browser"]
        result["floor"] = b["floor"]
    if load:
        result["load"] = load_figures(load, duration, notes, compare_gc, proxied_workers)
    return result


def main(with_browser: bool = True, **load) -> str:
    """The benchmark as JSON text."""
    return json.dumps(run(with_browser, **load), indent=2)
