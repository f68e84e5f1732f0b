"""Streamlit glue shared by the pages: cached store and views, URL-bound widgets, credits, downloads."""

from __future__ import annotations

import hashlib
import logging
import secrets
import shutil
import threading
import time

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lisdash import buildlock, views, vocabulary
from lisdash.config import REPO, store_dir
from lisdash.content import Content, area_codes_of, load_content
from lisdash.export import figure_png
from lisdash.exportcache import ExportCache, allow, key_of
from lisdash.presenting import Presentations
from lisdash.provenance import store_credit
from lisdash.provision import obtain
from lisdash.release import ReleaseError
from lisdash.sources.files import SourceError
from lisdash.state import Param, parse, parse_list
from lisdash.store import Store, StoreMissing
from lisdash.warmup import warm_in_background

LOG = logging.getLogger("lisdash")
STATIC = REPO / "static"
WIDGET_CHANGE = "_changed_by_widget"
MAP_CONFIG = {"displaylogo": False, "scrollZoom": True, "toImageButtonOptions": {"format": "png", "scale": 2}}


def ensure_store() -> None:
    """Build the store on first start, with a visible progress bar; stop with the fix if inputs are bad.

    The build runs in one background thread per process (and one process at a time, by the build
    lock), so a session that reloads or leaves never interrupts it; every session waits and shows
    the same progress, then the app.
    """
    try:
        Store.open()
        return
    except StoreMissing:
        pass
    st.info("First start: preparing the data store (built from the open-data mirror in about half a minute, "
            "or unpacked from the shipped data release in seconds).")
    bar = st.progress(0.0, text="Starting")
    worker = first_build()
    while worker.is_alive():
        label, fraction = buildlock.read_progress(store_dir())
        bar.progress(min(max(fraction, 0.0), 1.0), text=label)
        time.sleep(0.5)
    if FIRST_BUILD["error"] is not None:
        st.error(f"The data store could not be built: {FIRST_BUILD['error']}")
        st.stop()
    bar.empty()


FIRST_BUILD: dict = {"thread": None, "error": None}
_FIRST_BUILD_LOCK = threading.Lock()


def first_build() -> threading.Thread:
    """The process's one background build of a missing store (started on first call)."""
    with _FIRST_BUILD_LOCK:
        thread = FIRST_BUILD["thread"]
        if thread is None or (not thread.is_alive() and FIRST_BUILD["error"] is not None):
            def run() -> None:
                try:
                    FIRST_BUILD["error"] = None
                    obtain()
                except (SourceError, ReleaseError) as exc:
                    FIRST_BUILD["error"] = str(exc)
                except Exception as exc:  # logged with its traceback; the page shows a short message
                    LOG.exception("first build failed")
                    FIRST_BUILD["error"] = f"unexpected error ({type(exc).__name__}); see the server log"

            thread = threading.Thread(target=run, name="lisdash-first-build", daemon=True)
            FIRST_BUILD["thread"] = thread
            thread.start()
        return thread


@st.cache_resource
def store() -> Store:
    """The store, loaded once per server process."""
    loaded = Store.open()
    _ = loaded.facts, loaded.areas, loaded._by_measure_level, loaded.precomputed_values()
    return loaded


@st.cache_resource
def content() -> Content:
    """The strategy content, validated against the store once per server process (which it then warms)."""
    s = store()
    loaded = load_content(industries=s.industries, area_codes=area_codes_of(s.areas))
    warm_in_background(s, loaded)
    return loaded


def _build_id() -> str:
    return hashlib.sha1(store().manifest["built_at"].encode()).hexdigest()[:10]


def geo_url(level: str, extent: str) -> str:
    """A same-origin URL of the layer's GeoJSON (copied into static/ once), cached by the browser."""
    name = f"{level}_{extent}.geojson"
    target = STATIC / "geo" / _build_id() / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store().geojson_path(level, extent), target)
    return f"app/static/geo/{_build_id()}/{name}"


@st.cache_resource(max_entries=256, show_spinner=False)
def national(cluster: str, measure: str, year: int | None, colour: str, basemap: bool = False) -> views.MapView:
    """The national heat map view, cached per selection as one shared object.

    cache_resource, not cache_data: a map figure unpickled afresh on every run loses its click
    selection in the browser (seen with Streamlit 1.67), and nothing here mutates a view.
    """
    return views.national_view(store(), content(), cluster, measure, year, colour, geo_url, basemap)


@st.cache_resource(max_entries=256, show_spinner=False)
def region(cluster: str, level: str, year: int | None, colour: str, height: int = 620,
           basemap: bool = False) -> views.MapView:
    """The regional cluster map view (cached per selection; see `national`)."""
    return views.region_view(store(), content(), cluster, level, year, colour, geo_url, height, basemap)


@st.cache_resource(show_spinner=False)
def blocked_measures(cluster: str) -> dict[str, str]:
    """National-map measures that cannot show a cluster, with the reason."""
    return views.unavailable(store(), content(), cluster,
                             {m: (m, views.finest_level(store(), m)) for m in views.NATIONAL_MEASURES
                              if store().levels_for(m)})


@st.cache_resource(show_spinner=False)
def blocked_levels(cluster: str) -> dict[str, str]:
    """Regional-map levels whose source cannot show a cluster, with the reason."""
    return views.unavailable(store(), content(), cluster,
                             {lv: (views.region_measure(store(), lv), lv) for lv in views.REGION_LEVELS})


@st.cache_resource(show_spinner=False)
def blocked_clusters(level: str) -> dict[str, str]:
    """Clusters a profile level's source cannot show, with the reason."""
    return views.unavailable_clusters(store(), content(), views.region_measure(store(), level), level)


@st.cache_resource(max_entries=32, show_spinner=False)
def profile_areas(level: str):
    """Areas with a profile at a level (for the search box)."""
    return views.profile_areas(store(), level)


@st.cache_resource(max_entries=128, show_spinner=False)
def profile(code: str, level: str, cluster: str) -> views.ProfileView:
    """The area profile view (cached)."""
    return views.profile_view(store(), content(), code, level, cluster)


@st.cache_resource(max_entries=128, show_spinner=False)
def trends(key: str, clusters: tuple[str, ...], codes: tuple[str, ...], indexed: bool):
    """The trends and shift-share view (cached)."""
    return views.trends_view(store(), content(), key, list(clusters), list(codes), indexed)


@st.cache_resource
def trend_labels() -> dict[str, str]:
    """The trend sources named with their years, from the store."""
    return views.trend_labels(store())


@st.cache_resource
def trend_areas(key: str) -> dict[str, str]:
    """Areas with data for a trend source, by code, with their display names."""
    measure, level = views.TREND_SOURCES[key]
    layer = store().layer(level)
    with_data = set(store().measure_facts(measure, level)["area_code"])
    return {c: content().label(c, n) for c, n in zip(layer["code"], layer["name"], strict=True) if c in with_data}


@st.cache_resource(show_spinner=False)
def evidence():
    """The evidence check of the strategy's claims: one result per claim (computed once per process)."""
    from lisdash.evidence import evaluate

    return evaluate(store(), content())


@st.cache_resource
def story():
    """The consultation story, validated against the content and the store."""
    from lisdash.content.story import load_story

    return load_story(content())


@st.cache_resource(max_entries=64, show_spinner=False)
def slide(index: int):
    """What slide `index` (0-based) shows (shared object; see `national`)."""
    from lisdash.views.story import slide_content

    return slide_content(store(), content(), story(), index, geo_url, evidence())


NOTES_REFRESH = "2.5s"


@st.cache_resource
def presentations() -> Presentations:
    """The slide each open presentation shows, by its secret token (one registry per server process)."""
    return Presentations()


@st.cache_resource
def exports() -> ExportCache:
    """Rendered images and decks for this build, on disk (shared by every session and process)."""
    return ExportCache(REPO / "data" / "exports" / _build_id())


def _within_budget() -> bool:
    """Whether this visitor may start another render (a few a minute; cached exports are free)."""
    allowed, history = allow(st.session_state.get("_exports", []))
    st.session_state["_exports"] = history
    return allowed


def cached_export(key: str, suffix: str, make) -> bytes:
    """An export from the cache, rendered once if new and the visitor's budget allows; else a short note."""
    if (exports().root / f"{key}{suffix}").exists() or _within_budget():
        return exports().get(key, suffix, make)
    return busy_note(suffix)


BUSY = "Too many new exports from this browser in the last minute: please try again in a minute."


def busy_note(suffix: str) -> bytes:
    """What an over-budget export returns: the note as an image for PNGs, as text otherwise."""
    if suffix != ".png":
        return BUSY.encode()
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 120), "white")
    ImageDraw.Draw(image).text((20, 50), BUSY, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def deck_bytes(fmt: str) -> bytes:
    """The story as a PPTX deck or PDF handout (rendered once per build and story: about half a minute)."""
    from lisdash import deck
    from lisdash.views.story import all_slides

    def make() -> bytes:
        geo = views.store_geo(store())
        return deck.export(all_slides(store(), content(), story(), geo), geo, fmt)

    return cached_export(key_of(_build_id(), story().model_dump_json(), fmt), f".{fmt}", make)


def png_bytes(fig: go.Figure, geo: tuple[str, str] | None) -> bytes:
    """A figure as PNG, rendered once per build and figure."""
    return cached_export(key_of(_build_id(), fig.to_json()), ".png",
                         lambda: figure_png(fig, map_geo(*geo) if geo else None))


def url_choices(spec: list[Param]) -> dict[str, str]:
    """Values of URL parameters that no widget shows (bad ones get a notice and the default)."""
    values, problems = parse({p.name: st.query_params.get(p.name) for p in spec}, spec)
    if not st.session_state.get(WIDGET_CHANGE):
        for problem in problems:
            st.warning(problem, icon="⚠️")
    return values


def choose(label: str, param: Param, labels: dict[str, str] | None = None, horizontal: bool = False,
           blocked: dict[str, str] | None = None) -> str:
    """A choice kept in the URL (query parameter `param.name`), which is the source of truth on every run.

    A bad value typed into the URL gets a visible notice and the default; a value left stale by the
    user's own change of another widget (e.g. a year the new measure lacks) falls back quietly. A
    value `blocked` for the current selection (a source that cannot show the cluster) is not offered;
    asked for, it gives the reason and the choice shown instead.
    """
    blocked = blocked or {}
    options = [o for o in param.options if o not in blocked]
    param = Param(param.name, options, param.default if param.default in options else options[0])
    key = f"pick_{param.name}"
    asked = st.query_params.get(param.name)
    if asked in blocked:
        shown = labels.get(param.default, param.default) if labels else param.default
        st.info(f"{blocked[asked]} Showing {shown} instead.", icon="ℹ️")
        st.query_params[param.name] = param.default
    values, problems = parse({param.name: st.query_params.get(param.name)}, [param])
    if not st.session_state.get(WIDGET_CHANGE):
        for problem in problems:
            st.warning(problem, icon="⚠️")
    st.session_state[key] = values[param.name]
    st.query_params[param.name] = values[param.name]
    fmt = (lambda v: labels.get(v, v)) if labels else str
    widget = st.radio if horizontal else st.selectbox
    extra = {"horizontal": True} if horizontal else {}
    return widget(label, options, format_func=fmt, key=key, on_change=_to_url, args=(param.name, key), **extra)


def choose_many(label: str, name: str, options: list[str], default: list[str], labels: dict[str, str],
                limit: int) -> list[str]:
    """A multiple choice kept in the URL as a comma-separated list (at most `limit` values)."""
    key = f"pick_{name}"
    chosen, problems = parse_list(st.query_params.get(name), options, limit, name)
    if not st.session_state.get(WIDGET_CHANGE):
        for problem in problems:
            st.warning(problem, icon="⚠️")
    if name not in st.query_params:
        chosen = default
    st.session_state[key] = chosen
    st.query_params[name] = ",".join(chosen)
    return st.multiselect(label, options, format_func=lambda v: labels.get(v, v), key=key, max_selections=limit,
                          on_change=_list_to_url, args=(name, key))


def map_controls(year_slot, colour_slot, measure: str, level: str) -> tuple[int, str, bool]:
    """The year, colour mode and basemap choices shared by the map pages (all kept in the URL)."""
    years = [str(y) for y in store().years_for(measure, level)]
    with year_slot:
        year = int(choose("Year", Param("year", years[::-1], years[-1])))
    with colour_slot:
        colour = choose("Colour by", Param("colour", list(views.COLOUR_MODES), "lq"), views.COLOUR_MODES)
    with st.expander("Map options"):
        basemap = choose("Background map", Param("basemap", list(views.BASEMAPS), "off"), views.BASEMAPS,
                         horizontal=True)
    return year, colour, basemap == "on"


def clickable_map(figure: go.Figure, key: str, level: str, cluster: str, note: str) -> None:
    """A map whose areas open their profile when clicked."""
    event = st.plotly_chart(figure, on_select="rerun", selection_mode="points", key=key, config=MAP_CONFIG)
    st.caption(note)
    code = selected_location(event)
    if code:
        st.switch_page("app_pages/profile.py", query_params={"area": code, "level": level, "cluster": cluster})


def _list_to_url(name: str, key: str) -> None:
    st.session_state[WIDGET_CHANGE] = True
    st.query_params[name] = ",".join(st.session_state[key])


def _to_url(name: str, key: str) -> None:
    st.session_state[WIDGET_CHANGE] = True
    st.query_params[name] = st.session_state[key]


def lq_table(table: pd.DataFrame, measure: str, columns: list[str], height: int | None = None) -> None:
    """A ranked table of areas: value, LQ with its 95% range from rounding, class (and Gi* when shown)."""
    shown = table[columns].copy()
    if "lq" in columns:
        ranges = [("" if pd.isna(lo) else f"{lo:.2f} to {hi:.2f}") for lo, hi in zip(table["lq_low"], table["lq_high"],
                                                                                     strict=True)]
        shown.insert(shown.columns.get_loc("lq") + 1, "lq_range", ranges)
    unit = vocabulary.unit(measure)
    st.dataframe(shown, hide_index=True, width="stretch", height=height or "auto", column_config={
        "name": "Area", "value": st.column_config.NumberColumn(unit.capitalize(), format="%,.0f"),
        "share": st.column_config.NumberColumn("Share", format="percent"),
        "lq": st.column_config.NumberColumn("LQ", format="%.2f"), "lq_range": "LQ range (95%)", "class": "Class",
        "hotspot": "Gi*", "gi_p": st.column_config.NumberColumn("p", format="%.3f")})


VERDICT_COLOURS = {"supported": "green", "partly supported": "orange", "not supported": "red",
                   "not testable with open data": "gray"}


def verdict_badge(verdict: str) -> None:
    """A verdict as a coloured badge (its text is one of four fixed verdicts)."""
    st.badge(str(verdict).capitalize(), color=VERDICT_COLOURS.get(str(verdict), "gray"))


def evidence_rules() -> list[str]:
    """The verdict rules in words, generated from the thresholds the code uses."""
    from lisdash.evidence import RULES

    return RULES.text()


def credit(view_source: str, caveat: str) -> None:
    """The source line and caveats under a view (plain text, never HTML)."""
    st.caption(view_source)
    if caveat:
        st.caption(f"Caveats: {caveat}")


def map_geo(level: str, extent: str) -> dict:
    """The layer's GeoJSON as data (for image export, where the browser's copy is not available)."""
    return views.store_geo(store())(level, extent)


def downloads(table: pd.DataFrame, fig: go.Figure | None, name: str, geo: tuple[str, str] | None = None) -> None:
    """CSV of the table, the figure as PNG and the figure's data as JSON, each made only when clicked."""
    cols = st.columns(3)
    cols[0].download_button("Download table (CSV)", lambda: table.to_csv(index=False).encode(), f"{name}.csv",
                            "text/csv", key=f"csv-{name}")
    if fig is not None:
        cols[1].download_button("Download image (PNG)", lambda: png_bytes(fig, geo), f"{name}.png", "image/png",
                                key=f"png-{name}")
        cols[2].download_button("Download figure data (JSON)", lambda: fig.to_json().encode(), f"{name}.json",
                                "application/json", key=f"json-{name}")


def store_origin_line() -> str:
    """Where the running store's data came from (mirror build or shipped release, with its vintage)."""
    return views.store_origin(store())


def store_credit_line() -> str:
    """The credit line of every source in the store (publishers, licences, OS)."""
    return store_credit(list(store().sources.values()))


def run_safely(page) -> None:
    """Run a page; an unexpected error shows a short message and a reference, its traceback goes to the log."""
    try:
        page.run()
    except Exception:
        reference = secrets.token_hex(4)
        LOG.exception("page %r failed (reference %s)", page.url_path or "home", reference)
        st.error(f"Something went wrong showing this view (reference {reference}). Try another choice; if it "
                 "happens again, please tell the organisers the reference.")


def footer() -> None:
    """The licence and attribution line every view carries (and the end of a page's run)."""
    st.session_state[WIDGET_CHANGE] = False
    st.caption(store_credit_line())


def selected_location(event) -> str | None:
    """The area code of a clicked map area, if any."""
    try:
        points = event.selection["points"]
    except (AttributeError, KeyError, TypeError):
        return None
    return points[0].get("location") if points else None
