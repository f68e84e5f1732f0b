"""The built store: loaded once per process, with typed accessors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from lisdash.config import store_dir
from lisdash.sources.manifest import Source

STORE_FILES = ("areas.parquet", "facts.parquet", "industries.parquet", "manifest.json")  # the store's own layout
GEO_DIR = "geo"
PRECOMPUTED = "cluster_values.parquet"


class StoreMissing(RuntimeError):
    """No built store: run `python -m lisdash build`."""


@dataclass(frozen=True)
class Store:
    """Areas, facts, industries and the build manifest of one built store."""

    path: Path

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open the store at `path` (default data/build), checking every file is there."""
        path = path or store_dir()
        missing = [name for name in STORE_FILES if not (path / name).exists()]
        if missing:
            raise StoreMissing(f"{path}: no built store ({', '.join(missing)} missing). Run: python -m lisdash build")
        return cls(path)

    @cached_property
    def areas(self) -> gpd.GeoDataFrame:
        """Every area of every level and extent, with parents and simplified geometry."""
        return gpd.read_parquet(self.path / "areas.parquet")

    @cached_property
    def facts(self) -> pd.DataFrame:
        """One long table of every measure."""
        return pd.read_parquet(self.path / "facts.parquet")

    @cached_property
    def industries(self) -> pd.DataFrame:
        """SIC 2007 hierarchy plus the coarser groupings of GVA and business counts."""
        return pd.read_parquet(self.path / "industries.parquet")

    @cached_property
    def manifest(self) -> dict:
        """What was built, when, from which checksums."""
        return json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))

    def precomputed_values(self) -> dict[tuple, pd.DataFrame]:
        """Cluster values made at build time, by (source, codes, measure, level, year); empty if none."""
        return self._precomputed

    @cached_property
    def _precomputed(self) -> dict[tuple, pd.DataFrame]:
        path = self.path / PRECOMPUTED
        if not path.exists():
            return {}
        table = pd.read_parquet(path)
        keys = ["source", "codes", "measure", "level", "year"]
        return {(s, c, m, lv, int(y)): group.drop(columns=keys).set_index("area_code")
                for (s, c, m, lv, y), group in table.groupby(keys, observed=True)}

    def geojson_path(self, level: str, extent: str = "national") -> Path:
        """The prebuilt GeoJSON file of one level and extent."""
        return self.path / GEO_DIR / f"{level}_{extent}.geojson"

    def names(self, level: str) -> pd.Series:
        """Official names of a level's areas, by code (cached per level)."""
        return self._names[level] if level in self._names else pd.Series(dtype=object)

    @cached_property
    def _names(self) -> dict[str, pd.Series]:
        areas = self.areas.drop_duplicates(["level", "code"])
        return {str(lv): g.set_index("code")["name"] for lv, g in areas.groupby("level")}

    def layer(self, level: str, extent: str = "national") -> gpd.GeoDataFrame:
        """The areas of one level and extent (one shared frame per layer: filter it, never change it)."""
        return self._layers.get((level, extent), self.areas.iloc[0:0])

    @cached_property
    def _layers(self) -> dict[tuple[str, str], gpd.GeoDataFrame]:
        return {(str(lv), str(ex)): g for (lv, ex), g in self.areas.groupby(["level", "extent"])}

    @cached_property
    def _by_measure_level(self) -> dict[tuple[str, str], pd.DataFrame]:
        groups = self.facts.groupby(["measure", "level"], observed=True)
        return {(str(m), str(lv)): g.reset_index(drop=True) for (m, lv), g in groups}

    def measure_facts(self, measure: str, level: str) -> pd.DataFrame:
        """Facts of one measure at one level (all years and industries), grouped once."""
        return self._by_measure_level.get((measure, level), self.facts.iloc[0:0])

    @cached_property
    def sources(self) -> dict[str, Source]:
        """The sources this store was built from, by id, as the build recorded them (title, licence, years,
        caveats...): editing data/sources.toml later does not change the credits of data built before."""
        return {sid: Source.model_validate(meta) for sid, meta in self.manifest["sources"].items()}

    def total_is_sum(self, source: str) -> bool:
        """Whether a source's area totals are the sums of its own cells (so cluster and rest share rounding)."""
        return self.manifest.get("total_basis", {}).get(source) == "sum of cells"

    def levels_for(self, measure: str) -> list[str]:
        """Levels at which a measure is published."""
        return sorted(level for m, level in self._by_measure_level if m == measure)

    def years_for(self, measure: str, level: str) -> list[int]:
        """Years in which a measure is published at a level."""
        return list(self._years.get((measure, level), []))

    @cached_property
    def _years(self) -> dict[tuple[str, str], tuple[int, ...]]:
        return {key: tuple(sorted(int(y) for y in facts["year"].unique()))
                for key, facts in self._by_measure_level.items()}
