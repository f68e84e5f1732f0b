"""Commitments: the clusters that serve each LIS commitment, with small maps, and the evidence check."""

import streamlit as st

from lisdash import views, vocabulary, webapp
from lisdash.evidence import RULES
from lisdash.evidence.report import headline, rows
from lisdash.figures.draw import interval_text
from lisdash.views import display
from lisdash.views.cardmap import card_map
from lisdash.views.urlparams import Param

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
checked = [r for r in results if r.commitment == chosen and r.seed]  # only claims the commitment records
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
    view = webapp.view(views.region_view, cluster.id, "itl3", None, "lq", webapp.geo_url, 380)
    with columns[i % len(columns)]:
        with st.container(border=True):
            st.markdown(f"**{cluster.name}**")
            if view.group_note:  # the borough data measure a group that is mostly other industries
                st.caption(f"{vocabulary.measure_name(view.measure)} by {vocabulary.level_name(view.level)}: "
                           + view.group_note)
            else:
                if not view.provenance.exact:
                    st.caption(f"Map and numbers: {view.provenance.subject} "
                               f"({vocabulary.measure_name(view.measure)}), a broader group standing in for the "
                               "cluster.")
                for place in view.headline.values():
                    st.metric(place["lq_label"], interval_text(place["lq"], place["lq_low"], place["lq_high"]),
                              help=place["subject"])
                st.plotly_chart(card_map(view.figure, view.bounds), key=f"mini-{cluster.id}",
                                config={"displayModeBar": False})
                st.caption(f"Map: {view.figure.layout.title.subtitle.text}. {view.source}")
            st.page_link("pages/cluster.py", label="Open this cluster's map",
                         query_params={"cluster": cluster.id, "level": "itl3"})

webapp.share_view("commitments", commitments=[chosen])

st.header("Evidence check: what the data can test")
for result in results:
    with st.container(border=True):
        about = (f"commitment {content.commitment(result.commitment).number}, testing \"{result.seed}\""
                 if result.seed else "a context check of ours, not a claim of the strategy")
        st.markdown(f"**{display.markdown_safe(result.claim)}** ({display.markdown_safe(about)})")
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
