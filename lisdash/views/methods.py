"""What the store holds (`store_summary`: `python -m lisdash info` prints it) and the Data and methods page built
from it: every source, measure, level and cluster."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lisdash import metrics, vocabulary
from lisdash.content import Cluster, Content
from lisdash.content.analysis import load_analysis
from lisdash.evidence import RULES
from lisdash.metrics import STRENGTH
from lisdash.metrics.hotspots import ALPHA, PERMUTATIONS
from lisdash.metrics.lq import min_counts_text
from lisdash.metrics.provenance import PROXY_MIN_SHARE
from lisdash.metrics.rounding import BRES_BANDS, Z
from lisdash.metrics.stability import STABILITY
from lisdash.sources.readers import TOTAL
from lisdash.store import Store


@dataclass
class MethodsView:
    """The tables the Data and methods page shows and downloads."""

    sources: pd.DataFrame
    measures: pd.DataFrame
    levels: pd.DataFrame
    clusters: pd.DataFrame
    excluded: str
    methods: list[tuple[str, str]]
    rules: list[str]
    consultation: list[tuple[str, str]]  # how the consultation's views are counted and summarised


def store_summary(store: Store, content: Content) -> dict:
    """What the store holds, as plain data: areas by level and extent; every source as the build recorded it,
    with the measure, levels, years, industry detail and rows of the facts it gave; the clusters; the manifest."""
    levels = {str(level): {str(ext): int(n) for ext, n in group.groupby("extent").size().items()}
              for level, group in store.areas.groupby("level")}
    given = {str(source_id): group for source_id, group in store.facts.groupby("source", observed=True)}
    sources = {}
    for source_id in dict.fromkeys([*store.sources, *given]):
        src, group = store.sources.get(source_id), given.get(source_id)
        entry = {} if src is None else {
            "title": src.title, "publisher": src.publisher, "measure": src.measure or src.kind,
            "geography": src.geography or src.level or "", "published_years": src.years or "",
            "licence": src.licence, "caveats": src.caveats or "", "url": src.url, "sha256": src.sha256}
        if group is not None:
            entry |= {"measure": str(group["measure"].iloc[0]),
                      "level": str(group["level"].iloc[0]) if group["level"].nunique() == 1 else
                      sorted(str(x) for x in group["level"].unique()),
                      "years": sorted(int(y) for y in group["year"].unique()),
                      "industry_detail": sorted(str(x) for x in group["industry_level"].unique()),
                      "rows": len(group)}
        sources[source_id] = entry
    clusters = {c.id: {"name": c.name, "sic": c.sic, "sic_codes": len(c.sic), "commitments": c.commitments,
                       "places": c.places, "parent": c.parent, "definition": c.source,
                       "coarse": {lv: {"codes": a.codes, "caveat": a.caveat} for lv, a in c.coarse.items()}}
                for c in content.clusters}
    return {"levels": levels, "sources": sources, "clusters": clusters, "manifest": store.manifest}


def methods_view(store: Store, content: Content) -> MethodsView:
    """Every source the store was built from, the vocabulary, and the cluster definitions (`store_summary`)."""
    summary = store_summary(store, content)
    sources = pd.DataFrame([{
        "id": sid, "title": s.get("title"), "publisher": s.get("publisher"), "measure": s["measure"],
        "geography": s.get("geography", ""), "years": s.get("published_years", ""), "licence": s.get("licence"),
        "caveats": s.get("caveats", ""), "url": s.get("url"), "sha256": (s.get("sha256") or "")[:12]}
        for sid, s in summary["sources"].items() if "title" in s])
    measures = pd.DataFrame([{"id": m.id, "measure": m.name, "unit": m.unit, "additive": m.additive,
                              "minimum count": m.min_count, "levels": ", ".join(store.levels_for(m.id))}
                             for m in vocabulary.vocabulary().measure])
    levels = pd.DataFrame([{"id": lv.id, "level": lv.name, "areas": sum(summary["levels"].get(lv.id, {}).values())}
                           for lv in vocabulary.vocabulary().level])
    clusters = pd.DataFrame([{
        "cluster": c["name"], "id": cid, "SIC 2007 codes": ", ".join(c["sic"]),
        "commitments": ", ".join(c["commitments"]), "places": ", ".join(c["places"]), "definition": c["definition"],
        "coarser data": "; ".join(f"{lv}: {', '.join(a['codes'])} ({a['caveat']})" for lv, a in c["coarse"].items()),
    } for cid, c in summary["clusters"].items()])
    example = (content.cluster(content.region.defaults.overview_cluster),
               content.region.defaults.trend_home.get("employment-itl2"))
    excluded = "; ".join(excluded_effect(store, src, codes, *example) for src, codes in
                         store.manifest.get("excluded_from_totals", {}).items())
    return MethodsView(sources, measures, levels, clusters, excluded, method_notes(excluded), RULES.text(),
                       load_analysis().lines())


def excluded_effect(store: Store, source: str, codes: list[str], cluster: Cluster | None = None,
                    area: str | None = None) -> str:
    """What leaving industries out of a source's totals means: their names, their size in the latest year across
    every area of the source, and their effect on one LQ (the cluster's in the area) against one on all jobs."""
    facts = store.facts
    rows = facts[(facts["source"] == source) & (facts["industry_code"].isin(codes))]
    if rows.empty:
        return f"{source}: SIC {', '.join(codes)}"
    year = int(rows["year"].max())
    left_out = float(rows.loc[rows["year"] == year, "value"].sum())
    totals = facts[(facts["source"] == source) & (facts["year"] == year) & (facts["industry_code"] == TOTAL)]
    total = float(totals.drop_duplicates("area_code")["value"].sum())
    names = store.industries.drop_duplicates("code").set_index("code")["name"]
    named = ", ".join(f"{c} ({names.get(c, c)})" for c in codes)
    text = (f"{source}: SIC {named}, {left_out:,.0f} jobs in {year}, {100 * left_out / (total + left_out):.2f}% of "
            "all jobs across its areas; totals without it are that much smaller, so every LQ from this source "
            "differs slightly from one on all jobs (as Nomis computes it), most where farming is large or small")
    try:
        table = metrics.cluster_table(store, cluster, "employment", "itl2", year, source).set_index("code")
    except (metrics.MetricError, TypeError):
        return text
    if area not in table.index:
        return text
    here = float(rows.loc[(rows["year"] == year) & (rows["area_code"] == area), "value"].sum())
    row = table.loc[area]
    bench = metrics.provenance_of(table.reset_index()).benchmark
    on_all = (row["value"] / (row["total"] + here)) / (bench.value / (bench.total + left_out))
    return (f"{text} (e.g. {cluster.name.lower()} in {area}: LQ {row['lq']:.2f} here, {on_all:.2f} on all "
            "jobs)")


def method_notes(excluded: str) -> list[tuple[str, str]]:
    """Each method in words, from the same constants the code uses (bands, thresholds, permutations)."""
    bands = ", ".join(f"to {upper:,.0f}: nearest {step:,.0f}" if upper != float("inf")
                      else f"above: nearest {step:,.0f}" for upper, step in BRES_BANDS)
    return [
        ("Location quotient (LQ)", "the cluster's share of an area's jobs (or output, or businesses) divided by its "
         "share across the benchmark, LQ = (e_ic / e_i) / (E_c / E). 1 means the benchmark's share; 2 means twice it. "
         "The benchmark is the sum of all areas of the same level in the same source: Great Britain for BRES, the "
         "United Kingdom for GVA and business counts, England and Wales for Census 2011 MSOAs."),
        ("Rounding and ranges", f"BRES open-access counts are rounded by size ({bands}), derived from every "
         "published cell; business counts to the nearest 5; GVA to £1 million. Each range in brackets takes every "
         f"cell's rounding into account: per side, the smaller of the worst case and {Z} standard deviations of "
         "independent rounding errors (a 95% range)."),
        ("Small counts", f"a count below the minimum ({min_counts_text()}) is flagged; it is marked on maps, dotted "
         "on trend charts and left out of their scale."),
        ("Consistent totals", "an industry unpublished for any area in any year is left out of every total of its "
         f"source ({excluded or 'none'}); GVA totals leave out owner-occupiers' imputed rental (68IMP)."),
        ("Strength class", STRENGTH.text(min_counts_text())),
        ("Year-to-year stability", STABILITY.text()),
        ("Stand-in groups", "where a source has no SIC detail, a cluster is shown through a broader group, always "
         "named as that group with the cluster second, and its purity (the cluster's share of the group's Great "
         f"Britain employment) is stated. Below {PROXY_MIN_SHARE:.0%}, the group does not measure the cluster: "
         "every page, slide and export then names it as the group with the cluster's share, gives no rank, "
         "strength class, hotspot, bar or 'most concentrated' card under the cluster's name, and says which data "
         "would show the cluster itself; the evidence check does not count it."),
        ("Hotspots (Getis-Ord Gi\\*)", "whether high (or low) LQs cluster together in space: each area and its "
         f"neighbours (sharing a border or corner) against the whole map, with {PERMUTATIONS} random permutations; "
         f"p < {ALPHA} is a hot or cold spot. Areas with no neighbours are left out."),
        ("Shift-share (Dunn)", "an area's change = benchmark growth + industry mix + local component; an area "
         "starting at zero has all of its change in the local component."),
    ]
