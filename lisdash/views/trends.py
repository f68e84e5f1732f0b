"""Trends and compare: cluster time series for chosen areas, and the shift-share of the first cluster."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from lisdash import metrics, vocabulary
from lisdash.content import Content
from lisdash.evidence.report import ordinal
from lisdash.figures import draw
from lisdash.store import Store
from lisdash.views.common import credits
from lisdash.views.display import Format, yes_no

TREND_SOURCES = {"employment-itl2": ("employment", "itl2"), "gva-itl3": ("gva", "itl3")}
SHIFT_SHARE_COLUMNS: dict[str, tuple[str, Format]] = {
    "name": ("Area", None), "value_start": ("Start", "{:,.0f}"), "value_end": ("End", "{:,.0f}"),
    "change": ("Change", "{:+,.0f}"), "national_growth": ("Benchmark growth", "{:+,.0f}"),
    "industry_mix": ("Industry mix", "{:+,.0f}"), "local": ("Local", "{:+,.0f}"), "small": ("Small count", yes_no)}


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


def comparators(store: Store, content: Content, key: str, home: str, n: int = 4) -> tuple[list[str], str]:
    """`home` and the `n` areas whose industrial mix is most like it (metrics.peers), with the method stated and
    the next areas' similarity beside them, saying where the similarity drops (so a cut that separates nothing
    is shown as such)."""
    measure, level = TREND_SOURCES[key]
    names = trend_areas(store, content, key)
    peer = metrics.peers(store, measure, level, home, 2 * n)
    basis = metrics.provenance_of(peer)
    detail = {"subclass": "SIC subclasses", "gva_industry": "ONS GVA groups"}.get(basis.industry_level, "industries")
    likes = [f"{names.get(c, c)} {s:.3f}" for c, s in zip(peer["code"], peer["similarity"], strict=True)]
    method = (f"Default comparison: {names.get(home, home)} and the {n} {level.upper()} areas whose industrial mix is "
              f"most like it (areas like this one, as in ONS Explore Local Statistics): cosine similarity of "
              f"{vocabulary.measure(measure).unit} shares across {len(basis.codes)} {detail} in "
              f"{basis.year} ({'; '.join(likes[:n])}). {similarity_drop(peer['similarity'].tolist(), n, likes)}")
    return [home, *peer["code"].head(n)], method


def similarity_drop(similarity: list[float], n: int, likes: list[str]) -> str:
    """Whether the first `n` of a list of similarities (falling) stand apart from the rest, in one sentence."""
    if len(similarity) <= n:
        return ""
    steps = [a - b for a, b in zip(similarity, similarity[1:], strict=False)]
    cut, largest = steps[n - 1], max(range(len(steps)), key=steps.__getitem__)
    shown = f"The next: {'; '.join(likes[n:])}."
    if largest == n - 1:
        return f"{shown} The similarity falls most between the {ordinal(n)} and the {ordinal(n + 1)} ({cut:.3f})."
    return (f"{shown} The first {n} are not clearly apart from the next: the similarity falls by {cut:.3f} from the "
            f"{ordinal(n)} to the {ordinal(n + 1)}, and most ({steps[largest]:.3f}) after the {ordinal(largest + 1)}.")


def trends_view(store: Store, content: Content, key: str, cluster_ids: Sequence[str], codes: Sequence[str],
                indexed: bool) -> tuple[pd.DataFrame, go.Figure, pd.DataFrame, go.Figure, str]:
    """Time series for clusters x areas, and the shift-share of the first cluster over the full period."""
    measure, level = TREND_SOURCES[key]
    names = store.layer(level).set_index("code")["name"]
    names = pd.Series({c: content.label(c, n) for c, n in names.items()})
    parts = []
    for cluster_id in cluster_ids:
        s = metrics.series(store, content.cluster(cluster_id), measure, level, codes)
        s = s.sort_values("code", key=lambda c: c.map(codes.index), kind="stable")
        prov = metrics.provenance_of(s)
        parts.append(s.assign(label=s["code"].map(names) + ": " + prov.label))
    data = pd.concat(parts, ignore_index=True)
    if indexed:
        data = metrics.indexed(data)
    source, caveat = credits(store, prov.but(year=None, benchmark=None), maps=False)
    info = vocabulary.measure(measure)
    y_title = metrics.INDEX_TITLE if indexed else vocabulary.sentence_case(info.unit)
    fig = draw.trend_lines(data, f"{info.name} by cluster and area", source, y_title)
    first = content.cluster(cluster_ids[0])
    shares = metrics.shift_share(store, first, measure, level, prov.start, prov.end)
    shares = shares[shares["code"].isin(codes)].assign(name=lambda d: d["code"].map(names))
    src = store.sources.get(prov.source)
    benchmark = vocabulary.sentence_case((src.benchmark if src else "benchmark").removeprefix("the "))
    share_fig = draw.shift_share_bars(
        shares, f"{metrics.provenance_of(shares).label}: shift-share of the change {prov.start}-{prov.end}", source,
        benchmark)
    small = sorted(set(data.loc[data["small"], "label"]))
    if small:
        caveat = (f"Dotted lines are small counts (under {info.min_count:,.0f} {info.unit} in some year): "
                  f"{'; '.join(small)}. They are left out of the vertical scale. ") + caveat
    return data, fig, shares, share_fig, caveat
