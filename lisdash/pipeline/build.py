"""`python -m lisdash build`: raw files in the mirror -> the store in data/build/, atomically."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from lisdash import geojson, vocabulary
from lisdash.config import store_dir
from lisdash.content import read_region
from lisdash.metrics import rounding
from lisdash.pipeline import buildlock, geography
from lisdash.sources import industries, readers
from lisdash.sources.files import SourceError, locate
from lisdash.sources.manifest import Source, load_sources
from lisdash.sources.nomis import downloaded_sources
from lisdash.store import GEO_DIR, PRECOMPUTED, STORE_FILES

Progress = Callable[[str, float], None]
LOG = logging.getLogger("lisdash")
SUM_OF_CELLS = "All industries (sum of published cells)"


def _quiet(label: str, fraction: float) -> None:
    """Default progress reporter: say nothing."""


def all_sources() -> list[Source]:
    """The manifest's sources plus any Nomis downloads found beside the mirror."""
    return load_sources() + downloaded_sources()


def harmonise_lad_codes(facts: pd.DataFrame, lad_codes: set[str], la_all: pd.DataFrame) -> pd.DataFrame:
    """Re-code LAD facts to the boundary vintage: retired districts summed into their successor.

    The 2021 business workbook still lists the seven pre-2021 Northamptonshire districts; the
    LAD 2021 boundaries have North and West Northamptonshire. Values are summed, so the
    successor's figure is a sum of rounded counts (flag `derived`).
    """
    is_lad = facts["level"] == "lad"
    lad = facts[is_lad]
    unknown = ~lad["area_code"].isin(lad_codes)
    if not unknown.any():
        return facts
    successor = la_all.drop_duplicates("LADCD").set_index("LADCD")["LADCD_ACTIVE"]
    names = la_all.drop_duplicates("LADCD").set_index("LADCD")["LADNM"]
    mapped = lad[unknown].assign(area_code=lad.loc[unknown, "area_code"].map(successor))
    if mapped["area_code"].isna().any() or not mapped["area_code"].isin(lad_codes).all():
        bad = sorted(set(lad.loc[unknown, "area_code"]))
        raise SourceError(f"LAD codes {bad} match no LAD 2021 boundary or successor district.")
    keys = ["source", "measure", "level", "area_code", "year", "industry_code", "industry_level"]
    summed = mapped.groupby(keys, as_index=False).agg(
        value=("value", "sum"), down=("down", "sum"), up=("up", "sum"), down2=("down2", "sum"),
        up2=("up2", "sum"), rounded=("rounded", "any"),
        suppressed=("suppressed", "any"), industry_name=("industry_name", "first"),
        industry_divisions=("industry_divisions", "first"), published=("value", "count"), cells=("value", "size"),
    )
    summed.loc[summed.pop("published") < summed.pop("cells"), ["value", *ROUNDING_STATS]] = np.nan
    summed["area_name"] = summed["area_code"].map(names)
    summed["derived"] = True
    return pd.concat([facts[~is_lad], lad[~unknown], summed], ignore_index=True)


ROUNDING_STATS = ["down", "up", "down2", "up2"]


def add_rounding(facts: pd.DataFrame, source: Source) -> pd.DataFrame:
    """Add each cell's rounding half-widths below and above its value, and their squares (lisdash.metrics.rounding)."""
    down, up = rounding.half_widths(facts["value"].to_numpy(), source.rounding or "exact")
    return facts.assign(down=down, up=up, down2=down ** 2, up2=up ** 2)


def unpublished_industries(facts: pd.DataFrame) -> dict[str, list[str]]:
    """Per source, industry codes with a missing cell in any area or year (left out of its totals).

    A division-level source of the same measure and level as a subclass-level one leaves out the divisions of
    the subclasses that one leaves out: the 2-digit BRES file publishes division 01 for Scotland in every year,
    but as numbers that break with the 5-digit file's unpublished 01000 (farm agriculture), so the same gap
    has to be left out of both.
    """
    missing = facts[facts["value"].isna() & (facts["industry_code"] != readers.TOTAL)]
    out = {str(src): sorted(set(group["industry_code"])) for src, group in missing.groupby("source", observed=True)}
    kinds = facts[facts["industry_code"] != readers.TOTAL][["source", "measure", "level", "industry_level"]]
    kinds = kinds.drop_duplicates().astype(str)
    for fine in kinds[kinds["industry_level"] == "subclass"].itertuples():
        divisions = {code[:2] for code in out.get(fine.source, [])}
        coarse = kinds[(kinds["measure"] == fine.measure) & (kinds["level"] == fine.level)
                       & (kinds["industry_level"] == "division")]
        for source in coarse["source"]:
            if divisions:
                out[source] = sorted(set(out.get(source, [])) | divisions)
    return out


def total_basis(facts: pd.DataFrame) -> dict[str, str]:
    """Per facts source, whether its area totals are sums of its cells or published figures."""
    derived = facts[facts["industry_code"] == readers.TOTAL].groupby("source", observed=True)["industry_name"].first()
    return {str(src): "sum of cells" if name == SUM_OF_CELLS else "published" for src, name in derived.items()}


def add_totals(facts: pd.DataFrame, excluded: dict[str, list[str]]) -> pd.DataFrame:
    """Add an all-industry TOTAL per area and year where a source publishes none (BRES).

    The total sums the published cells on one industry basis for every area and year: a code
    that is unpublished anywhere in the source (`excluded`) is left out everywhere, so totals
    and growth rates compare like with like.
    """
    has_total = set(facts.loc[facts["industry_code"] == readers.TOTAL, "source"])
    keys = ["source", "measure", "level", "area_code", "area_name", "year", "industry_level"]
    cells = facts[~facts["source"].isin(has_total)]
    dropped = pd.Series([code in excluded.get(src, []) for src, code in
                         zip(cells["source"], cells["industry_code"], strict=True)], index=cells.index, dtype=bool)
    totals = cells[~dropped].groupby(keys, as_index=False, observed=True)[["value", *ROUNDING_STATS]].sum().assign(
        industry_code=readers.TOTAL, industry_name=SUM_OF_CELLS,
        rounded=True, suppressed=False, derived=True,
    )
    return pd.concat([facts, totals], ignore_index=True)


def subtract_from_totals(facts: pd.DataFrame, sources: dict[str, Source]) -> pd.DataFrame:
    """Published totals minus the codes a source declares outside every cluster (GVA: imputed rent).

    The difference of two rounded figures carries both roundings (the part's upward half-width
    widens the total's downward side). A total whose excluded part is unpublished becomes missing.
    """
    facts = facts.copy()
    keys = ["area_code", "year"]
    for source_id, source in sources.items():
        if source.kind != "facts" or not source.total_excludes:
            continue
        rows = facts["source"] == source_id
        part = facts[rows & facts["industry_code"].isin(source.total_excludes)]
        part = part.groupby(keys)[["value", *ROUNDING_STATS]].sum(min_count=1)
        is_total = rows & (facts["industry_code"] == readers.TOTAL)
        sub = part.reindex(pd.MultiIndex.from_frame(facts.loc[is_total, keys]))
        for column, other, sign in (("value", "value", -1), ("down", "up", 1), ("up", "down", 1),
                                    ("down2", "up2", 1), ("up2", "down2", 1)):
            facts.loc[is_total, column] = facts.loc[is_total, column].to_numpy() + sign * sub[other].to_numpy()
        facts.loc[is_total, "derived"] = True
        facts.loc[is_total, "industry_name"] = "All industries excluding " + ", ".join(source.total_excludes)
    return facts


def check_area_joins(facts: pd.DataFrame, areas: gpd.GeoDataFrame) -> None:
    """Every fact code of a `joined` level (ITL2, ITL3, LAD) must match a national boundary."""
    national = areas[areas["extent"] == "national"]
    for level in vocabulary.level_ids("joined"):
        codes = set(facts.loc[facts["level"] == level, "area_code"])
        known = set(national.loc[national["level"] == level, "code"])
        missing = sorted(codes - known)
        if missing:
            raise SourceError(f"{level} codes in the facts match no {level} boundary: {missing[:10]}")


def build_areas(
    boundaries: list[tuple[Source, Path]], lads: pd.DataFrame, msoa: pd.DataFrame, region: str, progress: Progress
) -> gpd.GeoDataFrame:
    """All boundary layers, with parents, regional layers cut to the region (lis_data/region.yaml), simplified."""
    layers = []
    for i, (source, path) in enumerate(boundaries):
        progress(f"Boundaries: {source.id}", i / len(boundaries))
        gdf = geography.read_boundary(path, source)
        gdf["level"], gdf["extent"] = source.level, source.extent
        gdf = geography.attach_parents(gdf, source.level, lads, msoa, region)
        if source.extent == "regional":
            gdf = gdf[geography.in_region(gdf, lads, region)]
        gdf = gdf.set_geometry(geography.simplify(gdf.geometry.values, source.extent, source.overlapping, source.level))
        layers.append(gdf[geography.AREA_COLUMNS])
    nations = gpd.GeoDataFrame(
        {"level": ["uk", "gb"], "extent": "national", "code": ["K02000001", "K03000001"],
         "name": ["United Kingdom", "Great Britain"]},
        geometry=[None, None], crs=4326,
    )
    areas = pd.concat([*layers, nations], ignore_index=True).reindex(columns=geography.AREA_COLUMNS)
    return gpd.GeoDataFrame(areas, geometry="geometry", crs=4326)


def build(store: Path | None = None, progress: Progress = _quiet, waiting: Progress | None = None,
          if_missing: bool = False) -> dict:
    """Build the store from raw files, one build at a time; the previous store stays intact unless all succeeds.

    Another build of the same store (another session or process) is waited for; `waiting` sees its
    progress. With `if_missing`, a store that another build finished meanwhile is kept as it is.
    """
    store = store or store_dir()
    with buildlock.exclusive(store, waiting):
        if if_missing and all((store / name).exists() for name in STORE_FILES):
            return json.loads((store / "manifest.json").read_text(encoding="utf-8"))
        def report(label: str, fraction: float) -> None:
            buildlock.publish(store, label, fraction)
            progress(label, fraction)

        return _build(store, report)


def locate_all(sources: list[Source], progress: Progress) -> dict[str, Path]:
    """Step 1: every source's verified file (a missing, truncated or changed one stops the build)."""
    located = {}
    for i, source in enumerate(sources):
        progress(f"Checking {source.path}", i / len(sources) * 0.2)
        located[source.id] = locate(source)
    return located


def read_lookups(sources: list[Source], located: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """Step 2: the lookup tables by role, each with the columns its manifest entry requires."""
    tables = {}
    for source in (s for s in sources if s.kind == "lookup"):
        table = readers.read_table(located[source.id], source)
        readers.require_columns(table, source.columns, source, located[source.id])
        tables[source.role or source.id] = table
    return tables


def read_facts(sources: list[Source], located: dict[str, Path], progress: Progress) -> pd.DataFrame:
    """Step 3: every facts source through its reader, with each cell's rounding statistics."""
    parts = []
    fact_sources = [s for s in sources if s.kind == "facts"]
    for i, source in enumerate(fact_sources):
        progress(f"Reading {source.id}", 0.2 + 0.4 * i / len(fact_sources))
        reader = readers.FACT_READERS.get(source.reader or "")
        if reader is None:
            raise SourceError(f"data/sources.toml: source '{source.id}' names unknown reader '{source.reader}'.")
        parts.append(add_rounding(reader(located[source.id], source), source).assign(derived=False))
    return pd.concat(parts, ignore_index=True)


def finish_facts(facts: pd.DataFrame, areas: gpd.GeoDataFrame, lookups: dict[str, pd.DataFrame],
                 sources: list[Source]) -> tuple[pd.DataFrame, dict, dict]:
    """Step 5: LAD codes on the boundary vintage, totals on one industry basis, joins checked.

    Returns the facts, the industries left out of totals, and each source's total basis.
    """
    excluded = unpublished_industries(facts)
    lad_codes = set(areas.loc[(areas["level"] == "lad") & (areas["extent"] == "national"), "code"])
    facts = add_totals(harmonise_lad_codes(facts, lad_codes, lookups["la_codes"]), excluded)
    facts = subtract_from_totals(facts, {s.id: s for s in sources})
    check_area_joins(facts, areas)
    return facts, excluded, total_basis(facts)


def read_industries(sources: list[Source], located: dict[str, Path], facts: pd.DataFrame) -> pd.DataFrame:
    """Step 6: the SIC 2007 hierarchy and the coarser groupings the facts use."""
    by_role = {s.role: s for s in sources if s.kind == "industries"}
    structure, lookup = by_role["sic_structure"], by_role["sic_lookup"]
    sic = industries.sic_table(readers.read_sic_structure(located[structure.id], structure),
                               readers.read_sic_lookup(located[lookup.id], lookup))
    return pd.concat([sic, industries.other_groupings(facts, sic)], ignore_index=True)


def _build(store: Path, progress: Progress) -> dict:
    """The build, step by step (the caller holds the build lock)."""
    LOG.warning("building the data store at %s", store)
    started = time.monotonic()
    sources = all_sources()
    located = locate_all(sources, progress)
    lookups = read_lookups(sources, located)
    lads = geography.lad_parents(lookups["lad_itl"], lookups["la_codes"], lookups["lad_lep"])
    facts = read_facts(sources, located, progress)
    boundaries = [(s, located[s.id]) for s in sources if s.kind == "boundary"]
    areas = build_areas(boundaries, lads, lookups["msoa"], read_region().region,
                        lambda label, f: progress(label, 0.6 + 0.3 * f))
    facts, excluded, basis = finish_facts(facts, areas, lookups, sources)
    industry_table = read_industries(sources, located, facts)
    facts = facts.drop(columns=["industry_name", "industry_divisions"])
    for column in ("source", "measure", "level", "industry_level", "status"):
        facts[column] = facts[column].astype("category")
    manifest = {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": None,
        "sources": {s.id: s.model_dump(mode="json", exclude_defaults=True) for s in sources},
        "origin": {"kind": "build"},
        "excluded_from_totals": excluded,
        "total_basis": basis,
        "rows": {
            "facts": {k: int(v) for k, v in facts.groupby("source", observed=True).size().items()},
            "areas": {f"{lvl}/{ext}": int(n) for (lvl, ext), n in
                      areas.groupby(["level", "extent"]).size().items()},
            "industries": {k: int(v) for k, v in industry_table.groupby("industry_level").size().items()},
        },
    }
    progress("Writing the store", 0.9)

    def precompute(folder: Path) -> None:
        progress("Precomputing every cluster's values", 0.93)
        from lisdash.content import area_codes_of, load_content
        from lisdash.pipeline.precompute import cluster_values
        from lisdash.store import Store

        built = Store(folder)
        content = load_content(industries=built.industries, area_codes=area_codes_of(built.areas))
        table = cluster_values(built, content)
        table.to_parquet(folder / PRECOMPUTED, index=False)
        manifest["rows"]["cluster_values"] = len(table)
        manifest["build_seconds"] = round(time.monotonic() - started, 1)
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")

    write_store(store, areas, facts, industry_table, manifest, precompute)
    progress("Done", 1.0)
    return manifest


def write_geojson(folder: Path, areas: gpd.GeoDataFrame) -> None:
    """One GeoJSON file per level and extent, served to the browser once and then cached."""
    folder.mkdir()
    for (level, extent), layer in areas[areas.geometry.notna()].groupby(["level", "extent"]):
        text = json.dumps(geojson.feature_collection(layer), separators=(",", ":"))
        (folder / f"{level}_{extent}.geojson").write_text(text, encoding="utf-8")


def write_store(store: Path, areas: gpd.GeoDataFrame, facts: pd.DataFrame, industry_table: pd.DataFrame,
                manifest: dict, finish: Callable[[Path], None] | None = None) -> None:
    """Write into a temporary folder (and `finish` it there), then swap it in: a failed write leaves the old store."""
    store.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{store.name}.tmp-", dir=store.parent))
    try:
        areas.to_parquet(tmp / "areas.parquet", index=False)
        facts.to_parquet(tmp / "facts.parquet", index=False)
        industry_table.to_parquet(tmp / "industries.parquet", index=False)
        write_geojson(tmp / GEO_DIR, areas)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if finish is not None:
            finish(tmp)
        swap_in(tmp, store)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def swap_in(ready: Path, store: Path) -> None:
    """Replace the store folder with a complete one in two renames (the old store is removed after)."""
    old = Path(tempfile.mkdtemp(prefix=f".{store.name}.old-", dir=store.parent)) / "store"
    if store.exists():
        store.rename(old)
    ready.rename(store)
    shutil.rmtree(old.parent, ignore_errors=True)
