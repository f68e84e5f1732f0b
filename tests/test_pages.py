"""Every page through streamlit.testing: defaults, URL parameters and bad parameters, with real numbers."""

from __future__ import annotations

import json
import re

import numpy as np
from streamlit.testing.v1 import AppTest

from lisdash import metrics
from lisdash.config import REPO
from lisdash.evidence import evaluate
from lisdash.figures.draw import interval_text

APP = str(REPO / "app.py")


def run(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if page:  # pages are registered by the entry script's first run; then switch as a click would
        at.run()
        at.switch_page(f"pages/{page}.py")
        at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_figure(at: AppTest) -> str:
    """The figure JSON of the page's clickable map (a live map component: `webapp.livemap`)."""
    return json.loads(at.get("bidi_component")[0].proto.json)["figure"]


def shown(at: AppTest, index: int = 0):
    """A page table as its reader sees it: every cell the text on screen (its Markdown escapes undone)."""
    return at.table[index].value.map(lambda cell: re.sub(r"\\(.)", r"\1", cell))


def metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_overview_default_shows_west_midlands_advanced_manufacturing(store, content):
    at = run()
    table = metrics.cluster_table(store, content.cluster("advanced-manufacturing"), "employment", "itl2", 2021)
    wm = metrics.rollup(table, store.layer("itl2")).set_index("code").loc["TLG"]
    # every card says what it measures: place, cluster, measure, year (at most 12 words)
    assert metric(at, "West Midlands region: advanced manufacturing jobs, 2021") == f"{wm['value']:,.0f}" == "112,405"
    assert metric(at, "West Midlands region: advanced manufacturing LQ vs GB, 2021") == interval_text(
        wm["lq"], wm["lq_low"], wm["lq_high"]) == "1.70 (1.67 to 1.73)"
    assert metric(at, "West Midlands region: rank by advanced manufacturing LQ, 2021") == "1 of 11"
    auto = shown(run(cluster="automotive")).set_index("Area")
    assert "West Midlands met county (WMCA area)" in auto.index  # never a bare "West Midlands"
    assert auto.loc["West Midlands met county (WMCA area)", "LQ range (95%)"] == "3.94 to 4.30"
    assert any("Commitment 7" in m.value for m in at.markdown)
    assert not at.warning
    assert at.query_params["cluster"] == "advanced-manufacturing"
    assert any("Open Government Licence" in c.value for c in at.caption)
    assert any("Contains OS data" in c.value for c in at.caption)


def test_overview_follows_url_parameters(store, content):
    at = run(cluster="logistics", measure="gva", year="2019", colour="class")
    table = metrics.cluster_table(store, content.cluster("logistics"), "gva", "itl3", 2019)
    wm = metrics.rollup(table, store.layer("itl3")).set_index("code").loc["TLG"]
    assert metric(at, "West Midlands region: logistics (stand-in group) £m, 2019") == f"{wm['value']:,.0f}"
    assert metric(at, "West Midlands region: logistics (stand-in group) LQ").startswith(f"{wm['lq']:.2f}")
    assert any("standing in for logistics" in w.value for w in at.warning)  # the map is of the group
    assert [s.value for s in at.selectbox] == ["logistics", "gva", "2019", "class"]
    assert any("Land, water and air transport" in c.value for c in at.caption)  # the approximation caveat


def test_overview_bad_parameters_fall_back_with_notice():
    at = run(cluster="<script>alert(1)</script>", year="1066", measure="gva")
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Ignored cluster=?script?alert") for w in warnings)
    assert any("year=1066" in w for w in warnings)
    assert not any("<script>" in w for w in warnings)
    assert at.selectbox[0].value == "advanced-manufacturing"
    assert at.selectbox[2].value == "2022"  # latest GVA year


def test_cluster_map_black_country_aerospace(store, content):
    at = run("cluster", cluster="aerospace", level="itl3")
    table = metrics.cluster_table(store, content.cluster("aerospace"), "gva", "itl3", 2022)
    bc = metrics.place_total(table, content.place("black-country").areas["itl3"])
    # the GVA group is 12% aerospace: its cards name the group, never aerospace
    assert metric(at, "Black Country: SIC 28-33 group LQ vs UK, 2022") == interval_text(
        bc["lq"], bc["lq_low"], bc["lq_high"])
    assert metric(at, "Black Country: SIC 28-33 group £m, 2022") == f"{bc['value']:,.0f}"
    assert not any("aerospace" in m.label.lower() for m in at.metric)
    assert any("Serves commitment 7" in i.value for i in at.info)
    ranked = shown(at)
    regional = table[table["code"].str.startswith("TLG")]
    assert len(ranked) == 14 and ranked["LQ"].iloc[0] == f"{regional['lq'].max():.2f}"
    assert ranked["Area"].iloc[0] == regional.sort_values("lq").iloc[-1]["name"] == "Warwickshire CC"


def test_cluster_map_msoa_hotspots(store, content):
    at = run("cluster", cluster="logistics", level="msoa11", colour="hotspot")  # its Census section: 71% pure
    ranked = shown(at)
    assert len(ranked) == 735
    assert set(ranked["Gi* hotspot"]) <= {"hot spot", "cold spot", "not significant", "no data"}
    life = run("cluster", cluster="life-sciences", level="msoa11", colour="hotspot")  # 5% pure: no hotspots
    assert "Gi* hotspot" not in shown(life) and any("not given for" in i.value for i in life.info)
    table = metrics.cluster_table(store, content.cluster("life-sciences"), "workplace_pop", "msoa11")
    sb = metrics.place_total(table, content.place("south-birmingham").areas["msoa11"])
    assert metric(life, "South Birmingham: SIC 10-33, 69-75 group LQ vs England and Wales, 2011") == \
        f"{sb['lq']:.2f}"  # Census counts: exact


def test_commitments_page_evidence(store, content):
    at = run("commitments", commitment="c7")
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    results = evaluate(store, content)
    expected = [str(r.verdict).capitalize() for r in results]
    own = [str(r.verdict).capitalize() for r in results if r.commitment == "c7" and r.seed]  # beside the commitment
    assert [b.split("[", 1)[1].rstrip("]") for b in badges] == own + expected
    assert len(own) == 3 and any(t.value.startswith("Aerospace is concentrated") for t in at.text)
    assert expected == ["Supported", "Not testable with open data", "Not testable with open data",
                        "Not testable with open data", "Not supported", "Partly supported", "Partly supported",
                        "Partly supported"]
    assert any("Advanced manufacturing" in m.value for m in at.markdown)
    # automotive, aerospace and advanced manufacturing serve commitment 7; only the last is measured by its
    # borough (GVA) group (73%): the others show no number and no map under their names
    assert len(at.get("plotly_chart")) == 1
    cards = [c.value for c in at.caption if c.value.startswith("GVA, current prices by ITL3 areas: These numbers")]
    assert len(cards) == 2 and any("only 12% aerospace" in c for c in cards) and any("only 36% automotive" in c
                                                                                       for c in cards)


def test_commitment_without_clusters_says_so():
    at = run("commitments", commitment="c1")
    assert any("No cluster" in i.value for i in at.info)


def test_profile_birmingham(store, content):
    at = run("profile", level="itl3", area="TLG31", cluster="automotive")
    assert any(h.value == "Birmingham" for h in at.header)
    mix = shown(at).set_index("Cluster")
    table = metrics.cluster_table(store, content.cluster("business-services"), "gva", "itl3", 2022)
    lq = table.set_index("code").loc["TLG31", "lq"]
    assert mix.loc["Business, professional and financial services", "LQ"] == f"{lq:.2f}"
    peers = shown(at, 1)
    assert len(peers) == 5 and "TLG31" not in set(peers["Code"])
    charts = [c.proto.spec for c in at.get("plotly_chart")]
    assert any("Birmingham: cluster portfolio" in spec and "Specialised, faster" in spec for spec in charts)
    # the charts' titles and source lines are page text (they wrap on any screen)
    assert "Birmingham: cluster portfolio" in [h.value.replace("\\", "") for h in at.subheader]
    sources = [c.value.replace("\\", "") for c in at.caption if c.value.replace("\\", "").startswith("Source: ")]
    assert len(sources) == 4  # under each chart, and the page's credit


def test_profile_without_a_second_year_says_why_there_is_no_portfolio():
    at = run("profile", level="msoa11", area="E02001890", cluster="automotive")
    assert any("No cluster portfolio here" in c.value for c in at.caption)


def test_profile_bad_area_notice():
    at = run("profile", level="lad", area="E99999999")
    assert any("Ignored area=E99999999" in w.value for w in at.warning)


def test_trends_compare_up_to_ten_areas():
    areas = "TLG3,TLG1,TLG2,TLD3,TLE4,TLI3,TLK1,TLJ1,TLH1,TLF1,TLC1,TLM5"
    at = run("trends", data="employment-itl2", clusters="automotive", areas=areas, scale="absolute")
    assert any("first 10" in w.value for w in at.warning)
    shares = shown(at)
    assert len(shares) == 10
    assert list(shares.columns) == ["Area", "Start", "End", "Change", "Benchmark growth", "Industry mix", "Local",
                                    "Small count"]
    wm = shares[shares["Area"] == "West Midlands met county (WMCA area)"].iloc[0]
    assert wm["Start"] == "29,060" and wm["End"] == "28,075"


def test_methods_lists_every_source(store):
    at = run("methods")
    assert set(shown(at)["Id"]) == set(store.sources)
    assert any("Location quotient" in m.value for m in at.markdown)


def test_basemap_is_off_by_default_and_optional():
    at = run()
    assert '"style":"white-bg"' in map_figure(at).replace(" ", "")
    at = run(basemap="on")
    assert '"style":"carto-positron"' in map_figure(at).replace(" ", "")


def test_first_start_builds_the_store_with_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("LISDASH_STORE", str(tmp_path / "fresh-store"))
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    assert not at.exception
    assert (tmp_path / "fresh-store" / "facts.parquet").exists()
    assert not any("First start" in i.value for i in at.info)  # shown while it works (browser test), then gone
    assert metric(at, "West Midlands region: rank by") == "1 of 11"


def test_methods_page_documents_every_measure_level_and_source(store):
    """Docs coverage: whatever the store holds is on the Data and methods page."""
    from lisdash import vocabulary

    at = run("methods")
    sources, measures, levels = (shown(at, i) for i in range(3))
    assert set(sources["Id"]) == set(store.sources) == set(store.manifest["sources"])
    assert set(measures["Id"]) == set(vocabulary.vocabulary().measures()) >= set(store.facts["measure"].astype(str))
    assert set(levels["Id"]) == set(vocabulary.vocabulary().levels()) >= set(store.areas["level"])
    text = " ".join(m.value for m in at.markdown)
    for name in ("Location quotient", "Rounding and ranges", "Small counts", "Strength class", "Shift-share",
                 "Year-to-year stability"):
        assert name in text
    from lisdash.content.analysis import load_analysis

    rules = load_analysis()  # the consultation's rules, printed from the one file the report reads too
    for topic, sentence in rules.lines():
        assert f"**{topic}**: {sentence}" in text
    assert f"fewer than {rules.min_group} counted views" in text and f"{rules.confidence:.0%} Wilson" in text
    assert any("Data: built on" in i.value or "shipped data release" in i.value for i in at.info)


def test_trends_compares_by_default_with_areas_like_the_west_midlands(bres5):
    raw = bres5[bres5["DATE"] == 2021]  # every subclass is published for every area in 2021
    mix = raw.pivot_table(index="GEOGRAPHY_CODE", columns="INDUSTRY_CODE", values="COUNT", aggfunc="sum",
                          dropna=False).dropna(axis=1)
    shares = mix.div(mix.sum(axis=1), axis=0)
    wm = shares.loc["UKG3"]
    cosine = (shares @ wm) / (np.linalg.norm(shares, axis=1) * np.linalg.norm(wm))
    nearest = [c.replace("UK", "TL") for c in cosine.drop("UKG3").sort_values(ascending=False).index[:4]]
    at = run("trends", data="employment-itl2")
    assert at.multiselect[1].value == ["TLG3", *nearest]
    method = next(c.value for c in at.caption if c.value.startswith("Default comparison"))
    assert f"across {mix.shape[1]} SIC subclasses in 2021" in method
    assert "West Yorkshire" in method and f"{cosine[nearest[0].replace('TL', 'UK')]:.3f}" in method
    ranked = cosine.drop("UKG3").sort_values(ascending=False)
    fifth = ranked.index[4]
    assert f"{ranked[fifth]:.3f}" in method.split("The next: ")[1]  # the next four are shown too
    step = ranked.iloc[3] - ranked.iloc[4]
    assert f"the similarity falls by {step:.3f} from the 4th to the 5th" in method  # 0.925 to 0.921: not apart


def presenting(event_code: str, slide: str, presenter_code: str | None) -> AppTest:
    """A presenting screen of an event, which typed the presenter code into Tools (if given)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"mode": "present", "slide": slide, "event": event_code})
    at.run()
    if presenter_code is not None:
        at.text_input(key="presenter-code").set_value(presenter_code)
        next(b for b in at.button if b.label == "Open speaker notes").click()
        at.run()
    return at
