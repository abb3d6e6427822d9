"""Reads for grants: committed money per scheme, what each role sees, and summaries for pages and letters."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from core import policy

from core.roles import Actor

from .models import (
    ApplicationStatus,
    ClaimDispute,
    ClaimStatus,
    DisputeStatus,
    GrantApplication,
    GrantClaim,
    GrantClaimLine,
    GrantYear,
    PaymentBatch,
    RateKind,
    SchemeKind,
)

COMMITTED_APPLICATION = (ApplicationStatus.GRANTED, ApplicationStatus.PAID, ApplicationStatus.REPORTED)
COMMITTED_CLAIM = (ClaimStatus.APPROVED, ClaimStatus.PAID)
ZERO = Decimal("0")


def committed_by_scheme(year: int, scheme_ids=None) -> dict[int, Decimal]:
    """What each scheme has granted or approved for a year (søknader innvilget, krav godkjent eller
    utbetalt), in two queries however many schemes there are."""
    applications = GrantApplication.objects.filter(grant_year__year=year, status__in=COMMITTED_APPLICATION)
    # Approved or paid current versions, and a paid version whose corrections are not approved yet (its money is out).
    corrected_and_approved = GrantClaim.objects.filter(
        municipality_id=OuterRef("claim__municipality_id"), year=OuterRef("claim__year"), quarter=OuterRef("claim__quarter"),
        status__in=COMMITTED_CLAIM)
    lines = GrantClaimLine.objects.filter(
        Q(claim__status__in=COMMITTED_CLAIM)
        | (Q(claim__status=ClaimStatus.SUPERSEDED, claim__payment_batch__isnull=False) & ~Exists(corrected_and_approved)),
        claim__year=year)
    if scheme_ids is not None:
        applications = applications.filter(grant_year__scheme_id__in=scheme_ids)
        lines = lines.filter(scheme_id__in=scheme_ids)
    result = dict(applications.values_list("grant_year__scheme_id").annotate(s=Sum("amount_granted")))
    for scheme_id, amount in lines.values_list("scheme_id").annotate(s=Sum("amount")):
        result[scheme_id] = result.get(scheme_id, ZERO) + amount
    return result


def committed(grant_year: GrantYear) -> Decimal:
    return committed_by_scheme(grant_year.year, [grant_year.scheme_id]).get(grant_year.scheme_id, ZERO)


def budget_left(grant_year: GrantYear) -> Decimal:
    return grant_year.budget - committed(grant_year)


def scheme_overview(year: int) -> list[GrantYear]:
    """Each scheme's budget for the year with what is committed, what is left and the share used (%)."""
    years = list(GrantYear.objects.filter(year=year).select_related("scheme").order_by("scheme__number"))
    committed_ = committed_by_scheme(year)
    for gy in years:
        gy.committed = committed_.get(gy.scheme_id, 0)
        gy.left = gy.budget - gy.committed
        gy.use = round(100 * gy.committed / gy.budget, 1) if gy.budget else None
    return years




def projected_by_scheme(year: int) -> dict[int, Decimal]:
    """What the year's per-capita claims not yet approved will come to, from the persons settled so far: for each
    quarter, the entitlements of every municipality without an approved or paid claim for it. Settlements still to
    come are not guessed at. Cached by the data's version: it takes seconds at national scale (issue 14) and the
    claim pages and the scheme overview all show it."""
    from core.caching import cached_by_version
    from settlement.models import Household, Person

    from .models import GrantRate, ParticipationRecord, TrainingHours

    # Everything the forecast reads: settlements, exits, NIR, rates, claims.
    return cached_by_version("grants-projected", year, (Person, Household, ParticipationRecord, TrainingHours, GrantRate,
                                                        GrantClaim), lambda: _projected_by_scheme(year))


def _projected_by_scheme(year: int) -> dict[int, Decimal]:
    from .entitlements import entitlements_by_quarter
    from .models import GrantScheme

    codes = dict(GrantScheme.objects.values_list("code", "pk"))
    committed = defaultdict(set)  # {quarter: municipalities with an approved or paid claim}
    for municipality_id, quarter in GrantClaim.objects.filter(year=year, status__in=COMMITTED_CLAIM).values_list(
            "municipality_id", "quarter"):
        committed[quarter].add(municipality_id)
    result: dict[int, Decimal] = {}
    for quarter, lines in entitlements_by_quarter(year, skip=committed):
        if lines is None:
            continue  # no rates for the year: nothing to project
        for mlines in lines.values():
            for line in mlines:
                result[codes[line.scheme_code]] = result.get(codes[line.scheme_code], ZERO) + line.amount
    return result


def scheme_forecast(year: int) -> list[GrantYear]:
    """scheme_overview with, for a per-capita scheme, the forecast (approved so far + projected) and the over-run
    against the budget (`over`, None when within). The budget of a statutory grant warns, it never refuses."""
    years = scheme_overview(year)
    projected = projected_by_scheme(year) if any(gy.scheme.kind == SchemeKind.PER_CAPITA for gy in years) else {}
    for gy in years:
        gy.projected = gy.forecast = gy.over = None
        if gy.scheme.kind == SchemeKind.PER_CAPITA:
            gy.projected = projected.get(gy.scheme_id, ZERO)
            gy.forecast = gy.committed + gy.projected
            gy.over = gy.forecast - gy.budget if gy.forecast > gy.budget else None
    return years


def claim_warnings(claim: GrantClaim) -> list[GrantYear]:
    """The forecast of each scheme on the claim that runs over its budget (for the claim page)."""
    scheme_ids = set(claim.lines.values_list("scheme_id", flat=True))
    return [gy for gy in scheme_forecast(claim.year) if gy.scheme_id in scheme_ids and gy.over]


def disputes_for(actor: Actor) -> QuerySet:
    """Disputes on the claims the actor sees (a caseworker: the region's municipalities)."""
    claims = GrantClaim.objects.visible_to(actor)
    return (ClaimDispute.objects.filter(claim__in=claims.values("pk"))
            .select_related("claim__municipality", "person__household", "opened_by", "new_claim"))


def open_disputes_for(actor: Actor) -> QuerySet:
    return disputes_for(actor).filter(status=DisputeStatus.OPEN).order_by("opened_at")


def claim_versions(claim: GrantClaim) -> list[GrantClaim]:
    """Every version of the claim for its municipality and quarter, oldest first."""
    return list(GrantClaim.objects.filter(municipality_id=claim.municipality_id, year=claim.year, quarter=claim.quarter)
                .order_by("version"))


def budget_years() -> QuerySet:
    return GrantYear.objects.values_list("year", flat=True).distinct().order_by("-year")


def open_application_years(year: int) -> QuerySet:
    """The application schemes' budget years a form may offer for `year`."""
    return GrantYear.objects.filter(scheme__kind=SchemeKind.APPLICATION, year=year).select_related("scheme")


def claims_for(actor: Actor) -> QuerySet:
    """The claims a user sees (grants.querysets.GrantClaimQuerySet.visible_to)."""
    return GrantClaim.objects.visible_to(actor).select_related("municipality")


def applications_for(actor: Actor) -> QuerySet:
    """The applications a user sees (grants.querysets.GrantApplicationQuerySet.visible_to)."""
    return GrantApplication.objects.visible_to(actor).select_related("grant_year__scheme", "municipality")


def recent_batches(actor: Actor, limit: int = 20):
    return PaymentBatch.objects.visible_to(actor)[:limit]


def claim_summary(claim: GrantClaim) -> list[dict]:
    """The claim's lines summed per scheme and rate, for the decision letter (no personal data)."""
    rows = (claim.lines.values("scheme__name", "rate_kind", "entitlement_year")
            .annotate(amount=Sum("amount"), persons=Count("id")).order_by("scheme__name", "entitlement_year", "rate_kind"))
    return [{**r, "rate_label": RateKind(r["rate_kind"]).label} for r in rows]


def overdue_reports(today: date | None = None) -> QuerySet:
    """Paid grants whose report deadline has passed without a report."""
    today = today or timezone.localdate()
    return GrantApplication.objects.filter(status=ApplicationStatus.PAID, grant_year__report_deadline__lt=today)


def overdue_reports_for(actor: Actor, today: date | None = None) -> QuerySet:
    """The overdue reports a user follows up: a caseworker those of the region's municipalities, the national admin
    all (organisations' included); with the last reminder and how many were sent."""
    qs = overdue_reports(today)
    if actor.role == policy.CASEWORKER:
        qs = qs.filter(municipality__region_id=actor.region_id)
    elif not actor.is_admin:
        qs = qs.none()
    return (qs.select_related("grant_year__scheme", "municipality").prefetch_related("reminders")
            .annotate(reminder_count=Count("reminders")).order_by("grant_year__report_deadline", "pk"))
