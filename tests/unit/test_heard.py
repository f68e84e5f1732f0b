"""What we heard, on small frames with pinned values: intervals, counting, suppression, reweighting, profile,
campaigns and the theme model on a labelled test fixture."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from lisdash.content.analysis import load_analysis
from lisdash.heard.agreement import agreement, suppress, suppression_note
from lisdash.heard.campaigns import campaign_groups
from lisdash.heard.counting import counted
from lisdash.heard.profile import OUTSIDE, profile, reweighted
from lisdash.heard.themes import propose, tagger
from lisdash.heard.wilson import wilson

RULES = load_analysis()
FIXTURE = Path(__file__).parents[1] / "fixtures" / "labelled_comments.csv"  # a test fixture, never data


@pytest.mark.parametrize(("k", "n"), [(0, 1), (1, 1), (3, 10), (17, 23), (0, 40), (40, 40), (512, 1000)])
def test_wilson_intervals_match_statsmodels(k, n):
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert wilson(k, n, 0.95) == pytest.approx((low, high), abs=1e-12)


def test_wilson_by_hand_for_8_of_10():
    # z = 1.959964; centre = (0.8 + z²/20) / (1 + z²/10); half = z·sqrt(0.016 + z²/400) / (1 + z²/10)
    assert wilson(8, 10, 0.95) == pytest.approx((0.4901625, 0.9433178), abs=1e-6)


def test_wilson_refuses_an_empty_group():
    with pytest.raises(ValueError):
        wilson(0, 0, 0.95)


def test_hidden_and_replaced_views_do_not_count():
    views = pd.DataFrame({"receipt": ["A", "B", "C", "D"], "duplicate_of": [None, "A", None, None],
                          "hidden": [False, False, True, False]})
    assert counted(views)["receipt"].tolist() == ["B", "D"]  # A replaced by its repeat B; C hidden


def _views(groups: dict[str, list[int]]) -> pd.DataFrame:
    return pd.DataFrame([{"group": g, "agreement": a} for g, answers in groups.items() for a in answers])


def test_agreement_counts_shares_and_intervals_by_group():
    table = agreement(_views({"x": [5, 4, 3, 1, 4], "y": [2, 2, 5]}), RULES, "group").set_index("group")
    assert table.loc["x", ["views", "agreeing"]].tolist() == [5, 3] and table.loc["x", "share"] == 0.6
    assert (table.loc["y", "low"], table.loc["y", "high"]) == pytest.approx(wilson(1, 3, 0.95))


def test_a_small_group_and_the_next_smallest_are_suppressed_so_neither_can_be_worked_out():
    table = suppress(agreement(_views({"big": [5] * 10, "small": [4] * 3, "middle": [1] * 8}), RULES, "group"), RULES)
    shown = table.set_index("group")
    assert shown["suppressed"].to_dict() == {"big": False, "small": True, "middle": True}
    assert shown.loc[["small", "middle"], ["views", "agreeing", "share", "low", "high"]].isna().all().all()
    assert shown.loc["big", "views"] == 10
    assert "2 groups suppressed: fewer than 5" in suppression_note(table, RULES)


def test_two_small_groups_suppress_each_other_and_a_whole_table_is_never_secondarily_suppressed():
    table = suppress(agreement(_views({"big": [5] * 10, "a": [4] * 3, "b": [1] * 2}), RULES, "group"), RULES)
    assert table.set_index("group")["suppressed"].to_dict() == {"big": False, "a": True, "b": True}
    alone = suppress(agreement(_views({"all": [5] * 3}), RULES), RULES)
    assert alone["suppressed"].tolist() == [True] and suppression_note(alone, RULES).startswith("1 group")


def test_a_missing_group_is_its_own_group_never_dropped():
    views = pd.DataFrame({"sector": ["C", None, ""], "agreement": [5, 5, 1]})
    assert sorted(agreement(views, RULES, "sector")["group"]) == ["C", "Not given"]


def test_post_stratification_on_a_two_by_two_example_by_hand():
    # Region: 80% sector A, 20% B. Views: A 1 of 2 agree, B 8 of 8 agree. Raw 9/10 = 0.9.
    # Reweighted 0.8 x 0.5 + 0.2 x 1.0 = 0.6. Weights per view: A 0.8/0.2 = 4, B 0.2/0.8 = 0.25.
    # Kish: (2x4 + 8x0.25)^2 / (2x16 + 8x0.0625) = 100 / 32.5 = 3.0769.
    sectors = pd.Series(["A"] * 2 + ["B"] * 8)
    agrees = pd.Series([True, False] + [True] * 8)
    result = reweighted(sectors, agrees, pd.Series({"A": 0.8, "B": 0.2}), RULES)
    assert result.raw_share == pytest.approx(0.9) and result.share == pytest.approx(0.6)
    assert result.effective_n == pytest.approx(100 / 32.5) and result.coverage == pytest.approx(1.0)
    assert result.low < 0.6 < result.high and "not a survey" in result.caveat


def test_reweighting_renormalises_over_the_sectors_with_views_and_says_how_much_is_covered():
    result = reweighted(pd.Series(["A", "B"]), pd.Series([True, False]), pd.Series({"A": 0.3, "B": 0.2, "C": 0.5}),
                        RULES)
    assert result.share == pytest.approx(0.6) and result.coverage == pytest.approx(0.5)


def test_profile_sets_respondent_shares_beside_the_region_and_suppresses_small_groups():
    groups = pd.Series(["A"] * 6 + ["B"] * 2 + ["Z"] * 6 + [None])
    table = profile(groups, pd.Series({"A": 0.5, "B": 0.25, "C": 0.25}), RULES).set_index("group")
    assert table.loc["A", "respondents"] == 6 and table.loc["A", "respondent_share"] == pytest.approx(6 / 14)
    assert table.loc["A", "ratio"] == pytest.approx((6 / 14) / 0.5)
    assert table.loc["B", "suppressed"] and pd.isna(table.loc["B", "respondents"])
    assert table.loc["C", "respondents"] == 0 and table.loc[OUTSIDE, "respondents"] == 6


def test_near_identical_comments_are_one_campaign_and_short_ones_never_group():
    comments = pd.Series({
        10: "Please invest in the Walsall canal towpath for cycling to work every day",
        11: "please INVEST in the walsall canal towpath, for cycling to work every day!",
        12: "Please invest in the Walsall canal towpath for cycling to work every single day",
        13: "The skills budget should go to colleges in Dudley and Sandwell first",
        14: "I agree", 15: "I agree"})
    groups = campaign_groups(comments, RULES.campaign)
    assert groups.to_dict() == {10: 10, 11: 10, 12: 10, 13: 13, 14: 14, 15: 15}


def _fixture() -> pd.DataFrame:
    return pd.read_csv(FIXTURE, comment="#")


def recovery(topics: pd.Series, themes: pd.Series) -> tuple[float, pd.Series]:
    """The share of comments in their topic's majority theme, and each topic's majority theme."""
    majority = pd.DataFrame({"topic": topics, "theme": themes}).groupby("topic")["theme"].agg(
        lambda s: s.mode().iloc[0])
    return float((themes == topics.map(majority)).mean()), majority


def test_the_theme_model_recovers_six_known_topics_and_is_deterministic():
    fixture = _fixture()
    assert len(fixture) >= 300 and fixture["topic"].nunique() == 6
    comments = fixture["comment"]
    groups = campaign_groups(comments, RULES.campaign)
    proposals, themes = propose(comments, groups, RULES.themes)
    share, majority = recovery(fixture["topic"], themes)
    print(f"theme model: {share:.1%} of {len(comments)} fixture comments with their topic's majority theme")
    assert share >= 0.80 and majority.nunique() == 6  # six topics, six different themes
    again, themes_again = propose(comments, groups, RULES.themes)
    assert [p.terms for p in again] == [p.terms for p in proposals] and themes_again.equals(themes)
    assert all(len(p.examples) == RULES.themes.examples for p in proposals)


def test_later_comments_are_tagged_against_kept_themes_by_their_terms():
    tag = tagger({7: {"battery": 1.0, "charging": 0.6}, 9: {"college": 1.0, "apprenticeship": 0.8}})
    assert tag("More charging points and a battery plant") == 7
    assert tag("An apprenticeship at the college") == 9
    assert tag("Nothing in common here") is None


def test_too_few_comments_propose_no_themes():
    comments = pd.Series(["one comment about buses", "another about trains"])
    proposals, themes = propose(comments, pd.Series(comments.index, index=comments.index), RULES.themes)
    assert proposals == [] and themes.isna().all()
