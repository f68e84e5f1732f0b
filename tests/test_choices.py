"""Every menu choice of every page renders without an exception (each value of every dimension here;
the full cross-product with `-m exhaustive`), its clickable map drawable by the map bundle, and choices
a source cannot show say so."""

from __future__ import annotations

import itertools
import json

import pytest
from streamlit.testing.v1 import AppTest

from lisdash import views
from lisdash.config import REPO
from lisdash.webapp.mapbundle import map_bundle

APP = str(REPO / "app.py")
MAP_TRACES = map_bundle().traces
PAGES = {"overview": None, "cluster": "cluster", "profile": "profile", "trends": "trends",
         "commitments": "commitments"}


def page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    if PAGES[name]:
        at.switch_page(f"pages/{PAGES[name]}.py")
    return at


def show(at: AppTest, **params: str) -> AppTest:
    at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, (params, [e.value for e in at.exception])
    assert not any("Something went wrong" in e.value for e in at.error), params
    for component in at.get("bidi_component"):  # clickable maps load plotly.js's map bundle: its traces only
        data = json.loads(component.proto.json or "{}")
        if "figure" not in data:  # the response form's own components (device cookie, count, honeypot)
            continue
        figure = json.loads(data["figure"])
        assert {trace["type"] for trace in figure["data"]} <= set(MAP_TRACES), params
    return at


def one_at_a_time(dimensions: dict[str, list[str]]) -> list[dict[str, str]]:
    """Each value of each dimension once, the other dimensions at their first value."""
    base = {k: v[0] for k, v in dimensions.items()}
    cases = [base]
    for key, options in dimensions.items():
        cases += [{**base, key: value} for value in options[1:]]
    return cases


@pytest.fixture(scope="module")
def options(store, content):
    clusters = [c.id for c in content.clusters]
    years = {m: [str(y) for y in store.years_for(m, views.finest_level(store, m))] for m in views.NATIONAL_MEASURES}
    return {"clusters": clusters, "years": years, "colours": list(views.COLOUR_MODES),
            "levels": list(views.REGION_LEVELS), "profile_levels": list(views.PROFILE_LEVELS)}


def test_overview_every_cluster_measure_year_colour_and_basemap(options):
    at = page("overview")
    cases = one_at_a_time({"cluster": options["clusters"], "measure": list(views.NATIONAL_MEASURES),
                           "colour": options["colours"], "basemap": ["off", "on"]})
    cases += [{"measure": m, "year": y} for m, ys in options["years"].items() for y in ys]
    cases += [{"cluster": c, "measure": m} for c in options["clusters"] for m in views.NATIONAL_MEASURES]
    for case in cases:
        show(at, **case)


def test_cluster_map_every_cluster_level_colour_and_year(store, options):
    at = page("cluster")
    for cluster, level in itertools.product(options["clusters"], options["levels"]):
        show(at, cluster=cluster, level=level)
    for case in one_at_a_time({"level": options["levels"], "colour": options["colours"]}):
        show(at, cluster="automotive", **case)
    for year in store.years_for("gva", "itl3"):
        show(at, cluster="creative", level="itl3", year=str(year))


def test_profile_every_level_and_cluster(store, options):
    at = page("profile")
    areas = {"itl2": "TLG3", "itl3": "TLG31", "lad": "E08000026", "msoa11": "E02001890"}
    for level, cluster in itertools.product(options["profile_levels"], options["clusters"]):
        show(at, level=level, area=areas[level], cluster=cluster)


def test_trends_every_source_cluster_and_scale(options):
    at = page("trends")
    for data, cluster, scale in itertools.product(views.TREND_SOURCES, options["clusters"], ["indexed", "absolute"]):
        show(at, data=data, clusters=cluster, scale=scale)


def test_commitments_every_commitment(content):
    at = page("commitments")
    for commitment in content.commitments:
        show(at, commitment=commitment.id)


def test_present_every_slide_contrast_and_view(content):
    from lisdash.content.story import load_story

    at = AppTest.from_file(APP, default_timeout=180)
    for number in range(1, len(load_story(content).slides) + 1):
        for contrast in ("normal", "high"):
            show(at, mode="present", slide=str(number), contrast=contrast)
    show(at, mode="present", view="notes")


def test_a_choice_a_source_cannot_show_is_explained_not_raised():
    at = show(page("overview"), cluster="games", measure="local_units")
    notice = [i.value for i in at.info if "cannot be shown" in i.value]
    assert notice == ["Games cannot be shown in Business local units by local authority districts: that source has "
                      "only 17 broad industry groups, and none stands in for this cluster. Showing Employment "
                      "(BRES) instead."]
    assert at.selectbox[1].value == "employment"
    assert "local_units" not in at.selectbox[1].options and "Business local units" not in at.selectbox[1].options
    at = show(page("cluster"), cluster="games", level="msoa11")
    assert any("Games cannot be shown in Workplace population (Census 2011) by MSOAs (2011)" in i.value
               for i in at.info)


@pytest.mark.exhaustive
def test_overview_full_cross_product(options):
    at = page("overview")
    for cluster, measure, colour in itertools.product(options["clusters"], views.NATIONAL_MEASURES,
                                                      options["colours"]):
        for year in options["years"][measure]:
            show(at, cluster=cluster, measure=measure, year=year, colour=colour)


@pytest.mark.exhaustive
def test_cluster_map_full_cross_product(store, options):
    at = page("cluster")
    for cluster, level, colour in itertools.product(options["clusters"], options["levels"], options["colours"]):
        for year in store.years_for(views.region_measure(store, level), level):
            show(at, cluster=cluster, level=level, colour=colour, year=str(year))
