"""Overview: the UK heat map of a cluster's location quotient, with the West Midlands outlined."""

import streamlit as st

from lisdash import views, webapp
from lisdash.provenance import MEASURE_NAMES, UNITS
from lisdash.state import Param

store, content = webapp.store(), webapp.content()
clusters = {c.id: c.name for c in content.clusters}
measures = [m for m in views.NATIONAL_MEASURES if store.levels_for(m)]

st.title("Is the Midlands bright red? Cluster heat map of the UK")
top = st.columns([3, 3, 2, 3])
with top[0]:
    cluster = webapp.choose("Cluster", Param("cluster", list(clusters), "advanced-manufacturing"), clusters)
with top[1]:
    measure = webapp.choose("Measure", Param("measure", measures, "employment"), MEASURE_NAMES)
level = views.finest_level(store, measure)
year, colour, basemap = webapp.map_controls(top[2], top[3], measure, level)
view = webapp.national(cluster, measure, year, colour, basemap=basemap)
head = view.headline
cards = st.columns(4)
cards[0].metric(f"{head['region_name']}: {UNITS[measure]}", f"{head['value']:,.0f}")
cards[1].metric("Location quotient", f"{head['lq']:.2f}", help="1.00 = the national share; above 1 = concentrated")
cards[2].metric("Rank among regions", f"{head['rank']} of {head['regions']}")
cards[3].metric("Most concentrated region", head["top_region"])

left, right = st.columns([7, 3])
with left:
    webapp.clickable_map(view.figure, "map", view.level, cluster,
                         "Click an area to open its profile. Scroll to zoom; drag to pan.")
with right:
    st.subheader("Serves the strategy")
    for commitment in view.commitments:
        with st.container(border=True):
            st.markdown(f"**Commitment {commitment.id[1:]}: {commitment.title}**")
            st.write(commitment.text)
    st.subheader("Most concentrated areas")
    top10 = view.table.head(10)[["name", "value", "lq", "class"]].rename(
        columns={"name": "Area", "value": UNITS[measure].capitalize(), "lq": "LQ", "class": "Class"})
    st.dataframe(top10, hide_index=True, width="stretch",
                 column_config={"LQ": st.column_config.NumberColumn(format="%.2f")})

webapp.credit(view.source, view.caveat)
webapp.downloads(view.table, view.figure, f"{cluster}-{measure}-{level}-{year}", (level, "national"))
webapp.footer()
