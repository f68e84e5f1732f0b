"""View models: everything a page shows, computed without Streamlit (pages only lay them out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from lisdash import figures, geojson, metrics
from lisdash.config import WM_REGION
from lisdash.content import Content
from lisdash.hotspots import gi_star
from lisdash.provenance import LEVEL_NAMES, MEASURE_NAMES, UNITS, caveat_line, source_line
from lisdash.store import Store

GeoSource = Callable[[str, str], "dict | str"]  # (level, extent) -> GeoJSON dict or URL
LEVEL_ORDER = ["msoa11", "lad", "itl3", "itl2"]
NATIONAL_MEASURES = ["employment", "gva", "local_units", "enterprises"]
REGION_LEVELS = {"itl3": "ITL3 areas (boroughs and counties)", "lad": "Local authority districts",
                 "msoa11": "MSOAs (2011), Census 2011"}
BASEMAPS = {"off": "None (works offline)", "on": "Street map (needs internet)"}
COLOUR_MODES = {"lq": "Location quotient", "class": "Strength class", "hotspot": "Gi* hotspots"}


@dataclass
class MapView:
    """A cluster map with its ranked table, headline numbers and credits."""

    table: pd.DataFrame
    figure: go.Figure
    source: str
    caveat: str
    level: str
    measure: str
    year: int
    headline: dict = field(default_factory=dict)
    commitments: list = field(default_factory=list)


def finest_level(store: Store, measure: str) -> str:
    """The most detailed area level at which a measure is published (e.g. LAD once Nomis BRES is fetched)."""
    levels = store.levels_for(measure)
    return next(level for level in LEVEL_ORDER if level in levels)


def region_measure(store: Store, level: str) -> str:
    """The measure shown on the regional map at a level: BRES where available, else the level's source."""
    for measure in ["employment", "gva", "local_units", "workplace_pop"]:
        if level in store.levels_for(measure):
            return measure
    raise metrics.MetricError(f"no measure at level {level}")


def _subtitle(measure: str, level: str, year: int, where: str) -> str:
    return f"{MEASURE_NAMES[measure]}, {year}: location quotient by {LEVEL_NAMES[level]}, {where}"


def national_view(store: Store, content: Content, cluster_id: str, measure: str, year: int | None,
                  colour: str, geo: GeoSource, basemap: bool = False) -> MapView:
    """The UK/GB heat map of a cluster at the finest level of the measure, West Midlands outlined."""
    cluster = content.cluster(cluster_id)
    level = finest_level(store, measure)
    table = metrics.cluster_table(store, cluster, measure, level, year)
    layer = store.layer(level)
    attrs = table.attrs
    if colour == "hotspot":
        table = table.merge(gi_star(layer, table), on="code", how="left")
        table.attrs = attrs
    src = store.sources.get(attrs["source"])
    wm = store.layer("itl1")
    outline = geojson.outline(wm[wm["code"] == "TLG"].geometry)
    source = source_line(attrs, src)
    where = "Great Britain" if level == "itl2" else "United Kingdom"
    fig = figures.lq_map(table, geo(level, "national"), geojson.bounds(layer[layer["code"].isin(table["code"])]),
                         cluster.name, source, colour, [outline], 720,
                         _subtitle(measure, level, attrs["year"], where), basemap)
    regions = metrics.rollup(table, layer).set_index("code")
    names = wm.set_index("code")["name"].str.replace(" (England)", "", regex=False)
    headline = {"region_name": names.get("TLG", "West Midlands"), "value": float(regions.loc["TLG", "value"]),
                "lq": float(regions.loc["TLG", "lq"]), "rank": int(regions.loc["TLG", "rank"]),
                "regions": len(regions), "top_region": names.get(regions.index[0], regions.index[0])}
    commitments = [content.commitment(c) for c in cluster.commitments]
    return MapView(table, fig, source, caveat_line(attrs, src), level, measure, attrs["year"], headline, commitments)


def region_view(store: Store, content: Content, cluster_id: str, level: str, year: int | None, colour: str,
                geo: GeoSource, height: int = 620, basemap: bool = False) -> MapView:
    """The cluster inside the West Midlands: LQ against the nation, named places outlined, optional Gi*."""
    cluster = content.cluster(cluster_id)
    measure = region_measure(store, level)
    full = metrics.cluster_table(store, cluster, measure, level, year)
    layer = store.layer(level, "regional")
    layer = layer[layer["region"] == WM_REGION]
    attrs = full.attrs
    table = full[full["code"].isin(layer["code"])].reset_index(drop=True)
    if colour == "hotspot":
        table = table.merge(gi_star(layer, table), on="code", how="left")
    table.attrs = attrs
    src = store.sources.get(attrs["source"])
    outlines = []
    for place_id in cluster.places:
        codes = content.place(place_id).areas.get(level)
        if codes:
            outlines.append(geojson.outline(layer[layer["code"].isin(codes)].geometry))
    source = source_line(attrs, src)
    fig = figures.lq_map(table, geo(level, "regional"), geojson.bounds(layer), cluster.name, source, colour,
                         outlines, height, _subtitle(measure, level, attrs["year"], "West Midlands"), basemap)
    commitments = [content.commitment(c) for c in cluster.commitments]
    places = [content.place(p) for p in cluster.places]
    headline = {p.id: {"name": p.name, **metrics.place_total(full, p.areas[level])}
                for p in places if level in p.areas}
    return MapView(table, fig, source, caveat_line(attrs, src), level, measure, attrs["year"], headline, commitments)


def store_geo(store: Store) -> GeoSource:
    """GeoJSON dicts read from the store (for exports and benchmarks, where no server is running)."""
    import json

    cache: dict[tuple[str, str], dict] = {}

    def load(level: str, extent: str) -> dict:
        if (level, extent) not in cache:
            cache[(level, extent)] = json.loads(store.geojson_path(level, extent).read_text(encoding="utf-8"))
        return cache[(level, extent)]

    return load


PROFILE_LEVELS = {"itl2": "ITL2 areas (BRES employment)", "itl3": "ITL3 areas (GVA)",
                  "lad": "Local authority districts (business counts)", "msoa11": "MSOAs 2011 (Census workplace)"}
TREND_SOURCES = {"employment-itl2": ("employment", "itl2"), "gva-itl3": ("gva", "itl3")}
TREND_LABELS = {"employment-itl2": "Employment (BRES), ITL2, 2015-2021",
                "gva-itl3": "GVA (current prices), ITL3, 1998-2022"}


def profile_areas(store: Store, level: str) -> pd.DataFrame:
    """Areas a profile can be opened for at a level (those with data and a boundary)."""
    extent = "regional" if level == "msoa11" else "national"
    layer = store.layer(level, extent)
    measure = region_measure(store, level)
    with_data = set(store.measure_facts(measure, level)["area_code"])
    return layer[layer["code"].isin(with_data)][["code", "name", "alt_name", "itl3", "itl2", "itl1", "region",
                                                 "ca", "lep", "lad"]].sort_values("name")


@dataclass
class ProfileView:
    """An area's cluster mix, trends, peers and parent areas."""

    code: str
    name: str
    level: str
    measure: str
    mix: pd.DataFrame
    mix_figure: go.Figure
    trend: pd.DataFrame | None
    trend_figure: go.Figure | None
    peers: pd.DataFrame
    parents: list[tuple[str, str]]
    source: str
    caveat: str


def profile_view(store: Store, content: Content, code: str, level: str, cluster_id: str) -> ProfileView:
    """Everything the area profile shows for one area."""
    measure = region_measure(store, level)
    areas = profile_areas(store, level).set_index("code")
    row = areas.loc[code]
    name = str(row["name"]) + (f" ({row['alt_name']})" if isinstance(row["alt_name"], str) else "")
    mix = metrics.cluster_mix(store, content.clusters, measure, level, code)
    src = store.sources.get(mix.attrs["source"])
    source = source_line(mix.attrs, src, maps=False)
    mix_fig = figures.lq_bars(mix, f"{name}: cluster mix", source)
    mix_fig.update_layout(title_subtitle_text=f"{MEASURE_NAMES[measure]}, {mix.attrs['year']}: location "
                          f"quotient of each cluster against {LEVEL_NAMES[level]} nationally")
    trend = trend_fig = None
    if len(store.years_for(measure, level)) > 1:
        cluster = content.cluster(cluster_id)
        local = metrics.series(store, cluster, measure, level, [code])
        every = metrics.series(store, cluster, measure, level, list(areas.index))
        national = every.groupby("year", as_index=False)["value"].sum()
        trend = pd.concat([local.assign(label=name), national.assign(label="National total")])
        trend["value"] = 100 * trend["value"] / trend.groupby("label")["value"].transform("first")
        trend_fig = figures.trend_lines(trend, f"{cluster.name} in {name}: indexed trend",
                                        source_line(local.attrs, src, maps=False), "Index (first year = 100)")
    peer = metrics.peers(store, measure, level, code)
    facts = store.measure_facts(measure, level).drop_duplicates("area_code").set_index("area_code")
    peer["name"] = peer["code"].map(areas["name"]).fillna(peer["code"].map(facts["area_name"]))
    layer_names = store.areas.drop_duplicates(["level", "code"]).set_index("code")["name"]
    parents = [(lv, f"{layer_names.get(row[lv], row[lv])} ({row[lv]})")
               for lv in ("lad", "itl3", "itl2", "itl1", "region", "ca", "lep")
               if isinstance(row.get(lv), str) and row[lv] != code]
    return ProfileView(code, name, level, measure, mix, mix_fig, trend, trend_fig, peer, parents, source,
                       caveat_line(mix.attrs, src))


def trends_view(store: Store, content: Content, key: str, cluster_ids: list[str], codes: list[str],
                indexed: bool) -> tuple[pd.DataFrame, go.Figure, pd.DataFrame, go.Figure, str]:
    """Time series for clusters x areas, and the shift-share of the first cluster over the full period."""
    measure, level = TREND_SOURCES[key]
    names = store.layer(level).set_index("code")["name"]
    parts = []
    for cluster_id in cluster_ids:
        cluster = content.cluster(cluster_id)
        s = metrics.series(store, cluster, measure, level, codes)
        parts.append(s.assign(label=s["code"].map(names) + ": " + cluster.name))
        attrs = s.attrs
    data = pd.concat(parts, ignore_index=True)
    if indexed:
        data["value"] = 100 * data["value"] / data.groupby("label")["value"].transform("first")
    src = store.sources.get(attrs["source"])
    source = source_line(attrs, src, maps=False)
    y_title = "Index (first year = 100)" if indexed else UNITS[measure].capitalize()
    fig = figures.trend_lines(data, f"{MEASURE_NAMES[measure]} by cluster and area", source, y_title)
    first = content.cluster(cluster_ids[0])
    shares = metrics.shift_share(store, first, measure, level, attrs["start"], attrs["end"])
    shares = shares[shares["code"].isin(codes)].assign(name=lambda d: d["code"].map(names))
    share_fig = figures.shift_share_bars(
        shares, f"{first.name}: shift-share of the change {attrs['start']}-{attrs['end']}",
        source_line(shares.attrs, src, maps=False))
    return data, fig, shares, share_fig, caveat_line(attrs, src)
