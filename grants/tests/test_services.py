"""Grants: entitlement sums for known people and dates, claims within budget, the application workflow."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grants import services
from grants.entitlements import INTEGRATION, MINORS, NORWEGIAN, compute_entitlements, quarter_part
from grants.models import (
    ApplicationStatus, ClaimStatus, GrantApplication, GrantClaim, GrantRate, GrantScheme, GrantYear, RateKind, SchemeKind,
)
from grants.tests.factories import RATES, settle
from grants.reference import load_grant_schemes
from settlement.models import Category, Composition
from settlement.tests import report_data

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


def test_five_years_of_integration_grant_for_a_single_adult_settled_mid_year(schemes, ref):
    h = settle(ref, date(2024, 6, 15))
    person = h.persons.get().pk
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
    minor = report_data.make_household(composition=Composition.UNACCOMPANIED_MINOR, permit=date(2025, 2, 1),
                                       settled=date(2025, 5, 20), municipality=ref["oslo"], region=ref["nord"],
                                       category=Category.UNACCOMPANIED_MINOR, year=2025)
    from settlement.models import Person

    Person.objects.filter(household=minor).update(birth_date=date(2008, 6, 1))  # 16 at settlement
    lines = compute_entitlements(2025, 2)[ref["oslo"].pk]
    by_scheme = {}
    for l in lines:
        by_scheme[l.scheme_code] = by_scheme.get(l.scheme_code, D("0")) + l.amount
    # Integration: five persons at the year-1 rate for others (family members and the minor).
    assert by_scheme[INTEGRATION] == 5 * D("150000")
    assert by_scheme[MINORS] == D("190000")
    # Norwegian: the two parents and the 16-year-old; the children are under 16.
    assert by_scheme[NORWEGIAN] == 3 * D("60000")
    # Base grant in Q4 only with at least four such persons in the year: three is not enough...
    assert not any(l.rate_kind == RateKind.NORWEGIAN_BASE for l in compute_entitlements(2025, 4).get(ref["oslo"].pk, []))
    settle(ref, date(2025, 11, 2))
    base = [l for l in compute_entitlements(2025, 4)[ref["oslo"].pk] if l.rate_kind == RateKind.NORWEGIAN_BASE]
    assert [l.amount for l in base] == [D("500000")]


def test_claims_are_built_rebuilt_and_locked(schemes, ref, actors):
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2025, 5, 2), municipality="bergen")
    result = services.build_claims(2025, 2)
    assert (result["created"], result["total"]) == (2, 2 * (D("200000") + D("60000")))
    claim = GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)
    assert (claim.total, claim.lines.count()) == (D("260000"), 2)
    again = services.build_claims(2025, 2)  # idempotent: same lines, no duplicates
    assert (again["created"], again["updated"]) == (0, 2)
    assert GrantClaim.objects.get(pk=claim.pk).lines.count() == 2

    services.approve_claim(actors["admin"], claim)
    settle(ref, date(2025, 6, 1))  # a late registration does not change an approved claim
    assert services.build_claims(2025, 2)["locked"] == 1
    assert GrantClaim.objects.get(pk=claim.pk).total == D("260000")
    with pytest.raises(PermissionDenied):
        services.approve_claim(actors["cw_ost"], GrantClaim.objects.get(municipality=ref["bergen"]))

    batch = services.create_payment_batch(actors["admin"], year=2025, quarter=2)
    lines = batch.file_content.splitlines()
    assert lines[0] == "kommunenr;kommune;aar;kvartal;belop;referanse"
    assert lines[1].startswith("0301;Oslo;2025;2;260000.00;IMDI-20252-")
    assert lines[-1] == "SUM;1 krav;2025;2;260000.00;"
    assert GrantClaim.objects.get(pk=claim.pk).status == ClaimStatus.PAID


def test_no_claim_is_approved_beyond_the_budget(schemes, ref, actors):
    GrantYear.objects.filter(scheme__code=INTEGRATION, year=2025).update(budget=D("300000"))
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2025, 5, 2), municipality="bergen")
    services.build_claims(2025, 2)
    services.approve_claim(actors["admin"], GrantClaim.objects.get(municipality=ref["oslo"]))
    bergen = GrantClaim.objects.get(municipality=ref["bergen"])
    with pytest.raises(ValidationError, match="overskrider bevilgningen"):
        services.approve_claim(actors["admin"], bergen)
    bergen.refresh_from_db()
    assert bergen.status == ClaimStatus.CALCULATED
    assert services.committed(GrantYear.objects.get(scheme__code=INTEGRATION, year=2025)) == D("200000")


def test_application_workflow_with_roles_and_budget(jobbsjansen, ref, actors, make_user, users):
    from core.models import Role
    from core.roles import actor_for

    admin2 = actor_for(make_user(Role.NATIONAL_ADMIN, "admin2"))
    a = services.submit_application(actors["oslo"], grant_year=jobbsjansen, title="Jobbsjansen Stovner", description="Kvalifisering",
                                    amount_requested=D("700000"), municipality=ref["oslo"])
    assert a.applicant_name == "Oslo kommune"
    b = services.submit_application(actors["bergen"], grant_year=jobbsjansen, title="Jobbsjansen Bergen", description="Ungdom",
                                    amount_requested=D("500000"), municipality=ref["bergen"])
    with pytest.raises(PermissionDenied):
        services.assess_application(actors["cw_ost"], b, assessment="ok", recommended_amount=None)  # Bergen is in Vest
    with pytest.raises(ValidationError, match="vurdert"):
        services.decide_application(actors["admin"], a, grant=True, amount=D("1"))
    services.assess_application(actors["cw_ost"], a, assessment="Godt prosjekt", recommended_amount=D("600000"))
    services.assess_application(actors["admin"], b, assessment="Godt", recommended_amount=D("500000"))
    with pytest.raises(PermissionDenied):
        services.decide_application(actors["oslo"], a, grant=True, amount=D("600000"))
    with pytest.raises(PermissionDenied, match="vurderte"):
        services.decide_application(actors["admin"], b, grant=True, amount=D("500000"))  # four eyes
    with pytest.raises(ValidationError, match="mer enn søkt"):
        services.decide_application(actors["admin"], a, grant=True, amount=D("800000"))
    services.decide_application(actors["admin"], a, grant=True, amount=D("600000"), reason="Innvilget")
    # 600,000 of 1,000,000 is granted: 500,000 more would overspend the scheme.
    with pytest.raises(ValidationError, match="bare 400 000 kr igjen"):
        services.decide_application(admin2, b, grant=True, amount=D("500000"))
    b.refresh_from_db()
    assert b.status == ApplicationStatus.ASSESSED
    with pytest.raises(ValidationError, match="begrunnes"):
        services.decide_application(admin2, b, grant=False)
    services.decide_application(admin2, b, grant=False, reason="Bevilgningen er brukt opp")
    with pytest.raises(ValidationError, match="innvilgede"):
        services.pay_application(actors["admin"], b)
    with pytest.raises(ValidationError, match="utbetalte"):
        services.report_on_grant(actors["oslo"], a, report="x", amount_used=D("1"))
    services.pay_application(actors["admin"], a)
    with pytest.raises(PermissionDenied):
        services.report_on_grant(actors["bergen"], a, report="x", amount_used=D("1"))
    with pytest.raises(ValidationError, match="mellom 0 og innvilget"):
        services.report_on_grant(actors["oslo"], a, report="Rapport", amount_used=D("650000"))
    services.report_on_grant(actors["oslo"], a, report="12 deltakere, 7 i arbeid", amount_used=D("590000"))
    a.refresh_from_db()
    assert (a.status, a.amount_used) == (ApplicationStatus.REPORTED, D("590000"))
    assert [h.status for h in a.history.order_by("history_date")] == ["submitted", "assessed", "granted", "paid", "reported"]
    assert services.committed(jobbsjansen) == D("600000")


def test_deadlines_and_bad_input(jobbsjansen, ref, actors, today):
    with pytest.raises(ValidationError, match="større enn null"):
        services.submit_application(actors["oslo"], grant_year=jobbsjansen, title="x", description="y",
                                    amount_requested=D("0"), municipality=ref["oslo"])
    with pytest.raises(PermissionDenied):
        services.submit_application(actors["oslo"], grant_year=jobbsjansen, title="x", description="y",
                                    amount_requested=D("10"), municipality=ref["bergen"])
    GrantYear.objects.filter(pk=jobbsjansen.pk).update(application_deadline=today - timedelta(days=1))
    jobbsjansen.refresh_from_db()
    with pytest.raises(ValidationError, match="Søknadsfristen var"):
        services.submit_application(actors["oslo"], grant_year=jobbsjansen, title="x", description="y",
                                    amount_requested=D("10"), municipality=ref["oslo"])
    integration = GrantYear.objects.get(scheme__code=INTEGRATION, year=today.year)
    with pytest.raises(ValidationError, match="per capita"):
        services.submit_application(actors["admin"], grant_year=integration, title="x", description="y",
                                    amount_requested=D("10"), applicant_name="Org")
    assert not GrantApplication.objects.exists()


def test_seeded_2013_schemes_match_table_4_5(db):
    load_grant_schemes()
    budgets = {gy.scheme.number: gy.budget for gy in GrantYear.objects.filter(year=2013).select_related("scheme")}
    assert budgets == {1: D("5090852000"), 2: D("1648676000"), 3: D("314268000"), 4: D("51094000"), 5: D("32000000"),
                       6: D("57000000"), 7: D("220000")}
    assert GrantScheme.objects.filter(kind=SchemeKind.PER_CAPITA).count() == 3
