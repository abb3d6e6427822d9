"""Small-count suppression: the simple cases of the algorithm and of the report shapes."""

from core.disclosure import (COMPLEMENT, SUPPRESSED, Derived, DerivedRule, suppress_report, suppress_rows,
                             suppress_table)


def test_counts_of_one_to_four_are_hidden_and_zero_and_five_are_not():
    result = suppress_table({"a": 0, "b": 1, "c": 4, "d": 5}, groups=[])
    assert result.primary == {"b", "c"} and result.secondary == set()


def test_a_lone_hidden_part_gets_its_smallest_visible_non_zero_sibling_as_complement():
    cells = {"total": 40, "a": 3, "b": 0, "c": 7, "d": 30}
    result = suppress_table(cells, [("total", ["a", "b", "c", "d"])])
    assert (result.primary, result.secondary) == ({"a"}, {"c"})  # not the zero: 0 protects nothing


def test_a_hidden_county_total_pulls_a_second_county_and_one_of_its_municipalities():
    # County k1 is one municipality of 3 persons, so k1 reads "<5"; the region total would give it back
    # (region - k2), so k2 is hidden too, and then k2 = m3 + m4 would give k2 back, so m4 is hidden.
    cells = {"region": 21, "k1": 3, "k2": 18, "m1": 3, "m2": 0, "m3": 10, "m4": 8}
    groups = [("region", ["k1", "k2"]), ("k1", ["m1", "m2"]), ("k2", ["m3", "m4"])]
    result = suppress_table(cells, groups)
    assert (result.primary, result.secondary) == ({"k1", "m1"}, {"k2", "m4"})
    assert not result.unprotected


def test_two_ones_that_add_up_to_two_get_a_third_hidden_cell():
    # total 12 = 1 + 1 + 10: with both "<5" the reader knows their sum is 2, so both are 1.
    result = suppress_table({"t": 12, "a": 1, "b": 1, "c": 10}, [("t", ["a", "b", "c"])])
    assert result.primary == {"a", "b"} and result.secondary == {"c"}


def test_place_use_is_hidden_when_the_assigned_count_is_hidden():
    # The finding: assigned = place use x decided - settled gave back every "<5".
    row = {"settled_ytd": 20, "assigned": 3, "decided": 40, "place_use": 57.5}
    (out,) = suppress_rows([row], ["settled_ytd", "assigned"], rules=[DerivedRule(("place_use",), inputs=("settled_ytd", "assigned"))])
    assert (out["assigned"], out["place_use"], out["decided"]) == (SUPPRESSED, None, 40)


def test_shares_and_averages_from_fewer_than_five_persons_are_hidden():
    cells = {"base": 4}
    result = suppress_table(cells, [], [Derived("share", base="base"), Derived("average", base="base")])
    assert result.derived == {"share", "average"}
    assert suppress_table({"base": 5}, [], [Derived("share", base="base")]).derived == set()


def test_rows_with_a_public_column_total_get_a_second_hidden_cell():
    rows = [{"region": "Nord", "ready": 2}, {"region": "Øst", "ready": 11}, {"region": "Vest", "ready": 6}]
    out = suppress_rows(rows, ["ready"])
    assert [r["ready"] for r in out] == [SUPPRESSED, 11, COMPLEMENT]
    assert rows[0]["ready"] == 2  # the input is left as it was


def test_agreement_comparison_hides_both_groups_and_their_rates():
    rows = [{"label": "Med", "settled": 3, "decided": 10, "population": 9000, "settled_per_1000": 0.33, "settled_share_of_decided": 30.0},
            {"label": "Uten", "settled": 250, "decided": 300, "population": 90000, "settled_per_1000": 2.78, "settled_share_of_decided": 83.3}]
    rule = DerivedRule(("settled_per_1000", "settled_share_of_decided"), inputs=("settled",))
    out = suppress_rows(rows, ["settled"], rules=[rule])
    assert [(r["settled"], r["settled_per_1000"], r["settled_share_of_decided"]) for r in out] == [
        (SUPPRESSED, None, None), (COMPLEMENT, None, None)]


def test_goal_indicators_from_fewer_than_five_persons_are_hidden_and_the_summary_follows():
    figures = {"kind": "goals", "summary": {"indicators": 2, "met": 2, "not_met": 0, "no_value": 0}, "goals": [
        {"code": "D1", "indicators": [
            {"code": "a", "actual": 100.0, "base": 1, "met": True, "trend": [{"year": 2025, "value": 100.0, "base": 1, "met": True}]},
            {"code": "b", "actual": 80.0, "base": 40, "met": True, "trend": [{"year": 2025, "value": 80.0, "base": 40, "met": True}]},
        ]}]}
    out = suppress_report(figures)
    a, b = out["goals"][0]["indicators"]
    assert (a["actual"], a["met"], a["base"], a["trend"][0]["value"]) == (None, None, SUPPRESSED, None)
    assert (b["actual"], b["met"]) == (80.0, True)
    assert out["summary"] == {"indicators": 2, "met": 1, "not_met": 0, "no_value": 1}


def test_a_locked_cell_is_never_picked_as_complement():
    # The total of 12 is published elsewhere: the second hidden cell must be the other part.
    cells = {"t": 12, "a": 2, "b": 10, "sub": 12}
    result = suppress_table(cells, [("t", ["a", "b"]), ("sub", ["t"])], locked=["t", "sub"])
    assert (result.primary, result.secondary) == ({"a"}, {"b"})
