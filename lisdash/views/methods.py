"""The Data and methods page, as data: every source, measure, level and cluster (what `lisdash info` prints)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lisdash import vocabulary
from lisdash.content import Content
from lisdash.evidence import RULES
from lisdash.hotspots import ALPHA, PERMUTATIONS
from lisdash.metrics import STRENGTH
from lisdash.metrics.lq import min_counts_text
from lisdash.rounding import BRES_BANDS, Z
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


def methods_view(store: Store, content: Content) -> MethodsView:
    """Every source the store was built from, the vocabulary, and the cluster definitions."""
    sources = pd.DataFrame([{
        "id": s.id, "title": s.title, "publisher": s.publisher, "measure": s.measure or s.kind,
        "geography": s.geography or s.level or "", "years": s.years or "", "licence": s.licence,
        "caveats": s.caveats or "", "url": s.url, "sha256": s.sha256[:12]} for s in store.sources.values()])
    measures = pd.DataFrame([{"id": m.id, "measure": m.name, "unit": m.unit, "additive": m.additive,
                              "minimum count": m.min_count, "levels": ", ".join(store.levels_for(m.id))}
                             for m in vocabulary.vocabulary().measure])
    counts = store.areas["level"].value_counts()
    levels = pd.DataFrame([{"id": lv.id, "level": lv.name, "areas": int(counts.get(lv.id, 0))}
                           for lv in vocabulary.vocabulary().level])
    clusters = pd.DataFrame([{
        "cluster": c.name, "id": c.id, "SIC 2007 codes": ", ".join(c.sic),
        "commitments": ", ".join(c.commitments), "places": ", ".join(c.places), "definition": c.source,
        "coarser data": "; ".join(f"{lv}: {', '.join(a.codes)} ({a.caveat})" for lv, a in c.coarse.items()),
    } for c in content.clusters])
    excluded = "; ".join(f"{src}: SIC {', '.join(codes)}" for src, codes in
                         store.manifest.get("excluded_from_totals", {}).items())
    return MethodsView(sources, measures, levels, clusters, excluded, method_notes(excluded), RULES.text())


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
        ("Stand-in groups", "where a source has no SIC detail, a cluster is shown through a broader group, always "
         "named as that group with the cluster second, and its purity (the cluster's share of the group's Great "
         "Britain employment) is stated."),
        ("Hotspots (Getis-Ord Gi\\*)", "whether high (or low) LQs cluster together in space: each area and its "
         f"neighbours (sharing a border or corner) against the whole map, with {PERMUTATIONS} random permutations; "
         f"p < {ALPHA} is a hot or cold spot. Areas with no neighbours are left out."),
        ("Shift-share (Dunn)", "an area's change = benchmark growth + industry mix + local component; an area "
         "starting at zero has all of its change in the local component."),
    ]
