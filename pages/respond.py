"""Have your say: the phone-first response page a slide's QR code opens (for its poll, commitment or cluster)."""

import streamlit as st

from lisdash import webapp
from lisdash.views.urlparams import Param

webapp.declared_page()  # through app.py, even on a fresh server's first deep link

webapp.styles("respond", "form")
content, story = webapp.content(), webapp.story()
polls = story.polls()
choice = webapp.url_choices([
    Param("poll", list(polls), ""), Param("commitment", [c.id for c in content.commitments], ""),
    Param("cluster", [c.id for c in content.clusters], ""),
    Param("slide", [str(i) for i in range(1, len(story.slides) + 1)], ""),
    Param("statements", [c.id for c in webapp.statements().conversations], ""),
])
event = webapp.event_from_url()
if choice["statements"]:
    conversation = webapp.statements().conversation(choice["statements"])
    st.subheader(conversation.title)
    if event is not None:
        st.caption(event.label)
    st.caption("Agree, disagree or pass: one statement at a time.")
    webapp.statement_card(conversation.id, event)
    webapp.footer(share=False)
    st.stop()
poll = polls.get(choice["poll"])
shown_cluster, shown_commitment = (webapp.slide_topic(int(choice["slide"])) if choice["slide"] and not poll
                                   else (None, None))  # a slide's code names the slide; the page takes its topic
cluster_id = choice["cluster"] or shown_cluster
cluster = content.cluster(cluster_id) if cluster_id else None
commitment_id = poll.commitment if poll else (choice["commitment"] or shown_commitment
                                              or (cluster.commitments[0] if cluster else None))
if poll and poll.cluster:
    cluster = content.cluster(poll.cluster)

st.subheader("Have your say")
if event is not None:
    st.caption(event.label)
if commitment_id:
    commitment = content.commitment(commitment_id)
    st.markdown(f"**Commitment {commitment.number}: {commitment.title}**")
    st.caption(commitment.text)
question = poll.question if poll else "How far do you agree with this commitment?"
if cluster and not poll:
    question = f"How far do you agree with this commitment, for the {cluster.name.lower()} cluster?"
webapp.view_form("respond", question=question, event=event.code if event else None,
                 poll=poll.id if poll else None, commitments=[commitment_id] if commitment_id else None,
                 cluster=cluster.id if cluster else None,
                 context={"page": "respond", "cluster": cluster.id if cluster else None,
                          "slide": int(choice["slide"]) if choice["slide"] else None})
st.page_link("pages/commitments.py", label="See the evidence behind the commitments")
webapp.footer(share=False)  # a phone page: the QR code is its link
