"""Presenter mode: the consultation story as full-screen slides, with clicker keys and speaker notes."""

import plotly.graph_objects as go
import streamlit as st

from lisdash import webapp
from lisdash.content import ContentError
from lisdash.state import Param

webapp.styles("present")

try:
    story = webapp.story()
except ContentError as exc:
    st.error(f"The story cannot be shown: {exc}")
    st.stop()

total = len(story.slides)
st.query_params["mode"] = "present"
choice = webapp.url_choices([Param("slide", [str(i) for i in range(1, total + 1)], "1"),
                             Param("view", ["audience", "notes"], "audience")])
current, view = int(choice["slide"]), choice["view"]
if st.query_params.get("contrast") == "high":
    webapp.styles("present_contrast")


def go_to(number: int) -> None:
    st.session_state[webapp.WIDGET_CHANGE] = True
    st.query_params["slide"] = str(min(max(number, 1), total))  # the URL is the slide's state


if view == "notes":
    token = st.query_params.get("token")
    if webapp.presentations().slide(token) is None:
        st.title("Speaker notes")
        st.info("Speaker notes follow one presenter's screen. Open them from Tools on the presenting screen.")
        st.stop()

    @st.fragment(run_every=webapp.NOTES_REFRESH)
    def notes() -> None:
        shown = webapp.presentations().slide(token) or 1
        slide = story.slides[shown - 1]
        st.title(f"Speaker notes · slide {shown} of {total}")
        st.subheader(slide.title)
        st.markdown(webapp.slide(shown - 1).notes or "(no notes for this slide)")
        if shown < total:
            st.caption(f"Next: {story.slides[shown].title}")

    notes()
    st.stop()

token = st.session_state.setdefault("presenter_token", webapp.presentations().open())
webapp.presentations().move(token, current)
content = webapp.slide(current - 1)
slide = content.slide
head = st.columns([7, 1.4, 1.4, 1.4, 0.8, 1.1], vertical_alignment="center")
head[0].title(slide.title)
head[1].button("First", key="first", on_click=go_to, args=(1,), shortcut="Home")
head[2].button("Back", key="back", on_click=go_to, args=(current - 1,), shortcut="Left", disabled=current == 1)
head[3].button("Next", key="next", on_click=go_to, args=(current + 1,), shortcut="Right",
               disabled=current == total, type="primary")
head[4].markdown(f"**{current} / {total}**")
st.button("next", key="next_pagedown", on_click=go_to, args=(current + 1,), shortcut="PageDown")
st.button("next", key="next_space", on_click=go_to, args=(current + 1,), shortcut="Space")
st.button("back", key="back_pageup", on_click=go_to, args=(current - 1,), shortcut="PageUp")
with head[5].popover("Tools"):
    webapp.choose("Contrast", Param("contrast", ["normal", "high"], "normal"), horizontal=True)
    st.link_button("Open speaker notes (new window)", f"?mode=present&view=notes&token={token}")
    st.download_button("Download deck (PPTX)", lambda: webapp.deck_bytes("pptx"), "lis-story.pptx",
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation", key="deck-pptx")
    st.download_button("Download handout (PDF)", lambda: webapp.deck_bytes("pdf"), "lis-story.pdf",
                       "application/pdf", key="deck-pdf")

if slide.kind in ("national_map", "region_map"):
    left, right = st.columns([3, 2], gap="large")
    with left:
        figure = go.Figure(content.figure)
        figure.update_layout(title_text="", title_subtitle_text="", annotations=[], font_size=20, height=600,
                             margin={"t": 0, "b": 0, "l": 0, "r": 0}, map_zoom=figure.layout.map.zoom + 0.35)
        figure.update_traces(colorbar={"tickfont": {"size": 20}, "title": {"font": {"size": 22}}},
                             selector={"type": "choroplethmap"})
        st.plotly_chart(figure, key=f"slide-map-{current}", config={"displayModeBar": False, "scrollZoom": False})
    with right:
        if content.verdict is not None:
            webapp.verdict_badge(content.verdict.verdict)
        for number in content.numbers:
            st.metric(number.label, number.value)
        if content.commitment:
            st.info(content.commitment)
    st.caption(content.map_label)
    st.caption(content.source)
    if content.caveat:
        st.caption(f"Caveats: {content.caveat}")
elif slide.kind == "evidence":
    from lisdash.evidence.report import headline

    for result in content.evidence:
        cols = st.columns([1.3, 5], vertical_alignment="center")
        with cols[0]:
            webapp.verdict_badge(result.verdict)
        cols[1].markdown(f"**{result.claim}**  \n{headline(result)}")
    st.caption(content.source)
elif slide.kind == "closing":
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(slide.subtitle)
    with right:
        from lisdash.deck import qr_png

        st.image(qr_png(content.qr_url), width=360)
        st.caption(content.qr_url)
else:
    st.subheader(slide.subtitle)
    st.caption(webapp.store_credit_line())

webapp.run_done()
