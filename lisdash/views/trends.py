"""Trends and compare: cluster time series for chosen areas, and the shift-share of the first cluster."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lisdash import figures, metrics, vocabulary
from lisdash.content import Content
from lisdash.store import Store
from lisdash.views.common import credits

TREND_SOURCES = {"employment-itl2": ("employment", "itl2"), "gva-itl3": ("gva", "itl3")}
SHIFT_SHARE_COLUMNS = {"name": "Area", "value_start": "Start", "value_end": "End", "change": "Change",
                       "national_growth": "Benchmark growth", "industry_mix": "Industry mix", "local": "Local",
                       "small": "Small count"}


def trend_labels(store: Store) -> dict[str, str]:
    """Each trend source named with its measure, level and years, as the store holds them."""
    out = {}
    for key, (measure, level) in TREND_SOURCES.items():
        years = store.years_for(measure, level)
        out[key] = f"{vocabulary.measure_name(measure)}, {level.upper()}, {years[0]}-{years[-1]}"
    return out


def trend_areas(store: Store, content: Content, key: str) -> dict[str, str]:
    """Areas with data for a trend source, by code, with their unambiguous names."""
    measure, level = TREND_SOURCES[key]
    layer = store.layer(level)
    with_data = set(store.measure_facts(measure, level)["area_code"].unique())
    return {c: content.label(c, n) for c, n in zip(layer["code"], layer["name"], strict=True) if c in with_data}


def trends_view(store: Store, content: Content, key: str, cluster_ids: list[str], codes: list[str],
                indexed: bool) -> tuple[pd.DataFrame, go.Figure, pd.DataFrame, go.Figure, str]:
    """Time series for clusters x areas, and the shift-share of the first cluster over the full period."""
    measure, level = TREND_SOURCES[key]
    names = store.layer(level).set_index("code")["name"]
    names = pd.Series({c: content.label(c, n) for c, n in names.items()})
    parts = []
    for cluster_id in cluster_ids:
        s = metrics.series(store, content.cluster(cluster_id), measure, level, codes)
        parts.append(s.assign(label=s["code"].map(names) + ": " + s.attrs["label"]))
        attrs = s.attrs
    data = pd.concat(parts, ignore_index=True)
    if indexed:
        data["value"] = 100 * data["value"] / data.groupby("label")["value"].transform("first")
    source, caveat = credits(store, {**attrs, "year": None, "benchmark": None}, maps=False)
    info = vocabulary.measure(measure)
    y_title = "Index (first year = 100)" if indexed else vocabulary.sentence_case(info.unit)
    fig = figures.trend_lines(data, f"{info.name} by cluster and area", source, y_title)
    first = content.cluster(cluster_ids[0])
    shares = metrics.shift_share(store, first, measure, level, attrs["start"], attrs["end"])
    shares = shares[shares["code"].isin(codes)].assign(name=lambda d: d["code"].map(names))
    src = store.sources.get(attrs["source"])
    benchmark = vocabulary.sentence_case((src.benchmark if src else "benchmark").removeprefix("the "))
    share_fig = figures.shift_share_bars(
        shares, f"{shares.attrs['label']}: shift-share of the change {attrs['start']}-{attrs['end']}", source,
        benchmark)
    small = sorted(set(data.loc[data["small"], "label"]))
    if small:
        caveat = (f"Dotted lines are small counts (under {info.min_count:,.0f} {info.unit} in some year): "
                  f"{'; '.join(small)}. They are left out of the vertical scale. ") + caveat
    return data, fig, shares, share_fig, caveat
