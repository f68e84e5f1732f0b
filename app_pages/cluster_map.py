"""Cluster map: a cluster inside the West Midlands, named places outlined, strength class and Gi* hotspots."""

import streamlit as st

from lisdash import views, webapp
from lisdash.provenance import UNITS
from lisdash.state import Param

store, content = webapp.store(), webapp.content()
clusters = {c.id: c.name for c in content.clusters}

st.title("Clusters in the West Midlands")
top = st.columns([3, 3, 2, 3])
with top[0]:
    cluster = webapp.choose("Cluster", Param("cluster", list(clusters), "aerospace"), clusters)
with top[1]:
    level = webapp.choose("Areas", Param("level", list(views.REGION_LEVELS), "itl3"), views.REGION_LEVELS)
measure = views.region_measure(store, level)
year, colour, basemap = webapp.map_controls(top[2], top[3], measure, level)
view = webapp.region(cluster, level, year, colour, basemap=basemap)
for commitment in view.commitments:
    st.info(f"Serves commitment {commitment.id[1:]}: {commitment.text}")
if view.headline:
    cards = st.columns(max(len(view.headline), 1) * 2)
    for i, place in enumerate(view.headline.values()):
        cards[2 * i].metric(f"{place['name']}: {UNITS[measure]}", f"{place['value']:,.0f}")
        cards[2 * i + 1].metric(f"{place['name']}: location quotient", f"{place['lq']:.2f}")

left, right = st.columns([3, 2])
with left:
    webapp.clickable_map(view.figure, "region-map", level, cluster,
                         "Outlined: the places the strategy names for this cluster. Click an area to open its profile.")
with right:
    st.subheader("Ranked by location quotient")
    columns = ["name", "value", "share", "lq", "class"] + (["hotspot", "gi_p"] if "hotspot" in view.table else [])
    ranked = view.table.sort_values("lq", ascending=False)[columns]
    st.dataframe(ranked, hide_index=True, width="stretch", height=560, column_config={
        "name": "Area", "value": st.column_config.NumberColumn(UNITS[measure].capitalize(), format="%,.0f"),
        "share": st.column_config.NumberColumn("Share", format="percent"),
        "lq": st.column_config.NumberColumn("LQ", format="%.2f"), "class": "Class",
        "hotspot": "Gi*", "gi_p": st.column_config.NumberColumn("p", format="%.3f")})
    st.caption(view.table.attrs.get("class_rule", ""))

webapp.credit(view.source, view.caveat)
webapp.downloads(view.table, view.figure, f"{cluster}-{level}-{year}-west-midlands", (level, "regional"))
webapp.footer()
