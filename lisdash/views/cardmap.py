"""A map small enough for a card: no title or credits on the figure (the card states them), the areas fitted
to the card's width beside the legend."""

from __future__ import annotations

import plotly.graph_objects as go

from lisdash.figures.draw import bare_map

CARD_MAP_WIDTH = 200  # pixels the map has beside its legend in one of three cards at 1366 px
CARD_MAP_HEIGHT = 300
CARD_MARGIN = 10


def card_map(figure: go.Figure, bounds: tuple[float, float, float, float], height: int = CARD_MAP_HEIGHT) -> go.Figure:
    """The card version of a map figure: title, subtitle and source note removed, `bounds` refitted."""
    return bare_map(figure, bounds, CARD_MAP_WIDTH, height, CARD_MARGIN)
