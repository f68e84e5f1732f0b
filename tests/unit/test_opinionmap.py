"""The opinion map (`consult.opinionmap`) on small vote matrices made for these tests (fixtures, never data):
a planted two-camp room, group-informed consensus by hand, the number of groups' hysteresis, who is left out."""

from __future__ import annotations

import numpy as np
import pytest

from lisdash.consult.opinionmap import (
    AGREE,
    DISAGREE,
    PASS,
    KChoice,
    choose_k,
    consensus,
    merged_small_groups,
    opinion_map,
    vote_matrix,
)
from lisdash.content.analysis import load_analysis

RULE = load_analysis().opinion
STATEMENTS = [f"s{j:02d}" for j in range(12)]


def planted_room(seed: int = 7) -> tuple[list[tuple[str, str, int]], set[str], set[str]]:
    """40 participants x 12 statements: camp A agrees with s00-s04 and disagrees with s05-s09, camp B the
    opposite; both agree with s10; s11 is a coin toss. One vote in 20 flipped, two statements unseen each."""
    rng = np.random.default_rng(seed)
    votes, camp_a, camp_b = [], set(), set()
    for i in range(40):
        person = f"p{i:02d}"
        in_a = i < 20
        (camp_a if in_a else camp_b).add(person)
        unseen = set(rng.choice(12, size=2, replace=False))
        for j, statement in enumerate(STATEMENTS):
            if j in unseen:
                continue
            if j < 5:
                vote = AGREE if in_a else DISAGREE
            elif j < 10:
                vote = DISAGREE if in_a else AGREE
            elif j == 10:
                vote = AGREE
            else:
                vote = int(rng.choice([AGREE, DISAGREE, PASS]))
            if j < 10 and rng.random() < 0.05:
                vote = -vote
            votes.append((person, statement, vote))
    return votes, camp_a, camp_b


def test_a_planted_two_camp_room_comes_out_as_its_two_camps_with_their_statements():
    votes, camp_a, camp_b = planted_room()
    found = opinion_map(vote_matrix(votes, STATEMENTS), RULE)
    assert found is not None and found.choice.k == 2 and found.left_out == 0
    assert {frozenset(g.members) for g in found.groups} == {frozenset(camp_a), frozenset(camp_b)}
    for group in found.groups:
        expected = {f"s{j:02d}" for j in (range(5) if set(group.members) == camp_a else range(5, 10))}
        assert len(group.defining) == 2 and {d.statement for d in group.defining} <= expected
        assert all(d.ratio > 2 for d in group.defining)
    assert found.consensus[0].statement == "s10"  # both camps agree
    assert found.divisive[0].statement in {f"s{j:02d}" for j in range(10)}
    assert found.points.shape == (40, 2)
    again = opinion_map(vote_matrix(votes, STATEMENTS), RULE)
    assert again.membership == found.membership  # the same votes, the same groups


def test_group_informed_consensus_matches_a_hand_computation_with_three_groups():
    # statements X and Y; groups {0,1,2}, {3,4}, {5}
    votes = np.array([[AGREE, AGREE], [AGREE, AGREE], [DISAGREE, AGREE],
                      [AGREE, AGREE], [PASS, AGREE],
                      [DISAGREE, AGREE]], dtype=float)
    groups = [np.array([0, 1, 2]), np.array([3, 4]), np.array([5])]
    ranked = consensus(votes, ("X", "Y"), groups)
    # Y: (3+1)/(3+2) * (2+1)/(2+2) * (1+1)/(1+2) = 0.8 * 0.75 * 2/3 = 0.4
    # X: (2+1)/(3+2) * (1+1)/(2+2) * (0+1)/(1+2) = 0.6 * 0.5 * 1/3 = 0.1
    assert [c.statement for c in ranked] == ["Y", "X"]
    assert ranked[0].score == pytest.approx(0.4) and ranked[1].score == pytest.approx(0.1)
    assert [(t.agrees, t.votes) for t in ranked[1].by_group] == [(2, 3), (1, 2), (0, 1)]


def test_the_number_of_groups_changes_only_after_winning_several_updates_in_a_row():
    shown = choose_k({2: 0.5, 3: 0.4}, None, 3)
    assert shown == KChoice(2)
    for streak in (1, 2):
        shown = choose_k({2: 0.4, 3: 0.5}, shown, 3)
        assert shown == KChoice(2, 3, streak)
    shown = choose_k({2: 0.6, 3: 0.5}, shown, 3)  # 2 wins again: the challenge starts over
    assert shown == KChoice(2)
    shown = choose_k({2: 0.4, 3: 0.5, 4: 0.45}, shown, 3)
    shown = choose_k({2: 0.4, 3: 0.45, 4: 0.5}, shown, 3)  # another challenger: its own count
    assert shown == KChoice(2, 4, 1)
    for _ in range(2):
        shown = choose_k({2: 0.4, 3: 0.45, 4: 0.5}, shown, 3)
    assert shown == KChoice(4)


def test_participants_with_too_few_votes_are_left_out_and_counted():
    votes, _, _ = planted_room()
    few = [("late-1", "s00", AGREE), ("late-2", "s01", DISAGREE), ("late-2", "s02", PASS)]
    found = opinion_map(vote_matrix(votes + few, STATEMENTS), RULE)
    assert found.left_out == 2 and "late-1" not in found.participants
    assert opinion_map(vote_matrix(few, STATEMENTS), RULE) is None  # nobody to place yet


def test_a_group_too_small_to_show_is_merged_into_the_nearest():
    points = np.array([[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10], [9, 9]], dtype=float)
    labels = np.array([0, 0, 0, 1, 1, 1, 2])
    assert merged_small_groups(points, labels, 3).tolist() == [1, 1, 1, 0, 0, 0, 0]


def test_a_vote_is_agree_disagree_or_pass_and_the_latest_counts():
    matrix = vote_matrix([("a", "s00", AGREE), ("a", "s00", DISAGREE)], ["s00"])
    assert matrix.votes.tolist() == [[DISAGREE]]
    with pytest.raises(ValueError, match="not 2"):
        vote_matrix([("a", "s00", 2)])


def test_the_slide_cuts_its_statements_to_the_screen_later_statements_first():
    from lisdash.webapp.opinionslide import COMMON_SHARE, GROUPS_SHARE, fitted
    from lisdash.webapp.screen import Screen

    long = "Creative and gaming businesses need more support than they get today."  # as long as the seeds
    groups = [("Group A (6 people) agrees more with:", [long, long]),
              ("Group B (5 people) agrees more with:", [long, long])]
    shared = [("Common ground:", [long, long, long])]
    small, left = Screen(1280, 720), 489  # what the slide leaves at 1280x720
    assert fitted(groups, small, small.inner_width * GROUPS_SHARE, left) == groups  # each group's two statements
    assert fitted(shared, small, small.inner_width * COMMON_SHARE, left) == shared  # and the top three in common
    assert [len(lines) for _, lines in fitted(groups, small, small.inner_width * GROUPS_SHARE, 300)] == [2, 1]
    assert [len(lines) for _, lines in fitted(groups, small, small.inner_width * GROUPS_SHARE, 150)] == [1, 1]
    assert groups[1][1] == [long, long]  # the caller's lists are left as they were


def test_groups_that_do_not_fit_at_once_are_shown_in_turns_each_with_both_statements():
    from lisdash.webapp.opinionslide import GROUPS_SHARE, TURN_SECONDS, _tall, in_turns, turn_line, turn_now
    from lisdash.webapp.screen import Screen

    long = "The West Midlands should prioritise battery manufacture over driverless vehicles."  # the longest seed
    medium = "Creative and gaming businesses need more support than they get today."
    groups = [(f"Group {x} (6 people) agrees more with:", [long, medium]) for x in "ABCDE"]
    for screen, left in ((Screen(1280, 720), 489), (Screen(1920, 1080), 848)):
        width = screen.inner_width * GROUPS_SHARE
        assert in_turns(groups[:2], screen, width, left) == [groups[:2]]  # two groups: at once, no turns
        turns = in_turns(groups, screen, width, left)
        assert len(turns) > 1 and [block for turn in turns for block in turn] == groups  # every statement, in order
        line = _tall([(turn_line(0, 2, 5), [])], screen, width)
        assert all(_tall(turn, screen, width) + line <= left for turn in turns)  # each turn fits under its line
    assert [len(turn) for turn in in_turns(groups, Screen(1280, 720), 1203 * GROUPS_SHARE, 489)] == [2, 2, 1]
    one = [("Group A (6 people) agrees more with:", [long, long])]
    assert in_turns(one, Screen(1280, 720), 200, 150) == [[("Group A (6 people) agrees more with:", [long])]]
    assert [turn_now(3, t * TURN_SECONDS + 0.5) for t in range(4)] == [0, 1, 2, 0]
    assert (turn_line(0, 2, 5), turn_line(4, 1, 5)) == ("Groups A-B of 5, in turn", "Group E of 5, in turn")
