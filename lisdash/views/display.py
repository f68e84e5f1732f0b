"""Page tables: human column names, numbers with separators and fixed decimals, text safe from Markdown.

Streamlit's static table wraps long text instead of cutting it, and renders each cell as Markdown, so
every text cell is escaped here (names and caveats are shown as typed, never as formatting or links).
A table is shown as text made once (a view's tables are kept with the view), not restyled on every run;
its number columns are named so the page can set them right-aligned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import pyarrow as pa

from lisdash.vocabulary import sentence_case

MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")
MISSING = "no data"
Format = str | Callable[[object], str] | None


@dataclass(frozen=True)
class ShownTable:
    """A table as a page shows it: labelled columns, every cell already text; the positions of its number
    columns (from 0)."""

    frame: pd.DataFrame
    numbers: tuple[int, ...]

    @cached_property
    def arrow(self) -> pa.Table:
        """The table as Arrow, which Streamlit sends as it is (made once per table)."""
        return pa.Table.from_pandas(self.frame, preserve_index=False)


def markdown_safe(value: object) -> str:
    """A cell's text with every Markdown character escaped (so it is shown as typed)."""
    return MARKDOWN.sub(r"\\\1", str(value))


def link(url: object, text: str = "open") -> str:
    """A Markdown link for one of our own (sources.toml) addresses; empty when there is none."""
    return f"[{text}]({url})" if isinstance(url, str) and url.startswith("https://") else ""


def display_table(frame: pd.DataFrame, columns: dict[str, tuple[str, Format]]) -> ShownTable:
    """The `columns` of `frame` (in that order) renamed to their labels, each cell as text: a format string
    such as "{:,.0f}" for numbers, a function for anything else, None for escaped text; a missing cell says
    "no data". The provenance stays behind (it is said in the credit lines, not sent with the table)."""
    shown = {}
    for key, (label, fmt) in columns.items():
        write = fmt.format if isinstance(fmt, str) else fmt or markdown_safe
        shown[label] = [MISSING if _missing(value) else write(value) for value in frame[key]]
    return ShownTable(pd.DataFrame(shown, columns=[label for label, _ in columns.values()]),
                      tuple(i for i, (_, fmt) in enumerate(columns.values()) if isinstance(fmt, str)))


def _missing(value: object) -> bool:
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


PEER_COLUMNS: dict[str, tuple[str, Format]] = {"name": ("Area", None), "code": ("Code", None),
                                               "similarity": ("Similarity", "{:.3f}")}
SOURCE_COLUMNS: dict[str, tuple[str, Format]] = {
    "title": ("Source", None), "publisher": ("Publisher", None), "measure": ("Measure", None),
    "geography": ("Geography", None), "years": ("Years", None), "licence": ("Licence", None),
    "url": ("Official page", link), "id": ("Id", None)}


def mix_columns(unit: str) -> dict[str, tuple[str, Format]]:
    """Labels and formats of an area's cluster-mix table (value in `unit`)."""
    return {"cluster_name": ("Cluster", None), "subject": ("Measured as", None),
            "value": (sentence_case(unit), "{:,.0f}"), "lq": ("LQ", "{:.2f}"),
            "lq_range": ("LQ range (95%)", None), "rank": ("Rank", "{:.0f}"), "class": ("Class", None)}


def yes_no(value: object) -> str:
    """A flag as a word."""
    return "yes" if bool(value) else "no"


def plain_columns(frame: pd.DataFrame) -> dict[str, tuple[str, Format]]:
    """Every column of `frame` under its own (already human) name: flags as yes/no, numbers with separators."""
    def fmt(column: str) -> Format:
        dtype = frame[column].dtype
        return yes_no if pd.api.types.is_bool_dtype(dtype) else "{:,.0f}" if pd.api.types.is_numeric_dtype(dtype) \
            else None
    return {c: (sentence_case(str(c)), fmt(c)) for c in frame.columns}


def area_columns(unit: str, columns: list[str]) -> dict[str, tuple[str, Format]]:
    """Labels and formats of a ranked area table's `columns` (value in `unit`, share, LQ and its range, class)."""
    spec: dict[str, tuple[str, Format]] = {
        "name": ("Area", None), "value": (sentence_case(unit), "{:,.0f}"), "share": ("Share", "{:.1%}"),
        "lq": ("LQ", "{:.2f}"), "lq_range": ("LQ range (95%)", None), "class": ("Class", None),
        "hotspot": ("Gi* hotspot", None), "gi_p": ("p", "{:.3f}")}
    return {c: spec[c] for c in columns}
