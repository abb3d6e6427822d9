"""Writes for agreements. IMDi's regional office owns an agreement; municipalities that are party to
it can mark their own action items done and deliver the yearly report."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import bounds, policy
from core.audit import save_as
from core.errors import Forbidden, field_error
from core.roles import Actor

from .models import (
    ActionItem, AgreementGoal, AnnualStatusReport, Commitment, FollowUpMeeting, PartnershipAgreement, ReminderLog,
)


OTHER_REGION = "Avtalen følges opp av et annet regionkontor."


def _check_owner(actor: Actor, agreement: PartnershipAgreement, permission: str = "agreements.manage"):
    """The owner office: IMDi, a caseworker only for the region's agreements (a national one is every office's)."""
    policy.require_region(actor, permission, agreement.region_id, national_open=True, message=OTHER_REGION)


def _check_party_or_owner(actor: Actor, agreement: PartnershipAgreement, permission: str):
    """The owner office, or a writer of a municipality that is party to the agreement."""
    if actor.is_municipality:
        policy.require_write_access(actor)
        if not agreement.municipalities.filter(pk=actor.municipality_id).exists():
            raise Forbidden("Kommunen er ikke part i avtalen.", code="not_party")
        return
    _check_owner(actor, agreement, permission)


@transaction.atomic
def create_agreement(actor: Actor, *, title, agreement_type, region, start_date: date, end_date: date, purpose,
                     municipalities=(), agencies=(), goals=(), commitments=(), signed_by="") -> PartnershipAgreement:
    policy.require_region(actor, "agreements.manage", region.pk if region else None,
                          message="Du kan bare inngå avtaler for ditt eget regionkontor.")
    if end_date < start_date:
        raise field_error("end_date", "Avtalen kan ikke slutte før den begynner.", "ends_before_start")
    if not municipalities and not agencies:
        raise field_error("municipalities", "En avtale må ha minst én kommune eller etat som part.", "no_party")
    agreement = PartnershipAgreement(title=title, agreement_type=agreement_type, region=region, start_date=start_date,
                                     end_date=end_date, purpose=purpose, signed_by=signed_by)
    goal_rows = [AgreementGoal(agreement=agreement, text=t.strip()) for t in goals if t.strip()]
    # A party named after many municipalities is cut to the column, not refused: the text is the commitment.
    commitment_rows = [Commitment(agreement=agreement, party=p[:Commitment._meta.get_field("party").max_length], text=t)
                       for p, t in commitments if t.strip()]
    errors = {}
    bounds.check_date(errors, "start_date", start_date, earliest=bounds.EARLIEST_CASE_DATE, latest=bounds.LATEST_DATE)
    bounds.check_date(errors, "end_date", end_date, earliest=bounds.EARLIEST_CASE_DATE, latest=bounds.LATEST_DATE)
    bounds.check_lengths(errors, agreement)
    for goal in goal_rows:
        goal_errors = {}
        bounds.check_lengths(goal_errors, goal)
        if goal_errors:
            errors["goals"] = goal_errors["text"]
    bounds.raise_if(errors)
    save_as(agreement, actor)
    agreement.municipalities.set(municipalities)
    agreement.agencies.set(agencies)
    for row in goal_rows + commitment_rows:
        row.agreement = agreement
        save_as(row, actor)
    return agreement


@transaction.atomic
def add_action_item(actor: Actor, agreement, *, title, owner, due_date: date, responsible=None, note="") -> ActionItem:
    _check_owner(actor, agreement)
    if not title.strip():
        raise field_error("title", "Beskriv tiltaket.", "title_required")
    if not agreement.start_date <= due_date <= agreement.end_date:
        raise field_error("due_date", f"Fristen må ligge i avtaleperioden ({agreement.start_date:%d.%m.%Y}–{agreement.end_date:%d.%m.%Y}).",
                          "due_date_outside_agreement")
    item = ActionItem(agreement=agreement, title=title, owner=owner, due_date=due_date, responsible=responsible, note=note)
    errors = {}
    bounds.check_lengths(errors, item)
    bounds.raise_if(errors)
    save_as(item, actor)
    return item


@transaction.atomic
def complete_action_item(actor: Actor, item: ActionItem, *, done_on: date | None = None) -> ActionItem:
    item = ActionItem.objects.select_for_update().select_related("agreement").get(pk=item.pk)
    _check_party_or_owner(actor, item.agreement, "agreements.complete_action_item")
    if item.done_on:
        raise ValidationError("Tiltaket er allerede fullført.", code="already_completed")
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise field_error("done_on", "Datoen kan ikke være fram i tid.", "date_in_future")
    item.done_on = done_on
    save_as(item, actor)
    return item


@transaction.atomic
def record_meeting(actor: Actor, agreement, *, held_on: date, minutes: str, participants="") -> FollowUpMeeting:
    _check_owner(actor, agreement)
    if held_on > timezone.localdate():
        raise field_error("held_on", "Et referat kan bare skrives for et møte som er holdt.", "meeting_not_held")
    if held_on < agreement.start_date:
        raise field_error("held_on", f"Møtet kan ikke være før avtalen begynte ({agreement.start_date:%d.%m.%Y}).",
                          "meeting_before_agreement")
    if not minutes.strip():
        raise field_error("minutes", "Skriv referatet.", "minutes_required")
    meeting = FollowUpMeeting(agreement=agreement, held_on=held_on, minutes=minutes, participants=participants)
    errors = {}
    bounds.check_lengths(errors, meeting)
    bounds.raise_if(errors)
    save_as(meeting, actor)
    return meeting


@transaction.atomic
def submit_annual_report(actor: Actor, agreement, *, year: int, summary: str) -> AnnualStatusReport:
    _check_party_or_owner(actor, agreement, "agreements.report")
    today = timezone.localdate()
    if not agreement.start_date.year <= year <= agreement.end_date.year:
        raise field_error("year", "Året ligger utenfor avtaleperioden.", "year_outside_agreement")
    if year > today.year:
        raise field_error("year", "Det kan ikke rapporteres for et år som ikke har begynt.", "year_not_started")
    if not summary.strip():
        raise field_error("summary", "Skriv status og resultater.", "summary_required")
    try:
        with transaction.atomic():
            report = AnnualStatusReport(agreement=agreement, year=year, summary=summary, submitted_on=today,
                                        submitted_by=actor.user)
            save_as(report, actor)
            return report
    except IntegrityError:
        raise field_error("year", f"Årsrapporten for {year} er allerede levert.", "report_already_submitted")


def record_reminder(actor: Actor | None, *, kind: str, object_key: str, recipients: list[str], sent_on: date) -> ReminderLog | None:
    """Record that a reminder (purring) goes out, before it is sent. `actor` None is the system (Celery beat).

    Returns None when the same reminder already went out that day: the log's unique key makes the job idempotent.
    """
    if actor is not None:
        policy.require(actor, "agreements.send_reminder")
    log = ReminderLog(kind=kind, object_key=object_key, sent_on=sent_on, recipients=",".join(recipients))
    try:
        with transaction.atomic():
            save_as(log, actor)
    except IntegrityError:
        return None
    return log
