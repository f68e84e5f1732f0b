"""A map slide's figure: the map as large as the screen allows, type readable from the back of a room, the named
places labelled beside them.

A label is an annotation whose arrow points at its place: both are placed by pixel offsets from the map's
centre (web Mercator at the figure's zoom), so they stay on their places at any screen width and need no map
font server. The label sits beside the place's outline, never on it, so it hides none of the area it names.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
from shapely.geometry.base import BaseGeometry

from lisdash.figures.draw import TILE, bare_map
from lisdash.store import Store

SLIDE_FONT = 24
LEGEND_WIDTH = 9 * SLIDE_FONT  # pixels the colour legend takes on the map's right
LABEL_GAP = 18  # pixels between a place's outline and its label

Label = tuple[str, float, float, tuple[float, float, float, float]]  # name, lon, lat, outline bounds


def place_shape(store: Store, areas: dict[str, list[str]]) -> BaseGeometry | None:
    """A place's outline, from the first of its levels the store has shapes for."""
    for level, codes in areas.items():
        for extent in ("national", "regional"):
            layer = store.layer(level, extent)
            shapes = layer.loc[layer["code"].isin(codes), "geometry"]
            if not shapes.empty:
                return shapes.union_all()
    return None


def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def label_width(name: str) -> float:
    """A label's width in pixels (bold, at the slide font)."""
    return 0.62 * SLIDE_FONT * len(name) + 8


def label_spots(labels: list[Label], scale: float, centre_lon: float, centre_lat: float,
                width: float, height: float) -> list[tuple[float, float, float, float, str]]:
    """For each label: its place's point (dx, dy from the figure's centre, y up), its text's centre and its text:
    beside the place's outline, right or left of it where it fits (on two lines if need be), else above it; clear
    of the labels placed before it."""
    def px(lon: float, lat: float) -> tuple[float, float]:
        return scale * math.radians(lon - centre_lon), scale * (_mercator(lat) - _mercator(centre_lat))

    placed: list[tuple[float, float, float]] = []
    spots = []
    line = SLIDE_FONT + 12
    for name, lon, lat, (west, south, east, north) in labels:
        point, low, high = px(lon, lat), px(west, south), px(east, north)
        left_edge, right_edge = -width / 2, width / 2 - LEGEND_WIDTH
        for text in label_lines(name):  # one line if it fits beside the place, else two
            half = label_width(max(text.split("<br>"), key=len)) / 2
            sides = [(high[0] + LABEL_GAP + half, point[1]), (low[0] - LABEL_GAP - half, point[1])]
            fits = [(x, y) for x, y in sides if left_edge <= x - half and x + half <= right_edge]
            if fits:
                break
        x, y = fits[0] if fits else (point[0], high[1] + LABEL_GAP + line)  # else above the place
        x = min(max(x, left_edge + half), right_edge - half)
        lowest, highest = -height / 2 + line * (1 + text.count("<br>")), height / 2 - line  # inside the map
        y = min(max(y, lowest), highest)
        step = -line if y - line >= lowest else line  # away from a label placed before: down, or up at the bottom
        while any(abs(x - qx) < half + qw / 2 and abs(y - qy) < line for qx, qy, qw in placed):
            y += step
        placed.append((x, y, 2 * half))
        spots.append((point[0], point[1], x, y, text))
    return spots


def label_lines(name: str) -> list[str]:
    """A label on one line, then on two (split at the space nearest its middle)."""
    words = name.split()
    if len(words) < 2:
        return [name]
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [name, f"{' '.join(words[:cut])}<br>{' '.join(words[cut:])}"]


def slide_map(figure: go.Figure, labels: list[Label], bounds: tuple[float, float, float, float],
              width: int, height: int) -> go.Figure:
    """The slide version of a map figure: `bounds` fitted into a map `width` by `height` pixels beside its
    legend, with each label (name, lon, lat, outline bounds) beside its place, an arrow pointing at it."""
    fig = bare_map(figure, bounds, width - LEGEND_WIDTH, height).update_layout(
        font_size=SLIDE_FONT, width=width, showlegend=False)  # the slide's footnote says what the dots mean
    for trace in fig.select_traces(selector={"type": "choroplethmap"}):
        title = trace.colorbar.title.text or ""
        rows = len(trace.colorbar.ticktext or ()) + 2  # the classes and a two-line title
        trace.colorbar.update(tickfont_size=SLIDE_FONT, title={"font": {"size": SLIDE_FONT},
                                                               "text": title.replace(" ", "<br>", 1)},
                              y=1, yanchor="top", len=min(0.95, rows * 1.35 * SLIDE_FONT / height),
                              x=1 - LEGEND_WIDTH / width, xanchor="left")
    scale = TILE * 2 ** fig.layout.map.zoom / (2 * math.pi)  # pixels per radian of longitude at this zoom
    # the areas centred in the part of the map left of its legend
    centre = fig.layout.map.center
    fig.update_layout(map_center_lon=centre.lon + math.degrees(LEGEND_WIDTH / 2 / scale))
    centre = fig.layout.map.center
    for x, y, tx, ty, text in label_spots(labels, scale, centre.lon, centre.lat, width, height):
        fig.add_annotation(text=f"<b>{text}</b>", xref="paper", yref="paper", x=0.5, y=0.5,
                           xshift=x, yshift=y, ax=tx - x, ay=-(ty - y), axref="pixel",
                           ayref="pixel", showarrow=True, arrowhead=0, arrowwidth=2, arrowcolor="#111111",
                           font={"size": SLIDE_FONT, "color": "#111111"}, bgcolor="rgba(255,255,255,0.9)",
                           borderpad=3)
    return fig
