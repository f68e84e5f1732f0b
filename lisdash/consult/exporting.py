"""The team's downloads: views as CSV or XLSX, with spreadsheet formula injection neutralised.

A cell that starts with =, +, -, @, a tab or a carriage return could run as a formula when opened
in a spreadsheet. In CSV it gets a leading apostrophe (CSV has no types). In XLSX it is written as
a text cell with the "quote prefix" style, so it shows exactly as typed, without an apostrophe, and
stays text when the cell is edited.
"""

from __future__ import annotations

import io

import pandas as pd

from lisdash.content.analysis import CampaignRule
from lisdash.heard.campaigns import campaign_column

FORMATS = ("csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADERS = {"receipt": "Reference", "created_at": "Received (UTC)", "event": "Event", "channel": "Channel",
           "respondent_type": "Respondent type", "org_size": "Organisation size", "sector": "Sector (SIC section)",
           "place": "Place (LAD code)", "commitments": "Commitments", "cluster": "Cluster", "poll": "Poll",
           "agreement": "Agreement (1-5)", "comment": "Comment", "page": "Page", "context_cluster": "Cluster shown",
           "area_code": "Area shown", "year": "Year shown", "slide": "Slide", "duplicate_of": "Repeats view",
           "campaign": "Campaign (its first view)",
           "hidden": "Hidden", "flagged": "Flagged", "quote_ok": "May be quoted", "contact_name": "Contact name",
           "contact_email": "Contact email", "consent_at": "Consent given (UTC)"}


def neutralise(value):
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_frame(frame: pd.DataFrame, guard: bool = True) -> pd.DataFrame:
    """The table as exported: human headers, lists joined, times as ISO text, every text cell neutralised (with an
    apostrophe, unless `guard` is False)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list)).any():
            out[column] = out[column].map(lambda v: ", ".join(v) if isinstance(v, list) else v)
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].map(lambda v: v.isoformat(timespec="seconds") if pd.notna(v) else "")
    out = out.astype(object).where(out.notna(), "")
    if guard:
        out = out.map(neutralise)
    return out.rename(columns=HEADERS)


def export_views(frame: pd.DataFrame, fmt: str, rule: CampaignRule) -> bytes:
    """The inbox's views with their campaign group (its first view's reference), as CSV or XLSX bytes."""
    return export_bytes(frame.assign(campaign=campaign_column(frame, rule)), fmt)


def export_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """The views as CSV (UTF-8 with BOM, for spreadsheets) or XLSX bytes."""
    if fmt == "csv":
        return export_frame(frame).to_csv(index=False).encode("utf-8-sig")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            export_frame(frame, guard=False).to_excel(writer, index=False, sheet_name="Views")
            for row in writer.sheets["Views"].iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                        cell.data_type, cell.quotePrefix = "s", True
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}: use csv or xlsx")
