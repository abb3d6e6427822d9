"""Family reunification (issue 12, item 5) and transfers between regional offices (item 9) through the services:
every role, every rule, and bad input refused with a code while nothing changes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from core.models import Region
from settlement import selectors, services
from settlement.definitions import settled_q
from settlement.models import Composition, DistributionList, EventKind, Household, HouseholdStatus, Person, Proposal
from settlement.tests.factories import HouseholdFactory


@pytest.fixture
def bufetat(make_user):
    from core.models import Agency, Role
    from core.roles import actor_for
    return actor_for(make_user(Role.AGENCY, "bufetat", agency=Agency.objects.get(code="bufetat")))


def codes(exc_info):
    return error_codes(exc_info.value)


@pytest.fixture
def reference(ref, today):
    """A single refugee settled in Bergen 30 days ago: the reference person (referanseperson)."""
    h = HouseholdFactory(settled=True, municipality=ref["bergen"], settled_on=today - timedelta(days=30),
                         waiting_since=today - timedelta(days=200))
    return h.persons.get()


@pytest.fixture
def family(make_household):
    """Two family members registered in region Øst, ready (the household that joins the reference person)."""
    return make_household(size=2, last="Gjenforent")


def snapshot(household):
    h = Household.objects.get(pk=household.pk)
    return (h.status, h.reference_person_id, h.municipality_id, h.settlement_year, h.assigned_on, h.region_id,
            h.events.count(), h.history.count())


def test_linked_family_is_assigned_straight_to_the_reference_municipality_settled_and_counted(
        ref, actors, users, reference, family, today):
    services.link_reunification(actors["cw_ost"], family, reference_duf=reference.duf_number, note="Ektefelle og barn")
    family.refresh_from_db()
    assert (family.reference_person, family.status, family.municipality) == (reference, HouseholdStatus.READY, None)

    services.assign_reunified(actors["cw_ost"], family, assigned_on=today - timedelta(days=2))
    family.refresh_from_db()
    assert (family.status, family.municipality, family.settlement_year, family.assigned_on) == (
        HouseholdStatus.ASSIGNED, ref["bergen"], (today - timedelta(days=2)).year, today - timedelta(days=2))
    # No distribution list and no proposal: the municipality is not asked.
    assert not Proposal.objects.filter(household=family).exists() and not DistributionList.objects.exists()
    # Bergen has no decision at all: the assignment needs neither a decision nor free places.
    assert not selectors.capacity(ref["bergen"].pk, family.settlement_year).has_decision

    # The municipality registers the settlement date as for any household.
    persons = list(family.persons.all())
    services.register_settlement(actors["bergen"], family, dates={p.pk: today for p in persons})
    family.refresh_from_db()
    assert family.status == HouseholdStatus.SETTLED
    # Counted in the year's figures (settled persons by date) and in the places used...
    year = today.year
    assert Person.objects.filter(settled_q(date(year, 1, 1), today), household=family).count() == 2
    assert selectors.used_places([ref["bergen"].pk], year, today)[ref["bergen"].pk]["settled"] >= 2
    # The per-capita grants follow: grants/tests/test_reunified_entitlements.py (settlement imports no grants).

    kinds = list(family.events.values_list("kind", flat=True))
    assert kinds[-5:] == [EventKind.REUNIFICATION_LINKED, EventKind.REUNIFIED, EventKind.PERSON_SETTLED,
                          EventKind.PERSON_SETTLED, EventKind.SETTLED]
    assert family.history.filter(status=HouseholdStatus.ASSIGNED).get().history_user == users["cw_ost"]
    # The municipality sees the household now, with the link in its timeline.
    assert selectors.households_for(actors["bergen"]).filter(pk=family.pk).exists()


def test_assignment_beyond_the_decision_goes_through_and_is_said_in_the_timeline(ref, actors, decide, reference, family, today):
    decide(ref["bergen"], places=2)  # the reference person uses one of the two places
    services.link_reunification(actors["admin"], family, reference_duf=reference.duf_number)
    services.assign_reunified(actors["admin"], family)
    assert selectors.capacity(ref["bergen"].pk, today.year).remaining == -1
    assert "1 flere personer enn vedtaket" in family.events.get(kind=EventKind.REUNIFIED).note


@pytest.mark.parametrize("role, code", [("cw_vest", "other_region"), ("bergen", "role_not_allowed"),
                                        ("oslo", "role_not_allowed"), ("ministry", "role_not_allowed"),
                                        ("bufetat", "role_not_allowed")])
def test_only_imdi_in_the_households_region_links_and_assigns(ref, actors, bufetat, reference, family, role, code):
    actor = bufetat if role == "bufetat" else actors[role]
    before = snapshot(family)
    with pytest.raises(PermissionDenied) as exc:
        services.link_reunification(actor, family, reference_duf=reference.duf_number)
    assert codes(exc) == {code}
    services.link_reunification(actors["cw_ost"], family, reference_duf=reference.duf_number)
    linked = snapshot(family)
    with pytest.raises(PermissionDenied) as exc:
        services.assign_reunified(actor, family)
    assert codes(exc) == {code}
    assert snapshot(family) == linked and before[0] == linked[0]


@pytest.mark.parametrize("duf, code", [("123", "invalid_duf"), ("", "invalid_duf"), ("999999999999", "reference_not_found")])
def test_a_bad_reference_number_is_refused(actors, family, duf, code):
    before = snapshot(family)
    with pytest.raises(ValidationError) as exc:
        services.link_reunification(actors["cw_ost"], family, reference_duf=duf)
    assert codes(exc) == {code} and "reference_duf" in exc.value.message_dict
    assert snapshot(family) == before


def test_a_note_longer_than_500_characters_is_refused(actors, reference, family):
    before = snapshot(family)
    with pytest.raises(ValidationError) as exc:
        services.link_reunification(actors["cw_ost"], family, reference_duf=reference.duf_number, note="x" * 501)
    assert codes(exc) == {"too_long"} and snapshot(family) == before


def test_the_reference_must_be_settled_and_outside_the_household(ref, actors, make_household, family):
    waiting = make_household(last="Venter")
    before = snapshot(family)
    with pytest.raises(ValidationError) as exc:
        services.link_reunification(actors["cw_ost"], family, reference_duf=waiting.persons.get().duf_number)
    assert codes(exc) == {"reference_not_settled"}
    with pytest.raises(ValidationError) as exc:
        services.link_reunification(actors["cw_ost"], family, reference_duf=family.persons.first().duf_number)
    assert codes(exc) == {"same_household"}
    assigned = HouseholdFactory(assigned=True, municipality=ref["oslo"])  # assigned, not yet settled
    with pytest.raises(ValidationError) as exc:
        services.link_reunification(actors["cw_ost"], family, reference_duf=assigned.persons.get().duf_number)
    assert codes(exc) == {"reference_not_settled"}
    assert snapshot(family) == before


def test_only_a_ready_household_is_linked_or_assigned(ref, actors, reference, make_household):
    proposed = make_household(proposed=True, municipality=ref["oslo"])
    before = snapshot(proposed)
    with pytest.raises(ValidationError) as exc:
        services.link_reunification(actors["cw_ost"], proposed, reference_duf=reference.duf_number)
    assert codes(exc) == {"invalid_transition"}
    Household.objects.filter(pk=proposed.pk).update(reference_person=reference)
    with pytest.raises(ValidationError) as exc:
        services.assign_reunified(actors["cw_ost"], proposed)
    assert codes(exc) == {"invalid_transition"}
    assert snapshot(proposed)[0] == before[0] == HouseholdStatus.PROPOSED


def test_assignment_dates_and_the_link_are_checked(ref, actors, reference, family, today):
    before = snapshot(family)
    with pytest.raises(ValidationError) as exc:
        services.assign_reunified(actors["cw_ost"], family)
    assert codes(exc) == {"no_reference"}
    services.link_reunification(actors["cw_ost"], family, reference_duf=reference.duf_number)
    linked = snapshot(family)
    for day, code in [(today + timedelta(days=1), "date_in_future"),
                      (family.waiting_since - timedelta(days=1), "before_residence_permit"),
                      (reference.settled_on - timedelta(days=1), "before_reference_settled"),
                      (date(1999, 1, 1), "year_out_of_range")]:
        with pytest.raises(ValidationError) as exc:
            services.assign_reunified(actors["cw_ost"], family, assigned_on=day)
        assert code in codes(exc), day
        assert snapshot(family) == linked
    assert before[1] is None


def test_a_reference_household_that_left_the_flow_no_longer_takes_the_family(ref, actors, reference, family):
    services.link_reunification(actors["cw_ost"], family, reference_duf=reference.duf_number)
    Household.objects.filter(pk=reference.household_id).update(
        status=HouseholdStatus.EXITED, exit_reason="left_country", exited_on=reference.settled_on, municipality=None,
        settlement_year=None, assigned_on=None)
    linked = snapshot(family)
    with pytest.raises(ValidationError) as exc:
        services.assign_reunified(actors["cw_ost"], family)
    assert codes(exc) == {"reference_not_settled"}
    assert snapshot(family) == linked


def test_assigned_twice_is_refused(actors, reference, family):
    services.link_reunification(actors["cw_ost"], family, reference_duf=reference.duf_number)
    services.assign_reunified(actors["cw_ost"], family)
    assigned = snapshot(family)
    with pytest.raises(ValidationError) as exc:
        services.assign_reunified(actors["cw_ost"], family)
    assert codes(exc) == {"invalid_transition"}
    assert snapshot(family) == assigned


# -- transfer between regional offices ------------------------------------------------------------------------------

def test_caseworker_transfers_a_household_the_new_region_sees_it_and_the_old_does_not(ref, actors, users, family):
    assert selectors.households_for(actors["cw_ost"]).filter(pk=family.pk).exists()
    services.transfer_household(actors["cw_ost"], family, region=ref["vest"], note="Flyttet til mottak i vest")
    family.refresh_from_db()
    assert family.region == ref["vest"]
    assert not selectors.households_for(actors["cw_ost"]).filter(pk=family.pk).exists()
    assert selectors.households_for(actors["cw_vest"]).filter(pk=family.pk).exists()
    e = family.events.get(kind=EventKind.TRANSFERRED)
    assert (e.actor, e.note) == (users["cw_ost"], "Fra IMDi Øst til IMDi Vest. Flyttet til mottak i vest")
    assert family.history.first().history_user == users["cw_ost"] and family.history.first().region_id == ref["vest"].pk
    # The new region acts on it; the old one can no longer.
    with pytest.raises(PermissionDenied) as exc:
        services.transfer_household(actors["cw_ost"], family, region=ref["ost"])
    assert codes(exc) == {"other_region"}
    services.transfer_household(actors["cw_vest"], family, region=ref["nord"])
    services.transfer_household(actors["admin"], family, region=ref["ost"])  # the national admin, any region
    assert Household.objects.get(pk=family.pk).region == ref["ost"]


@pytest.mark.parametrize("role, code", [("cw_vest", "other_region"), ("oslo", "role_not_allowed"),
                                        ("ministry", "role_not_allowed"), ("bufetat", "role_not_allowed")])
def test_transfer_is_for_the_households_region_or_the_admin(ref, actors, bufetat, family, role, code):
    actor = bufetat if role == "bufetat" else actors[role]
    before = snapshot(family)
    with pytest.raises(PermissionDenied) as exc:
        services.transfer_household(actor, family, region=ref["vest"])
    assert codes(exc) == {code}
    assert snapshot(family) == before


def test_transfer_refuses_bad_input(ref, actors, family, make_household):
    before = snapshot(family)
    for kwargs, code in [({"region": None}, "region_required"), ({"region": ref["ost"]}, "same_region"),
                         ({"region": ref["vest"], "note": "x" * 501}, "too_long")]:
        with pytest.raises(ValidationError) as exc:
            services.transfer_household(actors["cw_ost"], family, **kwargs)
        assert codes(exc) == {code}
    assert snapshot(family) == before
    settled = make_household(settled=True, municipality=ref["oslo"])
    with pytest.raises(ValidationError) as exc:
        services.transfer_household(actors["cw_ost"], settled, region=ref["vest"])
    assert codes(exc) == {"not_in_flow"}
    assert Household.objects.get(pk=settled.pk).region == ref["ost"]


def test_minors_under_15_stay_with_the_one_minors_office(ref, actors, today):
    minor = HouseholdFactory(category="unaccompanied_minor", persons=[{"birth_date": today - timedelta(days=365 * 12)}])
    assert (minor.composition, minor.region) == (Composition.UNACCOMPANIED_MINOR, ref["nord"])
    with pytest.raises(ValidationError) as exc:
        services.transfer_household(actors["admin"], minor, region=ref["ost"])
    assert codes(exc) == {"minors_region"}
    assert Household.objects.get(pk=minor.pk).region == ref["nord"]
    older = HouseholdFactory(category="unaccompanied_minor", persons=[{"birth_date": today - timedelta(days=365 * 16 + 10)}])
    services.transfer_household(actors["admin"], older, region=ref["ost"])  # 15-18: IMDi's, any office
    assert Household.objects.get(pk=older.pk).region == ref["ost"]


def test_regions_are_the_six_offices(ref):
    assert Region.objects.count() == 6
