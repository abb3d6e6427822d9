"""Sane bounds (issue 9): every invalid state the attack found is refused by the service with a code, and the
database refuses the fixed bounds even when a write goes around the services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.errors import error_codes
from settlement import services
from settlement.models import Household, MunicipalDecision, Person, RequestedPlaces, SettlementRequest
from settlement.tests.factories import HouseholdFactory, person

FAR = date(9999, 12, 31)


def codes(call) -> set[str]:
    with pytest.raises(ValidationError) as exc:
        call()
    return error_codes(exc.value)


@pytest.mark.parametrize("field, value", [
    ("residence_permit_date", FAR), ("residence_permit_date", date(1, 1, 1)), ("birth_date", FAR),
    ("birth_date", date(1899, 12, 31)),
])
def test_register_refuses_permit_and_birth_outside_1900_to_today(actors, ref, today, field, value):
    row = person(date(1990, 1, 1), today - timedelta(days=10))
    row[field] = value
    call = lambda: services.register_household(actors["admin"], persons=[row], category="reception",  # noqa: E731
                                               reception_centre=ref["centre"])
    assert codes(call) == {"date_out_of_range"}
    assert not Household.objects.exists()


def test_register_refuses_a_future_permit_and_a_settlement_ready_date_in_9999(actors, ref, today):
    tomorrow = person(date(1990, 1, 1), today + timedelta(days=1))
    assert codes(lambda: services.register_household(actors["admin"], persons=[tomorrow], category="reception",
                                                     reception_centre=ref["centre"])) == {"date_out_of_range"}
    ok = person(date(1990, 1, 1), today - timedelta(days=1))
    assert codes(lambda: services.register_household(actors["admin"], persons=[ok], category="reception",
                                                     reception_centre=ref["centre"], settlement_ready_on=FAR)) == {"date_out_of_range"}


def test_register_refuses_a_thirteen_person_household_and_overlong_text(actors, ref, today):
    rows = [person(date(1990, 1, 1), today - timedelta(days=10)) for _ in range(13)]
    assert codes(lambda: services.register_household(actors["admin"], persons=rows, category="reception",
                                                     reception_centre=ref["centre"])) == {"too_many_persons"}
    assert codes(lambda: services.register_household(actors["admin"], persons=rows[:12], category="reception",
                                                     reception_centre=ref["centre"], ties_note="x" * 201)) == {"too_long"}
    assert services.register_household(actors["admin"], persons=rows[:12], category="reception",
                                       reception_centre=ref["centre"]).size == 12


def test_form_refuses_a_thirteenth_person(client, users, ref, today):
    client.force_login(users["cw_ost"])
    form = {"category": "reception", "reception_centre": ref["centre"].pk, "region": "", "settlement_ready_on": "",
            "special_needs": "", "tied_municipality": "", "ties_note": "",
            "p-TOTAL_FORMS": "13", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "1", "p-MAX_NUM_FORMS": "12"}
    for i in range(13):
        form.update({f"p-{i}-duf_number": f"2026{i:08d}", f"p-{i}-first_name": "A", f"p-{i}-last_name": "B",
                     f"p-{i}-birth_date": "1990-01-01", f"p-{i}-sex": "F", f"p-{i}-nationality": "ERI",
                     f"p-{i}-residence_permit_date": (today - timedelta(days=5)).isoformat()})
    response = client.post(reverse("settlement:household_new"), form)
    assert response.status_code == 400
    assert not Household.objects.exists()


def test_a_household_with_a_9999_permit_can_not_be_stored_at_all(ref):
    household = HouseholdFactory(reception_centre=ref["centre"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=household.pk).update(waiting_since=FAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(household=household).update(residence_permit_date=date(1, 1, 1))


def test_exit_date_between_2000_and_today(actors, make_household, today):
    household = make_household()
    assert codes(lambda: services.exit_household(actors["admin"], household, reason="withdrawn",
                                                 exited_on=date(1900, 1, 1))) == {"date_out_of_range"}
    assert codes(lambda: services.exit_household(actors["admin"], household, reason="withdrawn",
                                                 exited_on=today + timedelta(days=1))) == {"date_in_future"}
    assert services.exit_household(actors["admin"], household, reason="withdrawn", exited_on=today).exited_on == today


def test_decision_places_year_and_date_within_bounds(actors, ref, today):
    oslo = ref["oslo"]
    decide = lambda **kw: services.record_decision(actors["oslo"], municipality=oslo, **{  # noqa: E731
        "year": today.year, "places": 10, "decided_on": today, **kw})
    assert codes(lambda: decide(places=2**31)) == {"count_out_of_range"}
    assert codes(lambda: decide(places=10_001)) == {"count_out_of_range"}
    assert codes(lambda: decide(decided_on=date(1, 1, 1))) == {"date_out_of_range"}
    assert codes(lambda: decide(year=today.year + 4)) == {"year_out_of_range"}
    assert codes(lambda: decide(year=2101)) == {"year_out_of_range"}
    assert decide(places=10_000).places == 10_000
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalDecision.objects.filter(municipality=oslo).update(places=2**31 - 1)


def test_request_dates_years_and_counts_within_bounds(actors, ref, today):
    def create(**kw):
        args = {"municipality": ref["oslo"], "sent_on": today, "reply_deadline": today + timedelta(days=30),
                "years": {today.year + 1: (10, 0)}, **kw}
        return services.create_settlement_request(actors["admin"], **args)

    assert codes(lambda: create(sent_on=date(1900, 1, 1))) == {"date_out_of_range"}
    assert codes(lambda: create(reply_deadline=FAR)) == {"date_out_of_range"}
    assert codes(lambda: create(years={2101: (1, 0), 2102: (1, 0)})) == {"year_out_of_range"}
    assert codes(lambda: create(years={today.year - 2: (1, 0)})) == {"year_out_of_range"}
    assert codes(lambda: create(years={today.year: (2**31, 0)})) == {"count_out_of_range"}
    assert codes(lambda: create(note="x", sent_on=today + timedelta(days=1))) == {"date_out_of_range"}
    request = create()
    assert not SettlementRequest.objects.exclude(pk=request.pk).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestedPlaces.objects.filter(request=request).update(year=2101)


def test_distribution_list_deadline_and_year_within_bounds(actors, ref, make_household, decide, today):
    decide(ref["oslo"], places=10)
    household = make_household()
    propose = lambda **kw: services.propose_households(actors["admin"], municipality=ref["oslo"],  # noqa: E731
                                                       household_ids=[household.pk], **kw)
    assert codes(lambda: propose(reply_deadline=FAR)) == {"date_out_of_range"}
    assert codes(lambda: propose(reply_deadline=today + timedelta(days=14), year=2101)) == {"year_out_of_range"}
    assert propose(reply_deadline=today + timedelta(days=14)).year == today.year
