"""The industry table: SIC 2007 hierarchy plus the coarser groupings some sources publish."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

INDUSTRY_COLUMNS = ["industry_level", "code", "name", "section", "division", "group", "class", "divisions", "leaf"]
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
    sub = table[table["industry_level"] == "subclass"]
    by_section = sub.groupby("section")["division"].agg(lambda d: ",".join(sorted(set(d))))
    table["divisions"] = np.where(table["industry_level"] == "section", table["section"].map(by_section),
                                  table["division"])
    table["leaf"] = table["industry_level"] == "subclass"
    return table.reindex(columns=INDUSTRY_COLUMNS)


def divisions_of(scope: str, section_divisions: dict[str, list[str]]) -> list[str]:
    """SIC divisions a published group covers: "28-30", "1-9", "45", "A-E", "R-S", "C" or "68IMP"."""
    scope = scope.strip()
    if scope == "68IMP":
        return ["68"]
    letters = re.fullmatch(r"([A-U])(?:-([A-U]))?", scope)
    if letters:
        first, last = letters.group(1), letters.group(2) or letters.group(1)
        return [d for sec in map(chr, range(ord(first), ord(last) + 1)) for d in section_divisions.get(sec, [])]
    numbers = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", scope)
    if not numbers:
        raise ValueError(f"cannot read the SIC divisions of industry group '{scope}'")
    first, last = int(numbers.group(1)), int(numbers.group(2) or numbers.group(1))
    return [f"{d:02d}" for d in range(first, last + 1)]


def leaves(codes: list[str], divisions: list[list[str]]) -> list[bool]:
    """Which groups of one scheme contain no other group (the scheme's finest, non-overlapping level).

    A group contains another when it covers all of the other's divisions and either more of them
    or is a section-level (lettered) group over a numbered one, as ONS's L (68) over 68 and 68IMP.
    """
    sets = [set(d) for d in divisions]
    out = []
    for i, (code, mine) in enumerate(zip(codes, sets, strict=True)):
        lettered = code[:1].isalpha()
        contains = any(j != i and other <= mine and (other != mine or (lettered and not codes[j][:1].isalpha()))
                       for j, other in enumerate(sets))
        out.append(not contains)
    return out


def other_groupings(facts: pd.DataFrame, sic: pd.DataFrame) -> pd.DataFrame:
    """Industry groups used by non-SIC-detail sources (GVA groups, business broad groups, Census sections).

    Each carries the SIC divisions it covers and whether it is a leaf of its scheme.
    """
    subclasses = sic[sic["industry_level"] == "subclass"]
    section_divisions = {sec: sorted(set(g["division"])) for sec, g in subclasses.groupby("section")}
    schemes = facts[facts["industry_level"].isin(["gva_industry", "broad_group"])]
    named = schemes[schemes["industry_code"] != "TOTAL"].drop_duplicates(["industry_level", "industry_code"])
    extra = pd.DataFrame({
        "industry_level": named["industry_level"].astype(str).to_numpy(), "code": named["industry_code"].to_numpy(),
        "name": named["industry_name"].to_numpy(),
        "divisions": [divisions_of(s, section_divisions) for s in named["industry_divisions"]],
    })
    census = pd.DataFrame([{"industry_level": "section", "code": CENSUS_RS[0], "name": CENSUS_RS[1],
                            "divisions": divisions_of(CENSUS_RS[0], section_divisions)}])
    out = pd.concat([extra, census], ignore_index=True)
    out["leaf"] = True
    for _, group in out.groupby("industry_level"):
        out.loc[group.index, "leaf"] = leaves(list(group["code"]), list(group["divisions"]))
    out["divisions"] = out["divisions"].map(",".join)
    return out.reindex(columns=INDUSTRY_COLUMNS)
