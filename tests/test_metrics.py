"""Metrics recomputed by hand from the raw files."""

from __future__ import annotations

import pandas as pd
import pytest

from lisdash import metrics
from lisdash.content import Cluster
from lisdash.hotspots import gi_star

MOTOR_VEHICLES = Cluster(id="motor-vehicles", name="Motor vehicles", sic=["29.10"],
                         commitments=["c4"], source="SIC 29.10")


def test_lq_motor_vehicles_west_midlands_itl2_2021(store, bres5):
    raw = bres5[bres5["DATE"] == 2021]
    e_ic = raw[(raw["GEOGRAPHY_CODE"] == "UKG3") & (raw["INDUSTRY_CODE"] == "29100")]["COUNT"].sum()
    e_i = raw[raw["GEOGRAPHY_CODE"] == "UKG3"]["COUNT"].sum()
    big_e_c = raw[raw["INDUSTRY_CODE"] == "29100"]["COUNT"].sum()
    big_e = raw["COUNT"].sum()
    expected = (e_ic / e_i) / (big_e_c / big_e)
    assert e_ic == 15000  # SOURCES.md spot check: 29100 in UKG3 in 2021

    table = metrics.cluster_table(store, MOTOR_VEHICLES, "employment", "itl2", 2021)
    row = table.set_index("code").loc["TLG3"]
    assert row["value"] == 15000
    assert row["total"] == e_i == 1304965  # SOURCES.md: UKG3 sum of 5-digit cells in 2021
    assert row["lq"] == pytest.approx(expected, rel=1e-12)
    assert table.attrs["source"] == "bres_itl2_5digit"
    assert table.attrs["industry_level"] == "subclass"
    assert table.attrs["caveat"] is None


def test_automotive_cluster_lq_in_west_midlands(store, content, bres5):
    raw = bres5[bres5["DATE"] == 2021]
    codes = raw["INDUSTRY_CODE"].str.startswith(("2910", "2920", "2931", "2932"))
    wm = raw["GEOGRAPHY_CODE"] == "UKG3"
    expected = (raw[wm & codes]["COUNT"].sum() / raw[wm]["COUNT"].sum()) / (
        raw[codes]["COUNT"].sum() / raw["COUNT"].sum())
    table = metrics.cluster_table(store, content.cluster("automotive"), "employment", "itl2", 2021)
    row = table.set_index("code").loc["TLG3"]
    assert row["lq"] == pytest.approx(expected)
    assert row["lq"] > 4  # the Midlands really is "bright red" for automotive
    assert row["class"] == "strong"
    assert set(table.attrs["codes"]) == {"29100", "29201", "29202", "29203", "29310", "29320"}


def test_itl3_gva_share_birmingham(store, content, mirror):
    raw = pd.read_csv(mirror / "employment/Table 3c ITL3 current price estimates pounds million 2024.csv",
                      encoding="utf-8-sig", thousands=",")
    brum = raw[raw["ITL code"] == "TLG31"].set_index("SIC07 code")["2022"]
    assert brum["Total"] == 32013  # SOURCES.md spot check
    expected = brum["CK-CL (28-30)"] / brum["Total"]
    table = metrics.cluster_table(store, content.cluster("automotive"), "gva", "itl3", 2022)
    row = table.set_index("code").loc["TLG31"]
    assert row["value"] == brum["CK-CL (28-30)"]
    assert row["share"] == pytest.approx(expected)
    assert "machinery and transport equipment" in table.attrs["caveat"]


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
    assert table.attrs["national_total"] == 26414207  # England and Wales total


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
    assert abs(gb_2021 - 31.37e6) < 0.01e6  # SOURCES.md: GB sum of all cells 31.37m in 2021
    div = facts[(facts["source"] == "bres_itl2_2digit") & (facts["area_code"] == "TLG3")
                & (facts["year"] == 2021) & (facts["industry_code"] == "TOTAL")]["value"].iloc[0]
    five = bres[(bres["area_code"] == "TLG3") & (bres["year"] == 2021)]["value"].iloc[0]
    assert div == 1307455 and five == 1304965
    assert abs(div - five) / div < 0.005  # 2-digit and 5-digit agree within rounding
    gva = facts[(facts["source"] == "gva_itl3_current") & (facts["year"] == 2022)]
    total = gva[gva["industry_code"] == "TOTAL"]["value"].sum()
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
    table = metrics.cluster_table(store, content.cluster("aerospace"), "gva", "itl3", 2022)
    p75, q25 = table["lq"].quantile(0.75), table["value"].quantile(0.25)
    strong = table[table["class"] == "strong"]
    assert ((strong["lq"] >= p75) & (strong["lq"] >= 1) & (strong["value"] > q25)).all()
    rest = table[table["class"] != "strong"]
    assert not ((rest["lq"] >= p75) & (rest["lq"] >= 1) & (rest["value"] > q25)).any()
    assert "US Cluster Mapping" in table.attrs["class_rule"]


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
    assert table.attrs["industry_level"] == "broad_group"
    assert table.attrs["codes"] == ["58-63", "90-99"]
    assert "arts" in table.attrs["caveat"]


def test_place_total_black_country(store, content):
    table = metrics.cluster_table(store, content.cluster("aerospace"), "gva", "itl3", 2022)
    codes = content.place("black-country").areas["itl3"]
    combined = metrics.place_total(table, codes)
    rows = table[table["code"].isin(codes)]
    assert combined["value"] == rows["value"].sum()
    assert combined["lq"] == pytest.approx(
        (rows["value"].sum() / rows["total"].sum()) / (table["value"].sum() / table["total"].sum()))
