"""Helpers every view shares: unambiguous area names, map marks for uncertain areas, map titles, subtitles,
credits."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable

import pandas as pd

from lisdash import geojson, vocabulary
from lisdash.content import Cluster, Content
from lisdash.figures.draw import TITLE_WRAP
from lisdash.metrics import Provenance
from lisdash.metrics.memo import per_build
from lisdash.metrics.resolve import SCHEME_NAMES, MetricError, resolve
from lisdash.store import Store
from lisdash.views.sourcelines import caveat_line, source_line

GeoSource = Callable[[str, str], "dict | str"]  # (level, extent) -> GeoJSON dict or URL


def relabel(table: pd.DataFrame, content: Content) -> pd.DataFrame:
    """The table with each area's unambiguous display name (the region is not the met county)."""
    out = table.copy()
    labels = out["code"].map(content.region.labels)
    out["name"] = labels.where(labels.notna(), out["name"]).fillna(out["code"])
    return out


def marks(store: Store, level: str, extent: str, table: pd.DataFrame) -> pd.DataFrame:
    """A point inside each uncertain area (LQ interval includes 1, or a small count) to dot on the map."""
    flagged = table[table["uncertain"]]
    points = inner_points(store, level, extent)
    points = points[points.index.isin(flagged["code"])]
    names = flagged.set_index("code")["name"]
    return pd.DataFrame({"lon": points["lon"], "lat": points["lat"],
                         "text": [f"{names.get(c, c)}: uncertain" for c in points.index]})


@per_build(32)
def inner_points(store: Store, level: str, extent: str) -> pd.DataFrame:
    """A point inside every area of a layer (its representative point), by code."""
    layer = store.layer(level, extent)
    shapes = layer[layer.geometry.notna()].drop_duplicates("code").set_index("code")
    points = shapes.geometry.representative_point()
    return pd.DataFrame({"lon": points.x, "lat": points.y})


@per_build(64)
def outline(store: Store, level: str, extent: str, codes: tuple[str, ...]) -> dict:
    """The dissolved outline of some areas of a layer, as GeoJSON."""
    layer = store.layer(level, extent)
    return geojson.outline(layer[layer["code"].isin(codes)].geometry)


def mark_label(measure: str) -> str:
    """The legend entry of the uncertainty dots."""
    info = vocabulary.measure(measure)
    return f"uncertain: LQ range includes 1, or under {info.min_count:,.0f} {info.unit}"


MAP_TITLE_LINES = 3  # a longer title would leave the map too little room under it


def map_title(prov: Provenance) -> tuple[str, str]:
    """A map's title, and the note a stand-in group too long to title a map leaves under it (else "").

    Such a group is still titled as itself, by its number of groups and its SIC codes ('8 ONS GVA groups
    (SIC 64-66, 69-74, 78-80, 82), standing in for business, professional and financial services'); the note
    names every group.
    """
    if prov.exact or len(textwrap.wrap(prov.label, TITLE_WRAP)) <= MAP_TITLE_LINES:
        return prov.label, ""
    codes = re.search(r"\(([^()]*)\)$", prov.subject)
    group = f"{len(prov.codes)} {SCHEME_NAMES.get(prov.industry_level, 'industry groups')}"
    group += f" ({codes.group(1)})" if codes else ""
    if prov.measures_cluster:
        return f"{group}, standing in for {prov.cluster_name.lower()}", f"Stand-in group: {prov.subject}."
    return (f"{group}, of which {prov.proxy.share:.0%} is {prov.cluster_name.lower()}",
            f"The groups: {prov.subject}.")


def cluster_itself(store: Store, cluster: Cluster) -> str:
    """One sentence: which data measure the cluster itself (exactly, by its SIC codes)."""
    exact = [lv for lv in vocabulary.finest_first() if lv in store.levels_for("employment")
             and _exact(store, cluster, "employment", lv)]
    here = (f"is measured by its own SIC codes in BRES employment down to {vocabulary.level_name(exact[0])} "
            "(choose Employment (BRES))" if exact else "is not measured by its own SIC codes in this dashboard")
    return (f"{cluster.name} itself {here}; for local authorities and smaller areas, BRES by SIC subclass from "
            "Nomis (dataset NM_189_1) would show it.")


def _exact(store: Store, cluster: Cluster, measure: str, level: str) -> bool:
    try:
        return resolve(store, cluster, measure, level).exact
    except MetricError:
        return False


def group_note(store: Store, content: Content, prov: Provenance) -> str:
    """What a group's numbers are when the group does not measure the cluster ("" when it does): the group and
    the cluster's share of it, that no rank, class or hotspot is given, and which data would show the cluster."""
    if prov.measures_cluster or prov.proxy is None:
        return ""
    cluster = content.cluster(prov.cluster)
    return (f"These numbers measure {prov.subject}, which is only {prov.proxy.share:.0%} {cluster.name.lower()} "
            f"(Great Britain jobs, BRES {prov.proxy.year}), so no rank, strength class or hotspot is given for it. "
            + cluster_itself(store, cluster))


def short_words(short_subject: str) -> str:
    """A short subject inside a sentence: a cluster's name starts lower-case ('business services (stand-in
    group)'); a group's SIC codes stay as they are ('SIC 28-30 group')."""
    if not short_subject or short_subject.startswith("SIC") or short_subject[0].isdigit():
        return short_subject
    return short_subject[:1].lower() + short_subject[1:]


def subject_words(prov: Provenance) -> str:
    """What numbers measure, in a few words: the cluster ('automotive'), its stand-in ('business services
    (stand-in group)') or a group that does not measure it ('SIC 28-30 group')."""
    return short_words(prov.short_subject)


def lq_words(prov: Provenance) -> str:
    """'LQ vs GB': a location quotient and its benchmark, short enough for a card."""
    return f"LQ vs {vocabulary.benchmark_short(prov.benchmark_name)}"


def card_label(place: str, prov: Provenance, what: str) -> str:
    """A card's subject: place, cluster or group, what is measured and the year ('WMCA area: automotive LQ vs
    Great Britain, 2021')."""
    return f"{place}: {subject_words(prov)} {what}, {prov.year}"


def subtitle(prov: Provenance, where: str) -> str:
    """'Employment (BRES), 2021: location quotient by ITL2 areas, Great Britain = 1, West Midlands region'."""
    return (f"{vocabulary.measure_name(prov.measure)}, {prov.year}: location quotient by "
            f"{vocabulary.level_name(prov.level)} ({prov.benchmark_name} = 1), {where}")


def credits(store: Store, prov: Provenance, maps: bool = True) -> tuple[str, str]:
    """The source line and the caveats of a result, generated from its provenance."""
    src = store.sources.get(prov.source)
    excluded = store.manifest.get("excluded_from_totals", {}).get(prov.source, [])
    return source_line(prov, src, maps=maps), caveat_line(prov, src, excluded)


def with_lq_range(table: pd.DataFrame) -> pd.DataFrame:
    """The table with an 'LQ range' text column ('3.94 to 4.30') beside its LQ, for display."""
    ranges = [("" if pd.isna(lo) else f"{lo:.2f} to {hi:.2f}") for lo, hi in zip(table["lq_low"], table["lq_high"],
                                                                                 strict=True)]
    out = table.copy()
    out.insert(out.columns.get_loc("lq") + 1 if "lq" in out else len(out.columns), "lq_range", ranges)
    return out


def store_origin(store: Store) -> str:
    """Where this store's data came from: built from the mirror, or unpacked from the shipped release."""
    origin = store.manifest.get("origin", {"kind": "build"})
    built = store.manifest["built_at"]
    if origin.get("kind") == "release":
        return (f"Data: the shipped data release {origin['vintage']} ({origin['file']}), built on {built} from the "
                "checksummed files below; no open-data mirror was found on this machine.")
    return f"Data: built on {built} from the open-data mirror's checksummed files below."


def store_geo(store: Store) -> GeoSource:
    """GeoJSON dicts read from the store (for exports and benchmarks, where no server is running)."""
    cache: dict[tuple[str, str], dict] = {}

    def load(level: str, extent: str) -> dict:
        if (level, extent) not in cache:
            cache[(level, extent)] = json.loads(store.geojson_path(level, extent).read_text(encoding="utf-8"))
        return cache[(level, extent)]

    return load
