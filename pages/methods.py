"""Data and methods: every source with vintage, licence, geography and caveats; definitions and methods."""

import streamlit as st

from lisdash import views, webapp
from lisdash.views import display

webapp.declared_page()  # through app.py, even on a fresh server's first deep link

view = webapp.view(views.methods_view)

st.title("Data and methods")
st.write("Every number comes from published open data.")
st.info(webapp.store_origin_line(), icon=":material/folder_open:")
st.caption(webapp.store_credit_line())

st.header("Sources")
webapp.data_table(display.display_table(view.sources, display.SOURCE_COLUMNS), "sources")
with st.expander("Caveats and file checksums of each source"):
    for _, source in view.sources.iterrows():
        st.text(f"{source['title']} ({source['id']}, sha256 begins {source['sha256']}): {source['caveats'] or 'none'}")

st.header("Measures and areas")
cols = st.columns(2)
with cols[0]:
    webapp.data_table(display.display_table(view.measures, display.plain_columns(view.measures)), "measures")
with cols[1]:
    webapp.data_table(display.display_table(view.levels, display.plain_columns(view.levels)), "levels")

st.header("Cluster definitions")
webapp.data_table(display.display_table(view.clusters, display.plain_columns(view.clusters)), "clusters")

st.header("Methods")
for name, text in view.methods:
    st.markdown(f"- **{name}**: {text}")
st.subheader("Evidence check verdicts")
for line in view.rules:
    st.markdown(f"- {line}")
st.subheader("What we heard: how views are counted and summarised")
for name, text in view.consultation:
    st.markdown(f"- **{name}**: {text}")
webapp.downloads(view.sources, None, "sources")
webapp.footer()
