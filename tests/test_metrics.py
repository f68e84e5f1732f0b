"""Metrics recomputed by hand from the raw files."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from lisdash import metrics, views
from lisdash.content import Cluster
from lisdash.metrics import provenance_of
from lisdash.metrics.hotspots import gi_star

MOTOR_VEHICLES = Cluster(id="motor-vehicles", name="Motor vehicles", sic=["29.10"],
                         commitments=["c4"], source="SIC 29.10")


def consistent(raw: pd.DataFrame) -> pd.DataFrame:
    """The raw BRES cells on one industry basis: codes unpublished anywhere (01000 in Scotland) dropped."""
    unpublished = set(raw.loc[raw["COUNT"].isna(), "INDUSTRY_CODE"])
    assert unpublished == {"01000"}  # SOURCES.md: 15 NA cells, all 01000, UKM5-UKM9, 2015-2017
    return raw[~raw["INDUSTRY_CODE"].isin(unpublished)]


def test_lq_motor_vehicles_west_midlands_itl2_2021(store, bres5):
    raw = consistent(bres5)
    raw = raw[raw["DATE"] == 2021]
    e_ic = raw[(raw["GEOGRAPHY_CODE"] == "UKG3") & (raw["INDUSTRY_CODE"] == "29100")]["COUNT"].sum()
    e_i = raw[raw["GEOGRAPHY_CODE"] == "UKG3"]["COUNT"].sum()
    big_e_c = raw[raw["INDUSTRY_CODE"] == "29100"]["COUNT"].sum()
    big_e = raw["COUNT"].sum()
    expected = (e_ic / e_i) / (big_e_c / big_e)
    assert e_ic == 15000  # SOURCES.md spot check: 29100 in UKG3 in 2021

    table = metrics.cluster_table(store, MOTOR_VEHICLES, "employment", "itl2", 2021)
    row = table.set_index("code").loc["TLG3"]
    assert row["value"] == 15000
    ukg3_01000 = bres5[(bres5["DATE"] == 2021) & (bres5["GEOGRAPHY_CODE"] == "UKG3")
                       & (bres5["INDUSTRY_CODE"] == "01000")]["COUNT"].sum()
    assert row["total"] == e_i == 1304965 - ukg3_01000  # SOURCES.md: UKG3 sum of 5-digit cells in 2021
    assert row["lq"] == pytest.approx(expected, rel=1e-12)
    assert provenance_of(table).source == "bres_itl2_5digit"
    assert provenance_of(table).industry_level == "subclass"
    assert provenance_of(table).caveat is None


def test_automotive_cluster_lq_in_west_midlands(store, content, bres5):
    raw = consistent(bres5)
    raw = raw[raw["DATE"] == 2021]
    codes = raw["INDUSTRY_CODE"].str.startswith(("2910", "2920", "2931", "2932"))
    wm = raw["GEOGRAPHY_CODE"] == "UKG3"
    expected = (raw[wm & codes]["COUNT"].sum() / raw[wm]["COUNT"].sum()) / (
        raw[codes]["COUNT"].sum() / raw["COUNT"].sum())
    table = metrics.cluster_table(store, content.cluster("automotive"), "employment", "itl2", 2021)
    row = table.set_index("code").loc["TLG3"]
    assert row["lq"] == pytest.approx(expected)
    assert row["lq"] > 4  # the Midlands really is "bright red" for automotive
    assert row["class"] == "strong"
    assert set(provenance_of(table).codes) == {"29100", "29201", "29202", "29203", "29310", "29320"}


def test_itl3_gva_share_birmingham(store, content, mirror):
    raw = pd.read_csv(mirror / "employment/Table 3c ITL3 current price estimates pounds million 2024.csv",
                      encoding="utf-8-sig", thousands=",")
    brum = raw[raw["ITL code"] == "TLG31"].set_index("SIC07 code")["2022"]
    assert brum["Total"] == 32013  # SOURCES.md spot check
    # LQ denominators leave out owner-occupiers' imputed rental (68IMP): output of no business or job
    expected = brum["CK-CL (28-30)"] / (brum["Total"] - brum["68IMP"])
    table = metrics.cluster_table(store, content.cluster("automotive"), "gva", "itl3", 2022)
    row = table.set_index("code").loc["TLG31"]
    assert row["value"] == brum["CK-CL (28-30)"]
    assert row["total"] == brum["Total"] - brum["68IMP"] == 29909
    assert row["share"] == pytest.approx(expected)
    assert "machinery and transport equipment" in provenance_of(table).caveat
    uk = raw[raw["ITL code"].str.len() == 5]
    imputed = uk[uk["SIC07 code"] == "68IMP"]["2022"].sum() / uk[uk["SIC07 code"] == "Total"]["2022"].sum()
    assert 0.08 < imputed < 0.10  # about 9% of UK GVA, the figure


def test_msoa11_workplace_count(store, content, mirror):
    raw = pd.read_csv(mirror / "employment/census2011/workplace_popCensus2011_MSOA_bySICcode_20sections.csv")
    code = raw["2011 super output area - middle layer"].str[:9]
    row = raw[code == "E02001827"].iloc[0]  # Birmingham 001
    table = metrics.cluster_table(store, content.cluster("automotive"), "workplace_pop", "msoa11")
    got = table.set_index("code").loc["E02001827"]
    assert got["value"] == row["C Manufacturing"]
    assert got["total"] == row["All categories: Industry"]
    birmingham = table[table["name"].str.startswith("Birmingham ")]
    assert len(birmingham) == 132 and birmingham["total"].sum() == 488095  # SOURCES.md
    assert birmingham["value"].sum() == 40693
    assert provenance_of(table).benchmark.total == 26414207  # England and Wales total


def test_area_totals_reconcile_with_national_totals(store):
    """Sums of areas match published national totals within the published rounding."""
    facts = store.facts
    units = facts[(facts["source"] == "business_counts_local_units") & (facts["industry_code"] == "TOTAL")]
    lads = units[units["level"] == "lad"]["value"].sum()
    uk = units[units["level"] == "uk"]["value"].iloc[0]
    assert uk == 3222115
    assert abs(lads - uk) <= 5 * 7  # seven Northamptonshire districts summed, each rounded to 5
    bres = facts[(facts["source"] == "bres_itl2_5digit") & (facts["industry_code"] == "TOTAL")]
    gb_2021 = bres[bres["year"] == 2021]["value"].sum()
    assert abs(gb_2021 - 30.94e6) < 0.01e6  # SOURCES.md: 31.37m in all cells; less SIC 01000 (0.43m)
    div = facts[(facts["source"] == "bres_itl2_2digit") & (facts["area_code"] == "TLG3")
                & (facts["year"] == 2021) & (facts["industry_code"] == "TOTAL")]["value"].iloc[0]
    five = bres[(bres["area_code"] == "TLG3") & (bres["year"] == 2021)]["value"].iloc[0]
    assert div == 1306655 and five == 1304265  # the 2-digit total leaves out division 01 (the Scottish break)
    assert abs(div - five) / div < 0.005  # 2-digit and 5-digit agree within rounding
    gva = facts[(facts["source"] == "gva_itl3_current") & (facts["year"] == 2022)]
    total = gva[gva["industry_code"] == "TOTAL"]["value"].sum() + gva[gva["industry_code"] == "68IMP"]["value"].sum()
    parts = gva[gva["industry_code"].isin(["A-E", "F", "G-T"])]["value"].sum()
    assert abs(total - parts) / total < 0.001  # balanced GVA: sectors add up within £1m rounding


def test_shift_share_parts_add_up(store, content):
    table = metrics.shift_share(store, content.cluster("automotive"), "employment", "itl2", 2015, 2021)
    parts = table[["national_growth", "industry_mix", "local"]].sum(axis=1)
    assert (parts - table["change"]).abs().max() < 1e-6
    wm = table.set_index("code").loc["TLG3"]
    assert wm["value_start"] == 29060 and wm["value_end"] == 28075  # SOURCES.md 29xxx sums


def test_change_percent(store, content):
    table = metrics.change_table(store, MOTOR_VEHICLES, "employment", "itl2", 2015, 2021)
    wm = table.set_index("code").loc["TLG3"]
    assert wm["value_start"] == 18000 and wm["value_end"] == 15000
    assert wm["change_pct"] == pytest.approx(-100 / 6)


def test_strength_class_rule(store, content):
    table = metrics.cluster_table(store, content.cluster("advanced-manufacturing"), "gva", "itl3", 2022)  # 73% pure
    p75, q25 = table["lq"].quantile(0.75), table["value"].quantile(0.25)
    uncertain = (table["lq_low"] <= 1) & (table["lq_high"] >= 1) | (table["value"] < 20)  # GVA minimum £20m
    assert (table["class"] == "uncertain").tolist() == uncertain.tolist()
    strong = table[table["class"] == "strong"]
    assert ((strong["lq"] >= p75) & (strong["lq"] >= 1) & (strong["value"] > q25)).all()
    rest = table[(table["class"] != "strong") & ~uncertain]
    assert not ((rest["lq"] >= p75) & (rest["lq"] >= 1) & (rest["value"] > q25)).any()
    assert "US Cluster Mapping" in provenance_of(table).class_rule


def test_gi_star_hotspots_in_the_region(store, content):
    table = metrics.cluster_table(store, content.cluster("automotive"), "employment", "itl2", 2021)
    hot = gi_star(store.layer("itl2", "national"), table).set_index("code")
    assert hot.loc["TLG3", "hotspot"] == "hot spot"
    assert hot.loc["TLG3", "gi_p"] < 0.05
    assert "TLN0" not in hot.index  # Northern Ireland has no BRES and no land neighbour
    msoa = metrics.cluster_table(store, content.cluster("automotive"), "workplace_pop", "msoa11")
    regional = gi_star(store.layer("msoa11", "regional"), msoa)
    assert len(regional) == 735
    assert set(regional["hotspot"]) <= {"hot spot", "cold spot", "not significant"}


def test_coarse_source_carries_caveat(store, content):
    table = metrics.cluster_table(store, content.cluster("creative"), "local_units", "lad")
    assert provenance_of(table).industry_level == "broad_group"
    assert provenance_of(table).codes == ("58-63", "90-99")
    assert "arts" in provenance_of(table).caveat


def test_place_total_black_country(store, content):
    table = metrics.cluster_table(store, content.cluster("aerospace"), "gva", "itl3", 2022)
    codes = content.place("black-country").areas["itl3"]
    combined = metrics.place_total(table, codes)
    rows = table[table["code"].isin(codes)]
    assert combined["value"] == rows["value"].sum()
    assert combined["lq"] == pytest.approx(
        (rows["value"].sum() / rows["total"].sum()) / (table["value"].sum() / table["total"].sum()))
    assert combined["lq_low"] < combined["lq"] < combined["lq_high"]


def test_shift_share_adds_up_in_every_area_including_a_zero_start(store, content):
    table = metrics.shift_share(store, content.cluster("games"), "employment", "itl2", 2015, 2021)
    zero = table.set_index("code").loc["TLM5"]
    assert zero["value_start"] == 0 and zero["value_end"] == 10
    assert (zero["national_growth"], zero["industry_mix"], zero["local"]) == (0, 0, 10)
    parts = table[["national_growth", "industry_mix", "local"]].sum(axis=1)
    assert len(table) == 40 and (parts - table["change"]).abs().max() < 1e-9


def test_growth_is_on_one_industry_basis(store, content, bres5):
    """SIC 01000 is unpublished for five Scottish areas in 2015-2017: left out of every year, not read as 0."""
    raw = bres5[bres5["INDUSTRY_CODE"] != "01000"]
    expected = raw[raw["DATE"] == 2021]["COUNT"].sum() / raw[raw["DATE"] == 2015]["COUNT"].sum() - 1
    assert expected == pytest.approx(0.0532, abs=5e-5)  # 5.32%, not the 5.48% of all cells
    table = metrics.shift_share(store, content.cluster("automotive"), "employment", "itl2", 2015, 2021)
    assert provenance_of(table).national_rate == pytest.approx(expected)
    assert store.manifest["excluded_from_totals"] == {"bres_itl2_5digit": ["01000"], "bres_itl2_2digit": ["01"]}


def test_a_missing_cell_makes_a_missing_value_not_a_smaller_one(store):
    farming = Cluster(id="farming", name="Farming", sic=["01"], commitments=["c8"], source="division 01")
    y2015 = metrics.cluster_table(store, farming, "employment", "itl2", 2015).set_index("code")
    assert pd.isna(y2015.loc["TLM5", "value"]) and y2015.loc["TLM5", "missing_cells"] == 1
    assert y2015.loc["TLM5", "class"] == "no data"
    y2021 = metrics.cluster_table(store, farming, "employment", "itl2", 2021).set_index("code")
    assert y2021.loc["TLM5", "value"] > 0 and y2021.loc["TLM5", "missing_cells"] == 0


def test_gva_peers_use_leaf_groups_only(store):
    shares = metrics.industry_shares(store, "gva", "itl3")
    leaves = store.industries[(store.industries["industry_level"] == "gva_industry") & store.industries["leaf"]]
    assert set(shares.columns) == set(leaves["code"]) - {"68IMP"}
    assert not {"A-E", "C", "G-T", "TOTAL"} & set(shares.columns)
    assert (shares.sum(axis=1) - 1).abs().max() < 1e-9  # nothing counted twice
    peers = metrics.peers(store, "gva", "itl3", "TLG31")
    assert peers["similarity"].max() < 0.99


def test_profile_caveat_names_every_stand_in(store, content):
    from lisdash import views

    view = views.profile_view(store, content, "TLG31", "itl3", "automotive")
    for _, row in view.mix.iterrows():
        if not row["exact"] and row["measures"]:
            assert f"{row['cluster_name']} is shown through a stand-in group" in view.caveat
        elif not row["exact"]:  # a group mostly of other industries is named as itself, with the cluster's share
            assert row["subject"] in view.caveat and "Not drawn, and given no rank or class" in view.caveat
        if row["caveat"]:
            assert row["caveat"] in view.caveat


def test_no_stand_in_group_is_titled_as_the_cluster(store, content):
    """Business counts show five clusters through 'Production (05-39)': every map names the group first."""
    from lisdash import views

    geo = views.store_geo(store)
    production = []
    for cluster in content.clusters:
        try:
            view = views.national_view(store, content, cluster.id, "local_units", 2021, "lq", geo)
        except metrics.MetricError:
            continue
        prov = view.provenance
        title = view.figure.layout.title.text.replace(" <br>", " ")  # long titles wrap
        note = view.figure.layout.annotations[0].text.replace("<br>", " ")
        relation = ("standing in for " if prov.measures_cluster else
                    f"of which {prov.proxy.share:.0%} is ") + cluster.name.lower()
        if prov.exact:
            assert title == cluster.name
        elif len(textwrap.wrap(prov.label, 64)) <= 3:  # a title of three lines at most
            assert title == f"{prov.subject}, {relation}"
            assert not note.startswith(("Stand-in group", "The groups"))
        else:  # too long to title a map: the group by its number and codes, every group named under the map
            assert title == (f"{len(prov.codes)} business-count broad groups ({prov.subject.rsplit(' (', 1)[1]}, "
                             f"{relation}")
            assert note.startswith(f"Stand-in group: {prov.subject}." if prov.measures_cluster
                                   else f"The groups: {prov.subject}.")
        assert not title.startswith(cluster.name) or prov.exact
        if prov.codes == ("05-39",):
            production.append(cluster.id)
    assert production == ["automotive", "aerospace", "future-mobility", "advanced-manufacturing", "low-carbon"]


def test_a_stand_in_group_too_long_for_a_map_title_is_titled_by_its_codes_and_named_in_full_below(store, content):
    """Eight ONS GVA groups stand in for business services on the ITL3 map: the title names them by number and
    SIC codes (the group, not the cluster, comes first), the note under the map names every group."""
    view = views.region_view(store, content, "business-services", "itl3", None, "lq", views.store_geo(store))
    prov = view.provenance
    assert not prov.exact and prov.industry_level == "gva_industry" and len(prov.codes) == 8
    title = view.figure.layout.title.text.replace(" <br>", " ")
    assert title == ("8 ONS GVA groups (SIC 64-66, 69-74, 78-80, 82), standing in for business, professional and "
                     "financial services")
    assert prov.subject.endswith("(SIC 64-66, 69-74, 78-80, 82)") and len(prov.label) > 3 * 64
    assert view.figure.layout.annotations[0].text.replace("<br>", " ").startswith(f"Stand-in group: {prov.subject}.")
    assert view.source.startswith("Source:")  # the page's own source line is unchanged


def test_portfolio_of_the_met_county_and_the_region_recomputed_from_the_raw_file(store, content, bres5):
    """Bubble position = (LQ 2021, growth 2015-2021 minus the cluster's GB growth), size = jobs 2021."""
    raw = consistent(bres5)
    automotive = raw["INDUSTRY_CODE"].str.startswith(("2910", "2920", "2931", "2932"))

    def jobs(year: int, places: tuple[str, ...] | None = None, cluster: bool = True) -> float:
        cells = raw[(raw["DATE"] == year) & (automotive if cluster else True)]
        return cells[cells["GEOGRAPHY_CODE"].isin(places)]["COUNT"].sum() if places else cells["COUNT"].sum()

    for places, codes in ((("UKG3",), ["TLG3"]), (("UKG1", "UKG2", "UKG3"), ["TLG1", "TLG2", "TLG3"])):
        lq = (jobs(2021, places) / jobs(2021, places, cluster=False)) / (jobs(2021) / jobs(2021, cluster=False))
        local = 100 * (jobs(2021, places) / jobs(2015, places) - 1)
        national = 100 * (jobs(2021) / jobs(2015) - 1)
        row = metrics.portfolio(store, content.clusters, "employment", "itl2", codes).set_index("cluster").loc[
            "automotive"]
        assert row["value"] == jobs(2021, places)
        assert row["lq"] == pytest.approx(lq, rel=1e-12)
        assert row["relative_growth_pp"] == pytest.approx(local - national, rel=1e-12)
        assert row["national_growth_pct"] == pytest.approx(national, rel=1e-12)
    met = metrics.portfolio(store, content.clusters, "employment", "itl2", ["TLG3"]).set_index("cluster")
    assert met.loc["automotive", "value"] == 28075 and met.loc["automotive", "quadrant"] == "Specialised, slower"
    # growth with its rounding range, from the raw cells; the relative range and the start-year count
    grown = 100 * (jobs(2021, ("UKG3",)) / jobs(2015, ("UKG3",)) - 1)
    auto = met.loc["automotive"]
    assert auto["growth_pct"] == pytest.approx(grown) and auto["growth_low"] < grown < auto["growth_high"]
    assert auto["relative_high"] < 0 and not auto["marked"]  # its whole range is slower: a solid bubble
    assert (auto["holds"], auto["start_years"]) == (4, 6)
    creative = met.loc["creative"]  # -1.0 pp, but its range (-6.1 to +4.3 pp) crosses 0: hollow
    assert creative["relative_low"] < 0 < creative["relative_high"] and bool(creative["marked"])
    region = metrics.portfolio(store, content.clusters, "employment", "itl2", ["TLG1", "TLG2", "TLG3"])
    region = region.set_index("cluster")
    assert region.loc["advanced-manufacturing", "value"] == 112405  # the overview's headline, the same sum
    assert region.loc["automotive", "quadrant"] == "Specialised, faster"
    assert bool(region.loc["games", "marked"])  # 890 jobs in 2015: a small count, drawn hollow
    farming = Cluster(id="farming", name="Farming", sic=["01"], commitments=["c8"], source="division 01")
    scotland = metrics.portfolio(store, [farming], "employment", "itl2", ["TLM5", "TLM9"]).iloc[0]
    assert pd.isna(scotland["growth_pct"]) and scotland["quadrant"] is None  # 2015 cell unpublished: no growth
