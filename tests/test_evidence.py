"""The evidence check: verdict rules at their boundaries, and every claim's verdict on the real data."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from lisdash.cli import main
from lisdash.evidence import RULES, Verdict, evaluate

V = Verdict


@pytest.fixture(scope="module")
def results(store, content):
    return {r.id: r for r in evaluate(store, content)}


def test_cli_lists_every_claim_with_its_checks(capsys, content):
    assert main(["evidence", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in records] == [c.id for c in content.claims]
    for record in records:
        assert record["claim"] and record["verdict"] in {v.value for v in V} and record["reason"]
        assert all({"eligible", "eligibility", "reason", "verdict", "lq", "lq_low", "lq_high"} <= set(c)
                   for c in record["checks"])
        deciding = [c for c in record["checks"] if c["decides"]]
        if record["verdict"] == V.NOT_TESTABLE:
            assert not deciding and record["would_test"] and not any(c["eligible"] for c in record["checks"])
        else:
            assert len(deciding) == 1 and deciding[0]["eligible"] and deciding[0]["index"] == record["decisive_check"]
        for check in record["checks"]:
            assert check["eligible"] or check["verdict"] is None  # a check that cannot test gives no verdict
    assert main(["evidence", "--format", "csv"]) == 0
    import io

    rows = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert len(rows) == sum(len(c.checks) for c in content.claims)


def test_no_verdict_from_a_check_of_another_place_or_a_thin_proxy(results, store, content):
    from lisdash.evidence.geography import place_codes

    for result in results.values():
        place = content.place(result.place)
        for check in result.checks:
            own = sorted(check.areas) == sorted(place_codes(store, place, check.level))
            assert check.eligible == (own and (check.exact or check.proxy_share >= RULES.proxy_min_share))


def test_automotive_is_supported_by_its_own_jobs(results, bres5):
    raw = bres5[(bres5["DATE"] == 2021) & (bres5["INDUSTRY_CODE"] != "01000")]
    auto = raw["INDUSTRY_CODE"].str[:4].isin(["2910", "2920", "2931", "2932"])
    wm = raw["GEOGRAPHY_CODE"] == "UKG3"
    lq = (raw[wm & auto]["COUNT"].sum() / raw[wm]["COUNT"].sum()) / (raw[auto]["COUNT"].sum() / raw["COUNT"].sum())
    result = results["automotive-concentration"]
    assert result.verdict == V.SUPPORTED and result.decisive == 0
    check = result.checks[0]
    assert check.lq == pytest.approx(lq) and check.lq_low > RULES.supported_lq
    assert (check.rank, check.of) == (2, 40)
    assert f"LQ {lq:.2f}" in result.reason and "times the same share in Great Britain" in result.reason
    assert not result.checks[1].eligible and "only 36% automotive" in result.checks[1].eligibility


def test_aerospace_in_the_black_country_is_not_testable(results, bres5):
    result = results["aerospace-black-country"]
    assert result.verdict == V.NOT_TESTABLE and result.decisive is None
    met, gva, units = result.checks
    assert "not Black Country" in met.eligibility
    raw = bres5[bres5["DATE"] == 2021]
    div = raw["INDUSTRY_CODE"].str[:2].astype(int)
    share = raw[raw["INDUSTRY_CODE"].str[:4].isin(["3030", "3316"])]["COUNT"].sum() / \
        raw[(div >= 28) & (div <= 33)]["COUNT"].sum()
    assert gva.proxy_share == pytest.approx(share) and f"only {share:.0%} aerospace" in gva.eligibility
    assert gva.rank is None and "is not ranked among single areas" in gva.reason  # like with like only
    assert "BRES employment for SIC 30.30, 33.16 by local authority districts" in result.would_test
    assert "lisdash fetch nomis" in result.reason


def test_life_sciences_in_south_birmingham_is_not_testable(results):
    result = results["life-sciences-south-birmingham"]
    assert result.verdict == V.NOT_TESTABLE
    census = result.checks[1]
    assert not census.eligible and census.proxy_share < 0.1 and census.rank is None
    assert "by MSOAs or wards covering South Birmingham" in result.would_test


def _creative(bres5, content):
    classes = {code.replace(".", "") for code in content.cluster("creative").sic}
    return bres5["INDUSTRY_CODE"].str[:4].isin(classes)


def test_creative_growth_against_its_benchmark_and_non_overlapping_clusters(results, bres5, content):
    raw = bres5[bres5["INDUSTRY_CODE"] != "01000"]
    creative = raw[_creative(raw, content)]
    by = creative.groupby(["GEOGRAPHY_CODE", "DATE"])["COUNT"].sum().unstack()
    local = 100 * (by.loc["UKG3", 2021] / by.loc["UKG3", 2015] - 1)
    gb = 100 * (by[2021].sum() / by[2015].sum() - 1)
    result = results["creative-fastest-growing"]
    check = next(c for c in result.checks if c.rank_among == "non-overlapping clusters")
    assert check.growth_pct == pytest.approx(local) == pytest.approx(11.22, abs=0.01)
    assert check.benchmark_growth_pct == pytest.approx(gb) == pytest.approx(12.21, abs=0.01)
    assert check.comparators == ["Automotive", "Low carbon and energy", "Logistics"]  # no overlaps, 5,000+ jobs
    assert "Business, professional and financial services" not in check.comparators  # shares 7 classes
    assert set(check.rank_by_start) == {2015, 2016, 2017, 2018, 2019, 2020}
    assert check.rank == check.rank_by_start[2015] == 2
    assert result.verdict == V.NOT_SUPPORTED


@pytest.mark.parametrize("scheme, width", [("divisions", 2), ("sections", None)])
def test_creative_against_every_division_and_section_of_the_economy(results, bres5, content, store, scheme, width):
    """Recomputed from the raw file: each division or section of UKG3 without creative's subclasses, 5,000+ jobs
    in 2015, against creative's own growth 2015-2021."""
    met = bres5[bres5["GEOGRAPHY_CODE"] == "UKG3"]
    rest = met[~_creative(met, content)]
    if width:
        part = rest["INDUSTRY_CODE"].str[:width]
    else:
        sub = store.industries[store.industries["industry_level"] == "subclass"].set_index("code")["section"]
        part = rest["INDUSTRY_CODE"].map(sub)
    by = rest.groupby([part, "DATE"])["COUNT"].sum().unstack()
    by = by[by[2015] >= 5000]
    others = 100 * (by[2021] / by[2015] - 1)
    own = met[_creative(met, content)].groupby("DATE")["COUNT"].sum()
    creative = 100 * (own[2021] / own[2015] - 1)
    check = next(c for c in results["creative-fastest-growing"].checks if c.rank_among.startswith(f"SIC {scheme}"))
    assert check.growth_pct == pytest.approx(creative)
    assert (check.rank, check.of) == (1 + int((others > creative).sum()), len(others) + 1)
    fastest = others.sort_values(ascending=False)
    assert check.comparators[0].startswith(f"{fastest.index[0]} ") and f"{fastest.iloc[0]:+.1f}%" in \
        check.comparators[0]
    assert check.verdict == V.NOT_SUPPORTED and "grew faster beyond the rounding ranges" in check.reason


def test_creative_rapid_growth_against_all_industries_and_creative_across_great_britain(results, bres5, content):
    raw = bres5[bres5["INDUSTRY_CODE"] != "01000"]  # the store's totals leave out farm agriculture
    met = raw[raw["GEOGRAPHY_CODE"] == "UKG3"].groupby("DATE")["COUNT"].sum()
    creative = raw[_creative(raw, content)]
    local = creative[creative["GEOGRAPHY_CODE"] == "UKG3"].groupby("DATE")["COUNT"].sum()
    gb = creative.groupby("DATE")["COUNT"].sum()
    result = results["creative-rapidly-growing"]
    (check,) = result.checks
    assert check.growth_pct == pytest.approx(100 * (local[2021] / local[2015] - 1))
    assert check.area_growth_pct == pytest.approx(100 * (met[2021] / met[2015] - 1)) == pytest.approx(6.1, abs=0.05)
    assert check.benchmark_growth_pct == pytest.approx(100 * (gb[2021] / gb[2015] - 1))
    # faster than all industries there, slower than creative across GB: partly supported
    assert result.verdict == V.PARTLY and result.seed == "a rapidly growing sector"


def test_life_sciences_growth_in_south_birmingham_is_its_own_claim_and_not_testable(results):
    result = results["life-sciences-growing"]
    assert result.verdict == V.NOT_TESTABLE and result.seed.startswith("a really good growing sector")
    (check,) = result.checks
    assert not check.eligible and "not South Birmingham" in check.eligibility
    assert check.growth_pct is not None  # the met county's figure is shown, and cannot decide


def test_a_verdict_line_names_the_strongest_contrary_result(results):
    from lisdash.evidence.report import headline

    line = headline(results["advanced-manufacturing-best"])
    assert line.startswith("LQ 1.70 (1.67 to 1.73) vs Great Britain; rank 1 of 11 regions of Great Britain")
    assert "(8th without SIC 29)" in line and line.endswith("; output (GVA) group rank 5 of 12")


def test_no_verdict_badge_under_a_commitment_that_does_not_record_the_claim(results, content):
    for result in results.values():
        if result.seed:
            notes = " ".join(content.commitment(result.commitment).evidence).lower()
            assert result.seed.lower().replace('"', "") in notes.replace('"', "")
    assert results["automotive-concentration"].seed is None  # a context check of ours, under no commitment


def test_advanced_manufacturing_best_is_capped_and_names_what_is_untested(results):
    result = results["advanced-manufacturing-best"]
    # rank 1 of 11, but the LQ moves from year to year more than its rounding range: capped at partly
    assert result.checks[0].verdict == V.PARTLY and (result.checks[0].rank, result.checks[0].of) == (1, 11)
    assert result.verdict == V.PARTLY
    assert "without SIC 29 it ranks 8 of 11" in result.reason
    assert "the LQ moves more from year to year than its rounding range" in result.checks[0].reason
    assert "Not tested: by international standards" in result.reason
    assert "Not tested: the region's best cluster" in result.reason
    assert not result.checks[2].eligible  # the met county is not the region


def test_every_sentence_names_its_benchmark(results, store, content):
    from lisdash import views
    from lisdash.content.story import load_story
    from lisdash.views.story import all_slides

    texts = [r.reason for r in results.values()] + [c.reason for r in results.values() for c in r.checks]
    texts += [n.label for sc in all_slides(store, content, load_story(content), views.store_geo(store))
              for n in sc.numbers]
    import re

    for text in texts:
        assert not re.search(r"\bnational(ly)?\b", text.lower()), text
