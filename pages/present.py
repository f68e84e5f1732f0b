"""Presenter mode: the consultation story as full-screen slides, with clicker keys, speaker notes and live polls."""

import streamlit as st

from lisdash import webapp
from lisdash.content import ContentError
from lisdash.state import Param
from lisdash.views.slidemap import slide_map

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
current, view = int(choice["slide"]), choice["view"]
if st.query_params.get("contrast") == "high":
    webapp.styles("present_contrast")


def go_to(number: int) -> None:
    st.session_state[webapp.WIDGET_CHANGE] = True
    st.query_params["slide"] = str(min(max(number, 1), total))  # the URL is the slide's state


if view == "notes":
    token = st.query_params.get("token")

    @st.fragment(run_every=webapp.NOTES_REFRESH)
    def notes() -> None:
        followed = webapp.notes_slide(token)
        if followed.slide is None:
            st.title("Speaker notes")
            st.info("Reconnecting to the consultation database…" if followed.paused else
                    "Speaker notes are for presenters: open them from Tools on the presenting screen, with the "
                    "event's presenter code.")
            return
        slide = story.slides[followed.slide - 1]
        st.title(f"Speaker notes · slide {followed.slide} of {total}")
        if followed.paused:
            st.warning("Paused: reconnecting to the consultation database. These are the last slide's notes.")
        st.subheader(slide.title)
        st.markdown(webapp.slide(followed.slide - 1).notes or "(no notes for this slide)")
        if followed.slide < total:
            st.caption(f"Next: {story.slides[followed.slide].title}")

    notes()
    st.stop()

event = webapp.event_from_url()
base = webapp.public_base()
token = webapp.presenter_token(event)
webapp.follow(token, current)
content = webapp.slide(current - 1, base, event.code if event else None)
slide = content.slide
head = st.columns([6, 1.9, 1.5, 1.5, 1.0, 1.3], vertical_alignment="center")
head[0].title(slide.title)
head[1].button("First", key="first", on_click=go_to, args=(1,), shortcut="Home")
head[2].button("Back", key="back", on_click=go_to, args=(current - 1,), shortcut="Left", disabled=current == 1)
head[3].button("Next", key="next", on_click=go_to, args=(current + 1,), shortcut="Right",
               disabled=current == total, type="primary")
head[4].markdown(f"**{current} / {total}**")
if content.finding:
    st.subheader(content.finding)
st.button("next", key="next_pagedown", on_click=go_to, args=(current + 1,), shortcut="PageDown")
st.button("next", key="next_space", on_click=go_to, args=(current + 1,), shortcut="Space")
st.button("back", key="back_pageup", on_click=go_to, args=(current - 1,), shortcut="PageUp")
with head[5].popover("Tools"):
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
    st.caption(event.label if event else
               "No event: views are recorded as online. Start one with `python -m lisdash event new NAME` "
               "and open ?mode=present&event=CODE.")


def have_your_say(width: int) -> None:
    """The slide's QR code to the response page, with its address printed so the presenter can check it."""
    if not content.qr_url:
        st.warning("No network address to put in a QR code: join the venue's Wi-Fi or start a hotspot, or set "
                   "LISDASH_PUBLIC_URL.", icon=":material/wifi_off:")
        return
    st.image(webapp.qr_image(content.qr_url), width=width, alt=f"QR code: have your say at {content.qr_url}")
    st.caption(f"Have your say: {content.qr_url}")


if slide.kind in ("national_map", "region_map"):
    left, right = st.columns([2, 1], gap="large")  # the map and its legend fit side by side at 1280 px
    with left:
        st.plotly_chart(slide_map(content.figure, content.labels, content.map_bounds), key=f"slide-map-{current}",
                        theme=None, config={"displayModeBar": False, "scrollZoom": False})
    with right:
        if content.verdict is not None:
            webapp.verdict_badge(content.verdict.verdict)
        for number in content.numbers:
            st.metric(number.label, number.value)
        if content.commitment:
            st.info(content.commitment)
        if codes == "on":
            have_your_say(150)
    st.caption(content.map_label)
    st.caption(content.source)
    if content.caveat:
        st.caption(f"Caveats: {content.caveat}")
elif slide.kind == "portfolio":
    st.plotly_chart(content.figure, key=f"slide-chart-{current}", config={"displayModeBar": False}, theme=None)
    st.caption(content.map_label)
    st.caption(content.source)
    if content.caveat:
        st.caption(f"Caveats: {content.caveat}")
elif slide.kind == "poll":
    left, right = st.columns([3, 1.1], gap="large")
    with left:
        st.subheader(content.question)
        st.caption(content.commitment)
        show_comments = 3 if comments == "on" else 0

        @st.fragment(run_every=webapp.TALLY_REFRESH)
        def tally() -> None:
            live = webapp.live_tally(slide.id, event, show_comments)
            if live.paused:
                st.warning("Live count paused: reconnecting." + (" The count shown is the last one read."
                                                                 if live.tally else ""), icon=":material/sync:")
            if live.tally is None:
                return
            count, bars = st.columns([1, 4], vertical_alignment="center")
            count.metric("Views so far", f"{live.tally.views:,}")
            count.caption(f"{live.tally.summary}: each device's latest answer is counted")
            with bars:
                st.plotly_chart(webapp.tally_figure(live.tally), key="tally", theme=None,
                                config={"displayModeBar": False, "staticPlot": True})
            for comment in live.tally.comments:
                st.text(webapp.screen_comment(comment))

        tally()
    with right:
        st.subheader("Answer on your phone")
        have_your_say(320)
        if event is not None:
            st.caption(event.label)
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
        have_your_say(360)
else:
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(slide.subtitle)
        st.markdown("\n".join(f"{i}. {title}" for i, title in enumerate(content.agenda, start=2)))
    with right:
        if event is not None:
            st.text(f"{event.name or event.code}: answer on your phone")
        if codes == "on":
            have_your_say(300)
    st.caption(webapp.store_credit_line())

webapp.run_done()
