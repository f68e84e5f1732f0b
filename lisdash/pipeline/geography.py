"""Boundaries and the area hierarchy: read, repair, simplify once, attach parent codes."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lisdash import vocabulary
from lisdash.sources.files import SourceError
from lisdash.sources.manifest import Source

# Parent codes kept for every area: each parent level of the vocabulary, and a second LEP (some
# districts were in two).
PARENTS = [*vocabulary.level_ids("parent"), "lep2"]
AREA_COLUMNS = ["level", "extent", "code", "name", "alt_name", "lad", *PARENTS, "geometry"]
# Simplification tolerance in degrees: BUC files for national maps, BGC files for the region.
TOLERANCE = {"national": 0.0025, "regional": 0.0018}
# Small areas are many and small: a little more simplification keeps their maps under 0.6 MB.
SMALL_AREA_TOLERANCE = 0.0022
SMALL_AREAS = tuple(vocabulary.level_ids("small"))
# Raw coordinates are snapped to this grid first, so that neighbours' shared vertices coincide
# exactly and the layer is a clean coverage (the raw MSOA file has micro-gaps between areas).
SNAP = 1e-6


def field_of(columns: list[str], declared: str | None, publisher: str | None) -> str | None:
    """The declared field, or else the publisher's name for it (the FeatureServer's, e.g. LAD21CD).

    The mirror's TopoJSON files name fields AREACD/AREANM; the ONS FeatureServer names them by
    geography and year, as `fetch` in data/sources.toml records.
    """
    if declared in columns or publisher is None or publisher not in columns:
        return declared
    return publisher


def read_boundary(path: Path, source: Source) -> gpd.GeoDataFrame:
    """One boundary file as code, name, geometry in EPSG:4326 with invalid geometries repaired."""
    gdf = gpd.read_file(path)
    columns = list(gdf.columns)
    fetch = source.fetch
    code_field = field_of(columns, source.code_field, fetch.code_field if fetch else None)
    name_field = field_of(columns, source.name_field, fetch.name_field if fetch else None)
    for field in (code_field, name_field, source.lad_field):
        if field and field not in gdf.columns:
            raise SourceError(
                f"{path}: boundary source '{source.id}' lacks field '{field}' "
                f"(found {list(gdf.columns)}). Restore the file from {source.url}."
            )
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    gdf = gdf.to_crs(4326)
    out = gpd.GeoDataFrame(
        {
            "code": gdf[code_field].astype(str),
            "name": gdf[name_field].astype(str),
            "lad": gdf[source.lad_field].astype(str) if source.lad_field else None,
        },
        geometry=repair(gdf.geometry.values),
        crs=4326,
    )
    return out


def repair(geoms: np.ndarray) -> np.ndarray:
    """Make geometries valid, keeping only their polygonal parts."""
    return shapely.make_valid(np.asarray(geoms), method="structure", keep_collapsed=False)


def simplify(geoms: np.ndarray, extent: str, overlapping: bool, level: str = "") -> np.ndarray:
    """Simplify a layer once, keeping shared borders shared (coverage simplification)."""
    tolerance = SMALL_AREA_TOLERANCE if level in SMALL_AREAS else TOLERANCE[extent]
    snapped = repair(shapely.set_precision(np.asarray(geoms), SNAP))
    if overlapping:
        return repair(shapely.simplify(snapped, tolerance, preserve_topology=True))
    return repair(shapely.coverage_simplify(snapped, tolerance))


def lad_parents(
    lad21_itl: pd.DataFrame, la_all: pd.DataFrame, lad23_lep: pd.DataFrame
) -> pd.DataFrame:
    """Each LAD code (2011 onwards) with its ITL3, ITL2, region, combined authority and LEPs."""
    itl21 = lad21_itl.drop_duplicates("LAD21CD").set_index("LAD21CD")[["ITL321CD", "ITL221CD"]]
    lep = lad23_lep.set_index("LAD23CD")
    base = la_all.drop_duplicates("LADCD").set_index("LADCD")
    active = base["LADCD_ACTIVE"]
    itl3 = itl21["ITL321CD"].reindex(base.index)
    itl3 = itl3.fillna(active.map(lep["ITL321CD"]))
    out = pd.DataFrame({
        "lad": base.index,
        "itl3": itl3.values,
        "itl2": itl3.str[:4].values,
        "itl1": itl3.str[:3].values,
        "region": base["RGNCD"].values,
        "ca": base["CAUTHCD"].values,
        "lep": active.map(lep["LEP21CD"]).values,
        "lep2": active.map(lep["LEP21CD2"]).values,
    })
    return out.replace({"": None}).astype(object).where(lambda d: d.notna(), None)


def _mode(values: pd.Series) -> str | None:
    values = values.dropna()
    return None if values.empty else str(values.mode().iloc[0])


def _common(values: pd.Series) -> str | None:
    distinct = values.dropna().unique()
    return str(distinct[0]) if len(distinct) == 1 and values.notna().all() else None


def higher_parents(level: str, lads: pd.DataFrame, region: str) -> pd.DataFrame:
    """Parents of ITL3/ITL2/LEP/CA/region areas, derived from the LADs inside them (a LEP with any of the
    region's districts counts as the region's)."""
    current = lads[lads["itl3"].notna()]
    if level == "lep":
        members = pd.concat([
            current.assign(key=current["lep"]), current.assign(key=current["lep2"])
        ]).dropna(subset=["key"])
    else:
        members = current.assign(key=current[level]).dropna(subset=["key"])
    rows = []
    for key, group in members.groupby("key"):
        row = {"code": key}
        for parent in ("itl3", "itl2", "itl1", "ca", "lep"):
            row[parent] = key if parent == level else _common(group[parent])
        row["region"] = region if level == "lep" and (group["region"] == region).any() \
            else _mode(group["region"])
        rows.append(row)
    return pd.DataFrame(rows)


def attach_parents(
    gdf: gpd.GeoDataFrame, level: str, lads: pd.DataFrame, msoa: pd.DataFrame, region: str
) -> gpd.GeoDataFrame:
    """Add lad/itl3/itl2/region/ca/lep/lep2 columns to one layer."""
    gdf = gdf.copy()
    if level in ("msoa11", "msoa21"):
        col = "MSOA11CD" if level == "msoa11" else "MSOA21CD"
        name_col = "MSOA11HCLNM" if level == "msoa11" else "MSOAHCLNM"
        table = msoa.dropna(subset=[col]).drop_duplicates(col).set_index(col)
        gdf["lad"] = gdf["code"].map(table["LADCD_ACTIVE"])
        gdf["alt_name"] = gdf["code"].map(table[name_col])
    if level in ("lad", "msoa11", "msoa21", "ward"):
        key = gdf["code"] if level == "lad" else gdf["lad"]
        table = lads.set_index("lad")
        for parent in PARENTS:
            gdf[parent] = key.map(table[parent])
        if level == "lad":
            gdf["lad"] = gdf["code"]
    elif level == "region":
        gdf["region"] = gdf["code"]
    else:
        table = higher_parents(level, lads, region).set_index("code")
        for parent in PARENTS:
            if parent in table.columns:
                gdf[parent] = gdf["code"].map(table[parent])
    for column in AREA_COLUMNS:
        if column not in gdf.columns:
            gdf[column] = None
    return gdf


def in_region(gdf: gpd.GeoDataFrame, lads: pd.DataFrame, region: str) -> pd.Series:
    """Rows of a layer that belong to the region (LEPs: any LEP holding one of its LADs)."""
    if (gdf["level"] == "lep").all():
        members = lads[lads["region"] == region]
        return gdf["code"].isin(set(members["lep"].dropna()) | set(members["lep2"].dropna()))
    return gdf["region"] == region
