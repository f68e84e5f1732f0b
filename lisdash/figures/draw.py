"""Plotly figures from metric results. No I/O: geometry arrives as GeoJSON (a dict or a URL)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import mapclassify
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lisdash.figures.bubblelabels import Box, place_labels, text_box
from lisdash.metrics.lq import NOT_CLASSED
from lisdash.metrics.provenance import of as provenance_of
from lisdash.vocabulary import benchmark_short
from lisdash.vocabulary import unit as unit_of

# ColorBrewer Reds (colour-blind safe, sequential); LQ under 1 is a neutral grey. Classes above 1 are
# mapclassify quantiles of the areas above 1, so each red step holds a similar number of areas.
REDS = ["#fcbba1", "#fb6a4a", "#de2d26", "#a50f15"]
NEUTRAL, NO_DATA = "#e3e3e3", "#ffffff"
CLASS_COLOURS = {"strong": "#a50f15", "specialised": "#fb6a4a", "uncertain": "#bdbdbd", "not specialised": NEUTRAL,
                 "no data": NO_DATA}
MARK_COLOUR = "#111111"
HOTSPOT_COLOURS = {"hot spot": "#b2182b", "cold spot": "#2166ac", "not significant": NEUTRAL, "no data": NO_DATA}
FONT = "Arial, Helvetica, sans-serif"
TITLE_WRAP = 64  # characters per title line: 20 px type across a map column at 1440 px
MAP_WIDTH = 560  # the map's drawing width in pixels assumed when fitting its zoom (legend beside it)
TILE = 512  # MapLibre world size in pixels at zoom 0
SOURCE_NAME = "source"  # the source line's annotation (pages show it as text: `figuretext`)


def lq_classes(lq: pd.Series) -> tuple[np.ndarray, list[str], list[str]]:
    """Class index per area, class labels and colours: one neutral class under LQ 1, quantiles above."""
    values = lq.to_numpy(dtype=float)
    above = values[np.isfinite(values) & (values >= 1)]
    k = min(len(REDS), len(np.unique(above)))
    uppers = list(np.unique(mapclassify.Quantiles(above, k=k).bins)) if k >= 2 else list(above[:1])
    edges = [1.0, *uppers]
    labels, colours = ["no data", "under 1"], [NO_DATA, NEUTRAL]
    for i in range(len(uppers)):
        labels.append(f"{edges[i]:.2f} to {edges[i + 1]:.2f}")
        colours.append(REDS[i] if len(uppers) == len(REDS) else REDS[min(len(REDS) - 1, i + len(REDS) - len(uppers))])
    index = np.where(~np.isfinite(values), 0, np.where(values < 1, 1, 2 + np.searchsorted(uppers, values, side="left")))
    index = np.minimum(index, len(labels) - 1)
    return index, labels, colours


def _stepped(colours: Sequence[str]) -> list[list]:
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def map_view(bounds: tuple[float, float, float, float], width: int = 900, height: int = 620) -> dict:
    """Centre and zoom that fit the bounds into a map of the given size (web Mercator).

    A plot area squeezed to nothing by its margins is fitted as if a pixel high, never an error.
    """
    west, south, east, north = bounds
    width, height = max(width, 1), max(height, 1)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width * 360 / (TILE * max(east - west, 1e-6)))
    zoom_y = math.log2(height * 2 * math.pi / (TILE * max(merc(north) - merc(south), 1e-9)))
    centre_lat = math.degrees(2 * math.atan(math.exp((merc(north) + merc(south)) / 2)) - math.pi / 2)
    return {"center": {"lon": (west + east) / 2, "lat": centre_lat}, "zoom": min(zoom_x, zoom_y) - 0.15}


def bare_map(figure: go.Figure, bounds: tuple[float, float, float, float], width: int, height: int,
             margin: int = 0) -> go.Figure:
    """A copy of a map figure without its title, subtitle and notes (the slide or card around it says them),
    `bounds` fitted to a map `width` pixels wide in a figure `height` high with `margin` on every side."""
    fig = go.Figure(figure)
    fig.layout.annotations = ()  # (update_layout(annotations=[]) would keep them)
    view = map_view(bounds, width, height - 2 * margin)
    return fig.update_layout(title_text="", title_subtitle_text="", height=height, map_zoom=view["zoom"],
                             map_center=view["center"], margin={side: margin for side in ("t", "b", "l", "r")})


def choropleth(
    codes: Sequence[str], index: np.ndarray, labels: list[str], colours: list[str], geojson: dict | str,
    hover: Sequence[str], bounds: tuple[float, float, float, float], title: str, source: str,
    legend_title: str, outlines: Sequence[dict] = (), height: int = 620, subtitle: str = "",
    basemap: bool = False, marks: pd.DataFrame | None = None, mark_label: str = "",
) -> go.Figure:
    """A class map with a stepped legend; by default it draws offline (white background, no tiles).

    `height` is the figure's with a one-line title and source line; each further line makes the figure taller,
    not the map, so every map of a page is the same size and scale, and a live map that switches cluster is
    redrawn without being resized (which clears its canvas and costs one more drawing of the old areas).

    With `basemap`, OpenStreetMap-based Carto tiles are drawn beneath (needs the internet). `marks`
    (lon, lat, text) puts a dot on areas whose value is uncertain, explained in the legend. `outlines`
    (GeoJSON features) are drawn as one black line layer, so a map has at most three parts (areas, dots,
    outlines), which the live map gives a place each in MapLibre's layer order (`webapp/livemap.js`).
    """
    n = len(labels)
    traces = [{
        "type": "choroplethmap", "geojson": geojson, "locations": list(codes), "z": index.astype(float).tolist(),
        "featureidkey": "id", "zmin": -0.5, "zmax": n - 0.5, "colorscale": _stepped(colours),
        "hovertext": list(hover), "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"line": {"width": 0.4, "color": "#ffffff"}},
        "colorbar": {"title": {"text": legend_title}, "tickvals": list(range(n)), "ticktext": labels,
                     "len": 0.75, "thickness": 18, "outlinewidth": 0},
    }]
    layers = [{"sourcetype": "geojson", "source": {"type": "FeatureCollection", "features": list(outlines)},
               "type": "line", "color": "#111111", "line": {"width": 2.5}}] if outlines else []
    layout = base_layout(title, source, height, subtitle)
    plot = height - top_margin(1, bool(subtitle), False) - bottom_margin(1, False)
    layout["height"] = plot + layout["margin"]["t"] + layout["margin"]["b"]
    view = map_view(bounds, width=MAP_WIDTH, height=plot)
    layout["map"] = {"style": "carto-positron" if basemap else "white-bg", "layers": layers, **view}
    if marks is not None and len(marks):
        traces.append({"type": "scattermap", "lon": marks["lon"].tolist(), "lat": marks["lat"].tolist(),
                       "mode": "markers", "name": mark_label, "hovertext": marks["text"].tolist(),
                       "hovertemplate": "%{hovertext}<extra></extra>",
                       "marker": {"size": 6, "color": MARK_COLOUR, "opacity": 0.85}})
        layout.update(showlegend=True, legend={"x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "bottom",
                                               "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 12}})
    return go.Figure({"data": traces, "layout": layout})


def interval_text(value: float, low: float, high: float, digits: int = 2) -> str:
    """'4.12 (3.94 to 4.30)', or 'no data'; the interval is left out when it is a point."""
    if pd.isna(value):
        return "no data"
    if pd.isna(low) or pd.isna(high) or round(low, digits) == round(high, digits):
        return f"{value:,.{digits}f}"
    return f"{value:,.{digits}f} ({low:,.{digits}f} to {high:,.{digits}f})"


def hover_text(table: pd.DataFrame, unit: str) -> pd.Series:
    """One hover label per area: name, value with unit, LQ with interval, class, flags and Gi* hotspot. A group
    that does not measure its cluster has no class anywhere, which its title and note say once, not per area."""
    value = table["value"].map(lambda v: "no data" if pd.isna(v) else f"{v:,.0f} {unit}")
    lq = [interval_text(v, lo, hi) for v, lo, hi in zip(table["lq"], table["lq_low"], table["lq_high"], strict=True)]
    flags = np.where(table["small"], "<br>Small count: read with care", "")
    flags = np.where(table["lq_includes_1"] & ~table["small"], "<br>LQ interval includes 1", flags)
    klass = "" if (table["class"] == NOT_CLASSED).all() else "<br>Class: " + table["class"].astype(str)
    text = ("<b>" + table["name"].fillna(table["code"]).astype(str) + "</b><br>Value: " + value
            + "<br>LQ: " + pd.Series(lq, index=table.index) + klass + flags)
    if "hotspot" in table:
        text = text + "<br>Gi*: " + table["hotspot"].fillna("no data").astype(str)
    return text


def top_margin(title_lines: int, subtitle: bool, axes: bool) -> int:
    """Pixels above the plot for the title (and subtitle, or the legend of a chart with axes).

    Plotly centres a title's first line in the top margin and adds each further line (26 px at 20 px type)
    below it; a subtitle ends 26 px per title line plus 3 px below the margin's middle. So a subtitle under
    a title of n lines needs a margin of 2 × (26 n + 3) plus a gap (measured in Chromium).
    """
    margin = (80 if subtitle or axes else 60) + 24 * (title_lines - 1)
    return max(margin, 2 * (26 * title_lines + 3 + 8)) if subtitle else margin


def source_gap(axes: bool) -> int:
    """Pixels between the plot and the source line: under the axis title of a chart, just under a map."""
    return 58 if axes else 8


def source_height(source_lines: int) -> int:
    """Pixels the source line(s) take under the plot, beyond the gap."""
    return 14 + 16 * source_lines


def bottom_margin(source_lines: int, axes: bool) -> int:
    """Pixels below the plot for the source line(s)."""
    return source_gap(axes) + source_height(source_lines)


def base_layout(title: str, source: str, height: int = 620, subtitle: str = "", wrap: int = 125,
                axes: bool = False) -> dict:
    """Title (and subtitle), wrapped source line, fonts and margins shared by every figure, as a layout dict.

    Maps carry the source line just under the map; charts with axes carry it under the axis title.
    """
    lines = textwrap.wrap(source, wrap)
    heading = textwrap.wrap(title, TITLE_WRAP) or [""]
    return {
        "title": {"text": " <br>".join(heading),
                  "subtitle": {"text": subtitle, "font": {"size": 14, "color": "#444444"}},
                  "x": 0.01, "font": {"size": 20}},
        "height": height, "font": {"family": FONT, "size": 14, "color": "#222222"}, "template": "none",
        "margin": {"l": 10, "r": 10, "t": top_margin(len(heading), bool(subtitle), axes),
                   "b": bottom_margin(len(lines), axes)},
        "paper_bgcolor": "#ffffff",
        "annotations": [{"name": SOURCE_NAME, "text": "<br>".join(lines), "xref": "paper", "yref": "paper",
                         "x": 0, "y": 0,
                         "yshift": -source_gap(axes), "xanchor": "left", "yanchor": "top", "showarrow": False,
                         "align": "left", "font": {"size": 11, "color": "#555555"}}],
    }


def finish(fig: go.Figure, title: str, source: str, height: int = 620, subtitle: str = "",
           wrap: int = 125, axes: bool = False) -> go.Figure:
    """Apply `base_layout` to a chart (and a legend above the plot for charts with axes)."""
    fig.update_layout(base_layout(title, source, height, subtitle, wrap, axes))
    if axes:
        fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left"})
    return fig


def lq_map(table: pd.DataFrame, geojson: dict | str, bounds: tuple[float, float, float, float], title: str,
           source: str, colour_by: str = "lq", outlines: Sequence[dict] = (), height: int = 620,
           subtitle: str = "", basemap: bool = False, marks: pd.DataFrame | None = None,
           mark_label: str = "") -> go.Figure:
    """Map a cluster table: by LQ classes, by strength class, or by Gi* hotspot; uncertain areas dotted."""
    hover = hover_text(table, unit_of(provenance_of(table).measure))
    if colour_by == "lq":
        index, labels, colours = lq_classes(table["lq"])
        legend = "Location quotient"
    else:
        palette = CLASS_COLOURS if colour_by == "class" else HOTSPOT_COLOURS
        column = table[colour_by].fillna("no data") if colour_by in table else pd.Series("no data", index=table.index)
        labels, colours = list(palette), list(palette.values())
        index = column.map({label: i for i, label in enumerate(labels)}).fillna(labels.index("no data")).to_numpy()
        legend = "Strength class" if colour_by == "class" else "Gi* hotspot"
    return choropleth(table["code"], index, labels, colours, geojson, hover, bounds, title, source,
                      legend, outlines, height, subtitle, basemap, marks, mark_label)


def lq_bars(mix: pd.DataFrame, title: str, source: str, benchmark: str) -> go.Figure:
    """Horizontal bars of LQ by cluster (or its stand-in group) for one area, with its rounding interval.

    Only rows whose numbers measure the cluster (`measures`) are drawn: a group mostly of other industries gets
    no bar under the cluster's name. Uncertain bars (interval includes 1, or a small count) are pale; the
    benchmark (LQ = 1) is marked. Each LQ is written beyond the end of its interval, so neither cuts the other.
    """
    mix = mix[mix["measures"]].sort_values("lq") if "measures" in mix else mix.sort_values("lq")
    colours = ["#d9d9d9" if u else (REDS[2] if v >= 1 else "#8c8c8c")
               for v, u in zip(mix["lq"].fillna(0), mix["uncertain"], strict=True)]
    labels = [name if exact else f"{name} (stand-in)" for name, exact in zip(mix["cluster_name"], mix["exact"],
                                                                              strict=True)]
    high = mix["lq_high"].fillna(mix["lq"])
    x_max = max(float(high.max()) if len(high) else 1, 1.0) * 1.2
    fig = go.Figure([go.Bar(
        x=mix["lq"], y=labels, orientation="h", marker_color=colours,
        error_x={"type": "data", "symmetric": False, "array": (mix["lq_high"] - mix["lq"]).clip(lower=0),
                 "arrayminus": (mix["lq"] - mix["lq_low"]).clip(lower=0), "color": "#444444", "thickness": 1.2},
        customdata=np.column_stack([mix["value"], mix["subject"]]),
        hovertemplate="%{customdata[1]}: LQ %{x:.2f}<br>Value %{customdata[0]:,.0f}<extra></extra>",
    ), go.Scatter(x=high + LABEL_GAP * x_max, y=labels, mode="text", text=[f"{v:.2f}" for v in mix["lq"].fillna(0)],
                  textposition="middle right", hoverinfo="skip", showlegend=False, cliponaxis=False)])
    fig.update_xaxes(title="Location quotient", range=[0, x_max])
    fig.update_layout(showlegend=False)
    fig = finish(fig, title, source, height=max(360, 44 * len(mix) + 160), axes=True)
    fig.add_vline(x=1, line_dash="dash", line_color="#333333", annotation_text=f"{benchmark_short(benchmark)} (LQ 1)",
                  annotation_position="top")
    return fig


def trend_lines(series: pd.DataFrame, title: str, source: str, y_title: str) -> go.Figure:
    """One line per (area, cluster) over the years; `series` has year, label, value and `small` columns.

    Small-count series are dotted, named as such, and left out of the y-axis range so they cannot
    flatten the others (their points beyond the range are still listed in the hover and the data).
    """
    fig = go.Figure()
    for label, group in series.groupby("label", sort=False):
        small = bool(group["small"].any()) if "small" in group else False
        name = f"{label} (small count)" if small else str(label)
        fig.add_trace(go.Scatter(x=group["year"], y=group["value"], mode="lines+markers", name=name,
                                 line={"dash": "dot", "width": 1.5} if small else {"width": 2.5},
                                 opacity=0.6 if small else 1.0,
                                 hovertemplate=f"{name}<br>%{{x}}: %{{y:,.1f}}<extra></extra>"))
    steady = series[~series["small"]] if "small" in series else series
    if len(steady) and steady["value"].notna().any() and len(steady) < len(series):
        low, high = steady["value"].min(), steady["value"].max()
        pad = 0.08 * (high - low or abs(high) or 1)
        fig.update_yaxes(range=[low - pad, high + pad])
    fig.update_yaxes(title=y_title)
    fig.update_xaxes(title="Year", dtick=1 if series["year"].nunique() <= 10 else 2)
    finish(fig, title, source, height=560, axes=True)
    return fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"})


def shift_share_bars(table: pd.DataFrame, title: str, source: str, benchmark: str) -> go.Figure:
    """Stacked bars: benchmark growth, industry mix and local component per area; markers for the actual change."""
    fig = go.Figure()
    for column, name, colour in [("national_growth", f"{benchmark} growth, all industries", "#969696"),
                                 ("industry_mix", "Industry mix", "#fb6a4a"),
                                 ("local", "Local component", "#2166ac")]:
        fig.add_trace(go.Bar(x=table["name"], y=table[column], name=name, marker_color=colour))
    fig.add_trace(go.Scatter(x=table["name"], y=table["change"], mode="markers", name="Actual change",
                             marker={"symbol": "diamond", "size": 12, "color": "#111111"}))
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title="Change")
    return finish(fig, title, source, height=560, axes=True)


# ColorBrewer RdBu, 5 classes (colour-blind safe, diverging), with a grey middle readable on white.
AGREEMENT_COLOURS = ["#ca0020", "#f4a582", "#bdbdbd", "#92c5de", "#0571b0"]


def tally_bars(counts: Sequence[int], labels: Sequence[str], font_size: int = 24, height: int = 380) -> go.Figure:
    """A poll's live tally for the projector: one bar per point of the scale, with its count."""
    total = sum(counts)
    text = [f"{n:,}" + (f" ({n / total:.0%})" if total else "") for n in counts]
    fig = go.Figure(go.Bar(x=list(counts), y=list(labels), orientation="h", marker_color=AGREEMENT_COLOURS,
                           text=text, textposition="outside", cliponaxis=False, hoverinfo="skip"))
    fig.update_layout(height=height, margin={"l": 10, "r": 120, "t": 10, "b": 10}, font={"family": FONT,
                      "size": font_size}, plot_bgcolor="#ffffff", paper_bgcolor="#ffffff", showlegend=False,
                      xaxis={"visible": False, "range": [0, max(max(counts, default=0), 1) * 1.15]},
                      yaxis={"autorange": "reversed", "ticksuffix": "  ", "tickfont": {"color": "#222222"},
                             "automargin": True},
                      transition={"duration": 300})
    fig.update_traces(textfont={"color": "#222222"})
    return fig


def agreement_bars(table: pd.DataFrame, labels: Sequence[str], title: str) -> go.Figure:
    """Agreement per group (rows of `table`, columns 1-5 of the scale) as 100% stacked bars, with each group's n."""
    shares = table.div(table.sum(axis=1).where(lambda n: n > 0), axis=0).fillna(0)
    names = [f"{name} (n={int(n):,})" for name, n in zip(table.index, table.sum(axis=1), strict=True)]
    fig = go.Figure([go.Bar(x=shares[point], y=names, orientation="h", name=labels[i],
                            marker_color=AGREEMENT_COLOURS[i], customdata=table[point],
                            hovertemplate="%{y}<br>" + labels[i] + ": %{customdata:,} (%{x:.0%})<extra></extra>")
                     for i, point in enumerate(table.columns)])
    fig.update_layout(barmode="stack", height=150 + 44 * max(len(names), 1), font={"family": FONT},
                      title={"text": title, "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
                      xaxis={"tickformat": ".0%", "range": [0, 1], "tickvals": [0, 0.2, 0.4, 0.6, 0.8, 1]},
                      yaxis={"autorange": "reversed"},
                      legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
                      margin={"l": 10, "r": 30, "t": 90, "b": 30})  # room for the 100% tick's label
    return fig



QUADRANT_COLOURS = {"Specialised, faster": "#a50f15", "Specialised, slower": "#e6550d",
                    "Not specialised, faster": "#2171b5", "Not specialised, slower": "#737373"}
QUADRANT_CORNERS = {"Specialised, faster": (0.99, 0.99, "right", "top"),
                    "Specialised, slower": (0.99, 0.01, "right", "bottom"),
                    "Not specialised, faster": (0.01, 0.99, "left", "top"),
                    "Not specialised, slower": (0.01, 0.01, "left", "bottom")}
LOG_TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20]
LABEL_GAP = 0.012  # of an axis's length: between an interval's end and the number written beyond it
MIN_BUBBLE = 7  # pixels across: the smallest bubble drawn
BOLD_WIDTH = 1.1  # bold text is about a tenth wider than the estimate for regular text


def bubble_labels(frame: pd.DataFrame) -> list[str]:
    """A portfolio bubble's name: the cluster's short name, "(stand-in)" for a group standing in for it, "*" when
    its quadrant changes with the start year."""
    return [(n if exact else f"{n} (stand-in)") + ("*" if held < years else "")
            for n, exact, held, years in zip(frame["cluster_short"], frame["exact"], frame["holds"],
                                             frame["start_years"], strict=True)]


def portfolio_bubbles(frame: pd.DataFrame, title: str, source: str, benchmark: str, subtitle: str = "",
                      font_size: int = 13, height: int = 600, width: int = 900, bare: bool = False) -> go.Figure:
    """The cluster portfolio: x the LQ (log scale, with its rounding range), y growth against the same cluster
    in the benchmark (percentage points), bubble area the cluster's size, the four quadrants named.

    Marked clusters (either axis's range crosses its line, or a small count) are drawn hollow: their quadrant
    may not hold. A name ending in * is of a cluster whose quadrant changes with the start year. "Faster" and
    "slower" compare with the same cluster in the benchmark (the corner names say so; a slide's footnote says so
    for its one-line corner names). Labels are placed clear
    of each other for a chart at least `width` pixels wide. `bare` leaves out the title, subtitle and source line
    (a slide says them around the chart).
    """
    shown = frame[(frame["lq"] > 0) & frame["relative_growth_pp"].notna()].sort_values("value", ascending=False)
    spread = float(shown["relative_growth_pp"].abs().max()) if len(shown) else 1.0
    low = min(float(shown["lq_low"].clip(lower=0.05).min()), 0.8) if len(shown) else 0.5
    high = max(float(shown["lq_high"].max()), 1.25) if len(shown) else 2.0
    x_range, y_range = [np.log10(low / 1.3), np.log10(high * 1.3)], [-1.3 * spread, 1.3 * spread]
    shown = shown.assign(label=bubble_labels(shown))
    sizeref = 2.0 * max(float(shown["value"].max()) if len(shown) else 1.0, 1.0) / 46 ** 2
    fig = go.Figure()
    for marked, name in ((False, "Clear"), (True, "Marked")):
        part = shown[shown["marked"] == marked]
        colours = [QUADRANT_COLOURS.get(q, NEUTRAL) for q in part["quadrant"]]
        fig.add_trace(go.Scatter(
            x=part["lq"], y=part["relative_growth_pp"], mode="markers", name=name, text=part["label"],
            marker={"size": part["value"].clip(lower=0), "sizemode": "area", "sizeref": sizeref, "sizemin": MIN_BUBBLE,
                    "color": "rgba(255,255,255,0.7)" if marked else colours, "opacity": 0.8,
                    "line": {"color": colours, "width": 2.5}},
            error_x={"type": "data", "symmetric": False, "array": (part["lq_high"] - part["lq"]).clip(lower=0),
                     "arrayminus": (part["lq"] - part["lq_low"]).clip(lower=0), "color": "#555555",
                     "thickness": 1},
            error_y={"type": "data", "symmetric": False,
                     "array": (part["relative_high"] - part["relative_growth_pp"]).clip(lower=0),
                     "arrayminus": (part["relative_growth_pp"] - part["relative_low"]).clip(lower=0),
                     "color": "#555555", "thickness": 1},
            customdata=np.column_stack([part["value"], part["growth_pct"], part["national_growth_pct"],
                                        part["quadrant"].fillna(""), part["subject"], part["holds"],
                                        part["start_years"]]),
            hovertemplate="%{customdata[4]}<br>LQ %{x:.2f}<br>Grew %{customdata[1]:+.1f}%; the same cluster "
                          "in " + benchmark + " %{customdata[2]:+.1f}%<br>Size %{customdata[0]:,.0f}"
                          "<br>%{customdata[3]} than in " + benchmark + " (holds for %{customdata[5]} of "
                          "%{customdata[6]} start years)<extra></extra>"))
    fig.add_vline(x=1, line_dash="dash", line_color="#333333")
    fig.add_hline(y=0, line_dash="dash", line_color="#333333")
    fig = finish(fig, title, source, height=height, subtitle=subtitle, axes=True)
    scale = font_size / 14
    lines = subtitle.count("<br>") + 1 if subtitle else 0
    margin = {"t": round(70 * scale + 1.4 * font_size * lines), "b": round(72 * scale + 60)}
    if bare:
        fig.update_layout(title_text="", title_subtitle_text="")
        fig.layout.annotations = ()
        margin = {"t": round(font_size * 1.5), "b": round(72 * scale)}
    else:
        fig.layout.annotations[0].yshift = -72 * scale  # the source line, under the bigger axis title
    plot = (width - round(font_size * 5.2 + 30), height - margin["t"] - margin["b"])
    corners = []
    for label, (x, y, xanchor, yanchor) in QUADRANT_CORNERS.items():
        lines = [label] if bare else [label, f"than the cluster in {benchmark_short(benchmark)}"]
        fig.add_annotation(x=x, y=y, xref="x domain", yref="y domain",
                           text="<br>".join([f"<b>{label}</b>", *lines[1:]]), showarrow=False, xanchor=xanchor,
                           yanchor=yanchor, align=xanchor,
                           font={"color": QUADRANT_COLOURS[label], "size": font_size + 2})
        line = text_box(0, 0, max(lines, key=len), font_size + 2)
        box = Box(0, 0, BOLD_WIDTH * line.half_w, len(lines) * line.half_h)
        corners.append(Box(plot[0] * x + (box.half_w if xanchor == "left" else -box.half_w),
                           plot[1] * (1 - y) + (box.half_h if yanchor == "top" else -box.half_h),
                           box.half_w, box.half_h))
    _label_bubbles(fig, shown, sizeref, x_range, y_range, plot, font_size, corners)
    fig.update_xaxes(type="log", range=x_range, automargin=True,
                     tickvals=[t for t in LOG_TICKS if low / 1.3 <= t <= high * 1.3],
                     title="Location quotient (log scale)")
    fig.update_yaxes(range=y_range, zeroline=False, automargin=True, ticksuffix=" pp",
                     title=f"vs the cluster in {benchmark_short(benchmark)}")
    fig.update_layout(font_size=font_size, showlegend=False, title_font_size=font_size + 6,
                      title_subtitle_font_size=font_size, margin=margin)
    return fig


def _label_bubbles(fig: go.Figure, shown: pd.DataFrame, sizeref: float, x_range: list[float],
                   y_range: list[float], plot: tuple[int, int], font_size: int, taken: list[Box]) -> None:
    """Each bubble's name as an annotation beside it, clear of the others (a leader line where moved away)."""
    xs = (np.log10(shown["lq"].to_numpy(float)) - x_range[0]) / (x_range[1] - x_range[0]) * plot[0]
    ys = (y_range[1] - shown["relative_growth_pp"].to_numpy(float)) / (y_range[1] - y_range[0]) * plot[1]
    radii = np.maximum(np.sqrt(shown["value"].clip(lower=0).to_numpy(float) / sizeref), MIN_BUBBLE) / 2
    offsets = place_labels(list(zip(xs, ys, radii, strict=True)), list(shown["label"]), font_size, *plot, taken)
    for (_, row), radius, (dx, dy) in zip(shown.iterrows(), radii, offsets, strict=True):
        fig.add_annotation(x=np.log10(row["lq"]), y=row["relative_growth_pp"], xref="x", yref="y",
                           text=row["label"], ax=dx, ay=dy, showarrow=True, arrowhead=0, arrowwidth=1,
                           arrowcolor="#777777", standoff=radius, font={"size": font_size})
