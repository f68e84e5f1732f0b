"""Readers: one raw file in, one tidy frame out.

Facts readers return columns FACT_COLUMNS plus `industry_name` and `industry_divisions` (used to
label and place non-SIC industry groups: the SIC divisions or sections a group covers, as
published, e.g. "28-30" or "A-E"). Area totals are returned as industry code TOTAL where the
source publishes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lisdash.sources.files import SourceError
from lisdash.sources.manifest import Source

FACT_COLUMNS = [
    "source", "measure", "level", "area_code", "area_name", "year",
    "industry_code", "industry_level", "value", "rounded", "suppressed", "status",
]
TOTAL = "TOTAL"
LAD_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")


def require_columns(df: pd.DataFrame, columns: list[str], source: Source, path: Path) -> None:
    """Fail clearly when a raw file lacks the columns its reader needs."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SourceError(
            f"{path}: source '{source.id}' lacks columns {missing} (found {list(df.columns)[:12]}). "
            f"The file is not the expected release; restore it from {source.url}."
        )


def _facts(df: pd.DataFrame, source: Source, *, rounded: bool) -> pd.DataFrame:
    out = df.assign(
        source=source.id, measure=source.measure, rounded=rounded,
        suppressed=df["value"].isna(),
    )
    out["year"] = out["year"].astype("int16")
    out["value"] = out["value"].astype("float64")
    if "industry_divisions" not in out:
        out["industry_divisions"] = None
    if "status" not in out:
        out["status"] = None
    return out[FACT_COLUMNS + ["industry_name", "industry_divisions"]].reset_index(drop=True)


def nuts2016_to_itl(code: str) -> str:
    """NUTS 2016 level-2 code as used by BRES (UKG3) to its ITL 2021 twin (TLG3)."""
    return "TL" + code[2:] if code.startswith("UK") else code


def industry_level_of(code: str) -> str:
    """SIC level implied by a Nomis industry code's shape."""
    if code.isalpha():
        return "section"
    return {2: "division", 3: "group", 4: "class", 5: "subclass"}.get(len(code), "other")


def read_bres_nomis(path: Path, source: Source) -> pd.DataFrame:
    """BRES in Nomis CSV shape (DATE, GEOGRAPHY_*, INDUSTRY_*, COUNT or OBS_VALUE, optional OBS_STATUS).

    OBS_STATUS, where the file has it (downloads from the API), is kept as `status`: the reason
    Nomis gives for an empty or unusual cell.
    """
    df = pd.read_csv(path, dtype={"INDUSTRY_CODE": str, "GEOGRAPHY_CODE": str})
    df = df.rename(columns={"OBS_VALUE": "COUNT"})
    require_columns(
        df, ["DATE", "GEOGRAPHY_NAME", "GEOGRAPHY_CODE", "INDUSTRY_NAME", "INDUSTRY_CODE", "COUNT"],
        source, path,
    )
    if df.empty:
        raise SourceError(f"{path}: source '{source.id}' has no rows. Re-download it from {source.url}.")
    df = df[df["INDUSTRY_CODE"].notna()]
    codes = df["GEOGRAPHY_CODE"]
    if source.level == "itl2":
        codes = codes.map(nuts2016_to_itl)
    level = source.industry_level or industry_level_of(str(df["INDUSTRY_CODE"].iloc[0]))
    tidy = pd.DataFrame({
        "level": source.level, "area_code": codes, "area_name": df["GEOGRAPHY_NAME"],
        "year": df["DATE"], "industry_code": df["INDUSTRY_CODE"], "industry_level": level,
        "industry_name": df["INDUSTRY_NAME"].str.split(" : ", n=1).str[-1],
        "value": pd.to_numeric(df["COUNT"], errors="coerce"),
        "status": df["OBS_STATUS"].astype(str) if "OBS_STATUS" in df else None,
    })
    return _facts(tidy, source, rounded=True)


def read_bres_gb_fulltime(path: Path, source: Source) -> pd.DataFrame:
    """GB full-time employees by 5-digit SIC (no geography column)."""
    df = pd.read_csv(path, dtype={"INDUSTRY_CODE": str})
    require_columns(df, ["DATE", "INDUSTRY_NAME", "INDUSTRY_CODE", "COUNT"], source, path)
    tidy = pd.DataFrame({
        "level": "gb", "area_code": "K03000001", "area_name": "Great Britain",
        "year": df["DATE"], "industry_code": df["INDUSTRY_CODE"], "industry_level": "subclass",
        "industry_name": df["INDUSTRY_NAME"].str.split(" : ", n=1).str[-1],
        "value": pd.to_numeric(df["COUNT"], errors="coerce"),
    })
    return _facts(tidy, source, rounded=True)


def gva_table(path: Path, source: Source) -> pd.DataFrame:
    """The GVA table as text columns: the CSV export of one table, or that table's sheet in the ONS workbook
    (its header row found by the 'SIC07 code' column, below the notes ONS puts above each table)."""
    if path.suffix != ".xlsx":
        return pd.read_csv(path, encoding="utf-8-sig", thousands=",", dtype=str)
    sheet = source.fetch.sheet if source.fetch and source.fetch.sheet else source.sheet
    try:
        raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str)
    except ValueError as exc:
        raise SourceError(f"{path}: sheet '{sheet}' missing for source '{source.id}' ({exc}).") from exc
    header = next((i for i in range(min(len(raw), 30)) if "SIC07 code" in set(raw.iloc[i].astype(str))), None)
    if header is None:
        raise SourceError(f"{path}: sheet '{sheet}' has no 'SIC07 code' header row (source '{source.id}'); "
                          f"restore the workbook from {source.url}.")
    table = raw.iloc[header + 1:].copy()
    table.columns = [str(c).strip().removesuffix(".0") for c in raw.iloc[header]]
    return table.dropna(how="all")


def read_gva_itl3(path: Path, source: Source) -> pd.DataFrame:
    """ONS regional GVA (balanced) by industry, ITL3: wide years to long (CSV export or ONS workbook)."""
    df = gva_table(path, source)
    df = df.rename(columns={"ITL region code": "ITL code", "ITL region name": "Region name"})
    require_columns(df, ["ITL code", "Region name", "SIC07 code", "SIC07 description"], source, path)
    years = [c for c in df.columns if re.fullmatch(r"\d{4}", c)]
    if not years:
        raise SourceError(f"{path}: source '{source.id}' has no year columns; restore it from {source.url}.")
    long = df.melt(
        id_vars=["ITL code", "Region name", "SIC07 code", "SIC07 description"],
        value_vars=years, var_name="year", value_name="raw",
    )
    code = long["SIC07 code"].str.replace(r"\s*\(.*\)$", "", regex=True).str.strip()
    scope = long["SIC07 code"].str.extract(r"\((.*)\)$", expand=False).fillna(code)
    tidy = pd.DataFrame({
        "industry_divisions": scope.where(code != "Total", None),
        "level": "itl3", "area_code": long["ITL code"].str.strip(), "area_name": long["Region name"],
        "year": long["year"].astype(int),
        "industry_code": code.where(code != "Total", TOTAL), "industry_level": "gva_industry",
        "industry_name": long["SIC07 description"].str.strip(),
        "value": pd.to_numeric(long["raw"].str.replace(",", ""), errors="coerce"),
    })
    return _facts(tidy, source, rounded=False)


def read_business_workbook(path: Path, source: Source) -> pd.DataFrame:
    """UK business workbook: one table of counts by area (rows) and broad industry group (columns)."""
    try:
        raw = pd.read_excel(path, sheet_name=source.sheet, header=None)
    except ValueError as exc:
        raise SourceError(f"{path}: sheet '{source.sheet}' missing for source '{source.id}' ({exc}).") from exc
    header = raw.iloc[5]
    groups = [str(h) for h in header.iloc[2:] if isinstance(h, str)]
    if "Total" not in groups or len(groups) != 18:
        raise SourceError(
            f"{path}: sheet '{source.sheet}' row 6 should hold 17 broad industry groups and Total "
            f"(found {groups[:5]}...). Restore the workbook from {source.url}."
        )
    body = raw.iloc[6:, : 2 + len(groups)].copy()
    body.columns = ["code", "name", *groups]
    body = body[body["code"].astype(str).str.fullmatch(r"[EWSNK]\d{8}")]
    long = body.melt(id_vars=["code", "name"], var_name="group", value_name="value")
    level = long["code"].map(_business_area_level)
    long = long[level.notna()]
    code = long["group"].str.split(" : ").str[0].str.strip()
    tidy = pd.DataFrame({
        "level": level.dropna(), "area_code": long["code"], "area_name": long["name"].str.strip(),
        "year": 2021, "industry_code": code.where(code != "Total", TOTAL),
        "industry_level": "broad_group",
        "industry_name": long["group"].str.split(" : ").str[-1].str.strip(),
        "industry_divisions": code.where(code != "Total", None),
        "value": pd.to_numeric(long["value"], errors="coerce"),
    })
    return _facts(tidy, source, rounded=True)


def _business_area_level(code: str) -> str | None:
    if code.startswith(LAD_PREFIXES):
        return "lad"
    if code.startswith("E12"):
        return "region"
    return {"K02000001": "uk", "K03000001": "gb"}.get(code)


def read_census2011_workplace(path: Path, source: Source) -> pd.DataFrame:
    """Census 2011 workplace population by section, MSOA 2011 (code and name share one field)."""
    df = pd.read_csv(path)
    area_col = "2011 super output area - middle layer"
    require_columns(df, [area_col, "All categories: Industry"], source, path)
    sections = [c for c in df.columns if c not in (area_col, "All categories: Industry")]
    if len(sections) != 20:
        raise SourceError(f"{path}: expected 20 industry section columns, found {len(sections)}.")
    wide = df.rename(columns={"All categories: Industry": TOTAL})
    long = wide.melt(id_vars=[area_col], var_name="column", value_name="value")
    label = long["column"]
    code = label.str.extract(r"^([A-Z](?:,[A-Z])?) ", expand=False).str.replace(",", "-")
    code = code.fillna(label)
    tidy = pd.DataFrame({
        "level": "msoa11", "area_code": long[area_col].str[:9],
        "area_name": long[area_col].str.split(" : ", n=1).str[-1],
        "year": 2011, "industry_code": code, "industry_level": "section",
        "industry_name": label.str.replace(r"^[A-Z](,[A-Z])? ", "", regex=True),
        "industry_divisions": code.where(code != TOTAL, None),
        "value": pd.to_numeric(long["value"], errors="coerce"),
    })
    return _facts(tidy, source, rounded=False)


FACT_READERS: dict[str, Callable[[Path, Source], pd.DataFrame]] = {
    "bres_nomis": read_bres_nomis,
    "bres_gb_fulltime": read_bres_gb_fulltime,
    "gva_itl3": read_gva_itl3,
    "business_workbook": read_business_workbook,
    "census2011_workplace": read_census2011_workplace,
}


def read_sic_lookup(path: Path, source: Source) -> pd.DataFrame:
    """Nomis SIC lookup: 5-digit subclasses with their group, division and section."""
    df = pd.read_csv(path, encoding="latin-1", dtype=str)
    require_columns(
        df, ["SIC_5DIGIT_CODE", "SIC_5DIGIT_NAME", "SIC_3DIGIT_CODE", "SIC_2DIGIT_CODE", "SIC_SECTION_LETTER"],
        source, path,
    )
    return df


def read_sic_structure(path: Path, source: Source) -> pd.DataFrame:
    """ONS SIC 2007 summary of structure: one row per code at any level, with names."""
    raw = pd.read_excel(path, header=None, dtype=str)
    if raw.shape[1] < 10:
        raise SourceError(f"{path}: expected 10 columns (section..subclass and names), found {raw.shape[1]}.")
    rows = []
    for level, col in [("section", 0), ("division", 2), ("group", 4), ("class", 6), ("subclass", 8)]:
        part = raw[[col, col + 1]].dropna()
        part.columns = ["code", "name"]
        part = part[part["code"].str.strip().str.fullmatch(r"[A-Z]|\d{2}(\.\d{1,2}(/\d)?)?")]
        rows.append(part.assign(industry_level=level, code=part["code"].str.strip(),
                                name=part["name"].str.strip()))
    return pd.concat(rows, ignore_index=True)


def read_table(path: Path, source: Source) -> pd.DataFrame:
    """A lookup table: CSV or Excel by extension, all columns as text."""
    if path.suffix in (".xlsx", ".xls"):
        return pd.read_excel(path, dtype=str)
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig")
