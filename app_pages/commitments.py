"""Commitments: the clusters that serve each LIS commitment, with small maps, and the evidence check."""

import streamlit as st

from lisdash import webapp
from lisdash.provenance import UNITS
from lisdash.state import Param

store, content = webapp.store(), webapp.content()
commitments = {c.id: f"{c.id[1:]}. {c.title}" for c in content.commitments}

st.title("Commitments and the clusters that serve them")
chosen = webapp.choose("Commitment", Param("commitment", list(commitments), "c7"), commitments)
commitment = content.commitment(chosen)
st.subheader(f"Commitment {chosen[1:]}: {commitment.title}")
st.write(commitment.text)
for note in commitment.evidence:
    st.caption(f"The strategy says: {note}")
serving = [c for c in content.clusters if chosen in c.commitments]
if not serving:
    st.info("No cluster in lis_data/clusters.yaml is linked to this commitment: it is about skills, places "
            "or housing rather than an industry, so no industry map applies.")
columns = st.columns(max(len(serving), 1)) if len(serving) <= 3 else st.columns(3)
for i, cluster in enumerate(serving):
    view = webapp.region(cluster.id, "itl3", None, "lq", 380)
    with columns[i % len(columns)]:
        with st.container(border=True):
            st.markdown(f"**{cluster.name}**")
            for place in view.headline.values():
                st.metric(f"{place['name']}: location quotient ({UNITS[view.measure]}, {view.year})",
                          f"{place['lq']:.2f}")
            st.plotly_chart(view.figure, key=f"mini-{cluster.id}", config={"displayModeBar": False})
            st.page_link("app_pages/cluster_map.py", label=f"Open the {cluster.name.lower()} cluster map",
                         query_params={"cluster": cluster.id, "level": "itl3"})

st.header("Evidence check: what the data can test")
table = webapp.evidence()
for _, rows in table.groupby("claim_id", sort=False):
    first = rows.iloc[0]
    with st.container(border=True):
        st.markdown(f"**{first['claim']}** (commitment {first['commitment'][1:]})")
        st.markdown(f"Verdict: **{first['claim_verdict']}**")
        shown = rows[["where", "measure", "level", "year", "value", "lq", "rank", "of", "verdict", "why"]]
        st.dataframe(shown, hide_index=True, width="stretch", column_config={
            "where": "Where", "measure": "Measure", "level": "Level", "year": st.column_config.NumberColumn(
                "Year", format="%d"), "value": st.column_config.NumberColumn("Value", format="%,.0f"),
            "lq": st.column_config.NumberColumn("LQ", format="%.2f"), "rank": "Rank", "of": "Of",
            "verdict": "Verdict", "why": st.column_config.TextColumn("Why", width="large")})
st.caption(table.attrs["rules"])
webapp.downloads(table, None, "evidence-check")
webapp.footer()
