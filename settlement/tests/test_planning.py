"""The request planning key (settlement.planning): pure functions, no database."""

from decimal import Decimal

import pytest

from settlement.planning import Basis, Key, ReplyStatus, apportion, propose, reply_status, shares, target

BASES = [Basis(1, 700_000, 600, 650), Basis(2, 285_000, 250, 300), Basis(3, 30_000, 20, 15), Basis(4, 2_000, 0, 0)]


def test_target_is_the_need_times_the_factor_rounded_half_up():
    assert target(1000, Decimal("1.10")) == 1100
    assert target(5, Decimal("1.10")) == 6  # 5.5 rounds up
    assert target(4, Decimal("1.10")) == 4  # 4.4 rounds down
    assert target(0, Decimal("1.5")) == 0


def test_shares_weigh_each_criterion_and_sum_to_one():
    s = shares(BASES, Key(Decimal(1), Decimal(0), Decimal(0)))
    assert s[1] == Decimal(700_000) / Decimal(1_017_000)
    assert abs(sum(s.values()) - 1) < Decimal("1e-20")
    # Half population, half decided places: municipality 4 (no decision) gets half its population share.
    s = shares(BASES, Key(Decimal(1), Decimal(0), Decimal(1)))
    assert s[4] == Decimal(2_000) / Decimal(1_017_000) / 2
    # A criterion that is zero everywhere drops out: all weight on population.
    nothing = [Basis(1, 10, 0, 0), Basis(2, 30, 0, 0)]
    assert shares(nothing, Key(Decimal(1), Decimal(1), Decimal(1))) == {1: Decimal("0.25"), 2: Decimal("0.75")}


@pytest.mark.parametrize("need,factor", [(1000, "1.10"), (7, "1.00"), (3, "1.25"), (11_000, "1.13"), (1, "3")])
def test_each_year_sums_to_the_need_times_the_factor(need, factor):
    key = Key(Decimal("0.5"), Decimal("0.25"), Decimal("0.25"), Decimal(factor))
    result = propose({2027: (need, need // 10), 2028: (need * 2, 0), 2029: (0, 0)}, key, BASES)
    for year, (n, minors) in {2027: (need, need // 10), 2028: (need * 2, 0), 2029: (0, 0)}.items():
        assert sum(r[year][0] for r in result.values()) == target(n, Decimal(factor))
        assert sum(r[year][1] for r in result.values()) == target(minors, Decimal(factor))
        assert all(r[year][1] <= r[year][0] for r in result.values())


def test_rounding_by_largest_remainder():
    # Quotas 3.6, 3.3, 3.1 of 10: floors 3+3+3, the one left goes to the largest remainder (0.6).
    assert apportion(10, {1: Decimal(36), 2: Decimal(33), 3: Decimal(31)}) == {1: 4, 2: 3, 3: 3}
    # Equal remainders: the lower id first, so the result is the same every time.
    assert apportion(2, {5: Decimal(1), 3: Decimal(1), 4: Decimal(1)}) == {5: 0, 3: 1, 4: 1}
    assert apportion(0, {1: Decimal(1)}) == {1: 0}
    assert apportion(5, {1: Decimal(0)}) == {1: 0}


def test_minors_never_exceed_the_persons_and_still_sum():
    # Municipality 2's minors quota rounds up past its persons without the cap.
    persons = {1: 9, 2: 0, 3: 1}
    minors = apportion(3, {1: Decimal(5), 2: Decimal(4), 3: Decimal(1)}, caps=persons)
    assert minors[2] == 0 and sum(minors.values()) == 3 and all(minors[k] <= persons[k] for k in persons)


def test_the_proposal_follows_the_key():
    need = {2027: (1000, 100), 2028: (1000, 100), 2029: (1000, 100)}
    by_population = propose(need, Key(Decimal(1), Decimal(0), Decimal(0), Decimal("1.1")), BASES)
    by_decisions = propose(need, Key(Decimal(0), Decimal(0), Decimal(1), Decimal("1.1")), BASES)
    assert by_population[4][2027][0] == 2  # 2 000 of 1 017 000 people × 1 100 places = 2.16
    assert by_decisions[4][2027] == (0, 0)  # no decided places, no share
    # 650, 300 and 15 of 965 decided places × 1 100 = 740.9, 341.97, 17.1: the two places left go to .97 and .93.
    assert [by_decisions[m][2027][0] for m in (1, 2, 3)] == [741, 342, 17]
    assert by_population[1][2027][0] == 757  # 700 000 / 1 017 000 × 1 100 = 757.1


def test_a_key_that_cannot_be_used():
    assert Key().problems() == {}
    assert set(Key(Decimal(0), Decimal(0), Decimal(0)).problems()) == {"population"}
    assert Key(Decimal(-1)).problems()["population"][1] == "weight_out_of_range"
    assert Key(factor=Decimal("0.9")).problems()["factor"][1] == "factor_out_of_range"
    assert Key(factor=Decimal("3.5")).problems()["factor"][1] == "factor_out_of_range"


def test_reply_status():
    assert reply_status(30, None) is ReplyStatus.NOT_ANSWERED
    assert reply_status(30, 20) is ReplyStatus.FEWER
    assert reply_status(30, 30) is ReplyStatus.SAME
    assert reply_status(30, 31) is ReplyStatus.MORE
    assert reply_status(0, 0) is ReplyStatus.SAME
    assert ReplyStatus.FEWER.label == "Færre enn anmodet"
