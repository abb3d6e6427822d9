"""Reads for the settlement pipeline. Every queryset here is scoped to the acting user."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from core.models import Role
from core.roles import Actor

from .models import (
    ACTIVE_STATUSES,
    Composition,
    DistributionList,
    Household,
    HouseholdStatus,
    MunicipalDecision,
    Person,
    Proposal,
    ProposalStatus,
    SettlementRequest,
)


def households_for(actor: Actor):
    """Households the actor may see: a region's caseworker sees the region's cases, a
    municipality sees only the cases it currently has, the ministry and agencies none."""
    qs = Household.objects.all()
    if actor.role == Role.NATIONAL_ADMIN:
        return qs
    if actor.role == Role.CASEWORKER:
        return qs.filter(region_id=actor.region_id)
    if actor.role == Role.MUNICIPALITY:
        return qs.filter(municipality_id=actor.municipality_id)
    return qs.none()


def persons_for(actor: Actor):
    return Person.objects.filter(household__in=households_for(actor).values("pk"))


def proposals_for(actor: Actor):
    qs = Proposal.objects.all()
    if actor.role == Role.NATIONAL_ADMIN:
        return qs
    if actor.role == Role.CASEWORKER:
        return qs.filter(household__region_id=actor.region_id)
    if actor.role == Role.MUNICIPALITY:
        return qs.filter(municipality_id=actor.municipality_id)
    return qs.none()


def distribution_lists_for(actor: Actor):
    qs = DistributionList.objects.select_related("municipality", "region")
    if actor.role == Role.NATIONAL_ADMIN:
        return qs
    if actor.role == Role.CASEWORKER:
        return qs.filter(region_id=actor.region_id)
    if actor.role == Role.MUNICIPALITY:
        return qs.filter(municipality_id=actor.municipality_id)
    return qs.none()


def requests_for(actor: Actor):
    qs = SettlementRequest.objects.select_related("municipality").prefetch_related("years")
    if actor.role == Role.NATIONAL_ADMIN:
        return qs
    if actor.role == Role.CASEWORKER:
        return qs.filter(municipality__region_id=actor.region_id)
    if actor.role == Role.MUNICIPALITY:
        return qs.filter(municipality_id=actor.municipality_id)
    return qs.none()


def decisions_for(actor: Actor):
    qs = MunicipalDecision.objects.select_related("municipality")
    if actor.role == Role.NATIONAL_ADMIN:
        return qs
    if actor.role == Role.CASEWORKER:
        return qs.filter(municipality__region_id=actor.region_id)
    if actor.role == Role.MUNICIPALITY:
        return qs.filter(municipality_id=actor.municipality_id)
    return qs.none()


def get_household(actor: Actor, pk) -> Household:
    """One household in the actor's scope; anything outside it is a 404, as if it did not exist."""
    try:
        return households_for(actor).select_related(
            "region", "reception_centre", "municipality", "tied_municipality"
        ).get(pk=pk)
    except (Household.DoesNotExist, ValueError):
        raise Http404("Fant ikke husstanden.")


def get_proposal(actor: Actor, pk) -> Proposal:
    try:
        return proposals_for(actor).select_related("household", "municipality", "distribution_list").get(pk=pk)
    except (Proposal.DoesNotExist, ValueError):
        raise Http404("Fant ikke forslaget.")


def long_waiting_q(today: date) -> Q:
    """Lengeventende: waiting longer than the target (3 or 6 months) since the residence permit."""
    return Q(status__in=ACTIVE_STATUSES) & (
        Q(waiting_target_months=3, waiting_since__lt=today - relativedelta(months=3))
        | Q(waiting_target_months=6, waiting_since__lt=today - relativedelta(months=6))
    )


def work_queue(actor: Actor):
    """The caseworker's queue: households in the flow, longest-waiting first."""
    return (
        households_for(actor)
        .select_related("region", "reception_centre", "municipality")
        .prefetch_related("persons")
        .order_by("waiting_since", "id")
    )


@dataclass
class Capacity:
    """A municipality's places in a year (kapasitet), in persons."""

    municipality_id: int
    year: int
    decided: int = 0
    decided_minors: int = 0
    proposed: int = 0
    accepted: int = 0
    assigned: int = 0
    settled: int = 0
    minors_in_flow: int = 0  # unaccompanied minors proposed, accepted, assigned or settled
    has_decision: bool = False

    @property
    def remaining(self) -> int:
        """Decided places minus those assigned or settled (ledig kapasitet)."""
        return self.decided - self.assigned - self.settled

    @property
    def available_to_accept(self) -> int:
        """Remaining places not already promised by an accepted proposal."""
        return self.remaining - self.accepted

    @property
    def available_to_propose(self) -> int:
        return self.available_to_accept - self.proposed

    @property
    def minors_remaining(self) -> int:
        return self.decided_minors - self.minors_in_flow


def capacities(municipality_ids, year: int) -> dict[int, Capacity]:
    """Capacity for many municipalities in two queries, however many there are."""
    ids = list(municipality_ids)
    result = {mid: Capacity(municipality_id=mid, year=year) for mid in ids}
    for d in MunicipalDecision.objects.filter(municipality_id__in=ids, year=year).values(
        "municipality_id", "places", "unaccompanied_minors"
    ):
        cap = result[d["municipality_id"]]
        cap.decided, cap.decided_minors, cap.has_decision = d["places"], d["unaccompanied_minors"], True

    def persons(status):
        return Coalesce(Sum("size", filter=Q(status=status)), 0)

    usage = (
        Household.objects.filter(municipality_id__in=ids, settlement_year=year)
        .values("municipality_id")
        .annotate(
            proposed=persons(HouseholdStatus.PROPOSED),
            accepted=persons(HouseholdStatus.ACCEPTED),
            assigned=persons(HouseholdStatus.ASSIGNED),
            settled=persons(HouseholdStatus.SETTLED),
            minors=Coalesce(
                Sum("size", filter=Q(composition=Composition.UNACCOMPANIED_MINOR) & ~Q(status=HouseholdStatus.EXITED)), 0
            ),
        )
    )
    for row in usage:
        cap = result[row["municipality_id"]]
        cap.proposed, cap.accepted = row["proposed"], row["accepted"]
        cap.assigned, cap.settled, cap.minors_in_flow = row["assigned"], row["settled"], row["minors"]
    return result


def capacity(municipality_id: int, year: int) -> Capacity:
    return capacities([municipality_id], year)[municipality_id]


def pending_proposals_for_municipality(actor: Actor):
    return (
        proposals_for(actor)
        .filter(status=ProposalStatus.PENDING)
        .select_related("household", "household__reception_centre", "distribution_list")
        .prefetch_related("household__persons")
        .order_by("distribution_list__reply_deadline", "id")
    )
