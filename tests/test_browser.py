"""What only a browser shows: the map paints offline, clusters switch, clicks open profiles, downloads arrive."""

from __future__ import annotations

import csv
import io

import pytest

from lisdash import metrics, views, vocabulary
from lisdash.config import REPO
from lisdash.figures import draw, heading
from lisdash.webapp.mapbundle import map_bundle
from lisdash_dev.browser import (
    ARTIFACTS,
    MAP_CANVAS,
    TITLE_JS,
    annotation_boxes,
    app_server,
    count_script_runs,
    map_title,
    offline_page,
    overlapping,
    project,
    red_pixels,
    script_runs,
    settle,
    wait_for_map,
)

pytestmark = pytest.mark.browser
REMOVED_JS = """() => { window.removed = []; const own = window.firstMap.removeLayer;
  window.firstMap.removeLayer = function (id) { window.removed.push(id); return own.call(this, id); }; }"""
RESIZES_JS = """() => { window.resizes = 0;
  new MutationObserver((records) => { window.resizes += records.length; })
    .observe(window.firstMap.getCanvas(), {attributes: true, attributeFilter: ['width', 'height']}); }"""
CANVAS_FITS_JS = """() => { const canvas = window.firstMap.getCanvas();
  return canvas.width === window.firstMap.getContainer().clientWidth && canvas.width > 0; }"""

CHART_AND_CAPTION_JS = """() => { const box = (e) => { const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, height: r.height}; };
  const caption = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
    .find((e) => e.innerText.startsWith('Click an area'));
  const chart = document.querySelector('.js-plotly-plot');
  return [{...box(chart), figure: chart._fullLayout.height}, box(caption)]; }"""


@pytest.fixture(scope="module")
def server(store):
    with app_server() as base:
        yield base


def test_overview_paints_offline_switches_cluster_and_opens_a_profile(server, browser, store, content):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []
    page = offline_page(browser, server, blocked)
    scripts_and_layers: list[str] = []
    page.on("request", lambda r: scripts_and_layers.append(r.url.rsplit("/", 1)[-1])
            if "/app/static/" in r.url else None)
    page.goto(server + "/")
    wait_for_map(page)
    assert map_title(page) == "Advanced manufacturing and engineering"
    page.wait_for_timeout(500)
    shot = page.locator(".js-plotly-plot").first.screenshot(path=str(ARTIFACTS / "overview.png"))
    assert red_pixels(shot) > 2000, "the map shows no red areas"
    page.evaluate("() => { window.firstChart = document.querySelector('.js-plotly-plot');"
                  " window.firstMap = window.firstChart._fullLayout.map._subplot.map; }")
    page.evaluate(REMOVED_JS)
    page.evaluate(RESIZES_JS)

    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Automotive", exact=True).click()
    page.wait_for_function(f"() => ({TITLE_JS})() === 'Automotive'", timeout=30_000)
    wait_for_map(page)
    assert "cluster=automotive" in page.url
    assert page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length === 1 && window.firstChart === "
                         "document.querySelector('.js-plotly-plot') && window.firstMap === "
                         "window.firstChart._fullLayout.map._subplot.map"), "a switch must redraw the same map"
    # the areas are recoloured in place (removing and re-adding their layers re-tiled them a second time), and
    # the map keeps its order: areas, then the uncertainty dots (new with this cluster), the region's outline on top
    assert page.evaluate("window.removed") == [], "a switch must not remove (and re-add) map layers"
    layers = page.evaluate("() => window.firstMap.getStyle().layers.map(l => l.id)")
    assert layers[0] == "white-bg" and layers[1].startswith("plotly-trace-layer-") and layers[1].endswith("-fill")
    assert layers.index("lisdash-dots") < layers.index("lisdash-outlines") == len(layers) - 2
    assert layers[-1].startswith("plotly-layout-layer-"), layers
    # nor resize the canvas (which clears it: one more frame to draw); a narrower window still does
    assert page.evaluate("window.resizes") == 0, "a switch must not resize (and so clear) the map's canvas"
    width = page.evaluate("() => window.firstMap.getCanvas().width")
    page.set_viewport_size({"width": 1100, "height": 900})
    page.wait_for_function(f"() => window.resizes > 0 && window.firstMap.getCanvas().width < {width}", timeout=30_000)
    page.wait_for_function(CANVAS_FITS_JS, timeout=30_000)
    page.wait_for_timeout(500)  # plotly.js's resize to the window is debounced
    chart, caption = page.evaluate(CHART_AND_CAPTION_JS)
    assert chart["height"] == chart["figure"] > 0, "the map keeps its height when the window is resized"
    assert caption["top"] >= chart["bottom"], "the caption stays below the map"
    page.screenshot(path=str(ARTIFACTS / "overview-automotive.png"), full_page=True)
    # plotly.js's map bundle (tracked, so on every clone; not the full plotly.js) and the areas' layer, each
    # fetched once for the drawing and the switch
    assert sorted(scripts_and_layers) == ["itl2_national.geojson", f"plotly-map-{map_bundle().version}.min.js"]
    traces = page.evaluate("() => Object.keys(window.Plotly.PlotSchema.get().traces)")
    assert set(traces) == {"scatter", *map_bundle().traces}, "the live map runs plotly.js's map bundle (core + maps)"

    x, y = project(page, -1.90, 52.48)  # Birmingham, in ITL2 TLG3 West Midlands
    page.mouse.click(x, y)
    page.wait_for_url("**/profile?**", timeout=30_000)
    page.get_by_role("heading", name="West Midlands").first.wait_for(timeout=30_000)
    assert "area=TLG3" in page.url and "level=itl2" in page.url
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "profile-west-midlands.png"), full_page=True)
    assert blocked == [], f"requests to other hosts: {blocked[:5]}"


AREA_COLOURS_JS = """() => { const chart = document.querySelector('.js-plotly-plot');
  const map = chart._fullLayout.map._subplot.map; const uid = chart._fullData[0].uid;
  const meant = chart._fullData[0]._opts.geojson.features;
  return map.queryRenderedFeatures({layers: ['plotly-trace-layer-' + uid + '-fill']}).map((f) =>
    [meant[f.id].id, (f.state && f.state.fc) || f.properties.fc, meant[f.id].properties.fc]); }"""
WATCH_SWITCH_JS = """() => { const chart = document.querySelector('.js-plotly-plot');
  const map = chart._fullLayout.map._subplot.map; window.watched = {renders: 0, content: []};
  map.on('render', () => { window.watched.renders += 1; });
  map.on('sourcedata', (e) => { if (e.sourceDataType === 'content') window.watched.content.push(e.sourceId); });
  return 'source-' + chart._fullData[0].uid; }"""
LAYER_JS = "() => document.querySelector('.js-plotly-plot')._fullData[0].geojson"
IDLE_JS = """() => new Promise((done) => {
  const map = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;
  if (map.loaded()) requestAnimationFrame(() => requestAnimationFrame(done)); else map.once('idle', done); })"""


def test_a_cluster_switch_recolours_the_areas_in_place_in_one_frame(server, browser, store):
    """A switch sets the areas' new colours without tiling their shapes again, and draws the map once, with the new
    uncertainty dots; a change of level (other shapes) is tiled anew. Every drawn area has plotly's colour for it."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server + "/?measure=local_units")
    wait_for_map(page)
    page.evaluate(IDLE_JS)
    before = dict((code, drawn) for code, drawn, _ in page.evaluate(AREA_COLOURS_JS))
    areas = page.evaluate(WATCH_SWITCH_JS)
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Creative industries", exact=True).click()
    page.wait_for_function(f"() => ({TITLE_JS})().startsWith('Information & communication')", timeout=30_000)
    wait_for_map(page)
    page.evaluate(IDLE_JS)
    watched = page.evaluate("window.watched")
    assert areas not in watched["content"], "the areas' shapes were tiled again for a change of colour"
    assert watched["content"], "the uncertainty dots of the new cluster were not handed to the map"
    assert watched["renders"] == 1, f"a switch drew the map {watched['renders']} times"
    after = page.evaluate(AREA_COLOURS_JS)
    assert len(after) > 300 and all(drawn == meant for _, drawn, meant in after), "an area is drawn in a stale colour"
    assert sum(before[code] != drawn for code, drawn, _ in after) > 100, "the switch left the colours as they were"

    measures = [m for m in views.NATIONAL_MEASURES if store.levels_for(m)]
    layer = page.evaluate(LAYER_JS)
    page.locator('[data-testid="stSelectbox"]').nth(1).click()
    page.get_by_role("option", name=vocabulary.measure_name(measures[0]), exact=True).click()
    page.wait_for_function(f"(was) => ({LAYER_JS})() !== was", arg=layer, timeout=30_000)
    wait_for_map(page)
    page.evaluate(IDLE_JS)
    assert areas in page.evaluate("window.watched")["content"], "other shapes must be tiled"
    after = page.evaluate(AREA_COLOURS_JS)
    assert after and all(drawn == meant for _, drawn, meant in after), "an area is drawn in a stale colour"
    page.close()


# From the moment plotly.js makes the map: how many areas each frame drawn shows.
AREAS_PER_FRAME_JS = """(() => { window.areasPerFrame = [];
  const look = setInterval(() => { const chart = document.querySelector('.js-plotly-plot');
    const map = chart && chart._fullLayout && chart._fullLayout.map && chart._fullLayout.map._subplot
      && chart._fullLayout.map._subplot.map;
    if (!map) return;
    clearInterval(look);
    map.on('render', () => { const fill = 'plotly-trace-layer-' + chart._fullData[0].uid + '-fill';
      const drawn = map.getLayer(fill) ? map.queryRenderedFeatures({layers: [fill]}) : [];
      // an area's centroid names it (feature ids are plotly.js's own or lisdash's numbers)
      window.areasPerFrame.push(new Set(drawn.map((f) => String(f.properties.ct))).size); });
  }, 1); })()"""


def test_a_new_map_appears_whole_rather_than_tile_by_tile(server, browser):
    """The first frame that shows any area shows them all: the map waits for all its tiles, then draws once."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(AREAS_PER_FRAME_JS)
    page.goto(server + "/?measure=local_units")
    wait_for_map(page)
    page.evaluate(IDLE_JS)
    frames = [n for n in page.evaluate("window.areasPerFrame") if n]
    assert frames and frames[0] == frames[-1] > 300, f"areas shown frame by frame: {frames}"
    page.close()


def test_the_street_map_offline_gives_way_to_the_plain_map_and_says_so(server, browser):
    """At a venue without internet, choosing the street map background still shows the areas, with a note."""
    blocked: list[str] = []
    page = offline_page(browser, server, blocked)
    page.goto(server + "/?basemap=on")
    note = page.locator(".lisdash-map-note")
    note.wait_for(timeout=60_000)
    wait_for_map(page)
    assert note.inner_text() == ("The street map could not be loaded (it needs an internet connection), so this map "
                                 "is drawn without it.")
    assert red_pixels(page.locator(".js-plotly-plot").first.screenshot()) > 2000, "the areas are not drawn"
    assert blocked, "the street map was not asked for"
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Automotive", exact=True).click()
    page.wait_for_function(f"() => ({TITLE_JS})() === 'Automotive'", timeout=30_000)
    wait_for_map(page)
    assert red_pixels(page.locator(".js-plotly-plot").first.screenshot()) > 2000
    assert note.inner_text().startswith("The street map could not be loaded")
    layers = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map"
                           ".getStyle().layers.map(l => l.id)")
    assert layers[-1].startswith("plotly-layout-layer-"), f"the region's outline is not drawn on top: {layers}"
    page.screenshot(path=str(ARTIFACTS / "overview-street-map-offline.png"))


def test_csv_and_png_downloads_arrive(server, browser, store, content):
    blocked: list[str] = []
    page = offline_page(browser, server, blocked)
    page.goto(server + "/?cluster=automotive&measure=employment&year=2021")
    wait_for_map(page)
    settle(page)
    count_script_runs(page)
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
    assert script_runs(page) == 0, "a download reran the page (and redrew its map)"
    assert blocked == []


def test_a_download_clicked_while_the_page_reruns_still_arrives(server, browser):
    """A click during a run once interrupted it, and the run's end dropped the file the click asked for."""
    blocked: list[str] = []
    page = offline_page(browser, server, blocked)
    for attempt in range(3):
        page.goto(server + "/?cluster=automotive&measure=employment&year=2021")
        wait_for_map(page)
        settle(page)
        count_script_runs(page)
        page.locator('[data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="Aerospace", exact=True).click()
        page.wait_for_function("() => window.scriptRuns > 0", timeout=30_000)  # the switch's run has begun
        with page.expect_download(timeout=30_000) as info:
            page.get_by_role("button", name="Download table (CSV)").click()
        assert len(list(csv.DictReader(io.StringIO(info.value.path().read_text())))) == 40, f"attempt {attempt}"
    assert blocked == []


@pytest.mark.parametrize("path, name", [
    ("/cluster?cluster=aerospace&level=itl3", "cluster-aerospace-itl3"),
    ("/cluster?cluster=life-sciences&level=msoa11&colour=hotspot", "cluster-life-sciences-msoa-hotspots"),
    ("/commitments?commitment=c7", "commitments-c7"),
])
def test_regional_pages_paint(server, browser, path, name):
    blocked: list[str] = []
    page = offline_page(browser, server, blocked)
    page.goto(server + path)
    wait_for_map(page)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert blocked == []


@pytest.mark.parametrize(("path", "kind", "cluster", "level_or_measure"), [
    ("/", "national", "advanced-manufacturing", "employment"),
    ("/cluster?cluster=aerospace&level=itl3", "regional", "aerospace", "itl3"),  # a three-line stand-in title
])
def test_page_maps_draw_their_areas_whole_below_their_titles(server, browser, store, content, path, kind, cluster,
                                                              level_or_measure):
    """The map's zoom fits the areas into the map itself (the plot area under the title and subtitle, above the
    source line): their edges project inside the map's canvas, and the title and subtitle end above it."""
    from lisdash import views

    no_url = lambda level, extent: ""  # noqa: E731 - the bounds do not depend on where the layer is served
    view = (views.national_view(store, content, cluster, level_or_measure, None, "lq", no_url) if kind == "national"
            else views.region_view(store, content, cluster, level_or_measure, None, "lq", no_url))
    west, south, east, north = view.bounds
    page = offline_page(browser, server, [], 1440, 900)
    page.goto(server + path)
    wait_for_map(page)
    canvas = page.locator(MAP_CANVAS).first.bounding_box()
    x_west, x_east = (project(page, lon, (south + north) / 2)[0] for lon in (west, east))
    y_north, y_south = (project(page, (west + east) / 2, lat)[1] for lat in (north, south))
    assert canvas["x"] <= x_west < x_east <= canvas["x"] + canvas["width"], (x_west, x_east, canvas)
    assert canvas["y"] <= y_north < y_south <= canvas["y"] + canvas["height"], (y_north, y_south, canvas)
    # the title and subtitle, page text above the map, are the figure's (which keeps them in its meta)
    title, subtitle = (page.locator('[class*="st-key-heading-"]').first.locator(selector)
                       for selector in ("h3", '[data-testid="stCaptionContainer"]'))
    assert (title.inner_text(), subtitle.inner_text()) == heading.heading(view.figure.to_dict())
    assert title.inner_text() == map_title(page)
    assert subtitle.bounding_box()["y"] + subtitle.bounding_box()["height"] <= canvas["y"], canvas
    page.context.close()


def test_a_map_title_wraps_on_a_phone_instead_of_being_cut_off(server, browser):
    """A three-line stand-in title (cut at the right edge when plotly drew it) is page text that wraps at 390 px."""
    page = offline_page(browser, server, [], 390, 844)
    page.goto(server + "/cluster?cluster=aerospace&level=itl3")
    wait_for_map(page)
    title = page.locator('[class*="st-key-heading-"] h3').first
    box = title.bounding_box()
    assert title.inner_text() == map_title(page) and title.inner_text().endswith("% is aerospace")
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] > 60, box  # on several lines
    assert page.evaluate("(e) => e.scrollWidth <= e.clientWidth", title.element_handle())
    page.screenshot(path=str(ARTIFACTS / "cluster-phone.png"))
    page.context.close()


def test_story_steps_through_every_slide_offline_with_the_keyboard(server, browser, store, content):
    from lisdash import views
    from lisdash.content.story import load_story
    from lisdash.views.story import all_slides

    story = load_story(content)
    headings = [sc.heading for sc in all_slides(store, content, story, views.store_geo(store))]
    blocked: list[str] = []
    page = offline_page(browser, server, blocked, 1920, 1080)
    page.goto(server + "/?mode=present")
    for number, slide in enumerate(story.slides, start=1):
        page.locator("h1").filter(has_text=headings[number - 1]).first.wait_for(timeout=60_000)
        assert f"slide={number}" in page.url or number == 1
        if slide.kind in ("national_map", "region_map"):
            wait_for_map(page)
            page.wait_for_timeout(800)
            assert red_pixels(page.locator(".js-plotly-plot").first.screenshot()) > 500, slide.id
        elif slide.kind == "portfolio":
            page.locator(".js-plotly-plot .scatterlayer .point").first.wait_for(timeout=60_000)
        elif slide.kind == "closing":
            page.locator("img").first.wait_for()
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"slide-{number:02d}-{slide.id}.png"))
        if number < len(story.slides):
            page.keyboard.press(["ArrowRight", "PageDown", "Space"][number % 3])
    page.keyboard.press("ArrowLeft")
    page.locator("h1").filter(has_text=headings[-2]).first.wait_for(timeout=30_000)
    page.keyboard.press("PageUp")
    page.locator("h1").filter(has_text=headings[-3]).first.wait_for(timeout=30_000)
    page.keyboard.press("Home")
    page.locator("h1").filter(has_text=headings[0]).first.wait_for(timeout=30_000)
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
    assert page.locator(".st-key-next button").first.is_visible()
    assert blocked == []


WATCH_FIRST_START = """
window.__seen = {nav: "", notice: false};
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  if (nav && nav.innerText.trim()) window.__seen.nav = nav.innerText;
  if (document.body && document.body.innerText.includes("First start")) window.__seen.notice = true;
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_a_fresh_clone_serves_three_first_visitors_with_one_build(tmp_path, browser):
    """No store yet, three browsers at once: one build runs, every session sees progress, then a painted map
    without the notice; no visitor ever sees a navigation of the pages folder's file names."""
    from lisdash.config import mirror_dir
    from lisdash_dev.browser import serve

    clone = fresh_clone(tmp_path)
    log = tmp_path / "server.log"
    with serve(clone / "app.py", cwd=clone, log=log, env={"LISDASH_MIRROR": str(mirror_dir())}) as (base, _):
        blocked: list[str] = []
        pages = [offline_page(browser, base, blocked) for _ in range(3)]
        for page in pages:
            page.add_init_script(WATCH_FIRST_START)
            page.goto(base + "/", wait_until="commit")
        for page in pages:
            wait_for_map(page, timeout=300_000)
        assert all(red_pixels(p.locator(".js-plotly-plot").first.screenshot()) > 2000 for p in pages)
        for page in pages:
            assert page.evaluate("window.__seen") == {"nav": "", "notice": True}
            assert page.get_by_text("First start").count() == 0
        pages[0].screenshot(path=str(ARTIFACTS / "fresh-clone-first-visitor.png"))
    assert (clone / "data" / "build" / "facts.parquet").exists()
    text = log.read_text()
    assert text.count("building the data store") + text.count("unpacking the shipped data release") == 1
    assert not list((clone / "data").glob(".build.tmp-*"))
    assert blocked == []


def fresh_clone(tmp_path):
    """The repository's files (as git sees them, or the folder minus what is built) copied with nothing beside it."""
    import shutil
    import subprocess

    clone = tmp_path / "clone"
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        shutil.copytree(REPO, clone, ignore=shutil.ignore_patterns(
            ".git", "build", "build.*", ".build*", "downloads", "exports", "geo", "__pycache__", ".pytest_cache",
            ".ruff_cache", "artifacts", "*.egg-info", "responses.sqlite*", ".responses*", "secrets.toml"))
        return clone
    for name in listed.stdout.split():
        if (REPO / name).exists():
            target = clone / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target)
    return clone


def test_a_clone_without_the_mirror_paints_from_the_shipped_release(tmp_path, browser):
    from lisdash_dev.browser import serve

    clone = fresh_clone(tmp_path)
    log = tmp_path / "server.log"
    with serve(clone / "app.py", cwd=clone, log=log, env={"LISDASH_MIRROR": str(tmp_path / "no-mirror")}) as (base, _):
        blocked: list[str] = []
        page = offline_page(browser, base, blocked)
        page.goto(base + "/")
        wait_for_map(page, timeout=180_000)  # a wait, not a speed claim: `python -m lisdash bench` times it
        assert red_pixels(page.locator(".js-plotly-plot").first.screenshot()) > 2000
        page.goto(base + "/methods")
        page.get_by_text("the shipped data release").first.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "methods-from-release.png"))
    assert "unpacking the shipped data release" in log.read_text()
    assert blocked == []


def test_presenters_in_two_browsers_are_kept_apart(server, browser):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from lisdash.consult import db, events

    event = events.new_event(db.sessions(), "Two browsers")  # the server's own database (conftest's file)

    def presenter(slide: int):
        page = offline_page(browser, server, [], 1920, 1080)
        page.goto(f"{server}/?mode=present&slide={slide}&event={event.code}")
        page.get_by_role("button", name="Tools").click()
        assert page.get_by_role("link", name="Open speaker notes (new window)").count() == 0  # not before the code
        page.get_by_label("Presenter code (opens the speaker notes)").fill(event.presenter_code)
        page.get_by_role("button", name="Open speaker notes").click()
        notes = page.get_by_role("link", name="Open speaker notes (new window)")
        try:
            notes.wait_for(timeout=10_000)
        except PlaywrightTimeout:  # the popover closed as the page reran: open it again
            page.get_by_role("button", name="Tools").click()
        link = notes.get_attribute("href", timeout=30_000)
        page.keyboard.press("Escape")
        return page, link

    a, link_a = presenter(2)
    b, link_b = presenter(3)
    assert link_a != link_b

    def notes_title(link: str) -> str:
        page = offline_page(browser, server, [])
        page.goto(server + "/" + link.lstrip("/"))
        page.get_by_role("heading").first.wait_for(timeout=60_000)
        page.wait_for_timeout(3500)  # one refresh of the notes window
        return page.get_by_role("heading").first.inner_text()

    a.keyboard.press("ArrowRight")
    a.wait_for_url("**slide=3**", timeout=30_000)
    assert "slide 3 of" in notes_title(link_a) and "slide 3 of" in notes_title(link_b)
    a.keyboard.press("ArrowRight")
    a.wait_for_url("**slide=4**", timeout=30_000)
    assert "slide 4 of" in notes_title(link_a)
    assert "slide 3 of" in notes_title(link_b)  # A moving did not move B's notes
    third = offline_page(browser, server, [])
    third.goto(f"{server}/?mode=present&slide=9&event={event.code}")
    third.get_by_role("heading").first.wait_for(timeout=60_000)
    assert "slide 4 of" in notes_title(link_a)
    assert notes_title("?mode=present&view=notes") == "Speaker notes"  # nobody reads notes without the token


PORTFOLIO_POINTS_JS = """() => {
    const plot = [...document.querySelectorAll('.js-plotly-plot')].find(
        p => p._fullLayout
            && String((p._fullLayout.meta || {}).title || p._fullLayout.title.text).includes('cluster portfolio'));
    if (!plot) return null;
    return plot._fullData.flatMap(t => Array.from(t.x).map((x, i) => [t.text[i], x, t.y[i], t.marker.size[i]]));
}"""


def test_the_profile_portfolio_draws_the_metrics_bubbles(server, browser, store, content):
    """Each bubble of the WMCA area's portfolio sits at (LQ, relative growth) with area = jobs, as metrics say,
    and no two of its labels (bubble names, quadrant names, source line) overlap."""
    blocked: list[str] = []
    page = offline_page(browser, server, blocked, 1440, 900)
    page.goto(server + "/profile?level=itl2&area=TLG3&cluster=automotive")
    page.wait_for_function(f"() => ({PORTFOLIO_POINTS_JS})() !== null", timeout=60_000)
    drawn = {label: (x, y, size) for label, x, y, size in page.evaluate(PORTFOLIO_POINTS_JS)}
    folio = metrics.portfolio(store, content.clusters, "employment", "itl2", ["TLG3"])
    assert len(drawn) == len(folio) == 10
    names = draw.bubble_labels(folio)
    for name, (_, row) in zip(names, folio.iterrows(), strict=True):
        x, y, size = drawn[name]
        assert (x, y, size) == pytest.approx((row["lq"], row["relative_growth_pp"], row["value"]), rel=1e-9)
    labels = annotation_boxes(page, "cluster portfolio")
    assert set(names) <= {text for text, *_ in labels}
    assert overlapping(labels) == []
    page.locator(".js-plotly-plot").nth(1).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "profile-portfolio.png"))
    assert blocked == []


def test_every_view_offers_its_link_with_one_click_copy(server, browser):
    from urllib.parse import parse_qs, urlsplit

    blocked: list[str] = []
    page = offline_page(browser, server, blocked, 1440, 900)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(server + "/")  # a fresh server's first deep link can open on "page not found"
    wait_for_map(page)
    page.goto(server + "/cluster?cluster=automotive&level=lad")
    frame = page.frame_locator('iframe[title^="Link to this view"]')
    box = frame.locator("#link")
    box.wait_for(timeout=60_000)
    page.wait_for_function("() => /cluster=automotive/.test(location.search)", timeout=60_000)
    page.wait_for_timeout(1200)  # the frame re-reads the address bar every second
    shown = box.inner_text().strip()
    assert shown == page.url
    assert urlsplit(shown).path == "/cluster"
    assert parse_qs(urlsplit(shown).query)["cluster"] == ["automotive"]
    frame.get_by_role("button", name="Copy link").click()
    frame.get_by_role("button", name="Copied").wait_for(timeout=5_000)
    assert page.evaluate("() => navigator.clipboard.readText()").strip() == shown
    assert blocked == []


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1440, 900)])
def test_the_map_starts_above_the_fold_and_fills_its_column(server, browser, width, height):
    blocked: list[str] = []
    page = offline_page(browser, server, blocked, width, height)
    for path, name in (("/", "overview"), ("/cluster", "cluster")):
        page.goto(server + path)
        wait_for_map(page)
        box = page.locator(".js-plotly-plot").first.bounding_box()
        heading = page.locator('[class*="st-key-heading-"]').first.bounding_box()
        canvas = page.locator(MAP_CANVAS).first.bounding_box()
        # the map, under its title (page text), begins in the top part of the first screen
        assert heading["y"] < 0.45 * height and heading["y"] + heading["height"] <= box["y"], (path, heading, box)
        assert canvas["y"] < 0.5 * height, (path, canvas)
        column = page.evaluate("() => document.querySelector('.js-plotly-plot').closest("
                               "'[data-testid=\"stColumn\"]').getBoundingClientRect().width")
        assert box["width"] > 0.9 * column and column > 0.5 * width, (path, box, column)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))
    assert blocked == []
