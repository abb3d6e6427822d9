"""Households through the services: registration, the whole flow, assignment, settlement dates and exit."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from core.models import Role
from core.roles import Actor
from settlement import selectors, services
from settlement.services import interviews
from settlement.models import Category, Composition, EventKind, Household, HouseholdStatus, Person, ProposalStatus
from settlement.tests.factories import HouseholdFactory, person


def test_whole_flow_changes_status_capacity_timeline_and_audit(ref, actors, users, decide, propose, today):
    decide(ref["oslo"], places=10)
    household = services.register_household(
        actors["admin"], category=Category.RECEPTION_CENTRE, reception_centre=ref["centre"],
        persons=[person(date(1990, 5, 1), today - timedelta(days=100)), person(date(1992, 3, 1), today - timedelta(days=90)),
                 person(today - timedelta(days=3 * 365), today - timedelta(days=100))],
    )
    assert (household.composition, household.waiting_target_months, household.region) == (
        Composition.FAMILY_WITH_CHILDREN, 3, ref["ost"])
    assert household.waiting_since == today - timedelta(days=100)  # the earliest residence permit
    cap = selectors.capacity(ref["oslo"].pk, today.year)
    assert (cap.decided, cap.remaining, cap.available_to_propose) == (10, 10, 10)

    # The reception centre registers each adult's settlement interview before IMDi proposes (services.interviews).
    centre = Actor(user=None, role=Role.RECEPTION_CENTRE, reception_centre_id=ref["centre"].pk)
    for adult in household.persons.filter(birth_date__year__lt=2000):
        interviews.register_interview(centre, adult, held_on=today, interviewer="Kari")
    proposal = propose(household, ref["oslo"])
    assert selectors.capacity(ref["oslo"].pk, today.year).available_to_propose == 7

    services.accept_proposal(actors["oslo"], proposal)
    cap = selectors.capacity(ref["oslo"].pk, today.year)
    # One 'ledig' figure: the accepted household is held against the places too (issue 10).
    assert (cap.accepted, cap.remaining, cap.available_to_accept) == (3, 7, 7)

    services.assign_household(actors["cw_ost"], household, assigned_on=today - timedelta(days=5))
    assert selectors.capacity(ref["oslo"].pk, today.year).remaining == 7

    persons = list(household.persons.all())
    services.register_settlement(actors["oslo"], household, dates={persons[0].pk: today - timedelta(days=2)})
    services.register_settlement(actors["oslo"], household, dates={p.pk: today for p in persons[1:]})
    household.refresh_from_db()
    assert household.settled_on == today
    cap = selectors.capacity(ref["oslo"].pk, today.year)
    assert (cap.settled, cap.assigned, cap.remaining) == (3, 0, 7)

    # One of three settled is not yet the household: SETTLED comes only after the third date.
    kinds = list(household.events.values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.INTERVIEW, EventKind.INTERVIEW, EventKind.PROPOSED, EventKind.ACCEPTED, EventKind.ASSIGNED,
                     EventKind.PERSON_SETTLED, EventKind.PERSON_SETTLED, EventKind.PERSON_SETTLED, EventKind.SETTLED]
    # Audit log: who changed the household, and when.
    history = household.history.order_by("history_date")
    assert [h.status for h in history] == ["ready", "proposed", "accepted", "assigned", "settled"]
    assert history.last().history_user == users["oslo"]
    assert history.filter(status="assigned").get().history_user == users["cw_ost"]


def test_unaccompanied_minors_are_registered_to_imdi_nord(ref, actors, today):
    minor = services.register_household(
        actors["admin"], category=Category.UNACCOMPANIED_MINOR, reception_centre=ref["minors_centre"],
        persons=[person(today - timedelta(days=16 * 365), today - timedelta(days=40))],
    )
    assert (minor.region, minor.composition, minor.waiting_target_months) == (
        ref["nord"], Composition.UNACCOMPANIED_MINOR, 3)


@time_machine.travel(date(2025, 6, 15), tick=False)
def test_a_member_who_turned_18_before_registration_is_an_adult(ref, actors):
    def register(birth_date):
        return services.register_household(
            actors["admin"], category=Category.RECEPTION_CENTRE, reception_centre=ref["centre"],
            persons=[person(date(1990, 1, 1), date(2025, 3, 1)), person(birth_date, date(2025, 3, 1))])

    assert register(date(2007, 6, 15)).composition == Composition.FAMILY_WITHOUT_CHILDREN  # 18 today
    assert register(date(2007, 6, 16)).composition == Composition.FAMILY_WITH_CHILDREN  # 18 tomorrow


def test_register_household_validates_duf_duplicates_and_region(ref, actors, today):
    def register(persons, actor="admin", **kwargs):
        kwargs.setdefault("reception_centre", ref["centre"])
        return services.register_household(actors[actor], category=Category.RECEPTION_CENTRE, persons=persons, **kwargs)

    with pytest.raises(ValidationError) as exc:
        register([{**person(date(1990, 1, 1), today), "duf_number": "2026123"}])
    assert error_codes(exc.value) == {"invalid_duf"}
    with pytest.raises(ValidationError) as exc:
        register([])
    assert error_codes(exc.value) == {"no_persons"}
    with pytest.raises(ValidationError) as exc:
        register([person(date(1990, 1, 1), today)], reception_centre=None)
    assert error_codes(exc.value) == {"region_required"}
    with pytest.raises(PermissionDenied) as exc:
        register([person(date(1990, 1, 1), today)], actor="cw_vest")  # Råde mottak is in region Øst
    assert error_codes(exc.value) == {"other_region"}
    p = person(date(1990, 1, 1), today)
    register([p])
    with pytest.raises(ValidationError) as exc:
        register([dict(p)])
    assert error_codes(exc.value) == {"duf_taken"}
    assert Household.objects.count() == 1


def test_settlement_date_before_assignment_or_in_the_future_is_refused(ref, actors, make_household, today):
    household = make_household(size=2, assigned=True, municipality=ref["oslo"], assigned_on=today - timedelta(days=3))
    persons = list(household.persons.all())
    with pytest.raises(ValidationError) as exc:
        services.register_settlement(actors["oslo"], household, dates={
            persons[0].pk: today, persons[1].pk: today - timedelta(days=10),
        })
    assert error_codes(exc.value) == {"before_assignment"}
    assert list(exc.value.message_dict) == [f"person_{persons[1].pk}"]
    # Nothing was written, not even the valid date.
    assert not Person.objects.filter(household=household, settled_on__isnull=False).exists()
    with pytest.raises(ValidationError) as exc:
        services.register_settlement(actors["oslo"], household, dates={persons[0].pk: today + timedelta(days=1)})
    assert error_codes(exc.value) == {"date_in_future"}
    services.register_settlement(actors["oslo"], household, dates={persons[0].pk: today})
    with pytest.raises(ValidationError) as exc:
        services.register_settlement(actors["oslo"], household, dates={persons[0].pk: today})
    assert error_codes(exc.value) == {"already_settled"}
    with pytest.raises(ValidationError) as exc:
        services.register_settlement(actors["oslo"], household, dates={})
    assert error_codes(exc.value) == {"no_dates"}


def test_household_transitions_are_enforced_by_state(ref, actors, make_household, today):
    ready = make_household()
    with pytest.raises(ValidationError) as exc:
        services.assign_household(actors["cw_ost"], ready)
    assert error_codes(exc.value) == {"invalid_transition"}
    with pytest.raises(PermissionDenied) as exc:  # not Oslo's household (yet)
        services.register_settlement(actors["oslo"], ready, dates={1: today})
    assert error_codes(exc.value) == {"other_municipality"}
    proposed = make_household(proposed=True, municipality=ref["oslo"])
    with pytest.raises(ValidationError) as exc:
        services.register_settlement(actors["oslo"], proposed, dates={1: today})
    assert error_codes(exc.value) == {"invalid_transition"}


def test_assignment_date_rules(ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=5)
    household = make_household(accepted=True, municipality=ref["oslo"], permit=today - timedelta(days=30))
    for day, code in ((today + timedelta(days=1), "date_in_future"), (today - timedelta(days=31), "before_residence_permit")):
        with pytest.raises(ValidationError) as exc:
            services.assign_household(actors["cw_ost"], household, assigned_on=day)
        assert error_codes(exc.value) == {code}
    with pytest.raises(PermissionDenied) as exc:
        services.assign_household(actors["cw_vest"], household)
    assert error_codes(exc.value) == {"other_region"}
    services.assign_household(actors["cw_ost"], household, assigned_on=today - timedelta(days=30))
    household.refresh_from_db()
    assert (household.status, household.assigned_on) == (HouseholdStatus.ASSIGNED, today - timedelta(days=30))


def test_exit_withdraws_live_proposal(ref, actors, make_household, decide, propose, today):
    decide(ref["oslo"], places=5)
    household = make_household()
    proposal = propose(household, ref["oslo"])
    with pytest.raises(ValidationError) as exc:
        services.exit_household(actors["cw_ost"], household, reason="gone")
    assert error_codes(exc.value) == {"invalid_reason"}
    services.exit_household(actors["cw_ost"], household, reason="settled_on_own")
    household.refresh_from_db()
    proposal.refresh_from_db()
    assert (household.status, household.municipality_id) == (HouseholdStatus.EXITED, None)
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert selectors.capacity(ref["oslo"].pk, today.year).proposed == 0
    with pytest.raises(ValidationError) as exc:
        services.exit_household(actors["cw_ost"], household, reason="withdrawn")
    assert error_codes(exc.value) == {"invalid_transition"}


def test_settled_household_cannot_exit(ref, actors):
    household = HouseholdFactory(settled=True, municipality=ref["oslo"], reception_centre=ref["centre"])
    with pytest.raises(ValidationError) as exc:
        services.exit_household(actors["cw_ost"], household, reason="withdrawn")
    assert error_codes(exc.value) == {"invalid_transition"}
