"""Each slide kind as a room sees it: one layout function per kind, sized to the presenting screen so that
nothing scrolls and no text is under 24 pixels (`screen`). The present page calls `show` for the slide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from lisdash.views.display import markdown_safe
from lisdash.views.slidemap import slide_map
from lisdash.views.story import SlideContent
from lisdash.webapp.cache import portfolio_figure
from lisdash.webapp.consultation import TALLY_REFRESH, EventRef, live_tally, qr_image, screen_comment, tally_figure
from lisdash.webapp.opinionslide import stands_body
from lisdash.webapp.roomslide import room_body
from lisdash.webapp.screen import STATIC, Screen
from lisdash.webapp.widgets import VERDICT_COLOURS

MIN_QR = 96  # pixels: the smallest code a phone reads from the middle of a room

@dataclass(frozen=True)
class Shown:
    """How the slides are being shown: the screen, the presenter's Tools choices and the event."""

    screen: Screen
    codes: bool
    comments: bool
    event: EventRef | None


def have_your_say(slide: SlideContent, size: int, label: bool = True, address: bool = True) -> None:
    """The slide's QR code to the response page, with its address printed so the presenter can check it (where
    the screen has room: the address is always in the speaker notes)."""
    if not slide.qr_url:
        st.warning("No network address to put in a QR code: join the venue's Wi-Fi or start a hotspot, or set "
                   "LISDASH_PUBLIC_URL.", icon=":material/wifi_off:")
        return
    st.image(qr_image(slide.qr_url), width=size, alt=f"QR code: have your say at {slide.qr_url}")
    if address:
        st.caption(f"Have your say: {slide.qr_url}" if label else slide.qr_url)


def footer(slide: SlideContent) -> None:
    """What the map and numbers measure, and the slide's one source line."""
    text = " ".join(x for x in (slide.footnote, slide.source) if x)
    if text:
        st.caption(text)


def verdict(slide: SlideContent) -> None:
    """The verdict badge and the number behind it, on one line under the slide's title (both generated)."""
    if slide.verdict is not None:
        line = slide.verdict_line.split(": ", 1)[1]
        st.markdown(f"{badge_markdown(slide.verdict.verdict)} **{markdown_safe(line)}**")


def badge_markdown(verdict: object) -> str:
    """A verdict as an inline badge (one of four fixed verdicts), which wraps with the text beside it."""
    return f":{VERDICT_COLOURS.get(str(verdict), 'gray')}-badge[{markdown_safe(str(verdict).capitalize())}]"


def map_slide(slide: SlideContent, shown: Shown) -> None:
    """A map two thirds of the slide wide, as tall as the screen leaves; its numbers and QR code beside it, or the
    code in the footer's corner on a screen too short for both."""
    screen = shown.screen
    column = screen.inner_width / 3 - screen.font
    numbers = sum(2.4 * screen.font + screen.text_height(n.label, column) + 0.5 * screen.font for n in slide.numbers)
    footer_text = f"{slide.footnote} {slide.source}"
    height = int(screen.below(slide.heading, slide.verdict_line, footer_text))
    code_below = shown.codes and height - numbers < MIN_QR
    if code_below:  # the footer text beside the code, five sixths of the width
        footer_height = max(screen.text_height(footer_text, screen.inner_width * 5 / 6), MIN_QR)
        height = int(screen.below(slide.heading, slide.verdict_line, "") - footer_height)
    left, right = st.columns([2, 1], gap="medium")
    width = int(screen.inner_width * 2 / 3 - screen.font)
    with left:
        st.plotly_chart(slide_map(slide.figure, slide.labels, slide.map_bounds, width, height),
                        key=f"slide-map-{slide.number}", theme=None, config=STATIC, width="content")
    with right:
        for number in slide.numbers:
            st.metric(number.label, number.value)
        if shown.codes and not code_below:
            spare = height - numbers
            address = screen.text_height(slide.qr_url, column) + 0.5 * screen.font
            have_your_say(slide, int(min(spare - address, 260)) if spare >= MIN_QR + address
                          else int(min(spare, 260)), label=False, address=spare >= MIN_QR + address)
    if code_below:
        text, code = st.columns([5, 1], vertical_alignment="bottom")
        with text:
            footer(slide)
        with code:
            have_your_say(slide, MIN_QR, address=False)
    else:
        footer(slide)


def chart_slide(slide: SlideContent, shown: Shown) -> None:
    """A chart as large as the screen leaves under the title, its labels placed for that size."""
    height = int(shown.screen.below(slide.heading, "", f"{slide.footnote} {slide.source}", slack=0.8))
    figure = portfolio_figure(slide.number - 1, int(shown.screen.inner_width), height)
    st.plotly_chart(figure, key=f"slide-chart-{slide.number}", theme=None, config=STATIC)
    footer(slide)


def poll_slide(slide: SlideContent, shown: Shown) -> None:
    """The question, the live tally (one count per device) and the code to answer with."""
    left, right = st.columns([3, 1.2], gap="large")
    with left:
        st.subheader(slide.question)

        @st.fragment(run_every=TALLY_REFRESH)
        def tally() -> None:
            live = live_tally(slide.slide.id, shown.event, 3 if shown.comments else 0)
            if live.paused:
                st.warning("Live count paused: reconnecting." + (" The count shown is the last one read."
                                                                 if live.value else ""), icon=":material/sync:")
            if live.value is None:
                return
            count, bars = st.columns([1, 4], vertical_alignment="center")
            count.metric("Views so far", f"{live.value.views:,}")
            count.caption(f"{live.value.summary}: each device's latest answer is counted")
            with bars:
                st.plotly_chart(tally_figure(live.value).update_layout(height=int(shown.screen.height * 0.32)),
                                key="tally", theme=None, config=STATIC)
            for comment in live.value.comments:
                st.text(screen_comment(comment))

        tally()
    with right:
        st.subheader("Answer on your phone")
        have_your_say(slide, int(min(shown.screen.height * 0.3, 320)))


def room_slide(slide: SlideContent, shown: Shown) -> None:
    """The room's agreement per poll and its top themes so far, refreshed like the tally."""
    room_body(shown.event, int(shown.screen.inner_width), int(shown.screen.height))
    footer(slide)


def opinion_slide(slide: SlideContent, shown: Shown) -> None:
    """Where the room stands on the slide's statements: its opinion groups and common ground, live, with the code
    phones vote with."""
    body, code = st.columns([7, 1], gap="medium")
    height = shown.screen.below(slide.heading, slide.verdict_line, f"{slide.footnote} {slide.source}")
    with body:
        stands_body(slide.slide.conversation, shown.event, shown.screen, height)
    with code:
        if shown.codes:
            have_your_say(slide, MIN_QR + 40, label=False, address=False)
    footer(slide)


def evidence_slide(slide: SlideContent, shown: Shown) -> None:
    """One line per claim: its verdict badge, the claim and the number behind it."""
    from lisdash.evidence.report import headline

    for result in slide.evidence:  # the claim and its first number; the full line is in the notes and the deck
        number = headline(result).split("; ")[0] if result.decisive is not None else ""
        st.markdown(f"{badge_markdown(result.verdict)} **{markdown_safe(result.claim)}** {markdown_safe(number)}")
    footer(slide)


def sources_slide(slide: SlideContent, shown: Shown) -> None:
    """Every source line of the story; the caveats are in the notes and on the Data and methods page."""
    for line in slide.sources:
        st.text(line)
    st.caption("Every slide's caveats are in the speaker notes and on the dashboard's Data and methods page.")


def closing_slide(slide: SlideContent, shown: Shown) -> None:
    """The invitation and a large code for the event."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(slide.slide.subtitle)
    with right:
        have_your_say(slide, int(min(shown.screen.height * 0.45, 360)))


def title_slide(slide: SlideContent, shown: Shown) -> None:
    """The talk's subtitle and agenda, and the code for the event."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(slide.slide.subtitle)
        st.markdown("\n".join(f"{i}. {title}" for i, title in enumerate(slide.agenda, start=2)))
    with right:
        if shown.event is not None:
            st.text(f"{shown.event.name or shown.event.code}: answer on your phone")
        if shown.codes:
            have_your_say(slide, int(min(shown.screen.height * 0.3, 300)))


LAYOUTS: dict[str, Callable[[SlideContent, Shown], None]] = {
    "national_map": map_slide, "region_map": map_slide, "portfolio": chart_slide, "poll": poll_slide,
    "evidence": evidence_slide, "sources": sources_slide, "closing": closing_slide, "title": title_slide,
    "room": room_slide, "opinion": opinion_slide}


def show(slide: SlideContent, screen: Screen, codes: bool, event: EventRef | None, comments: bool) -> None:
    """The slide's verdict line and body, laid out for its kind."""
    verdict(slide)
    LAYOUTS[slide.slide.kind](slide, Shown(screen, codes, comments, event))
