"""Writes for grants: claims built from settlements, their versions, disputes and letters, the payment file, NIR
participation, and the application workflow.

Per-capita claims are statutory (evaluation, lines 2748-2750: "tilskuddene blir gitt etter hvor mange som er i
målgruppen"): approving one is never refused for budget; the budget shows as a forecast with warnings
(selectors.scheme_forecast). A discretionary grant is never granted beyond its budget: the decision locks the
scheme's year row and checks what is already committed. Every transition is checked against the tables in
workflows.py.
"""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import bounds, policy
from core.audit import save_as as _save
from core.errors import Forbidden, field_error
from core.models import Municipality
from core.roles import Actor

from . import entitlements, letters
from .models import (
    MAX_HOURS_PER_QUARTER,
    MAX_PROGRAMME_YEARS,
    ApplicationStatus,
    ClaimDispute,
    ClaimStatus,
    DecisionLetter,
    DisputeStatus,
    GrantApplication,
    GrantClaim,
    GrantClaimLine,
    GrantScheme,
    GrantYear,
    ParticipationRecord,
    PaymentBatch,
    ReportReminder,
    SchemeKind,
    TrainingHours,
)
from .selectors import ZERO, claim_summary, committed
from .workflows import APPLICATION, CLAIM, DISPUTE

MAX_REASON = 2000  # a dispute's reason or IMDi's answer: a few paragraphs

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

    Calculated claims are rebuilt; approved or paid claims are never touched again, nor is a claim with an open
    dispute (the caseworker recomputes it as a new version when the dispute is resolved).
    """
    if not 1 <= quarter <= 4:
        raise field_error("quarter", "Kvartal må være 1–4.", "invalid_quarter")
    try:
        lines = entitlements.compute_entitlements(year, quarter, municipality_ids)
    except entitlements.MissingRate as exc:
        raise ValidationError(str(exc), code="missing_rate")
    schemes = {s.code: s for s in GrantScheme.objects.all()}
    result = {"created": 0, "updated": 0, "locked": 0, "disputed": 0, "total": ZERO}
    existing = {c.municipality_id: c for c in GrantClaim.objects.select_for_update().filter(year=year, quarter=quarter)
                .exclude(status=ClaimStatus.SUPERSEDED)}
    disputed = set(ClaimDispute.objects.filter(status=DisputeStatus.OPEN, claim__year=year, claim__quarter=quarter)
                   .values_list("claim_id", flat=True))
    for municipality_id, mlines in sorted(lines.items()):
        claim = existing.get(municipality_id)
        if claim is not None and not CLAIM.allows("recalculate", claim.status):
            result["locked"] += 1
            continue
        if claim is not None and claim.pk in disputed:
            result["disputed"] += 1
            continue
        if claim is None:
            claim = GrantClaim.objects.create(municipality_id=municipality_id, year=year, quarter=quarter)
            result["created"] += 1
        else:
            claim.lines.all().delete()
            result["updated"] += 1
        _write_lines(claim, mlines, schemes)
        claim.save(update_fields=["total", "calculated_at"])
        result["total"] += claim.total
    return result


def _write_lines(claim: GrantClaim, mlines, schemes) -> None:
    GrantClaimLine.objects.bulk_create([
        GrantClaimLine(claim=claim, scheme=schemes[line.scheme_code], person_id=line.person_id, rate_kind=line.rate_kind,
                       entitlement_year=line.entitlement_year, amount=line.amount, description=line.description)
        for line in mlines
    ])
    claim.total = sum((line.amount for line in mlines), ZERO)


@transaction.atomic
def approve_claim(actor: Actor, claim: GrantClaim) -> GrantClaim:
    """Approve a calculated claim. Per-capita grants are statutory: the budget is a forecast, never a refusal
    (selectors.scheme_forecast warns when the year's claims will run over it)."""
    claim = GrantClaim.objects.select_for_update().get(pk=claim.pk)
    target = CLAIM.check("approve", claim, actor)
    if claim.disputes.filter(status=DisputeStatus.OPEN).exists():
        raise ValidationError("Kravet har en åpen innsigelse fra kommunen. Behandle den først.", code="claim_disputed")
    claim.status, claim.approved_by, claim.approved_at = target, actor.user, timezone.now()
    _save(claim, actor)
    return claim


def payment_file(claims: list[GrantClaim], year: int, quarter: int, total: Decimal) -> str:
    """The semicolon-separated file for DFØ (evaluation, lines 2950-2954): one row per claim and a sum row. csv quotes a name that
    holds a ';' or a '"', so every row keeps its six columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(PAYMENT_FILE_HEADER)
    for c in claims:  # a corrected version pays the difference to what earlier versions paid (negative: paid back)
        writer.writerow([c.municipality.number, c.municipality.name, year, quarter, f"{c.payable:.2f}",
                         f"IMDI-{year}{quarter}-{c.pk:06d}"])
    writer.writerow(["SUM", f"{len(claims)} krav", year, quarter, f"{total:.2f}", ""])
    return out.getvalue()


@transaction.atomic
def create_payment_batch(actor: Actor, *, year: int, quarter: int) -> PaymentBatch:
    """The payment file for DFØ with every approved claim of the quarter; the claims become paid."""
    CLAIM.check_role("pay", actor)
    pay = CLAIM.transitions["pay"]  # the claims selected are those it pays: no state check per claim is left to fail
    claims = list(GrantClaim.objects.select_for_update().filter(year=year, quarter=quarter, status__in=pay.sources)
                  .select_related("municipality").order_by("municipality__number"))
    if not claims:
        raise ValidationError("Ingen godkjente krav å utbetale for perioden.", code="nothing_to_pay")
    total = sum((c.payable for c in claims), ZERO)
    batch = PaymentBatch(year=year, quarter=quarter, created_by=actor.user, total=total,
                         file_content=payment_file(claims, year, quarter, total))
    _save(batch, actor)
    for c in claims:
        c.status, c.payment_batch = pay.target, batch
        _save(c, actor)
    return batch


# --- Disputes and claim versions ---------------------------------------------------------------


def _text(field: str, value: str, *, label: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, f"Skriv {label}.", code)
    if len(value) > MAX_REASON:
        raise field_error(field, f"Teksten kan være høyst {MAX_REASON} tegn.", "text_too_long")
    return value


@transaction.atomic
def dispute_claim_line(actor: Actor, line: GrantClaimLine, *, reason: str) -> ClaimDispute:
    """A municipality's writer reports an error in a line of its own claim (evaluation, lines 2956-2958)."""
    claim = GrantClaim.objects.select_for_update().select_related("municipality").get(pk=line.claim_id)
    policy.require_municipality_writer(actor, "grants.dispute_claim", claim.municipality_id)
    if not claim.is_current:
        raise ValidationError("Denne versjonen av kravet er erstattet. Meld innsigelsen på gjeldende versjon.",
                              code="claim_superseded")
    reason = _text("reason", reason, label="hva som er feil", code="reason_required")
    if ClaimDispute.objects.filter(line=line, status=DisputeStatus.OPEN).exists():
        raise ValidationError("Linjen har allerede en åpen innsigelse.", code="already_disputed")
    dispute = ClaimDispute(claim=claim, line=line, person_id=line.person_id, line_text=line.description[:200],
                           line_amount=line.amount, reason=reason, opened_by=actor.user)
    _save(dispute, actor)
    return dispute


def _lock_dispute(dispute) -> ClaimDispute:
    return (ClaimDispute.objects.select_for_update(of=("self",)).select_related("claim__municipality", "person__household")
            .get(pk=dispute.pk))


@transaction.atomic
def recompute_claim(actor: Actor, claim: GrantClaim) -> GrantClaim:
    """The claim recomputed from today's settlement data as a new version; the old one is kept, read-only (superseded).
    A paid claim's money stays paid: the new version carries what was paid and pays (or claims back) the difference.
    The new version is calculated and is approved like any claim."""
    claim = GrantClaim.objects.select_for_update().select_related("municipality").get(pk=claim.pk)
    target = CLAIM.check("supersede", claim, actor)
    policy.require_region(actor, "grants.resolve_dispute", claim.municipality.region_id,
                          message="Kravet gjelder en kommune i en annen region.")
    try:
        lines = entitlements.compute_entitlements(claim.year, claim.quarter, [claim.municipality_id])
    except entitlements.MissingRate as exc:
        raise ValidationError(str(exc), code="missing_rate")
    paid_before = claim.total if claim.status == ClaimStatus.PAID else claim.previously_paid
    claim.status = target
    _save(claim, actor)
    new = GrantClaim(municipality=claim.municipality, year=claim.year, quarter=claim.quarter, version=claim.version + 1,
                     supersedes=claim, previously_paid=paid_before)
    _save(new, actor)
    _write_lines(new, lines.get(claim.municipality_id, []), {s.code: s for s in GrantScheme.objects.all()})
    _save(new, actor)
    return new


@transaction.atomic
def resolve_dispute(actor: Actor, dispute: ClaimDispute, *, resolution: str, corrected_settled_on: date | None = None) -> GrantClaim:
    """The caseworker corrects the settlement data (the disputed person's settlement date, when given) and recomputes the
    claim as a new version; the dispute is resolved. Returns the new version."""
    dispute = _lock_dispute(dispute)
    DISPUTE.check("resolve", dispute, actor)  # role, the claim's region, then the state
    resolution = _text("resolution", resolution, label="hva som er rettet", code="resolution_required")
    if corrected_settled_on is not None:
        _correct_settlement_date(actor, dispute, corrected_settled_on)
    new = recompute_claim(actor, dispute.claim)
    dispute.status, dispute.resolution, dispute.corrected_settled_on = DisputeStatus.RESOLVED, resolution, corrected_settled_on
    dispute.resolved_by, dispute.resolved_at, dispute.new_claim = actor.user, timezone.now(), new
    _save(dispute, actor)
    # Other open disputes on the old version follow to the new one (their lines are now the new version's).
    for other in ClaimDispute.objects.select_for_update().filter(claim=dispute.claim, status=DisputeStatus.OPEN):
        other.claim = new
        _save(other, actor)
    return new


def _correct_settlement_date(actor: Actor, dispute: ClaimDispute, day: date) -> None:
    from settlement.services.common import event, lock_household
    from settlement.models import EventKind, HouseholdStatus, Person

    if dispute.person_id is None:
        raise field_error("corrected_settled_on", "Linjen gjelder ingen enkeltperson; det er ingen bosettingsdato å rette.",
                          "no_person_on_line")
    household = lock_household(dispute.person.household_id)
    person = Person.objects.select_for_update().get(pk=dispute.person_id)
    today = timezone.localdate()
    if day > today:
        raise field_error("corrected_settled_on", "Bosettingsdatoen kan ikke være fram i tid.", "date_in_future")
    if day < person.residence_permit_date:
        raise field_error("corrected_settled_on", f"Bosettingsdatoen kan ikke være før vedtaket om opphold "
                          f"({person.residence_permit_date:%d.%m.%Y}).", "before_residence_permit")
    if household.assigned_on and day < household.assigned_on:
        raise field_error("corrected_settled_on", f"Bosettingsdatoen kan ikke være før husstanden ble søkt ut "
                          f"({household.assigned_on:%d.%m.%Y}).", "before_assignment")
    if household.status not in (HouseholdStatus.SETTLED, HouseholdStatus.ASSIGNED) or person.settled_on is None:
        raise field_error("corrected_settled_on", "Personen er ikke registrert som bosatt; bosettingsdatoen kan ikke rettes her.",
                          "person_not_settled")
    old = person.settled_on
    if old == day:
        raise field_error("corrected_settled_on", "Datoen er den samme som er registrert.", "date_unchanged")
    person.settled_on = day
    _save(person, actor)
    if household.status == HouseholdStatus.SETTLED:
        household.settled_on = max(p.settled_on for p in household.persons.all() if p.settled_on)
        _save(household, actor)
    event(household, EventKind.PERSON_SETTLED, actor, from_status=household.status, municipality=household.municipality,
          note=f"{person.full_name}: bosettingsdato rettet fra {old:%d.%m.%Y} til {day:%d.%m.%Y} (innsigelse mot tilskuddskrav)")


@transaction.atomic
def reject_dispute(actor: Actor, dispute: ClaimDispute, *, resolution: str) -> ClaimDispute:
    """The caseworker finds the line correct: the dispute is closed with an answer, the claim unchanged."""
    dispute = _lock_dispute(dispute)
    DISPUTE.check("reject", dispute, actor)
    resolution = _text("resolution", resolution, label="hvorfor linjen er riktig", code="resolution_required")
    dispute.status, dispute.resolution = DisputeStatus.REJECTED, resolution
    dispute.resolved_by, dispute.resolved_at = actor.user, timezone.now()
    _save(dispute, actor)
    return dispute


# --- Households that settled on their own -------------------------------------------------------


@transaction.atomic
def register_self_settlement(actor: Actor, household, *, municipality: Municipality):
    """Record the municipality where a household that left the flow because it settled on its own (selvbosatt) lives:
    its persons then bring that municipality per-capita grants from the exit date (grants.entitlements.settled_persons),
    as family members joining a settled refugee do (evaluation, lines 2726-2729). IMDi, in the household's region."""
    from settlement.models import EventKind, ExitReason, HouseholdStatus
    from settlement.services.common import event, lock_household

    household = lock_household(household.pk)
    policy.require_region(actor, "grants.register_self_settlement", household.region_id,
                          message="Husstanden tilhører et annet regionkontor.")
    if household.status != HouseholdStatus.EXITED or household.exit_reason != ExitReason.SETTLED_ON_OWN:
        raise ValidationError("Bare en husstand som er avsluttet som bosatt på egen hånd kan knyttes til en kommune her.",
                              code="not_self_settled")
    if municipality is None or not Municipality.objects.valid_on(household.exited_on).filter(pk=municipality.pk).exists():
        raise field_error("municipality", f"Velg en kommune som fantes {household.exited_on:%d.%m.%Y}.", "invalid_municipality")
    if household.municipality_id == municipality.pk:
        raise field_error("municipality", "Husstanden er allerede registrert i denne kommunen.", "unchanged")
    household.municipality, household.settlement_year = municipality, household.exited_on.year
    _save(household, actor)
    event(household, EventKind.EXITED, actor, from_status=household.status, municipality=municipality,
          note=f"Bosatt på egen hånd i {municipality.name} fra {household.exited_on:%d.%m.%Y}: gir kommunen per capita-tilskudd.")
    return household


# --- Decision letters ---------------------------------------------------------------------------


def letter_refusal(claim: GrantClaim, today: date) -> ValidationError | None:
    """Why no decision letter can be made for the claim now (None: it can): only for an approved or paid claim of a
    quarter that has ended, and only for the current version."""
    if claim.status not in (ClaimStatus.APPROVED, ClaimStatus.PAID):
        return ValidationError("Vedtaksbrev lages bare for godkjente krav.", code="claim_not_approved")
    if entitlements.quarter_bounds(claim.year, claim.quarter)[1] >= today:
        return ValidationError(f"{claim.quarter}. kvartal {claim.year} er ikke over ennå; vedtaksbrevet lages etter kvartalets slutt.",
                               code="quarter_not_ended")
    return None


def decision_letter_pdf(claim: GrantClaim, today: date | None = None) -> bytes:
    """The letter's PDF for an approved claim of an ended quarter (refused otherwise, with a code)."""
    today = today or timezone.localdate()
    refusal = letter_refusal(claim, today)
    if refusal is not None:
        raise refusal
    return letters.decision_letter_pdf(claim, claim_summary(claim), today)


@transaction.atomic
def send_decision_letter(actor: Actor, claim: GrantClaim) -> DecisionLetter:
    """Make the letter, keep it (PDF and SHA-256) and e-mail it to the municipality's post address (a Celery job)."""
    claim = GrantClaim.objects.select_for_update().select_related("municipality__region").get(pk=claim.pk)
    policy.require_region(actor, "grants.send_letter", claim.municipality.region_id,
                          message="Kravet gjelder en kommune i en annen region.")
    pdf = decision_letter_pdf(claim)
    if not claim.municipality.email:
        raise ValidationError(f"{claim.municipality.name} har ingen e-postadresse (postmottak) registrert.", code="no_recipient")
    letter = DecisionLetter(claim=claim, created_by=actor.user, recipient=claim.municipality.email, total=claim.total,
                            pdf=pdf, checksum=letters.checksum(pdf))
    _save(letter, actor)
    from .tasks import email_decision_letter

    transaction.on_commit(lambda: _enqueue(email_decision_letter, letter.pk))
    return letter


def _enqueue(task, *args):
    from core.jobs import enqueue

    enqueue(task, *args)


@transaction.atomic
def mark_letter_sent(letter_id: int) -> DecisionLetter | None:
    """The mail job's record that the letter went out; None when it had already (a retried job sends once)."""
    letter = DecisionLetter.objects.select_for_update().get(pk=letter_id)
    if letter.sent_at is not None:
        return None
    letter.sent_at = timezone.now()
    _save(letter, None)
    return letter


# --- Overdue grantee reports ----------------------------------------------------------------------


def report_period(day: date) -> date:
    """Reminders go at most once per report and month."""
    return day.replace(day=1)


def report_recipient(app: GrantApplication) -> str:
    if app.municipality_id and app.municipality.email:
        return app.municipality.email
    return getattr(app.submitted_by, "email", "") or ""


@transaction.atomic
def remind_overdue_report(actor: Actor | None, app: GrantApplication, *, today: date | None = None) -> ReportReminder | None:
    """Record a reminder for a paid grant whose report is overdue; None when this period's reminder already went out.
    The beat job (actor None) sends the mail; a caseworker may send one from the list (own region)."""
    today = today or timezone.localdate()
    app = GrantApplication.objects.select_for_update(of=("self",)).select_related("grant_year", "municipality", "submitted_by").get(pk=app.pk)
    if actor is not None:
        if app.municipality_id:
            policy.require_region(actor, "grants.remind_reports", app.municipality.region_id,
                                  message="Søknaden gjelder en kommune i en annen region.")
        elif not actor.is_admin:
            raise Forbidden("Påminnelser til organisasjoner sendes av nasjonal administrator.", code="role_not_allowed")
    deadline = app.grant_year.report_deadline
    if app.status != ApplicationStatus.PAID or deadline is None or deadline >= today:
        raise ValidationError("Rapporten er ikke forfalt.", code="report_not_overdue")
    period = report_period(today)
    if ReportReminder.objects.filter(application=app, period=period).exists():
        return None
    reminder = ReportReminder(application=app, period=period, recipient=report_recipient(app),
                              sent_by=actor.user if actor else None)
    _save(reminder, actor)
    return reminder


# --- NIR: participation in the introduction programme and Norwegian training ---------------------


def _require_person_writer(actor: Actor, person) -> None:
    household = person.household
    if actor.is_municipality:
        policy.require_municipality_writer(actor, "grants.record_participation", household.municipality_id)
    else:
        policy.require_region(actor, "grants.record_participation", household.region_id,
                              message="Personen tilhører et annet regionkontor.")


def _settled_person(person):
    from settlement.models import Person

    row = entitlements.settled_persons().filter(pk=person.pk).select_related("household").first()
    if row is None:
        person = Person.objects.select_related("household").get(pk=person.pk)
    return row, person


@transaction.atomic
def record_participation(actor: Actor, person, *, programme_start: date | None, programme_end: date | None = None) -> ParticipationRecord:
    """The introduction programme's start and end for a settled person (NIR)."""
    row, person = _settled_person(person)
    _require_person_writer(actor, person)
    if row is None:
        raise ValidationError("Personen er ikke bosatt i en kommune; deltakelse registreres etter bosetting.",
                              code="person_not_settled")
    errors, today = {}, timezone.localdate()
    if programme_start is None and programme_end is not None:
        errors["programme_start"] = ValidationError("Oppgi startdato når sluttdato er gitt.", code="start_required")
    bounds.check_date(errors, "programme_start", programme_start, earliest=row.settled_day, latest=today,
                      label="Startdatoen (fra bosettingsdatoen til i dag)")
    if programme_start and programme_end:
        latest_end = programme_start + timedelta(days=365 * MAX_PROGRAMME_YEARS + 1)
        if programme_end < programme_start:
            errors["programme_end"] = ValidationError("Sluttdatoen kan ikke være før startdatoen.", code="end_before_start")
        elif programme_end > latest_end:
            errors["programme_end"] = ValidationError(f"Programmet varer høyst {MAX_PROGRAMME_YEARS} år.", code="programme_too_long")
    if errors:
        raise ValidationError(errors)
    record = _record_of(person)
    record.programme_start, record.programme_end = programme_start, programme_end
    _save(record, actor)
    return record


def _record_of(person) -> ParticipationRecord:
    """The person's NIR record, locked; a new one (saved with the caller's actor) when there is none."""
    return ParticipationRecord.objects.select_for_update().filter(person=person).first() or ParticipationRecord(person=person)


@transaction.atomic
def record_training_hours(actor: Actor, person, *, year: int, quarter: int, hours: int) -> TrainingHours:
    """Norwegian-training hours for a quarter (replaces the quarter's earlier figure)."""
    row, person = _settled_person(person)
    _require_person_writer(actor, person)
    if row is None:
        raise ValidationError("Personen er ikke bosatt i en kommune; deltakelse registreres etter bosetting.",
                              code="person_not_settled")
    errors, today = {}, timezone.localdate()
    if quarter is None or not 1 <= quarter <= 4:
        errors["quarter"] = ValidationError("Kvartal må være 1–4.", code="invalid_quarter")
    elif year is None or (year, quarter) < (row.settled_day.year, entitlements.quarter_of(row.settled_day)) or \
            (year, quarter) > (today.year, entitlements.quarter_of(today)):
        errors["year"] = ValidationError("Perioden må ligge mellom bosettingskvartalet og inneværende kvartal.",
                                         code="period_out_of_range")
    bounds.check_count(errors, "hours", hours, high=MAX_HOURS_PER_QUARTER, label="Timetallet")
    if hours is None:
        errors["hours"] = ValidationError("Oppgi timetallet.", code="hours_required")
    if errors:
        raise ValidationError(errors)
    record = _record_of(person)
    if record.pk is None:
        _save(record, actor)
    row = TrainingHours.objects.filter(record=record, year=year, quarter=quarter).first() or \
        TrainingHours(record=record, year=year, quarter=quarter)
    row.hours = hours
    _save(row, actor)
    return row


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
