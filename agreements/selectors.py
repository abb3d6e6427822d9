"""Reads for agreements: the follow-up dashboard and settlement in agreement municipalities."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Max, Q, Sum

from core.models import Municipality
from settlement.models import MunicipalDecision, Person, RequestedPlaces

from core import policy

from .models import ActionItem, AgreementTemplate, MeetingTopic, MunicipalityContact, PartnershipAgreement, ReminderLog

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


def quiet_reminders(agreements) -> dict[int, date]:
    """The date the current quiet period's reminder went out, by agreement (for the follow-up page)."""
    from .services import QUIET, quiet_key

    keys = {quiet_key(a, a.last_meeting): a.pk for a in agreements}
    sent = ReminderLog.objects.filter(kind=QUIET, object_key__in=keys).values_list("object_key", "sent_on")
    return {keys[key]: sent_on for key, sent_on in sent}


def action_plan(agreement) -> list[dict]:
    """The yearly action plan (handlingsplan): the action items by the year they are due, with the year's count of
    done items and its yearly evaluation (the annual report), for every year of the agreement."""
    items = list(agreement.action_items.select_related("responsible").order_by("due_date", "id"))
    reports = {r.year: r for r in agreement.annual_reports.all()}
    plan = []
    for year in range(agreement.start_date.year, agreement.end_date.year + 1):
        year_items = [i for i in items if i.due_date.year == year]
        plan.append({"year": year, "items": year_items, "done": sum(1 for i in year_items if i.done_on),
                     "report": reports.get(year)})
    return plan


def topics_missing(agreement, year: int) -> list[str]:
    """The agreement's set yearly topics without a meeting on them in `year` (KINN: settlement and qualification
    each year, evaluation lines 3564-3566)."""
    covered = {t for topics in agreement.meetings.filter(held_on__year=year).values_list("topics", flat=True) for t in topics}
    return [MeetingTopic(t).label for t in agreement.meeting_topics if t not in covered]


def templates_for(actor):
    """National templates and, for a caseworker, the own office's; the national admin sees all."""
    templates = AgreementTemplate.objects.select_related("region").prefetch_related("plan_items")
    if actor.role == policy.ADMIN:
        return templates
    if actor.role == policy.CASEWORKER:
        return templates.filter(Q(region__isnull=True) | Q(region_id=actor.region_id))
    return templates.none()


def municipalities_without_agreement(actor, today: date, region_id=None):
    """Municipalities (as they are today) with no agreement active today, in the actor's scope, with the date of
    the last logged contact and the number of contacts: never contacted first, then the longest since."""
    municipalities = policy.restrict(Municipality.objects.valid_on(today), actor, region="region_id")
    if region_id is not None:
        municipalities = municipalities.filter(region_id=region_id)
    # Agreements without a municipality are left out: a NULL in NOT IN (...) would exclude every row.
    active = (PartnershipAgreement.objects.filter(start_date__lte=today, end_date__gte=today, municipalities__isnull=False)
              .values("municipalities"))
    return (municipalities.exclude(pk__in=active).select_related("region")
            .annotate(last_contact=Max("agreement_contacts__contacted_on"), contact_count=Count("agreement_contacts"))
            .order_by(F("last_contact").asc(nulls_first=True), "-population", "name"))


def contacts_for(actor):
    return policy.restrict(MunicipalityContact.objects.select_related("municipality", "recorded_by"), actor,
                           region="municipality__region_id")


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
