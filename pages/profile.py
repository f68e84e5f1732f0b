"""Area profile: an area's cluster mix against the benchmark, trend, peers and parent areas."""

import streamlit as st

from lisdash import views, vocabulary, webapp
from lisdash.views import display
from lisdash.views.urlparams import Param

webapp.declared_page()  # through app.py, even on a fresh server's first deep link

content = webapp.content()
clusters = {c.id: c.name for c in content.clusters}
defaults = content.region.defaults

st.title("Area profile")
top = st.columns([2, 4, 3])
with top[0]:
    level = webapp.choose("Level", Param("level", list(views.PROFILE_LEVELS), defaults.profile_level),
                          views.PROFILE_LEVELS)
labels = webapp.profile_areas(level)
with top[1]:
    code = webapp.choose("Area (type to search by name or code)",
                         Param("area", list(labels), defaults.profile_area.get(level, next(iter(labels)))), labels)
with top[2]:
    cluster = webapp.choose("Cluster for the trend", Param("cluster", list(clusters), defaults.profile_cluster),
                            clusters, blocked=webapp.blocked_clusters(level))

view = webapp.view(views.profile_view, code, level, cluster)
st.header(view.name)
st.caption(f"{vocabulary.level_name(level)} · " + " · ".join(f"{lv.upper()}: {text}" for lv, text in view.parents))
left, right = st.columns([3, 2])
with left:
    webapp.chart(view.mix_figure, "mix")
    if view.portfolio_figure is not None:
        webapp.chart(view.portfolio_figure, "portfolio")
    else:
        st.caption("No cluster portfolio here: it needs a source with more than one year at this level.")
    if view.trend_figure is not None:
        webapp.chart(view.trend_figure, "trend")
with right:
    st.subheader("Cluster mix")
    mix = views.with_lq_range(view.mix)
    webapp.data_table(display.display_table(mix, display.mix_columns(vocabulary.unit(view.measure))), "mix")
    st.subheader("Peers: most similar industrial mix")
    webapp.data_table(display.display_table(view.peers, display.PEER_COLUMNS), "peers")
    st.caption("Similarity: cosine similarity of the areas' shares of employment or output by industry at the "
               "finest detail the source publishes without overlaps (GVA: its leaf groups, without imputed rent).")

webapp.share_view("profile", commitments=content.cluster(cluster).commitments, cluster=cluster, area=code)
webapp.credit(view.source, view.caveat)
webapp.downloads(view.mix, view.mix_figure, f"profile-{code}")
webapp.footer()
