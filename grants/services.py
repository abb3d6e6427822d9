"""Writes for grants: claims built from settlements, and the application workflow.

No scheme may pay out more than its budget for the year: every approval or grant locks the
scheme's year row and checks what is already committed.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from core.audit import save_as as _save
from core.models import Municipality, Role
from core.roles import Actor, IMDI_ROLES, require_municipality_writer, require_role

from . import entitlements
from .models import (
    ApplicationStatus,
    ClaimStatus,
    GrantApplication,
    GrantClaim,
    GrantClaimLine,
    GrantScheme,
    GrantYear,
    PaymentBatch,
    RateKind,
    SchemeKind,
)

COMMITTED_APPLICATION = (ApplicationStatus.GRANTED, ApplicationStatus.PAID, ApplicationStatus.REPORTED)
ZERO = Decimal("0")


def _kr(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", " ") + " kr"


# --- Budgets ----------------------------------------------------------------------------------


def committed_by_scheme(year: int, scheme_ids=None) -> dict[int, Decimal]:
    """What each scheme has granted or approved for a year (søknader innvilget, krav godkjent eller
    utbetalt), in two queries however many schemes there are."""
    applications = GrantApplication.objects.filter(grant_year__year=year, status__in=COMMITTED_APPLICATION)
    lines = GrantClaimLine.objects.filter(claim__year=year, claim__status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID])
    if scheme_ids is not None:
        applications = applications.filter(grant_year__scheme_id__in=scheme_ids)
        lines = lines.filter(scheme_id__in=scheme_ids)
    result = dict(applications.values_list("grant_year__scheme_id").annotate(s=Sum("amount_granted")))
    for scheme_id, amount in lines.values_list("scheme_id").annotate(s=Sum("amount")):
        result[scheme_id] = result.get(scheme_id, ZERO) + amount
    return result


def committed(grant_year: GrantYear) -> Decimal:
    return committed_by_scheme(grant_year.year, [grant_year.scheme_id]).get(grant_year.scheme_id, ZERO)


def _lock_grant_year(scheme_id, year) -> GrantYear:
    try:
        return GrantYear.objects.select_for_update().select_related("scheme").get(scheme_id=scheme_id, year=year)
    except GrantYear.DoesNotExist:
        raise ValidationError(f"Ordningen har ingen bevilgning for {year}.")


# --- Per-capita claims ------------------------------------------------------------------------


@transaction.atomic
def build_claims(year: int, quarter: int, municipality_ids=None) -> dict:
    """Compute every municipality's claim for a quarter from the settlement data.

    Calculated claims are rebuilt; approved or paid claims are never touched again.
    """
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": "Kvartal må være 1–4."})
    try:
        lines = entitlements.compute_entitlements(year, quarter, municipality_ids)
    except entitlements.MissingRate as exc:
        raise ValidationError(str(exc))
    schemes = {s.code: s for s in GrantScheme.objects.all()}
    result = {"created": 0, "updated": 0, "locked": 0, "total": ZERO}
    existing = {c.municipality_id: c for c in GrantClaim.objects.select_for_update().filter(year=year, quarter=quarter)}
    for municipality_id, mlines in sorted(lines.items()):
        claim = existing.get(municipality_id)
        if claim is not None and claim.status != ClaimStatus.CALCULATED:
            result["locked"] += 1
            continue
        if claim is None:
            claim = GrantClaim.objects.create(municipality_id=municipality_id, year=year, quarter=quarter)
            result["created"] += 1
        else:
            claim.lines.all().delete()
            result["updated"] += 1
        GrantClaimLine.objects.bulk_create([
            GrantClaimLine(claim=claim, scheme=schemes[line.scheme_code], person_id=line.person_id, rate_kind=line.rate_kind,
                           entitlement_year=line.entitlement_year, amount=line.amount, description=line.description)
            for line in mlines
        ])
        claim.total = sum((line.amount for line in mlines), ZERO)
        claim.save(update_fields=["total", "calculated_at"])
        result["total"] += claim.total
    return result


@transaction.atomic
def approve_claim(actor: Actor, claim: GrantClaim) -> GrantClaim:
    require_role(actor, Role.NATIONAL_ADMIN)
    claim = GrantClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.CALCULATED:
        raise ValidationError(f"Kravet er allerede {claim.get_status_display().lower()}.")
    per_scheme = defaultdict(lambda: ZERO)
    for scheme_id, amount in claim.lines.values_list("scheme_id", "amount"):
        per_scheme[scheme_id] += amount
    for scheme_id, amount in sorted(per_scheme.items()):
        gy = _lock_grant_year(scheme_id, claim.year)
        left = gy.budget - committed(gy)
        if amount > left:
            raise ValidationError(f"{gy.scheme.name}: kravet på {_kr(amount)} overskrider bevilgningen for {claim.year} "
                                  f"({_kr(max(left, ZERO))} igjen).")
    claim.status, claim.approved_by, claim.approved_at = ClaimStatus.APPROVED, actor.user, timezone.now()
    _save(claim, actor)
    return claim


@transaction.atomic
def create_payment_batch(actor: Actor, *, year: int, quarter: int) -> PaymentBatch:
    """The payment file for DFØ with every approved claim of the quarter; the claims become paid."""
    require_role(actor, Role.NATIONAL_ADMIN)
    claims = list(GrantClaim.objects.select_for_update().filter(year=year, quarter=quarter, status=ClaimStatus.APPROVED)
                  .select_related("municipality").order_by("municipality__number"))
    if not claims:
        raise ValidationError("Ingen godkjente krav å utbetale for perioden.")
    total = sum((c.total for c in claims), ZERO)
    rows = ["kommunenr;kommune;aar;kvartal;belop;referanse"]
    for c in claims:
        rows.append(f"{c.municipality.number};{c.municipality.name};{year};{quarter};{c.total:.2f};IMDI-{year}{quarter}-{c.pk:06d}")
    rows.append(f"SUM;{len(claims)} krav;{year};{quarter};{total:.2f};")
    batch = PaymentBatch.objects.create(year=year, quarter=quarter, created_by=actor.user, total=total,
                                        file_content="\n".join(rows) + "\n")
    for c in claims:
        c.status, c.payment_batch = ClaimStatus.PAID, batch
        _save(c, actor)
    return batch


def claim_summary(claim: GrantClaim) -> list[dict]:
    """The claim's lines summed per scheme and rate, for the decision letter (no personal data)."""
    rows = (claim.lines.values("scheme__name", "rate_kind", "entitlement_year")
            .annotate(amount=Sum("amount"), persons=Count("id")).order_by("scheme__name", "entitlement_year", "rate_kind"))
    return [{**r, "rate_label": RateKind(r["rate_kind"]).label} for r in rows]


# --- Application grants -----------------------------------------------------------------------


@transaction.atomic
def submit_application(actor: Actor, *, grant_year: GrantYear, title: str, description: str, amount_requested: Decimal,
                       municipality: Municipality | None = None, applicant_name: str = "") -> GrantApplication:
    """A municipality applies through the web form; IMDi registers applications from organisations."""
    if actor.is_municipality:
        require_municipality_writer(actor, municipality.pk if municipality else None)
        applicant_name = municipality.name + " kommune"
    else:
        require_role(actor, *IMDI_ROLES)
        if not applicant_name:
            raise ValidationError({"applicant_name": "Oppgi søker."})
    if grant_year.scheme.kind != SchemeKind.APPLICATION:
        raise ValidationError({"grant_year": "Denne ordningen er per capita og søkes ikke om."})
    today = timezone.localdate()
    if grant_year.opens_on and today < grant_year.opens_on:
        raise ValidationError({"grant_year": f"Søknadsperioden åpner {grant_year.opens_on:%d.%m.%Y}."})
    if grant_year.application_deadline and today > grant_year.application_deadline:
        raise ValidationError({"grant_year": f"Søknadsfristen var {grant_year.application_deadline:%d.%m.%Y}."})
    if amount_requested is None or amount_requested <= 0:
        raise ValidationError({"amount_requested": "Søkt beløp må være større enn null."})
    if amount_requested > grant_year.budget:
        raise ValidationError({"amount_requested": f"Søkt beløp er større enn hele bevilgningen ({_kr(grant_year.budget)})."})
    app = GrantApplication(grant_year=grant_year, municipality=municipality, applicant_name=applicant_name, title=title,
                           description=description, amount_requested=amount_requested, submitted_by=actor.user)
    _save(app, actor)
    return app


def _lock_application(app) -> GrantApplication:
    return GrantApplication.objects.select_for_update(of=("self",)).select_related("grant_year__scheme", "municipality").get(pk=app.pk)


def _check_imdi_scope(actor: Actor, app: GrantApplication):
    require_role(actor, *IMDI_ROLES)
    if actor.is_caseworker and app.municipality_id and app.municipality.region_id != actor.region_id:
        raise PermissionDenied("Søknaden gjelder en kommune i en annen region.")


@transaction.atomic
def assess_application(actor: Actor, app: GrantApplication, *, assessment: str, recommended_amount: Decimal | None) -> GrantApplication:
    app = _lock_application(app)
    _check_imdi_scope(actor, app)
    if app.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(f"Søknaden er {app.get_status_display().lower()} og kan ikke vurderes.")
    if not assessment.strip():
        raise ValidationError({"assessment": "Skriv en vurdering."})
    if recommended_amount is not None and not (0 <= recommended_amount <= app.amount_requested):
        raise ValidationError({"recommended_amount": "Anbefalt beløp må være mellom 0 og søkt beløp."})
    app.status, app.assessment, app.recommended_amount, app.assessed_by = ApplicationStatus.ASSESSED, assessment, recommended_amount, actor.user
    _save(app, actor)
    return app


@transaction.atomic
def decide_application(actor: Actor, app: GrantApplication, *, grant: bool, amount: Decimal | None = None,
                       reason: str = "") -> GrantApplication:
    """Grant (with an amount within the budget left) or reject (with a reason). Two people: the one who
    assessed the application does not decide it."""
    require_role(actor, Role.NATIONAL_ADMIN)
    app = _lock_application(app)
    if app.status != ApplicationStatus.ASSESSED:
        raise ValidationError("Søknaden må være vurdert før den avgjøres.")
    if app.assessed_by_id == actor.user.pk:
        raise PermissionDenied("Den som vurderte søknaden kan ikke også fatte vedtaket.")
    if grant:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": "Innvilget beløp må være større enn null."})
        if amount > app.amount_requested:
            raise ValidationError({"amount": f"Kan ikke innvilge mer enn søkt beløp ({_kr(app.amount_requested)})."})
        gy = _lock_grant_year(app.grant_year.scheme_id, app.grant_year.year)
        left = gy.budget - committed(gy)
        if amount > left:
            raise ValidationError({"amount": f"Bevilgningen for {gy} har bare {_kr(max(left, ZERO))} igjen."})
        app.status, app.amount_granted = ApplicationStatus.GRANTED, amount
    else:
        if not reason.strip():
            raise ValidationError({"reason": "Et avslag må begrunnes."})
        app.status = ApplicationStatus.REJECTED
    app.decision_reason, app.decided_by, app.decided_at = reason, actor.user, timezone.now()
    _save(app, actor)
    return app


@transaction.atomic
def pay_application(actor: Actor, app: GrantApplication) -> GrantApplication:
    require_role(actor, Role.NATIONAL_ADMIN)
    app = _lock_application(app)
    if app.status != ApplicationStatus.GRANTED:
        raise ValidationError("Bare innvilgede søknader kan utbetales.")
    app.status, app.paid_at = ApplicationStatus.PAID, timezone.now()
    _save(app, actor)
    return app


@transaction.atomic
def report_on_grant(actor: Actor, app: GrantApplication, *, report: str, amount_used: Decimal) -> GrantApplication:
    """The grantee's report on how the money was used."""
    app = _lock_application(app)
    if app.municipality_id:
        require_municipality_writer(actor, app.municipality_id)
    else:
        require_role(actor, *IMDI_ROLES)
    if app.status != ApplicationStatus.PAID:
        raise ValidationError("Rapport kan bare sendes for utbetalte tilskudd.")
    if not report.strip():
        raise ValidationError({"report": "Skriv rapporten."})
    if amount_used is None or amount_used < 0 or amount_used > app.amount_granted:
        raise ValidationError({"amount_used": f"Brukt beløp må være mellom 0 og innvilget beløp ({_kr(app.amount_granted)})."})
    app.status, app.report, app.amount_used, app.reported_at = ApplicationStatus.REPORTED, report, amount_used, timezone.now()
    _save(app, actor)
    return app


def overdue_reports(today: date | None = None):
    """Paid grants whose report deadline has passed without a report."""
    today = today or timezone.localdate()
    return GrantApplication.objects.filter(status=ApplicationStatus.PAID, grant_year__report_deadline__lt=today)
