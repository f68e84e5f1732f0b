"""Handouts and backup: the story as a PowerPoint deck (with speaker notes) or a PDF, one slide per slide."""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Callable

import kaleido
import plotly.graph_objects as go
import plotly.io as pio
import qrcode
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt
from pypdf import PdfReader, PdfWriter

from lisdash.evidence.report import headline
from lisdash.figures.images import inline_geojson
from lisdash.views.slidemap import slide_map
from lisdash.views.story import SlideContent

WIDTH, HEIGHT = 1920, 1080
MAP_PX = (1100, 820)
RED = RGBColor(0xA5, 0x0F, 0x15)
GREY = RGBColor(0x55, 0x55, 0x55)
BADGE_COLOURS = {"supported": "1B7837", "partly supported": "B35806", "not supported": "B2182B"}


def qr_png(url: str, box: int = 12) -> bytes:
    """A QR code of a URL as PNG bytes (made locally, no network)."""
    image = qrcode.make(url, box_size=box, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def picture_figure(sc: SlideContent, geo: Callable[[str, str], dict]) -> go.Figure:
    """The slide's map as the presenter shows it (its places labelled; GeoJSON inlined: kaleido cannot fetch
    URLs), or its chart (drawn without title or source for the slide)."""
    if sc.map_level is None:
        return sc.figure
    return inline_geojson(slide_map(sc.figure, sc.labels, sc.map_bounds, *MAP_PX), geo(*sc.map_level))


def map_png(sc: SlideContent, geo: Callable[[str, str], dict]) -> bytes:
    """The slide's picture as PNG."""
    fig = picture_figure(sc, geo)
    return pio.to_image(fig, format="png", width=MAP_PX[0], height=fig.layout.height)


def images(contents: list[SlideContent], geo: Callable[[str, str], dict]) -> dict[int, bytes]:
    """Map and QR images per slide number, rendered once for both formats."""
    out = {}
    for sc in contents:
        if sc.figure is not None:
            out[sc.number] = map_png(sc, geo)
        elif sc.qr_url and sc.slide.rules.handout_code:
            out[sc.number] = qr_png(sc.qr_url)
    return out


def _credit(sc: SlideContent) -> str:
    """What the map and numbers measure, and the slide's source line (caveats are in the notes, as on screen)."""
    return " ".join(x for x in (sc.footnote, sc.source) if x)


def _verdict(sc: SlideContent) -> str:
    """The number behind the slide's computed verdict, or ''."""
    if sc.verdict is None:
        return ""
    return headline(sc.verdict)


def badge_colour(verdict: object) -> str:
    """A verdict's badge colour (hex, white text on it reads at AA contrast)."""
    return BADGE_COLOURS.get(str(verdict), "616161")


def _badge(owner, verdict: object) -> None:
    """Make a text box or a table cell a verdict badge, as the presenter's slide shows it: the verdict in
    bold white on its colour."""
    owner.fill.solid()
    owner.fill.fore_color.rgb = RGBColor.from_string(badge_colour(verdict))
    owner.text_frame.text = str(verdict).capitalize()
    run = owner.text_frame.paragraphs[0].runs[0]
    run.font.bold, run.font.color.rgb = True, RGBColor(0xFF, 0xFF, 0xFF)


def _text(slide, left: float, top: float, width: float, height: float, text: str, size: int,
          bold: bool = False, colour: RGBColor | None = None) -> None:
    frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
    frame.word_wrap = True
    frame.text = text
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold = Pt(size), bold
            if colour is not None:
                run.font.color.rgb = colour


def to_pptx(contents: list[SlideContent], pictures: dict[int, bytes]) -> bytes:
    """A 16:9 deck: title, map picture, big numbers, commitment, source line; notes in the notes pane."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)
    blank = deck.slide_layouts[6]
    for sc in contents:
        slide = deck.slides.add_slide(blank)
        s = sc.slide
        if s.rules.cover:
            _text(slide, 0.8, 1.4 if s.kind == "title" else 0.6, 11.7, 1.6, sc.heading, 44, bold=True)
            width = 7.5 if sc.number in pictures else 11.7
            _text(slide, 0.8, 3.2 if s.kind == "title" else 2.0, width, 2.0, s.subtitle, 24)
        else:
            _text(slide, 0.5, 0.3, 12.3, 0.9, sc.heading, 28, bold=True)
        if s.rules.live:  # the handout says where to see it
            _text(slide, 0.8, 1.6, 7.5 if sc.number in pictures else 11.7, 1.6, s.subtitle, 24)
        if sc.question:
            _text(slide, 0.8, 1.6, 7.5, 2.4, sc.question, 30, bold=True)
            _text(slide, 0.8, 4.2, 7.5, 1.6, sc.commitment, 16, colour=GREY)
        if sc.number in pictures and sc.figure is not None:
            slide.shapes.add_picture(io.BytesIO(pictures[sc.number]), Inches(0.4), Inches(1.2), height=Inches(5.4))
            top = 1.3
            if sc.verdict is not None:
                badge = slide.shapes.add_textbox(Inches(7.9), Inches(top), Inches(2.9), Inches(0.55))
                _badge(badge, sc.verdict.verdict)
                badge.text_frame.paragraphs[0].runs[0].font.size = Pt(20)
                _text(slide, 7.9, top + 0.6, 5.0, 0.8, _verdict(sc), 14, bold=True)
                top += 1.5
            for number in sc.numbers:
                _text(slide, 7.9, top, 5.0, 0.7, number.value, 36, bold=True, colour=RED)
                _text(slide, 7.9, top + 0.65, 5.0, 0.6, number.label, 11, colour=GREY)
                top += 1.35
        elif sc.number in pictures:
            slide.shapes.add_picture(io.BytesIO(pictures[sc.number]), Inches(8.9), Inches(2.0), height=Inches(3.6))
            _text(slide, 8.6, 5.7, 4.4, 0.5, sc.qr_url, 12, colour=GREY)
        if sc.sources:
            _text(slide, 0.5, 1.3, 12.3, 5.0, "\n".join(sc.sources), 16)
        if sc.evidence:
            table = slide.shapes.add_table(len(sc.evidence) + 1, 2, Inches(0.5), Inches(1.3), Inches(12.3),
                                           Inches(4.8)).table
            table.columns[0].width, table.columns[1].width = Inches(8.8), Inches(3.5)
            for col, head in enumerate(["Claim of the strategy", "Verdict"]):
                table.cell(0, col).text = head
            for row, item in enumerate(sc.evidence, start=1):
                table.cell(row, 0).text = f"{item.claim}\n{headline(item)}"
                _badge(table.cell(row, 1), item.verdict)
        source = _credit(sc)
        if source:
            _text(slide, 0.5, 6.7, 12.3, 0.7, textwrap.shorten(source, 600), 9, colour=GREY)
        _text(slide, 12.2, 7.05, 1.0, 0.3, f"{sc.number} / {sc.total}", 10, colour=GREY)
        slide.notes_slide.notes_text_frame.text = sc.notes
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _page_figure(sc: SlideContent, picture: bytes | None) -> go.Figure:
    """One PDF page as a plotly figure: text as annotations, the map or QR as an image."""
    fig = go.Figure()
    notes = []

    def add(text: str, x: float, y: float, size: int, colour: str = "#111111", width: int = 60) -> None:
        notes.append({"text": "<br>".join(textwrap.wrap(text, width)), "x": x, "y": y, "xref": "paper",
                      "yref": "paper", "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
                      "font": {"size": size, "color": colour}})

    s = sc.slide
    add(sc.heading, 0.03, 0.97 if s.kind not in ("title",) else 0.7, 52 if s.kind == "title" else 36, width=70)
    if s.subtitle:
        add(s.subtitle, 0.03, 0.55 if s.kind == "title" else 0.78, 28, "#333333", 70 if picture is None else 48)
    if picture is not None:
        uri = "data:image/png;base64," + base64.b64encode(picture).decode()
        if sc.figure is not None:
            fig.add_layout_image(source=uri, x=0.0, y=0.88, sizex=0.58, sizey=0.76, xref="paper", yref="paper",
                                 xanchor="left", yanchor="top")
        else:
            fig.add_layout_image(source=uri, x=0.66, y=0.8, sizex=0.3, sizey=0.5, xref="paper", yref="paper",
                                 xanchor="left", yanchor="top")
            add(sc.qr_url, 0.66, 0.28, 18, "#555555", 60)
    y = 0.86
    if sc.verdict is not None:
        add(f"<b> {str(sc.verdict.verdict).capitalize()} </b>", 0.62, y, 30, "#ffffff")
        notes[-1].update(bgcolor="#" + badge_colour(sc.verdict.verdict), borderpad=8)
        add(_verdict(sc), 0.62, y - 0.07, 22, "#111111", 60)
        y -= 0.17
    for number in sc.numbers:
        add(number.value, 0.62, y, 54, "#a50f15")
        add(number.label, 0.62, y - 0.07, 16, "#555555", 80)
        y -= 0.18
    if sc.question:
        add(sc.question, 0.03, 0.8, 40, "#111111", 45)
        add(sc.commitment, 0.03, 0.45, 24, "#333333", 70)
    if sc.sources:
        add("<br>".join(sc.sources), 0.03, 0.85, 22, "#111111", 140)
    if sc.evidence:
        fig.add_trace(go.Table(
            domain={"x": [0.03, 0.97], "y": [0.12, 0.84]}, columnwidth=[3, 1],
            header={"values": ["Claim of the strategy", "Verdict"], "font": {"size": 26}, "height": 50},
            cells={"values": [[f"{e.claim}<br>{headline(e)}" for e in sc.evidence],
                              [f"<b>{str(e.verdict).capitalize()}</b>" for e in sc.evidence]],
                   "font": {"size": 24, "color": ["#111111", "#ffffff"]}, "height": 70, "align": "left",
                   "fill": {"color": ["#ffffff", ["#" + badge_colour(e.verdict) for e in sc.evidence]]}}))
    source = _credit(sc)
    if source:
        add(textwrap.shorten(source, 700), 0.03, 0.08, 14, "#555555", 230)
    add(f"{sc.number} / {sc.total}", 0.95, 0.03, 16, "#555555")
    fig.update_layout(annotations=notes, width=WIDTH, height=HEIGHT, template="none", paper_bgcolor="#ffffff",
                      margin={"l": 0, "r": 0, "t": 0, "b": 0}, font={"family": "Arial, Helvetica, sans-serif"},
                      xaxis={"visible": False}, yaxis={"visible": False})
    return fig


def to_pdf(contents: list[SlideContent], pictures: dict[int, bytes]) -> bytes:
    """A landscape PDF handout, one page per slide."""
    writer = PdfWriter()
    for sc in contents:
        page = pio.to_image(_page_figure(sc, pictures.get(sc.number)), format="pdf", width=WIDTH, height=HEIGHT)
        for p in PdfReader(io.BytesIO(page)).pages:
            writer.add_page(p)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def export(contents: list[SlideContent], geo: Callable[[str, str], dict], fmt: str) -> bytes:
    """The deck in `fmt` (pptx or pdf); one Chromium serves every image (about half the time)."""
    kaleido.start_sync_server(silence_warnings=True)
    try:
        pictures = images(contents, geo)
        return to_pptx(contents, pictures) if fmt == "pptx" else to_pdf(contents, pictures)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
