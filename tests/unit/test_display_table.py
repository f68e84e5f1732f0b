"""A page table as shown (`views.display.display_table`), on a hand-made frame (a test fixture, not data): each
cell is text once, a missing cell says so, typed text is escaped, and the number columns are named."""

from __future__ import annotations

import math

import pandas as pd

from lisdash.views import display

FRAME = pd.DataFrame({"name": ["Coventry [1]", "*Solihull*"], "value": [1234.4, math.nan], "lq": [1.234, 0.5],
                      "url": ["https://www.ons.gov.uk/x", None]})
COLUMNS = {"name": ("Area", None), "value": ("Jobs", "{:,.0f}"), "lq": ("LQ", "{:.2f}"),
           "url": ("Official page", display.link)}


def test_cells_are_the_text_a_reader_sees():
    table = display.display_table(FRAME, COLUMNS)
    assert list(table.frame.columns) == ["Area", "Jobs", "LQ", "Official page"]
    assert table.frame.to_dict("list") == {
        "Area": [r"Coventry \[1\]", r"\*Solihull\*"], "Jobs": ["1,234", display.MISSING], "LQ": ["1.23", "0.50"],
        "Official page": ["[open](https://www.ons.gov.uk/x)", display.MISSING]}


def test_number_columns_are_named_by_position():
    assert display.display_table(FRAME, COLUMNS).numbers == (1, 2)
    assert display.display_table(FRAME.iloc[:0], COLUMNS).frame.shape == (0, 4)
