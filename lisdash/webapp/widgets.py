"""The pieces pages are laid out from: map controls, clickable maps, tables, badges, credits, downloads."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from lisdash import metrics, views
from lisdash.figures import heading
from lisdash.views import display
from lisdash.views.sourcelines import store_credit
from lisdash.views.urlparams import Param
from lisdash.webapp.cache import store
from lisdash.webapp.livemap import live_map
from lisdash.webapp.renders import png_bytes
from lisdash.webapp.urlstate import choose, run_done

LOG = logging.getLogger("lisdash")
MAP_CONFIG = {"displaylogo": False, "scrollZoom": True, "toImageButtonOptions": {"format": "png", "scale": 2}}
NOTES_REFRESH = "2.5s"
VERDICT_COLOURS = {"supported": "green", "partly supported": "orange", "not supported": "red",
                   "not testable with open data": "gray"}
STYLES = Path(__file__).parent.parent / "styles"
DATABASE_DOWN = ("The consultation database is not reachable right now, so this page cannot be shown. Nothing "
                 "already saved is lost: try again in a minute.")
SHARE_LINK_HTML = (Path(__file__).parent / "sharelink.html").read_text(encoding="utf-8")


def map_controls(year_slot, colour_slot, years: list[int], blocked: dict[str, str]) -> tuple[int, str, bool]:
    """The year, colour mode and basemap choices shared by the map pages (all kept in the URL); `blocked` colour
    modes are not offered, and asked for in the URL say why."""
    options = [str(y) for y in years]
    with year_slot:
        year = int(choose("Year", Param("year", options[::-1], options[-1])))
    with colour_slot:
        colour = choose("Colour by", Param("colour", list(views.COLOUR_MODES), "lq"), views.COLOUR_MODES,
                        blocked=blocked)
    with st.expander("Map options"):
        basemap = choose("Background map", Param("basemap", list(views.BASEMAPS), "off"), views.BASEMAPS,
                         horizontal=True)
    return year, colour, basemap == "on"


def figure_heading(text: heading.FigureText, key: str) -> None:
    """A figure's title and subtitle as page text above it (plain text, never Markdown)."""
    with st.container(key=f"heading-{key}", gap="small"):
        if text.title:
            st.subheader(display.markdown_safe(text.title), anchor=False)
        if text.subtitle:
            st.caption(display.markdown_safe(text.subtitle))


def chart(figure: go.Figure, key: str) -> None:
    """A chart with its title and subtitle above it and its source line under it as page text, which wraps on
    any screen (`figuretext`); downloads keep them in the figure."""
    shown = figure.to_dict()
    text = heading.text_of(shown)
    figure_heading(text, key)
    st.plotly_chart(heading.headless(shown), key=key)
    if text.source:
        st.caption(display.markdown_safe(text.source))


def clickable_map(view: views.MapView, key: str, cluster: str, note: str) -> None:
    """A map whose areas open their profile when clicked, its title and subtitle above it as page text (its
    source line is the page's credit)."""
    text, figure_json = view.shown_figure()
    figure_heading(text, key)
    code = live_map(figure_json, key, MAP_CONFIG)
    st.caption(note)
    if code:
        st.switch_page("pages/profile.py", query_params={"area": code, "level": view.level, "cluster": cluster})


def data_table(table: display.ShownTable, key: str, height: int | None = None) -> None:
    """A static table (views.display) with its number columns set right: it wraps text rather than cutting it;
    scrolls beyond `height` pixels."""
    with st.container(key=f"table-{key}"):
        if table.numbers:  # our own rule, from column positions
            cells = ", ".join(f".st-key-table-{key} {cell}:nth-child({i + 1})" for i in table.numbers
                              for cell in ("th", "td"))
            st.html(f"<style>{cells} {{ text-align: right !important; }}</style>")  # over the cell's own style
        st.table(table.arrow, hide_index=True, height=height or "content")


def stand_in_warning(table: pd.DataFrame, cluster_name: str, group_note: str = "") -> None:
    """When a map shows a broader group for the cluster, say so above it: a group that does not measure the
    cluster with what it is and which data would show the cluster (`group_note`)."""
    prov = metrics.provenance_of(table)
    if group_note:
        st.warning(group_note, icon=":material/info:")
    elif not prov.exact and prov.proxy:
        st.warning(f"This map shows {prov.subject}, a broader group standing in for {cluster_name.lower()}: "
                   f"{prov.proxy.share:.0%} of its jobs are in the cluster.", icon=":material/info:")


def verdict_badge(verdict: str) -> None:
    """A verdict as a coloured badge (its text is one of four fixed verdicts)."""
    st.badge(str(verdict).capitalize(), color=VERDICT_COLOURS.get(str(verdict), "gray"))


def credit(view_source: str, caveat: str) -> None:
    """The source line and caveats under a view (plain text, never HTML)."""
    st.caption(view_source)
    if caveat:
        st.caption(f"Caveats: {caveat}")


def file_download(label: str, make: Callable[[], bytes | str], file_name: str, mime: str | None, key: str) -> None:
    """A button whose file is made only when clicked. The click never reruns the page: a rerun started by the
    click would interrupt the run in progress, and an interrupted run drops the file the click asked for."""
    st.download_button(label, make, file_name, mime, key=key, on_click="ignore")


def downloads(table: pd.DataFrame, fig: go.Figure | None, name: str, geo: tuple[str, str] | None = None) -> None:
    """CSV of the table, the figure as PNG and the figure's data as JSON, each made only when clicked."""
    cols = st.columns(3)
    with cols[0]:
        file_download("Download table (CSV)", lambda: table.to_csv(index=False).encode(), f"{name}.csv", "text/csv",
                      f"csv-{name}")
    if fig is not None:
        with cols[1]:
            file_download("Download image (PNG)", lambda: png_bytes(fig, geo), f"{name}.png", "image/png",
                          f"png-{name}")
        with cols[2]:
            file_download("Download figure data (JSON)", lambda: fig.to_json().encode(), f"{name}.json",
                          "application/json", f"json-{name}")


def store_origin_line() -> str:
    """Where the running store's data came from (mirror build or shipped release, with its vintage)."""
    return views.store_origin(store())


def store_credit_line() -> str:
    """The credit line of every source in the store (publishers, licences, OS)."""
    return store_credit(list(store().sources.values()))


def styles(*names: str) -> None:
    """Add page styles (lisdash/styles/*.css; ours, never user input)."""
    st.html(_style_sheet(names))


@lru_cache(maxsize=64)
def _style_sheet(names: tuple[str, ...]) -> str:
    """The style element of some of our style sheets, read once per process."""
    return "<style>" + "".join((STYLES / f"{n}.css").read_text(encoding="utf-8") for n in names) + "</style>"


def run_safely(page) -> None:
    """Run a page; an unexpected error shows a short message and a reference, its traceback goes to the log."""
    try:
        page.run()
    except SQLAlchemyError:
        LOG.exception("page %r: the consultation database is not reachable", page.url_path or "home")
        st.error(DATABASE_DOWN, icon=":material/cloud_off:")
    except Exception:
        reference = secrets.token_hex(4)
        LOG.exception("page %r failed (reference %s)", page.url_path or "home", reference)
        st.error(f"Something went wrong showing this view (reference {reference}). Try another choice; if it "
                 "happens again, please tell the organisers the reference.")


def share_link() -> None:
    """This view's address with a one-click copy button. The frame reads the page's own address bar, so no
    part of the URL (which anybody can type) is ever written into HTML."""
    st.iframe(SHARE_LINK_HTML, height="content", alt="Link to this view, with a button that copies it")


def footer(share: bool = True) -> None:
    """The link to the view (unless `share` is False), and the licence and attribution line every view carries
    (and the end of a run)."""
    run_done()
    if share:
        share_link()
    st.caption(store_credit_line())
