"""The opinion map as a figure: each placed participant a dot on the two axes, coloured by group, never labelled."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

GROUP_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]  # colour-blind-safe (ColorBrewer Dark2)


def group_name(number: int) -> str:
    """A group's name on the map and beside it: Group A, Group B, ..."""
    return f"Group {chr(ord('A') + number)}"


def opinion_dots(points: np.ndarray, membership: tuple[int, ...], sizes: list[int], font_size: int = 24,
                 width: int = 600, height: int = 480, legend: bool = True) -> go.Figure:
    """The participants as dots, one trace per group named with its size, and each group's letter just above its centre;
    no dot has a label or a hover text. Without `legend`, the letters alone name the groups (the slide gives
    their sizes beside their statements)."""
    fig = go.Figure()
    groups = np.asarray(membership)
    for number, size in enumerate(sizes):
        chosen = points[groups == number]
        colour = GROUP_COLOURS[number % len(GROUP_COLOURS)]
        fig.add_trace(go.Scatter(x=chosen[:, 0], y=chosen[:, 1], mode="markers", hoverinfo="skip",
                                 name=f"{group_name(number)} ({size})",
                                 marker={"size": 16, "color": colour, "line": {"width": 1, "color": "white"}}))
        if len(chosen):
            centre = chosen.mean(axis=0)
            fig.add_annotation(x=centre[0], y=centre[1], text=f"<b>{group_name(number)[-1]}</b>", showarrow=False,
                               yshift=font_size * 1.2, font={"size": round(font_size * 1.25), "color": colour})
    fig.update_layout(width=width, height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      font={"size": font_size}, plot_bgcolor="white", showlegend=legend,
                      legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0})
    fig.update_xaxes(visible=False, zeroline=False)
    fig.update_yaxes(visible=False, zeroline=False, scaleanchor="x")
    return fig
