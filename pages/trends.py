"""Trends and compare: cluster time series for up to 10 areas, indexed or absolute, with shift-share."""

import streamlit as st

from lisdash import views, webapp
from lisdash.views import display
from lisdash.views.urlparams import Param

webapp.declared_page()  # through app.py, even on a fresh server's first deep link

content = webapp.content()
clusters = {c.id: c.name for c in content.clusters}
defaults = content.region.defaults

st.title("Trends and compare")
top = st.columns([3, 2])
with top[0]:
    key = webapp.choose("Data", Param("data", list(views.TREND_SOURCES), "employment-itl2"), webapp.trend_labels())
with top[1]:
    scale = webapp.choose("Scale", Param("scale", ["indexed", "absolute"], "indexed"), horizontal=True)
names = webapp.trend_areas(key)
default_areas, method = webapp.comparators(key)
picks = st.columns(2)
with picks[0]:
    chosen_clusters = webapp.choose_many("Clusters", "clusters", list(clusters), defaults.trend_clusters, clusters, 5)
with picks[1]:
    codes = webapp.choose_many("Areas (up to 10)", "areas", sorted(names, key=names.get),
                               [c for c in default_areas if c in names], names, 10)
st.caption(method)
if not chosen_clusters or not codes:
    st.info("Choose at least one cluster and one area.")
    webapp.footer()
    st.stop()

data, fig, shares, share_fig, caveat = webapp.view(views.trends_view, key, tuple(chosen_clusters), tuple(codes),
                                                  scale == "indexed")
webapp.chart(fig, "trends")
webapp.chart(share_fig, "shift-share")
st.caption("Shift-share splits each area's change into benchmark growth (all industries), industry mix (the "
           "cluster's benchmark growth beyond that) and a local component (the area's own performance).")
webapp.data_table(display.display_table(shares, views.SHIFT_SHARE_COLUMNS), "shift-share")
if caveat:
    st.caption(f"Caveats: {caveat}")
webapp.downloads(data, fig, f"trends-{key}")
webapp.footer()
