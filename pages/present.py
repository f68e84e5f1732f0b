"""Presenter mode: the consultation story as full-screen slides, with clicker keys, speaker notes and live polls."""

import streamlit as st

from lisdash import webapp
from lisdash.content import ContentError
from lisdash.views.urlparams import Param

webapp.declared_page()  # through app.py, even on a fresh server's first deep link
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
current = int(choice["slide"])
if st.query_params.get("contrast") == "high":
    webapp.styles("present_contrast")
if choice["view"] == "notes":
    webapp.speaker_notes(story, st.query_params.get("token"))
    st.stop()


def go_to(number: int) -> None:
    st.session_state[webapp.WIDGET_CHANGE] = True
    st.query_params["slide"] = str(min(max(number, 1), total))  # the URL is the slide's state


event = webapp.event_from_url()
token = webapp.presenter_token(event)
webapp.follow(token, current)
slide = webapp.slide(current - 1, webapp.public_base(), event.code if event else None)
head = st.columns([7.6, 0.9, 1.1, 0.9, 1.6], vertical_alignment="center")
head[0].title(slide.heading)
head[1].button(":material/arrow_back:", key="back", on_click=go_to, args=(current - 1,), shortcut="Left",
               disabled=current == 1, help="Back (Left arrow or Page Up)")
head[2].markdown(f"**{current} / {total}**")
head[3].button(":material/arrow_forward:", key="next", on_click=go_to, args=(current + 1,), shortcut="Right",
               disabled=current == total, type="primary", help="Next (Right arrow, Page Down or Space)")
for key, step, shortcut in (("first", 1 - current, "Home"), ("next_pagedown", 1, "PageDown"),
                            ("next_space", 1, "Space"), ("back_pageup", -1, "PageUp")):
    st.button(key, key=key, on_click=go_to, args=(current + step,), shortcut=shortcut)
with head[4].popover("Tools"):
    webapp.choose("Contrast", Param("contrast", ["normal", "high"], "normal"), horizontal=True)
    codes = webapp.choose("Have-your-say codes on slides", Param("codes", ["on", "off"], "on"), horizontal=True)
    comments = webapp.choose("Latest comments on poll slides", Param("comments", ["on", "off"], "on"),
                             horizontal=True)
    if token:
        st.link_button("Open speaker notes (new window)", f"?mode=present&view=notes&token={token}")
        webapp.file_download("Download deck with speaker notes (PPTX)", lambda: webapp.deck_bytes("pptx"),
                             "lis-story.pptx",
                             "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                             "deck-pptx")
    else:
        webapp.unlock_form(event)
    webapp.file_download("Download handout (PDF)", lambda: webapp.deck_bytes("pdf"), "lis-story.pdf",
                         "application/pdf", "deck-pdf")
    st.caption(event.label if event else "No event: views are recorded as online. Start one with "
               "`python -m lisdash event new NAME` and open ?mode=present&event=CODE.")
webapp.show_slide(slide, webapp.screen(), codes == "on", event, comments == "on")
webapp.run_done()
