"""Reads for agreements: the follow-up dashboard and settlement in agreement municipalities."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Max, Q, Sum

from core.models import Municipality
from settlement.models import MunicipalDecision, Person, RequestedPlaces

from .models import ActionItem, PartnershipAgreement

MEETING_INTERVAL_MONTHS = 6


def report_due(year: int) -> date:
    """A yearly status report is due by 1 March the year after."""
    return date(year + 1, 3, 1)


def agreements_for(actor):
    """The agreements a user sees (agreements.querysets.AgreementQuerySet.visible_to)."""
    return PartnershipAgreement.objects.visible_to(actor).select_related("region")


def overdue_action_items(agreements, today: date):
    return (ActionItem.objects.filter(agreement__in=agreements, done_on__isnull=True, due_date__lt=today)
            .select_related("agreement", "responsible").order_by("due_date"))


def missed_reports(agreements, today: date) -> list[tuple[PartnershipAgreement, int]]:
    """(agreement, year) for every year whose report is past due and missing."""
    missed = []
    for a in agreements.prefetch_related("annual_reports"):
        delivered = {r.year for r in a.annual_reports.all()}
        for year in range(a.start_date.year, min(a.end_date.year, today.year - 1) + 1):
            if report_due(year) < today and year not in delivered:
                missed.append((a, year))
    return missed


def without_recent_meeting(agreements, today: date):
    """Active agreements with no follow-up meeting in the last six months."""
    since = today - relativedelta(months=MEETING_INTERVAL_MONTHS)
    return (agreements.filter(start_date__lte=today, end_date__gte=today, start_date__lt=since)
            .annotate(last_meeting=Max("meetings__held_on"))
            .filter(Q(last_meeting__isnull=True) | Q(last_meeting__lt=since)))


@dataclass
class GroupFigures:
    label: str
    municipalities: int = 0
    population: int = 0
    requested: int = 0
    decided: int = 0
    settled: int = 0

    @property
    def decided_share_of_requested(self):
        return round(100 * self.decided / self.requested, 1) if self.requested else None

    @property
    def settled_share_of_decided(self):
        return round(100 * self.settled / self.decided, 1) if self.decided else None

    @property
    def settled_per_1000(self):
        return round(1000 * self.settled / self.population, 2) if self.population else None


def settlement_by_agreement(year: int) -> tuple[GroupFigures, GroupFigures]:
    """What municipalities with an agreement active that year settle, against those without one."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    with_ids = set(PartnershipAgreement.objects.filter(start_date__lte=end, end_date__gte=start)
                   .values_list("municipalities__id", flat=True))
    requested = dict(RequestedPlaces.objects.filter(year=year).values_list("municipality_id").annotate(s=Sum("persons")))
    decided = dict(MunicipalDecision.objects.filter(year=year).values_list("municipality_id", "places"))
    settled = dict(Person.objects.filter(settled_on__year=year, household__municipality__isnull=False)
                   .values_list("household__municipality_id").annotate(n=Count("id")))
    groups = (GroupFigures("Med samarbeidsavtale"), GroupFigures("Uten samarbeidsavtale"))
    for mid, population in Municipality.objects.values_list("id", "population"):
        g = groups[0] if mid in with_ids else groups[1]
        g.municipalities += 1
        g.population += population
        g.requested += requested.get(mid, 0)
        g.decided += decided.get(mid, 0)
        g.settled += settled.get(mid, 0)
    return groups
