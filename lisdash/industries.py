"""The industry table: SIC 2007 hierarchy plus the coarser groupings some sources publish."""

from __future__ import annotations

import re

import pandas as pd

INDUSTRY_COLUMNS = ["industry_level", "code", "name", "section", "division", "group", "class"]
SIC_LEVELS = ["section", "division", "group", "class", "subclass"]
CENSUS_RS = ("R-S", "Arts, entertainment and recreation; other service activities")


def subclass_code(code: str) -> str:
    """Normalise a SIC subclass or class to the 5-digit Nomis form: 29.10 -> 29100, 62.01/1 -> 62011."""
    code = code.strip()
    match = re.fullmatch(r"(\d{2})\.(\d{2})(?:/(\d))?", code)
    if match:
        return match.group(1) + match.group(2) + (match.group(3) or "0")
    return code


def class_of(subclass: str) -> str:
    """The 4-digit class (29.10) of a 5-digit subclass (29100)."""
    return f"{subclass[:2]}.{subclass[2:4]}"


def sic_table(structure: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """SIC 2007 sections to subclasses with names and parent codes."""
    section_names = lookup.drop_duplicates("SIC_SECTION_LETTER").set_index("SIC_SECTION_LETTER")[
        "SIC_SECTION_NAME"
    ]
    parts = []
    sections = structure[structure["industry_level"] == "section"]
    parts.append(pd.DataFrame({
        "industry_level": "section", "code": sections["code"],
        "name": sections["code"].map(section_names).fillna(sections["name"].str.capitalize()),
        "section": sections["code"],
    }))
    division_section = lookup.drop_duplicates("SIC_2DIGIT_CODE").set_index("SIC_2DIGIT_CODE")[
        "SIC_SECTION_LETTER"
    ]
    for level in ("division", "group", "class"):
        rows = structure[structure["industry_level"] == level]
        division = rows["code"].str[:2]
        parts.append(pd.DataFrame({
            "industry_level": level, "code": rows["code"], "name": rows["name"],
            "section": division.map(division_section), "division": division,
            "group": rows["code"].str[:4] if level == "class" else None,
        }))
    names = dict(zip(
        structure.loc[structure["industry_level"] == "subclass", "code"].map(subclass_code),
        structure.loc[structure["industry_level"] == "subclass", "name"], strict=True,
    ))
    sub = lookup.drop_duplicates("SIC_5DIGIT_CODE")
    code = sub["SIC_5DIGIT_CODE"]
    parts.append(pd.DataFrame({
        "industry_level": "subclass", "code": code,
        "name": [names.get(c, n.split(" : ", 1)[-1]) for c, n in zip(code, sub["SIC_5DIGIT_NAME"], strict=True)],
        "section": sub["SIC_SECTION_LETTER"], "division": sub["SIC_2DIGIT_CODE"],
        "group": code.str[:2] + "." + code.str[2], "class": code.map(class_of),
    }))
    table = pd.concat(parts, ignore_index=True)
    return table.reindex(columns=INDUSTRY_COLUMNS)


def other_groupings(facts: pd.DataFrame) -> pd.DataFrame:
    """Industry groups used by non-SIC-detail sources (GVA groups, business broad groups)."""
    schemes = facts[facts["industry_level"].isin(["gva_industry", "broad_group"])]
    named = schemes[schemes["industry_code"] != "TOTAL"].drop_duplicates(
        ["industry_level", "industry_code"]
    )
    extra = pd.DataFrame({
        "industry_level": named["industry_level"], "code": named["industry_code"],
        "name": named["industry_name"],
    })
    census = pd.DataFrame([{"industry_level": "section", "code": CENSUS_RS[0], "name": CENSUS_RS[1]}])
    return pd.concat([extra, census], ignore_index=True).reindex(columns=INDUSTRY_COLUMNS)
