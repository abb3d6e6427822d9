"""Distribution lists and proposals through the services: capacity, minors, answers, withdrawal, roles."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from settlement import selectors, services
from settlement.models import Category, EventKind, HouseholdStatus, Proposal, ProposalStatus


def test_decline_sends_household_back_to_be_proposed_elsewhere(ref, actors, make_household, decide, propose, today):
    decide(ref["oslo"], places=5)
    decide(ref["baerum"], places=5)
    household = make_household()
    proposal = propose(household, ref["oslo"])

    with pytest.raises(ValidationError) as exc:
        services.decline_proposal(actors["oslo"], proposal, reason="")
    assert error_codes(exc.value) == {"reason_required"}

    services.decline_proposal(actors["oslo"], proposal, reason="housing", comment="Ingen ledige boliger")
    household.refresh_from_db()
    proposal.refresh_from_db()
    assert (household.status, household.municipality_id) == (HouseholdStatus.READY, None)
    assert (proposal.status, proposal.decline_reason) == (ProposalStatus.DECLINED, "housing")
    assert selectors.capacity(ref["oslo"].pk, today.year).proposed == 0

    propose(household, ref["baerum"])
    household.refresh_from_db()
    assert household.municipality == ref["baerum"]
    assert household.proposals.count() == 2


def test_accepting_beyond_capacity_is_refused_and_changes_nothing(ref, actors, make_household, decide, propose, today):
    decide(ref["oslo"], places=4)
    first, second = make_household(size=2), make_household(size=2)
    p1, p2 = propose(first, ref["oslo"]), propose(second, ref["oslo"])
    # The municipality lowers its decision after the proposals were sent.
    decide(ref["oslo"], places=3)
    services.accept_proposal(actors["oslo"], p1)
    with pytest.raises(ValidationError) as exc:
        services.accept_proposal(actors["oslo"], p2)
    assert error_codes(exc.value) == {"over_capacity"}
    second.refresh_from_db()
    p2.refresh_from_db()
    assert (second.status, p2.status) == (HouseholdStatus.PROPOSED, ProposalStatus.PENDING)
    assert selectors.capacity(ref["oslo"].pk, today.year).accepted == 2


def test_proposing_beyond_capacity_or_without_decision_is_refused(ref, actors, make_household, decide, propose, today):
    household = make_household(size=3)
    with pytest.raises(ValidationError) as exc:
        propose(household, ref["oslo"])
    assert error_codes(exc.value) == {"no_decision"}
    decide(ref["oslo"], places=2)
    with pytest.raises(ValidationError) as exc:
        propose(household, ref["oslo"])
    assert error_codes(exc.value) == {"over_capacity"}
    household.refresh_from_db()
    assert household.status == HouseholdStatus.READY
    assert not Proposal.objects.exists()


def test_proposal_input_is_checked(ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=5)
    household = make_household()

    def propose(ids, deadline):
        return services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=ids, reply_deadline=deadline)

    for ids, deadline, code in (([], today, "no_households"), ([household.pk], today - timedelta(days=1), "deadline_in_past"),
                                ([household.pk, household.pk + 1000], today, "household_not_found")):
        with pytest.raises(ValidationError) as exc:
            propose(ids, deadline)
        assert error_codes(exc.value) == {code}


def test_unaccompanied_minors_need_minor_places(ref, actors, make_household, decide, propose, today):
    minor = make_household(category=Category.UNACCOMPANIED_MINOR, centre=ref["minors_centre"])
    decide(ref["oslo"], places=10, minors=0)
    with pytest.raises(ValidationError) as exc:
        propose(minor, ref["oslo"], actor="cw_nord")
    assert error_codes(exc.value) == {"no_minor_places"}
    decide(ref["oslo"], places=10, minors=1)
    propose(minor, ref["oslo"], actor="cw_nord")
    assert selectors.capacity(ref["oslo"].pk, today.year).minors_remaining == 0


def test_proposal_transitions_are_enforced_by_state(ref, actors, make_household, decide, propose):
    decide(ref["oslo"], places=5)
    household = make_household()
    proposal = propose(household, ref["oslo"])
    with pytest.raises(ValidationError) as exc:
        propose(household, ref["oslo"])
    assert error_codes(exc.value) == {"invalid_transition"}
    services.accept_proposal(actors["oslo"], proposal)
    for answer in (lambda: services.accept_proposal(actors["oslo"], proposal),
                   lambda: services.decline_proposal(actors["oslo"], proposal, reason="housing")):
        with pytest.raises(ValidationError) as exc:
            answer()
        assert error_codes(exc.value) == {"invalid_transition"}


def test_withdraw_takes_back_an_accepted_proposal_once(ref, actors, make_household, today):
    household = make_household(accepted=True, municipality=ref["oslo"])
    proposal = household.proposals.get()
    services.withdraw_proposal(actors["cw_ost"], proposal, note="Feil kommune")
    household.refresh_from_db()
    proposal.refresh_from_db()
    assert (household.status, household.municipality_id, proposal.status) == (HouseholdStatus.READY, None, ProposalStatus.WITHDRAWN)
    assert household.events.last().kind == EventKind.WITHDRAWN
    with pytest.raises(ValidationError) as exc:
        services.withdraw_proposal(actors["cw_ost"], proposal)
    assert error_codes(exc.value) == {"invalid_transition"}


def test_roles_and_scope_are_enforced(ref, actors, make_household, decide, propose, today):
    decide(ref["oslo"], places=5)
    household = make_household()  # region Øst
    for actor, code in (("cw_vest", "other_region"), ("oslo", "role_not_allowed")):
        with pytest.raises(PermissionDenied) as exc:
            propose(household, ref["oslo"], actor=actor)
        assert error_codes(exc.value) == {code}
    proposal = propose(household, ref["oslo"])
    for name, code in (("bergen", "other_municipality"), ("oslo_read", "read_only"), ("cw_ost", "other_municipality"),
                       ("ministry", "other_municipality")):
        with pytest.raises(PermissionDenied) as exc:
            services.accept_proposal(actors[name], proposal)
        assert error_codes(exc.value) == {code}
