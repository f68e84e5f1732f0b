"""A map slide's figure: the map large, type readable from the back of a room, the named places labelled.

Labels are annotations placed by pixel offsets from the map's centre (web Mercator at the figure's zoom),
so they stay on their places whatever the width of the screen, and need no map font server.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
from shapely.geometry.base import BaseGeometry

from lisdash.figures import TILE, bare_map
from lisdash.store import Store

SLIDE_FONT = 24
SLIDE_MAP_WIDTH = 560  # pixels the map has beside its legend on the smallest projector screen (1280×720)


def place_shape(store: Store, areas: dict[str, list[str]]) -> BaseGeometry | None:
    """A place's outline, from the first of its levels the store has shapes for."""
    for level, codes in areas.items():
        for extent in ("national", "regional"):
            layer = store.layer(level, extent)
            shapes = layer.loc[layer["code"].isin(codes), "geometry"]
            if not shapes.empty:
                return shapes.union_all()
    return None


def place_point(store: Store, areas: dict[str, list[str]]) -> tuple[float, float] | None:
    """A point inside a place (longitude, latitude), where its label goes."""
    shape = place_shape(store, areas)
    if shape is None:
        return None
    point = shape.representative_point()
    return point.x, point.y


def _clear_of(placed: list[tuple[float, float, float]], x: float, y: float, width: float) -> float:
    """`y` moved down until a label of `width` pixels at (x, y) overlaps none already placed."""
    line = SLIDE_FONT + 12
    while any(abs(x - px) < (width + pw) / 2 and abs(y - py) < line for px, py, pw in placed):
        y -= line
    return y


def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def slide_map(figure: go.Figure, labels: list[tuple[str, float, float]], bounds: tuple[float, float, float, float],
              height: int = 640) -> go.Figure:
    """The slide version of a map figure, `bounds` fitted beside its legend on the smallest projector screen,
    with `labels` (name, lon, lat) written on their places; a label that would overlap an earlier one moves
    down, so list small places before the larger ones around them."""
    fig = bare_map(figure, bounds, SLIDE_MAP_WIDTH, height).update_layout(font_size=SLIDE_FONT,
                                                                         legend_font_size=SLIDE_FONT)
    zoom = fig.layout.map.zoom
    for trace in fig.select_traces(selector={"type": "choroplethmap"}):
        title = trace.colorbar.title.text or ""
        trace.colorbar.update(tickfont_size=SLIDE_FONT, title={"font": {"size": SLIDE_FONT},
                                                               "text": title.replace(" ", "<br>", 1)})
    scale = TILE * 2 ** zoom / (2 * math.pi)  # pixels per radian of longitude at this zoom
    centre = fig.layout.map.center
    placed: list[tuple[float, float, float]] = []
    for name, lon, lat in labels:
        x = scale * math.radians(lon - centre.lon)
        width = 0.6 * SLIDE_FONT * len(name)
        y = _clear_of(placed, x, scale * (_mercator(lat) - _mercator(centre.lat)), width)
        placed.append((x, y, width))
        fig.add_annotation(text=f"<b>{name}</b>", xref="paper", yref="paper", x=0.5, y=0.5, xshift=x, yshift=y,
                           showarrow=False, font={"size": SLIDE_FONT, "color": "#111111"},
                           bgcolor="rgba(255,255,255,0.85)", borderpad=3)
    return fig
