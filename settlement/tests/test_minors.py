"""Unaccompanied minors (issue 12, item 4): the age groups (under 15, 15-18), Bufetat's scope and its proposals of
minors under 15 through the same service, and the refund basis per municipality (lines 3985-3999, 4210-4226)."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core import policy
from core.errors import error_codes
from core.models import Agency, Role
from core.roles import Actor, actor_for
from settlement import services
from settlement.definitions import AGE_15_18, UNDER_15, age_group, age_group_q, bufetat_minors_q, is_bufetat_minor
from settlement.models import Category, DistributionList, Household, HouseholdStatus, Person
from settlement.tests.factories import HouseholdFactory
from settlement.views.reunification import minors_settled_by_municipality


@pytest.fixture
def agency_users(make_user):
    return {code: make_user(Role.AGENCY, code, agency=Agency.objects.get(code=code)) for code in ("bufetat", "udi")}


@pytest.fixture
def bufetat(agency_users):
    return actor_for(agency_users["bufetat"])


def minor(age_years, today, days=0, permit=None, **kw):
    """An unaccompanied minor whose residence permit was 30 days ago, `age_years` (+ days) old on that day."""
    permit = permit or today - timedelta(days=30)
    born = permit - relativedelta(years=age_years) - timedelta(days=days)
    return HouseholdFactory(category=Category.UNACCOMPANIED_MINOR, waiting_since=permit, persons=[{"birth_date": born}], **kw)


# -- the one definition ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("born, on, group", [
    (date(2010, 6, 1), date(2025, 5, 31), UNDER_15),   # the day before the 15th birthday
    (date(2010, 6, 1), date(2025, 6, 1), AGE_15_18),   # the 15th birthday
    (date(2007, 6, 1), date(2025, 5, 31), AGE_15_18),  # 17, the day before 18
    (date(2007, 6, 1), date(2025, 6, 1), None),        # 18: an adult
    (date(2008, 2, 29), date(2023, 2, 28), UNDER_15),  # 29 February: 15 on 1 March in a common year
    (date(2008, 2, 29), date(2023, 3, 1), AGE_15_18),
    (date(2025, 1, 1), date(2025, 1, 1), UNDER_15),
])
def test_age_group_by_age_at_a_date(born, on, group):
    assert age_group(born, on) == group


def test_the_database_filter_agrees_with_the_python_rule(db, ref, today):
    permit = date(2025, 6, 1)
    births = [permit - relativedelta(years=y) + timedelta(days=d) for y in (14, 15, 17, 18) for d in (-1, 0, 1)]
    births += [date(2010, 2, 28), date(2010, 3, 1)]
    households = [HouseholdFactory(category=Category.RECEPTION_CENTRE, waiting_since=permit,
                                   persons=[{"birth_date": b, "residence_permit_date": permit} for b in part])
                  for part in (births[:7], births[7:])]
    persons = Person.objects.filter(household__in=households)
    for group in (UNDER_15, AGE_15_18):
        assert set(persons.filter(age_group_q(group)).values_list("birth_date", flat=True)) == {
            b for b in births if age_group(b, permit) == group}, group


def test_bufetats_group_is_unaccompanied_minors_all_under_15_on_the_permit_day(db, ref, today):
    young, fifteen, older_sibling = minor(14, today, days=364), minor(15, today), minor(12, today)
    adult_family = HouseholdFactory(adults=1, children=1)
    # Siblings, one 12 and one 16 on the permit day: not all under 15, so IMDi's.
    sibling = Person.objects.get(household=older_sibling)
    Person.objects.create(household=older_sibling, duf_number="202699999001", first_name="Eldre", last_name="Søsken",
                          birth_date=sibling.residence_permit_date - relativedelta(years=16), sex="M", nationality="ERI",
                          residence_permit_date=sibling.residence_permit_date)
    in_q = set(Household.objects.filter(bufetat_minors_q()).values_list("pk", flat=True))
    assert in_q == {young.pk}
    for h in (young, fifteen, older_sibling, adult_family):
        assert is_bufetat_minor(h) == (h.pk in in_q), h


# -- Bufetat's scope and access ---------------------------------------------------------------------------------------

def test_bufetat_web_user_sees_minors_under_15_only_and_other_agencies_none(ref, agency_users, bufetat, make_household, today):
    young, older = minor(10, today), minor(16, today)
    adult = make_household()
    seen = set(Household.objects.visible_to(bufetat).values_list("pk", flat=True))
    assert young.pk in seen and older.pk not in seen and adult.pk not in seen
    assert set(Person.objects.visible_to(bufetat).values_list("household_id", flat=True)) == {young.pk}
    udi = actor_for(agency_users["udi"])
    assert not Household.objects.visible_to(udi).filter(pk__in=[young.pk, older.pk]).exists()
    # Bufetat's API token with minors:read keeps seeing every unaccompanied minor (unchanged).
    token = Actor(user=agency_users["bufetat"], role=Role.AGENCY, agency_id=bufetat.agency_id,
                  scopes=frozenset({"minors:read"}))
    assert {young.pk, older.pk} <= set(Household.objects.visible_to(token).values_list("pk", flat=True))


def test_minor_permissions_are_bufetats_among_agencies(ref, agency_users, bufetat):
    udi = actor_for(agency_users["udi"])
    for permission in ("settlement.follow_minors", "settlement.propose_minors", "settlement.view_minor_refunds"):
        assert policy.can(bufetat, permission) and not policy.can(udi, permission)
    assert not policy.can(bufetat, "settlement.propose") and not policy.can(bufetat, "settlement.view_cases")


# -- proposing through the same service ----------------------------------------------------------------------------

def test_bufetat_proposes_a_minor_under_15_and_follows_it(ref, actors, bufetat, agency_users, decide, today):
    decide(ref["tromso"], places=5, minors=2)
    young = minor(11, today)
    dlist = services.propose_households(bufetat, municipality=ref["tromso"], household_ids=[young.pk],
                                        reply_deadline=today + timedelta(days=14))
    young.refresh_from_db()
    assert (young.status, young.municipality, dlist.created_by) == (HouseholdStatus.PROPOSED, ref["tromso"],
                                                                    agency_users["bufetat"])
    assert dlist.region == ref["nord"]
    # IMDi's caseworker for minors and the municipality follow the same proposal.
    services.accept_proposal(_tromso(ref), dlist.proposals.get())
    assert Household.objects.visible_to(bufetat).get(pk=young.pk).status == HouseholdStatus.ACCEPTED


def _tromso(ref):
    return Actor(user=None, role=Role.MUNICIPALITY, municipality_id=ref["tromso"].pk, can_write=True)


@pytest.mark.parametrize("kind", ["15-18", "adult"])
def test_bufetat_cannot_propose_imdis_groups(ref, bufetat, decide, make_household, today, kind):
    decide(ref["tromso"], places=5, minors=2)
    h = minor(16, today) if kind == "15-18" else make_household()
    before = Household.objects.get(pk=h.pk).status
    with pytest.raises(ValidationError) as exc:
        services.propose_households(bufetat, municipality=ref["tromso"], household_ids=[h.pk],
                                    reply_deadline=today + timedelta(days=14))
    assert error_codes(exc.value) == {"not_bufetat_minor"}
    assert Household.objects.get(pk=h.pk).status == before == HouseholdStatus.READY
    assert not DistributionList.objects.exists()


def test_imdi_proposes_every_group_and_other_agencies_nothing(ref, actors, agency_users, decide, today):
    decide(ref["tromso"], places=5, minors=2)
    older = minor(16, today)
    services.propose_households(actors["cw_nord"], municipality=ref["tromso"], household_ids=[older.pk],
                                reply_deadline=today + timedelta(days=14))
    young = minor(9, today)
    with pytest.raises(PermissionDenied) as exc:
        services.propose_households(actor_for(agency_users["udi"]), municipality=ref["tromso"], household_ids=[young.pk],
                                    reply_deadline=today + timedelta(days=14))
    assert error_codes(exc.value) == {"role_not_allowed"}
    assert Household.objects.get(pk=young.pk).status == HouseholdStatus.READY


# -- the refund basis per municipality ----------------------------------------------------------------------------

def test_refund_basis_counts_settled_minors_per_municipality_and_age_group(ref, today):
    year = today.year
    for age, municipality in ((10, "tromso"), (13, "tromso"), (16, "tromso"), (12, "bergen")):
        minor(age, today, settled=True, municipality=ref[municipality], settled_on=today)
    minor(11, today, permit=date(year - 1, 6, 1), settled=True, municipality=ref["tromso"],
          settled_on=date(year - 1, 12, 31))  # last year
    HouseholdFactory(settled=True, municipality=ref["tromso"], settled_on=today)  # an adult: no refund
    minor(8, today)  # waiting, not settled
    rows = {r["municipality"].number: (r["under_15"], r["age_15_18"], r["total"]) for r in minors_settled_by_municipality(year)}
    assert rows == {ref["tromso"].number: (2, 1, 3), ref["bergen"].number: (1, 0, 1)}
    assert minors_settled_by_municipality(year - 1) == [
        {"municipality": ref["tromso"], "under_15": 1, "age_15_18": 0, "total": 1}]


# -- pages ---------------------------------------------------------------------------------------------------------------

def test_bufetat_pages_home_minors_and_refund(client, ref, agency_users, decide, today):
    decide(ref["tromso"], places=5, minors=2)
    young, older = minor(10, today), minor(16, today)
    minor(12, today, settled=True, municipality=ref["tromso"], settled_on=today)
    client.force_login(agency_users["bufetat"])
    assert client.get("/").url == reverse("settlement:minors")
    page = client.get(reverse("settlement:minors"))
    assert page.status_code == 200
    ids = [h.pk for h in page.context["households"]]
    assert young.pk in ids and older.pk not in ids
    assert page.context["counts"][0][0] == "Under 15 år" and page.context["counts"][0][2] == 2
    assert page.context["counts"][1][2] == 0  # Bufetat does not see the 15-18 group
    response = client.post(reverse("settlement:minors"), {
        "municipality": ref["tromso"].pk, "year": today.year, "reply_deadline": (today + timedelta(days=10)).isoformat(),
        "households": [young.pk]})
    assert response.status_code == 302
    assert Household.objects.get(pk=young.pk).status == HouseholdStatus.PROPOSED
    # Bad input: a 400 with the field's error, nothing changed.
    response = client.post(reverse("settlement:minors"), {"municipality": ref["tromso"].pk, "year": today.year,
                                                          "reply_deadline": "", "households": []})
    assert response.status_code == 400 and "reply_deadline" in response.context["form"].errors
    refund = client.get(reverse("settlement:minor_refunds"), {"year": today.year})
    assert refund.status_code == 200 and refund.context["totals"] == {"under_15": 1, "age_15_18": 0, "total": 1}
    client.force_login(agency_users["udi"])
    assert client.get(reverse("settlement:minors")).status_code == 403
    assert client.get(reverse("settlement:minor_refunds")).status_code == 403


def test_caseworker_sees_both_age_groups_on_the_minors_page_and_the_household_page(client, ref, users, today):
    young, older = minor(10, today), minor(16, today)
    client.force_login(users["cw_nord"])
    page = client.get(reverse("settlement:minors"))
    assert {young.pk, older.pk} <= {h.pk for h in page.context["households"]}
    assert [c[2] for c in page.context["counts"]] == [1, 1]
    detail = client.get(reverse("settlement:household", args=[older.pk]))
    assert "Aldersgruppe ved vedtak om opphold" in detail.content.decode() and "15–18 år" in detail.content.decode()
