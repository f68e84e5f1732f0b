"""What only a browser shows: the map paints offline, clusters switch, clicks open profiles, downloads arrive."""

from __future__ import annotations

import csv
import io
import time

import pytest

from lisdash import metrics
from lisdash.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    TITLE_JS,
    app_server,
    map_title,
    offline_page,
    project,
    red_pixels,
    wait_for_map,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(store):
    with app_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_overview_paints_offline_switches_cluster_and_opens_a_profile(server, browser, store, content):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []
    page = offline_page(browser, server, blocked)
    page.goto(server + "/")
    wait_for_map(page)
    assert map_title(page) == "Advanced manufacturing and engineering"
    page.wait_for_timeout(500)
    shot = page.locator(".js-plotly-plot").first.screenshot(path=str(ARTIFACTS / "overview.png"))
    assert red_pixels(shot) > 2000, "the map shows no red areas"

    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Automotive", exact=True).click()
    page.wait_for_function(f"() => ({TITLE_JS})() === 'Automotive'", timeout=30_000)
    wait_for_map(page)
    assert "cluster=automotive" in page.url
    page.screenshot(path=str(ARTIFACTS / "overview-automotive.png"), full_page=True)

    x, y = project(page, -1.90, 52.48)  # Birmingham, in ITL2 TLG3 West Midlands
    page.mouse.click(x, y)
    page.wait_for_url("**/profile?**", timeout=30_000)
    page.get_by_role("heading", name="West Midlands").first.wait_for(timeout=30_000)
    assert "area=TLG3" in page.url and "level=itl2" in page.url
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "profile-west-midlands.png"), full_page=True)
    assert blocked == [], f"requests to other hosts: {blocked[:5]}"


def test_csv_and_png_downloads_arrive(server, browser, store, content):
    blocked: list[str] = []
    page = offline_page(browser, server, blocked)
    page.goto(server + "/?cluster=automotive&measure=employment&year=2021")
    wait_for_map(page)
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="Download table (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text())))
    assert len(rows) == 40
    expected = metrics.cluster_table(store, content.cluster("automotive"), "employment", "itl2", 2021)
    wm = next(r for r in rows if r["code"] == "TLG3")
    assert float(wm["lq"]) == pytest.approx(expected.set_index("code").loc["TLG3", "lq"])
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name="Download image (PNG)").click()
    png = info.value.path().read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    (ARTIFACTS / "export-automotive.png").write_bytes(png)
    assert red_pixels(png) > 2000
    assert blocked == []


@pytest.mark.parametrize("path, name", [
    ("/cluster?cluster=aerospace&level=itl3", "cluster-aerospace-itl3"),
    ("/cluster?cluster=life-sciences&level=msoa11&colour=hotspot", "cluster-life-sciences-msoa-hotspots"),
    ("/commitments?commitment=c7", "commitments-c7"),
])
def test_regional_pages_paint(server, browser, path, name):
    blocked: list[str] = []
    page = offline_page(browser, server, blocked)
    start = time.monotonic()
    page.goto(server + path)
    wait_for_map(page)
    assert time.monotonic() - start < 60
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert blocked == []


def test_story_steps_through_every_slide_offline_with_the_keyboard(server, browser, content):
    from lisdash.content.story import load_story

    story = load_story(content)
    blocked: list[str] = []
    page = offline_page(browser, server, blocked, 1920, 1080)
    page.goto(server + "/?mode=present")
    for number, slide in enumerate(story.slides, start=1):
        page.locator("h1").filter(has_text=slide.title).first.wait_for(timeout=60_000)
        assert f"slide={number}" in page.url or number == 1
        if slide.kind in ("national_map", "region_map"):
            wait_for_map(page)
            page.wait_for_timeout(800)
            assert red_pixels(page.locator(".js-plotly-plot").first.screenshot()) > 500, slide.id
        elif slide.kind == "closing":
            page.locator("img").first.wait_for()
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"slide-{number:02d}-{slide.id}.png"))
        if number < len(story.slides):
            page.keyboard.press(["ArrowRight", "PageDown", "Space"][number % 3])
    page.keyboard.press("ArrowLeft")
    page.locator("h1").filter(has_text=story.slides[-2].title).first.wait_for(timeout=30_000)
    page.keyboard.press("PageUp")
    page.locator("h1").filter(has_text=story.slides[-3].title).first.wait_for(timeout=30_000)
    page.keyboard.press("Home")
    page.locator("h1").filter(has_text=story.slides[0].title).first.wait_for(timeout=30_000)
    assert "slide=1" in page.url
    assert blocked == [], f"requests to other hosts: {blocked[:5]}"


def test_story_readable_at_1280x720_in_high_contrast(server, browser, content):
    blocked: list[str] = []
    page = offline_page(browser, server, blocked, 1280, 720)
    page.goto(server + "/?mode=present&slide=4&contrast=high")
    wait_for_map(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "slide-04-1280x720-high-contrast.png"))
    background = page.evaluate("() => getComputedStyle(document.querySelector('.stApp')).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    assert page.get_by_role("button", name="Next").first.is_visible()
    assert blocked == []
