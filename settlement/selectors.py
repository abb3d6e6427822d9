"""Reads for the settlement pipeline. Every queryset here is scoped to the acting user."""

from django.http import Http404

from core.models import Role
from core.roles import Actor

from .definitions import (  # noqa: F401 - the definitions, re-exported: callers read them from selectors
    Capacity,
    capacities,
    capacity,
    decisions_at,
    long_waiting_person_q,
    long_waiting_persons,
    long_waiting_q,
    settled_q,
    used_places,
    waiting_persons,
    waiting_q,
)
from .models import (
    DistributionList,
    Household,
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


def work_queue(actor: Actor):
    """The caseworker's queue: households in the flow, longest-waiting first."""
    return (
        households_for(actor)
        .select_related("region", "reception_centre", "municipality")
        .prefetch_related("persons")
        .order_by("waiting_since", "id")
    )


def pending_proposals_for_municipality(actor: Actor):
    return (
        proposals_for(actor)
        .filter(status=ProposalStatus.PENDING)
        .select_related("household", "household__reception_centre", "distribution_list")
        .prefetch_related("household__persons")
        .order_by("distribution_list__reply_deadline", "id")
    )
