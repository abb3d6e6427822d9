"""Reads for grants: committed money per scheme, what each role sees, and summaries for pages and letters."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from core.roles import Actor

from .models import (
    ApplicationStatus,
    ClaimStatus,
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
    lines = GrantClaimLine.objects.filter(claim__year=year, claim__status__in=COMMITTED_CLAIM)
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
