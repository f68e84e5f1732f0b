"""The summary's charts, drawn as the app draws them: the share agreeing per group with its interval."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lisdash.figures.draw import AGREEMENT_COLOURS, FONT


def share_agreeing(table: pd.DataFrame, title: str, confidence: float, labelled: bool = False) -> go.Figure:
    """Each published group's share agreeing (a dot) and its interval (a bar), with its number of views;
    suppressed groups are left out (the table's note counts them). `labelled` writes each share beside its dot
    (for a projector, where nothing can be hovered)."""
    shown = table[~table["suppressed"]]
    names = [f"{g} (n={int(n):,})" for g, n in zip(shown["group"], shown["views"], strict=True)]
    fig = go.Figure(go.Scatter(
        x=shown["share"].astype(float), y=names, mode="markers+text" if labelled else "markers",
        text=[f"{v:.0%}" for v in shown["share"].astype(float)], textposition="top center", cliponaxis=False,
        marker={"size": 14 if labelled else 11, "color": AGREEMENT_COLOURS[4]},
        error_x={"type": "data", "symmetric": False, "array": (shown["high"] - shown["share"]).astype(float),
                 "arrayminus": (shown["share"] - shown["low"]).astype(float), "color": "#444444", "thickness": 2},
        hovertemplate="%{y}: %{x:.0%} agree<extra></extra>"))
    fig.update_layout(height=130 + 36 * max(len(names), 1), font={"family": FONT, "size": 14},
                      title={"text": title, "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
                      xaxis={"tickformat": ".0%", "range": [0, 1],
                             "title": f"share agreeing, with {confidence:.0%} interval"},
                      yaxis={"autorange": "reversed", "automargin": True}, showlegend=False,
                      plot_bgcolor="#ffffff", paper_bgcolor="#ffffff", margin={"l": 10, "r": 30, "t": 60, "b": 50})
    fig.update_xaxes(gridcolor="#e0e0e0")
    return fig
