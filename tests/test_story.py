"""Presenter mode: the story file, each slide in the app, malformed stories, and the exported deck."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_FILL
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from lisdash import evidence, views, webapp
from lisdash.config import CONTENT_DIR, REPO
from lisdash.content import ContentError
from lisdash.content.story import load_story
from lisdash.views import deck
from lisdash.views.story import all_slides

APP = str(REPO / "app.py")


@pytest.fixture(scope="module")
def story(content):
    return load_story(content)


def test_story_has_the_required_slides(story):
    kinds = [s.kind for s in story.slides]
    assert kinds[0] == "title" and kinds[-2:] == ["sources", "closing"] and "evidence" in kinds
    assert "portfolio" in kinds and all(len(s.numbers) <= 2 for s in story.slides)
    national = [s.cluster for s in story.slides if s.kind == "national_map"]
    assert national[0] == "advanced-manufacturing"
    assert {"automotive", "aerospace", "life-sciences", "creative"} <= set(national)
    assert all(s.notes for s in story.slides)


@pytest.fixture(scope="module")
def slides(store, content, story):
    return all_slides(store, content, story, views.store_geo(store))


def test_every_slide_renders_in_present_mode(story, slides):
    at = AppTest.from_file(APP, default_timeout=120)
    for number, (slide, shown_content) in enumerate(zip(story.slides, slides, strict=True), start=1):
        at.query_params.clear()
        at.query_params["mode"] = "present"
        at.query_params["slide"] = str(number)
        at.run()
        assert not at.exception, (slide.id, [e.value for e in at.exception])
        assert at.title[0].value == shown_content.heading  # a claim's slide is titled with its finding
        assert any(m.value == f"**{number} / {len(story.slides)}**" for m in at.markdown)
        shown = [(m.label, m.value) for m in at.metric]
        if slide.kind == "poll":  # the live tally, read from the consultation database; no computed numbers
            assert [label for label, _ in shown] == ["Views so far"] and not shown_content.numbers
            assert any(slide.question in s.value for s in at.subheader)
            assert any(c.value.startswith("Have your say: http") and "/respond?" in c.value and
                       f"poll={slide.id}" in c.value for c in at.caption)
            continue
        assert shown == [(n.label, n.value) for n in shown_content.numbers] and len(shown) <= 2
        if slide.kind in ("national_map", "region_map", "portfolio"):
            assert len(at.get("plotly_chart")) == 1
            assert sum("OGL v3.0" in c.value for c in at.caption) == 1  # one source line
        if slide.claim:
            verdict, line = shown_content.verdict.verdict, shown_content.verdict_line.split(": ", 1)[1]
            assert any(f"-badge[{str(verdict).capitalize()}]" in m.value and line[:30] in m.value.replace("\\", "")
                       for m in at.markdown), slide.id
        assert not any(slide.notes[:40] in m.value for m in at.markdown)  # notes stay off the audience view
        assert not any("Caveats" in c.value for c in at.caption)  # caveats are in the notes and the sources slide
    at.query_params.clear()
    at.query_params.update({"mode": "present", "slide": "2"})
    at.run()
    assert [m.value for m in at.metric] == ["1.70", "1 of 11"]


def test_slide_numbers_come_from_eligible_checks_or_name_their_group(slides, store, content):
    """No slide shows a stand-in group's number under a cluster's name; each number has its own source line."""
    results = {r.id: r for r in evidence.evaluate(store, content)}
    for sc in slides:
        for number in sc.numbers:
            assert number.source.startswith("Source: ONS, ") and "OGL v3.0" in number.source
            assert number.source in sc.source
            assert len(number.label.replace(":", " ").replace(",", " ").split()) <= 12, number.label
        for spec, number in zip(sc.slide.numbers, sc.numbers, strict=True):
            if spec.claim:
                check = results[spec.claim].checks[(spec.check or 1) - 1]
                assert number.label.startswith(check.where_short) and number.definition.startswith(check.where)
                assert check.subject in number.definition
                assert check.exact or "stand-in group" in number.label
    life = next(sc for sc in slides if sc.slide.id == "life-sciences")
    assert life.verdict.verdict == "not testable with open data"
    assert all("Census" not in n.definition for n in life.numbers)  # the C+M Census proxy is not the cluster's LQ
    auto = next(sc for sc in slides if sc.slide.id == "automotive")
    assert "Business Register and Employment Survey" in auto.source and "gross value added" not in auto.source


def test_speaker_notes_carry_the_computed_verdict_not_a_typed_one(slides):
    aerospace = next(sc for sc in slides if sc.slide.id == "aerospace")
    assert "partly" not in aerospace.slide.notes.lower() and "supported" not in aerospace.slide.notes.lower()
    assert "Evidence check (Aerospace is concentrated in the Black Country" in aerospace.notes
    assert "not testable with open data" in aerospace.notes
    for sc in slides:
        if sc.slide.claim is None:
            assert "Evidence check (" not in sc.notes
        assert sc.notes.startswith(sc.slide.notes)


def test_keyboard_buttons_move_between_slides(story):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"mode": "present", "slide": "3"})
    at.run()
    at.button(key="next").click().run()
    assert at.query_params["slide"] == "4" and at.title[0].value.startswith("The WMCA area has")
    at.button(key="back_pageup").click().run()
    assert at.query_params["slide"] == "3"
    at.button(key="first").click().run()
    assert at.query_params["slide"] == "1"
    assert at.button(key="back").disabled


def test_speaker_notes_view_follows_the_audience_screen(story):
    from lisdash.consult import db, events
    from tests.test_pages import presenting

    event = events.new_event(db.sessions(), "Coventry")
    audience = presenting(event.code, "6", event.presenter_code)
    link = next(b.proto.url for b in audience.get("link_button") if "view=notes" in b.proto.url)
    notes = AppTest.from_file(APP, default_timeout=120)
    notes.query_params.update(dict(part.split("=", 1) for part in link.split("?", 1)[1].split("&")))
    notes.run()
    assert any(story.slides[5].notes[:40] in m.value for m in notes.markdown)
    assert any("not testable with open data" in m.value for m in notes.markdown)  # the computed verdict
    assert "slide 6 of" in notes.title[0].value


def _broken(tmp_path, old: str, new: str):
    target = tmp_path / "lis_data"
    shutil.copytree(CONTENT_DIR, target)
    path = target / "story.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return target, path


@pytest.mark.parametrize("old, new, expected", [
    ("cluster: aerospace\n", "cluster: rockets\n", "slide 'aerospace': unknown ['rockets']"),
    ("kind: evidence", "kind: quiz", "slide 'evidence': kind"),
    ("    level: itl3\n", "", "slide 'west-midlands': Value error, a region_map slide needs level"),
    ("{claim: creative-fastest-growing, show: growth}", "{claim: creative-fastest-growing, show: size}",
     "slide 'creative'"),
    ("{claim: automotive-concentration, show: lq}", "{claim: automotive-concentrated, show: lq}",
     "slide 'automotive': unknown ['claim automotive-concentrated']"),
    ("{claim: aerospace-black-country, check: 1, show: lq}", "{claim: aerospace-black-country, check: 9, show: lq}",
     "slide 'aerospace': unknown ['check 9 of claim aerospace-black-country']"),
])
def test_malformed_story_names_the_slide(tmp_path, content, old, new, expected):
    _, path = _broken(tmp_path, old, new)
    with pytest.raises(ContentError) as err:
        load_story(content, path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


def test_malformed_story_shows_a_clear_error_in_the_app(tmp_path, monkeypatch):
    target, path = _broken(tmp_path, "cluster: aerospace\n", "cluster: rockets\n")
    monkeypatch.setenv("LISDASH_CONTENT", str(target))
    webapp.story.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"mode": "present"})
        at.run()
        assert any("slide 'aerospace'" in e.value and "rockets" in e.value for e in at.error)
    finally:
        webapp.story.clear()


def badges(shown) -> list[tuple[str, str]]:
    """A PPTX slide's filled verdict badges (text boxes and table cells): their text and fill colour."""
    filled = [s for s in shown.shapes if s.has_text_frame and s.fill.type == MSO_FILL.SOLID]
    filled += [c for s in shown.shapes if s.has_table for row in list(s.table.rows)[1:] for c in row.cells
               if c.fill.type == MSO_FILL.SOLID]
    return [(f.text_frame.text, str(f.fill.fore_color.rgb)) for f in filled]


def test_deck_maps_write_the_slide_places_and_charts_leave_the_source_to_the_slide(slides, store):
    geo = views.store_geo(store)
    for sc in slides:
        if sc.map_level is not None:
            drawn = deck.picture_figure(sc, geo)
            assert [a.text.replace("<br>", " ") for a in drawn.layout.annotations] == [
                f"<b>{name}</b>" for name, *_ in sc.labels]
            assert sc.labels and isinstance(drawn.data[0].geojson, dict), sc.slide.id  # inlined for kaleido
        elif sc.slide.kind == "portfolio":
            texts = [str(a.text) for a in deck.picture_figure(sc, geo).layout.annotations]
            assert not any("Source" in t for t in texts)
            assert "<b>Not specialised, faster</b>" in texts  # "than the same cluster there": the footnote
            assert "grew faster than the same cluster there" in sc.footnote
            assert sc.source.startswith("Source: ONS, ")  # said under the chart instead


@pytest.mark.browser  # kaleido renders with Chromium
def test_exported_pptx_and_pdf(tmp_path, story, store, content):
    pptx_path, pdf_path = tmp_path / "deck.pptx", tmp_path / "deck.pdf"
    for fmt, path in (("pptx", pptx_path), ("pdf", pdf_path)):
        subprocess.run([sys.executable, "-m", "lisdash", "export-story", "--format", fmt, "--out", str(path)],
                       cwd=REPO, check=True, capture_output=True, timeout=600)
    results = evidence.evaluate(store, content)
    verdicts = {r.id: r.verdict for r in results}
    slides = all_slides(store, content, story, views.store_geo(store))
    shown_deck = Presentation(io.BytesIO(pptx_path.read_bytes()))
    assert len(shown_deck.slides) == len(story.slides)
    for shown, slide, sc in zip(shown_deck.slides, story.slides, slides, strict=True):
        texts = " ".join(s.text_frame.text for s in shown.shapes if s.has_text_frame)
        assert sc.heading in texts  # the finding, as on screen
        assert shown.notes_slide.notes_text_frame.text.startswith(slide.notes)
        pictures = [s for s in shown.shapes if s.shape_type == 13]
        if slide.kind in ("national_map", "region_map", "portfolio", "closing"):
            assert pictures, slide.id
        if slide.kind in ("national_map", "region_map", "portfolio"):
            assert "OGL v3.0" in texts and "Caveats" not in texts  # one source line; caveats in the notes
            assert "Serves commitment" not in texts and len(sc.numbers) <= 2
        if slide.claim:
            assert sc.verdict_line.split(": ", 1)[1] in texts  # the verdict line the browser shows
            assert "Evidence check (" in shown.notes_slide.notes_text_frame.text
            verdict = verdicts[slide.claim]
            assert badges(shown) == [(str(verdict).capitalize(), deck.badge_colour(verdict))], slide.id
        if slide.kind == "evidence":
            assert badges(shown) == [(str(r.verdict).capitalize(), deck.badge_colour(r.verdict))
                                     for r in results if r.seed]
    assert len(PdfReader(pdf_path).pages) == len(story.slides)
