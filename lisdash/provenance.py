"""Source lines and captions generated from a result's provenance (never typed by hand)."""

from __future__ import annotations

from lisdash.sources.manifest import Source

OGL = "Open Government Licence v3.0"
OS_CREDIT = "Contains OS data © Crown copyright and database right"
LEVEL_NAMES = {
    "uk": "United Kingdom", "gb": "Great Britain", "region": "English regions", "itl1": "ITL1 regions",
    "itl2": "ITL2 areas", "itl3": "ITL3 areas", "lad": "local authority districts", "msoa11": "MSOAs (2011)",
    "msoa21": "MSOAs (2021)", "ward": "wards", "lep": "LEPs (2021)", "ca": "combined authorities",
}
UNITS = {
    "employment": "jobs", "gva": "£m", "gva_cvm": "£m (2019 prices)", "local_units": "local units",
    "enterprises": "enterprises", "workplace_pop": "workers", "ft_employees": "full-time employees",
}
MEASURE_NAMES = {
    "employment": "Employment (BRES)", "gva": "GVA, current prices", "gva_cvm": "GVA, chained volume",
    "local_units": "Business local units", "enterprises": "Enterprises",
    "workplace_pop": "Workplace population (Census 2011)",
    "ft_employees": "Full-time employees (BRES)",
}


def source_line(attrs: dict, source: Source | None, maps: bool = True) -> str:
    """One line crediting the data behind a figure: publisher, dataset, year, geography, licence."""
    title = source.title if source else attrs.get("source", "")
    publisher = source.publisher if source else "Office for National Statistics"
    year = attrs.get("year") or f"{attrs.get('start')}-{attrs.get('end')}"
    level = LEVEL_NAMES.get(attrs.get("level", ""), attrs.get("level", ""))
    parts = [f"Source: {publisher}, {title}, {year}; {level}. {OGL}."]
    if maps:
        parts.append(f"{OS_CREDIT}.")
    return " ".join(parts)


def caveat_line(attrs: dict, source: Source | None) -> str:
    """The caveats a reader needs: cluster approximation, then the source's own caveats."""
    notes = [attrs["caveat"]] if attrs.get("caveat") else []
    if source and source.caveats:
        notes.append(source.caveats)
    return " ".join(notes)
