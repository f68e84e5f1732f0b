"""WCAG 2.2 AA in a browser: axe-core finds no serious or critical violation on any page, slide or phone
screen; no table cell, card label, link or caption is cut off; screenshots of every page and slide for review."""

from __future__ import annotations

import pytest

from lisdash import views
from lisdash.content.story import load_story
from lisdash.views.story import all_slides
from lisdash_dev.browser import (
    ARTIFACTS,
    MAP_CANVAS,
    annotation_boxes,
    app_server,
    axe_violations,
    clipped_text,
    offline_page,
    overlapping,
    project,
    settle,
    smallest_text,
    wait_for_map,
)

pytestmark = pytest.mark.browser

PAGES = {  # path, whether it draws a map
    "overview": ("/", True),
    "cluster": ("/cluster", True),
    "cluster-msoa-hotspots": ("/cluster?cluster=life-sciences&level=msoa11&colour=hotspot", True),
    "commitments": ("/commitments", True),
    "profile": ("/profile", False),
    "trends": ("/trends", False),
    "methods": ("/methods", False),
    "respond": ("/respond", False),
    "admin": ("/admin", False),
}


@pytest.fixture(scope="module")
def server(store):
    with app_server() as base:
        yield base


@pytest.fixture(scope="module")
def shown(store, content):
    """What every slide shows (its heading is the generated finding for a claim's slide)."""
    return all_slides(store, content, load_story(content), views.store_geo(store))


def open_slide(browser, server: str, number: int, kind: str, heading: str, width: int, height: int):
    page, blocked = open_settled(browser, server, f"/?mode=present&slide={number}",
                                 kind in ("national_map", "region_map"), width, height)
    page.locator("h1").filter(has_text=heading).first.wait_for(timeout=60_000)
    settle(page)  # the browser reports its size and the slide is laid out for it
    return page, blocked


def open_settled(browser, server: str, path: str, has_map: bool, width: int, height: int):
    blocked: list[str] = []
    page = offline_page(browser, server, blocked, width, height)
    page.goto(server + path)
    if has_map:
        wait_for_map(page)
    settle(page)
    return page, blocked


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_passes_axe_and_cuts_off_no_text(server, browser, name):
    path, has_map = PAGES[name]
    page, blocked = open_settled(browser, server, path, has_map, 1440, 900)
    page.screenshot(path=str(ARTIFACTS / f"page-{name}-1440x900.png"), full_page=True)
    assert axe_violations(page) == []
    assert clipped_text(page) == []
    if name != "admin":  # the moderation grid is the one editable table; every other table is static HTML
        assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert blocked == []
    page.context.close()


def test_every_slide_passes_axe(server, browser, shown):
    failures = {}
    for sc in shown:
        page, blocked = open_slide(browser, server, sc.number, sc.slide.kind, sc.heading, 1920, 1080)
        found = axe_violations(page)
        if found or blocked:
            failures[sc.slide.id] = found + blocked
        page.context.close()
    assert failures == {}


@pytest.mark.parametrize("name", ["respond", "commitments"])
def test_phone_screens_pass_axe(server, browser, name):
    path, has_map = PAGES[name]
    page, blocked = open_settled(browser, server, path, has_map, 390, 844)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}-390x844.png"))
    assert axe_violations(page) == []
    assert blocked == []
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_long_place_names_wrap_on_smaller_screens(server, browser, width, height):
    """The longest card labels (a place and its benchmark on the cluster page, a stand-in group in the
    commitment cards) wrap instead of ending in '…' on a laptop and a phone."""
    for path in ("/cluster?cluster=business-services&level=itl3", "/commitments?commitment=c5"):
        page, _ = open_settled(browser, server, path, True, width, height)
        page.locator('[data-testid="stMetricLabel"]').first.wait_for(state="attached", timeout=60_000)
        assert clipped_text(page) == [], path
        labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
        assert any("WMCA area" in label for label in labels), (path, labels)
        page.context.close()


@pytest.mark.parametrize("path", ["/profile?level=itl2&area=TLG3&cluster=automotive", "/trends"])
def test_chart_titles_and_sources_wrap_in_a_laptop_s_column(server, browser, path):
    """A chart's title, subtitle and source line are page text around it (plotly drew them as unwrapped lines,
    cut off in the profile's column): no text of any chart runs past its edge at 1366 px."""
    page, _ = open_settled(browser, server, path, False, 1366, 768)
    page.locator(".js-plotly-plot svg text").first.wait_for(state="attached", timeout=60_000)
    assert clipped_text(page) == []
    assert page.locator('[class*="st-key-heading-"] h3').count() >= 2
    page.context.close()


FITS_JS = """() => { const main = document.querySelector('[data-testid="stMain"]');
  const inView = (e) => { const r = e.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; };
  const qr = [...document.querySelectorAll('img')].filter(i => (i.alt || '').startsWith('QR code'));
  const captions = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')];
  return {scroll: main.scrollHeight, height: main.clientHeight, page: document.documentElement.scrollHeight,
          view: innerHeight, qr: qr.map(inView), captions: captions.map(inView),
          labels: [...document.querySelectorAll('[data-testid="stMetricLabel"]')].map(e => e.innerText)}; }"""


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_every_slide_fits_its_screen_with_readable_text(server, browser, shown, width, height):
    """A slide never scrolls: its document is no taller than the screen, its QR code and its source line
    are in view; no text is under 24 px; at most two big numbers, each with a subject of at most 12 words."""
    problems = {}
    for sc in shown:
        page, _ = open_slide(browser, server, sc.number, sc.slide.kind, sc.heading, width, height)
        fit = page.evaluate(FITS_JS)
        small = [t for t in smallest_text(page) if t[0] < 24]
        words = [label for label in fit["labels"] if len(label.replace(":", " ").replace(",", " ").split()) > 12]
        if (fit["scroll"] > fit["height"] or fit["page"] > fit["view"] or not all(fit["qr"])
                or not all(fit["captions"]) or small or words or len(fit["labels"]) > 2):
            problems[sc.slide.id] = {**fit, "small": small, "long labels": words}
        page.screenshot(path=str(ARTIFACTS / f"slide-{sc.number:02d}-{sc.slide.id}-{width}x{height}.png"))
        page.context.close()
    assert problems == {}


def test_map_slides_write_the_places_beside_them(server, browser, store, content, shown):
    """Each place's label sits beside its outline (never on it), its leader line pointing at the place."""
    for sc in shown:
        if sc.map_level is None:
            continue
        page, _ = open_slide(browser, server, sc.number, sc.slide.kind, sc.heading, 1280, 720)
        boxes = {text: (left, top, right, bottom) for text, left, top, right, bottom in annotation_boxes(page)}
        assert sorted(boxes) == sorted(name for name, *_ in sc.labels), sc.slide.id
        for name, lon, lat, (west, south, east, north) in sc.labels:
            x_west, x_east = (project(page, lo, lat)[0] for lo in (west, east))
            y_north, y_south = (project(page, lon, la)[1] for la in (north, south))
            left, top, right, bottom = boxes[name]
            beside = left >= x_east or right <= x_west or top >= y_south or bottom <= y_north
            assert beside, (sc.slide.id, name, boxes[name], (x_west, y_north, x_east, y_south))
        page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_map_slides_draw_their_areas_whole_large_and_clear_of_the_legend(server, browser, shown, width, height):
    """Each map slide is fitted beside its legend: the drawn areas' edges all fall inside the map's canvas, the
    east edge left of the colour legend; they fill at least 70% of the map's height or of its width left of the
    legend; the map takes at least half the slide's width."""
    for sc in shown:
        if sc.map_level is None:
            continue
        west, south, east, north = sc.map_bounds
        page, _ = open_slide(browser, server, sc.number, sc.slide.kind, sc.heading, width, height)
        canvas = page.locator(MAP_CANVAS).first.bounding_box()
        legend = page.locator(".js-plotly-plot .colorbar").first.bounding_box()
        x_west, x_east = (project(page, lon, (south + north) / 2)[0] for lon in (west, east))
        y_north, y_south = (project(page, (west + east) / 2, lat)[1] for lat in (north, south))
        assert canvas["x"] <= x_west < x_east <= min(canvas["x"] + canvas["width"], legend["x"]), sc.slide.id
        assert canvas["y"] <= y_north < y_south <= canvas["y"] + canvas["height"], sc.slide.id
        fill = max((y_south - y_north) / canvas["height"], (x_east - x_west) / (legend["x"] - canvas["x"]))
        assert fill >= 0.7, (sc.slide.id, fill)
        assert canvas["width"] >= width / 2, (sc.slide.id, canvas["width"])
        page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_the_portfolio_slide_keeps_every_label_apart(server, browser, content, shown, width, height):
    sc = next(s for s in shown if s.slide.kind == "portfolio")
    page, _ = open_slide(browser, server, sc.number, sc.slide.kind, sc.heading, width, height)
    labels = annotation_boxes(page)
    page.screenshot(path=str(ARTIFACTS / f"portfolio-slide-{width}x{height}.png"))
    assert len(labels) == len(content.clusters) + 4  # a name per bubble and per quadrant
    assert overlapping(labels) == []
    page.context.close()
