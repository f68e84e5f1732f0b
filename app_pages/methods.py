"""Data and methods: every source with vintage, licence, geography and caveats; definitions and methods."""

import pandas as pd
import streamlit as st

from lisdash import webapp
from lisdash.evidence import RULES
from lisdash.metrics import CLASS_RULE
from lisdash.provenance import OGL, OS_CREDIT

store, content = webapp.store(), webapp.content()

st.title("Data and methods")
st.write(f"Every number comes from published open data: Office for National Statistics, {OGL}. Maps: "
         f"{OS_CREDIT}. Store built {store.manifest['built_at']} from the checksummed files below.")

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

st.header("Methods")
st.markdown(
    "- **Location quotient (LQ)**: the cluster's share of an area's jobs (or output, or businesses) divided by "
    "its share nationally, LQ = (e_ic / e_i) / (E_c / E). 1 means the national share; 2 means twice it. The "
    "national total is the sum of all areas of the same level in the same source (Great Britain for BRES, "
    "the UK for GVA and business counts, England and Wales for Census 2011 MSOAs).\n"
    f"- **Strength class**: {CLASS_RULE}\n"
    "- **Hotspots (Getis-Ord Gi\\*)**: whether high (or low) LQs cluster together in space: each area and "
    "its neighbours (sharing a border or corner) against the whole map, with 999 random permutations; "
    "p < 0.05 is a hot or cold spot. Areas with no neighbours are left out.\n"
    "- **Shift-share**: an area's change = national growth + industry mix + local component.\n"
    f"- **Evidence check verdicts**: {RULES}\n"
    "- **Rounding and disclosure**: BRES and business counts are rounded for disclosure control, so sums "
    "of cells differ slightly from published totals and small cells swing year to year; zeros are not "
    "necessarily true zeros.")
webapp.downloads(sources, None, "sources")
webapp.footer()
