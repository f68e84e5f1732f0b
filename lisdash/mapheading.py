"""A clickable map's title and subtitle taken out of its figure, for the page to show as text above it.

Plotly draws a title as one line of SVG per line break, so a title wrapped for a 1440-pixel column was
cut off on a phone. Page text wraps to any screen; the figure keeps its map at the same size.
"""

from __future__ import annotations

import re

TOP = 8  # pixels above the map once its title and subtitle are out of the figure
BREAK = re.compile(r"\s*<br>\s*")


def plain(text: str | None) -> str:
    """A plotly title's text as one line (its line breaks undone)."""
    return BREAK.sub(" ", text or "").strip()


def heading(figure: dict) -> tuple[str, str]:
    """A figure dict's title and subtitle as plain text."""
    title = figure["layout"].get("title", {})
    return plain(title.get("text")), plain(title.get("subtitle", {}).get("text"))


def headless(figure: dict) -> dict:
    """A figure dict without its title and subtitle, which stay in `layout.meta` (where tests and tools read
    them); its top margin and its height shrink alike, so the map keeps its size."""
    layout = dict(figure["layout"])
    title, subtitle = heading(figure)
    top = layout["margin"]["t"]
    layout["title"] = {**layout["title"], "text": "", "subtitle": {**layout["title"].get("subtitle", {}), "text": ""}}
    layout["margin"] = {**layout["margin"], "t": TOP}
    layout["height"] = layout["height"] - top + TOP
    layout["meta"] = {"title": title, "subtitle": subtitle}
    return {**figure, "layout": layout}
