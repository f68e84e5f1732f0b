"""Spatial hotspots: Getis-Ord Gi* of a cluster's LQ over contiguous areas (esda, libpysal)."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
from esda.getisord import G_Local
from libpysal.weights import Queen

PERMUTATIONS = 999
SEED = 12345
ALPHA = 0.05


def gi_star(layer: gpd.GeoDataFrame, table: pd.DataFrame, column: str = "lq") -> pd.DataFrame:
    """Gi* z-scores and pseudo p-values of `column` for the areas of `layer` (queen contiguity).

    Areas with no neighbour (islands) or no value are left out. Returns code, gi_z, gi_p and
    hotspot ('hot spot', 'cold spot' or 'not significant' at p < 0.05). The same layer and values
    give the same result (fixed seed), so results are kept per process.
    """
    values = table[["code", column]].dropna()
    key = (tuple(layer["code"]), tuple(values["code"]), tuple(values[column].round(12)))
    if key not in _RESULTS:
        if len(_RESULTS) > 256:
            _RESULTS.clear()
        _RESULTS[key] = _gi_star(layer, table, column)
    return _RESULTS[key].copy()


_RESULTS: dict[tuple, pd.DataFrame] = {}


def _gi_star(layer: gpd.GeoDataFrame, table: pd.DataFrame, column: str) -> pd.DataFrame:
    merged = layer[["code", "geometry"]].merge(table[["code", column]], on="code", how="inner")
    merged = merged[merged[column].notna()].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = Queen.from_dataframe(merged, use_index=False)
    keep = [i for i in range(len(merged)) if weights.cardinalities[i] > 0]
    if len(keep) < len(merged):
        merged = merged.iloc[keep].reset_index(drop=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            weights = Queen.from_dataframe(merged, use_index=False)
    weights.transform = "B"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gi = G_Local(merged[column].to_numpy(dtype=float), weights, transform="B", star=True,
                     permutations=PERMUTATIONS, seed=SEED, n_jobs=1)
    label = np.where(gi.p_sim < ALPHA, np.where(gi.Zs > 0, "hot spot", "cold spot"), "not significant")
    return pd.DataFrame({"code": merged["code"], "gi_z": gi.Zs, "gi_p": gi.p_sim, "hotspot": label})
