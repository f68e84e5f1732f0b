"""The built store: levels, code-vintage joins, geometry and the industry hierarchy."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

WM_REGION = "E12000005"  # the West Midlands region (ONS code), as lis_data/region.yaml names it

LEVELS = {"uk", "gb", "region", "itl1", "itl2", "itl3", "lad", "msoa11", "msoa21", "ward", "lep", "ca"}


def test_every_level_is_present(store):
    assert set(store.areas["level"]) == LEVELS
    counts = store.areas.groupby(["level", "extent"]).size()
    assert counts[("itl3", "national")] == 179
    assert counts[("lad", "national")] == 374
    assert counts[("lad", "regional")] == 30
    assert counts[("msoa11", "regional")] == 735 and counts[("msoa21", "regional")] == 736
    assert counts[("ward", "regional")] == 754
    assert {"employment", "gva", "gva_cvm", "local_units", "enterprises", "workplace_pop"} <= set(
        store.facts["measure"].astype(str))


def test_bres_nuts2016_codes_join_all_40_itl2_boundaries(store, bres5):
    raw_codes = set(bres5["GEOGRAPHY_CODE"])
    assert len(raw_codes) == 40 and "UKG3" in raw_codes
    itl2 = store.layer("itl2").set_index("code")
    for code in raw_codes:
        assert "TL" + code[2:] in itl2.index, code
    names = bres5.drop_duplicates("GEOGRAPHY_CODE").set_index("GEOGRAPHY_CODE")["GEOGRAPHY_NAME"]
    assert itl2.loc["TLG3", "name"] == names["UKG3"] == "West Midlands"
    same_name = sum(itl2.loc["TL" + c[2:], "name"] == n for c, n in names.items())
    assert same_name >= 36  # a few ITL names were reworded in 2021; the codes still match one to one
    emp = store.measure_facts("employment", "itl2")
    assert set(emp["area_code"]) == {"TL" + c[2:] for c in raw_codes}


def test_msoa11_data_joins_msoa11_boundaries(store):
    wm = set(store.layer("msoa11", "regional")["code"])
    data = set(store.measure_facts("workplace_pop", "msoa11")["area_code"])
    assert wm <= data
    assert len(data) == 7201


def test_lad_codes_harmonised_to_2021_boundaries(store, mirror):
    raw = pd.read_excel(mirror / "employment/ukbusinessworkbook2021.xlsx", sheet_name="Table 16", header=None)
    raw = raw.set_index(0)
    old_north = ["E07000150", "E07000152", "E07000153", "E07000156"]  # Corby, E Northants, Kettering, Wellingborough
    expected = raw.loc[old_north, 19].sum()
    facts = store.measure_facts("local_units", "lad")
    north = facts[(facts["area_code"] == "E06000061") & (facts["industry_code"] == "TOTAL")].iloc[0]
    assert north["value"] == expected and north["derived"]
    assert set(facts["area_code"]) == set(store.layer("lad")["code"])
    assert facts[(facts["area_code"] == "E08000025") & (facts["industry_code"] == "TOTAL")]["value"].iloc[0] == 44190


def test_parents_of_west_midlands_areas(store):
    lad = store.layer("lad", "regional").set_index("code")
    brum = lad.loc["E08000025"]
    assert (brum["itl3"], brum["itl2"], brum["region"], brum["ca"], brum["lep"]) == (
        "TLG31", "TLG3", WM_REGION, "E47000007", "E37000012")
    assert lad.loc["E08000027", "lep"] == "E37000001"  # Dudley in the Black Country LEP
    msoa = store.layer("msoa11", "regional")
    assert (msoa["region"] == WM_REGION).all() and msoa["lad"].notna().all()
    itl3 = store.layer("itl3").set_index("code")
    assert itl3.loc["TLG31", "ca"] == "E47000007" and pd.isna(itl3.loc["TLG12", "ca"])


def test_geometry_is_valid_simplified_and_keeps_shared_borders(store, mirror):
    areas = store.areas[store.areas.geometry.notna()]
    assert areas.crs.to_epsg() == 4326
    assert areas.geometry.is_valid.all()
    raw = gpd.read_file(mirror / "boundaries/derived/WM_region_msoa11_bgc_merged.geojson")
    simplified = store.layer("msoa11", "regional")
    assert shapely.get_num_coordinates(simplified.geometry.values).sum() < 0.5 * \
        shapely.get_num_coordinates(raw.geometry.values).sum()
    for level in ("lad", "msoa11", "ward"):
        layer = store.layer(level, "regional").to_crs(27700)
        union = shapely.union_all(layer.geometry.values)
        overlap = layer.area.sum() - union.area
        assert overlap / union.area < 1e-4, f"{level}: simplified areas overlap"
        holes = sum(shapely.get_num_interior_rings(g) for g in shapely.get_parts(union))
        assert holes == 0, f"{level}: simplification opened gaps between neighbours"
    raw_area = raw.to_crs(27700).area.sum()
    assert abs(store.layer("msoa11", "regional").to_crs(27700).area.sum() - raw_area) / raw_area < 0.005


def test_industry_hierarchy(store):
    counts = store.industries.groupby("industry_level").size()
    assert counts["subclass"] == 729 and counts["class"] == 615 and counts["division"] == 88
    assert counts["group"] == 272 and counts["section"] == 22  # 21 sections + Census "R-S"
    sub = store.industries[store.industries["industry_level"] == "subclass"].set_index("code")
    assert sub.loc["29100", "class"] == "29.10" and sub.loc["29100", "section"] == "C"
    assert sub.loc["62011", "name"].startswith("Ready-made interactive leisure")


def test_the_2_digit_file_leaves_out_the_scottish_agriculture_break_like_the_5_digit_file(store, mirror):
    """The 5-digit file leaves 01000 (farm agriculture) unpublished for Scotland in 2015-2017; the 2-digit file
    publishes division 01 there as numbers that break in 2018 (TLM6, Southern Scotland: 500 in 2017, 23,000 in
    2018). Both sources' totals leave the gap out, so their growth compares like with like."""
    assert store.manifest["excluded_from_totals"] == {"bres_itl2_5digit": ["01000"], "bres_itl2_2digit": ["01"]}
    raw = pd.read_csv(mirror / "employment/bres_itl2/ITL2_Employment_countandpercent2digitSIC_BRESopen15to21.csv",
                      dtype={"INDUSTRY_CODE": str})
    south = raw[raw["GEOGRAPHY_CODE"] == "UKM6"]
    farming = south[south["INDUSTRY_CODE"] == "01"].set_index("DATE")["COUNT"]
    assert farming[2017] < 1_000 < 20_000 < farming[2018]  # the break, as published
    expected = south[south["INDUSTRY_CODE"] != "01"].groupby("DATE")["COUNT"].sum()
    facts = store.facts
    totals = facts[(facts["source"] == "bres_itl2_2digit") & (facts["industry_code"] == "TOTAL")
                   & (facts["area_code"] == "TLM6")].set_index("year")["value"]
    assert totals.sort_index().tolist() == expected.sort_index().tolist()
