"""Pipeline guards that survived `make mutation` (issue 9): each test refuses an input or a state that only that guard
refuses, and checks that nothing changed.

Some states cannot arise through the services (a pending proposal whose household is no longer proposed, an accepted
household over a decision lowered past it); the tests make them with `.update()`, as an import or a repair outside
the services would, because the services must still refuse to build on them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from core.models import Role
from core.roles import Actor
from settlement import services
from settlement.models import (
    Category,
    Household,
    HouseholdStatus,
    MunicipalDecision,
    Person,
    Proposal,
    ProposalStatus,
)
from settlement.services import households as household_services
from settlement.services import interviews


def _codes(exc_info) -> set:
    return error_codes(exc_info.value)


# --- Proposals --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ministry", "oslo"])
def test_proposing_refuses_the_role_before_looking_at_the_input(actors, ref, today, who):
    """Without the up-front role check an outsider would learn the validation rules (here: an empty list)."""
    with pytest.raises(PermissionDenied):
        services.propose_households(actors[who], municipality=ref["oslo"], household_ids=[],
                                    reply_deadline=today + timedelta(days=14))


def _declined_then_proposed_elsewhere(ref, actors, make_household, decide, propose):
    """Proposal A to Oslo declined; the household then proposed to Bærum (proposal B pending)."""
    decide(ref["oslo"], places=5)
    decide(ref["baerum"], places=5)
    household = make_household()
    stale = propose(household, ref["oslo"])
    services.decline_proposal(actors["oslo"], stale, reason="housing")
    live = propose(household, ref["baerum"])
    return household, stale, live


def test_a_declined_proposal_cannot_be_accepted_while_the_household_is_proposed_elsewhere(
        ref, actors, make_household, decide, propose):
    household, stale, live = _declined_then_proposed_elsewhere(ref, actors, make_household, decide, propose)
    for answer in (lambda: services.accept_proposal(actors["oslo"], stale),
                   lambda: services.decline_proposal(actors["oslo"], stale, reason="housing")):
        with pytest.raises(ValidationError) as exc:
            answer()
        assert _codes(exc) == {"invalid_transition"}
    stale.refresh_from_db()
    household.refresh_from_db()
    assert stale.status == ProposalStatus.DECLINED
    assert (household.status, household.municipality_id) == (HouseholdStatus.PROPOSED, ref["baerum"].pk)


def test_a_declined_proposal_cannot_be_withdrawn_while_the_household_is_proposed_elsewhere(
        ref, actors, make_household, decide, propose):
    household, stale, live = _declined_then_proposed_elsewhere(ref, actors, make_household, decide, propose)
    with pytest.raises(ValidationError) as exc:
        services.withdraw_proposal(actors["cw_ost"], stale)
    assert _codes(exc) == {"invalid_transition"}
    household.refresh_from_db()
    live.refresh_from_db()
    assert (household.status, live.status) == (HouseholdStatus.PROPOSED, ProposalStatus.PENDING)


def test_an_accepted_proposal_cannot_be_withdrawn_once_the_household_is_assigned(
        ref, actors, make_household, decide, propose, today):
    decide(ref["oslo"], places=5)
    household = make_household()
    proposal = propose(household, ref["oslo"])
    services.accept_proposal(actors["oslo"], proposal)
    services.assign_household(actors["cw_ost"], household, assigned_on=today)
    with pytest.raises(ValidationError) as exc:
        services.withdraw_proposal(actors["cw_ost"], proposal)
    assert _codes(exc) == {"invalid_transition"}
    household.refresh_from_db()
    proposal.refresh_from_db()
    assert (household.status, proposal.status) == (HouseholdStatus.ASSIGNED, ProposalStatus.ACCEPTED)


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_a_pending_proposal_whose_household_left_the_proposed_state_is_not_answered(
        ref, actors, make_household, decide, propose, answer):
    decide(ref["oslo"], places=5)
    household = make_household()
    proposal = propose(household, ref["oslo"])
    Household.objects.filter(pk=household.pk).update(status=HouseholdStatus.READY)  # outside the services
    with pytest.raises(ValidationError) as exc:
        if answer == "accept":
            services.accept_proposal(actors["oslo"], proposal)
        else:
            services.decline_proposal(actors["oslo"], proposal, reason="housing")
    assert _codes(exc) == {"invalid_transition"}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.READY


def test_a_minor_is_not_accepted_once_the_municipality_lowered_its_minor_places(ref, actors, make_household, decide,
                                                                              propose, today):
    """A decision may be lowered below the minors proposed (only the accepted ones bind it); accepting one more
    minor than decided is then refused."""
    decide(ref["oslo"], places=10, minors=1)
    minor = make_household(category=Category.UNACCOMPANIED_MINOR, centre=ref["minors_centre"])
    proposal = propose(minor, ref["oslo"], actor="cw_nord")
    decide(ref["oslo"], places=10, minors=0)
    with pytest.raises(ValidationError) as exc:
        services.accept_proposal(actors["oslo"], proposal)
    assert _codes(exc) == {"no_minor_places"}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


# --- Households --------------------------------------------------------------------------------------------


def test_settlement_ready_refuses_a_duf_number_twice_in_one_household(ref, actors, today):
    admin = actors["admin"]
    person = {"first_name": "Yonas", "last_name": "Haile", "birth_date": today - timedelta(days=30 * 365),
              "sex": "M", "nationality": "ERI", "residence_permit_date": today - timedelta(days=10),
              "duf_number": "202612345601"}
    with pytest.raises(ValidationError) as exc:
        services.register_settlement_ready(admin, persons=[person, dict(person, first_name="Selam")],
                                           category=Category.RECEPTION_CENTRE, reception_centre=ref["centre"],
                                           settlement_ready_on=today)
    assert _codes(exc) == {"duplicate_duf"}
    assert not Person.objects.filter(duf_number="202612345601").exists()


def test_assignment_refuses_when_the_household_moved_between_the_read_and_the_lock(
        ref, actors, make_household, decide, propose, monkeypatch, today):
    """Declined and proposed elsewhere by another request between the first read and the lock: the lock held is
    the wrong municipality's, so the assignment is refused."""
    decide(ref["oslo"], places=5)
    decide(ref["baerum"], places=5)
    household = make_household()
    services.accept_proposal(actors["oslo"], propose(household, ref["oslo"]))
    real_lock = household_services.lock_municipality

    def lock_then_move(municipality_id):
        real_lock(municipality_id)
        Household.objects.filter(pk=household.pk).update(municipality=ref["baerum"])  # the other request

    monkeypatch.setattr(household_services, "lock_municipality", lock_then_move)
    with pytest.raises(ValidationError) as exc:
        services.assign_household(actors["cw_ost"], household, assigned_on=today)
    assert _codes(exc) == {"invalid_transition"}
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.ACCEPTED


def test_assignment_refuses_a_municipality_whose_decision_no_longer_holds_the_accepted(
        ref, actors, make_household, decide, propose, today):
    decide(ref["oslo"], places=2)
    household = make_household(size=2)
    services.accept_proposal(actors["oslo"], propose(household, ref["oslo"]))
    MunicipalDecision.objects.filter(municipality=ref["oslo"]).update(places=1)  # outside the services
    with pytest.raises(ValidationError) as exc:
        services.assign_household(actors["cw_ost"], household, assigned_on=today)
    assert _codes(exc) == {"no_capacity"}
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.ACCEPTED


def test_settlement_dates_for_a_person_of_another_household_are_refused(
        ref, actors, make_household, decide, propose, today):
    decide(ref["oslo"], places=5)
    household, other = make_household(), make_household(last="Annen")
    services.accept_proposal(actors["oslo"], propose(household, ref["oslo"]))
    services.assign_household(actors["cw_ost"], household, assigned_on=today)
    stranger = other.persons.get()
    with pytest.raises(ValidationError) as exc:
        services.register_settlement(actors["oslo"], household, dates={stranger.pk: today})
    assert _codes(exc) == {"person_not_in_household"}
    assert Person.objects.get(pk=stranger.pk).settled_on is None
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.ASSIGNED


# --- Interviews --------------------------------------------------------------------------------------------


def _centre_staff(ref):
    return Actor(user=None, role=Role.RECEPTION_CENTRE, reception_centre_id=ref["centre"].pk)


def test_an_interview_for_a_person_that_does_not_exist_is_a_field_error(ref, today):
    with pytest.raises(ValidationError) as exc:
        interviews.register_interview(_centre_staff(ref), Person(pk=987654321), held_on=today, interviewer="Kari")
    assert _codes(exc) == {"person_not_found"}


def test_an_interview_with_an_unknown_field_is_refused_before_anything_is_saved(ref, make_household, today):
    household = make_household(interviewed=False)
    person = household.persons.get()
    with pytest.raises(TypeError):
        interviews.register_interview(_centre_staff(ref), person, held_on=today, interviewer="Kari", salary=1)
    assert not Proposal.objects.exists()
    assert not person.__class__.objects.filter(pk=person.pk, interview__isnull=False).exists()
