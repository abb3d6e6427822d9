"""Per-capita entitlements: sums for known people and dates, quarter parts and year boundaries."""

from datetime import date
from decimal import Decimal

from grants.entitlements import INTEGRATION, MINORS, NORWEGIAN, compute_entitlements, previous_quarter, quarter_part
from grants.models import GrantRate, RateKind
from settlement.models import Category, Composition, Person

from .factories import settle

D = Decimal


def total_for(person_ids, scheme, years):
    total = D("0")
    for year in years:
        for q in (1, 2, 3, 4):
            for lines in compute_entitlements(year, q).values():
                total += sum(l.amount for l in lines if l.person_id in person_ids and l.scheme_code == scheme)
    return total


def test_quarter_parts_add_up_to_the_rate():
    assert [quarter_part(D("50000.03"), q) for q in (1, 2, 3, 4)] == [D("12500.00")] * 3 + [D("12500.03")]
    assert sum(quarter_part(D("97000.01"), q) for q in (1, 2, 3, 4)) == D("97000.01")


def test_previous_quarter_is_the_last_finished_one():
    assert [previous_quarter(d) for d in (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 12, 31))] == [
        (2025, 4), (2025, 4), (2026, 1), (2026, 3)]


def test_five_years_of_integration_grant_for_a_single_adult_settled_mid_year(schemes, ref):
    person = settle(ref, date(2024, 6, 15)).persons.get().pk
    # Year 1 in full in the quarter of settlement, then four years in quarterly parts.
    q2 = [l for l in compute_entitlements(2024, 2)[ref["oslo"].pk] if l.scheme_code == INTEGRATION]
    assert [(l.entitlement_year, l.rate_kind, l.amount) for l in q2] == [(1, RateKind.INTEGRATION_Y1_SINGLE_ADULT, D("200000"))]
    assert total_for({person}, INTEGRATION, [2024]) == D("200000")
    assert total_for({person}, INTEGRATION, [2025]) == D("100000")
    assert total_for({person}, INTEGRATION, [2028]) == D("50000.03")
    assert total_for({person}, INTEGRATION, [2029, 2030]) == D("0")
    assert total_for({person}, INTEGRATION, range(2023, 2031)) == D("490000.03")


def test_year_boundaries(schemes, ref):
    dec31 = settle(ref, date(2024, 12, 31)).persons.get().pk
    jan1 = settle(ref, date(2025, 1, 1)).persons.get().pk
    q4_2024 = {l.person_id: l for l in compute_entitlements(2024, 4)[ref["oslo"].pk] if l.scheme_code == INTEGRATION}
    assert q4_2024[dec31].entitlement_year == 1 and jan1 not in q4_2024
    q1_2025 = {l.person_id: l for l in compute_entitlements(2025, 1)[ref["oslo"].pk] if l.scheme_code == INTEGRATION}
    assert (q1_2025[dec31].entitlement_year, q1_2025[dec31].amount) == (2, D("25000.00"))
    assert (q1_2025[jan1].entitlement_year, q1_2025[jan1].amount) == (1, D("200000"))
    # Settled one day apart, a year apart in the grant: the last payment falls in 2028 and in 2029.
    assert total_for({dec31}, INTEGRATION, [2028]) == D("50000.03")
    assert total_for({jan1}, INTEGRATION, [2028]) == D("60000")
    assert total_for({jan1}, INTEGRATION, [2029]) == D("50000.03")


def test_rates_of_the_year_paid_for_are_used(schemes, ref):
    h = settle(ref, date(2024, 3, 1))
    GrantRate.objects.filter(grant_year__scheme__code=INTEGRATION, grant_year__year=2025,
                             kind=RateKind.INTEGRATION_Y2).update(amount=D("120000"))
    assert total_for({h.persons.get().pk}, INTEGRATION, [2025]) == D("120000")


def test_family_minor_and_norwegian_grants(schemes, ref):
    settle(ref, date(2025, 5, 10), composition=Composition.FAMILY_WITH_CHILDREN, adults=2, children=2)
    minor = settle(ref, date(2025, 5, 20), composition=Composition.UNACCOMPANIED_MINOR, category=Category.UNACCOMPANIED_MINOR)
    Person.objects.filter(household=minor).update(birth_date=date(2008, 6, 1))  # 16 at settlement
    by_scheme = {}
    for l in compute_entitlements(2025, 2)[ref["oslo"].pk]:
        by_scheme[l.scheme_code] = by_scheme.get(l.scheme_code, D("0")) + l.amount
    # Integration: five persons at the year-1 rate for others (family members and the minor).
    # Norwegian: the two parents and the 16-year-old; the children are under 16.
    assert by_scheme == {INTEGRATION: 5 * D("150000"), MINORS: D("190000"), NORWEGIAN: 3 * D("60000")}
    # Base grant in Q4 only with at least four such persons in the year: three is not enough...
    assert not any(l.rate_kind == RateKind.NORWEGIAN_BASE for l in compute_entitlements(2025, 4).get(ref["oslo"].pk, []))
    settle(ref, date(2025, 11, 2))  # ...four is
    base = [l for l in compute_entitlements(2025, 4)[ref["oslo"].pk] if l.rate_kind == RateKind.NORWEGIAN_BASE]
    assert [l.amount for l in base] == [D("500000")]
