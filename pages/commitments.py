"""Commitments: the clusters that serve each LIS commitment, with small maps, and the evidence check."""

import streamlit as st

from lisdash import vocabulary, webapp
from lisdash.evidence import RULES
from lisdash.evidence.report import headline, rows
from lisdash.figures import interval_text
from lisdash.state import Param
from lisdash.views.cardmap import card_map

webapp.declared_page()  # through app.py, even on a fresh server's first deep link

content = webapp.content()
commitments = {c.id: f"{c.number}. {c.title}" for c in content.commitments}

st.title("Commitments and the clusters that serve them")
chosen = webapp.choose("Commitment", Param("commitment", list(commitments), content.region.defaults.commitment),
                       commitments)
commitment = content.commitment(chosen)
st.subheader(f"Commitment {commitment.number}: {commitment.title}")
st.write(commitment.text)
results = webapp.evidence()
checked = [r for r in results if r.commitment == chosen]
for note in commitment.evidence:
    if note not in {r.claim for r in checked}:  # a claim that is checked is shown with its verdict below
        st.caption(f"The strategy says: {note}")
for result in checked:
    with st.container(horizontal=True, vertical_alignment="center"):
        webapp.verdict_badge(result.verdict)
        st.text(f"{result.claim.rstrip('.')}: {headline(result)}")
serving = content.clusters_serving(chosen)
if serving:
    st.text(f"Served by {len(serving)} cluster{'s' if len(serving) > 1 else ''}: "
            + ", ".join(c.name for c in serving) + ". The checks behind each verdict are below the maps.")
else:
    st.info("No cluster in lis_data/clusters.yaml is linked to this commitment: it is about skills, places "
            "or housing rather than an industry, so no industry map applies.")
columns = st.columns(max(len(serving), 1)) if len(serving) <= 3 else st.columns(3)
for i, cluster in enumerate(serving):
    view = webapp.region(cluster.id, "itl3", None, "lq", 380)
    with columns[i % len(columns)]:
        with st.container(border=True):
            st.markdown(f"**{cluster.name}**")
            if not view.provenance.exact:
                st.caption(f"Map and numbers: {view.provenance.subject} ({vocabulary.measure_name(view.measure)}), "
                           "a broader group standing in for the cluster.")
            for place in view.headline.values():
                st.text(f"{place['name']}: location quotient against {place['benchmark']} "
                        f"({vocabulary.unit(view.measure)}, {view.year})")
                st.metric("LQ", interval_text(place["lq"], place["lq_low"], place["lq_high"]),
                          label_visibility="collapsed")
            st.plotly_chart(card_map(view.figure, view.bounds), key=f"mini-{cluster.id}",
                            config={"displayModeBar": False})
            st.caption(f"Map: {view.figure.layout.title.subtitle.text}. {view.source}")
            st.page_link("pages/cluster.py", label="Open this cluster's map",
                         query_params={"cluster": cluster.id, "level": "itl3"})

webapp.share_view("commitments", commitments=[chosen])

st.header("Evidence check: what the data can test")
for result in results:
    with st.container(border=True):
        st.markdown(f"**{result.claim}** (commitment {content.commitment(result.commitment).number})")
        webapp.verdict_badge(result.verdict)
        st.caption(headline(result))
        st.write(result.reason)
        with st.expander(f"The {len(result.checks)} checks behind this verdict"):
            for check in result.checks:
                status = ("decides the verdict" if check.index == result.decisive
                          else "counts" if check.eligible else "does not count")
                numbers = (f"LQ {interval_text(check.lq, check.lq_low, check.lq_high)}" if check.lq is not None
                           else f"growth {check.growth_pct:+.1f}%" if check.growth_pct is not None else "no data")
                st.markdown(f"**Check {check.index + 1}** ({status}): {vocabulary.measure_name(check.measure)}, "
                            f"{vocabulary.level_name(check.level)}, {check.year}. {check.where}: {numbers}.")
                st.caption(check.eligibility + "." if check.eligibility else check.reason)
st.caption("Verdict rules: " + " ".join(RULES.text()))
webapp.downloads(rows(results), None, "evidence-check")
webapp.footer()
