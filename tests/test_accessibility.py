"""WCAG 2.2 AA in a browser: axe-core finds no serious or critical violation on any page, slide or phone
screen; no table cell, card label, link or caption is cut off; screenshots of every page and slide for review."""

from __future__ import annotations

import pytest

from lisdash import evidence, views
from lisdash.content.story import load_story
from lisdash.views.slidemap import place_point
from lisdash.views.story import slide_content
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


def test_every_slide_passes_axe(server, browser, content):
    story = load_story(content)
    failures = {}
    for number, slide in enumerate(story.slides, start=1):
        page, blocked = open_settled(browser, server, f"/?mode=present&slide={number}",
                                     slide.kind in ("national_map", "region_map"), 1920, 1080)
        page.locator("h1").filter(has_text=slide.title).first.wait_for(timeout=60_000)
        found = axe_violations(page)
        if found or blocked:
            failures[slide.id] = found + blocked
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
    """The longest names ('WMCA area (West Midlands met county): LQ vs the United Kingdom' on a card, a
    stand-in group in three commitment cards) wrap instead of ending in '…' on a laptop and a phone."""
    for path in ("/cluster?cluster=business-services&level=itl3", "/commitments?commitment=c5"):
        page, _ = open_settled(browser, server, path, True, width, height)
        page.locator('[data-testid="stMetricLabel"]').first.wait_for(state="attached", timeout=60_000)
        assert clipped_text(page) == [], path
        assert page.get_by_text("WMCA area (West Midlands met county)").count() >= 1
        page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_no_slide_text_is_under_24_px(server, browser, content, width, height):
    story = load_story(content)
    small = {}
    for number, slide in enumerate(story.slides, start=1):
        page, _ = open_settled(browser, server, f"/?mode=present&slide={number}",
                               slide.kind in ("national_map", "region_map"), width, height)
        found = [t for t in smallest_text(page) if t[0] < 24]
        if found:
            small[slide.id] = found
        if width == 1920:
            page.screenshot(path=str(ARTIFACTS / f"slide-{number:02d}-{slide.id}-1920x1080.png"))
        page.context.close()
    assert small == {}


def test_map_slides_write_the_places_on_them(server, browser, store, content):
    story = load_story(content)
    number = next(i for i, s in enumerate(story.slides, start=1) if s.kind == "region_map")
    page, _ = open_settled(browser, server, f"/?mode=present&slide={number}", True, 1920, 1080)
    lon, lat = place_point(store, content.place("black-country").areas)
    x, y = project(page, lon, lat)
    label = page.locator(".js-plotly-plot .annotation-text", has_text="Black Country").first.bounding_box()
    assert abs(label["x"] + label["width"] / 2 - x) < 3 and abs(label["y"] + label["height"] / 2 - y) < 3
    names = page.locator(".js-plotly-plot .annotation-text").all_text_contents()
    assert set(names) == {"WMCA area (West Midlands met county)", "Black Country"}
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_map_slides_draw_their_areas_whole_and_clear_of_the_legend(server, browser, store, content, width, height):
    """Each map slide is fitted beside its legend: the drawn areas' west, east, north and south edges all fall
    inside the map's canvas, and the east edge left of the colour legend."""
    story = load_story(content)
    results = evidence.evaluate(store, content)
    for number, slide in enumerate(story.slides, start=1):
        if slide.kind not in ("national_map", "region_map"):
            continue
        west, south, east, north = slide_content(store, content, story, number - 1, views.store_geo(store),
                                                 results).map_bounds
        page, _ = open_settled(browser, server, f"/?mode=present&slide={number}", True, width, height)
        canvas = page.locator(MAP_CANVAS).first.bounding_box()
        legend = page.locator(".js-plotly-plot .colorbar").first.bounding_box()
        x_west, x_east = (project(page, lon, (south + north) / 2)[0] for lon in (west, east))
        y_north, y_south = (project(page, (west + east) / 2, lat)[1] for lat in (north, south))
        assert canvas["x"] <= x_west < x_east <= min(canvas["x"] + canvas["width"], legend["x"]), slide.id
        assert canvas["y"] <= y_north < y_south <= canvas["y"] + canvas["height"], slide.id
        page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_the_portfolio_slide_keeps_every_label_apart(server, browser, content, width, height):
    story = load_story(content)
    number = next(i for i, s in enumerate(story.slides, start=1) if s.kind == "portfolio")
    page, _ = open_settled(browser, server, f"/?mode=present&slide={number}", False, width, height)
    labels = annotation_boxes(page)
    assert len(labels) == len(content.clusters) + 4  # a name per bubble and per quadrant
    assert overlapping(labels) == []
    page.context.close()
