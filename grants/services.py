"""Writes for grants: claims built from settlements, the payment file, and the application workflow.

No scheme may pay out more than its budget for the year: every approval or grant locks the
scheme's year row and checks what is already committed. Every transition is checked against the
tables in workflows.py.
"""

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import save_as as _save
from core.errors import field_error
from core.models import Municipality
from core.roles import Actor

from . import entitlements
from .models import ClaimStatus, GrantApplication, GrantClaim, GrantClaimLine, GrantScheme, GrantYear, PaymentBatch, SchemeKind
from .selectors import ZERO, committed
from .workflows import APPLICATION, CLAIM

PAYMENT_FILE_HEADER = ["kommunenr", "kommune", "aar", "kvartal", "belop", "referanse"]


def _kr(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", " ") + " kr"


def _lock_grant_year(scheme_id, year) -> GrantYear:
    try:
        return GrantYear.objects.select_for_update().select_related("scheme").get(scheme_id=scheme_id, year=year)
    except GrantYear.DoesNotExist:
        raise ValidationError(f"Ordningen har ingen bevilgning for {year}.", code="no_budget_for_year")


# --- Per-capita claims ------------------------------------------------------------------------


@transaction.atomic
def build_claims(year: int, quarter: int, municipality_ids=None) -> dict:
    """Compute every municipality's claim for a quarter from the settlement data.

    Calculated claims are rebuilt; approved or paid claims are never touched again.
    """
    if not 1 <= quarter <= 4:
        raise field_error("quarter", "Kvartal må være 1–4.", "invalid_quarter")
    try:
        lines = entitlements.compute_entitlements(year, quarter, municipality_ids)
    except entitlements.MissingRate as exc:
        raise ValidationError(str(exc), code="missing_rate")
    schemes = {s.code: s for s in GrantScheme.objects.all()}
    result = {"created": 0, "updated": 0, "locked": 0, "total": ZERO}
    existing = {c.municipality_id: c for c in GrantClaim.objects.select_for_update().filter(year=year, quarter=quarter)}
    for municipality_id, mlines in sorted(lines.items()):
        claim = existing.get(municipality_id)
        if claim is not None and not CLAIM.allows("recalculate", claim.status):
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
    claim = GrantClaim.objects.select_for_update().get(pk=claim.pk)
    target = CLAIM.check("approve", claim, actor)
    per_scheme = defaultdict(lambda: ZERO)
    for scheme_id, amount in claim.lines.values_list("scheme_id", "amount"):
        per_scheme[scheme_id] += amount
    for scheme_id, amount in sorted(per_scheme.items()):  # lock the schemes' year rows in one order
        gy = _lock_grant_year(scheme_id, claim.year)
        left = gy.budget - committed(gy)
        if amount > left:
            raise ValidationError(f"{gy.scheme.name}: kravet på {_kr(amount)} overskrider bevilgningen for {claim.year} "
                                  f"({_kr(max(left, ZERO))} igjen).", code="over_budget")
    claim.status, claim.approved_by, claim.approved_at = target, actor.user, timezone.now()
    _save(claim, actor)
    return claim


def payment_file(claims: list[GrantClaim], year: int, quarter: int, total: Decimal) -> str:
    """The semicolon-separated file for DFØ (evaluation, lines 2950-2954): one row per claim and a sum row. csv quotes a name that
    holds a ';' or a '"', so every row keeps its six columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(PAYMENT_FILE_HEADER)
    for c in claims:
        writer.writerow([c.municipality.number, c.municipality.name, year, quarter, f"{c.total:.2f}",
                         f"IMDI-{year}{quarter}-{c.pk:06d}"])
    writer.writerow(["SUM", f"{len(claims)} krav", year, quarter, f"{total:.2f}", ""])
    return out.getvalue()


@transaction.atomic
def create_payment_batch(actor: Actor, *, year: int, quarter: int) -> PaymentBatch:
    """The payment file for DFØ with every approved claim of the quarter; the claims become paid."""
    CLAIM.check_role("pay", actor)
    claims = list(GrantClaim.objects.select_for_update().filter(year=year, quarter=quarter, status=ClaimStatus.APPROVED)
                  .select_related("municipality").order_by("municipality__number"))
    if not claims:
        raise ValidationError("Ingen godkjente krav å utbetale for perioden.", code="nothing_to_pay")
    total = sum((c.total for c in claims), ZERO)
    batch = PaymentBatch(year=year, quarter=quarter, created_by=actor.user, total=total,
                         file_content=payment_file(claims, year, quarter, total))
    _save(batch, actor)
    for c in claims:
        c.status, c.payment_batch = CLAIM.check("pay", c, actor), batch
        _save(c, actor)
    return batch


# --- Application grants -----------------------------------------------------------------------


@transaction.atomic
def submit_application(actor: Actor, *, grant_year: GrantYear, title: str, description: str, amount_requested: Decimal,
                       municipality: Municipality | None = None, applicant_name: str = "",
                       today: date | None = None) -> GrantApplication:
    """A municipality applies through the web form; IMDi registers applications from organisations.

    `today` defaults to the real date; the demo passes its as-of date so it can be built for any year."""
    policy.require(actor, "grants.submit_application")
    if actor.is_municipality:
        policy.require_municipality_writer(actor, "grants.submit_application", municipality.pk if municipality else None)
        applicant_name = municipality.name + " kommune"
    else:
        if not applicant_name:
            raise field_error("applicant_name", "Oppgi søker.", "applicant_required")
    if grant_year.scheme.kind != SchemeKind.APPLICATION:
        raise field_error("grant_year", "Denne ordningen er per capita og søkes ikke om.", "not_an_application_scheme")
    today = today or timezone.localdate()
    if grant_year.opens_on and today < grant_year.opens_on:
        raise field_error("grant_year", f"Søknadsperioden åpner {grant_year.opens_on:%d.%m.%Y}.", "application_period_not_open")
    if grant_year.application_deadline and today > grant_year.application_deadline:
        raise field_error("grant_year", f"Søknadsfristen var {grant_year.application_deadline:%d.%m.%Y}.",
                          "application_deadline_passed")
    if amount_requested is None or amount_requested <= 0:
        raise field_error("amount_requested", "Søkt beløp må være større enn null.", "amount_not_positive")
    if amount_requested > grant_year.budget:
        raise field_error("amount_requested", f"Søkt beløp er større enn hele bevilgningen ({_kr(grant_year.budget)}).",
                          "amount_over_budget")
    app = GrantApplication(grant_year=grant_year, municipality=municipality, applicant_name=applicant_name, title=title,
                           description=description, amount_requested=amount_requested, submitted_by=actor.user)
    _save(app, actor)
    return app


def _lock_application(app) -> GrantApplication:
    return GrantApplication.objects.select_for_update(of=("self",)).select_related("grant_year__scheme", "municipality").get(pk=app.pk)


@transaction.atomic
def assess_application(actor: Actor, app: GrantApplication, *, assessment: str, recommended_amount: Decimal | None) -> GrantApplication:
    app = _lock_application(app)
    target = APPLICATION.check("assess", app, actor)
    if not assessment.strip():
        raise field_error("assessment", "Skriv en vurdering.", "assessment_required")
    if recommended_amount is not None and not (0 <= recommended_amount <= app.amount_requested):
        raise field_error("recommended_amount", "Anbefalt beløp må være mellom 0 og søkt beløp.", "recommended_out_of_range")
    app.status, app.assessment, app.recommended_amount, app.assessed_by = target, assessment, recommended_amount, actor.user
    _save(app, actor)
    return app


@transaction.atomic
def decide_application(actor: Actor, app: GrantApplication, *, grant: bool, amount: Decimal | None = None,
                       reason: str = "") -> GrantApplication:
    """Grant (with an amount within the budget left) or reject (with a reason); never by the assessor."""
    app = _lock_application(app)
    target = APPLICATION.check("grant" if grant else "reject", app, actor)
    if grant:
        if amount is None or amount <= 0:
            raise field_error("amount", "Innvilget beløp må være større enn null.", "amount_not_positive")
        if amount > app.amount_requested:
            raise field_error("amount", f"Kan ikke innvilge mer enn søkt beløp ({_kr(app.amount_requested)}).",
                              "amount_over_requested")
        gy = _lock_grant_year(app.grant_year.scheme_id, app.grant_year.year)
        left = gy.budget - committed(gy)
        if amount > left:
            raise field_error("amount", f"Bevilgningen for {gy} har bare {_kr(max(left, ZERO))} igjen.", "over_budget")
        app.amount_granted = amount
    elif not reason.strip():
        raise field_error("reason", "Et avslag må begrunnes.", "reason_required")
    app.status, app.decision_reason, app.decided_by, app.decided_at = target, reason, actor.user, timezone.now()
    _save(app, actor)
    return app


@transaction.atomic
def pay_application(actor: Actor, app: GrantApplication) -> GrantApplication:
    app = _lock_application(app)
    app.status, app.paid_at = APPLICATION.check("pay", app, actor), timezone.now()
    _save(app, actor)
    return app


@transaction.atomic
def report_on_grant(actor: Actor, app: GrantApplication, *, report: str, amount_used: Decimal) -> GrantApplication:
    """The grantee's report on how the money was used."""
    app = _lock_application(app)
    target = APPLICATION.check("report", app, actor)
    if not report.strip():
        raise field_error("report", "Skriv rapporten.", "report_required")
    if amount_used is None or amount_used < 0 or amount_used > app.amount_granted:
        raise field_error("amount_used", f"Brukt beløp må være mellom 0 og innvilget beløp ({_kr(app.amount_granted)}).",
                          "amount_used_out_of_range")
    app.status, app.report, app.amount_used, app.reported_at = target, report, amount_used, timezone.now()
    _save(app, actor)
    return app
