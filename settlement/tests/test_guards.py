"""Every role and scope guard of the settlement services fails a test when deleted (issue 9)."""

import pytest

from core.errors import error_codes
from settlement import selectors, services
from settlement.models import DeclineReason, ExitReason


@pytest.fixture
def proposed(make_household, ref):
    """An Øst household proposed to Oslo, with its live proposal."""
    household = make_household(proposed=True, municipality=ref["oslo"])
    return household, household.proposals.get()


def _codes(call):
    with pytest.raises(Exception) as exc:
        call()
    return error_codes(exc.value)


@pytest.mark.parametrize("who, code", [("oslo_read", "read_only"), ("bergen", "other_municipality"),
                                       ("cw_ost", "other_municipality")])
def test_decline_needs_a_writer_of_the_proposed_municipality(proposed, actors, who, code):
    _, proposal = proposed
    assert _codes(lambda: services.decline_proposal(actors[who], proposal, reason=DeclineReason.values[0])) == {code}


@pytest.mark.parametrize("who, code", [("oslo_read", "read_only"), ("bergen", "other_municipality")])
def test_accept_needs_a_writer_of_the_proposed_municipality(proposed, actors, who, code):
    _, proposal = proposed
    assert _codes(lambda: services.accept_proposal(actors[who], proposal)) == {code}


@pytest.mark.parametrize("who, code", [("cw_vest", "other_region"), ("oslo", "role_not_allowed")])
def test_withdraw_is_for_imdi_of_the_households_region(proposed, actors, who, code):
    _, proposal = proposed
    assert _codes(lambda: services.withdraw_proposal(actors[who], proposal)) == {code}


@pytest.mark.parametrize("who, code", [("cw_vest", "other_region"), ("oslo", "role_not_allowed"),
                                       ("ministry", "role_not_allowed")])
def test_exit_is_for_imdi_of_the_households_region(proposed, actors, who, code):
    household, _ = proposed
    assert _codes(lambda: services.exit_household(actors[who], household, reason=ExitReason.values[0])) == {code}


def test_proposals_are_scoped_to_the_region_and_the_municipality(proposed, actors):
    _, proposal = proposed
    seen = {name: set(selectors.proposals_for(actors[name])) for name in ("admin", "cw_ost", "cw_vest", "oslo", "bergen", "ministry")}
    assert seen == {"admin": {proposal}, "cw_ost": {proposal}, "cw_vest": set(), "oslo": {proposal}, "bergen": set(),
                    "ministry": set()}


def test_distribution_lists_and_requests_are_scoped_to_the_region(proposed, actors, ref, today):
    from datetime import timedelta
    _, proposal = proposed
    request = services.create_settlement_request(actors["cw_ost"], municipality=ref["oslo"], sent_on=today,
                                                 reply_deadline=today + timedelta(days=30), years={today.year + 1: (5, 0)})
    for name, sees in {"admin": True, "cw_ost": True, "cw_vest": False, "oslo": True, "bergen": False, "ministry": False}.items():
        assert (proposal.distribution_list in selectors.distribution_lists_for(actors[name])) is sees, name
        assert (request in selectors.requests_for(actors[name])) is sees, name
