"""Data and methods: every source with vintage, licence, geography and caveats; definitions and methods."""

import streamlit as st

from lisdash import webapp

webapp.declared_page()  # through app.py, even on a fresh server's first deep link

view = webapp.methods()

st.title("Data and methods")
st.write("Every number comes from published open data.")
st.info(webapp.store_origin_line(), icon="🗂️")
st.caption(webapp.store_credit_line())

st.header("Sources")
st.dataframe(view.sources, hide_index=True, width="stretch",
             column_config={"url": st.column_config.LinkColumn("Official page"),
                            "caveats": st.column_config.TextColumn("Caveats", width="large")})

st.header("Measures and areas")
cols = st.columns(2)
cols[0].dataframe(view.measures, hide_index=True, width="stretch")
cols[1].dataframe(view.levels, hide_index=True, width="stretch")

st.header("Cluster definitions")
st.dataframe(view.clusters, hide_index=True, width="stretch")

st.header("Methods")
for name, text in view.methods:
    st.markdown(f"- **{name}**: {text}")
st.subheader("Evidence check verdicts")
for line in view.rules:
    st.markdown(f"- {line}")
webapp.downloads(view.sources, None, "sources")
webapp.footer()
