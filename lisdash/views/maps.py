"""The map views: a cluster across the UK or Great Britain, and inside the West Midlands."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

from lisdash import geojson, metrics, vocabulary
from lisdash.content import Commitment, Content
from lisdash.figures import draw, heading
from lisdash.metrics.hotspots import gi_star
from lisdash.metrics.provenance import attach
from lisdash.store import Store
from lisdash.views.common import (
    GeoSource,
    card_label,
    credits,
    group_note,
    lq_words,
    map_title,
    mark_label,
    marks,
    outline,
    relabel,
    subject_words,
    subtitle,
    with_lq_range,
)
from lisdash.views.display import ShownTable, area_columns, display_table

NATIONAL_MEASURES = vocabulary.national_measures()
REGION_LEVELS = vocabulary.region_map_levels()
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
    bounds: tuple[float, float, float, float]  # west, south, east, north of the areas drawn
    headline: dict = field(default_factory=dict)
    commitments: list[Commitment] = field(default_factory=list)
    group_note: str = ""  # set when the numbers are a group's that does not measure the cluster
    _shown: dict = field(default_factory=dict, repr=False, compare=False)  # what the page shows, made once

    def shown_table(self, columns: tuple[str, ...], rows: int | None = None, by_lq: bool = False) -> ShownTable:
        """The ranked table's `columns` as the page shows them, the LQ with its 95% range (sorted by LQ, highest
        first, with `by_lq`; its first `rows`), made once per view."""
        key = ("table", columns, rows, by_lq)
        if key not in self._shown:
            table = self.table.sort_values("lq", ascending=False) if by_lq else self.table
            table = table.head(rows) if rows else table
            shown = with_lq_range(table[list(columns) + [c for c in ("lq_low", "lq_high") if c not in columns]])
            spec = area_columns(vocabulary.unit(self.measure), [c for c in shown if c not in ("lq_low", "lq_high")])
            self._shown[key] = display_table(shown, spec)
        return self._shown[key]

    def shown_figure(self) -> tuple[heading.FigureText, str]:
        """The map's title and subtitle as page text, and the rest of the figure as JSON for the browser, made
        once per view."""
        if "figure" not in self._shown:
            whole = self.figure.to_dict()
            self._shown["figure"] = (heading.text_of(whole), to_json_plotly(heading.headless(whole)))
        return self._shown["figure"]

    @property
    def provenance(self) -> metrics.Provenance:
        """What the map's numbers measure, where, when and from which source."""
        return metrics.provenance_of(self.table)


def finest_level(store: Store, measure: str) -> str:
    """The most detailed area level at which a measure is published (e.g. LAD once Nomis BRES is fetched)."""
    levels = store.levels_for(measure)
    return next(level for level in vocabulary.finest_first() if level in levels)


def region_measure(store: Store, level: str) -> str:
    """The measure a level's maps and tables show: the first additive measure published there (BRES first)."""
    for measure in vocabulary.additive_measures():
        if level in store.levels_for(measure):
            return measure
    raise metrics.MetricError(f"no measure at level {level}")


def _with_hotspots(table: pd.DataFrame, layer) -> pd.DataFrame:
    return attach(table.merge(gi_star(layer, table), on="code", how="left"), metrics.provenance_of(table))


def colour_for(prov: metrics.Provenance, colour: str) -> str:
    """The colour mode a map may use: strength classes and hotspots only for numbers that measure the cluster."""
    return colour if prov.measures_cluster else "lq"


def national_view(store: Store, content: Content, cluster_id: str, measure: str, year: int | None,
                  colour: str, geo: GeoSource, basemap: bool = False) -> MapView:
    """The UK/GB heat map of a cluster at the finest level of the measure, the region outlined."""
    cluster = content.cluster(cluster_id)
    level = finest_level(store, measure)
    table = relabel(metrics.cluster_table(store, cluster, measure, level, year), content)
    prov = metrics.provenance_of(table)
    colour = colour_for(prov, colour)
    layer = store.layer(level)
    if colour == "hotspot":
        table = _with_hotspots(table, layer)
    itl1 = store.layer("itl1")
    region = content.region
    border = outline(store, "itl1", "national", (region.itl1,))
    source, caveat = credits(store, prov)
    bounds = geojson.bounds(layer[layer["code"].isin(table["code"])])
    title, group = map_title(prov)
    fig = draw.lq_map(table, geo(level, "national"), bounds, title, f"{group} {source}".strip(), colour, [border],
                         720, subtitle(prov, f"{region.name} outlined"), basemap,
                         marks(store, level, "national", table), mark_label(measure))
    regions = metrics.rollup(table, layer).set_index("code")
    names = itl1.set_index("code")["name"]
    mine = regions.loc[region.itl1]
    unit = vocabulary.unit(measure)
    headline = {"region_name": region.name, "subject": prov.label, "benchmark": prov.benchmark_name,
                "value_label": card_label(region.name, prov, unit),
                "lq_label": card_label(region.name, prov, lq_words(prov)),
                "value": mine["value"], "value_low": mine["value_low"], "value_high": mine["value_high"],
                "lq": mine["lq"], "lq_low": mine["lq_low"], "lq_high": mine["lq_high"],
                "uncertain": bool(mine["uncertain"])}
    if prov.measures_cluster:  # a rank and a "most concentrated" region only for numbers that measure the cluster
        subject = subject_words(prov)
        headline.update(rank=int(mine["rank"]), regions=len(regions),
                        rank_label=f"{region.name}: rank by {subject} LQ, {prov.year}",
                        top_region=content.label(regions.index[0], names.get(regions.index[0])),
                        top_label=f"Region with the highest {subject} LQ, {prov.year}")
    commitments = [content.commitment(c) for c in cluster.commitments]
    return MapView(table, fig, source, caveat, level, measure, prov.year, bounds, headline, commitments,
                   group_note(store, content, prov))


def region_view(store: Store, content: Content, cluster_id: str, level: str, year: int | None, colour: str,
                geo: GeoSource, height: int = 620, basemap: bool = False) -> MapView:
    """The cluster inside the West Midlands: LQ against the benchmark, named places outlined, optional Gi*."""
    cluster = content.cluster(cluster_id)
    measure = region_measure(store, level)
    full = relabel(metrics.cluster_table(store, cluster, measure, level, year), content)
    layer = store.layer(level, "regional")
    layer = layer[layer["region"] == content.region.region]
    prov = metrics.provenance_of(full)
    colour = colour_for(prov, colour)
    table = full[full["code"].isin(layer["code"])].reset_index(drop=True)
    if colour == "hotspot":
        table = _with_hotspots(table, layer)
    outlines = []
    for place_id in cluster.places:
        codes = content.place(place_id).areas.get(level)
        if codes:
            outlines.append(outline(store, level, "regional", tuple(codes)))
    source, caveat = credits(store, prov)
    bounds = geojson.bounds(layer)
    title, group = map_title(prov)
    fig = draw.lq_map(table, geo(level, "regional"), bounds, title, f"{group} {source}".strip(), colour,
                         outlines, height, subtitle(prov, content.region.name), basemap,
                         marks(store, level, "regional", table), mark_label(measure))
    places = [content.place(p) for p in cluster.places]
    unit = vocabulary.unit(measure)
    headline = {p.id: {"name": p.name, "subject": prov.label, "benchmark": prov.benchmark_name,
                       "value_label": card_label(p.short, prov, unit),
                       "lq_label": card_label(p.short, prov, lq_words(prov)),
                       **metrics.place_total(full, p.areas[level], metrics.year_tables(store, cluster, measure, level))}
                for p in places if level in p.areas}
    commitments = [content.commitment(c) for c in cluster.commitments]
    return MapView(table, fig, source, caveat, level, measure, prov.year, bounds, headline, commitments,
                   group_note(store, content, prov))
