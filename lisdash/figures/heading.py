"""A page figure's title, subtitle and source line taken out of it, for the page to show as text around it.

Plotly draws each line of a title or annotation as one line of SVG, so text wrapped for a 1440-pixel column
was cut off in a narrower column or on a phone. Page text wraps to any screen; the figure keeps its plot at
the same size. The figure itself (downloads, slides) keeps its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lisdash.figures.draw import SOURCE_NAME, source_height

TOP = 8  # pixels above a map once the title and subtitle are out of the figure
CHART_TOP = 28  # above a chart's plot: its legend or a line's label
BREAK = re.compile(r"\s*<br>\s*")


@dataclass(frozen=True)
class FigureText:
    """What a figure says around its plot, as plain text."""

    title: str
    subtitle: str
    source: str


def plain(text: str | None) -> str:
    """A plotly text as one line (its line breaks undone)."""
    return BREAK.sub(" ", text or "").strip()


def heading(figure: dict) -> tuple[str, str]:
    """A figure dict's title and subtitle as plain text."""
    title = figure["layout"].get("title", {})
    return plain(title.get("text")), plain(title.get("subtitle", {}).get("text"))


def text_of(figure: dict) -> FigureText:
    """A figure dict's title, subtitle and source line as plain text."""
    source = _source(figure["layout"].get("annotations", ()))
    return FigureText(*heading(figure), plain(source["text"]) if source else "")


def headless(figure: dict) -> dict:
    """A figure dict without its title, subtitle and source line, which stay in `layout.meta` (where tests and
    tools read them); its margins and its height shrink alike, so the plot keeps its size."""
    layout = dict(figure["layout"])
    text = text_of(figure)
    annotations = layout.get("annotations", ())
    source = _source(annotations)
    top, bottom = layout["margin"]["t"], layout["margin"].get("b", 0)
    kept_bottom = max(TOP, bottom - source_height(len(BREAK.split(source["text"])))) if source else bottom
    layout["title"] = {**layout["title"], "text": "", "subtitle": {**layout["title"].get("subtitle", {}), "text": ""}}
    layout["annotations"] = [a for a in annotations if a is not source]
    kept_top = CHART_TOP if "xaxis" in layout else TOP
    layout["height"] = layout["height"] - (top - kept_top) - (bottom - kept_bottom)
    layout["margin"] = {**layout["margin"], "t": kept_top, "b": kept_bottom}
    layout["meta"] = {"title": text.title, "subtitle": text.subtitle, "source": text.source}
    return {**figure, "layout": layout}


def _source(annotations) -> dict | None:
    """The source line's annotation, if the figure has one."""
    return next((a for a in annotations if a.get("name") == SOURCE_NAME), None)
