"""The built store: loaded once per process, with typed accessors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from lisdash.build import GEO_DIR, STORE_FILES, all_sources
from lisdash.config import store_dir
from lisdash.sources.manifest import Source


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

    def geojson_path(self, level: str, extent: str = "national") -> Path:
        """The prebuilt GeoJSON file of one level and extent."""
        return self.path / GEO_DIR / f"{level}_{extent}.geojson"

    def layer(self, level: str, extent: str = "national") -> gpd.GeoDataFrame:
        """The areas of one level and extent."""
        areas = self.areas
        return areas[(areas["level"] == level) & (areas["extent"] == extent)]

    @cached_property
    def _by_measure_level(self) -> dict[tuple[str, str], pd.DataFrame]:
        groups = self.facts.groupby(["measure", "level"], observed=True)
        return {(str(m), str(lv)): g.reset_index(drop=True) for (m, lv), g in groups}

    def measure_facts(self, measure: str, level: str) -> pd.DataFrame:
        """Facts of one measure at one level (all years and industries), grouped once."""
        return self._by_measure_level.get((measure, level), self.facts.iloc[0:0])

    @cached_property
    def sources(self) -> dict[str, Source]:
        """The sources this store was built from, by id (manifest plus Nomis downloads)."""
        built = set(self.manifest["sources"])
        return {s.id: s for s in all_sources() if s.id in built}

    def total_is_sum(self, source: str) -> bool:
        """Whether a source's area totals are the sums of its own cells (so cluster and rest share rounding)."""
        return self.manifest.get("total_basis", {}).get(source) == "sum of cells"

    def levels_for(self, measure: str) -> list[str]:
        """Levels at which a measure is published."""
        return sorted(level for m, level in self._by_measure_level if m == measure)

    def years_for(self, measure: str, level: str) -> list[int]:
        """Years in which a measure is published at a level."""
        return sorted(int(y) for y in self.measure_facts(measure, level)["year"].unique())
