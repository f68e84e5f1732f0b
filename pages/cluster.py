"""Cluster map: a cluster inside the West Midlands, named places outlined, strength class and Gi* hotspots."""

import streamlit as st

from lisdash import views, webapp
from lisdash.figures.draw import interval_text
from lisdash.views.tables import area_table
from lisdash.views.urlparams import Param

webapp.declared_page()  # through app.py, even on a fresh server's first deep link

content = webapp.content()
clusters = {c.id: c.name for c in content.clusters}

st.title("Clusters in the West Midlands")
top = st.columns([3, 3, 2, 3])
with top[0]:
    cluster = webapp.choose("Cluster", Param("cluster", list(clusters), content.region.defaults.cluster_map_cluster),
                            clusters)
with top[1]:
    level = webapp.choose("Areas", Param("level", list(views.REGION_LEVELS), next(iter(views.REGION_LEVELS))),
                          views.REGION_LEVELS, blocked=webapp.blocked_levels(cluster))
measure, years = webapp.region_measure(level)
year, colour, basemap = webapp.map_controls(top[2], top[3], years, webapp.blocked_colours(cluster, measure, level))
view = webapp.view(views.region_view, cluster, level, year, colour, webapp.geo_url, basemap=basemap)
left, right = st.columns([3, 2])
with left:
    webapp.clickable_map(view, "region-map", cluster,
                         "Outlined: the places the strategy names for this cluster. Dots: uncertain areas. "
                         "Click an area to open its profile.")
with right:
    webapp.stand_in_warning(view.table, clusters[cluster], view.group_note)
    for place in view.headline.values():
        cards = st.columns(2)
        cards[0].metric(place["value_label"], f"{place['value']:,.0f}", help=place["subject"])
        cards[1].metric(place["lq_label"], interval_text(place["lq"], place["lq_low"], place["lq_high"]),
                        help=place["subject"])
    for commitment in view.commitments:
        st.info(f"Serves commitment {commitment.number}: {commitment.text}")
    st.subheader("Ranked by location quotient")
    columns = ("name", "value", "share", "lq") + (() if view.group_note else ("class",)) + (
        ("hotspot", "gi_p") if "hotspot" in view.table else ())
    webapp.data_table(view.shown_table(columns, by_lq=True), "ranked", height=560)
    st.caption(view.provenance.class_rule)

webapp.share_view("cluster", commitments=[c.id for c in view.commitments], cluster=cluster, year=year)
webapp.credit(view.source, view.caveat)
webapp.downloads(webapp.view(area_table, cluster, level, measure, year, True), view.figure,
                 f"{cluster}-{level}-{year}-west-midlands", (level, "regional"))
webapp.footer()
