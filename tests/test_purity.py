"""One purity rule on every screen: numbers of a group that is mostly other industries never give a rank, a
strength class, a hotspot, a "most concentrated" card or a bar under a cluster's name; the group is named as
itself with the cluster's share, with one sentence on which data would show the cluster. Checked for every
cluster at every measure and level each page offers, with the shares recomputed from the raw BRES file."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lisdash import metrics, views
from lisdash.config import REPO
from lisdash.figures import draw
from lisdash.metrics.lq import NOT_CLASSED
from lisdash.metrics.provenance import PROXY_MIN_SHARE
from lisdash.metrics.resolve import proxy_subclasses

APP = str(REPO / "app.py")
GEO = lambda level, extent: {"type": "FeatureCollection", "features": []}  # noqa: E731 - figures need no shapes here
MAX_CARD_WORDS = 12


def _words(label: str) -> int:
    return len(label.replace(":", " ").replace(",", " ").split())


def _check_view(view: views.MapView, measured: bool) -> None:
    prov = view.provenance
    assert prov.measures_cluster == measured
    if measured:
        assert not view.group_note and (view.table["class"] != NOT_CLASSED).all()
        return
    assert f"only {prov.proxy.share:.0%}" in view.group_note and "NM_189_1" in view.group_note
    assert (view.table["class"] == NOT_CLASSED).all() and "hotspot" not in view.table
    assert f"of which {prov.proxy.share:.0%} is" in prov.label  # titled as the group, with the cluster's share
    title = view.figure.layout.title.text.replace("<br>", "")
    assert f"of which {prov.proxy.share:.0%} is {prov.cluster_name.lower()}" in title and "standing in" not in title


def _raw_share(bres5: pd.DataFrame, store, cluster, prov) -> float:
    """The cluster's share of its group's GB jobs, recomputed from the raw 5-digit BRES file."""
    latest = bres5[bres5["DATE"] == bres5["DATE"].max()]
    jobs = latest.groupby("INDUSTRY_CODE")["COUNT"].sum()
    mine = set(metrics.cluster_subclasses(cluster, store.industries))
    group = set(proxy_subclasses(prov.industry_level, list(prov.codes), store.industries))
    return jobs.reindex(sorted(mine & group)).sum() / jobs.reindex(sorted(group)).sum()


def test_the_national_map_follows_the_purity_rule_for_every_cluster_and_measure(store, content, bres5):
    seen = {True: 0, False: 0}
    for cluster, measure in itertools.product(content.clusters, views.NATIONAL_MEASURES):
        try:
            view = views.national_view(store, content, cluster.id, measure, None, "class", GEO)
        except metrics.MetricError:
            continue
        prov = view.provenance
        if not prov.exact:
            assert _raw_share(bres5, store, cluster, prov) == pytest.approx(prov.proxy.share, abs=0.01)
        measured = prov.exact or prov.proxy.share >= PROXY_MIN_SHARE
        _check_view(view, measured)
        head = view.headline
        assert ("rank" in head) == ("top_region" in head) == measured
        labels = [head[k] for k in ("value_label", "lq_label", "rank_label", "top_label") if k in head]
        assert all(_words(label) <= MAX_CARD_WORDS for label in labels), labels
        assert all(str(prov.year) in label for label in labels), labels
        seen[measured] += 1
    assert seen[True] >= 10 and seen[False] >= 10  # both sides of the rule are exercised


def test_the_cluster_map_follows_the_purity_rule_at_every_level(store, content):
    for cluster, level in itertools.product(content.clusters, views.REGION_LEVELS):
        try:
            view = views.region_view(store, content, cluster.id, level, None, "hotspot", GEO)
        except metrics.MetricError:
            continue
        prov = view.provenance
        _check_view(view, prov.exact or prov.proxy.share >= PROXY_MIN_SHARE)
        for place in view.headline.values():
            assert prov.short_subject.lower() in place["lq_label"].lower()  # every card says what it measures
            assert _words(place["lq_label"]) <= MAX_CARD_WORDS and _words(place["value_label"]) <= MAX_CARD_WORDS


def test_the_area_profile_draws_no_bar_and_gives_no_rank_for_an_unmeasured_cluster(store, content):
    areas = {"itl2": "TLG3", "itl3": "TLG31", "lad": "E08000026", "msoa11": "E02001890"}
    for level in views.PROFILE_LEVELS:
        view = views.profile_view(store, content, areas[level], level, "automotive")
        unmeasured = view.mix[~view.mix["measures"]]
        assert unmeasured["rank"].isna().all() and (unmeasured["class"] == NOT_CLASSED).all()
        drawn = set(view.mix_figure.data[0].y)
        assert not drawn & set(unmeasured["cluster_name"]) and not drawn & {f"{n} (stand-in)" for n in
                                                                           unmeasured["cluster_name"]}
        assert len(drawn) == int(view.mix["measures"].sum())
        if len(unmeasured):
            assert "Not drawn, and given no rank or class" in view.caveat


def test_every_page_opens_on_a_view_that_measures_its_cluster(store, content):
    defaults = content.region.defaults
    overview = views.national_view(store, content, defaults.overview_cluster, views.NATIONAL_MEASURES[0], None,
                                   "lq", GEO)
    region = views.region_view(store, content, defaults.cluster_map_cluster, next(iter(views.REGION_LEVELS)), None,
                               "lq", GEO)
    profile = views.profile_view(store, content, defaults.profile_area[defaults.profile_level],
                                 defaults.profile_level, defaults.profile_cluster)
    assert overview.provenance.measures_cluster and region.provenance.measures_cluster
    assert profile.mix["measures"].all()  # every cluster of the default profile is measured


def test_the_overview_page_offers_no_class_and_no_rank_for_a_group_that_is_mostly_other_industries():
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"cluster": "aerospace", "measure": "gva", "colour": "class"})
    at.run()
    assert not at.exception
    colour = next(s for s in at.selectbox if s.label == "Colour by")
    assert colour.value == "lq" and set(colour.options) == {"Location quotient"}
    assert any("Strength classes and hotspots are not given for" in i.value for i in at.info)
    labels = [m.label for m in at.metric]
    assert labels and not any("rank" in label or "highest" in label for label in labels)
    assert all("SIC 28-33 group" in label for label in labels), labels
    assert any("only 12% aerospace" in w.value and "NM_189_1" in w.value for w in at.warning)


def test_commitment_cards_show_no_number_under_a_cluster_its_borough_data_do_not_measure(content):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/commitments.py")
    at.query_params["commitment"] = "c7"  # aerospace (12% of its GVA group) and advanced manufacturing (73%)
    at.run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels and all("advanced manufacturing (stand-in group)" in label for label in labels), labels
    assert any("only 12% aerospace" in c.value for c in at.caption)


def test_a_chosen_cluster_follows_the_visitor_to_the_next_page_unless_the_url_says_otherwise():
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["cluster"] = "creative"
    at.run()
    at.query_params.clear()
    at.switch_page("pages/cluster.py")
    at.run()
    assert next(s for s in at.selectbox if s.label == "Cluster").value == "creative"
    at.query_params.clear()
    at.switch_page("pages/profile.py")
    at.run()
    assert next(s for s in at.selectbox if s.label == "Cluster for the trend").value == "creative"
    at.query_params.clear()
    at.query_params["cluster"] = "logistics"  # a shared link names its own cluster
    at.switch_page("pages/cluster.py")
    at.run()
    assert next(s for s in at.selectbox if s.label == "Cluster").value == "logistics"


def test_the_profile_bars_write_each_lq_beyond_its_range_inside_the_axis(store, content):
    """Each bar's LQ is written past the end of its rounding range (not against its error bar), and the axis
    runs far enough that the longest bar's label is not cut."""
    view = views.profile_view(store, content, "TLG3", "itl2", "automotive")
    bars, labels = view.mix_figure.data[0], view.mix_figure.data[1]
    measured = view.mix[view.mix["measures"]].sort_values("lq")
    assert list(labels.text) == [f"{v:.2f}" for v in measured["lq"]]
    axis = view.mix_figure.layout.xaxis.range[1]
    assert axis >= 1.2 * measured["lq_high"].max() - 1e-9
    assert list(labels.x) == pytest.approx(list(measured["lq_high"] + draw.LABEL_GAP * axis))  # clear of the tick
    assert labels.textposition == "middle right"
    assert list(bars.y) == list(labels.y)
