"""Data and methods: every source with vintage, licence, geography and caveats; definitions and methods."""

import pandas as pd
import streamlit as st

from lisdash import webapp
from lisdash.evidence import RULES
from lisdash.hotspots import ALPHA, PERMUTATIONS
from lisdash.metrics import STRENGTH
from lisdash.metrics.lq import min_counts_text
from lisdash.rounding import BRES_BANDS, Z

store, content = webapp.store(), webapp.content()

st.title("Data and methods")
st.write("Every number comes from published open data.")
st.info(webapp.store_origin_line(), icon="🗂️")
st.caption(webapp.store_credit_line())

st.header("Sources")
rows = [{"id": s.id, "title": s.title, "publisher": s.publisher, "measure": s.measure or s.kind,
         "geography": s.geography or s.level or "", "years": s.years or "", "licence": s.licence,
         "caveats": s.caveats or "", "url": s.url, "sha256": s.sha256[:12]} for s in store.sources.values()]
sources = pd.DataFrame(rows)
st.dataframe(sources, hide_index=True, width="stretch",
             column_config={"url": st.column_config.LinkColumn("Official page"),
                            "caveats": st.column_config.TextColumn("Caveats", width="large")})

st.header("Cluster definitions")
clusters = pd.DataFrame([{
    "cluster": c.name, "id": c.id, "SIC 2007 codes": ", ".join(c.sic),
    "commitments": ", ".join(c.commitments), "places": ", ".join(c.places), "definition": c.source,
    "coarser data": "; ".join(f"{lv}: {', '.join(a.codes)} ({a.caveat})" for lv, a in c.coarse.items()),
} for c in content.clusters])
st.dataframe(clusters, hide_index=True, width="stretch")

bands = ", ".join(f"to {upper:,.0f}: nearest {step:,.0f}" if upper != float("inf") else f"above: nearest {step:,.0f}"
                  for upper, step in BRES_BANDS)
excluded = "; ".join(f"{src}: SIC {', '.join(codes)}" for src, codes in store.manifest.get("excluded_from_totals",
                                                                                           {}).items())
st.header("Methods")
st.markdown(
    "- **Location quotient (LQ)**: the cluster's share of an area's jobs (or output, or businesses) divided by "
    "its share across the benchmark, LQ = (e_ic / e_i) / (E_c / E). 1 means the benchmark's share; 2 means twice "
    "it. The benchmark is the sum of all areas of the same level in the same source: Great Britain for BRES, "
    "the United Kingdom for GVA and business counts, England and Wales for Census 2011 MSOAs.\n"
    f"- **Rounding and ranges**: BRES open-access counts are rounded by size ({bands}), derived from every "
    "published cell; business counts to the nearest 5; GVA to £1 million. Each range in brackets takes every "
    f"cell's rounding into account: per side, the smaller of the worst case and {Z} standard deviations of "
    "independent rounding errors (a 95% range).\n"
    f"- **Small counts**: a count below the minimum ({min_counts_text()}) is flagged; it is marked on maps, "
    "dotted on trend charts and left out of their scale.\n"
    f"- **Consistent totals**: an industry unpublished for any area in any year is left out of every total of "
    f"its source ({excluded or 'none'}); GVA totals leave out owner-occupiers' imputed rental (68IMP).\n"
    f"- **Strength class**: {STRENGTH.text(min_counts_text())}\n"
    "- **Stand-in groups**: where a source has no SIC detail, a cluster is shown through a broader group, "
    "always named as that group with the cluster second, and its purity (the cluster's share of the group's "
    "Great Britain employment) is stated.\n"
    "- **Hotspots (Getis-Ord Gi\\*)**: whether high (or low) LQs cluster together in space: each area and its "
    f"neighbours (sharing a border or corner) against the whole map, with {PERMUTATIONS} random permutations; "
    f"p < {ALPHA} is a hot or cold spot. Areas with no neighbours are left out.\n"
    "- **Shift-share** (Dunn): an area's change = benchmark growth + industry mix + local component; an area "
    "starting at zero has all of its change in the local component.")
st.subheader("Evidence check verdicts")
for line in RULES.text():
    st.markdown(f"- {line}")
webapp.downloads(sources, None, "sources")
webapp.footer()
