"""GeoJSON text for maps: feature id = area code, coordinates rounded to about 10 m (1e-4 degrees)."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

DECIMALS = 4


def feature_collection(layer: gpd.GeoDataFrame) -> dict:
    """A FeatureCollection of a layer's areas, keyed by code, ready for plotly."""
    layer = layer[layer.geometry.notna()]
    rounded = shapely.transform(layer.geometry.values, lambda xy: np.round(xy, DECIMALS))
    features = [
        {"type": "Feature", "id": code, "properties": {}, "geometry": json.loads(text)}
        for code, text in zip(layer["code"], shapely.to_geojson(rounded), strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def outline(geoms: gpd.GeoSeries) -> dict:
    """One dissolved outline (as a GeoJSON geometry collection feature) of several areas."""
    merged = shapely.union_all(shapely.make_valid(geoms.values))
    rounded = shapely.transform(merged, lambda xy: np.round(xy, DECIMALS))
    return {"type": "Feature", "properties": None, "geometry": json.loads(shapely.to_geojson(rounded))}


def bounds(layer: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """min lon, min lat, max lon, max lat of a layer."""
    return tuple(float(v) for v in layer.total_bounds)
