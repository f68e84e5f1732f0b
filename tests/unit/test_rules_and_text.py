"""Verdict rules at their boundaries, URL state, provenance lines, map classes: no store, no mirror."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lisdash.evidence import RULES, Verdict
from lisdash.evidence.rules import Rules, capped
from lisdash.figures.draw import choropleth, interval_text, lq_classes, map_view
from lisdash.metrics.provenance import Provenance, Proxy
from lisdash.sources.manifest import Source
from lisdash.views.cardmap import CARD_MAP_WIDTH, CARD_MARGIN, card_map
from lisdash.views.sourcelines import caveat_line, source_line, stand_in_line, store_credit
from lisdash.views.urlparams import Param, parse, parse_list, shown

V = Verdict


@pytest.mark.parametrize("lq, verdict", [(0.99, V.NOT_SUPPORTED), (1.00, V.PARTLY), (1.24, V.PARTLY),
                                         (1.25, V.SUPPORTED)])
def test_concentration_rule_boundaries(lq, verdict):
    assert RULES.concentration(lq) == verdict


@pytest.mark.parametrize("rank, verdict", [(1, V.SUPPORTED), (3, V.PARTLY), (4, V.NOT_SUPPORTED)])
def test_regional_rank_rule_boundaries(rank, verdict):
    assert RULES.regional_rank(rank) == verdict


@pytest.mark.parametrize("share, eligible", [(0.4999, False), (0.5, True), (0.93, True)])
def test_proxy_share_threshold(share, eligible):
    assert RULES.proxy_eligible(share) is eligible


@pytest.mark.parametrize("rank, robust, beats, verdict", [(1, True, True, V.SUPPORTED), (1, False, True, V.PARTLY),
                                                          (1, True, False, V.PARTLY), (2, True, True, V.NOT_SUPPORTED)])
def test_fastest_growth_rule(rank, robust, beats, verdict):
    assert RULES.fastest_growth(rank, robust, beats) == verdict


def test_caps_only_lower_a_verdict():
    assert capped(V.SUPPORTED) == V.PARTLY
    assert capped(V.NOT_SUPPORTED) == V.NOT_SUPPORTED and capped(V.NOT_TESTABLE) == V.NOT_TESTABLE


def test_rule_prose_is_generated_from_the_thresholds():
    assert "1.25 or more" in " ".join(RULES.text()) and "at least 50%" in " ".join(RULES.text())
    other = " ".join(Rules(supported_lq=1.5, proxy_min_share=0.6).text())
    assert "1.50 or more" in other and "at least 60%" in other


def test_url_parameters_are_validated_and_echoed_safely():
    values, notices = parse({"cluster": "<b>x</b>", "year": "2021"},
                            [Param("cluster", ["a", "b"], "a"), Param("year", ["2020", "2021"], "2020")])
    assert values == {"cluster": "a", "year": "2021"}
    assert notices == ["Ignored cluster=?b?x??b?: not a known value. Showing a instead."]
    assert parse({"poll": "nope"}, [Param("poll", ["p1"], "")])[1] == [  # a choice with no default names itself
        "Ignored poll=nope: not a known value. No poll is used."]
    assert shown("x" * 100) == "x" * 40
    chosen, notices = parse_list("a,zz,b,a", ["a", "b", "c"], 1, "areas")
    assert chosen == ["a"] and len(notices) == 2


def _source(**extra) -> Source:
    return Source(id="s", kind="facts", title="A table", publisher="Some Office", licence="CC BY 4.0", url="https://x",
                  path="p.csv", sha256="0" * 64, measure="employment", level="itl2", **extra)


def test_source_line_credits_the_sources_own_licence():
    line = source_line(Provenance("s", "employment", "itl2", 2021), _source())
    assert line == ("Source: Some Office, A table, 2021; ITL2 areas. CC BY 4.0. "
                    "Contains OS data © Crown copyright and database right.")
    assert "Open Government" not in line


def test_caveats_name_the_stand_in_the_totals_basis_and_the_ranges():
    prov = Provenance("s", "employment", "itl2", 2021, subject="Production (SIC 05-39)", cluster_name="Aerospace",
                      exact=False, proxy=Proxy(0.035, 1.0, 2021), caveat="Wider than aerospace.")
    assert stand_in_line(prov).startswith("Not the cluster itself: Production (SIC 05-39) stands in for aerospace, "
                                           "which is 4% of the group's Great Britain employment")
    text = caveat_line(prov, _source(rounding="bres", total_excludes=["68IMP"]), ["01000"])
    assert "Totals leave out SIC 01000" in text and "68IMP" in text and "95% ranges" in text


def test_store_credit_lists_each_publisher_once_with_its_licence():
    boundary = Source(id="b", kind="boundary", title="B", publisher="Office for National Statistics",
                      licence="Open Government Licence v3.0", url="https://x", path="b.json", sha256="0" * 64)
    assert store_credit([_source(), boundary]) == ("Data: Some Office (CC BY 4.0); Office for National Statistics "
                                                   "(Open Government Licence v3.0). Contains OS data © Crown copyright "
                                                   "and database right.")


def test_map_classes_keep_one_neutral_class_under_1_and_no_data_apart():
    index, labels, colours = lq_classes(pd.Series([np.nan, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0]))
    assert labels[:2] == ["no data", "under 1"] and index[0] == 0 and index[1] == 1
    assert len(labels) == len(colours) and index[-1] == len(labels) - 1


def test_a_map_fits_its_bounds_and_survives_margins_taller_than_the_figure():
    """The West Midlands region's bounds centre on the region; a plot area of zero or less height (a title
    longer than the figure) gives the zoom of a one-pixel map instead of a math error."""
    bounds = (-3.24, 51.83, -1.17, 53.23)
    view = map_view(bounds, width=900, height=620)
    assert view["center"]["lon"] == pytest.approx(-2.205)
    assert 51.83 < view["center"]["lat"] < 53.23 and 6 < view["zoom"] < 9
    squeezed = map_view(bounds, width=900, height=-40)
    assert squeezed == map_view(bounds, width=900, height=1) and squeezed["zoom"] < view["zoom"]


def test_a_card_map_drops_its_title_and_credits_and_fits_its_areas_to_the_card():
    """The card states the subtitle and credits in its caption; the map is refitted to the card's width."""
    bounds = (-3.24, 51.83, -1.17, 53.23)
    square = {"type": "Polygon", "coordinates": [[[-3.24, 51.83], [-1.17, 51.83], [-1.17, 53.23], [-3.24, 51.83]]]}
    layer = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "E1", "geometry": square}]}
    full = choropleth(["E1"], np.array([2]), ["no data", "under 1", "1.00 to 1.50"], ["#eee", "#ddd", "#a50f15"],
                      layer, ["E1"], bounds, "Automotive", "Source: ONS.", "Location quotient", height=380,
                      subtitle="Employment (BRES), 2021")
    card = card_map(full, bounds, height=300)
    assert full.layout.title.text == "Automotive" and full.layout.annotations
    assert card.layout.title.text == "" and card.layout.title.subtitle.text == "" and not card.layout.annotations
    fitted = map_view(bounds, CARD_MAP_WIDTH, 300 - 2 * CARD_MARGIN)
    assert card.layout.map.zoom == pytest.approx(fitted["zoom"]) and card.layout.height == 300
    assert card.layout.map.zoom < full.layout.map.zoom  # a card is narrower than a page's map column
    assert card.data[0].z == full.data[0].z  # the same areas and classes


def test_a_longer_title_or_source_makes_a_map_figure_taller_and_leaves_the_map_its_size_and_scale():
    """Every cluster's map on a page is the same size and zoom, whatever the lines of its title and source: so a
    live map switching cluster is not resized (which clears its canvas for one more drawing of the old areas)."""
    bounds = (-3.24, 51.83, -1.17, 53.23)
    layer = {"type": "FeatureCollection", "features": []}
    maps = [choropleth(["E1"], np.array([1]), ["no data", "under 1"], ["#eee", "#ddd"], layer, ["E1"], bounds, title,
                       source, "Location quotient", height=620, subtitle="Employment (BRES), 2021")
            for title, source in (("Automotive", "Source: ONS."),
                                  ("Production (SIC 05-39), standing in for advanced manufacturing and engineering "
                                   "of every kind the region has", "Source: ONS. " * 30))]
    short, long = (m.layout for m in maps)
    assert short.height == 620 and long.height > 620 + 2 * 24  # two more title lines, and more source lines
    assert long.margin.t > short.margin.t and long.margin.b > short.margin.b
    plot = [layout.height - layout.margin.t - layout.margin.b for layout in (short, long)]
    assert plot[0] == plot[1] and long.map.zoom == short.map.zoom and long.map.center == short.map.center


def test_a_figure_s_title_subtitle_and_source_leave_it_for_the_page_and_its_plot_keeps_its_size():
    from lisdash.figures.heading import TOP, FigureText, headless, text_of

    bounds = (-3.24, 51.83, -1.17, 53.23)
    source = "Source: Office for National Statistics, Business Register and Employment Survey " * 3
    figure = choropleth(["E1"], np.array([1]), ["no data", "under 1"], ["#eee", "#ddd"],
                        {"type": "FeatureCollection", "features": []}, ["E1"], bounds,
                        "Production (SIC 05-39), standing in for advanced manufacturing and engineering",
                        source, "Location quotient", height=620, subtitle="Employment (BRES), 2021").to_dict()
    assert "<br>" in figure["layout"]["title"]["text"]  # wrapped for a 1440-pixel column
    assert "<br>" in figure["layout"]["annotations"][0]["text"]
    title = "Production (SIC 05-39), standing in for advanced manufacturing and engineering"
    assert text_of(figure) == FigureText(title, "Employment (BRES), 2021", source.strip())
    bare = headless(figure)
    layout, before = bare["layout"], figure["layout"]
    assert layout["title"]["text"] == "" and layout["title"]["subtitle"]["text"] == ""
    assert layout["annotations"] == []
    assert layout["meta"] == {"title": title, "subtitle": "Employment (BRES), 2021", "source": source.strip()}
    assert layout["margin"]["t"] == TOP < before["margin"]["t"] and layout["margin"]["b"] < before["margin"]["b"]
    assert (layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
            == before["height"] - before["margin"]["t"] - before["margin"]["b"])  # the map keeps its size
    assert bare["data"] == figure["data"] and layout["map"] == before["map"]
    assert figure["layout"]["title"]["text"].startswith("Production")  # the figure itself (downloads) keeps them


def test_interval_text():
    assert interval_text(4.117, 3.936, 4.301) == "4.12 (3.94 to 4.30)"
    assert interval_text(1.72, 1.72, 1.72) == "1.72" and interval_text(float("nan"), 0, 0) == "no data"


def test_every_slide_kind_is_declared_once_and_has_its_content_and_layout():
    """A slide kind is declared in content.story.KINDS; the story file's schema, the content made for it and its
    layout in the room are keyed by the same names, so a new kind fails here until it has all three."""
    from typing import get_args

    from lisdash.content.story import KINDS, SlideKind
    from lisdash.views.story import CONTENT
    from lisdash.webapp.slides import LAYOUTS

    assert set(get_args(SlideKind)) == set(KINDS) == set(CONTENT) == set(LAYOUTS)
