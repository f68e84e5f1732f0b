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
years = [str(y) for y in store.years_for(measure, level)]
with top[2]:
    year = int(webapp.choose("Year", Param("year", years[::-1], years[-1])))
with top[3]:
    colour = webapp.choose("Colour by", Param("colour", list(views.COLOUR_MODES), "lq"), views.COLOUR_MODES)

with st.expander("Map options"):
    basemap = webapp.choose("Background map", Param("basemap", list(views.BASEMAPS), "off"), views.BASEMAPS,
                            horizontal=True)
view = webapp.region(cluster, level, year, colour, basemap=basemap == "on")
for commitment in view.commitments:
    st.info(f"Serves commitment {commitment.id[1:]}: {commitment.text}")
if view.headline:
    cards = st.columns(max(len(view.headline), 1) * 2)
    for i, place in enumerate(view.headline.values()):
        cards[2 * i].metric(f"{place['name']}: {UNITS[measure]}", f"{place['value']:,.0f}")
        cards[2 * i + 1].metric(f"{place['name']}: location quotient", f"{place['lq']:.2f}")

left, right = st.columns([3, 2])
with left:
    event = st.plotly_chart(view.figure, on_select="rerun", selection_mode="points", key="region-map",
                            config=webapp.MAP_CONFIG)
    st.caption("Outlined: the places the strategy names for this cluster. Click an area to open its profile.")
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

code = webapp.selected_location(event)
if code:
    st.switch_page("app_pages/profile.py", query_params={"area": code, "level": level, "cluster": cluster})

webapp.credit(view.source, view.caveat)
webapp.downloads(view.table, view.figure, f"{cluster}-{level}-{year}-west-midlands", (level, "regional"))
webapp.footer()
