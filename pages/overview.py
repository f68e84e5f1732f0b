"""Overview: the UK heat map of a cluster's location quotient, with the West Midlands region outlined."""

import streamlit as st

from lisdash import views, vocabulary, webapp
from lisdash.figures.draw import interval_text
from lisdash.views.tables import area_table
from lisdash.views.urlparams import Param

webapp.declared_page()  # through app.py, even on a fresh server's first deep link

content = webapp.content()
clusters = {c.id: c.name for c in content.clusters}
defaults = content.region.defaults

st.title("Is the Midlands bright red? Cluster heat map of the UK")
top = st.columns([3, 3, 2, 3])
with top[0]:
    cluster = webapp.choose("Cluster", Param("cluster", list(clusters), defaults.overview_cluster), clusters)
with top[1]:
    measures = webapp.national_measures()
    measure = webapp.choose("Measure", Param("measure", measures, measures[0]),
                            {m: vocabulary.measure_name(m) for m in measures}, blocked=webapp.blocked_measures(cluster))
level, years = webapp.levels_and_years(measure)
year, colour, basemap = webapp.map_controls(top[2], top[3], years, webapp.blocked_colours(cluster, measure, level))
view = webapp.view(views.national_view, cluster, measure, year, colour, webapp.geo_url, basemap=basemap)
head = view.headline

left, right = st.columns([7, 3])
with left:
    webapp.clickable_map(view, "map", cluster,
                         "Click an area to open its profile. Scroll to zoom; drag to pan. Dots mark uncertain areas.")
with right:
    webapp.stand_in_warning(view.table, clusters[cluster], view.group_note)
    st.metric(head["value_label"], f"{head['value']:,.0f}",
              help=f"{head['subject']}. 95% range from rounding: {head['value_low']:,.0f} to "
                   f"{head['value_high']:,.0f}")
    st.metric(head["lq_label"], interval_text(head["lq"], head["lq_low"], head["lq_high"]),
              help=f"{head['subject']}. 1.00 = the {head['benchmark']} share; above 1 = concentrated. In brackets: "
                   "the 95% range from rounding.")
    if "rank" in head:  # only where the numbers measure the cluster
        st.metric(head["rank_label"], f"{head['rank']} of {head['regions']}",
                  help=f"Among the regions of {head['benchmark']}, by location quotient.")
        st.metric(head["top_label"], head["top_region"])
    st.subheader("Serves the strategy")
    for commitment in view.commitments:
        with st.container(border=True):
            st.markdown(f"**Commitment {commitment.number}: {commitment.title}**")
            st.write(commitment.text)
    st.subheader("Most concentrated areas")
    webapp.data_table(view.shown_table(("name", "value", "lq") + (("class",) if "rank" in head else ()), rows=10),
                      "ranked")

webapp.credit(view.source, view.caveat)
webapp.downloads(webapp.view(area_table, cluster, level, measure, year), view.figure,
                 f"{cluster}-{measure}-{level}-{year}", (level, "national"))
webapp.footer()
