"""The presenting screen: its size (reported by the browser) and the sizes a slide's parts take on it.

Slides are laid out for the screen they are shown on, so that nothing scrolls and no text is under
24 pixels: the map takes what the title, the verdict line and the footer leave, and the map's zoom
fits its areas into that box. Until the browser has reported its size, a 1920x1080 screen is assumed.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

_viewport = st.components.v2.component(
    "lisdash_viewport", isolate_styles=False, js=(Path(__file__).parent / "viewport.js").read_text(encoding="utf-8"))
LINE = 1.3  # line height of slide text, in font sizes
TITLE = 1.4  # a slide title's font size, in body font sizes
CHAR = 0.56  # the average width of a character, in font sizes (Source Sans, with bold headings)
SLACK = 2.2  # font sizes kept free under a slide's footer: Streamlit's own spacing around its elements
STATIC = {"displayModeBar": False, "scrollZoom": False, "staticPlot": True}  # a slide's chart: nothing to hover


@dataclass(frozen=True)
class Screen:
    """A presenting screen, in CSS pixels."""

    width: int = 1920
    height: int = 1080

    @property
    def font(self) -> float:
        """The body font size: 1.45% of the width, between 24 and 34 pixels (as present.css sets it)."""
        return min(max(24.0, 0.0145 * self.width), 34.0)

    def lines(self, text: str, width: float, size: float | None = None) -> int:
        """How many lines `text` takes in a box `width` pixels wide at font `size` (the body size by default)."""
        per_line = max(1, int(width / (CHAR * (size or self.font))))
        return max(1, math.ceil(len(text) / per_line))

    def wrapped_lines(self, text: str, width: float, char: float = CHAR) -> int:
        """How many lines `text` takes in a box `width` pixels wide at the body size, wrapped at words as the
        browser wraps it, a character being `char` font sizes wide on average."""
        return max(1, len(textwrap.wrap(text, max(1, int(width / (char * self.font))))))

    def text_height(self, text: str, width: float, size: float | None = None) -> float:
        return self.lines(text, width, size) * LINE * (size or self.font)

    @property
    def inner_width(self) -> float:
        """The slide's width inside its side paddings."""
        return self.width - 2 * 1.6 * self.font

    def below(self, title: str, verdict: str, footer: str, title_share: float = 0.68, slack: float = SLACK) -> float:
        """Height left for a slide's body under its title and verdict line and above its footer, keeping `slack`
        font sizes free (a dense body, such as a map beside its numbers and code, needs more)."""
        gap = 0.5 * self.font
        used = (self.font + self.text_height(title, title_share * self.inner_width, TITLE * self.font)
                + (self.text_height(verdict, self.inner_width) + gap if verdict else 0)
                + (self.text_height(footer, self.inner_width) + gap if footer else 0) + 3 * gap)
        return self.height - used - slack * self.font


def screen() -> Screen:
    """The screen this session presents on (a browser that has not reported yet: 1920x1080)."""
    size = _viewport(key="viewport", on_size_change=lambda: None).size
    if isinstance(size, list) and len(size) == 2 and all(isinstance(v, (int, float)) and v > 0 for v in size):
        return Screen(int(size[0]), int(size[1]))
    return Screen()
