"""The area profile: an area's cluster mix against the benchmark, its trend, peers and parent areas."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from lisdash import metrics, vocabulary
from lisdash.content import Content
from lisdash.figures import draw
from lisdash.metrics import Provenance
from lisdash.metrics.memo import per_build
from lisdash.store import Store
from lisdash.views.common import credits
from lisdash.views.maps import region_measure
from lisdash.views.sourcelines import caveat_line

PROFILE_LEVELS = vocabulary.profile_levels()


def profile_areas(store: Store, level: str) -> pd.DataFrame:
    """Areas a profile can be opened for at a level (those with data and a boundary)."""
    return _profile_areas(store, level)


@per_build(16)
def _profile_areas(store: Store, level: str) -> pd.DataFrame:
    extent = "regional" if level == "msoa11" else "national"
    layer = store.layer(level, extent)
    measure = region_measure(store, level)
    with_data = store.measure_facts(measure, level)["area_code"].unique()
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
    portfolio: pd.DataFrame | None
    portfolio_figure: go.Figure | None
    peers: pd.DataFrame
    parents: list[tuple[str, str]]
    source: str
    caveat: str


def _trend(store: Store, content: Content, cluster_id: str, measure: str, level: str, code: str, name: str,
           areas: pd.DataFrame) -> tuple[pd.DataFrame, go.Figure]:
    cluster = content.cluster(cluster_id)
    local = metrics.series(store, cluster, measure, level, [code])
    every = metrics.series(store, cluster, measure, level, list(areas.index))
    prov = metrics.provenance_of(local)
    benchmark = credits_benchmark(store, prov.source)
    national = every.groupby("year", as_index=False)["value"].sum().assign(small=False)
    trend = metrics.indexed(pd.concat([local.assign(label=name), national.assign(label=benchmark)]))
    source, _ = credits(store, prov.but(year=None), maps=False)
    figure = draw.trend_lines(trend, f"{prov.label} in {name}: indexed trend", source,
                                 metrics.INDEX_TITLE)
    return trend, figure


def credits_benchmark(store: Store, source_id: str) -> str:
    """The benchmark a source's areas add up to (Great Britain, the UK, England and Wales)."""
    src = store.sources.get(source_id)
    return vocabulary.sentence_case((src.benchmark if src and src.benchmark else "benchmark").removeprefix("the "))


def profile_view(store: Store, content: Content, code: str, level: str, cluster_id: str) -> ProfileView:
    """Everything the area profile shows for one area."""
    measure = region_measure(store, level)
    areas = profile_areas(store, level).set_index("code")
    row = areas.loc[code]
    name = content.label(code, str(row["name"])) + (f" ({row['alt_name']})" if isinstance(row["alt_name"], str)
                                                    else "")
    mix = metrics.cluster_mix(store, content.clusters, measure, level, code)
    prov = metrics.provenance_of(mix)
    source, _ = credits(store, prov, maps=False)
    src = store.sources.get(prov.source)
    excluded = store.manifest.get("excluded_from_totals", {}).get(prov.source, [])
    stand_ins = [r for _, r in mix.iterrows() if not r["exact"] and r["measures"]]
    notes = [f"{r['cluster_name']} is shown through a stand-in group ({r['subject']})." for r in stand_ins]
    unmeasured = [r for _, r in mix.iterrows() if not r["measures"]]
    if unmeasured:
        notes.append("Not drawn, and given no rank or class: " + "; ".join(r["subject"] for r in unmeasured)
                     + ": groups that are mostly other industries measure none of these clusters here.")
    caveat = " ".join([*notes, caveat_line(prov, src, excluded)])
    mix_fig = draw.lq_bars(mix, f"{name}: cluster mix", source, prov.benchmark_name)
    mix_fig.update_layout(title_subtitle_text=f"{vocabulary.measure_name(measure)}, {prov.year}: location "
                          f"quotient of each cluster against {prov.benchmark_name} (bars: 95% range from rounding)")
    trend = trend_fig = folio = folio_fig = None
    if len(store.years_for(measure, level)) > 1:
        trend, trend_fig = _trend(store, content, cluster_id, measure, level, code, name, areas)
        folio, folio_fig, _ = portfolio_chart(store, content, measure, level, [code], name)
    peer = metrics.peers(store, measure, level, code)
    official = peer["code"].map(areas["name"]).fillna(peer["code"].map(store.names(level))).fillna(peer["code"])
    peer["name"] = [content.label(c, n) for c, n in zip(peer["code"], official, strict=True)]
    layer_names = store.areas.drop_duplicates(["level", "code"]).set_index("code")["name"]
    parents = [(lv, f"{content.label(row[lv], layer_names.get(row[lv], row[lv]))} ({row[lv]})")
               for lv in ("lad", "itl3", "itl2", "itl1", "region", "ca", "lep")
               if isinstance(row.get(lv), str) and row[lv] != code]
    return ProfileView(code, name, level, measure, mix, mix_fig, trend, trend_fig, folio, folio_fig, peer, parents,
                       source, caveat)


def portfolio_note(measure: str, prov: Provenance) -> str:
    """What a portfolio chart shows and how to read it (its subtitle; a slide says it under the chart)."""
    benchmark = prov.benchmark_name
    return (f"{vocabulary.measure_name(measure)}: LQ against {benchmark} in {prov.end}; growth "
            f"{prov.start}-{prov.end}; bubble area: size in {prov.end}.<br>Faster or slower: than the same cluster "
            f"in {benchmark} (not whether it grew). Hollow: a range crosses its line, or a small count. *: the "
            "quadrant changes with the start year.<br>Clusters overlap (automotive is part of future mobility), so "
            "a job can be in two bubbles.")


def portfolio_chart(store: Store, content: Content, measure: str, level: str, codes: list[str], name: str,
                    font_size: int = 13, height: int = 600, width: int = 900,
                    bare: bool = False) -> tuple[pd.DataFrame, go.Figure, str]:
    """A place's cluster portfolio (the areas `codes` summed), its bubble chart and its source line.

    `width` is the narrowest the chart is shown at; `bare` leaves title, subtitle and source to the slide.
    """
    folio = metrics.portfolio(store, content.clusters, measure, level, codes)
    prov = metrics.provenance_of(folio)
    source = credits(store, prov.but(year=None), maps=False)[0]  # the years the growth spans
    figure = draw.portfolio_bubbles(folio, f"{name}: cluster portfolio", source, prov.benchmark_name,
                                       portfolio_note(measure, prov), font_size, height, width, bare)
    return folio, figure, source
