"""The team's downloads: views as CSV or XLSX, with spreadsheet formula injection neutralised.

A cell that starts with =, +, -, @, a tab or a carriage return could run as a formula when opened
in a spreadsheet; it gets a leading apostrophe, so it is shown as the text that was typed.
"""

from __future__ import annotations

import io

import pandas as pd

FORMATS = ("csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADERS = {"receipt": "Reference", "created_at": "Received (UTC)", "event": "Event", "channel": "Channel",
           "respondent_type": "Respondent type", "org_size": "Organisation size", "sector": "Sector (SIC section)",
           "place": "Place (LAD code)", "commitments": "Commitments", "cluster": "Cluster", "poll": "Poll",
           "agreement": "Agreement (1-5)", "comment": "Comment", "page": "Page", "context_cluster": "Cluster shown",
           "area_code": "Area shown", "year": "Year shown", "slide": "Slide", "duplicate_of": "Repeats view",
           "hidden": "Hidden", "flagged": "Flagged", "contact_name": "Contact name",
           "contact_email": "Contact email", "consent_at": "Consent given (UTC)"}


def neutralise(value):
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as exported: human headers, lists joined, times as ISO text, every text cell neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list)).any():
            out[column] = out[column].map(lambda v: ", ".join(v) if isinstance(v, list) else v)
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].map(lambda v: v.isoformat(timespec="seconds") if pd.notna(v) else "")
    out = out.astype(object).where(out.notna(), "")
    out = out.map(neutralise)
    return out.rename(columns=HEADERS)


def export_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """The views as CSV (UTF-8 with BOM, for spreadsheets) or XLSX bytes."""
    table = export_frame(frame)
    if fmt == "csv":
        return table.to_csv(index=False).encode("utf-8-sig")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            table.to_excel(writer, index=False, sheet_name="Views")
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}: use csv or xlsx")
