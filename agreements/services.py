"""Writes for agreements. IMDi's regional office owns an agreement; municipalities that are party to
it can mark their own action items done and deliver the yearly report."""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import bounds, policy
from core.audit import delete_as, save_as
from core.errors import Forbidden, field_error
from core.roles import Actor

from .models import (
    ActionItem, AgreementGoal, AgreementGrant, AgreementType, AgreementTemplate, AnnualStatusReport, Commitment, FollowUpMeeting,
    MeetingTopic, MunicipalityContact, PartnershipAgreement, ReminderLog, TemplateActionItem,
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
                     municipalities=(), agencies=(), parties=(), goals=(), commitments=(), signed_by="",
                     meeting_topics=(), evaluation_points="", template=None) -> PartnershipAgreement:
    """A new agreement. Parties: municipalities, agencies, and county governors, KS, county authorities or Oslo's
    city districts (PartyOrganisation), each of which must exist during the agreement's period."""
    policy.require_region(actor, "agreements.manage", region.pk if region else None,
                          message="Du kan bare inngå avtaler for ditt eget regionkontor.")
    if end_date < start_date:
        raise field_error("end_date", "Avtalen kan ikke slutte før den begynner.", "ends_before_start")
    parties = list(parties)
    if not municipalities and not agencies and not parties:
        raise field_error("municipalities", "En avtale må ha minst én kommune, etat eller annen part.", "no_party")
    gone = [p.name for p in parties if not _exists_during(p, start_date, end_date)]
    if gone:
        raise field_error("parties", f"Finnes ikke i avtaleperioden: {', '.join(gone)}.", "party_not_valid")
    meeting_topics = _check_topics("meeting_topics", meeting_topics, required=False)
    agreement = PartnershipAgreement(title=title, agreement_type=agreement_type, region=region, start_date=start_date,
                                     end_date=end_date, purpose=purpose, signed_by=signed_by, template=template,
                                     meeting_topics=meeting_topics, evaluation_points=evaluation_points.strip())
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
    agreement.parties.set(parties)
    for row in goal_rows + commitment_rows:
        row.agreement = agreement
        save_as(row, actor)
    return agreement


def _exists_during(party, start: date, end: date) -> bool:
    """The party existed on some day of [start, end] (valid_to is the first day it no longer existed)."""
    return (party.valid_from is None or party.valid_from <= end) and (party.valid_to is None or party.valid_to > start)


def _check_topics(field: str, topics, *, required: bool) -> list[str]:
    """The set meeting topics, in the order of MeetingTopic, each once; an unknown one is refused."""
    topics = list(topics or ())
    unknown = [t for t in topics if t not in MeetingTopic.values]
    if unknown:
        raise field_error(field, f"Ukjent tema: {', '.join(map(str, unknown))}.", "unknown_topic")
    if required and not topics:
        raise field_error(field, "Velg minst ett tema for møtet.", "topics_required")
    return [t for t in MeetingTopic.values if t in topics]


def _party_label(municipalities, agencies, parties) -> str:
    names = [m.name for m in municipalities] + [a.code.upper() for a in agencies] + [p.name for p in parties]
    return ", ".join(names) or "Parten"


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
def record_meeting(actor: Actor, agreement, *, held_on: date, minutes: str, participants="", topics=()) -> FollowUpMeeting:
    """Minutes of a follow-up meeting held, with its set topics (at least one)."""
    _check_owner(actor, agreement)
    topics = _check_topics("topics", topics, required=True)
    if held_on > timezone.localdate():
        raise field_error("held_on", "Et referat kan bare skrives for et møte som er holdt.", "meeting_not_held")
    if held_on < agreement.start_date:
        raise field_error("held_on", f"Møtet kan ikke være før avtalen begynte ({agreement.start_date:%d.%m.%Y}).",
                          "meeting_before_agreement")
    if not minutes.strip():
        raise field_error("minutes", "Skriv referatet.", "minutes_required")
    meeting = FollowUpMeeting(agreement=agreement, held_on=held_on, minutes=minutes, participants=participants, topics=topics)
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


def record_reminder(actor: Actor | None, *, kind: str, object_key: str, recipients: list[str], sent_on: date,
                    once: bool = False) -> ReminderLog | None:
    """Record that a reminder (purring) goes out, before it is sent. `actor` None is the system (Celery beat).

    Returns None when the same reminder already went out that day: the log's unique key makes the job idempotent.
    With `once`, None when it ever went out (a quiet agreement is reminded once per quiet period: the key names
    the period).
    """
    if actor is not None:
        policy.require(actor, "agreements.send_reminder")
    if once and ReminderLog.objects.filter(kind=kind, object_key=object_key).exists():
        return None
    log = ReminderLog(kind=kind, object_key=object_key, sent_on=sent_on, recipients=",".join(recipients))
    try:
        with transaction.atomic():
            save_as(log, actor)
    except IntegrityError:
        return None
    return log


QUIET = "quiet_agreement"


def quiet_key(agreement, last_meeting: date | None) -> str:
    """One quiet period: the agreement and its last meeting before the silence (none: since the start)."""
    return f"{agreement.pk}:{last_meeting.isoformat() if last_meeting else 'start'}"


def record_quiet_reminder(actor: Actor | None, agreement, *, last_meeting: date | None, recipients: list[str],
                          sent_on: date) -> ReminderLog | None:
    """An agreement with no meeting for six months is reminded once per quiet period; a new meeting starts a
    new period. None when this period's reminder already went out."""
    return record_reminder(actor, kind=QUIET, object_key=quiet_key(agreement, last_meeting), recipients=recipients,
                           sent_on=sent_on, once=True)


# --- Templates (avtalemaler) ------------------------------------------------------------------------------


def _check_template_owner(actor: Actor, template_region_id):
    """A national template (no region) is the national admin's; a region's template that office's."""
    policy.require_region(actor, "agreements.manage_templates", template_region_id,
                          message="Malen tilhører et annet regionkontor.")


@transaction.atomic
def create_template(actor: Actor, *, name, agreement_type, region, purpose, goals="", imdi_commitments="",
                    party_commitments="", meeting_topics=(), evaluation_points="") -> AgreementTemplate:
    _check_template_owner(actor, region.pk if region else None)
    if not name.strip():
        raise field_error("name", "Gi malen et navn.", "name_required")
    if not purpose.strip():
        raise field_error("purpose", "Skriv formålet.", "purpose_required")
    if agreement_type not in AgreementType.values:
        raise field_error("agreement_type", "Ukjent avtaletype.", "unknown_type")
    if AgreementTemplate.objects.filter(name__iexact=name.strip()).exists():
        raise field_error("name", "Det finnes allerede en mal med dette navnet.", "name_taken")
    template = AgreementTemplate(name=name.strip(), agreement_type=agreement_type, region=region, purpose=purpose,
                                 goals=goals.strip(), imdi_commitments=imdi_commitments.strip(),
                                 party_commitments=party_commitments.strip(),
                                 meeting_topics=_check_topics("meeting_topics", meeting_topics, required=False),
                                 evaluation_points=evaluation_points.strip())
    errors = {}
    bounds.check_lengths(errors, template)
    bounds.raise_if(errors)
    save_as(template, actor)
    return template


MAX_TEMPLATE_YEARS = 10


@transaction.atomic
def add_template_item(actor: Actor, template: AgreementTemplate, *, year: int, title: str, owner: str,
                      due_month: int) -> TemplateActionItem:
    """One item of the template's yearly action plan: in the agreement's `year`-th year, due at the end of the month."""
    _check_template_owner(actor, template.region_id)
    errors = {}
    if not isinstance(year, int) or not 1 <= year <= MAX_TEMPLATE_YEARS:
        errors["year"] = ValidationError(f"Avtaleåret må være mellom 1 og {MAX_TEMPLATE_YEARS}.", code="year_out_of_range")
    if not isinstance(due_month, int) or not 1 <= due_month <= 12:
        errors["due_month"] = ValidationError("Måneden må være mellom 1 og 12.", code="month_out_of_range")
    if not title.strip():
        errors["title"] = ValidationError("Beskriv tiltaket.", code="title_required")
    if not owner.strip():
        errors["owner"] = ValidationError("Hvem er ansvarlig?", code="owner_required")
    item = TemplateActionItem(template=template, year=year, title=title.strip(), owner=owner.strip(), due_month=due_month)
    bounds.check_lengths(errors, item)
    bounds.raise_if(errors)
    save_as(item, actor)
    return item


def plan_due_date(start: date, year: int, due_month: int) -> date:
    """The last day of `due_month` in the agreement's `year`-th year."""
    y = start.year + year - 1
    return date(y, due_month, calendar.monthrange(y, due_month)[1])


@transaction.atomic
def create_agreement_from_template(actor: Actor, template: AgreementTemplate, *, title, region, start_date: date,
                                   end_date: date, municipalities=(), agencies=(), parties=(),
                                   signed_by="") -> PartnershipAgreement:
    """An agreement with the template's type, purpose, goals, commitments, meeting topics and evaluation points,
    and its yearly action plan as action items. An item due before the agreement starts is due on the start date;
    items of years after the agreement has ended are left out."""
    # A caseworker may use the national templates and the own office's, never another office's.
    policy.require_region(actor, "agreements.manage", template.region_id, national_open=True,
                          message="Malen tilhører et annet regionkontor.")
    agreement = create_agreement(
        actor, title=title, agreement_type=template.agreement_type, region=region, start_date=start_date,
        end_date=end_date, purpose=template.purpose, municipalities=municipalities, agencies=agencies, parties=parties,
        goals=template.goals.splitlines(), signed_by=signed_by, meeting_topics=template.meeting_topics,
        evaluation_points=template.evaluation_points, template=template,
        commitments=[("IMDi", template.imdi_commitments),
                     (_party_label(municipalities, agencies, parties), template.party_commitments)],
    )
    for item in template.plan_items.all():
        due = plan_due_date(start_date, item.year, item.due_month)
        if due.year > end_date.year:
            continue
        due = min(max(due, start_date), end_date)
        save_as(ActionItem(agreement=agreement, title=item.title, owner=item.owner, due_date=due), actor)
    return agreement


# --- Discretionary grants (skjønnsbaserte tilskudd) -------------------------------------------------------


@transaction.atomic
def link_grant(actor: Actor, agreement, *, application, note="") -> AgreementGrant:
    """Manage a discretionary grant in connection with the agreement (evaluation lines 3615-3621): an application
    of a party municipality, for a year of the agreement, not rejected."""
    _check_owner(actor, agreement)
    if application.municipality_id is None or not agreement.municipalities.filter(pk=application.municipality_id).exists():
        raise field_error("application", "Søknaden er ikke fra en kommune som er part i avtalen.", "not_party_application")
    year = application.grant_year.year
    if not agreement.start_date.year <= year <= agreement.end_date.year:
        raise field_error("application", f"Tilskuddsåret {year} ligger utenfor avtaleperioden.", "grant_year_outside_agreement")
    if application.status == "rejected":
        raise field_error("application", "Søknaden er avslått.", "application_rejected")
    if AgreementGrant.objects.filter(agreement=agreement, application=application).exists():
        raise field_error("application", "Søknaden er allerede knyttet til avtalen.", "already_linked")
    link = AgreementGrant(agreement=agreement, application=application, note=note.strip())
    errors = {}
    bounds.check_lengths(errors, link)
    bounds.raise_if(errors)
    save_as(link, actor)
    return link


@transaction.atomic
def unlink_grant(actor: Actor, link: AgreementGrant) -> None:
    _check_owner(actor, link.agreement)
    delete_as(link, actor)


# --- Municipalities without an agreement --------------------------------------------------------------


def has_active_agreement(municipality, on: date) -> bool:
    return PartnershipAgreement.objects.filter(municipalities=municipality, start_date__lte=on, end_date__gte=on).exists()


@transaction.atomic
def record_contact(actor: Actor, *, municipality, contacted_on: date, contact: str, topic: str, note: str) -> MunicipalityContact:
    """A contact with a municipality without an agreement (evaluation lines 3623-3629), by the municipality's
    regional office. A municipality with an agreement that day is followed up through the agreement's meetings."""
    policy.require_region(actor, "agreements.record_contact", municipality.region_id,
                          message="Kommunen følges opp av et annet regionkontor.")
    errors = {}
    # Raised with the length checks below (one raise: a second one here was never the only one to refuse).
    bounds.check_date(errors, "contacted_on", contacted_on, earliest=bounds.EARLIEST_CASE_DATE, latest=bounds.LATEST_DATE)
    if contacted_on > timezone.localdate():
        raise field_error("contacted_on", "Datoen kan ikke være fram i tid.", "date_in_future")
    if has_active_agreement(municipality, contacted_on):
        raise field_error("municipality", f"{municipality.name} hadde en samarbeidsavtale denne dagen; skriv referat i avtalen.",
                          "has_agreement")
    if topic not in MeetingTopic.values:
        raise field_error("topic", "Ukjent tema.", "unknown_topic")
    if not contact.strip():
        raise field_error("contact", "Hvem var kontakten?", "contact_required")
    if not note.strip():
        raise field_error("note", "Skriv et notat.", "note_required")
    row = MunicipalityContact(municipality=municipality, contacted_on=contacted_on, contact=contact.strip(), topic=topic,
                              note=note.strip(), recorded_by=getattr(actor, "user", None))
    bounds.check_lengths(errors, row)
    bounds.raise_if(errors)
    save_as(row, actor)
    return row
