"""The database constraints behind the service rules. Each case breaks exactly one constraint of a valid row."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from settlement.models import Household, MunicipalDecision, Person, Proposal, ProposalStatus, RequestedPlaces, SettlementRequest
from settlement.tests.factories import HouseholdFactory, ProposalFactory

PERMIT = date(2025, 1, 10)


@pytest.fixture
def rows(ref):
    ready = HouseholdFactory(reception_centre=ref["centre"], waiting_since=PERMIT)
    assigned = HouseholdFactory(reception_centre=ref["centre"], waiting_since=PERMIT, assigned=True, municipality=ref["oslo"],
                                assigned_on=date(2025, 3, 1))
    request = SettlementRequest.objects.create(municipality=ref["oslo"], sent_on=date(2025, 1, 1), reply_deadline=date(2025, 2, 1))
    return {"ready": ready, "assigned": assigned, "request": request, "oslo": ref["oslo"]}


def _household(rows, name, **changes):
    return lambda: Household.objects.filter(pk=rows[name].pk).update(**changes)


CHECKS = {
    "household_has_members": lambda r: _household(r, "ready", size=0)(),
    "household_waiting_target_3_or_6": lambda r: _household(r, "ready", waiting_target_months=4)(),
    "household_in_flow_has_municipality": lambda r: _household(r, "ready", status="proposed")(),
    "household_assigned_has_date": lambda r: _household(r, "assigned", assigned_on=None)(),
    "household_settled_after_assigned": lambda r: _household(r, "assigned", status="settled", settled_on=date(2025, 2, 1))(),
    "household_exit_has_reason": lambda r: _household(r, "ready", status="exited", exited_on=date(2025, 2, 1))(),
    "person_duf_12_digits": lambda r: Person.objects.filter(household=r["ready"]).update(duf_number="12345"),
    "person_settled_after_permit": lambda r: Person.objects.filter(household=r["ready"]).update(settled_on=PERMIT - timedelta(days=1)),
    "request_deadline_after_sent": lambda r: SettlementRequest.objects.filter(pk=r["request"].pk).update(reply_deadline=date(2024, 12, 1)),
    "requested_minors_within_persons": lambda r: RequestedPlaces.objects.create(
        request=r["request"], municipality=r["oslo"], year=2025, persons=2, unaccompanied_minors=3),
    "decision_minors_within_places": lambda r: MunicipalDecision.objects.create(
        municipality=r["oslo"], year=2025, places=2, unaccompanied_minors=3, decided_on=date(2025, 1, 1)),
    "declined_proposal_has_reason": lambda r: ProposalFactory(
        household=r["assigned"], status=ProposalStatus.DECLINED, decline_reason=""),
}


@pytest.mark.parametrize("name", CHECKS)
def test_check_constraint(rows, name):
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        CHECKS[name](rows)


def test_one_live_proposal_per_household(ref):
    household = HouseholdFactory(proposed=True, municipality=ref["oslo"], reception_centre=ref["centre"])
    ProposalFactory(household=household, status=ProposalStatus.DECLINED, decline_reason="housing")  # an old answer is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalFactory(household=household, status=ProposalStatus.ACCEPTED)
    assert Proposal.objects.filter(household=household).count() == 2


def test_one_request_and_one_decision_per_municipality_and_year(rows):
    RequestedPlaces.objects.create(request=rows["request"], municipality=rows["oslo"], year=2025, persons=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestedPlaces.objects.create(request=rows["request"], municipality=rows["oslo"], year=2025, persons=6)
    MunicipalDecision.objects.create(municipality=rows["oslo"], year=2025, places=5, decided_on=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalDecision.objects.create(municipality=rows["oslo"], year=2025, places=6, decided_on=date(2025, 1, 1))
