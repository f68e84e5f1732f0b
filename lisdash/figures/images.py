"""Static images of figures, made on demand with kaleido (Chromium, offline)."""

from __future__ import annotations

import copy

import plotly.graph_objects as go
import plotly.io as pio


def inline_geojson(fig: go.Figure, geo: dict | None) -> go.Figure:
    """A copy of the figure with a GeoJSON URL replaced by the data itself (kaleido cannot fetch it)."""
    out = copy.deepcopy(fig)
    if geo is not None:
        for trace in out.data:
            if getattr(trace, "type", "") == "choroplethmap" and isinstance(trace.geojson, str):
                trace.geojson = geo
    return out


def figure_png(fig: go.Figure, geo: dict | None = None, width: int = 1400, height: int | None = None) -> bytes:
    """PNG bytes of a figure (geometry inlined first)."""
    full = inline_geojson(fig, geo)
    return pio.to_image(full, format="png", width=width, height=height or int(full.layout.height or 700), scale=1)
