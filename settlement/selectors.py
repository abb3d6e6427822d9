"""Reads for the settlement pipeline. Every queryset here is scoped to the acting user."""

from django.db.models import Prefetch
from django.http import Http404

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
    """Households the actor may see (settlement.querysets.HouseholdQuerySet.visible_to)."""
    return Household.objects.visible_to(actor)


def persons_for(actor: Actor):
    return Person.objects.visible_to(actor)


def proposals_for(actor: Actor):
    return Proposal.objects.visible_to(actor)


def distribution_lists_for(actor: Actor):
    return DistributionList.objects.visible_to(actor).select_related("municipality", "region")


def requests_for(actor: Actor):
    return SettlementRequest.objects.visible_to(actor).select_related("municipality").prefetch_related("years")


def decisions_for(actor: Actor):
    return MunicipalDecision.objects.visible_to(actor).select_related("municipality")


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
        .select_related("region", "reception_centre", "municipality", "interview_waiver")
        # Each member with their settlement interview, in the one query (the queue's interview columns).
        .prefetch_related(Prefetch("persons", queryset=Person.objects.select_related("interview")))
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


def shown_capacities(municipality_ids, year: int) -> dict:
    """definitions.capacities at today, as the pages show them, cached by the day and the version of what it reads
    (households, persons, decisions): two scans of the year's persons a municipality, 14 ms each at demo scale 5, on
    pages opened far more often than a household moves (issue 14). The services check capacity uncached."""
    from django.utils import timezone

    from core.caching import cached_by_version

    ids = sorted(set(municipality_ids))
    today = timezone.localdate()
    return cached_by_version("settlement-capacities", (ids, year, today.isoformat()), (Household, Person, MunicipalDecision),
                             lambda: capacities(ids, year, today))


def shown_capacity(municipality_id: int, year: int):
    return shown_capacities([municipality_id], year)[municipality_id]


def persons_by_region(today):
    """Persons per region at `today`, for the overview page and the aggregates API: per household status, and
    long-waiting (per person, footnote 17) and settled this year (by each person's own settlement date) as the
    monthly report counts them. No personal data. Cached by the day and the data's version: the count scans every
    person (0.1 s at demo scale 5, issue 14), and both pages are read far more often than households change."""
    from core.caching import cached_by_version

    found = cached_by_version("settlement-persons-by-region", today.isoformat(), (Household, Person),
                              lambda: _persons_by_region(today))
    return [dict(r) for r in found]  # callers may change their rows


def _persons_by_region(today):
    from datetime import date

    from django.db.models import Count, Q

    from .choices import ACTIVE_STATUSES
    from .models import HouseholdStatus

    in_process = [s for s in ACTIVE_STATUSES if s != HouseholdStatus.READY]
    rows = (Person.objects.values("household__region__name").annotate(
        **{status: Count("pk", filter=Q(household__status=status)) for status in HouseholdStatus.values},
        in_process=Count("pk", filter=Q(household__status__in=in_process)),
        long_waiting=Count("pk", filter=long_waiting_person_q(today)),
        settled_year=Count("pk", filter=settled_q(date(today.year, 1, 1), today)),
    ).order_by("household__region__name"))
    return [{"region": r.pop("household__region__name"), **r} for r in rows]
