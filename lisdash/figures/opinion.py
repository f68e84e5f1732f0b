"""The opinion map as a figure: each placed participant a dot on the two axes, coloured by group, never labelled."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

GROUP_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]  # colour-blind-safe (ColorBrewer Dark2)


def group_name(number: int) -> str:
    """A group's name on the map and beside it: Group A, Group B, ..."""
    return f"Group {chr(ord('A') + number)}"


def opinion_dots(points: np.ndarray, membership: tuple[int, ...], sizes: list[int], font_size: int = 24,
                 width: int = 600, height: int = 480) -> go.Figure:
    """The participants as dots, one trace per group named with its size; no dot has a label or a hover text."""
    fig = go.Figure()
    groups = np.asarray(membership)
    for number, size in enumerate(sizes):
        chosen = points[groups == number]
        fig.add_trace(go.Scatter(x=chosen[:, 0], y=chosen[:, 1], mode="markers", hoverinfo="skip",
                                 name=f"{group_name(number)} ({size})",
                                 marker={"size": 16, "color": GROUP_COLOURS[number % len(GROUP_COLOURS)],
                                         "line": {"width": 1, "color": "white"}}))
    fig.update_layout(width=width, height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      font={"size": font_size}, plot_bgcolor="white", showlegend=True,
                      legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0})
    fig.update_xaxes(visible=False, zeroline=False)
    fig.update_yaxes(visible=False, zeroline=False, scaleanchor="x")
    return fig
