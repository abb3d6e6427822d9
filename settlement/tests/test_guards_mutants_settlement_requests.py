"""Guards in the request, decision and reunification services that `make mutation` found no test for (issue 9):
each test calls the service with the one input or actor that only its guard refuses, and fails when the guard is
deleted (the mutant's line is named above each test)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from settlement import services
from settlement.models import (ContactTitle, EventKind, Household, HouseholdStatus, MunicipalDecision, RequestedPlaces,
                               RequestLetter, RequestPlan, SettlementRequest)
from settlement.planning import Key
from settlement.services import reunification
from settlement.tests.factories import HouseholdFactory

KEY = Key(Decimal("0.5"), Decimal("0.25"), Decimal("0.25"), Decimal("1.10"))


def refused(exc_type, fn, *args, **kwargs) -> dict[str, set[str]]:
    """Field -> codes of the refusal (a PermissionDenied is {"": {code}}); fails unless `fn` raises exc_type."""
    with pytest.raises(exc_type) as exc:
        fn(*args, **kwargs)
    if isinstance(exc.value, PermissionDenied):
        return {"": error_codes(exc.value)}
    return {field: {e.code for e in errors} for field, errors in exc.value.error_dict.items()}


def _requests():
    return sorted(RequestedPlaces.objects.values_list("municipality_id", "year", "persons", "unaccompanied_minors"))


def _nothing_sent():
    return (not SettlementRequest.objects.exists() and not RequestLetter.objects.exists()
            and not RequestPlan.objects.exists() and not mail.outbox)


# --- create_settlement_request: the years near today (bounds.check_year on the first and on the last year) ----------

@pytest.mark.parametrize("offsets", [
    (-2, -1, 0),  # requests.py:54, check_year(min(years)): the last year is this year, the first two years back
    (2, 3, 4),  # requests.py:55, check_year(max(years)): the first year is in range, the last one four years ahead
])
def test_a_request_whose_first_or_last_year_is_out_of_range_is_refused(ref, actors, today, offsets):
    years = {today.year + o: (10, 1) for o in offsets}
    assert refused(ValidationError, services.create_settlement_request, actors["cw_ost"], municipality=ref["oslo"],
                   sent_on=today, reply_deadline=today + timedelta(days=30), years=years) == {"years": {"year_out_of_range"}}
    assert not SettlementRequest.objects.exists() and not RequestedPlaces.objects.exists()


# --- adjust_settlement_request ------------------------------------------------------------------------------------

@pytest.fixture
def oslo_request(ref, actors, today):
    y = today.year + 1
    return services.create_settlement_request(actors["cw_ost"], municipality=ref["oslo"], sent_on=today,
                                              reply_deadline=today + timedelta(days=30), years={y: (300, 20), y + 1: (320, 20)})


@pytest.mark.parametrize("who, code", [("cw_vest", "other_region"), ("ministry", "role_not_allowed"),
                                       ("oslo", "role_not_allowed")])
def test_only_imdi_in_the_municipalitys_region_adjusts_a_request(actors, oslo_request, today, who, code):
    # requests.py:79, adjust_settlement_request: policy.require_region (Oslo is in region Øst).
    y = today.year + 1
    before = _requests()
    assert refused(PermissionDenied, services.adjust_settlement_request, actors[who], oslo_request,
                   years={y: (1, 0), y + 1: (1, 0)}, note="Endret") == {"": {code}}
    assert _requests() == before
    oslo_request.refresh_from_db()
    assert (oslo_request.adjusted_at, oslo_request.note) == (None, "")


@pytest.mark.parametrize("first, code", [((-1, 0), "negative_count"), ((5, 6), "minors_exceed_persons"),
                                         ((10_001, 0), "count_out_of_range")])
def test_an_adjustment_with_impossible_numbers_is_refused(actors, oslo_request, today, first, code):
    # requests.py:80, adjust_settlement_request: _validate_years (the same years, so only the numbers are wrong).
    y = today.year + 1
    before = _requests()
    assert refused(ValidationError, services.adjust_settlement_request, actors["cw_ost"], oslo_request,
                   years={y: first, y + 1: (320, 20)}) == {"years": {code}}
    assert _requests() == before
    oslo_request.refresh_from_db()
    assert oslo_request.adjusted_at is None


# --- record_decision ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("minors", [-1, None])
def test_a_decision_with_a_negative_or_missing_minors_count_is_refused(ref, actors, today, minors):
    # requests.py:126, record_decision: `unaccompanied_minors is None or unaccompanied_minors < 0`.
    assert refused(ValidationError, services.record_decision, actors["oslo"], municipality=ref["oslo"], year=today.year,
                   places=3, unaccompanied_minors=minors, decided_on=today) == {"unaccompanied_minors": {"negative_count"}}
    assert not MunicipalDecision.objects.exists()


# --- send_request_letters -----------------------------------------------------------------------------------------

@pytest.fixture
def oslo_contact(ref, actors):
    return services.save_contact(actors["cw_ost"], municipality=ref["oslo"], name="Kommunedirektøren",
                                 title=ContactTitle.CHIEF_EXECUTIVE, email="kommunedirektor@oslo.kommune.no",
                                 receives_request_letter=True)


def _send(actor, *, first_year, places, needs=None, key=KEY, today):
    y = first_year
    return services.send_request_letters(
        actor, first_year=y, key=key, needs=needs or {y: (1000, 100), y + 1: (1000, 100), y + 2: (900, 90)},
        places=places, reply_deadline=today + timedelta(days=60), note="")


@pytest.mark.parametrize("who", ["ministry", "oslo"])
@pytest.mark.parametrize("bad", ["needs", "no_places"])
def test_sending_letters_refuses_the_role_before_looking_at_the_plan(ref, actors, oslo_contact, today, who, bad,
                                                                     django_capture_on_commit_callbacks):
    """requests.py:235, send_request_letters: policy.require. A role that may not send learns nothing about the
    plan: it gets PermissionDenied, not the plan's validation error (the per-municipality region check comes later)."""
    y = today.year + 1
    plan = {y: (5, 0), y + 1: (5, 0), y + 2: (5, 0)}
    kwargs = ({"needs": {y: (-1, 0), y + 1: (10, 0), y + 2: (10, 0)}, "places": {ref["oslo"].pk: plan}}
              if bad == "needs" else {"places": {}})
    with django_capture_on_commit_callbacks(execute=True):
        assert refused(PermissionDenied, _send, actors[who], first_year=y, today=today, **kwargs) == {"": {"role_not_allowed"}}
    assert _nothing_sent()


def test_a_bad_key_and_need_are_refused_before_the_places_are_looked_at(ref, actors, today,
                                                                        django_capture_on_commit_callbacks):
    """requests.py:245, send_request_letters: bounds.raise_if after the key and the needs. The caseworker's input
    errors come first and together; the plan's places (here none at all) are judged only for a usable key and need."""
    y = today.year + 1
    with django_capture_on_commit_callbacks(execute=True):
        assert refused(ValidationError, _send, actors["cw_ost"], first_year=y, today=today, places={},
                       key=Key(factor=Decimal("0.8")), needs={y: (10, 11), y + 1: (10, 0), y + 2: (10, 0)}) == {
            "needs": {"invalid_need"}, "factor": {"factor_out_of_range"}}
    assert _nothing_sent()


def test_a_municipality_of_another_region_is_refused_before_its_contact_register_is_looked_at(
        ref, actors, oslo_contact, today, django_capture_on_commit_callbacks):
    """requests.py:255, send_request_letters: policy.require_region per municipality. Bergen (region Vest) has no
    letter recipient: the caseworker of Øst gets other_region, never no_recipient (which tells what Vest's register
    holds), and no plan is saved."""
    y = today.year + 1
    plan = {y: (5, 0), y + 1: (5, 0), y + 2: (5, 0)}
    with django_capture_on_commit_callbacks(execute=True):
        assert refused(PermissionDenied, _send, actors["cw_ost"], first_year=y, today=today,
                       places={ref["oslo"].pk: plan, ref["bergen"].pk: plan}) == {"": {"other_region"}}
    assert _nothing_sent()


@pytest.mark.parametrize("offset", [-2, 4])
def test_a_plan_whose_first_year_is_out_of_range_is_refused_on_first_year(ref, actors, oslo_contact, today, offset,
                                                                          django_capture_on_commit_callbacks):
    """requests.py:264-265, send_request_letters: check_year(first_year) and the raise_if after it. Without them the
    round would still fail, later and on each municipality's years ("places"); the error is the plan's first year."""
    y = today.year + offset
    plan = {y: (5, 0), y + 1: (5, 0), y + 2: (5, 0)}
    with django_capture_on_commit_callbacks(execute=True):
        assert refused(ValidationError, _send, actors["cw_ost"], first_year=y, today=today,
                       places={ref["oslo"].pk: plan}) == {"first_year": {"year_out_of_range"}}
    assert _nothing_sent()


# --- assign_reunified ---------------------------------------------------------------------------------------------

@pytest.fixture
def linked_family(ref, actors, make_household, today):
    """A ready family in region Øst linked to a refugee settled in Bergen 30 days ago."""
    reference = HouseholdFactory(settled=True, municipality=ref["bergen"], settled_on=today - timedelta(days=30),
                                 waiting_since=today - timedelta(days=200)).persons.get()
    family = make_household(size=2, last="Gjenforent")
    services.link_reunification(actors["cw_ost"], family, reference_duf=reference.duf_number)
    return family


def _snapshot(household):
    h = Household.objects.get(pk=household.pk)
    return (h.status, h.reference_person_id, h.municipality_id, h.settlement_year, h.assigned_on, h.events.count())


@pytest.mark.parametrize("day", [date(1900, 1, 1), date(1999, 12, 31)])
def test_a_reunification_dated_before_the_apps_data_is_refused(actors, linked_family, day):
    # reunification.py: the assignment date's range (bounds.check_year; see the note on the removed check_date).
    before = _snapshot(linked_family)
    assert refused(ValidationError, services.assign_reunified, actors["cw_ost"], linked_family,
                   assigned_on=day) == {"assigned_on": {"year_out_of_range"}}
    assert _snapshot(linked_family) == before


def test_a_reference_person_changed_meanwhile_stops_the_assignment(ref, actors, linked_family, today, monkeypatch):
    """reunification.py:89, assign_reunified: `household.reference_person_id != reference_id`. The reference is read
    before the locks (its municipality is locked first); another caseworker relinks the family to a refugee settled
    in Tromsø between that read and the household's lock. The family must not go to Bergen."""
    other = HouseholdFactory(settled=True, municipality=ref["tromso"], settled_on=today - timedelta(days=30),
                             waiting_since=today - timedelta(days=200)).persons.get()
    lock_municipality = reunification.lock_municipality

    def relinked_meanwhile(municipality_id):
        Household.objects.filter(pk=linked_family.pk).update(reference_person=other)  # the other transaction
        return lock_municipality(municipality_id)

    monkeypatch.setattr(reunification, "lock_municipality", relinked_meanwhile)
    before = _snapshot(linked_family)
    assert refused(ValidationError, services.assign_reunified, actors["cw_ost"], linked_family) == {
        "assigned_on": {"reference_changed"}}
    status, _, municipality, year, assigned_on, events = _snapshot(linked_family)
    assert (status, municipality, year, assigned_on, events) == (before[0], None, None, None, before[5])
    assert status == HouseholdStatus.READY
    assert not linked_family.events.filter(kind=EventKind.REUNIFIED).exists()


def test_a_request_has_no_text_column_with_a_length_to_check():
    """create_settlement_request checks no lengths because there is nothing to check; a new CharField would need
    bounds.check_lengths back (PostgreSQL refuses over-long text with a 500)."""
    from settlement.models import SettlementRequest

    assert [f.name for f in SettlementRequest._meta.concrete_fields if getattr(f, "max_length", None)] == []
